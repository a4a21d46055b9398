/** A running instance of the cluster (carrying the cluster tag). */
export interface ClusterNode {
  instanceId: string;
  privateIp?: string;
  publicIp?: string;
  launchTime?: Date;
}

/** An Elastic IP of the account in the region. */
export interface ElasticIp {
  allocationId: string;
  publicIp: string;
  /** The instance it is attached to, if any. */
  instanceId?: string;
  associationId?: string;
  /**
   * Set when the address sits on a network interface that no instance owns (a NAT gateway, a load
   * balancer): the pairing never takes such an address. The interface's ID, or its owner when no ID came.
   */
  networkInterfaceOwner?: string;
  /** What DescribeAddresses says of that interface, and what DescribeNetworkInterfaces adds, when it could. */
  networkInterface?: {
    id?: string;
    ownerId?: string;
    privateIp?: string;
    /** DescribeAddresses' `ServiceManaged`: alb, nlb, rnat or rds. */
    serviceManaged?: string;
    /** DescribeNetworkInterfaces' `Description`, e.g. "Interface for NAT Gateway nat-0a1b…", "ELB app/web/50dc…". */
    description?: string;
    /** DescribeNetworkInterfaces' `InterfaceType`, e.g. nat_gateway, network_load_balancer, interface. */
    type?: string;
  };
}

export interface Association {
  allocationId: string;
  publicIp: string;
  instanceId: string;
  /** The instance the address is taken from (one that is no running node of the cluster). */
  detachesFrom?: string;
  associationId?: string;
}

export interface PairingPlan {
  associate: Association[];
  /** Nodes that already have an Elastic IP: left as they are. */
  alreadyPaired: { instanceId: string; publicIp: string }[];
  /** Nodes left without an address (more nodes than addresses). */
  nodesWithoutAddress: string[];
  /** Addresses left over (more addresses than nodes). */
  unusedAddresses: string[];
}

/**
 * Which Elastic IP goes to which running node. Candidates are the free addresses, addresses still
 * attached to an instance that is no longer a running node of the cluster (after an autoscaling
 * replacement), or — when `chosen` lists allocation IDs — exactly those. Addresses on other resources
 * (NAT gateways, load balancers) are never candidates. Nodes that already hold one keep it, so a second
 * run plans nothing. Oldest nodes first, addresses in address order: the same inputs give the same plan.
 */
export function planElasticIpPairing(nodes: ClusterNode[], addresses: ElasticIp[], chosen?: readonly string[], clusterInstanceIds: ReadonlySet<string> = new Set()): PairingPlan {
  const running = new Set(nodes.map((node) => node.instanceId));
  const held = new Map<string, ElasticIp>();
  for (const address of addresses) {
    if (address.instanceId && running.has(address.instanceId)) held.set(address.instanceId, address);
  }
  const alreadyPaired = nodes.filter((node) => held.has(node.instanceId)).map((node) => ({ instanceId: node.instanceId, publicIp: held.get(node.instanceId)!.publicIp }));
  const needing = nodes
    .filter((node) => !held.has(node.instanceId))
    .sort((a, b) => (a.launchTime?.getTime() ?? 0) - (b.launchTime?.getTime() ?? 0) || a.instanceId.localeCompare(b.instanceId));

  const chosenSet = chosen ? new Set(chosen) : undefined;
  const pool = addresses
    .filter((address) => {
      if (address.networkInterfaceOwner) return false;
      if (address.instanceId && running.has(address.instanceId)) return false;
      if (chosenSet) return chosenSet.has(address.allocationId);
      // Free, or left on an instance that was a cluster node (or no longer exists as a running one).
      return !address.instanceId || clusterInstanceIds.has(address.instanceId) || !address.associationId;
    })
    .sort((a, b) => compareIps(a.publicIp, b.publicIp));

  const associate: Association[] = [];
  const count = Math.min(needing.length, pool.length);
  for (let index = 0; index < count; index++) {
    const address = pool[index]!;
    associate.push({
      allocationId: address.allocationId,
      publicIp: address.publicIp,
      instanceId: needing[index]!.instanceId,
      ...(address.instanceId ? { detachesFrom: address.instanceId, associationId: address.associationId } : {}),
    });
  }
  return {
    associate,
    alreadyPaired,
    nodesWithoutAddress: needing.slice(count).map((node) => node.instanceId),
    unusedAddresses: pool.slice(count).map((address) => address.publicIp),
  };
}

function compareIps(a: string, b: string): number {
  const parts = (ip: string) => ip.split('.').map((part) => Number(part));
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.localeCompare(b);
}

/** The plan in words, one line per change, for the confirmation the user answers once. */
export function describePlan(plan: PairingPlan): string[] {
  const lines = plan.associate.map((association) => `${association.publicIp} → ${association.instanceId}${association.detachesFrom ? ` (detached from ${association.detachesFrom})` : ''}`);
  if (plan.nodesWithoutAddress.length) lines.push(`No address left for: ${plan.nodesWithoutAddress.join(', ')}`);
  if (plan.unusedAddresses.length) lines.push(`Not used: ${plan.unusedAddresses.join(', ')}`);
  return lines;
}
