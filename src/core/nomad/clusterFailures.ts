// The cluster's failures of a job as facts about its jobspec: which task of which group, what happened, how
// often, and what the job asked for — from the allocations' task events the store reads, for the job's latest
// version only, and for allocations that still stand for their slot (one a newer allocation replaced, or a
// newer version, clears what it reported). Pure: the editor turns the facts into Problems on jobspec lines.
import { NomadAllocationListStub, NomadAllocMetric, NomadEvaluation, NomadJob, NomadTaskEvent, NomadTaskState } from './nomadApi';
import type { ConsulHealthCheck } from '../consul/consulApi';
import { taskEventMessage } from '../tree/nomad/allocationTasks';
import { newestOfSlots } from '../tree/nomad/nomadProperties';

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

/** An event within the window the facts count (OOM_WINDOW_MS before `now`). */
function isRecent(event: NomadTaskEvent, now: number): boolean {
  return now - event.Time / 1_000_000 <= OOM_WINDOW_MS;
}

/** A task's newest event within the window that `matches`. */
function newestRecent(state: NomadTaskState, now: number, matches: (event: NomadTaskEvent) => boolean): NomadTaskEvent | undefined {
  return [...(state.Events ?? [])].filter((event) => isRecent(event, now) && matches(event)).sort((a, b) => b.Time - a.Time)[0];
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
  return newestOfSlots(stubs.filter((allocation) => allocation.JobID === definition.ID))
    .filter((allocation) => allocation.JobVersion === definition.Version)
    .sort((a, b) => b.CreateIndex - a.CreateIndex);
}

