import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { LogViews } from '../views/logViews';
import { allocationFor, AllocationRef } from './allocationTarget';

/** The task an allocation command acts on: the task row's, the only one, or one picked. */
export async function taskOf(host: ClusterStoreHost, allocation: AllocationRef, what: string): Promise<string | undefined> {
  if (allocation.task) return allocation.task;
  const store = await host.ready();
  const tasks = Object.keys((await store.nomad.allocation(allocation.id).catch(() => undefined))?.TaskStates ?? {}).sort();
  if (tasks.length === 0) return allocation.group;
  if (tasks.length === 1) return tasks[0];
  return vscode.window.showQuickPick(tasks, { title: `${what} of which task of ${allocation.id.slice(0, 8)}?` });
}

/** Show Logs: one task's log, followed (`/v1/client/fs/logs/:alloc`), from an allocation or task row, or the palette. */
export function registerShowLogs(host: ClusterStoreHost, logs: LogViews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.showLogs', async (argument?: { allocation?: AllocationRef }, type?: 'stdout' | 'stderr') => {
    const allocation = await allocationFor(host, argument, false);
    if (!allocation) return undefined;
    const task = await taskOf(host, allocation, 'Logs');
    if (!task) return undefined;
    return logs.showTask({ id: allocation.id, jobId: allocation.jobId, namespace: allocation.namespace, task }, type);
  });
}
