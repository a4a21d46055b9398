// The demo with ACLs on: tokens and policies as Nomad and Consul keep them, their ACL endpoints (a token reads itself
// and — on Nomad — its policies), and each request judged as the servers judge it (the capability its endpoint
// checks, in its namespace; a variable path; a Consul key, service or node). The rules are read with the extension's
// own resolver: the demo is a stand-in, and the resolver is table-tested against the servers' documented examples.
import type { Parser } from 'web-tree-sitter';
import { CONSUL_LABELLED_BLOCKS, CONSUL_MANAGEMENT_POLICY_ID, ConsulAccess } from '../src/core/acl/consulAccess';
import { NOMAD_LABELLED_BLOCKS, NomadAccess, nomadPolicyRules } from '../src/core/acl/nomadAccess';
import { NOMAD_ACTION_CAPABILITIES } from '../src/core/acl/rowAccess';
import { readRules } from '../src/core/acl/ruleSyntax';
import { createHclParser } from '../src/core/jobspec/hclParser';

/** The demo's tokens (their secrets are demo values, printed by npm start). */
export const DEMO_TOKENS = {
  management: { nomad: 'demo-nomad-management', consul: 'demo-consul-management' },
  developer: { nomad: 'demo-nomad-developer', consul: 'demo-consul-developer' },
  readonly: { nomad: 'demo-nomad-readonly', consul: 'demo-consul-readonly' },
  expiring: { nomad: 'demo-nomad-expiring', consul: 'demo-consul-expiring' },
} as const;

export type DemoTokenName = keyof typeof DEMO_TOKENS;

/** A policy per namespace (and the read-only one), as an operator writes them. */
export const DEMO_NOMAD_POLICIES: Record<string, string> = {
  'default-write': `# Developers deploy and operate in "default".
namespace "default" {
  policy = "write"
  variables {
    path "*" {
      capabilities = ["read", "write", "list", "destroy"]
    }
  }
}

node {
  policy = "read"
}
`,
  'prod-read': `# Production is read-only for developers.
namespace "prod" {
  policy = "read"
}
`,
  readonly: `# Look, do not touch: every namespace, read only.
namespace "*" {
  policy = "read"
  variables {
    path "*" {
      capabilities = ["read"]
    }
  }
}

node {
  policy = "read"
}
`,
};

export const DEMO_CONSUL_POLICIES: Record<string, { id: string; rules: string }> = {
  'kv-write': { id: '3d0c4d3e-0000-4000-8000-00000000c0de', rules: 'key_prefix "" {\n  policy = "write"\n}\nservice_prefix "" {\n  policy = "read"\n}\nnode_prefix "" {\n  policy = "read"\n}\n' },
  'kv-read': { id: '3d0c4d3e-0000-4000-8000-00000000beef', rules: 'key_prefix "" {\n  policy = "read"\n}\nservice_prefix "" {\n  policy = "read"\n}\nnode_prefix "" {\n  policy = "read"\n}\n' },
};

/** The expiring token's lifetime from the demo's start: inside the hour, so both warnings show. */
export const DEMO_EXPIRING_TOKEN_MS = 50 * 60_000;

interface DemoToken {
  accessor: string;
  name: string;
  type: 'client' | 'management';
  nomadPolicies: string[];
  consulPolicies: string[];
  expiresAt?: number;
}

type DemoRefusal = { allowed: false; status: number; body: string };
export type DemoVerdict = { allowed: true } | DemoRefusal;

const DENIED: DemoRefusal = { allowed: false, status: 403, body: 'Permission denied' };

export class DemoAcl {
  private readonly tokens = new Map<string, DemoToken>();
  private readonly nomadAccess = new Map<string, NomadAccess>();
  private readonly consulAccess = new Map<string, ConsulAccess>();

  private constructor(startedAt: number) {
    const developer = { nomadPolicies: ['default-write', 'prod-read'], consulPolicies: ['kv-write'] };
    const add = (name: DemoTokenName, token: Omit<DemoToken, 'accessor'>) => {
      const accessor = `${name.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-0000000acc01`;
      this.tokens.set(DEMO_TOKENS[name].nomad, { ...token, accessor });
      this.tokens.set(DEMO_TOKENS[name].consul, { ...token, accessor });
    };
    add('management', { name: 'Demo management token', type: 'management', nomadPolicies: [], consulPolicies: [] });
    add('developer', { name: 'Developer', type: 'client', ...developer });
    add('readonly', { name: 'Read-only', type: 'client', nomadPolicies: ['readonly'], consulPolicies: ['kv-read'] });
    add('expiring', { name: 'Developer (expiring)', type: 'client', ...developer, expiresAt: startedAt + DEMO_EXPIRING_TOKEN_MS });
  }

