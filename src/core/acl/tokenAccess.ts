// What the active profile's tokens may do: read from the products (a token reads its own record; a Nomad token its
// own policies and roles; a Consul token its policies only with acl:read), resolved into NomadAccess/ConsulAccess,
// and asked before an action is offered or sent. When the policies cannot be read, nothing is hidden: the action is
// tried and a 403 names the capability, as before.
import type { Parser } from 'web-tree-sitter';
import type { ConsulClient } from '../consul/consulClient';
import { isApiError } from '../http/apiError';
import type { NomadClient } from '../nomad/nomadClient';
import { CONSUL_LABELLED_BLOCKS, CONSUL_MANAGEMENT_POLICY_ID, ConsulAccess, ConsulOperation } from './consulAccess';
import { NOMAD_LABELLED_BLOCKS, NomadAccess, nomadPolicyRules, VariableOperation } from './nomadAccess';
import { readRules, RuleBody } from './ruleSyntax';

export type AccessProduct = 'nomad' | 'consul';

export interface TokenFacts {
  /** Nomad's `Name`, Consul's `Description`. */
  name: string;
  accessor: string;
  type: 'management' | 'client';
  policies: string[];
  roles: string[];
  /** Consul's service and node identities, as `service:web`, `node:node-1`. */
  identities: string[];
  expiresAt: number | undefined;
  anonymous: boolean;
}

export type TokenAccess =
  | { kind: 'aclDisabled' }
  /** The cluster refuses the token itself (unknown, expired, revoked): every request will fail the same way. */
  | { kind: 'invalid'; reason: string }
  /** `access` undefined: the policies could not be read (`unreadable` says why); actions are tried, not hidden. */
  | { kind: 'token'; token: TokenFacts; nomad?: NomadAccess; consul?: ConsulAccess; unreadable?: string }
  /** The token's record could not be read (the product is down): nothing is judged. */
  | { kind: 'unknown'; reason: string };

function expiry(value: string | null | undefined): number | undefined {
  if (!value || value.startsWith('0001-')) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : undefined;
}

function reasonOf(error: unknown): string {
  return isApiError(error) ? error.reason : error instanceof Error ? error.message : String(error);
}

/** A failure to read the token itself, as a state: ACLs off, a token the cluster refuses, or just unreachable. */
function failedSelf(error: unknown): TokenAccess {
  const reason = reasonOf(error);
  if (/ACL support disabled/i.test(reason)) return { kind: 'aclDisabled' };
  if (isApiError(error) && (error.kind === 'forbidden' || error.kind === 'notFound') && /token (not found|expired)|ACL not found|expired/i.test(reason)) return { kind: 'invalid', reason };
  return { kind: 'unknown', reason: error instanceof Error ? error.message : reason };
}

export async function loadNomadAccess(client: NomadClient, parser: Parser, signal?: AbortSignal): Promise<TokenAccess> {
  let token;
  try {
    token = await client.aclTokenSelf(signal);
  } catch (error) {
    return failedSelf(error);
  }
  const facts: TokenFacts = {
    name: token.Name || (token.AccessorID === 'anonymous' ? 'Anonymous Token' : token.AccessorID.slice(0, 8)),
    accessor: token.AccessorID,
    type: token.Type === 'management' ? 'management' : 'client',
    policies: token.Policies ?? [],
    roles: (token.Roles ?? []).map((role) => role.Name),
    identities: [],
    expiresAt: expiry(token.ExpirationTime),
    anonymous: token.AccessorID === 'anonymous',
  };
  if (facts.type === 'management') return { kind: 'token', token: facts, nomad: NomadAccess.management() };
  try {
    const fromRoles = await Promise.all((token.Roles ?? []).map(async (role) => (await client.aclRole(role.ID, signal)).Policies?.map((policy) => policy.Name) ?? []));
    const names = [...new Set([...facts.policies, ...fromRoles.flat()])];
    const bodies = await Promise.all(
      names.map(async (name) => {
        const policy = await client.aclPolicy(name, signal);
        try {
          return readRules(parser, policy.Rules, NOMAD_LABELLED_BLOCKS);
        } catch (error) {
          throw new Error(`policy "${name}": ${(error as Error).message}`);
        }
      }),
    );
    return { kind: 'token', token: facts, nomad: NomadAccess.fromPolicies(bodies.map(nomadPolicyRules)) };
  } catch (error) {
    return { kind: 'token', token: facts, unreadable: reasonOf(error) };
  }
}

