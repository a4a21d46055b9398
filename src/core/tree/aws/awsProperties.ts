import { ClusterInstance, EcsServiceEvent, EcsServiceSummary, EcsStoppedTask, EcsTaskSummary } from '../../aws/awsCluster';
import { ElasticIp } from '../../aws/eipPairing';
import { parseImageReference } from '../../jobspec/imageReference';
import { NomadNodeListStub } from '../../nomad/nomadApi';
import { formatAge } from '../../nomad/nomadTime';
import { errorNode, own, ExplorerNode, folderNode, HEALTH_COLORS, HEALTH_ICONS, infoNode, NodeIcon } from '../explorerNode';

export interface AwsSectionData {
  region: string;
  ecsCluster?: string;
  /** Undefined when no cluster tag is configured. */
  instances?: ClusterInstance[];
  addresses?: ElasticIp[];
  services?: EcsServiceSummary[];
  /** From the Nomad section, to link each instance to its Nomad node by address. */
  nomadNodes?: NomadNodeListStub[];
  /** Each part loads and fails on its own: a failed part shows its error row, the others their data. */
  errors?: { instances?: unknown; addresses?: unknown; services?: unknown };
}

const INSTANCE_ICONS: Record<string, NodeIcon> = {
  running: HEALTH_ICONS.passing,
  pending: { id: 'clock', color: HEALTH_COLORS.warning },
  stopping: { id: 'debug-pause', color: HEALTH_COLORS.warning },
  stopped: HEALTH_ICONS.neutral,
};

