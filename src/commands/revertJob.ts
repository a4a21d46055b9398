import * as vscode from 'vscode';
import { sameJobDefinition } from '../core/nomad/jobActions';
import { itemNamespace } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { RolloutFollower } from '../services/rolloutFollower';
import { confirmAction, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

interface RevertArgument {
  job?: { id: string; namespace: string };
  version?: number;
  /** A version's row in the explorer. */
  jobVersion?: number;
  /** The version the job must still be at (EnforcePriorVersion): someone else's deploy in between wins. */
  priorVersion?: number;
}

/** Revert a job to an earlier version (`POST /v1/job/:id/revert` with EnforcePriorVersion). */
export function registerRevertJob(host: ClusterStoreHost, follower: RolloutFollower, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.revertJob', 'Reverting a job', async (argument?: RevertArgument) => {
    const store = await host.ready();
    const data = store.nomad.state.data;
    let job = argument?.job;
    if (!job) {
      const jobs = (data?.jobs ?? []).filter((candidate) => (candidate.Version ?? 0) > 0);
      const picked = await vscode.window.showQuickPick(
        jobs.map((candidate) => ({ label: candidate.ID, description: `job version ${candidate.Version} · ${candidate.Status}`, job: { id: candidate.ID, namespace: itemNamespace(candidate.Namespace, data!.namespace) } })),
        { title: `Revert which job on "${host.activeProfile.name}"?` },
      );
      job = picked?.job;
    }
    if (!job) return undefined;
    const stub = data?.jobs.find((candidate) => candidate.ID === job.id && itemNamespace(candidate.Namespace, data.namespace) === job.namespace);
    const current = stub?.Version;
    const prior = argument?.priorVersion ?? current;
    let version = argument?.version ?? argument?.jobVersion;
    if (version === undefined) {
      const picked = await vscode.window.showQuickPick(
        Array.from({ length: Math.max(0, current ?? 0) }, (_, index) => (current ?? 0) - 1 - index).map((candidate) => ({ label: `job version ${candidate}`, version: candidate })),
        { title: `Revert ${job.id} (now job version ${current ?? '?'}) to which version?` },
      );
      version = picked?.version;
    }
    if (version === undefined) return undefined;
    // A version that defines the same job as the current one: reverting changes nothing in the tasks, yet
    // Nomad registers a new version and rolls it out again (canaries included). Said before anything is sent.
    const versions = await store.nomad.api.jobVersions(job.id, job.namespace).catch(() => undefined);
    const target = versions?.Versions.find((candidate) => candidate.Version === version);
    const now = versions?.Versions.find((candidate) => candidate.Version === current);
    if (target && now && version !== current && sameJobDefinition(target, now)) {
      if (!(await confirmAction(host, `Job version ${version} of ${job.id} is the same as job version ${current}, which is current: revert anyway?`, job.namespace, `Nothing would change in its tasks (the plan is empty), but Nomad would register it as a new version and roll it out again, replacing the allocations${prior !== undefined ? `, only if the job is still at job version ${prior}` : ''}.`, 'Revert Anyway', { action: 'revert', namespace: job.namespace }))) return undefined;
    } else if (!(await confirmAction(host, `Revert ${job.id} to job version ${version}?`, job.namespace, `Nomad registers version ${version}'s definition again as a new version${prior !== undefined ? `, only if the job is still at job version ${prior}` : ''}, and rolls it out.`, 'Revert', { action: 'revert', namespace: job.namespace }))) return undefined;
    try {
      const answer = await store.nomad.api.revertJob(job.id, job.namespace, version, prior);
      log.info(`Reverted ${job.id} on "${host.activeProfile.name}" to v${version} (evaluation ${answer.EvalID})`);
      // The revert is a new version with its own rollout: followed like a deploy.
      follower.follow({ jobId: job.id, namespace: job.namespace, baselineJobModifyIndex: stub?.JobModifyIndex });
      return answer;
    } catch (error) {
      reportActionError(`Reverting ${job.id}`, error, 'submit-job', job.namespace);
      return undefined;
    }
  });
}
