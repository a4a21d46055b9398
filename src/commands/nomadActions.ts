import * as vscode from 'vscode';
import { needVerdict, nomadActionVerdict, NomadActionName } from '../core/acl/rowAccess';
import { AccessNeed } from '../core/acl/tokenAccess';
import { isApiError } from '../core/http/apiError';
import { ACTIVE_DEPLOYMENT_STATUSES, awaitingPromotion } from '../core/nomad/deployments';
import { itemNamespace } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';

export interface DeploymentRef {
  id: string;
  jobId: string;
  namespace: string;
}

/**
 * The deployment a command acts on: the row's (or the notification's), else one picked among the running
 * deployments the store holds (`canariesOnly`: those whose canaries wait for promotion).
 */
export async function deploymentFor(host: ClusterStoreHost, argument: { deployment?: DeploymentRef } | undefined, canariesOnly: boolean): Promise<DeploymentRef | undefined> {
  if (argument?.deployment) return argument.deployment;
  const data = (await host.ready()).nomad.state.data;
  const running = (data?.deployments ?? []).filter((deployment) => ACTIVE_DEPLOYMENT_STATUSES.includes(deployment.Status) && (!canariesOnly || awaitingPromotion(deployment)));
  if (running.length === 0) {
    void vscode.window.showInformationMessage(`Hashistack: no deployment on "${host.activeProfile.name}" ${canariesOnly ? 'has canaries waiting for promotion' : 'is running'}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    running.map((deployment) => ({ label: deployment.JobID, description: `v${deployment.JobVersion} · ${deployment.Status} · ${deployment.ID.slice(0, 8)}`, detail: deployment.StatusDescription, deployment: { id: deployment.ID, jobId: deployment.JobID, namespace: itemNamespace(deployment.Namespace, data!.namespace) } })),
    { title: `Deployments on "${host.activeProfile.name}"` },
  );
  return picked?.deployment;
}

/** What an action asks of the token: a Nomad action in a namespace, a variable path, a Consul key. */
export type ActionNeed = { action: NomadActionName; namespace: string } | AccessNeed;

/** What the active profile's token lacks for `need`, in words; undefined when it may (or when that cannot be told). */
export function lacking(host: ClusterStoreHost, need: ActionNeed): string | undefined {
  const access = host.store?.access.current ?? {};
  const verdict = 'action' in need ? nomadActionVerdict(access, need.action, need.namespace) : needVerdict(access, need);
  return verdict.allowed === false ? verdict.lacks : undefined;
}

/** Refuses an action the token lacks before anything is sent, saying what it lacks; true when it refused. */
export function refuseLacking(host: ClusterStoreHost, what: string, need: ActionNeed): boolean {
  const lacks = lacking(host, need);
  if (!lacks) return false;
  void vscode.window.showWarningMessage(`Hashistack: ${what} on "${host.activeProfile.name}" — ${lacks}. Nothing was sent.`);
  return true;
}

/**
 * A modal that names the cluster, the namespace and the object, with one action button. With `need`, a token that
 * lacks it is refused first, in words, and no modal shows.
 */
export async function confirmAction(host: ClusterStoreHost, question: string, namespace: string, detail: string, action: string, need?: ActionNeed): Promise<boolean> {
  if (need && refuseLacking(host, action, need)) return false;
  const choice = await vscode.window.showWarningMessage(`${question}`, { modal: true, detail: `Cluster "${host.activeProfile.name}" · namespace ${namespace}\n\n${detail}` }, action);
  return choice === action;
}

/** An action's failure in Nomad's own words; a 403 names the capability the token lacks. */
export function reportActionError(what: string, error: unknown, capability: string, namespace: string): void {
  const reason = error instanceof Error ? error.message : String(error);
  const forbidden = isApiError(error) && error.kind === 'forbidden' ? ` The Nomad token needs the "${capability}" capability in namespace "${namespace}".` : '';
  void vscode.window.showErrorMessage(`Hashistack: ${what} failed: ${reason}${forbidden}`);
}