export function ecsConsoleUrl(region: string, cluster: string, service: string): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/health?region=${r}`;
}

/** A part of the AWS section that failed: its folder holds one error row with AWS's words. */
function failedPart(id: string, label: string, error: unknown, icon: string): ExplorerNode {
  const row = { ...errorNode('aws', error), id: `${id}/error` };
  return { ...folderNode(id, label, [row], true, icon), description: 'failed' };
}

export function awsSectionNodes(data: AwsSectionData, now: number): ExplorerNode[] {
  const folders: ExplorerNode[] = [];
  const errors = data.errors ?? {};
  if (errors.instances !== undefined || errors.addresses !== undefined || errors.services !== undefined) {
    const parts: ExplorerNode[] = [];
    if (errors.instances !== undefined) parts.push(failedPart('aws/nodes', 'Nodes', errors.instances, 'server'));
    if (errors.addresses !== undefined) parts.push(failedPart('aws/eips', 'Elastic IPs', errors.addresses, 'globe'));
    if (errors.services !== undefined) parts.push(failedPart('aws/ecs', `ECS: ${data.ecsCluster ?? ''}`, errors.services, 'cloud'));
    folders.push(...parts);
  }
  if (data.instances) {
    const byInstance = new Map((data.addresses ?? []).filter((address) => address.instanceId).map((address) => [address.instanceId!, address]));
    const nomadByAddress = new Map((data.nomadNodes ?? []).map((node) => [node.Address, node]));
    const nodes = [...data.instances]
      .sort((a, b) => (a.name ?? a.instanceId).localeCompare(b.name ?? b.instanceId))
      .map((instance) => instanceNode(instance, byInstance.get(instance.instanceId), instance.privateIp ? nomadByAddress.get(instance.privateIp) : undefined, now));
    folders.push(folderNode('aws/nodes', 'Nodes', nodes, true, 'server'));
    const instanceNames = new Map(data.instances.map((instance) => [instance.instanceId, instance.name ?? instance.instanceId]));
    const addresses = [...(data.addresses ?? [])].sort((a, b) => a.publicIp.localeCompare(b.publicIp)).map((address) => elasticIpNode(address, instanceNames));
    if (errors.addresses === undefined) folders.push(folderNode('aws/eips', 'Elastic IPs', addresses, false, 'globe'));
  }
  if (data.services && data.ecsCluster) {
    const services = [...data.services].sort((a, b) => a.name.localeCompare(b.name)).map((service) => ecsServiceNode(service, data.region, data.ecsCluster!));
    folders.push(folderNode('aws/ecs', `ECS: ${data.ecsCluster}`, services, true, 'cloud'));
  }
  return folders;
}

function instanceNode(instance: ClusterInstance, eip: ElasticIp | undefined, nomad: NomadNodeListStub | undefined, now: number): ExplorerNode {
  const parts = [instance.state, instance.instanceType, instance.availabilityZone, instance.privateIp, eip ? `EIP ${eip.publicIp}` : instance.publicIp].filter(Boolean);
  if (nomad) parts.push(`Nomad ${nomad.Status}${nomad.SchedulingEligibility === 'eligible' ? '' : ` (${nomad.SchedulingEligibility})`}${nomad.Drain ? ' draining' : ''}`);
  return {
    id: `aws/instance/${instance.instanceId}`,
    label: instance.name ?? instance.instanceId,
    description: parts.join(' · '),
    tooltip: [
      `${instance.name ?? ''} ${instance.instanceId}`.trim(),
      `State: ${instance.state}`,
      instance.instanceType ? `Type: ${instance.instanceType}` : '',
      instance.availabilityZone ? `Zone: ${instance.availabilityZone}` : '',
      `Private IP: ${instance.privateIp ?? 'none'}`,
      `Public IP: ${instance.publicIp ?? 'none'}`,
      eip ? `Elastic IP: ${eip.publicIp} (${eip.allocationId})` : 'No Elastic IP',
      instance.launchTime ? `Launched: ${instance.launchTime.toISOString()} (${formatAge(instance.launchTime, now)})` : '',
      nomad ? `Nomad node ${nomad.Name}: ${nomad.Status}, ${nomad.SchedulingEligibility}${nomad.Drain ? ', draining' : ''}` : 'No Nomad node at this address',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: own(INSTANCE_ICONS, instance.state) ?? HEALTH_ICONS.neutral,
    contextValue: `awsInstance address copyId${instance.state === 'running' ? ' instanceRunning' : ''}`,
    collapsible: 'none',
    copy: { id: instance.instanceId, address: eip?.publicIp ?? instance.publicIp ?? instance.privateIp },
    awsInstance: { id: instance.instanceId, name: instance.name ?? instance.instanceId, running: instance.state === 'running' },
  };
}

const SERVICE_MANAGED: Record<string, string> = { alb: 'Application Load Balancer', nlb: 'Network Load Balancer', rnat: 'regional NAT gateway', rds: 'RDS' };
const INTERFACE_TYPES: Record<string, string> = {
  nat_gateway: 'NAT gateway',
  network_load_balancer: 'Network Load Balancer',
  load_balancer: 'load balancer',
  gateway_load_balancer: 'Gateway Load Balancer',
  gateway_load_balancer_endpoint: 'Gateway Load Balancer endpoint',
  vpc_endpoint: 'VPC endpoint',
  transit_gateway: 'transit gateway',
  lambda: 'Lambda',
  efs: 'EFS mount target',
  global_accelerator_managed: 'Global Accelerator',
};

/**
 * What an Elastic IP is on, in words: a cluster node by name, an instance, a NAT gateway or load balancer
 * by what its interface says, else the interface by its ID; `free` when on nothing. Never an account number.
 */
export function elasticIpTarget(address: ElasticIp, names: ReadonlyMap<string, string>): string {
  if (address.instanceId) return names.has(address.instanceId) ? names.get(address.instanceId)! : `instance ${address.instanceId} (not a cluster node)`;
  const eni = address.networkInterface;
  if (!address.associationId && !eni?.id) return 'free';
  const description = eni?.description?.trim();
  const nat = /\b(nat-[0-9a-f]+)\b/i.exec(description ?? '');
  if (eni?.type === 'nat_gateway' || nat) return `NAT gateway ${nat?.[1] ?? eni?.id ?? ''}`.trim();
  if (description) return description;
  if (eni?.type && own(INTERFACE_TYPES, eni.type)) return `${own(INTERFACE_TYPES, eni.type)} ${eni.id ?? ''}`.trim();
  if (eni?.serviceManaged && own(SERVICE_MANAGED, eni.serviceManaged)) return `${own(SERVICE_MANAGED, eni.serviceManaged)} ${eni.id ?? ''}`.trim();
  if (eni?.ownerId === 'amazon-elb') return `ELB ${eni.id ?? ''}`.trim();
  if (eni?.id) return `network interface ${eni.id}`;
  return `association ${address.associationId}`;
}

function elasticIpNode(address: ElasticIp, names: Map<string, string>): ExplorerNode {
  const target = elasticIpTarget(address, names);
  const eni = address.networkInterface;
  const attached = target !== 'free';
  return {
    id: `aws/eip/${address.allocationId}`,
    label: address.publicIp,
    description: attached ? `→ ${target}` : 'free',
    tooltip: [
      `${address.publicIp} (${address.allocationId})`,
      attached ? `On: ${target}` : 'Not attached',
      address.instanceId ? `Instance: ${address.instanceId}` : '',
      eni?.id ? `Network interface: ${eni.id}${eni.type ? ` (${eni.type})` : ''}` : '',
      eni?.ownerId ? `Interface owner: ${eni.ownerId}` : '',
      eni?.privateIp ? `Private IP: ${eni.privateIp}` : '',
      address.associationId ? `Association: ${address.associationId}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: attached ? { id: 'link' } : { id: 'circle-outline', color: HEALTH_COLORS.warning },
    contextValue: 'awsElasticIp address copyId',
    collapsible: 'none',
    copy: { id: address.allocationId, address: address.publicIp },
  };
}

