// Inside an allocation: its tasks with their state and last event, each task's events, and the reason a
// failed or restarting allocation gives, in words, from `GET /v1/allocation/:id` (or an event's payload).
import { NomadAllocation, NomadTaskEvent, NomadTaskState, NomadAllocationStats } from '../../nomad/nomadApi';
import { formatAge, nanosecondsToDate } from '../../nomad/nomadTime';
import { actionCommandLine, taskActionsOf } from '../../nomad/taskActions';
import { ExplorerNode, HEALTH_COLORS, HEALTH_ICONS, infoNode, NodeIcon, own } from '../explorerNode';

/**
 * Nomad writes names into messages with Go's %q (`healthcheck: check "service: \"web\" check" unhealthy`):
 * a quoted string with escapes inside is shown unescaped between typographic quotes, so it reads as the
 * name it is (`check “service: "web" check” unhealthy`). Quoted strings without escapes stay as written.
 */
export function readableQuotes(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.)*\\.(?:[^"\\]|\\.)*)"/g, (whole, inner: string) => {
    try {
      return `“${JSON.parse(`"${inner}"`) as string}”`;
    } catch {
      return whole;
    }
  });
}

/** What an event says, whichever Nomad version wrote it (DisplayMessage, else the field its type fills). */
export function taskEventMessage(event: NomadTaskEvent): string {
  const details = event.Details ?? {};
  const fromFields = event.DriverError || event.DownloadError || event.SetupError || event.ValidationError || event.KillError || event.KillReason || event.RestartReason || event.Message || event.DriverMessage;
  if (event.DisplayMessage) return readableQuotes(event.DisplayMessage);
  if (fromFields) return readableQuotes(fromFields);
  if (event.Type === 'Terminated') return `Exit Code: ${event.ExitCode ?? details.exit_code ?? '?'}`;
  return '';
}

const FAILING_TYPES = new Set(['Terminated', 'Driver Failure', 'Failed Validation', 'Setup Failure', 'Failed Artifact Download', 'Killing', 'Not Restarting', 'Restart Signaled', 'Task hook failed', 'Sibling Task Failed']);
/**
 * Events that follow a failure rather than cause it: Nomad gives up restarting (`Not Restarting`), kills
 * the task (`Killing`) or its siblings. The reason named is the cause when there is one.
 */
const CONSEQUENCE_TYPES = new Set(['Not Restarting', 'Killing', 'Sibling Task Failed']);

/**
 * Why an allocation failed or restarts, in a few words, from its tasks' newest failing event that caused
 * it (an exit, an OOM kill, a driver failure, a failed check) rather than what followed:
 * `Exit Code: 137 · OOM Killed`, `Driver Failure: failed to pull image "…"`. Undefined when nothing failed.
 */
export function allocationFailureReason(taskStates: Record<string, NomadTaskState> | null | undefined): string | undefined {
  const event = allocationFailureEvent(taskStates);
  if (!event) return undefined;
  if (event.Type === 'Terminated') {
    const oom = event.Details?.oom_killed === 'true' || /oom/i.test(event.Message ?? '');
    return `Exit Code: ${event.ExitCode ?? event.Details?.exit_code ?? '?'}${oom ? ' · OOM Killed' : ''}`;
  }
  const message = taskEventMessage(event);
  return message && message !== event.Type ? `${event.Type}: ${message}` : event.Type;
}

/** The task event an allocation's failure reason is told from (the newest cause, else the newest consequence). */
export function allocationFailureEvent(taskStates: Record<string, NomadTaskState> | null | undefined): NomadTaskEvent | undefined {
  let newest: { event: NomadTaskEvent; cause: boolean } | undefined;
  for (const state of Object.values(taskStates ?? {})) {
    for (const event of state.Events ?? []) {
      const failing = FAILING_TYPES.has(event.Type) && (event.Type !== 'Terminated' || (event.ExitCode ?? Number(event.Details?.exit_code ?? 0)) !== 0 || event.Details?.oom_killed === 'true');
      if (!failing) continue;
      const cause = !CONSEQUENCE_TYPES.has(event.Type);
      if (!newest || (cause && !newest.cause) || (cause === newest.cause && event.Time >= newest.event.Time)) newest = { event, cause };
    }
  }
  return newest?.event;
}

const TASK_ICONS: Record<string, NodeIcon> = {
  running: HEALTH_ICONS.passing,
  pending: { id: 'clock', color: HEALTH_COLORS.warning },
  dead: HEALTH_ICONS.neutral,
};

/**
 * The rows under an allocation: one per task (state, restarts, last event), each with the actions of the job's
 * version the allocation runs (Run Action while the task runs), then its events, newest first.
 */