export async function loadConsulAccess(client: ConsulClient, parser: Parser, signal?: AbortSignal): Promise<TokenAccess> {
  let self;
  try {
    self = await client.aclTokenSelf(signal);
  } catch (error) {
    return failedSelf(error);
  }
  const token = self.token;
  const policies = token.Policies ?? [];
  const management = policies.some((policy) => policy.ID === CONSUL_MANAGEMENT_POLICY_ID);
  const facts: TokenFacts = {
    name: token.Description || token.AccessorID.slice(0, 8),
    accessor: token.AccessorID,
    type: management ? 'management' : 'client',
    policies: policies.map((policy) => policy.Name),
    roles: (token.Roles ?? []).map((role) => role.Name),
    identities: [...(token.ServiceIdentities ?? []).map((identity) => `service:${identity.ServiceName}`), ...(token.NodeIdentities ?? []).map((identity) => `node:${identity.NodeName}`)],
    expiresAt: expiry(token.ExpirationTime),
    anonymous: token.AccessorID === '00000000-0000-0000-0000-000000000002',
  };
  if (management) return { kind: 'token', token: facts, consul: ConsulAccess.management() };
  try {
    const roles = await Promise.all((token.Roles ?? []).map((role) => client.aclRole(role.ID, signal)));
    const policyIds = [...new Set([...policies, ...roles.flatMap((role) => role.Policies ?? [])].map((policy) => policy.ID))];
    if (policyIds.includes(CONSUL_MANAGEMENT_POLICY_ID)) return { kind: 'token', token: { ...facts, type: 'management' }, consul: ConsulAccess.management() };
    const bodies: RuleBody[] = await Promise.all(policyIds.map(async (id) => readRules(parser, (await client.aclPolicy(id, signal)).Rules, CONSUL_LABELLED_BLOCKS)));
    const identities = {
      services: [...(token.ServiceIdentities ?? []), ...roles.flatMap((role) => role.ServiceIdentities ?? [])].map((identity) => identity.ServiceName),
      nodes: [...(token.NodeIdentities ?? []), ...roles.flatMap((role) => role.NodeIdentities ?? [])].map((identity) => identity.NodeName),
    };
    return { kind: 'token', token: facts, consul: ConsulAccess.fromPolicies(bodies, identities, self.defaultPolicy ?? 'deny') };
  } catch (error) {
    return { kind: 'token', token: facts, unreadable: reasonOf(error) };
  }
}

/** What an action needs of the token. */
export type AccessNeed =
  | { product: 'nomad'; namespace: string; anyOf: readonly string[] }
  | { product: 'nomad'; namespace: string; variablePath: string; operation: VariableOperation }
  | { product: 'consul'; key: string; operation: ConsulOperation };

export interface AccessVerdict {
  /** undefined: cannot be told (no ACLs read); the action is offered and tried. */
  allowed: boolean | undefined;
  /** Why not, in the words a lens, a menu's absence and a refusal share: `token lacks submit-job in "prod"`. */
  lacks?: string;
}

export function accessVerdict(access: TokenAccess | undefined, need: AccessNeed): AccessVerdict {
  if (!access || access.kind === 'unknown') return { allowed: undefined };
  if (access.kind === 'aclDisabled') return { allowed: true };
  if (access.kind === 'invalid') return { allowed: false, lacks: `the ${need.product === 'nomad' ? 'Nomad' : 'Consul'} token is refused by the cluster (${access.reason})` };
  if (need.product === 'nomad') {
    if (!access.nomad) return { allowed: undefined };
    if ('anyOf' in need) {
      return access.nomad.allowsAny(need.namespace, need.anyOf) ? { allowed: true } : { allowed: false, lacks: `token lacks ${need.anyOf[0]} in "${need.namespace}"` };
    }
    return access.nomad.variable(need.namespace, need.variablePath, need.operation) ? { allowed: true } : { allowed: false, lacks: `token lacks ${need.operation} on variables at "${need.variablePath}" in "${need.namespace}"` };
  }
  if (!access.consul) return { allowed: undefined };
  return access.consul.allows('key', need.key, need.operation) ? { allowed: true } : { allowed: false, lacks: `token lacks key:${need.operation} on "${need.key}"` };
}
