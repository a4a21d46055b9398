import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { allocationFor, AllocationRef } from './allocationTarget';
import { confirmAction, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** Restart an allocation's tasks in place (`POST /v1/client/allocation/:id/restart`): one task (a task's row), or all. */
export function registerRestartAllocation(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.restartAllocation', 'Restarting an allocation', async (argument?: { allocation?: AllocationRef }) => {
    const allocation = await allocationFor(host, argument, true);
    if (!allocation) return undefined;
    let task: { name: string } | 'all' = allocation.task ? { name: allocation.task } : 'all';
    if (!allocation.task) {
      const store = await host.ready();
      const tasks = Object.keys((await store.nomad.allocation(allocation.id).catch(() => undefined))?.TaskStates ?? {});
      if (tasks.length > 1) {
        const picked = await vscode.window.showQuickPick([{ label: 'All tasks', task: 'all' as const }, ...tasks.map((name) => ({ label: name, task: { name } }))], { title: `Restart which tasks of ${allocation.id.slice(0, 8)}?` });
        if (!picked) return undefined;
        task = picked.task;
      }
    }
    const what = task === 'all' ? 'every task' : `task "${task.name}"`;
    if (!(await confirmAction(host, `Restart ${what} of allocation ${allocation.id.slice(0, 8)} (${allocation.jobId})?`, allocation.namespace, 'The tasks restart in place, on the same node; the allocation keeps its ID.', 'Restart'))) return undefined;
    try {
      await (await host.ready()).nomad.api.restartAllocation(allocation.id, task);
      log.info(`Restarted ${what} of allocation ${allocation.id} (${allocation.jobId}) on "${host.activeProfile.name}"`);
      void vscode.window.showInformationMessage(`Hashistack: restarting ${what} of ${allocation.id.slice(0, 8)} (${allocation.jobId}).`);
      return true;
    } catch (error) {
      reportActionError(`Restarting ${allocation.id.slice(0, 8)}`, error, 'alloc-lifecycle', allocation.namespace);
      return undefined;
    }
  });
}
