import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { jobFor } from './allocationTarget';
import { confirmAction, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** Run a periodic job now, outside its schedule (`POST /v1/job/:id/periodic/force`). */
export function registerForcePeriodicJob(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.forcePeriodicJob', 'Running a periodic job now', async (argument?: { job?: { id: string; namespace: string } }) => {
    const job = await jobFor(host, argument, 'run now', (candidate) => Boolean(candidate.Periodic) && !candidate.Stop);
    if (!job) return undefined;
    if (!(await confirmAction(host, `Run periodic job ${job.id} now?`, job.namespace, 'Nomad launches one instance at once, besides its schedule.', 'Run Now', { action: 'force', namespace: job.namespace }))) return undefined;
    try {
      const answer = await (await host.ready()).nomad.api.forcePeriodic(job.id, job.namespace);
      log.info(`Forced a run of ${job.id} on "${host.activeProfile.name}" (evaluation ${answer.EvalID})`);
      void vscode.window.showInformationMessage(`Hashistack: ${job.id} launched (evaluation ${answer.EvalID.slice(0, 8)}).`);
      return answer;
    } catch (error) {
      reportActionError(`Running ${job.id}`, error, 'submit-job', job.namespace);
      return undefined;
    }
  });
}
