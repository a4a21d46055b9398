import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { confirmAction, deploymentFor, DeploymentRef, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** Fail Deployment (`POST /v1/deployment/fail/:id`): with auto_revert, Nomad rolls the job back. */
export function registerFailDeployment(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.failDeployment', 'Failing a deployment', async (argument?: { deployment?: DeploymentRef }) => {
    const deployment = await deploymentFor(host, argument, false);
    if (!deployment) return undefined;
    if (!(await confirmAction(host, `Mark the deployment of ${deployment.jobId} as failed?`, deployment.namespace, `Deployment ${deployment.id.slice(0, 8)} stops; if the job's update block says auto_revert, Nomad rolls back to the last stable version.`, 'Fail Deployment', { action: 'fail', namespace: deployment.namespace }))) return undefined;
    try {
      const store = await host.ready();
      const answer = await store.nomad.api.failDeployment(deployment.id, deployment.namespace);
      const reverted = typeof answer.RevertedJobVersion === 'number' ? `; rolled back to v${answer.RevertedJobVersion}` : '';
      log.info(`Failed deployment ${deployment.id} of ${deployment.jobId} on "${host.activeProfile.name}"${reverted}`);
      void vscode.window.showInformationMessage(`Hashistack: the deployment of ${deployment.jobId} on "${host.activeProfile.name}" is marked failed${reverted}.`);
      return answer;
    } catch (error) {
      reportActionError(`Failing ${deployment.jobId}'s deployment`, error, 'submit-job', deployment.namespace);
      return undefined;
    }
  });
}
