import * as vscode from 'vscode';
import { restartMarks, restartProgress } from '../core/nomad/restartFollow';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { allocationFor, AllocationRef } from './allocationTarget';
import { confirmAction, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** How long a restart is followed; past it the notification says where the tasks still are. */
const RESTART_FOLLOW_LIMIT_MS = 2 * 60_000;

/**
 * Restart an allocation's tasks in place (`POST /v1/client/allocation/:id/restart`): one task (a task's row),
 * or all. The notification follows the restart to its end from the store's updates of the allocation: the
 * tasks running again, or why not.
 */
export function registerRestartAllocation(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.restartAllocation', 'Restarting an allocation', async (argument?: { allocation?: AllocationRef }) => {
    const allocation = await allocationFor(host, argument, true);
    if (!allocation) return undefined;
    const store = await host.ready();
    const read = await store.nomad.allocation(allocation.id).catch(() => undefined);
    let task: { name: string } | 'all' = allocation.task ? { name: allocation.task } : 'all';
    if (!allocation.task) {
      const tasks = Object.keys(read?.TaskStates ?? {});
      if (tasks.length > 1) {
        const picked = await vscode.window.showQuickPick([{ label: 'All tasks', task: 'all' as const }, ...tasks.map((name) => ({ label: name, task: { name } }))], { title: `Restart which tasks of ${allocation.id.slice(0, 8)}?` });
        if (!picked) return undefined;
        task = picked.task;
      }
    }
    const what = task === 'all' ? 'every task' : `task "${task.name}"`;
    const short = `${allocation.id.slice(0, 8)} (${allocation.jobId})`;
    if (!(await confirmAction(host, `Restart ${what} of allocation ${allocation.id.slice(0, 8)} (${allocation.jobId})?`, allocation.namespace, 'The tasks restart in place, on the same node; the allocation keeps its ID.', 'Restart', { action: 'lifecycle', namespace: allocation.namespace }))) return undefined;
    try {
      await store.nomad.api.restartAllocation(allocation.id, task);
    } catch (error) {
      reportActionError(`Restarting ${allocation.id.slice(0, 8)}`, error, 'alloc-lifecycle', allocation.namespace);
      return undefined;
    }
    log.info(`Restarted ${what} of allocation ${allocation.id} (${allocation.jobId}) on "${host.activeProfile.name}"`);
    const marks = restartMarks(read?.TaskStates);
    const tasks = task === 'all' ? undefined : [task.name];
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Restarting ${what} of ${short}` }, (progress) => followRestart(host, allocation.id, marks, tasks, (words) => progress.report({ message: words })));
    if (outcome.phase === 'running') void vscode.window.showInformationMessage(`Hashistack: ${short} restarted: ${outcome.words}.`);
    else void vscode.window.showWarningMessage(`Hashistack: ${short} ${outcome.phase === 'failed' ? 'failed to restart' : 'has not finished restarting'}: ${outcome.words}.`);
    log.info(`Restart of ${allocation.id}: ${outcome.phase} — ${outcome.words}`);
    return outcome.phase === 'running';
  });
}

/**
 * Reads the allocation each time the store sees it change (never on a timer) until its tasks run again,
 * fail, or the follow's limit passes; a store replaced meanwhile (another profile) ends the follow.
 */
function followRestart(host: ClusterStoreHost, allocationId: string, marks: Record<string, string>, tasks: string[] | undefined, report: (words: string) => void): Promise<{ phase: 'running' | 'failed' | 'restarting'; words: string }> {
  const store = host.store!;
  return new Promise((resolve) => {
    let seenIndex = -1;
    let last = { phase: 'restarting' as 'running' | 'failed' | 'restarting', words: 'waiting for the tasks to restart' };
    let reading = false;
    const finish = (result: typeof last) => {
      subscriptions.forEach((subscription) => subscription.dispose());
      clearTimeout(timer);
      resolve(result);
    };
    const check = async () => {
      const stub = store.nomad.state.data?.allocations.find((candidate) => candidate.ID === allocationId);
      if (reading || (stub && stub.ModifyIndex === seenIndex)) return;
      reading = true;
      seenIndex = stub?.ModifyIndex ?? seenIndex;
      try {
        last = restartProgress(marks, await store.nomad.allocation(allocationId), tasks);
        report(last.words);
        if (last.phase !== 'restarting') finish(last);
      } catch (error) {
        finish({ phase: 'failed', words: `the allocation could not be read: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        reading = false;
        // A change that came while reading is read now: the last one may be the one that ends the restart.
        const now = store.nomad.state.data?.allocations.find((candidate) => candidate.ID === allocationId)?.ModifyIndex;
        if (now !== undefined && now !== seenIndex && last.phase === 'restarting') void check();
      }
    };
    const timer = setTimeout(() => finish({ phase: 'restarting', words: `after ${RESTART_FOLLOW_LIMIT_MS / 60_000} minutes, ${last.words}` }), RESTART_FOLLOW_LIMIT_MS);
    const subscriptions = [
      host.onDidChange((change) => {
        if (change.section === 'nomad') void check();
      }),
      host.onWillReplaceStore(() => finish({ phase: 'restarting', words: 'no longer followed: the cluster profile was switched, or its token changed' })),
    ];
    void check();
  });
}