const ROLLOUT_ICONS: Record<string, NodeIcon> = {
  COMPLETED: HEALTH_ICONS.passing,
  IN_PROGRESS: { id: 'sync', color: HEALTH_COLORS.warning },
  FAILED: HEALTH_ICONS.critical,
};

export function ecsServiceNode(service: EcsServiceSummary, region: string, cluster: string): ExplorerNode {
  const tags = service.images.map((image) => parseImageReference(image.image).tag?.text ?? 'latest');
  const parts = [`${service.running}/${service.desired} running`, service.pending ? `${service.pending} pending` : '', service.launchType, service.revision, service.rollout?.state?.toLowerCase().replace('_', ' ')].filter(Boolean);
  const degraded = service.running < service.desired;
  return {
    id: `aws/ecs/${service.name}`,
    label: service.name,
    description: parts.join(' · '),
    tooltip: [
      `ECS service ${service.name} (${service.status})`,
      `Tasks: ${service.running} running, ${service.pending} pending, ${service.desired} desired`,
      `Task definition: ${service.revision ?? service.taskDefinition}`,
      ...service.images.map((image, index) => `  ${image.container}: ${image.image} (tag ${tags[index]})`),
      service.rollout ? `Latest deployment: ${service.rollout.state}${service.rollout.reason ? ` — ${service.rollout.reason}` : ''}` : '',
      // A new event changes the row, so an expanded service reads its Events and tasks again: live while open.
      service.events?.[0] ? `Latest event${service.events[0].at ? ` (${service.events[0].at.toISOString()})` : ''}: ${service.events[0].message}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: service.rollout?.state === 'FAILED' ? HEALTH_ICONS.critical : degraded ? HEALTH_ICONS.warning : (own(ROLLOUT_ICONS, service.rollout?.state) ?? HEALTH_ICONS.passing),
    contextValue: 'ecsService browsable copyId copyImage',
    collapsible: 'collapsed',
    lazyChildren: { kind: 'ecsTasks', service: service.name },
    copy: { id: service.arn },
    ecsImages: service.images,
    url: ecsConsoleUrl(region, cluster, service.name),
  };
}

export function ecsTaskNodes(service: string, tasks: EcsTaskSummary[], now: number): ExplorerNode[] {
  if (tasks.length === 0) return [infoNode(`aws/ecs/${service}/none`, 'No tasks')];
  return tasks.map((task) => ({
    id: `aws/ecs/${service}/task/${task.id}`,
    label: task.id.slice(0, 8),
    description: [task.lastStatus.toLowerCase(), task.health?.toLowerCase(), task.privateIp, task.startedAt ? formatAge(task.startedAt, now) : ''].filter(Boolean).join(' · '),
    tooltip: [`Task ${task.arn}`, `Status: ${task.lastStatus}`, `Health: ${task.health ?? 'UNKNOWN'}`, `Private IP: ${task.privateIp ?? 'none'}`, task.startedAt ? `Started: ${task.startedAt.toISOString()}` : '', task.taskDefinition ? `Task definition: ${task.taskDefinition.split('/').pop()}` : ''].filter(Boolean).join('\n'),
    icon: task.lastStatus === 'RUNNING' ? (task.health === 'UNHEALTHY' ? HEALTH_ICONS.critical : HEALTH_ICONS.passing) : task.lastStatus === 'STOPPED' ? HEALTH_ICONS.neutral : { id: 'clock', color: HEALTH_COLORS.warning },
    contextValue: `ecsTask address copyId${task.lastStatus === 'RUNNING' ? ' ecsTaskRunning' : ''}`,
    collapsible: 'none',
    copy: { id: task.arn, address: task.privateIp },
    ecsTask: { service, arn: task.arn, running: task.lastStatus === 'RUNNING' },
  }));
}

/**
 * What part of a service's definition an ECS event or a stopped task is about, when one can be named: its
 * task size (a placement that found no room), its health check, its image (a pull that failed).
 */
export type EcsConcern = 'resources' | 'healthCheck' | 'image';

export type EcsEventKind = 'steady' | 'placement' | 'health' | 'deploymentFailed' | 'info';

/** An event's kind and concern, from ECS's own sentences (the "Amazon ECS service event messages" of its guide). */
export function ecsEventKind(message: string): { kind: EcsEventKind; concern?: EcsConcern } {
  if (/has reached a steady state/i.test(message)) return { kind: 'steady' };
  if (/unable to place a task|insufficient (memory|cpu)/i.test(message)) return { kind: 'placement', concern: 'resources' };
  if (/failed (container|ELB) health checks/i.test(message)) return { kind: 'health', concern: 'healthCheck' };
  if (/deployment failed|unable to consistently start tasks/i.test(message)) return { kind: 'deploymentFailed' };
  return { kind: 'info' };
}

/** Why a task stopped points at: an image ECS could not pull, memory it ran out of, a health check it failed. */
export function ecsStoppedConcern(task: EcsStoppedTask): EcsConcern | undefined {
  const words = [task.stoppedReason ?? '', ...task.containers.map((container) => container.reason ?? '')].join(' ');
  if (/CannotPullContainer|pull image|image .* not found|manifest unknown/i.test(words)) return 'image';
  if (/OutOfMemory|out of memory|exit code: 137|OOM/i.test(words) || task.containers.some((container) => container.exitCode === 137)) return 'resources';
  if (/health check/i.test(words)) return 'healthCheck';
  return undefined;
}

const CONCERN_WORDS: Record<EcsConcern, string> = { resources: "the task definition's cpu and memory", healthCheck: 'the health check', image: 'the image' };

const EVENT_ICONS: Record<EcsEventKind, NodeIcon> = {
  steady: HEALTH_ICONS.passing,
  placement: HEALTH_ICONS.critical,
  health: HEALTH_ICONS.critical,
  deploymentFailed: HEALTH_ICONS.critical,
  info: { id: 'circle-small' },
};

/** An event's sentence without the `(service name)` ECS starts it with. */
function eventText(service: string, message: string): string {
  return message.startsWith(`(service ${service}) `) ? message.slice(`(service ${service}) `.length) : message.replace(/^\([^)]*\) /, '');
}

/** A link from a row to the place in the service's ecs-*.tf that the row's trouble is about. */
function concernCommand(service: string, concern: EcsConcern | undefined): ExplorerNode['command'] {
  return concern ? { id: 'hashistack.revealEcsDefinition', title: `Show ${CONCERN_WORDS[concern]}`, arguments: [{ ecsConcern: { service, concern } }] } : undefined;
}

/** A service's Events folder: newest first; a failure links to the part of its ecs-*.tf it is about. */
export function ecsEventsFolder(service: string, events: readonly EcsServiceEvent[], now: number): ExplorerNode {
  const id = `aws/ecs/${service}/events`;
  const newest = events[0];
  const failing = events.filter((event) => ecsEventKind(event.message).kind !== 'steady' && ecsEventKind(event.message).kind !== 'info').length;
  return {
    id,
    label: 'Events',
    description: newest ? `${events.length}${failing ? ` · ${failing} failing` : ''} · ${eventText(service, newest.message)}` : 'none kept',
    tooltip: 'What ECS said of the service, newest first (it keeps the last 100).',
    icon: { id: 'history' },
    contextValue: 'ecsEvents',
    collapsible: events.length ? 'collapsed' : 'none',
    computeChildren: () =>
      events.map((event) => {
        const { kind, concern } = ecsEventKind(event.message);
        const text = eventText(service, event.message);
        return {
          id: `${id}/${event.id || event.at?.getTime()}`,
          label: text,
          description: event.at ? formatAge(event.at, now) : '',
          tooltip: [event.message, event.at ? event.at.toISOString() : '', concern ? `About ${CONCERN_WORDS[concern]}: click to open it in the service's ecs-*.tf.` : ''].filter(Boolean).join('\n'),
          icon: EVENT_ICONS[kind],
          contextValue: `ecsEvent${kind === 'info' || kind === 'steady' ? '' : ' ecsEventFailure'}`,
          collapsible: 'none' as const,
          command: concernCommand(service, concern),
        };
      }),
  };
}

