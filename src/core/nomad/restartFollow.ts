// Following a restart to its end: `POST /v1/client/allocation/:id/restart` answers at once, and the tasks
// restart after it. A task has restarted when its LastRestart moved past the one read before the request
// (the cluster's own clock on both sides) and it runs again; it failed to when it is dead or failed since.
import { allocationFailureReason, taskEventMessage } from '../tree/nomad/allocationTasks';
import { NomadAllocation, NomadTaskState } from './nomadApi';

export type RestartPhase = 'restarting' | 'running' | 'failed';

export interface RestartProgress {
  phase: RestartPhase;
  /** In words: `task "web" runs again`, `task "web": Exit Code: 1`. */
  words: string;
}

/** The tasks' LastRestart before the request: what "restarted since" is measured against. */
export function restartMarks(taskStates: Record<string, NomadTaskState> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(taskStates ?? {}).map(([task, state]) => [task, state.LastRestart ?? '']));
}

/** Where the restart of `tasks` (undefined: every task) of an allocation is, from a fresh read of it. */
export function restartProgress(before: Record<string, string>, after: NomadAllocation, tasks?: readonly string[]): RestartProgress {
  const states = after.TaskStates ?? {};
  const names = (tasks ?? Object.keys(before)).filter((task) => states[task] !== undefined);
  if (names.length === 0) return { phase: 'failed', words: `the allocation has none of the tasks ${(tasks ?? []).join(', ') || 'it had'} any more` };
  const restarted = (task: string) => {
    const last = states[task]!.LastRestart ?? '';
    return last !== '' && !last.startsWith('0001') && last !== before[task];
  };
  for (const task of names) {
    const state = states[task]!;
    if (state.Failed || (state.State === 'dead' && restarted(task)) || after.ClientStatus === 'failed' || after.ClientStatus === 'lost') {
      return { phase: 'failed', words: `task "${task}" did not come back: ${allocationFailureReason({ [task]: state }) ?? lastEvent(state) ?? state.State}` };
    }
  }
  const pending = names.filter((task) => !restarted(task) || states[task]!.State !== 'running');
  if (pending.length > 0) return { phase: 'restarting', words: `${pending.map((task) => `task "${task}": ${lastEvent(states[task]!) ?? states[task]!.State}`).join('; ')}` };
  return { phase: 'running', words: `${names.length === 1 ? `task "${names[0]}" runs` : `tasks ${names.map((task) => `"${task}"`).join(', ')} run`} again` };
}

function lastEvent(state: NomadTaskState): string | undefined {
  const event = [...(state.Events ?? [])].sort((a, b) => b.Time - a.Time)[0];
  if (!event) return undefined;
  const message = taskEventMessage(event);
  return message && message !== event.Type ? `${event.Type}: ${message}` : event.Type;
}