/** The OOM facts of a job: its standing allocations' tasks OOM-killed within the window. */
export function oomFacts(definition: NomadJob, standing: readonly NomadAllocationListStub[], taskStates: ReadonlyMap<string, Record<string, NomadTaskState> | null>, now: number): OomFact[] {
  const facts = new Map<string, OomFact>();
  for (const allocation of standing) {
    for (const [task, state] of Object.entries(taskStates.get(allocation.ID) ?? {})) {
      const kills = (state.Events ?? []).filter((event) => oomKilled(event) && isRecent(event, now)).length;
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

/** What the driver said when it could not start a task (an image it could not pull, a config it refused). */
export interface DriverFact {
  kind: 'driver';
  group: string;
  task: string;
  /** The newest such event's type and words, as the cluster wrote them. */
  type: string;
  words: string;
  allocationIds: string[];
}

/** Nomad gave up restarting a task: its restart policy's attempts were used up within the interval. */
export interface RestartLoopFact {
  kind: 'restarts';
  group: string;
  task: string;
  restarts: number;
  /** Nomad's words (`Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"`). */
  words: string;
  allocationIds: string[];
}

/** A template the task could not render (a missing key or variable, a render timeout): Nomad killed it or holds it. */
export interface TemplateFact {
  kind: 'template';
  group: string;
  task: string;
  /** The destination of the template the message names, when it names one the job has. */
  destination?: string;
  words: string;
  allocationIds: string[];
}

/** A health check of a service the job registers that is critical in Consul, with the check's own output. */
export interface CheckFact {
  kind: 'check';
  group: string;
  /** The service's name and the check's, as Consul lists them. */
  service: string;
  check: string;
  /** Where it was seen: critical in Consul (its output), or in the restart Nomad's check_restart made (its event). */
  seenBy: 'consul' | 'restart';
  output: string;
  allocationIds: string[];
}

/** A group that the scheduler cannot place: a blocked evaluation (it waits for room) with its metrics. */
export interface PlacementFact {
  kind: 'placement';
  evaluationId: string;
  failed: Record<string, NomadAllocMetric>;
}

export type FailureFact = OomFact | DriverFact | RestartLoopFact | TemplateFact | CheckFact | PlacementFact;

/** Task events that say a template failed: its own event, or the kill it caused (`Template failed: …`). */
function templateFailure(event: NomadTaskEvent): boolean {
  if (event.Type === 'Template') return /missing|fail|timeout|timed out|error/i.test(taskEventMessage(event));
  return (event.Type === 'Killing' || event.Type === 'Killed') && /template/i.test(taskEventMessage(event));
}

/** The template a message names, by its destination or source path (Nomad's words name one or the other). */
function templateNamed(definition: NomadJob, group: string, task: string, words: string): string | undefined {
  const templates = definition.TaskGroups?.find((candidate) => candidate.Name === group)?.Tasks?.find((candidate) => candidate.Name === task)?.Templates ?? [];
  const named = templates.find((template) => [template.DestPath, template.SourcePath].some((path) => path && words.includes(path)));
  return named?.DestPath ?? (templates.length === 1 ? templates[0]!.DestPath : undefined);
}

/**
 * A template failure of each task of the standing allocations within the window: the newest event's words,
 * and the template it names.
 */
export function templateFacts(definition: NomadJob, standing: readonly NomadAllocationListStub[], taskStates: ReadonlyMap<string, Record<string, NomadTaskState> | null>, now: number): TemplateFact[] {
  const facts = new Map<string, TemplateFact>();
  for (const allocation of standing) {
    for (const [task, state] of Object.entries(taskStates.get(allocation.ID) ?? {})) {
      const event = newestRecent(state, now, templateFailure);
      if (!event) continue;
      const key = `${allocation.TaskGroup}\u0000${task}`;
      const known = facts.get(key);
      if (known) {
        known.allocationIds.push(allocation.ID);
        continue;
      }
      const words = taskEventMessage(event);
      const destination = templateNamed(definition, allocation.TaskGroup, task, words);
      facts.set(key, { kind: 'template', group: allocation.TaskGroup, task, words, allocationIds: [allocation.ID], ...(destination ? { destination } : {}) });
    }
  }
  return [...facts.values()];
}

/**
 * The critical Consul checks of the services the standing allocations registered. Nomad names a service it
 * registers `_nomad-task-<allocation ID>-…`, so a check belongs to the allocation whose ID its service ID holds.
 */
export function checkFacts(standing: readonly NomadAllocationListStub[], checks: readonly ConsulHealthCheck[]): CheckFact[] {
  const critical = criticalChecksByAllocation(checks);
  if (critical.size === 0) return [];
  const facts = new Map<string, CheckFact>();
  for (const allocation of standing) {
    for (const check of critical.get(allocation.ID) ?? []) {
      const key = `${allocation.TaskGroup}\u0000${check.ServiceName}\u0000${check.Name}`;
      const known = facts.get(key);
      if (known) known.allocationIds.push(allocation.ID);
      else facts.set(key, { kind: 'check', group: allocation.TaskGroup, service: check.ServiceName, check: check.Name, seenBy: 'consul', output: check.Output.trim(), allocationIds: [allocation.ID] });
    }
  }
  return [...facts.values()];
}

/** `_nomad-task-<allocation ID>-…`: the service IDs Nomad gives the services it registers (a task's and a group's). */
const NOMAD_SERVICE_ID = /^_nomad-task-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-/;
const CRITICAL_BY_ALLOCATION = new WeakMap<readonly ConsulHealthCheck[], Map<string, ConsulHealthCheck[]>>();

/** The critical checks of services Nomad registered, by allocation; worked out once per list the store holds. */
function criticalChecksByAllocation(checks: readonly ConsulHealthCheck[]): Map<string, ConsulHealthCheck[]> {
  let byAllocation = CRITICAL_BY_ALLOCATION.get(checks);
  if (!byAllocation) {
    byAllocation = new Map();
    for (const check of checks) {
      const allocationId = check.Status === 'critical' ? NOMAD_SERVICE_ID.exec(check.ServiceID)?.[1] : undefined;
      if (allocationId) byAllocation.set(allocationId, [...(byAllocation.get(allocationId) ?? []), check]);
    }
    CRITICAL_BY_ALLOCATION.set(checks, byAllocation);
  }
  return byAllocation;
}

/** Nomad's words when a check's check_restart gives up on a task: `healthcheck: check "<name>" unhealthy`. */
const HEALTHCHECK_RESTART = /healthcheck: check ["“](.*)["”] unhealthy/;

/**
 * The checks that made Nomad restart or kill a task (check_restart, in the task's events): the check's
 * name, and its service's when the name is Nomad's default (`service: "web" check`).
 */
export function restartedByCheckFacts(standing: readonly NomadAllocationListStub[], taskStates: ReadonlyMap<string, Record<string, NomadTaskState> | null>, now: number): CheckFact[] {
  const facts = new Map<string, CheckFact>();
  for (const allocation of standing) {
    for (const state of Object.values(taskStates.get(allocation.ID) ?? {})) {
      const event = newestRecent(state, now, (candidate) => HEALTHCHECK_RESTART.test(taskEventMessage(candidate)));
      if (!event) continue;
      const words = taskEventMessage(event);
      const check = HEALTHCHECK_RESTART.exec(words)![1]!.replace(/\\"/g, '"');
      const service = /^service: "(.*)" check$/.exec(check)?.[1] ?? '';
      const key = `${allocation.TaskGroup}\u0000${service}\u0000${check}`;
      const known = facts.get(key);
      if (known) known.allocationIds.push(allocation.ID);
      else facts.set(key, { kind: 'check', group: allocation.TaskGroup, service, check, seenBy: 'restart', output: `${event.Type}: ${words}`, allocationIds: [allocation.ID] });
    }
  }
  return [...facts.values()];
}

/** The job's blocked evaluations of its current registration that carry failed placements (newest first). */
export function placementFacts(definition: NomadJob, evaluations: readonly NomadEvaluation[]): PlacementFact[] {
  return evaluations
    .filter((evaluation) => evaluation.JobID === definition.ID && evaluation.Status === 'blocked' && Object.keys(evaluation.FailedTGAllocs ?? {}).length > 0)
    .filter((evaluation) => evaluation.JobModifyIndex === undefined || definition.JobModifyIndex === undefined || evaluation.JobModifyIndex >= definition.JobModifyIndex)
    .sort((a, b) => b.CreateIndex - a.CreateIndex)
    .slice(0, 1)
    .map((evaluation) => ({ kind: 'placement', evaluationId: evaluation.ID, failed: evaluation.FailedTGAllocs! }));
}

/** One fact per failing check: Consul's (with its output) wins over the restart that the same check caused. */
function mergedCheckFacts(fromConsul: CheckFact[], fromEvents: CheckFact[]): CheckFact[] {
  const covered = new Set(fromConsul.flatMap((fact) => fact.allocationIds));
  return [...fromConsul, ...fromEvents.filter((fact) => !fact.allocationIds.some((id) => covered.has(id)))];
}

/** The task event types any fact is made of: an allocation without one of them recently has nothing to say. */
const SIGNIFICANT_EVENTS = new Set(['Terminated', 'Driver Failure', 'Failed Validation', 'Not Restarting', 'Template', 'Killing', 'Killed', 'Restart Signaled']);

function hasRecentSignificantEvent(states: Record<string, NomadTaskState> | null | undefined, now: number): boolean {
  return Object.values(states ?? {}).some((state) => (state.Events ?? []).some((event) => SIGNIFICANT_EVENTS.has(event.Type) && isRecent(event, now)));
}

/** Everything the cluster says is wrong with a job's latest version, in one list (what the Problems show). */
export function jobFailureFacts(input: {
  definition: NomadJob;
  standing: readonly NomadAllocationListStub[];
  taskStates: ReadonlyMap<string, Record<string, NomadTaskState> | null>;
  checks: readonly ConsulHealthCheck[];
  evaluations: readonly NomadEvaluation[];
  now: number;
}): FailureFact[] {
  // Most allocations of a healthy cluster only started: they are passed over in one look at their events.
  const eventful = input.standing.filter((allocation) => hasRecentSignificantEvent(input.taskStates.get(allocation.ID), input.now));
  return [
    ...(eventful.length ? failureFacts(input.definition, eventful, input.taskStates, input.now) : []),
    ...(eventful.length ? templateFacts(input.definition, eventful, input.taskStates, input.now) : []),
    ...mergedCheckFacts(checkFacts(input.standing, input.checks), eventful.length ? restartedByCheckFacts(eventful, input.taskStates, input.now) : []),
    ...placementFacts(input.definition, input.evaluations),
  ];
}

const DRIVER_FAILURES = new Set(['Driver Failure', 'Failed Validation']);

/**
 * Every failure fact of a job: OOM kills, driver failures and restart loops of its standing allocations'
 * tasks within the window (one fact per kind and task, the newest allocation's words).
 */
export function failureFacts(definition: NomadJob, standing: readonly NomadAllocationListStub[], taskStates: ReadonlyMap<string, Record<string, NomadTaskState> | null>, now: number): FailureFact[] {
  const facts: FailureFact[] = [...oomFacts(definition, standing, taskStates, now)];
  const others = new Map<string, DriverFact | RestartLoopFact>();
  for (const allocation of standing) {
    for (const [task, state] of Object.entries(taskStates.get(allocation.ID) ?? {})) {
      const driver = newestRecent(state, now, (event) => DRIVER_FAILURES.has(event.Type));
      const gaveUp = newestRecent(state, now, (event) => event.Type === 'Not Restarting');
      for (const [kind, event] of [['driver', driver], ['restarts', gaveUp]] as const) {
        if (!event) continue;
        const key = `${kind}\u0000${allocation.TaskGroup}\u0000${task}`;
        const known = others.get(key);
        if (known) {
          known.allocationIds.push(allocation.ID);
          continue;
        }
        const words = taskEventMessage(event);
        others.set(key, kind === 'driver' ? { kind, group: allocation.TaskGroup, task, type: event.Type, words, allocationIds: [allocation.ID] } : { kind, group: allocation.TaskGroup, task, restarts: state.Restarts, words, allocationIds: [allocation.ID] });
      }
    }
  }
  return [...facts, ...others.values()];
}

/** The Problem's words for a fact, the cluster's own words kept. */
export function failureMessage(fact: FailureFact): string {
  switch (fact.kind) {
    case 'oom':
      return oomMessage(fact);
    case 'driver':
      return `task "${fact.task}": ${fact.type}: ${fact.words}`;
    case 'restarts':
      return `task "${fact.task}" restarted ${fact.restarts} time${fact.restarts === 1 ? '' : 's'} and Nomad gave up: ${fact.words}`;
    case 'template':
      return `task "${fact.task}": template${fact.destination ? ` "${fact.destination}"` : ''} failed: ${fact.words}`;
    case 'check':
      return fact.seenBy === 'restart'
        ? `${fact.service ? `service "${fact.service}": ` : ''}check "${fact.check}" failed and Nomad restarted task(s): ${fact.output}`
        : `service "${fact.service}": check "${fact.check}" is critical in Consul${fact.output ? `: ${fact.output}` : ''}`;
    case 'placement':
      return `evaluation ${fact.evaluationId.slice(0, 8)} is blocked: ${Object.keys(fact.failed).length} group(s) cannot be placed`;
  }
}
