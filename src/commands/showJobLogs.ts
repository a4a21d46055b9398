import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { LogViews } from '../views/logViews';
import { jobFor } from './allocationTarget';

/** Show Logs of All Allocations: a job's running allocations merged in one view, prefixed and coloured. */
export function registerShowJobLogs(host: ClusterStoreHost, logs: LogViews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.showJobLogs', async (argument?: { job?: { id: string; namespace: string } }, type?: 'stdout' | 'stderr') => {
    const job = await jobFor(host, argument, 'show the logs of', (candidate) => candidate.Status === 'running');
    if (!job) return undefined;
    return logs.showJob(job, type);
  });
}
