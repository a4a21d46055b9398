import * as vscode from 'vscode';
import type { NomadJob } from '../core/nomad/nomadApi';
import { actionAllocations, actionCommandLine, jobTaskActions, TaskAction } from '../core/nomad/taskActions';
import { itemNamespace } from '../core/tree/nomad/nomadProperties';
import { ActionRuns } from '../services/actionRuns';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { AllocationRef, jobFor } from './allocationTarget';
import { confirmAction, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** What Run Action is called with: a task's action row, a job's row, or a jobspec's `action` block lens. */
interface RunActionArgument {
  allocation?: AllocationRef;
  taskAction?: { name: string; command: string };
  /** A job's row. */
  job?: { id: string; namespace: string };
  action?: { jobId: string; namespace: string; group: string; task: string; name: string };
}

/**
 * Run Action (Nomad 1.7+): a job's `action` in one running allocation, or in each in turn, its output in a
 * terminal. From a task's action row (that allocation), a jobspec lens or the palette (pick the job, the
 * action, the allocations). A modal names the cluster, the allocations and the command before anything is sent.
 */
export function registerRunAction(host: ClusterStoreHost, runs: ActionRuns): vscode.Disposable {
  return registerTrustedCommand('hashistack.runAction', 'Running an action', async (argument?: RunActionArgument) => {
    const store = await host.ready();
    const data = store.nomad.state.data;
    // `definitionVersion`: the job's current version, read for the palette's pick (an allocation on an older one runs
    // that one's action; a row's action is already the one of its allocation's version).
    let target: { jobId: string; namespace: string; action: Omit<TaskAction, 'args' | 'command'>; command: string; allocations: { id: string; name: string; version?: number }[]; definitionVersion?: number } | undefined;
    if (argument?.allocation?.task && argument.taskAction) {
      // A row's action: the allocation's own version is what it runs (the row read it from that version).
      const allocation = argument.allocation;
      if (!allocation.running) {
        void vscode.window.showInformationMessage(`Hashistack: task "${allocation.task}" of ${allocation.id.slice(0, 8)} is not running; an action runs only in a running task.`);
        return undefined;
      }
      const stub = data?.allocations.find((candidate) => candidate.ID === allocation.id);
      target = {
        jobId: allocation.jobId,
        namespace: allocation.namespace,
        action: { group: allocation.group, task: allocation.task!, name: argument.taskAction.name },
        command: argument.taskAction.command,
        allocations: [{ id: allocation.id, name: stub?.Name ?? allocation.id.slice(0, 8) }],
      };
    } else {
      const job = argument?.action ? { id: argument.action.jobId, namespace: argument.action.namespace } : await jobFor(host, argument, 'run an action of', (candidate) => candidate.Status === 'running');
      if (!job) return undefined;
      let definition: NomadJob;
      try {
        definition = await store.nomad.readJobDefinition(job.namespace, job.id);
      } catch (error) {
        reportActionError(`Reading job ${job.id}`, error, 'read-job', job.namespace);
        return undefined;
      }
      const actions = jobTaskActions(definition);
      let action = argument?.action ? actions.find((candidate) => candidate.group === argument.action!.group && candidate.task === argument.action!.task && candidate.name === argument.action!.name) : undefined;
      if (argument?.action && !action) {
        void vscode.window.showWarningMessage(`Hashistack: job ${job.id} on "${host.activeProfile.name}" has no action "${argument.action.name}" in task "${argument.action.task}" — deploy the jobspec first (the running version decides which actions exist).`);
        return undefined;
      }
      if (!action) {
        if (actions.length === 0) {
          void vscode.window.showInformationMessage(`Hashistack: job ${job.id} on "${host.activeProfile.name}" declares no action (an \`action "<name>" { command = … }\` block in a task, Nomad 1.7+).`);
          return undefined;
        }
        const picked = await vscode.window.showQuickPick(
          actions.map((candidate) => ({ label: candidate.name, description: `${candidate.group} › ${candidate.task}`, detail: actionCommandLine(candidate), action: candidate })),
          { title: `Which action of ${job.id} on "${host.activeProfile.name}"?`, matchOnDescription: true },
        );
        if (!picked) return undefined;
        action = picked.action;
      }
      const running = actionAllocations(data?.allocations ?? [], job.id, job.namespace, action.group, data?.namespace ?? 'default');
      if (running.length === 0) {
        void vscode.window.showInformationMessage(`Hashistack: no allocation of group "${action.group}" of ${job.id} is running on "${host.activeProfile.name}"; an action runs only in a running task.`);
        return undefined;
      }
      let chosen = running;
      if (running.length > 1) {
        const picked = await vscode.window.showQuickPick(
          [
            { label: `All ${running.length}, in turn`, description: running.map((allocation) => allocation.ID.slice(0, 8)).join(', '), allocations: running },
            ...running.map((allocation) => ({ label: allocation.Name, description: `${allocation.ID.slice(0, 8)} · ${allocation.NodeName} · v${allocation.JobVersion}`, allocations: [allocation] })),
          ],
          { title: `Run "${action.name}" in which allocation of ${job.id}?` },
        );
        if (!picked) return undefined;
        chosen = picked.allocations;
      }
      target = { jobId: job.id, namespace: itemNamespace(job.namespace, data?.namespace ?? 'default'), action, command: actionCommandLine(action), allocations: chosen.map((allocation) => ({ id: allocation.ID, name: allocation.Name, version: allocation.JobVersion })), definitionVersion: definition.Version };
    }
    const { action, allocations, command } = target;
    const where = allocations.length === 1 ? `allocation ${allocations[0]!.id.slice(0, 8)} (${allocations[0]!.name})` : `${allocations.length} allocations of ${target.jobId}.${action.group}, one after the other`;
    const { definitionVersion } = target;
    const older = allocations.filter((allocation) => allocation.version !== undefined && definitionVersion !== undefined && allocation.version !== definitionVersion);
    const versionNote = older.length > 0 ? `\n${older.map((allocation) => allocation.id.slice(0, 8)).join(', ')} run${older.length === 1 ? 's' : ''} an older version of the job (v${older[0]!.version}): Nomad runs that version's action.` : '';
    if (!(await confirmAction(host, `Run action "${action.name}" in ${where}?`, target.namespace, `Task ${action.task} runs: ${command}${versionNote}\n\nThe output goes to a terminal; closing it stops the action.`, 'Run', { action: 'exec', namespace: target.namespace }))) return undefined;
    return runs.run({ jobId: target.jobId, namespace: target.namespace, group: action.group, task: action.task, action: action.name, command, allocations });
  });
}
