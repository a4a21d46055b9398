// The Token row at the top of the Nomad and Consul sections: whose token it is, its policies and expiry, and in its
// tooltip what it may do in each namespace and which capability each action it may not take would need — the
// place a user looks when a menu item is absent. And the expiry's warning (24 h, then 1 h) for the status bar.
import { ExplorerNode, HEALTH_COLORS, HEALTH_ICONS } from '../tree/explorerNode';
import { NOMAD_ACTION_CAPABILITIES, NomadActionName } from './rowAccess';
import { AccessProduct, TokenAccess } from './tokenAccess';

/** The actions each capability set enables, as the menus name them. */
const ACTION_WORDS: Record<NomadActionName, string> = {
  deploy: 'Deploy',
  plan: 'Plan',
  revert: 'Revert',
  stopJob: 'Stop Job',
  scale: 'Scale',
  dispatch: 'Dispatch',
  force: 'Run Periodic Job Now',
  promote: 'Promote',
  fail: 'Fail Deployment',
  lifecycle: 'Restart and Stop Allocation',
  exec: 'Open Shell and Run Action',
  logs: 'Show Logs',
  files: 'Browse Files',
};

const HOUR_MS = 3_600_000;
/** When the status bar starts warning of a token's expiry, then warns again. */
export const EXPIRY_WARNINGS_MS = { day: 24 * HOUR_MS, hour: HOUR_MS } as const;

export type ExpiryLevel = 'none' | 'day' | 'hour' | 'expired';

export function expiryLevel(expiresAt: number | undefined, now: number): ExpiryLevel {
  if (expiresAt === undefined) return 'none';
  const left = expiresAt - now;
  return left <= 0 ? 'expired' : left <= EXPIRY_WARNINGS_MS.hour ? 'hour' : left <= EXPIRY_WARNINGS_MS.day ? 'day' : 'none';
}

/** `in 3 h`, `in 42 min`, `2 h ago`. */
export function relativeTime(at: number, now: number): string {
  const minutes = Math.round(Math.abs(at - now) / 60_000);
  const amount = minutes >= 90 ? `${Math.round(minutes / 60)} h` : `${Math.max(1, minutes)} min`;
  return at >= now ? `in ${amount}` : `${amount} ago`;
}

/** `expires in 3 h`, `expired 5 min ago`. */
export function expiryWords(expiresAt: number, now: number): string {
  return `${expiresAt <= now ? 'expired' : 'expires'} ${relativeTime(expiresAt, now)}`;
}

const PRODUCT_NAMES: Record<AccessProduct, string> = { nomad: 'Nomad', consul: 'Consul' };

/** What a view's title adds about its product's ACLs: ` · ACLs off` when it has none. */
export function aclDescription(access: TokenAccess | undefined): string {
  return access?.kind === 'aclDisabled' ? ' · ACLs off' : '';
}

/** The Token row of a section; undefined while the token has not been read (or could not be: the section says why). */
export function tokenNode(product: AccessProduct, access: TokenAccess | undefined, namespaces: readonly string[], now: number): ExplorerNode | undefined {
  const id = `${product}/token`;
  const name = PRODUCT_NAMES[product];
  // A cluster without ACLs says so in its view's title (`live · ACLs off`): no row for a token nobody checks.
  if (!access || access.kind === 'unknown' || access.kind === 'aclDisabled') return undefined;
  if (access.kind === 'invalid') {
    return {
      id,
      label: 'Token: refused',
      description: access.reason,
      tooltip: `${name} refuses the token itself (${access.reason}): it is unknown, expired or revoked, and every request fails the same way. Set another one: Hashistack: Set ${name} Token.`,
      icon: HEALTH_ICONS.critical,
      contextValue: 'tokenInfo tokenRefused',
      collapsible: 'none',
      command: { id: product === 'nomad' ? 'hashistack.setNomadToken' : 'hashistack.setConsulToken', title: 'Set Token' },
    };
  }
  const token = access.token;
  const level = expiryLevel(token.expiresAt, now);
  const expiry = token.expiresAt === undefined ? '' : expiryWords(token.expiresAt, now);
  const description = [token.type, token.type === 'management' ? '' : token.policies.concat(token.roles.map((role) => `role ${role}`), token.identities).join(', ') || 'no policy', expiry].filter(Boolean).join(' · ');
  const lines = [
    `${name} token "${token.name}"${token.anonymous ? ' (no token set: the anonymous policy applies)' : ''}`,
    `Accessor: ${token.accessor}`,
    `Type: ${token.type}`,
    ...(token.policies.length ? [`Policies: ${token.policies.join(', ')}`] : []),
    ...(token.roles.length ? [`Roles: ${token.roles.join(', ')}`] : []),
    ...(token.identities.length ? [`Identities: ${token.identities.join(', ')}`] : []),
    token.expiresAt === undefined ? 'Expires: never' : `Expires: ${new Date(token.expiresAt).toISOString()} (${relativeTime(token.expiresAt, now)})`,
    '',
    ...whatItMayDo(product, access, namespaces),
  ];
  const icon = level === 'expired' || level === 'hour' ? HEALTH_ICONS.critical : level === 'day' ? HEALTH_ICONS.warning : { id: 'key', color: token.type === 'management' ? HEALTH_COLORS.passing : undefined };
  return { id, label: `Token: ${token.name}`, description, tooltip: lines.join('\n'), icon, contextValue: 'tokenInfo', collapsible: 'none' };
}

function whatItMayDo(product: AccessProduct, access: Extract<TokenAccess, { kind: 'token' }>, namespaces: readonly string[]): string[] {
  if (access.token.type === 'management') return ['A management token: it may do everything.'];
  if (access.unreadable) return [`Its policies could not be read (${access.unreadable}): every action is offered, and a refusal names the capability it needs.`];
  if (product === 'consul') {
    const rules = access.consul?.describe() ?? [];
    return [`Rules (the agent's default policy: ${access.consul?.defaultPolicy ?? 'deny'}):`, ...(rules.length ? rules.map((rule) => `  ${rule}`) : ['  none'])];
  }
  const nomad = access.nomad!;
  const lines = ['What it may do, by namespace:'];
  const names = [...new Set([...namespaces, ...nomad.namedNamespaces()])];
  for (const namespace of names) {
    const allowed: string[] = [];
    const lacking: string[] = [];
    for (const [action, capabilities] of Object.entries(NOMAD_ACTION_CAPABILITIES) as [NomadActionName, readonly string[]][]) {
      if (nomad.allowsAny(namespace, capabilities)) allowed.push(ACTION_WORDS[action]);
      else lacking.push(`${ACTION_WORDS[action]} (${capabilities[0]})`);
    }
    const readable = nomad.allows(namespace, 'read-job');
    lines.push(`  ${namespace}: ${allowed.length ? allowed.join(', ') : readable ? 'read only' : 'nothing'}`);
    if (lacking.length && (allowed.length || readable)) lines.push(`    lacks: ${lacking.join(', ')}`);
  }
  for (const rule of nomad.variableRules()) lines.push(`  variables "${rule.path}" in ${rule.namespace}: ${rule.capabilities.join(', ')}`);
  for (const [what, policy] of [['node', nomad.node], ['agent', nomad.agent], ['operator', nomad.operator]] as const) if (policy) lines.push(`  ${what}: ${policy}`);
  return lines;
}
