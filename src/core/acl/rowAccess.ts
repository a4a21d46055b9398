// What each action asks of the token, as the servers check it, and the markers a row's context value gets for the
// actions its token may take there — the menus' `when` clauses show an action only where its marker is.
import type { ExplorerNode } from '../tree/explorerNode';
import { AccessNeed, accessVerdict, AccessVerdict, TokenAccess } from './tokenAccess';

/**
 * The capabilities each Nomad action's endpoint accepts, any one of them (hashicorp/nomad nomad/job_endpoint.go,
 * deployment_endpoint.go, periodic_endpoint.go, alloc_endpoint.go, client/alloc_endpoint.go, client/fs_endpoint.go;
 * test/fixtures/recorded/nomad-acl/README.md). The first is the one words name.
 */
export const NOMAD_ACTION_CAPABILITIES = {
  deploy: ['submit-job', 'register-job'],
  plan: ['submit-job', 'plan-job'],
  revert: ['submit-job', 'revert-job'],
  stopJob: ['submit-job', 'deregister-job', 'purge-job'],
  scale: ['scale-job', 'submit-job'],
  dispatch: ['dispatch-job'],
  force: ['dispatch-job', 'submit-job', 'force-periodic-job'],
  promote: ['submit-job', 'promote-deployment'],
  fail: ['submit-job', 'fail-deployment'],
  lifecycle: ['alloc-lifecycle'],
  exec: ['alloc-exec'],
  logs: ['read-logs', 'read-fs'],
  files: ['read-fs'],
} as const satisfies Record<string, readonly string[]>;

export type NomadActionName = keyof typeof NOMAD_ACTION_CAPABILITIES;

export interface ProfileAccess {
  nomad?: TokenAccess;
  consul?: TokenAccess;
}

/** What the token may do about a Nomad action in a namespace. */
export function nomadActionVerdict(access: ProfileAccess, action: NomadActionName, namespace: string): AccessVerdict {
  return accessVerdict(access.nomad, { product: 'nomad', namespace, anyOf: NOMAD_ACTION_CAPABILITIES[action] });
}

export function needVerdict(access: ProfileAccess, need: AccessNeed): AccessVerdict {
  return accessVerdict(need.product === 'nomad' ? access.nomad : access.consul, need);
}

/** The marker of an action (`mayDeploy`): present on a row when the token may (or when it cannot be told). */
export function accessMarker(action: NomadActionName | 'writeVariable' | 'destroyVariable' | 'writeKey'): string {
  return `may${action[0]!.toUpperCase()}${action.slice(1)}`;
}

const JOB_ACTIONS: NomadActionName[] = ['deploy', 'plan', 'revert', 'stopJob', 'scale', 'dispatch', 'force', 'exec', 'logs'];
const DEPLOYMENT_ACTIONS: NomadActionName[] = ['promote', 'fail'];
const ALLOCATION_ACTIONS: NomadActionName[] = ['lifecycle', 'exec', 'logs', 'files'];

/** The markers of the actions the row's token may take, to append to its context value. */
export function accessMarkers(node: ExplorerNode, access: ProfileAccess): string[] {
  const may = (verdict: AccessVerdict) => verdict.allowed !== false;
  const markers: string[] = [];
  const nomad = (actions: NomadActionName[], namespace: string) => {
    for (const action of actions) if (may(nomadActionVerdict(access, action, namespace))) markers.push(accessMarker(action));
  };
  if (node.allocation) nomad(ALLOCATION_ACTIONS, node.allocation.namespace);
  else if (node.deployment) nomad(DEPLOYMENT_ACTIONS, node.deployment.namespace);
  else if (node.job) nomad(JOB_ACTIONS, node.job.namespace);
  if (node.variable) {
    const { namespace, path } = node.variable;
    if (may(needVerdict(access, { product: 'nomad', namespace, variablePath: path, operation: 'write' }))) markers.push(accessMarker('writeVariable'));
    if (may(needVerdict(access, { product: 'nomad', namespace, variablePath: path, operation: 'destroy' }))) markers.push(accessMarker('destroyVariable'));
  }
  if (node.kv && may(needVerdict(access, { product: 'consul', key: node.kv.key, operation: 'write' }))) markers.push(accessMarker('writeKey'));
  return markers;
}
