// A job's actions (Nomad 1.7+): the `action` blocks of its tasks, as the job's definition carries them
// (`TaskGroups[].Tasks[].Actions[]`: `Name`, `Command`, `Args`), and where one may run.
import type { ExecEnd } from './execStream';
import { NomadAllocationListStub } from './nomadApi';

export interface TaskAction {
  group: string;
  task: string;
  name: string;
  command: string;
  args: string[];
}

/** Every action of a job definition (a submitted job, or the version an allocation runs), in the file's order. */
export function jobTaskActions(definition: unknown): TaskAction[] {
  const actions: TaskAction[] = [];
  const groups = (definition as { TaskGroups?: unknown } | null | undefined)?.TaskGroups;
  if (!Array.isArray(groups)) return actions;
  for (const group of groups as { Name?: unknown; Tasks?: unknown }[]) {
    if (!Array.isArray(group?.Tasks) || typeof group.Name !== 'string') continue;
    for (const task of group.Tasks as { Name?: unknown; Actions?: unknown }[]) {
      if (!Array.isArray(task?.Actions) || typeof task.Name !== 'string') continue;
      for (const action of task.Actions as { Name?: unknown; Command?: unknown; Args?: unknown }[]) {
        if (typeof action?.Name !== 'string' || typeof action.Command !== 'string') continue;
        const args = Array.isArray(action.Args) ? action.Args.filter((arg): arg is string => typeof arg === 'string') : [];
        actions.push({ group: group.Name, task: task.Name, name: action.Name, command: action.Command, args });
      }
    }
  }
  return actions;
}

/** The actions of one task of a definition. */
export function taskActionsOf(definition: unknown, group: string, task: string): TaskAction[] {
  return jobTaskActions(definition).filter((action) => action.group === group && action.task === task);
}

/**
 * What an action runs, as a line to read (never to run): words with spaces or quotes are single-quoted the way
 * a POSIX shell would read them back, so `sh -c 'curl -s localhost:8080/ping'` shows its boundaries.
 */
export function actionCommandLine(action: Pick<TaskAction, 'command' | 'args'>): string {
  return [action.command, ...action.args].map((word) => (word === '' || /[^\w@%+=:,./-]/.test(word) ? `'${word.replace(/'/g, `'\\''`)}'` : word)).join(' ');
}

/** The allocations an action can run in: the job's running ones of the action's group (Nomad execs only there). */
export function actionAllocations(allocations: readonly NomadAllocationListStub[], jobId: string, namespace: string, group: string, defaultNamespace: string): NomadAllocationListStub[] {
  return allocations
    .filter((allocation) => allocation.JobID === jobId && (allocation.Namespace || defaultNamespace) === namespace && allocation.TaskGroup === group && allocation.ClientStatus === 'running' && allocation.DesiredStatus === 'run')
    .sort((a, b) => a.Name.localeCompare(b.Name, undefined, { numeric: true }) || a.ID.localeCompare(b.ID));
}

/** How a run of an action in one allocation ended, in words; a refusal names the capability the token lacks. */
export function actionEndWords(end: ExecEnd, namespace: string, stoppedBecause?: string): string {
  switch (end.kind) {
    case 'exited':
      return `exited with code ${end.exitCode}`;
    case 'stopped':
      return `stopped${stoppedBecause ? `: ${stoppedBecause}` : ''}`;
    case 'failed':
      return end.error.kind === 'forbidden'
        ? `Nomad refused: ${end.error.reason} — the token needs "alloc-exec" in namespace "${namespace}" ("alloc-node-exec" for a task without filesystem isolation, such as raw_exec)`
        : end.error.message;
  }
}
