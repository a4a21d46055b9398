import * as vscode from 'vscode';
import { itemNamespace } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';

export interface AllocationRef {
  id: string;
  jobId: string;
  namespace: string;
  group: string;
  task?: string;
  running: boolean;
}

/** The allocation a command acts on: the row's, else one picked among those the store holds (`runningOnly`: running ones). */
export async function allocationFor(host: ClusterStoreHost, argument: { allocation?: AllocationRef } | undefined, runningOnly: boolean): Promise<AllocationRef | undefined> {
  if (argument?.allocation) return argument.allocation;
  const data = (await host.ready()).nomad.state.data;
  const candidates = (data?.allocations ?? []).filter((allocation) => allocation.DesiredStatus === 'run' && (!runningOnly || allocation.ClientStatus === 'running'));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`Hashistack: no allocation on "${host.activeProfile.name}" ${runningOnly ? 'is running' : 'is wanted running'}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((allocation) => ({
      label: `${allocation.JobID} · ${allocation.ID.slice(0, 8)}`,
      description: `${allocation.ClientStatus} · ${allocation.NodeName} · v${allocation.JobVersion}`,
      detail: allocation.Name,
      allocation: { id: allocation.ID, jobId: allocation.JobID, namespace: itemNamespace(allocation.Namespace, data!.namespace), group: allocation.TaskGroup, running: allocation.ClientStatus === 'running' },
    })),
    { title: `Allocations on "${host.activeProfile.name}"`, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.allocation;
}

/** The job a command acts on: the row's, else one picked among the store's jobs that pass `filter`. */
export async function jobFor(host: ClusterStoreHost, argument: { job?: { id: string; namespace: string } } | undefined, what: string, filter: (job: { Periodic?: boolean; ParameterizedJob?: boolean; Stop?: boolean; Status: string }) => boolean = () => true): Promise<{ id: string; namespace: string } | undefined> {
  if (argument?.job) return argument.job;
  const data = (await host.ready()).nomad.state.data;
  const jobs = (data?.jobs ?? []).filter(filter);
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage(`Hashistack: no job on "${host.activeProfile.name}" to ${what}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    jobs.map((job) => ({ label: job.ID, description: `${job.Type} · ${job.Status}${job.Version !== undefined ? ` · v${job.Version}` : ''}`, job: { id: job.ID, namespace: itemNamespace(job.Namespace, data!.namespace) } })),
    { title: `Which job to ${what} on "${host.activeProfile.name}"?` },
  );
  return picked?.job;
}