export function allocationTaskNodes(allocation: NomadAllocation, now: number): ExplorerNode[] {
  const tasks = Object.entries(allocation.TaskStates ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (tasks.length === 0) return [infoNode(`nomad/allocation/${allocation.ID}/none`, 'No task has started yet')];
  return tasks.map(([task, state]) => {
    const events = [...(state.Events ?? [])].sort((a, b) => b.Time - a.Time);
    const last = events[0];
    const started = state.StartedAt && !state.StartedAt.startsWith('0001') ? new Date(state.StartedAt) : undefined;
    const finished = state.FinishedAt && !state.FinishedAt.startsWith('0001') ? new Date(state.FinishedAt) : undefined;
    const parts = [state.Failed ? `${state.State} (failed)` : state.State, state.Restarts ? `${state.Restarts} restart${state.Restarts === 1 ? '' : 's'}` : '', last ? `${last.Type}${taskEventMessage(last) ? `: ${taskEventMessage(last)}` : ''}` : ''];
    const id = `nomad/allocation/${allocation.ID}/task/${task}`;
    const running = state.State === 'running';
    const reference = { id: allocation.ID, jobId: allocation.JobID, namespace: (allocation as { Namespace?: string }).Namespace || 'default', group: allocation.TaskGroup, task, running };
    const actions = taskActionsOf(allocation.Job, allocation.TaskGroup, task);
    return {
      id,
      label: task,
      description: parts.filter(Boolean).join(' · '),
      tooltip: [`Task ${task} of allocation ${allocation.ID}`, `State: ${state.State}${state.Failed ? ' (failed)' : ''}`, `Restarts: ${state.Restarts}`, started ? `Started: ${started.toISOString()}` : '', finished ? `Finished: ${finished.toISOString()}` : ''].filter(Boolean).join('\n'),
      icon: state.Failed ? HEALTH_ICONS.critical : (own(TASK_ICONS, state.State) ?? { id: 'circle-outline' }),
      contextValue: running ? 'nomadTask taskRunning' : 'nomadTask',
      allocation: reference,
      collapsible: events.length + actions.length > 0 ? 'collapsed' : 'none',
      computeChildren: () => [
        ...actions.map((action) => ({
          id: `${id}/action/${action.name}`,
          label: action.name,
          description: actionCommandLine(action),
          tooltip: [`Action "${action.name}" of task ${task}`, `Runs: ${actionCommandLine(action)}`, running ? 'Run Action runs it in this allocation.' : 'The task is not running: an action runs only in a running task.'].join('\n'),
          icon: { id: 'play' },
          contextValue: running ? 'nomadTaskAction actionRunnable' : 'nomadTaskAction',
          allocation: reference,
          taskAction: { name: action.name, command: actionCommandLine(action) },
          collapsible: 'none' as const,
        })),
        ...events.map((event, index) => {
          const time = nanosecondsToDate(event.Time);
          const message = taskEventMessage(event);
          return {
            id: `${id}/event/${index}/${event.Time}`,
            label: event.Type,
            description: [time ? formatAge(time, now) : '', message].filter(Boolean).join(' · '),
            tooltip: [`${event.Type}${time ? ` at ${time.toISOString()}` : ''}`, message].filter(Boolean).join('\n'),
            icon: FAILING_TYPES.has(event.Type) && event.Type !== 'Terminated' ? { id: 'error', color: HEALTH_COLORS.critical } : { id: 'circle-small' },
            contextValue: 'nomadTaskEvent',
            collapsible: 'none' as const,
          };
        }),
      ],
    };
  });
}

/** Resources a task reserved, from the job's definition (`Resources.CPU` MHz, `Resources.MemoryMB`). */
function reserved(definition: unknown, group: string, task: string): { cpu?: number; memoryMB?: number } {
  const groups = (definition as { TaskGroups?: { Name?: string; Tasks?: { Name?: string; Resources?: { CPU?: number; MemoryMB?: number } | null }[] | null }[] | null } | undefined)?.TaskGroups ?? [];
  const resources = groups.find((candidate) => candidate.Name === group)?.Tasks?.find((candidate) => candidate.Name === task)?.Resources;
  return { cpu: typeof resources?.CPU === 'number' ? resources.CPU : undefined, memoryMB: typeof resources?.MemoryMB === 'number' ? resources.MemoryMB : undefined };
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

function share(used: number, of: number | undefined): string {
  return of ? ` (${Math.round((used / of) * 100)}%)` : '';
}

/**
 * A running allocation's usage against what it reserved, per task, for its tooltip:
 * `whoami: CPU 12 MHz of 50 MHz (24%) · memory 9.5 MiB of 32 MiB (30%)`.
 */
export function allocationStatsLines(stats: NomadAllocationStats, definition: unknown, group: string): string[] {
  const lines: string[] = [];
  for (const [task, usage] of Object.entries(stats.Tasks ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const { cpu, memoryMB } = reserved(definition, group, task);
    const parts: string[] = [];
    const ticks = usage.ResourceUsage?.CpuStats?.TotalTicks;
    if (typeof ticks === 'number') parts.push(`CPU ${Math.round(ticks)} MHz${cpu ? ` of ${cpu} MHz` : ''}${share(ticks, cpu)}`);
    const memory = usage.ResourceUsage?.MemoryStats;
    const used = memory?.Usage || memory?.RSS;
    if (typeof used === 'number') parts.push(`memory ${mebibytes(used)}${memoryMB ? ` of ${memoryMB} MiB` : ''}${share(used, memoryMB ? memoryMB * 1024 * 1024 : undefined)}`);
    lines.push(`${task}: ${parts.join(' · ') || 'no usage reported'}`);
  }
  return lines;
}
