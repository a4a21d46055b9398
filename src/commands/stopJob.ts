import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { jobFor } from './allocationTarget';
import { refuseLacking, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** Stop a job (`DELETE /v1/job/:id`), or stop and purge it (`?purge=true`: Nomad forgets it at once). */
export function registerStopJob(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.stopJob', 'Stopping a job', async (argument?: { job?: { id: string; namespace: string } }) => {
    const job = await jobFor(host, argument, 'stop', (candidate) => !candidate.Stop && candidate.Status !== 'dead');
    if (!job) return undefined;
    if (refuseLacking(host, 'Stop Job', { action: 'stopJob', namespace: job.namespace })) return undefined;
    const picked = await vscode.window.showWarningMessage(
      `Stop job ${job.id}?`,
      { modal: true, detail: `Cluster "${host.activeProfile.name}" · namespace ${job.namespace}\n\nEvery allocation of the job stops. Stop and Purge also removes the job and its history from Nomad (no revert afterwards).` },
      'Stop Job',
      'Stop and Purge',
    );
    if (picked !== 'Stop Job' && picked !== 'Stop and Purge') return undefined;
    try {
      const answer = await (await host.ready()).nomad.api.stopJob(job.id, job.namespace, picked === 'Stop and Purge');
      log.info(`${picked} ${job.id} on "${host.activeProfile.name}" (evaluation ${answer.EvalID})`);
      void vscode.window.showInformationMessage(`Hashistack: ${job.id} on "${host.activeProfile.name}" is stopping${picked === 'Stop and Purge' ? ' and purged' : ''}.`);
      return answer;
    } catch (error) {
      reportActionError(`Stopping ${job.id}`, error, 'submit-job', job.namespace);
      return undefined;
    }
  });
}
