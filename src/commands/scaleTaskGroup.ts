import * as vscode from 'vscode';
import { scaleCountProblem, scalingBounds } from '../core/nomad/jobActions';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { jobFor } from './allocationTarget';
import { confirmAction, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** Scale a task group (`POST /v1/job/:id/scale`): its current count shown, its scaling policy's bounds kept. */
export function registerScaleTaskGroup(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.scaleTaskGroup', 'Scaling a task group', async (argument?: { job?: { id: string; namespace: string } }, preset?: { group: string; count: number }) => {
    const job = await jobFor(host, argument, 'scale', (candidate) => !candidate.Stop && candidate.Status !== 'dead');
    if (!job) return undefined;
    const store = await host.ready();
    try {
      const [status, definition] = await Promise.all([store.nomad.api.jobScaleStatus(job.id, job.namespace), store.nomad.api.job(job.id, job.namespace)]);
      const groups = Object.entries(status.TaskGroups ?? {});
      if (groups.length === 0) {
        void vscode.window.showInformationMessage(`Hashistack: ${job.id} has no task group to scale.`);
        return undefined;
      }
      const group = preset?.group ?? (groups.length === 1 ? groups[0]![0] : (await vscode.window.showQuickPick(groups.map(([name, counts]) => ({ label: name, description: `${counts.Desired} desired · ${counts.Running} running` })), { title: `Scale which group of ${job.id}?` }))?.label);
      if (!group) return undefined;
      const current = status.TaskGroups?.[group]?.Desired ?? 0;
      const bounds = scalingBounds(definition, group);
      const range = bounds.min !== undefined || bounds.max !== undefined ? ` (scaling policy: ${bounds.min ?? 0}–${bounds.max ?? '∞'})` : '';
      const text = preset ? String(preset.count) : await vscode.window.showInputBox({ title: `Scale ${job.id} / ${group} on "${host.activeProfile.name}"`, prompt: `Now ${current}${range}. The new count:`, value: String(current), validateInput: (value) => scaleCountProblem(value, bounds) });
      if (text === undefined) return undefined;
      const problem = scaleCountProblem(text, bounds);
      if (problem) {
        void vscode.window.showErrorMessage(`Hashistack: not scaled: ${problem}`);
        return undefined;
      }
      const count = Number(text.trim());
      if (count === current) return undefined;
      if (!(await confirmAction(host, `Scale ${job.id} / ${group} from ${current} to ${count}?`, job.namespace, count < current ? `${current - count} allocation(s) stop.` : `${count - current} allocation(s) are placed.`, 'Scale', { action: 'scale', namespace: job.namespace }))) return undefined;
      const answer = await store.nomad.api.scaleTaskGroup(job.id, job.namespace, group, count, `Scaled from VS Code (Hashistack) from ${current} to ${count}`);
      log.info(`Scaled ${job.id}/${group} on "${host.activeProfile.name}" from ${current} to ${count}${answer.EvalID ? ` (evaluation ${answer.EvalID})` : ''}`);
      void vscode.window.showInformationMessage(`Hashistack: ${job.id} / ${group} is scaling to ${count}.`);
      return answer;
    } catch (error) {
      reportActionError(`Scaling ${job.id}`, error, 'scale-job', job.namespace);
      return undefined;
    }
  });
}
