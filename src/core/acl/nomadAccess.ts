// What a Nomad token may do, resolved the way Nomad's servers resolve it (hashicorp/nomad acl/policy.go and
// acl/acl.go): each policy's namespace rules expand `policy` into capabilities and add `capabilities`; rules for
// one namespace merge across policies, `deny` wiping the rest; a namespace takes its exact rule, else the glob
// rule with the smallest character difference; variables by path the same way, on `<namespace>\0<path>`.
import { listAttribute, RuleBody, stringAttribute } from './ruleSyntax';

/** Block types whose JSON form is keyed by label. */
export const NOMAD_LABELLED_BLOCKS: ReadonlySet<string> = new Set(['namespace', 'path', 'host_volume', 'node_pool']);

const READ = ['list-jobs', 'parse-job', 'read-job', 'csi-list-volume', 'csi-read-volume', 'read-job-scaling', 'list-scaling-policies', 'read-scaling-policy', 'host-volume-read'];
const WRITE = [...READ, 'scale-job', 'submit-job', 'dispatch-job', 'read-logs', 'read-fs', 'alloc-exec', 'alloc-lifecycle', 'csi-mount-volume', 'csi-write-volume', 'submit-recommendation', 'host-volume-create'];
const SCALE = ['list-scaling-policies', 'read-scaling-policy', 'read-job-scaling', 'scale-job', 'read-job', 'submit-recommendation'];

/** `policy = …` of a namespace rule as the capabilities it stands for (acl/policy.go expandNamespacePolicy). */
export function expandNamespacePolicy(policy: string | undefined): string[] {
  switch (policy) {
    case 'deny':
      return ['deny'];
    case 'read':
      return READ;
    case 'write':
      return WRITE;
    case 'scale':
      return SCALE;
    default:
      return [];
  }
}

/** Capabilities a host-volume capability brings with it (acl/policy.go expandNamespaceCapabilities). */
function impliedCapabilities(capabilities: string[]): string[] {
  const extra: string[] = [];
  for (const capability of capabilities) {
    if (capability === 'host-volume-write') extra.push('host-volume-register', 'host-volume-create', 'host-volume-delete', 'host-volume-read');
    if (capability === 'host-volume-register') extra.push('host-volume-create', 'host-volume-read');
    if (capability === 'host-volume-create') extra.push('host-volume-read');
  }
  return extra;
}

/** A variables path rule's capabilities: `deny` alone wins; `read` brings `list` (acl/policy.go expandVariablesCapabilities). */
function expandVariableCapabilities(capabilities: string[]): string[] {
  if (capabilities.includes('deny')) return ['deny'];
  return capabilities.includes('read') && !capabilities.includes('list') ? [...capabilities, 'list'] : capabilities;
}

export interface NomadNamespaceRule {
  name: string;
  capabilities: string[];
  variables: { path: string; capabilities: string[] }[];
}

export interface NomadPolicyRules {
  namespaces: NomadNamespaceRule[];
  node?: string;
  agent?: string;
  operator?: string;
}

/** One policy's rules, expanded. A namespace rule without a label is the `default` namespace's. */
export function nomadPolicyRules(body: RuleBody): NomadPolicyRules {
  const rules: NomadPolicyRules = { namespaces: [] };
  for (const block of body.blocks) {
    if (block.type === 'namespace') {
      const capabilities = [...listAttribute(block, 'capabilities'), ...expandNamespacePolicy(stringAttribute(block, 'policy'))];
      const variables = block.blocks
        .filter((inner) => inner.type === 'variables')
        .flatMap((inner) => inner.blocks.filter((path) => path.type === 'path' && path.label !== undefined).map((path) => ({ path: path.label!, capabilities: expandVariableCapabilities(listAttribute(path, 'capabilities')) })));
      rules.namespaces.push({ name: block.label || 'default', capabilities: [...capabilities, ...impliedCapabilities(capabilities)], variables });
    } else if (block.type === 'node' || block.type === 'agent' || block.type === 'operator') {
      const policy = stringAttribute(block, 'policy');
      if (policy) rules[block.type] = strongest(rules[block.type], policy);
    }
  }
  return rules;
}

/** Of two coarse policies for the same rule, the one that wins when policies merge: deny, then write, then read. */
function strongest(a: string | undefined, b: string): string {
  const rank = (policy: string | undefined) => (policy === 'deny' ? 3 : policy === 'write' ? 2 : policy === 'read' ? 1 : 0);
  return rank(b) > rank(a) ? b : (a ?? b);
}

/**
 * `*` in a glob matches any run of characters (go-glob, which Nomad uses): the parts between stars must appear
 * in order, the first at the start and the last at the end unless a star is there.
 */
