import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { confirmAction, deploymentFor, DeploymentRef, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** Promote Canaries (`POST /v1/deployment/promote/:id`, all groups): from the notification, the deployment row or the palette. */
export function registerPromoteDeployment(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.promoteDeployment', 'Promoting a deployment', async (argument?: { deployment?: DeploymentRef }) => {
    const deployment = await deploymentFor(host, argument, true);
    if (!deployment) return undefined;
    if (!(await confirmAction(host, `Promote the canaries of ${deployment.jobId}?`, deployment.namespace, `Deployment ${deployment.id.slice(0, 8)}: Nomad then replaces the remaining allocations with the new version.`, 'Promote', { action: 'promote', namespace: deployment.namespace }))) return undefined;
    try {
      const store = await host.ready();
      const answer = await store.nomad.api.promoteDeployment(deployment.id, deployment.namespace);
      log.info(`Promoted deployment ${deployment.id} of ${deployment.jobId} on "${host.activeProfile.name}" (evaluation ${answer.EvalID})`);
      void vscode.window.showInformationMessage(`Hashistack: promoted the canaries of ${deployment.jobId} on "${host.activeProfile.name}".`);
      return answer;
    } catch (error) {
      reportActionError(`Promoting ${deployment.jobId}'s canaries`, error, 'submit-job', deployment.namespace);
      return undefined;
    }
  });
}
