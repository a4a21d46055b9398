// The cluster's failures of a job as facts about its jobspec: which task of which group, what happened, how
// often, and what the job asked for — from the allocations' task events the store reads, for the job's latest
// version only, and for allocations that still stand for their slot (one a newer allocation replaced, or a
// newer version, clears what it reported). Pure: the editor turns the facts into Problems on jobspec lines.
import { NomadAllocationListStub, NomadJob, NomadTaskState } from './nomadApi';

/** OOM kills are counted over this long (a task killed once a day is not a loop; three in an hour is). */
export const OOM_WINDOW_MS = 60 * 60_000;

export interface OomFact {
  kind: 'oom';
  group: string;
  task: string;
  /** OOM kills within OOM_WINDOW_MS, over the allocations that still stand for their slots. */
  count: number;
  /** The memory the version asks for (MB), and its `memory_max` when set. */
  memoryMb?: number;
  memoryMaxMb?: number;
  /** The allocations that reported it, newest first (the link from the Problem). */
  allocationIds: string[];
}

/** Nomad's OOM mark on a `Terminated` event (`TaskEvent.SetOOMKilled`), or an exit message that says so. */
function oomKilled(event: { Type: string; Details?: Record<string, string> | null; DisplayMessage?: string }): boolean {
  return event.Type === 'Terminated' && (event.Details?.oom_killed === 'true' || /OOM Killed/i.test(event.DisplayMessage ?? ''));
}

/**
 * The allocations whose failures count for a job: of its latest version, each the newest of its slot
 * (`job.group[n]`) — what the store lists; their task states are then read, and only theirs.
 */
export function standingAllocations(definition: NomadJob, stubs: readonly NomadAllocationListStub[]): NomadAllocationListStub[] {
  const mine = stubs.filter((allocation) => allocation.JobID === definition.ID);
  const newest = new Map<string, number>();
  for (const allocation of mine) newest.set(allocation.Name, Math.max(newest.get(allocation.Name) ?? -1, allocation.CreateIndex));
  return mine.filter((allocation) => allocation.JobVersion === definition.Version && newest.get(allocation.Name) === allocation.CreateIndex).sort((a, b) => b.CreateIndex - a.CreateIndex);
}

/** The OOM facts of a job: its standing allocations' tasks OOM-killed within the window. */
export function oomFacts(definition: NomadJob, standing: readonly NomadAllocationListStub[], taskStates: ReadonlyMap<string, Record<string, NomadTaskState> | null>, now: number): OomFact[] {
  const facts = new Map<string, OomFact>();
  for (const allocation of standing) {
    for (const [task, state] of Object.entries(taskStates.get(allocation.ID) ?? {})) {
      const kills = (state.Events ?? []).filter((event) => oomKilled(event) && now - event.Time / 1_000_000 <= OOM_WINDOW_MS).length;
      if (kills === 0) continue;
      const key = `${allocation.TaskGroup}\u0000${task}`;
      let fact = facts.get(key);
      if (!fact) {
        const resources = definition.TaskGroups?.find((group) => group.Name === allocation.TaskGroup)?.Tasks?.find((candidate) => candidate.Name === task)?.Resources ?? undefined;
        fact = { kind: 'oom', group: allocation.TaskGroup, task, count: 0, allocationIds: [], ...(resources?.MemoryMB ? { memoryMb: resources.MemoryMB } : {}), ...(resources?.MemoryMaxMB ? { memoryMaxMb: resources.MemoryMaxMB } : {}) };
        facts.set(key, fact);
      }
      fact.count += kills;
      fact.allocationIds.push(allocation.ID);
    }
  }
  return [...facts.values()];
}

/** `task "api" was OOM-killed 3 times in 1 h (memory = 256 MB)`. */
export function oomMessage(fact: OomFact): string {
  const limit = fact.memoryMb !== undefined ? ` (memory = ${fact.memoryMb} MB${fact.memoryMaxMb ? `, memory_max = ${fact.memoryMaxMb} MB` : ''})` : '';
  return `task "${fact.task}" was OOM-killed ${fact.count === 1 ? 'once' : `${fact.count} times`} in the last ${OOM_WINDOW_MS / 3_600_000} h${limit}: it needs more memory than it asks for`;
}

/**
 * The memory the quick fix proposes (MB): half as much again as the task asks for, rounded up to a multiple
 * of 64 — the allocation's own usage cannot be read once the kernel killed it.
 */
export function raisedMemory(memoryMb: number): number {
  return Math.ceil((memoryMb * 1.5) / 64) * 64;
}