  static async create(startedAt = Date.now(), parser?: Parser): Promise<DemoAcl> {
    const acl = new DemoAcl(startedAt);
    const hcl = parser ?? (await createHclParser());
    for (const [secret, token] of acl.tokens) {
      acl.nomadAccess.set(secret, token.type === 'management' ? NomadAccess.management() : NomadAccess.fromPolicies(token.nomadPolicies.map((name) => nomadPolicyRules(readRules(hcl, DEMO_NOMAD_POLICIES[name]!, NOMAD_LABELLED_BLOCKS)))));
      acl.consulAccess.set(secret, token.type === 'management' ? ConsulAccess.management() : ConsulAccess.fromPolicies(token.consulPolicies.map((name) => readRules(hcl, DEMO_CONSUL_POLICIES[name]!.rules, CONSUL_LABELLED_BLOCKS)), { services: [], nodes: [] }, 'deny'));
    }
    return acl;
  }

  /** The token of a request, or why it is refused (no token: Nomad's anonymous policy, here none; unknown; expired). */
  private tokenOf(secret: string | undefined, product: 'nomad' | 'consul'): { token: DemoToken; secret: string } | DemoRefusal {
    const token = secret ? this.tokens.get(secret) : undefined;
    if (!secret) return { allowed: false, status: 403, body: product === 'nomad' ? 'Permission denied' : 'Permission denied: anonymous token lacks permission' };
    if (!token) return { allowed: false, status: 403, body: product === 'nomad' ? 'ACL token not found' : 'ACL not found' };
    if (token.expiresAt !== undefined && token.expiresAt <= Date.now()) return { allowed: false, status: 403, body: product === 'nomad' ? 'ACL token expired' : 'ACL not found' };
    return { token, secret };
  }

  /** The ACL endpoints, when the path is one: the answer; undefined for every other path. */
  answerAclRequest(product: 'nomad' | 'consul', path: string, secret: string | undefined): { status: number; body: string } | undefined {
    if (!path.startsWith('/v1/acl/')) return undefined;
    const found = this.tokenOf(secret, product);
    if ('allowed' in found) return { status: found.status, body: found.body };
    const { token } = found;
    const expiration = token.expiresAt === undefined ? null : new Date(token.expiresAt).toISOString();
    if (product === 'nomad') {
      if (path === '/v1/acl/token/self') return json({ AccessorID: token.accessor, SecretID: found.secret, Name: token.name, Type: token.type, Policies: token.type === 'management' ? null : token.nomadPolicies, Roles: [], Global: true, CreateTime: '2026-12-01T09:00:00Z', ExpirationTime: expiration, CreateIndex: 10, ModifyIndex: 10 });
      const policy = /^\/v1\/acl\/policy\/(.+)$/.exec(path)?.[1];
      if (policy !== undefined) {
        const name = decodeURIComponent(policy);
        // Nomad lets a token read the policies it has; management reads all.
        if (!(name in DEMO_NOMAD_POLICIES)) return { status: 404, body: 'ACL policy not found' };
        if (token.type !== 'management' && !token.nomadPolicies.includes(name)) return { status: 403, body: 'Permission denied' };
        return json({ Name: name, Description: '', Rules: DEMO_NOMAD_POLICIES[name], CreateIndex: 8, ModifyIndex: 8 });
      }
      return { status: 404, body: 'Not found' };
    }
    if (path === '/v1/acl/token/self') {
      const policies = token.type === 'management' ? [{ ID: CONSUL_MANAGEMENT_POLICY_ID, Name: 'global-management' }] : token.consulPolicies.map((name) => ({ ID: DEMO_CONSUL_POLICIES[name]!.id, Name: name }));
      return json({ AccessorID: token.accessor, SecretID: found.secret, Description: token.name, Policies: policies, Local: false, CreateTime: '2026-12-01T09:00:00Z', ...(expiration ? { ExpirationTime: expiration } : {}), CreateIndex: 10, ModifyIndex: 10 });
    }
    // Consul: reading a policy needs acl:read, which the demo's client tokens lack (as most real ones do).
    if (/^\/v1\/acl\/(policy|role)\//.test(path)) {
      if (token.type !== 'management') return { status: 403, body: `Permission denied: token with AccessorID '${token.accessor}' lacks permission 'acl:read'` };
      const entry = Object.entries(DEMO_CONSUL_POLICIES).find(([, policy]) => path.endsWith(policy.id));
      return entry ? json({ ID: entry[1].id, Name: entry[0], Rules: entry[1].rules }) : { status: 404, body: 'ACL not found' };
    }
    return { status: 404, body: 'Not found' };
  }

