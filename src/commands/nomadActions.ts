import * as vscode from 'vscode';
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

/** A modal that names the cluster, the namespace and the object, with one action button. */
export async function confirmAction(host: ClusterStoreHost, question: string, namespace: string, detail: string, action: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(`${question}`, { modal: true, detail: `Cluster "${host.activeProfile.name}" · namespace ${namespace}\n\n${detail}` }, action);
  return choice === action;
}

/** An action's failure in Nomad's own words; a 403 names the capability the token lacks. */
export function reportActionError(what: string, error: unknown, capability: string, namespace: string): void {
  const reason = error instanceof Error ? error.message : String(error);
  const forbidden = isApiError(error) && error.kind === 'forbidden' ? ` The Nomad token needs the "${capability}" capability in namespace "${namespace}".` : '';
  void vscode.window.showErrorMessage(`Hashistack: ${what} failed: ${reason}${forbidden}`);
}