/** A service's Stopped tasks folder, read when opened. */
export function ecsStoppedFolder(service: string): ExplorerNode {
  return {
    id: `aws/ecs/${service}/stopped`,
    label: 'Stopped tasks',
    tooltip: 'The tasks ECS stopped (it keeps them about an hour), with why and how each container ended.',
    icon: { id: 'debug-stop' },
    contextValue: 'ecsStoppedTasks',
    collapsible: 'collapsed',
    lazyChildren: { kind: 'ecsStoppedTasks', service },
  };
}

export function ecsStoppedTaskNodes(service: string, tasks: readonly EcsStoppedTask[], now: number): ExplorerNode[] {
  if (tasks.length === 0) return [infoNode(`aws/ecs/${service}/stopped/none`, 'None kept (ECS keeps stopped tasks about an hour)')];
  return tasks.map((task) => {
    const concern = ecsStoppedConcern(task);
    const exits = task.containers.filter((container) => container.exitCode !== undefined).map((container) => `${container.name} exit ${container.exitCode}`);
    return {
      id: `aws/ecs/${service}/stopped/${task.id}`,
      label: task.id.slice(0, 8),
      description: [task.stoppedReason ?? task.stopCode ?? 'stopped', ...exits, task.stoppedAt ? formatAge(task.stoppedAt, now) : ''].filter(Boolean).join(' · '),
      tooltip: [
        `Task ${task.arn}`,
        task.stoppedAt ? `Stopped: ${task.stoppedAt.toISOString()}` : '',
        task.stopCode ? `Stop code: ${task.stopCode}` : '',
        task.stoppedReason ? `Reason: ${task.stoppedReason}` : '',
        ...task.containers.map((container) => `  ${container.name}: ${container.exitCode !== undefined ? `exit code ${container.exitCode}` : 'no exit code'}${container.reason ? ` — ${container.reason}` : ''}`),
        task.taskDefinition ? `Task definition: ${task.taskDefinition.split('/').pop()}` : '',
        concern ? `About ${CONCERN_WORDS[concern]}: click to open it in the service's ecs-*.tf.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      icon: task.stopCode === 'ServiceSchedulerInitiated' || task.stopCode === 'UserInitiated' ? HEALTH_ICONS.neutral : HEALTH_ICONS.critical,
      contextValue: 'ecsStoppedTask copyId',
      collapsible: 'none' as const,
      copy: { id: task.arn },
      ecsTask: { service, arn: task.arn, running: false, ...(task.stoppedAt ? { stoppedAt: task.stoppedAt } : {}) },
      command: concernCommand(service, concern),
    };
  });
}