export function globMatches(pattern: string, subject: string): boolean {
  if (!pattern.includes('*')) return pattern === subject;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts.at(-1)!;
  if (!subject.startsWith(first) || subject.length < first.length + last.length || !subject.endsWith(last)) return false;
  let at = first.length;
  const end = subject.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = subject.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** The rule for `name`: its exact one, else the matching glob with the smallest character difference. */
function closest<T>(exact: Map<string, T>, globs: Map<string, T>, name: string): T | undefined {
  const found = exact.get(name);
  if (found !== undefined) return found;
  let best: { difference: number; value: T } | undefined;
  // Nomad walks its radix tree in key order and sorts the matches with a "<=" comparison, which leaves the last
  // of equal differences first.
  for (const key of [...globs.keys()].sort()) {
    if (!globMatches(key, name)) continue;
    const difference = name.length - key.length + (key.split('*').length - 1);
    if (!best || difference <= best.difference) best = { difference, value: globs.get(key)! };
  }
  return best?.value;
}

export type VariableOperation = 'read' | 'write' | 'list' | 'destroy';

export class NomadAccess {
  private readonly namespaces = new Map<string, Set<string>>();
  private readonly namespaceGlobs = new Map<string, Set<string>>();
  private readonly variables = new Map<string, Set<string>>();
  private readonly variableGlobs = new Map<string, Set<string>>();
  readonly node: string | undefined;
  readonly agent: string | undefined;
  readonly operator: string | undefined;

  private constructor(
    readonly management: boolean,
    policies: NomadPolicyRules[],
  ) {
    let node: string | undefined;
    let agent: string | undefined;
    let operator: string | undefined;
    for (const policy of policies) {
      for (const rule of policy.namespaces) {
        const glob = rule.name.includes('*');
        const table = glob ? this.namespaceGlobs : this.namespaces;
        const capabilities = table.get(rule.name) ?? new Set<string>();
        table.set(rule.name, capabilities);
        for (const variable of rule.variables) {
          const key = `${rule.name}\0${variable.path}`;
          const paths = glob || variable.path.includes('*') ? this.variableGlobs : this.variables;
          const set = paths.get(key) ?? new Set<string>();
          paths.set(key, set);
          for (const capability of variable.capabilities) set.add(capability);
        }
        // A deny already there stays; a deny here wipes what was granted.
        if (capabilities.has('deny')) continue;
        if (rule.capabilities.includes('deny')) {
          capabilities.clear();
          capabilities.add('deny');
          continue;
        }
        for (const capability of rule.capabilities) capabilities.add(capability);
      }
      if (policy.node) node = strongest(node, policy.node);
      if (policy.agent) agent = strongest(agent, policy.agent);
      if (policy.operator) operator = strongest(operator, policy.operator);
    }
    this.node = node;
    this.agent = agent;
    this.operator = operator;
  }

  static management(): NomadAccess {
    return new NomadAccess(true, []);
  }

  static fromPolicies(policies: NomadPolicyRules[]): NomadAccess {
    return new NomadAccess(false, policies);
  }

  /** The capabilities the token has in a namespace (all of them for a management token: undefined). */
  capabilities(namespace: string): ReadonlySet<string> | undefined {
    if (this.management) return undefined;
    const set = closest(this.namespaces, this.namespaceGlobs, namespace);
    return set && !set.has('deny') ? set : new Set();
  }

  allows(namespace: string, capability: string): boolean {
    return this.allowsAny(namespace, [capability]);
  }

  /** Whether any of the capabilities is granted (Nomad's AllowNsOpAnyOf); `*` asks whether any namespace grants it. */
  allowsAny(namespace: string, capabilities: readonly string[]): boolean {
    if (this.management) return true;
    if (namespace === '*' && [...this.namespaces.values(), ...this.namespaceGlobs.values()].some((set) => !set.has('deny') && capabilities.some((capability) => set.has(capability)))) return true;
    const set = this.capabilities(namespace)!;
    return capabilities.some((capability) => set.has(capability));
  }

  variable(namespace: string, path: string, operation: VariableOperation): boolean {
    if (this.management) return true;
    const set = closest(this.variables, this.variableGlobs, `${namespace}\0${path}`);
    return !!set && !set.has('deny') && set.has(operation);
  }

  /** The namespaces and globs the token's rules name, in order (what the Token row's tooltip lists). */
  namedNamespaces(): string[] {
    return [...this.namespaces.keys(), ...[...this.namespaceGlobs.keys()].sort()];
  }

  /** The variable paths the token's rules name in a namespace rule, with their capabilities. */
  variableRules(): { namespace: string; path: string; capabilities: string[] }[] {
    return [...this.variables.entries(), ...this.variableGlobs.entries()].map(([key, set]) => {
      const [namespace, path] = key.split('\0') as [string, string];
      return { namespace, path, capabilities: [...set] };
    });
  }
}