  /** Whether a Nomad request may go through, judged as its endpoint judges it. */
  judgeNomad(method: string, url: URL, secret: string | undefined): DemoVerdict {
    const found = this.tokenOf(secret, 'nomad');
    if ('allowed' in found) return found;
    const access = this.nomadAccess.get(found.secret)!;
    const namespace = url.searchParams.get('namespace') || 'default';
    const need = nomadNeed(method, url.pathname);
    if (!need) return { allowed: true };
    if ('variable' in need) {
      const path = decodeURIComponent(url.pathname.replace(/^\/v1\/vars?\/?/, ''));
      return access.variable(namespace, path, need.variable) || (need.variable === 'list' && path === '' && access.allowsAny(namespace, ['read-job'])) ? { allowed: true } : DENIED;
    }
    if ('node' in need) return access.management || access.node === 'read' || access.node === 'write' ? { allowed: true } : DENIED;
    return access.allowsAny(namespace, need.anyOf) ? { allowed: true } : DENIED;
  }

  judgeConsul(method: string, url: URL, secret: string | undefined): DemoVerdict {
    const found = this.tokenOf(secret, 'consul');
    if ('allowed' in found) return found;
    const access = this.consulAccess.get(found.secret)!;
    const kv = /^\/v1\/kv\/?(.*)$/.exec(url.pathname);
    if (kv) {
      const key = decodeURIComponent(kv[1]!);
      const write = method === 'PUT' || method === 'DELETE';
      return access.allows('key', key, write ? 'write' : 'read') ? { allowed: true } : { allowed: false, status: 403, body: `Permission denied: token with AccessorID '${found.token.accessor}' lacks permission 'key:${write ? 'write' : 'read'}' on "${key}"` };
    }
    // Lists are filtered by the servers, not refused; the demo's client tokens read every service and node.
    return { allowed: true };
  }
}

function json(body: unknown): { status: number; body: string } {
  return { status: 200, body: JSON.stringify(body) };
}

type NomadNeed = { anyOf: readonly string[] } | { variable: 'read' | 'write' | 'list' | 'destroy' } | { node: true };

/** What a Nomad endpoint checks (nomad/*_endpoint.go, client/*_endpoint.go; test/fixtures/recorded/nomad-acl/README.md). */
function nomadNeed(method: string, path: string): NomadNeed | undefined {
  const write = method !== 'GET';
  if (path === '/v1/nodes' || path.startsWith('/v1/node/')) return { node: true };
  if (path === '/v1/vars') return { variable: 'list' };
  if (path.startsWith('/v1/var/')) return { variable: method === 'DELETE' ? 'destroy' : write ? 'write' : 'read' };
  if (path === '/v1/jobs' && write) return { anyOf: NOMAD_ACTION_CAPABILITIES.deploy };
  if (path === '/v1/jobs') return { anyOf: ['list-jobs'] };
  if (path === '/v1/jobs/parse') return { anyOf: ['parse-job'] };
  if (/^\/v1\/job\/[^/]+\/plan$/.test(path)) return { anyOf: NOMAD_ACTION_CAPABILITIES.plan };
  if (/^\/v1\/job\/[^/]+\/revert$/.test(path)) return { anyOf: NOMAD_ACTION_CAPABILITIES.revert };
  if (/^\/v1\/job\/[^/]+\/scale$/.test(path) && write) return { anyOf: NOMAD_ACTION_CAPABILITIES.scale };
  if (/^\/v1\/job\/[^/]+\/dispatch$/.test(path)) return { anyOf: NOMAD_ACTION_CAPABILITIES.dispatch };
  if (/^\/v1\/job\/[^/]+\/periodic\/force$/.test(path)) return { anyOf: NOMAD_ACTION_CAPABILITIES.force };
  if (/^\/v1\/job\/[^/]+\/action$/.test(path)) return { anyOf: NOMAD_ACTION_CAPABILITIES.exec };
  if (/^\/v1\/job\/[^/]+$/.test(path) && method === 'DELETE') return { anyOf: NOMAD_ACTION_CAPABILITIES.stopJob };
  if (/^\/v1\/job\/[^/]+$/.test(path) && write) return { anyOf: NOMAD_ACTION_CAPABILITIES.deploy };
  if (/^\/v1\/deployment\/promote\//.test(path)) return { anyOf: NOMAD_ACTION_CAPABILITIES.promote };
  if (/^\/v1\/deployment\/fail\//.test(path)) return { anyOf: NOMAD_ACTION_CAPABILITIES.fail };
  if (/^\/v1\/client\/allocation\/[^/]+\/restart$/.test(path) || /^\/v1\/allocation\/[^/]+\/stop$/.test(path)) return { anyOf: NOMAD_ACTION_CAPABILITIES.lifecycle };
  if (path.startsWith('/v1/client/fs/logs/')) return { anyOf: NOMAD_ACTION_CAPABILITIES.logs };
  if (path.startsWith('/v1/client/fs/')) return { anyOf: NOMAD_ACTION_CAPABILITIES.files };
  if (path.startsWith('/v1/acl/') || path.startsWith('/v1/agent/') || path.startsWith('/v1/status/') || path.startsWith('/v1/operator/')) return undefined;
  return { anyOf: ['read-job'] };
}
