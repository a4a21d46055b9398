// What a Consul token may do, resolved the way Consul resolves it (hashicorp/consul acl/policy_authorizer.go and
// policy_merger.go): for a key, service or node, its exact rule wins, else the longest matching `_prefix` rule,
// else the agent's default policy; rules for the same resource merge across policies with deny > write > list >
// read. Service and node identities stand for the rules Consul synthesizes for them.
import { RuleBody, stringAttribute } from './ruleSyntax';

export const CONSUL_LABELLED_BLOCKS: ReadonlySet<string> = new Set([
  'agent', 'agent_prefix', 'event', 'event_prefix', 'key', 'key_prefix', 'node', 'node_prefix', 'query', 'query_prefix', 'service', 'service_prefix', 'session', 'session_prefix',
]);

/** Consul's built-in management policy: a token with it may do everything. */
export const CONSUL_MANAGEMENT_POLICY_ID = '00000000-0000-0000-0000-000000000001';

export type ConsulResource = 'key' | 'service' | 'node' | 'agent' | 'session' | 'event' | 'query';
export type ConsulLevel = 'deny' | 'read' | 'list' | 'write';
export type ConsulOperation = 'read' | 'list' | 'write';

interface ResourceRules {
  exact: Map<string, ConsulLevel>;
  prefix: Map<string, ConsulLevel>;
}

const RANK: Record<ConsulLevel, number> = { read: 1, list: 2, write: 3, deny: 4 };

function merged(current: ConsulLevel | undefined, next: ConsulLevel): ConsulLevel {
  return current === undefined || RANK[next] > RANK[current] ? next : current;
}

function isLevel(value: string | undefined): value is ConsulLevel {
  return value === 'deny' || value === 'read' || value === 'list' || value === 'write';
}

export interface ConsulIdentities {
  services: string[];
  nodes: string[];
}

export class ConsulAccess {
  private readonly rules = new Map<ConsulResource, ResourceRules>();
  /** `acl`, `operator`, `keyring`, `mesh`, `peering`: one policy each. */
  readonly global = new Map<string, ConsulLevel>();

  private constructor(
    readonly management: boolean,
    /** The agent's `acl.default_policy` (Consul says it in X-Consul-Default-ACL-Policy); deny when unknown. */
    readonly defaultPolicy: 'allow' | 'deny',
  ) {}

  static management(): ConsulAccess {
    return new ConsulAccess(true, 'allow');
  }

  static fromPolicies(policies: RuleBody[], identities: ConsulIdentities, defaultPolicy: 'allow' | 'deny' = 'deny'): ConsulAccess {
    const access = new ConsulAccess(false, defaultPolicy);
    for (const policy of policies) {
      for (const [name, value] of Object.entries(policy.attributes)) {
        if (typeof value === 'string' && isLevel(value)) access.global.set(name, merged(access.global.get(name), value));
      }
      for (const block of policy.blocks) {
        const prefix = block.type.endsWith('_prefix');
        const resource = block.type.replace(/_prefix$/, '') as ConsulResource;
        const level = stringAttribute(block, 'policy');
        if (!isLevel(level) || block.label === undefined || !CONSUL_LABELLED_BLOCKS.has(block.type)) continue;
        access.add(resource, prefix, block.label, level);
      }
    }
    // Synthesized: a service identity writes its service and sidecar, reads every service and node; a node
    // identity writes its node and reads every service (Consul's ACL docs, "Service identities", "Node identities").
    for (const service of identities.services) {
      access.add('service', false, service, 'write');
      access.add('service', false, `${service}-sidecar-proxy`, 'write');
      access.add('service', true, '', 'read');
      access.add('node', true, '', 'read');
    }
    for (const node of identities.nodes) {
      access.add('node', false, node, 'write');
      access.add('service', true, '', 'read');
    }
    return access;
  }

  private add(resource: ConsulResource, prefix: boolean, name: string, level: ConsulLevel): void {
    const rules = this.rules.get(resource) ?? { exact: new Map(), prefix: new Map() };
    this.rules.set(resource, rules);
    const table = prefix ? rules.prefix : rules.exact;
    table.set(name, merged(table.get(name), level));
  }

  /** The level that applies to a resource (`undefined`: no rule, the default policy decides). */
  level(resource: ConsulResource, name: string): ConsulLevel | undefined {
    const rules = this.rules.get(resource);
    if (!rules) return undefined;
    const exact = rules.exact.get(name);
    if (exact) return exact;
    let best: { length: number; level: ConsulLevel } | undefined;
    for (const [prefix, level] of rules.prefix) {
      if (name.startsWith(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, level };
    }
    return best?.level;
  }

  allows(resource: ConsulResource, name: string, operation: ConsulOperation): boolean {
    if (this.management) return true;
    const level = this.level(resource, name);
    if (level === undefined) return this.defaultPolicy === 'allow';
    switch (level) {
      case 'deny':
        return false;
      case 'write':
        return true;
      case 'list':
        return operation === 'list' || operation === 'read';
      case 'read':
        // Listing keys needs only read unless the agent sets acl.enable_key_list_policy (off by default).
        return operation === 'read' || operation === 'list';
    }
  }

  /** The rules the token's policies name, per resource, for the Token row's tooltip (`key_prefix "config/": write`). */
  describe(): string[] {
    const lines: string[] = [];
    for (const [resource, rules] of this.rules) {
      for (const [name, level] of rules.exact) lines.push(`${resource} "${name}": ${level}`);
      for (const [name, level] of rules.prefix) lines.push(`${resource}_prefix "${name}": ${level}`);
    }
    for (const [name, level] of this.global) lines.push(`${name}: ${level}`);
    return lines;
  }
}
