// The demo cluster's scheduler, enough for the deploy loop: plans (a diff and the scheduler's annotations),
// registrations with Nomad's -check-index rule, and rollouts over about ten seconds — placement, a canary
// when the job asks for one, health, then success. A tag containing `bad` fails its health checks, and the
// deployment fails and is auto-reverted when the job says auto_revert. Promote, fail and revert work as
// Nomad's endpoints do. A demo and a test double: it is not Nomad's scheduler.
import { DEMO_NODES, DemoData } from './scenario';
import { demoTaskStates, DemoEvent } from './liveChanges';

type Allocation = DemoData['nomad']['allocations'][number];
type Deployment = DemoData['nomad']['deployments'][number];
type Stub = DemoData['nomad']['jobs'][number];
type Event = Omit<DemoEvent, 'Index'>;
/** A job in API JSON, canonicalized (every field the demo reads is set). */
export type DemoJob = Record<string, unknown> & { ID: string; Name: string; Namespace: string; Type: string; Version: number; TaskGroups: DemoGroup[]; Update: DemoUpdate | null };
interface DemoGroup {
  Name: string;
  Count: number;
  Update: DemoUpdate | null;
  Tasks: { Name: string; Driver: string; Config: Record<string, unknown> | null; Resources?: unknown; Env?: unknown; Services?: unknown }[];
  Services?: unknown;
}
interface DemoUpdate {
  Stagger?: number;
  MaxParallel?: number;
  Canary?: number;
  AutoRevert?: boolean;
  AutoPromote?: boolean;
}

/** An answer with a status other than 200, in Nomad's words (plain text). */
export class DemoHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RolloutHost {
  data: DemoData;
  /** Applies a change at the next Nomad index and publishes its events (and wakes blocking queries). */
  commit(change: (index: number, nowMs: number) => Event[]): number;
  /** A timer the cluster clears when it closes. */
  later(run: () => void, ms: number): void;
}

const NS_PER_MS = 1_000_000;
/** One rollout step (place, turn healthy, promote…): about ten seconds for a three-allocation job with a canary. */
export const DEFAULT_ROLLOUT_STEP_MS = 1_000;
/**
 * The rules of the demo: a tag with `bad` in it runs out of memory (its tasks are OOM-killed, so the
 * deployment fails for unhealthy allocations), and so does a task that asks for less memory than the demo's
 * tasks use; a tag with `unhealthy` in it starts but fails its health check; a tag with `missing` in it cannot
 * be pulled; a template that reads a key with `missing` in its path cannot render. Each failure reads the
 * same everywhere: events, `GET /v1/allocation/:id`, Consul's checks.
 */
const OOM_TAG = /:[^/]*bad/i;
const UNHEALTHY_TAG = /:[^/]*unhealthy/i;
const MISSING_TAG = /:[^/]*missing/i;
/** What each of the demo's tasks uses (MB): a task that asks for less is OOM-killed. */
export const DEMO_TASK_MEMORY_MB = 24;

type DemoTask = DemoGroup['Tasks'][number];

function taskMemory(task: DemoTask): number | undefined {
  const memory = (task.Resources as { MemoryMB?: number | null } | null | undefined)?.MemoryMB;
  return typeof memory === 'number' && memory > 0 ? memory : undefined;
}

/** A template's text that reads a key the demo's Consul does not have (`{{ key "app/missing" }}`). */
function missingTemplate(task: DemoTask): { DestPath?: string } | undefined {
  const templates = ((task as { Templates?: { EmbeddedTmpl?: string; DestPath?: string }[] | null }).Templates ?? []);
  return templates.find((template) => /\bkey(OrDefault)?\s+"[^"]*missing[^"]*"/.test(template.EmbeddedTmpl ?? ''));
}

/** How the demo fails a group running these tasks, if it does. */
export function demoFailureOf(tasks: readonly DemoTask[]): DemoFailure | undefined {
  const text = tasks.map((task) => String(task.Config?.image ?? '')).join(' ');
  if (MISSING_TAG.test(text)) return 'image';
  if (tasks.some((task) => missingTemplate(task))) return 'template';
  if (UNHEALTHY_TAG.test(text)) return 'unhealthy';
  if (OOM_TAG.test(text) || tasks.some((task) => (taskMemory(task) ?? Infinity) < DEMO_TASK_MEMORY_MB)) return 'oom';
  return undefined;
}

export type DemoFailure = 'oom' | 'unhealthy' | 'image' | 'template';

/** What a failing task's events name: its image, and the template that could not render. */
export interface DemoTaskDetail {
  image?: string;
  template?: string;
}

export function demoTaskDetails(job: DemoJob | undefined, group: string): Record<string, DemoTaskDetail> {
  const tasks = job?.TaskGroups.find((candidate) => candidate.Name === group)?.Tasks ?? [];
  return Object.fromEntries(tasks.map((task) => [task.Name, { image: String(task.Config?.image ?? ''), template: missingTemplate(task)?.DestPath }]));
}

/** The failures the control port produces on demand, each as the jobspec change that causes it. */
export const DEMO_FAILURES_ON_DEMAND = ['oom', 'image', 'template', 'check', 'constraint', 'memory'] as const;
export type DemoFailureOnDemand = (typeof DEMO_FAILURES_ON_DEMAND)[number];

/** The job changed as a user would to get that failure: less memory, an image that is not there, a template… */
export function jobFailingWith(job: DemoJob, failure: DemoFailureOnDemand): DemoJob {
  const tag = (image: unknown, suffix: string) => String(image ?? 'busybox').replace(/(:[^/:]*)?$/, `:${suffix}`);
  const groups = job.TaskGroups.map((group, groupIndex) => {
    if (groupIndex > 0) return group;
    const tasks = group.Tasks.map((task, taskIndex) => {
      if (taskIndex > 0) return task;
      const resources = (task.Resources ?? {}) as Record<string, unknown>;
      switch (failure) {
        case 'oom':
          return { ...task, Resources: { ...resources, MemoryMB: Math.max(1, Math.floor(DEMO_TASK_MEMORY_MB / 2)) } };
        case 'memory':
          return { ...task, Resources: { ...resources, MemoryMB: DEMO_NODE_MEMORY_MB * 2 } };
        case 'image':
          return { ...task, Config: { ...task.Config, image: tag(task.Config?.image, 'missing') } };
        case 'check':
          return { ...task, Config: { ...task.Config, image: tag(task.Config?.image, 'unhealthy') } };
        case 'template':
          return { ...task, Templates: [...(((task as { Templates?: unknown[] | null }).Templates ?? []) as unknown[]), { EmbeddedTmpl: 'DB_PASSWORD={{ key "app/missing/db_password" }}', DestPath: 'secrets/db.env', ChangeMode: 'restart' }] };
        case 'constraint':
          return task;
      }
    });
    const constraints = ((group as { Constraints?: unknown[] | null }).Constraints ?? []) as unknown[];
    return failure === 'constraint' ? { ...group, Tasks: tasks, Constraints: [...constraints, { LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }] } : { ...group, Tasks: tasks };
  });
  return { ...job, TaskGroups: groups };
}

/** What each demo node has to give (the recorded nodes' NodeResources): a group asking for more fits nowhere. */
const DEMO_NODE_CPU = 8000;
const DEMO_NODE_MEMORY_MB = 7680;
const DEMO_DATACENTERS = ['dc1'];

/**
 * The scheduler's failed placements for a plan, in Nomad's AllocMetric shape: a group whose tasks ask for more
 * CPU or memory than a node has is exhausted on every node; a job in no datacenter the demo has finds no node.
 */
/** The attributes every demo node has, for constraints: one that asks for another value filters every node. */
const DEMO_NODE_ATTRIBUTES: Record<string, string> = { '${attr.kernel.name}': 'linux', '${attr.cpu.arch}': 'amd64', '${node.datacenter}': 'dc1', '${attr.os.name}': 'ubuntu' };

type DemoConstraint = { LTarget?: string; RTarget?: string; Operand?: string };

/** The constraints of a group (the job's, the group's, its tasks') that no demo node meets, as Nomad names them. */
function unmetConstraints(job: DemoJob, group: DemoGroup): string[] {
  const all = [job, group, ...group.Tasks].flatMap((part) => ((part as { Constraints?: DemoConstraint[] | null }).Constraints ?? []));
  return all
    .filter((constraint) => ['=', '==', 'is', undefined, ''].includes(constraint.Operand) && constraint.LTarget !== undefined && constraint.LTarget in DEMO_NODE_ATTRIBUTES && DEMO_NODE_ATTRIBUTES[constraint.LTarget] !== constraint.RTarget)
    .map((constraint) => `${constraint.LTarget} ${constraint.Operand || '='} ${constraint.RTarget ?? ''}`);
}

export function demoFailedPlacements(job: DemoJob): Record<string, unknown> | null {
  const failed: Record<string, unknown> = {};
  const datacenters = Array.isArray(job.Datacenters) ? (job.Datacenters as string[]) : DEMO_DATACENTERS;
  const nodeCount = DEMO_NODES.length;
  const reachable = datacenters.some((dc) => DEMO_DATACENTERS.includes(dc) || dc === '*');
  for (const group of job.TaskGroups) {
    const asked = group.Tasks.reduce((sum, task) => {
      const resources = (task.Resources ?? {}) as { CPU?: number | null; MemoryMB?: number | null };
      return { cpu: sum.cpu + (resources.CPU ?? 100), memory: sum.memory + (resources.MemoryMB ?? 300) };
    }, { cpu: 0, memory: 0 });
    const exhausted: Record<string, number> = {};
    if (asked.cpu > DEMO_NODE_CPU) exhausted.cpu = nodeCount;
    if (asked.memory > DEMO_NODE_MEMORY_MB) exhausted.memory = nodeCount;
    const unmet = reachable ? unmetConstraints(job, group) : [];
    // Nomad counts a node under the first constraint that filters it: here, the first unmet one takes them all.
    const filtered = unmet.length > 0;
    if (!reachable || filtered || Object.keys(exhausted).length > 0) {
      failed[group.Name] = {
        NodesEvaluated: reachable ? nodeCount : 0,
        NodesFiltered: filtered ? nodeCount : 0,
        NodesInPool: nodeCount,
        NodesAvailable: Object.fromEntries(datacenters.map((dc) => [dc, DEMO_DATACENTERS.includes(dc) ? nodeCount : 0])),
        ClassFiltered: null,
        ConstraintFiltered: filtered ? { [unmet[0]!]: nodeCount } : null,
        NodesExhausted: reachable && !filtered ? nodeCount : 0,
        ClassExhausted: null,
        DimensionExhausted: reachable && !filtered ? exhausted : null,
        QuotaExhausted: null,
        CoalescedFailures: Math.max(0, group.Count - 1),
        AllocationTime: 20_000,
        Scores: null,
      };
    }
  }
  return Object.keys(failed).length ? failed : null;
}

/** A stable UUID-shaped id from a number and a salt, different in its first 8 characters (the short id). */
function id(index: number, salt: number): string {
  const hash = (value: number) => {
    let x = (value ^ (salt * 0x9e3779b1)) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
    return ((x ^ (x >>> 16)) >>> 0).toString(16).padStart(8, '0');
  };
  const [a, b, c] = [hash(index), hash(index + 0x1000), hash(index + 0x2000)];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(0, 3)}-${c.slice(3, 8)}${a.slice(1, 8)}`;
}

/** Nomad's defaults where the parse left a field unset: what the register endpoint's canonicalisation does. */
export function canonicalize(parsed: Record<string, unknown>, namespace: string): DemoJob {
  const type = typeof parsed.Type === 'string' && parsed.Type ? parsed.Type : 'service';
  const jobUpdate = (parsed.Update as DemoUpdate | null | undefined) ?? null;
  const given = <T>(value: unknown, fallback: T): T => (value === null || value === undefined || value === '' ? fallback : (value as T));
  const groups = ((parsed.TaskGroups as DemoGroup[] | null | undefined) ?? []).map((group) => {
    const raw = group as DemoGroup & Record<string, unknown>;
    return {
      ...group,
      Count: typeof group.Count === 'number' ? group.Count : 1,
      Update: type === 'service' ? (group.Update ?? jobUpdate) : null,
      Constraints: given(raw.Constraints, []),
      Affinities: given(raw.Affinities, []),
      RestartPolicy: given(raw.RestartPolicy, { Attempts: 2, Interval: 1_800_000_000_000, Delay: 15_000_000_000, Mode: 'fail' }),
      EphemeralDisk: given(raw.EphemeralDisk, { Sticky: false, SizeMB: 300, Migrate: false }),
      Meta: given(raw.Meta, {}),
      Tasks: (group.Tasks ?? []).map((task) => ({ Lifecycle: null, ...task })),
    };
  });
  return {
    ...parsed,
    Region: given(parsed.Region, 'global'),
    ID: String(parsed.ID),
    ParentID: given(parsed.ParentID, ''),
    Name: String(parsed.Name || parsed.ID),
    Namespace: typeof parsed.Namespace === 'string' && parsed.Namespace ? parsed.Namespace : namespace,
    Type: type,
    Priority: typeof parsed.Priority === 'number' ? parsed.Priority : 50,
    AllAtOnce: given(parsed.AllAtOnce, false),
    Datacenters: given(parsed.Datacenters, ['dc1']),
    NodePool: given(parsed.NodePool, 'default'),
    Constraints: given(parsed.Constraints, []),
    Version: 0,
    Update: jobUpdate ? { Stagger: 30_000_000_000, ...jobUpdate } : { Stagger: 0, MaxParallel: 0 },
    TaskGroups: groups,
    Periodic: given(parsed.Periodic, null),
    ParameterizedJob: given(parsed.ParameterizedJob, null),
    Payload: given(parsed.Payload, null),
    Meta: given(parsed.Meta, {}),
    StatusDescription: '',
  };
}

function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => flatten(item, `${prefix}[${index}]`, into));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, into);
  } else if (value !== null && value !== undefined) {
    into.set(prefix, String(value));
  }
}

function fieldDiffs(before: unknown, after: unknown): { Type: string; Name: string; Old: string; New: string; Annotations: null }[] {
  const old = new Map<string, string>();
  const next = new Map<string, string>();
  flatten(before, '', old);
  flatten(after, '', next);
  const names = [...new Set([...old.keys(), ...next.keys()])].sort();
  return names
    .map((name) => {
      const o = old.get(name);
      const n = next.get(name);
      const type = o === undefined ? 'Added' : n === undefined ? 'Deleted' : o === n ? 'None' : 'Edited';
      return { Type: type, Name: name, Old: o ?? '', New: n ?? '', Annotations: null };
    })
    .filter((field) => field.Type !== 'None');
}

function objectDiff(name: string, before: unknown, after: unknown) {
  const fields = fieldDiffs(before, after);
  if (fields.length === 0) return undefined;
  const type = before === null || before === undefined ? 'Added' : after === null || after === undefined ? 'Deleted' : 'Edited';
  return { Type: type, Name: name, Fields: fields, Objects: null };
}

function diffType(parts: { Type: string }[], before: unknown): string {
  if (before === undefined) return 'Added';
  return parts.some((part) => part.Type !== 'None') ? 'Edited' : 'None';
}

/** Tasks whose driver, config or resources change are replaced (destroyed and created), as Nomad does. */
function destructive(before: DemoGroup['Tasks'][number] | undefined, after: DemoGroup['Tasks'][number]): boolean {
  if (!before) return true;
  return JSON.stringify([before.Driver, before.Config, before.Resources ?? null, before.Env ?? null]) !== JSON.stringify([after.Driver, after.Config, after.Resources ?? null, after.Env ?? null]);
}

/** An evaluation with every field Nomad's has (`structs.Evaluation`), the given ones set. */
function demoEvaluation(fields: Record<string, unknown> & { ID: string; JobID: string; CreateIndex: number }): Record<string, unknown> {
  return {
    Priority: 50,
    Type: 'service',
    TriggeredBy: 'job-register',
    Namespace: 'default',
    NodeID: '',
    NodeModifyIndex: 0,
    DeploymentID: '',
    Status: 'complete',
    StatusDescription: '',
    Wait: 0,
    NextEval: '',
    PreviousEval: '',
    BlockedEval: '',
    FailedTGAllocs: null,
    ClassEligibility: null,
    EscapedComputedClass: false,
    AnnotatePlan: false,
    QueuedAllocations: {},
    SnapshotIndex: fields.CreateIndex,
    ModifyIndex: fields.CreateIndex,
    ...fields,
  };
}

export class DemoRollouts {
  /** Every version of every job registered through the demo (index = version), for revert and diffs. */
  private readonly versions = new Map<string, DemoJob[]>();
  private readonly stable = new Map<string, Set<number>>();
  private readonly evaluations = new Map<string, Record<string, unknown>[]>();
  private readonly active = new Map<string, { deploymentId?: string; timer: boolean }>();
  /** When each allocation was last restarted by a user (ms): its task states say so. */
  private readonly restarts = new Map<string, number>();
  /** How each failed allocation of a rollout failed, so every reader of it tells the same story. */
  private readonly failures = new Map<string, DemoFailure>();

  constructor(
    private readonly host: RolloutHost,
    private readonly stepMs: number = DEFAULT_ROLLOUT_STEP_MS,
  ) {}

  private get nomad() {
    return this.host.data.nomad;
  }

  /** The job as registered now: the demo's own registrations first, then the scenario's. */
  current(jobId: string): DemoJob | undefined {
    const registered = this.versions.get(jobId);
    if (registered?.length) return registered[registered.length - 1];
    const scenario = this.nomad.job(jobId) as DemoJob | undefined;
    return scenario ? { ...scenario, Update: scenario.Update ?? null, TaskGroups: (scenario.TaskGroups ?? []) as DemoGroup[] } : undefined;
  }

  /** Starts the demo's history of a scenario job from a parsed jobspec (the platform's own files). */
  seed(job: DemoJob): void {
    const stub = this.nomad.jobs.find((candidate) => candidate.ID === job.ID);
    if (!stub || this.versions.has(job.ID)) return;
    const seeded = { ...job, Version: stub.Version, JobModifyIndex: stub.JobModifyIndex, CreateIndex: stub.CreateIndex, ModifyIndex: stub.ModifyIndex, Status: stub.Status, Stable: true };
    const history: DemoJob[] = [];
    history[stub.Version] = seeded;
    this.versions.set(job.ID, history);
    this.stable.set(job.ID, new Set([stub.Version]));
    this.nomad.extraJobs.set(job.ID, seeded);
  }

  evaluationsOf(jobId: string): Record<string, unknown>[] | undefined {
    if (!this.nomad.jobs.some((job) => job.ID === jobId)) return undefined;
    return [...(this.evaluations.get(jobId) ?? [])].reverse();
  }

  /** `POST /v1/job/:id/plan`: the diff against what runs and the scheduler's counts, changing nothing. */
  plan(job: DemoJob, before: DemoJob | undefined = this.current(job.ID)): Record<string, unknown> {
    const stub = this.nomad.jobs.find((candidate) => candidate.ID === job.ID);
    const groups = [...new Set([...(before?.TaskGroups ?? []).map((group) => group.Name), ...job.TaskGroups.map((group) => group.Name)])];
    const desired: Record<string, Record<string, number>> = {};
    const groupDiffs = groups.map((name) => {
      const old = before?.TaskGroups.find((group) => group.Name === name);
      const next = job.TaskGroups.find((group) => group.Name === name);
      const counts = { Ignore: 0, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0 };
      const running = this.nomad.allocations.filter((allocation) => allocation.JobID === job.ID && allocation.TaskGroup === name && allocation.DesiredStatus === 'run' && allocation.ClientStatus !== 'failed').length;
      const tasks = [...new Set([...(old?.Tasks ?? []).map((task) => task.Name), ...(next?.Tasks ?? []).map((task) => task.Name)])].map((taskName) => {
        const oldTask = old?.Tasks.find((task) => task.Name === taskName);
        const newTask = next?.Tasks.find((task) => task.Name === taskName);
        const objects = ['Config', 'Resources', 'Env'].map((key) => objectDiff(key, (oldTask as Record<string, unknown> | undefined)?.[key], (newTask as Record<string, unknown> | undefined)?.[key])).filter(Boolean) as { Type: string }[];
        const fields = fieldDiffs({ Driver: oldTask?.Driver }, { Driver: newTask?.Driver });
        const type = !newTask ? 'Deleted' : !oldTask ? 'Added' : diffType([...objects, ...fields], oldTask);
        const forces = newTask && oldTask && type === 'Edited' ? (destructive(oldTask, newTask) ? 'forces create/destroy update' : 'forces in-place update') : type === 'Added' ? 'forces create' : type === 'Deleted' ? 'forces destroy' : undefined;
        return { Type: type, Name: taskName, Fields: fields, Objects: objects, Annotations: forces ? [forces] : null };
      });
      const groupFields = fieldDiffs({ Count: old?.Count }, { Count: next?.Count });
      const update = objectDiff('Update', old?.Update ?? undefined, next?.Update ?? undefined);
      const services = objectDiff('Services', old?.Services ?? undefined, next?.Services ?? undefined);
      const groupObjects = [update, services].filter(Boolean) as { Type: string }[];
      const type = !next ? 'Deleted' : !old ? 'Added' : diffType([...tasks, ...groupFields, ...groupObjects], old);
      const count = next?.Count ?? 0;
      if (!next) counts.Stop = running;
      else if (!old) counts.Place = count;
      else {
        const replaced = next.Tasks.some((task) => destructive(old.Tasks.find((candidate) => candidate.Name === task.Name), task));
        const changed = type === 'Edited';
        const kept = Math.min(running, count);
        const canary = replaced && next.Update?.Canary ? Math.min(next.Update.Canary, count) : 0;
        if (canary > 0) {
          counts.Canary = canary;
          counts.Ignore = kept;
        } else if (replaced) counts.DestructiveUpdate = kept;
        else if (changed) counts.InPlaceUpdate = kept;
        else counts.Ignore = kept;
        counts.Place = Math.max(0, count - running);
        counts.Stop = Math.max(0, running - count);
      }
      desired[name] = counts;
      const updates: Record<string, number> = {};
      const words: [keyof typeof counts, string][] = [['Place', 'create'], ['Stop', 'destroy'], ['InPlaceUpdate', 'in-place update'], ['DestructiveUpdate', 'create/destroy update'], ['Canary', 'canary'], ['Ignore', 'ignore'], ['Migrate', 'migrate']];
      for (const [key, word] of words) if (counts[key] > 0) updates[word] = counts[key];
      return { Type: type, Name: name, Fields: groupFields, Objects: groupObjects, Tasks: tasks, Updates: updates };
    });
    const jobFields = fieldDiffs({ Type: before?.Type, Priority: before?.Priority, Datacenters: before?.Datacenters }, { Type: job.Type, Priority: job.Priority, Datacenters: job.Datacenters });
    const type = !before ? 'Added' : diffType([...groupDiffs, ...jobFields], before);
    return {
      Index: 0,
      JobModifyIndex: stub?.JobModifyIndex ?? 0,
      Diff: { Type: type, ID: job.ID, Fields: jobFields, Objects: [], TaskGroups: groupDiffs },
      Annotations: { DesiredTGUpdates: desired, PreemptedAllocs: null },
      FailedTGAllocs: demoFailedPlacements(job),
      CreatedEvals: null,
      Warnings: '',
      NextPeriodicLaunch: '0001-01-01T00:00:00Z',
    };
  }

  /** `POST /v1/jobs`: with EnforceIndex, Nomad's three refusals (500, as `wrap()` sends a plain error). */
  register(job: DemoJob, enforce?: { enforceIndex: boolean; jobModifyIndex?: number }): Record<string, unknown> {
    const stub = this.nomad.jobs.find((candidate) => candidate.ID === job.ID);
    if (enforce?.enforceIndex) {
      const wanted = enforce.jobModifyIndex ?? 0;
      if (wanted === 0 && stub) throw new DemoHttpError(500, 'Enforcing job modify index 0: job already exists');
      if (wanted !== 0 && !stub) throw new DemoHttpError(500, `Enforcing job modify index ${wanted}: job does not exist`);
      if (wanted !== 0 && stub && stub.JobModifyIndex !== wanted) throw new DemoHttpError(500, `Enforcing job modify index ${wanted}: job exists with conflicting job modify index: ${stub.JobModifyIndex}`);
    }
    return this.submit(job, 'job-register');
  }

  private submit(job: DemoJob, trigger: string, revertedFrom?: number): Record<string, unknown> {
    const before = this.current(job.ID);
    const history = this.versions.get(job.ID) ?? [];
    if (before && history.length === 0) {
      // A scenario job the demo had not seen registered: what runs now is its stable version.
      history[before.Version] = before;
      if (!this.stable.has(job.ID)) this.stable.set(job.ID, new Set([before.Version]));
    }
    const version = before ? before.Version + 1 : 0;
    let evalId = '';
    let modifyIndex = 0;
    this.host.commit((index, now) => {
      modifyIndex = index;
      const definition: DemoJob = { ...job, Version: version, JobModifyIndex: index, ModifyIndex: index, CreateIndex: (before?.CreateIndex as number | undefined) ?? index, SubmitTime: now * NS_PER_MS, Stable: false, Status: before ? 'running' : 'pending' };
      history[version] = definition;
      this.versions.set(job.ID, history);
      this.nomad.extraJobs.set(job.ID, definition);
      const stub = this.upsertStub(definition, index, now);
      evalId = id(index, 0xe7a1);
      const withDeployment = job.Type === 'service' && job.TaskGroups.some((group) => (group.Update?.MaxParallel ?? 0) > 0);
      const events: Event[] = [{ Topic: 'Job', Type: 'JobRegistered', Key: job.ID, Namespace: job.Namespace, FilterKeys: null, Payload: { Job: definition } }];
      // A group that fits no node is not placed: the evaluation says why, and a blocked one waits for room
      // (as Nomad's scheduler does; the allocations of the version before keep running).
      const failed = demoFailedPlacements(job);
      const blocked = failed ? demoEvaluation({ ID: id(index, 0xb10c), Namespace: job.Namespace, JobID: job.ID, Type: job.Type, TriggeredBy: 'queued-allocs', Status: 'blocked', StatusDescription: 'created to place remaining allocations', JobModifyIndex: index, PreviousEval: evalId, FailedTGAllocs: failed, DeploymentID: '', CreateIndex: index, ModifyIndex: index, CreateTime: now * NS_PER_MS, ModifyTime: now * NS_PER_MS }) : undefined;
      const evaluation = demoEvaluation({ ID: evalId, Namespace: job.Namespace, JobID: job.ID, Type: job.Type, TriggeredBy: trigger, Status: 'complete', StatusDescription: '', JobModifyIndex: index, FailedTGAllocs: failed, BlockedEval: blocked?.ID ?? '', DeploymentID: '', CreateIndex: index, ModifyIndex: index, CreateTime: now * NS_PER_MS, ModifyTime: now * NS_PER_MS });
      this.evaluations.set(job.ID, [...(this.evaluations.get(job.ID) ?? []).map((older) => this.unblocked(older, index, events)), evaluation, ...(blocked ? [blocked] : [])]);
      events.push(this.evaluationEvent(evaluation), ...(blocked ? [this.evaluationEvent(blocked)] : []));
      if (failed) {
        // Nothing placed: the job waits (its earlier version, if any, keeps running).
        this.cancelOlderDeployments(job.ID, index, events);
        events.push(this.jobEvent(job.ID, index));
        return events;
      }
      if (withDeployment) {
        const deployment = {
          ID: id(index, 0xde91),
          Namespace: job.Namespace,
          JobID: job.ID,
          JobVersion: version,
          JobModifyIndex: index,
          JobCreateIndex: stub.CreateIndex,
          TaskGroups: Object.fromEntries(
            job.TaskGroups.map((group) => [
              group.Name,
              { AutoRevert: Boolean(group.Update?.AutoRevert), AutoPromote: Boolean(group.Update?.AutoPromote), Promoted: false, PlacedCanaries: [] as string[], DesiredCanaries: before ? (group.Update?.Canary ?? 0) : 0, DesiredTotal: group.Count, PlacedAllocs: 0, HealthyAllocs: 0, UnhealthyAllocs: 0 },
            ]),
          ),
          Status: 'running',
          StatusDescription: revertedFrom !== undefined ? `Deployment is running (rolled back from job version ${revertedFrom})` : 'Deployment is running',
          CreateIndex: index,
          ModifyIndex: index,
        } as Deployment;
        evaluation.DeploymentID = deployment.ID;
        this.cancelOlderDeployments(job.ID, index, events);
        this.nomad.deployments.push(deployment);
        events.push(this.deploymentEvent(deployment));
        this.active.set(job.ID, { deploymentId: deployment.ID, timer: true });
      } else {
        this.cancelOlderDeployments(job.ID, index, events);
        this.active.set(job.ID, { timer: true });
        events.push(...this.placeAll(definition, index, now));
      }
      return events;
    });
    this.host.later(() => this.step(job.ID), this.stepMs);
    return { EvalID: evalId, EvalCreateIndex: modifyIndex, JobModifyIndex: modifyIndex, Warnings: '', Index: modifyIndex, LastContact: 0, KnownLeader: true };
  }

  /** An older blocked evaluation of a job, cancelled by a newer registration (Nomad keeps one blocked per job). */
  private unblocked(evaluation: Record<string, unknown>, index: number, events: Event[]): Record<string, unknown> {
    if (evaluation.Status !== 'blocked') return evaluation;
    const cancelled = { ...evaluation, Status: 'canceled', StatusDescription: 'evaluation is outdated: a newer job version was registered', ModifyIndex: index };
    events.push(this.evaluationEvent(cancelled));
    return cancelled;
  }

  private evaluationEvent(evaluation: Record<string, unknown>): Event {
    return { Topic: 'Evaluation', Type: 'EvaluationUpdated', Key: evaluation.ID as string, Namespace: evaluation.Namespace as string, FilterKeys: [evaluation.JobID as string, ...(evaluation.DeploymentID ? [evaluation.DeploymentID as string] : [])], Payload: { Evaluation: evaluation } };
  }

  /**
   * `GET /v1/evaluations?filter=…`: the demo answers the store's filter (the open ones), every one otherwise;
   * a scenario job the demo never registered has the evaluation of its registration.
   */
  listEvaluations(filter: string | null): Record<string, unknown>[] {
    const registered = [...this.evaluations.values()].flat();
    const scenario = this.nomad.jobs
      .filter((job) => !this.evaluations.has(job.ID))
      .map((job) => demoEvaluation({ ID: id(job.JobModifyIndex, 0xe7a1), Namespace: job.Namespace, JobID: job.ID, Type: job.Type, TriggeredBy: 'job-register', Status: 'complete', JobModifyIndex: job.JobModifyIndex, CreateIndex: job.JobModifyIndex, ModifyIndex: job.JobModifyIndex }));
    const all = [...scenario, ...registered];
    const open = (evaluation: Record<string, unknown>) => evaluation.Status === 'blocked' || evaluation.Status === 'pending';
    return filter ? all.filter(open) : all;
  }

  private cancelOlderDeployments(jobId: string, index: number, events: Event[]): void {
    for (const deployment of this.nomad.deployments) {
      if (deployment.JobID === jobId && deployment.Status === 'running') {
        deployment.Status = 'cancelled';
        deployment.StatusDescription = 'Cancelled due to newer version of job';
        deployment.ModifyIndex = index;
        events.push(this.deploymentEvent(deployment));
      }
    }
  }

  private upsertStub(definition: DemoJob, index: number, now: number): Stub {
    let stub: Stub | undefined = this.nomad.jobs.find((candidate) => candidate.ID === definition.ID);
    if (!stub) {
      const template = this.nomad.jobs[0]!;
      stub = {
        ...template,
        ID: definition.ID,
        Name: definition.Name,
        Namespace: definition.Namespace,
        Type: definition.Type,
        Status: 'pending',
        JobSummary: { ...template.JobSummary, JobID: definition.ID, Namespace: definition.Namespace, Summary: {}, CreateIndex: index, ModifyIndex: index },
        CreateIndex: index,
      };
      this.nomad.jobs.push(stub);
    }
    stub.Version = definition.Version;
    stub.JobModifyIndex = index;
    stub.ModifyIndex = index;
    stub.SubmitTime = now * NS_PER_MS;
    this.summarize(stub);
    return stub;
  }

  private summarize(stub: Stub): void {
    const summary: Record<string, { Queued: number; Complete: number; Failed: number; Running: number; Starting: number; Lost: number }> = {};
    for (const group of this.current(stub.ID)?.TaskGroups ?? []) summary[group.Name] = { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0 };
    for (const allocation of this.nomad.allocations.filter((candidate) => candidate.JobID === stub.ID)) {
      const counts = (summary[allocation.TaskGroup] ??= { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0 });
      if (allocation.ClientStatus === 'running') counts.Running++;
      else if (allocation.ClientStatus === 'pending') counts.Starting++;
      else if (allocation.ClientStatus === 'failed') counts.Failed++;
      else if (allocation.ClientStatus === 'complete') counts.Complete++;
      else if (allocation.ClientStatus === 'lost') counts.Lost++;
    }
    stub.JobSummary = { ...stub.JobSummary, Summary: summary };
    const anyRunning = Object.values(summary).some((counts) => counts.Running + counts.Starting > 0);
    stub.Status = anyRunning ? 'running' : stub.Type === 'batch' || stub.Type === 'sysbatch' ? 'dead' : 'pending';
  }

  private jobEvent(jobId: string, index: number): Event {
    const stub = this.nomad.jobs.find((candidate) => candidate.ID === jobId)!;
    this.summarize(stub);
    stub.ModifyIndex = index;
    const definition = { ...this.current(jobId)!, Status: stub.Status };
    return { Topic: 'Job', Type: 'JobRegistered', Key: jobId, Namespace: stub.Namespace, FilterKeys: null, Payload: { Job: definition } };
  }

  private deploymentEvent(deployment: Deployment): Event {
    return { Topic: 'Deployment', Type: 'DeploymentStatusUpdate', Key: deployment.ID, Namespace: deployment.Namespace, FilterKeys: [deployment.JobID], Payload: { Deployment: deployment } };
  }

  /** When an allocation was last restarted by a user (ms), if it was. */
  restartedAt(allocationId: string): number | undefined {
    return this.restarts.get(allocationId);
  }

  /** What a failing allocation's task events name (its image, its template), from the version it runs. */
  taskDetailsOf(allocation: { JobID: string; JobVersion: number; TaskGroup: string }): Record<string, DemoTaskDetail> {
    return demoTaskDetails(this.versions.get(allocation.JobID)?.[allocation.JobVersion] ?? this.current(allocation.JobID), allocation.TaskGroup);
  }

  /**
   * The control port's failures on demand: the job registered again as a user who broke it would have
   * (less memory than it uses, an image that is not there, a template reading a missing key, a failing check,
   * a constraint no node meets, more memory than a node has).
   */
  failOnDemand(jobId: string, failure: DemoFailureOnDemand | undefined): Record<string, unknown> {
    const job = this.current(jobId);
    if (!job) throw new DemoHttpError(404, `job not found: ${jobId}`);
    if (!failure || !DEMO_FAILURES_ON_DEMAND.includes(failure)) throw new Error(`"kind" must be one of ${DEMO_FAILURES_ON_DEMAND.join(', ')}`);
    return this.submit(jobFailingWith(job, failure), 'job-register');
  }

  /** How a failed allocation of a rollout failed (the scenario's own failed allocations: OOM). */
  failureOf(allocationId: string): DemoFailure {
    return this.failures.get(allocationId) ?? 'oom';
  }

  private allocationEvent(allocation: Allocation): Event {
    const tasks = this.current(allocation.JobID)?.TaskGroups.find((group) => group.Name === allocation.TaskGroup)?.Tasks.map((task) => task.Name) ?? [allocation.TaskGroup];
    return {
      Topic: 'Allocation',
      Type: 'AllocationUpdated',
      Key: allocation.ID,
      Namespace: allocation.Namespace,
      FilterKeys: [allocation.JobID, ''],
      Payload: { Allocation: { ...allocation, Job: null, TaskStates: demoTaskStates(allocation.ClientStatus, tasks, allocation.CreateTime / NS_PER_MS, this.failureOf(allocation.ID), this.restartedAt(allocation.ID), this.taskDetailsOf(allocation)) } },
    };
  }

  private newAllocation(job: DemoJob, group: string, index: number, now: number, serial: number, canary: boolean, deploymentId?: string): Allocation {
    const template = this.nomad.allocations[0]!;
    const node = DEMO_NODES[(index + serial) % DEMO_NODES.length]!;
    return {
      ...template,
      ID: id(index * 16 + serial, 0xa110c),
      EvalID: id(index, 0xe7a1),
      Name: `${job.ID}.${group}[${serial}]`,
      Namespace: job.Namespace,
      NodeID: node.id,
      NodeName: node.name,
      JobID: job.ID,
      JobType: job.Type,
      JobVersion: job.Version,
      TaskGroup: group,
      DesiredStatus: 'run',
      DesiredDescription: '',
      ClientStatus: 'pending',
      ClientDescription: 'No tasks have started',
      DeploymentStatus: deploymentId ? { Canary: canary, Healthy: null as unknown as boolean, ModifyIndex: index, Timestamp: new Date(now).toISOString() } : null,
      FollowupEvalID: '',
      CreateIndex: index,
      ModifyIndex: index,
      CreateTime: now * NS_PER_MS,
      ModifyTime: now * NS_PER_MS,
      TaskStates: null,
    };
  }

  /** Without a deployment: every allocation of the new version at once, the old ones stopped. */
  private placeAll(job: DemoJob, index: number, now: number): Event[] {
    const events: Event[] = [];
    for (const old of this.nomad.allocations.filter((allocation) => allocation.JobID === job.ID && allocation.DesiredStatus === 'run')) {
      this.stop(old, index, now);
      events.push(this.allocationEvent(old));
    }
    for (const group of job.TaskGroups) {
      const count = job.Type === 'system' || job.Type === 'sysbatch' ? DEMO_NODES.length : group.Count;
      for (let serial = 0; serial < count; serial++) {
        const allocation = this.newAllocation(job, group.Name, index, now, serial, false);
        this.nomad.allocations.push(allocation);
        events.push(this.allocationEvent(allocation));
      }
    }
    events.push(this.jobEvent(job.ID, index));
    return events;
  }

  private stop(allocation: Allocation, index: number, now: number): void {
    allocation.DesiredStatus = 'stop';
    allocation.DesiredDescription = 'alloc is being updated due to job update';
    if (allocation.ClientStatus === 'running' || allocation.ClientStatus === 'pending') {
      allocation.ClientStatus = 'complete';
      allocation.ClientDescription = 'All tasks have completed';
    }
    allocation.ModifyIndex = index;
    allocation.ModifyTime = now * NS_PER_MS;
  }

  private healthy(allocation: Allocation, index: number, now: number, failure: DemoFailure | undefined): void {
    const bad = failure !== undefined;
    if (failure) this.failures.set(allocation.ID, failure);
    allocation.ClientStatus = bad ? 'failed' : 'running';
    allocation.ClientDescription = bad ? 'Failed tasks' : 'Tasks are running';
    allocation.DeploymentStatus = { Canary: Boolean(allocation.DeploymentStatus?.Canary), Healthy: !bad, ModifyIndex: index, Timestamp: new Date(now).toISOString() };
    allocation.ModifyIndex = index;
    allocation.ModifyTime = now * NS_PER_MS;
  }

  /** One step of a job's rollout; schedules the next one until the rollout ends or waits for promotion. */
  private step(jobId: string): void {
    const active = this.active.get(jobId);
    if (!active) return;
    active.timer = false;
    const job = this.current(jobId)!;
    let again = false;
    let revertTo: number | undefined;
    this.host.commit((index, now) => {
      const events: Event[] = [];
      const mine = this.nomad.allocations.filter((allocation) => allocation.JobID === jobId && allocation.JobVersion === job.Version && allocation.DesiredStatus === 'run');
      const bad = (group: string) => demoFailureOf(job.TaskGroups.find((candidate) => candidate.Name === group)?.Tasks ?? []);
      if (!active.deploymentId) {
        // No deployment: pending → running; a batch job then completes.
        for (const allocation of mine.filter((candidate) => candidate.ClientStatus === 'pending')) {
          this.healthy(allocation, index, now, bad(allocation.TaskGroup));
          allocation.DeploymentStatus = null;
          events.push(this.allocationEvent(allocation));
          again = job.Type === 'batch' || job.Type === 'sysbatch';
        }
        if (!again && (job.Type === 'batch' || job.Type === 'sysbatch')) {
          for (const allocation of mine.filter((candidate) => candidate.ClientStatus === 'running')) {
            allocation.ClientStatus = 'complete';
            allocation.ClientDescription = 'All tasks have completed';
            allocation.ModifyIndex = index;
            events.push(this.allocationEvent(allocation));
          }
        }
        if (!again) this.active.delete(jobId);
        events.push(this.jobEvent(jobId, index));
        return events;
      }
      const deployment = this.nomad.deployments.find((candidate) => candidate.ID === active.deploymentId);
      if (!deployment || deployment.Status !== 'running') {
        this.active.delete(jobId);
        return events;
      }
      let done = true;
      for (const group of job.TaskGroups) {
        const state = deployment.TaskGroups[group.Name] as Deployment['TaskGroups'][string] & { AutoPromote?: boolean };
        if (!state) continue;
        const ofGroup = mine.filter((allocation) => allocation.TaskGroup === group.Name && allocation.CreateIndex >= deployment.CreateIndex);
        const pending = ofGroup.find((allocation) => allocation.ClientStatus === 'pending');
        const canaryPhase = state.DesiredCanaries > 0 && !state.Promoted;
        if (pending) {
          // Turn healthy, or fail the checks.
          this.healthy(pending, index, now, bad(group.Name));
          events.push(this.allocationEvent(pending));
          if (bad(group.Name)) state.UnhealthyAllocs++;
          else state.HealthyAllocs++;
          done = false;
        } else if (canaryPhase && (state.PlacedCanaries ?? []).length < state.DesiredCanaries) {
          const allocation = this.newAllocation(job, group.Name, index, now, ofGroup.length, true, deployment.ID);
          this.nomad.allocations.push(allocation);
          state.PlacedCanaries = [...(state.PlacedCanaries ?? []), allocation.ID];
          state.PlacedAllocs++;
          events.push(this.allocationEvent(allocation));
          done = false;
        } else if (canaryPhase) {
          if (state.AutoPromote) {
            state.Promoted = true;
            deployment.StatusDescription = 'Deployment is running';
          } else {
            deployment.StatusDescription = 'Deployment is running but requires manual promotion';
          }
          done = false;
        } else if (state.PlacedAllocs < state.DesiredTotal) {
          const allocation = this.newAllocation(job, group.Name, index, now, ofGroup.length, false, deployment.ID);
          this.nomad.allocations.push(allocation);
          state.PlacedAllocs++;
          events.push(this.allocationEvent(allocation));
          // Replace an old allocation: a failed one first.
          const old = this.nomad.allocations
            .filter((candidate) => candidate.JobID === jobId && candidate.TaskGroup === group.Name && candidate.DesiredStatus === 'run' && candidate.JobVersion !== job.Version)
            .sort((a, b) => (a.ClientStatus === 'failed' ? -1 : 0) - (b.ClientStatus === 'failed' ? -1 : 0))[0];
          if (old) {
            this.stop(old, index, now);
            events.push(this.allocationEvent(old));
          }
          done = false;
        }
        if (state.UnhealthyAllocs > 0) {
          const previous = this.lastStable(jobId, job.Version);
          deployment.Status = 'failed';
          deployment.StatusDescription = state.AutoRevert && previous !== undefined ? `Failed due to unhealthy allocations - rolling back to job version ${previous}` : 'Failed due to unhealthy allocations';
          if (state.AutoRevert) revertTo = previous;
          break;
        }
      }
      if (deployment.Status === 'running' && done) {
        deployment.Status = 'successful';
        deployment.StatusDescription = 'Deployment completed successfully';
        this.stable.set(jobId, new Set([...(this.stable.get(jobId) ?? []), job.Version]));
        for (const old of this.nomad.allocations.filter((candidate) => candidate.JobID === jobId && candidate.DesiredStatus === 'run' && candidate.JobVersion !== job.Version)) {
          this.stop(old, index, now);
          events.push(this.allocationEvent(old));
        }
      }
      deployment.ModifyIndex = index;
      events.push(this.deploymentEvent(deployment), this.jobEvent(jobId, index));
      again = deployment.Status === 'running' && !/requires manual promotion/.test(deployment.StatusDescription);
      if (deployment.Status !== 'running') this.active.delete(jobId);
      return events;
    });
    if (revertTo !== undefined) {
      const target = this.versions.get(jobId)?.[revertTo];
      if (target) this.submit({ ...target }, 'rollback', job.Version);
      return;
    }
    if (again) {
      active.timer = true;
      this.host.later(() => this.step(jobId), this.stepMs);
    }
  }

  private lastStable(jobId: string, before: number): number | undefined {
    const stable = [...(this.stable.get(jobId) ?? [])].filter((version) => version < before && this.versions.get(jobId)?.[version]);
    return stable.length ? Math.max(...stable) : undefined;
  }

  private deployment(id: string): Deployment {
    const deployment = this.nomad.deployments.find((candidate) => candidate.ID === id);
    if (!deployment) throw new DemoHttpError(404, 'deployment not found');
    return deployment;
  }

  /** `POST /v1/deployment/promote/:id` with `{DeploymentID, All}` or `{DeploymentID, Groups}`. */
  promote(deploymentId: string, body: { DeploymentID?: string; All?: boolean; Groups?: string[] }): Record<string, unknown> {
    if (!body.DeploymentID) throw new DemoHttpError(400, 'DeploymentID must be specified');
    if (body.DeploymentID !== deploymentId) throw new DemoHttpError(400, 'Deployment ID does not match');
    const deployment = this.deployment(deploymentId);
    if (deployment.Status !== 'running') throw new DemoHttpError(500, `can't promote terminal deployment`);
    const groups = Object.entries(deployment.TaskGroups).filter(([name, state]) => state.DesiredCanaries > 0 && (body.All || body.Groups?.includes(name)));
    if (groups.length === 0) throw new DemoHttpError(500, 'no canaries to promote');
    for (const [, state] of groups) {
      if (state.HealthyAllocs < state.DesiredCanaries) throw new DemoHttpError(500, `Task group has ${state.HealthyAllocs}/${state.DesiredCanaries} healthy allocations`);
    }
    let result: Record<string, unknown> = {};
    this.host.commit((index) => {
      for (const [, state] of groups) state.Promoted = true;
      deployment.StatusDescription = 'Deployment is running';
      deployment.ModifyIndex = index;
      result = { EvalID: id(index, 0xe7a1), EvalCreateIndex: index, DeploymentModifyIndex: index, Index: index };
      return [this.deploymentEvent(deployment)];
    });
    const active = this.active.get(deployment.JobID);
    if (active && !active.timer) {
      active.timer = true;
      this.host.later(() => this.step(deployment.JobID), this.stepMs);
    }
    return result;
  }

  /** `POST /v1/deployment/fail/:id`: fails it, and rolls back when the group says auto_revert. */
  fail(deploymentId: string): Record<string, unknown> {
    const deployment = this.deployment(deploymentId);
    if (deployment.Status !== 'running') throw new DemoHttpError(500, `can't fail terminal deployment`);
    const autoRevert = Object.values(deployment.TaskGroups).some((state) => state.AutoRevert);
    const previous = autoRevert ? this.lastStable(deployment.JobID, deployment.JobVersion) : undefined;
    let result: Record<string, unknown> = {};
    this.host.commit((index) => {
      deployment.Status = 'failed';
      deployment.StatusDescription = previous !== undefined ? `Deployment marked as failed - rolling back to job version ${previous}` : 'Deployment marked as failed';
      deployment.ModifyIndex = index;
      result = { EvalID: id(index, 0xe7a1), EvalCreateIndex: index, DeploymentModifyIndex: index, RevertedJobVersion: previous ?? null, Index: index };
      return [this.deploymentEvent(deployment)];
    });
    this.active.delete(deployment.JobID);
    const target = previous !== undefined ? this.versions.get(deployment.JobID)?.[previous] : undefined;
    if (target) this.submit({ ...target }, 'rollback', deployment.JobVersion);
    return result;
  }

  /** `GET /v1/job/:id/versions?diffs=true`: newest first, each diffed against the one before. */
  jobVersions(jobId: string): Record<string, unknown> | undefined {
    const current = this.current(jobId);
    if (!current) return undefined;
    const history = this.versions.get(jobId) ?? [];
    const known = history.filter(Boolean);
    const list = known.length > 0 ? [...known].reverse() : [current];
    const stable = this.stable.get(jobId);
    return {
      Versions: list.map((version) => ({ ...version, Stable: stable ? stable.has(version.Version) : true })),
      Diffs: list.slice(0, -1).map((version, index) => (this.plan(version, list[index + 1]) as { Diff: unknown }).Diff),
      Index: this.nomad.jobs.find((job) => job.ID === jobId)?.JobModifyIndex ?? 0,
      KnownLeader: true,
      LastContact: 0,
    };
  }

  /** `POST /v1/client/allocation/:id/restart`: the tasks restart in place (pending, then running again). */
  restartAllocation(allocationId: string): Record<string, unknown> {
    const allocation = this.nomad.allocations.find((candidate) => candidate.ID === allocationId);
    if (!allocation) throw new DemoHttpError(404, `Unknown allocation "${allocationId}"`);
    if (allocation.ClientStatus !== 'running') throw new DemoHttpError(500, `Task not running`);
    const become = (status: 'pending' | 'running', description: string) =>
      this.host.commit((index, now) => {
        allocation.ClientStatus = status;
        allocation.ClientDescription = description;
        allocation.ModifyIndex = index;
        allocation.ModifyTime = now * NS_PER_MS;
        return [this.allocationEvent(allocation), this.jobEvent(allocation.JobID, index)];
      });
    this.restarts.set(allocationId, Date.now());
    become('pending', 'Tasks are restarting');
    this.host.later(() => become('running', 'Tasks are running'), this.stepMs);
    return {};
  }

  /** `POST /v1/allocation/:id/stop`: it stops, and a replacement is placed (the job does not change). */
  stopAllocation(allocationId: string): Record<string, unknown> {
    const allocation = this.nomad.allocations.find((candidate) => candidate.ID === allocationId);
    if (!allocation) throw new DemoHttpError(404, 'alloc not found');
    const job = this.current(allocation.JobID);
    let answer: Record<string, unknown> = {};
    this.host.commit((index, now) => {
      this.stop(allocation, index, now);
      allocation.DesiredDescription = 'alloc was stopped by the user';
      const events = [this.allocationEvent(allocation)];
      if (job && job.Version === allocation.JobVersion) {
        const replacement = this.newAllocation(job, allocation.TaskGroup, index, now, 7, false);
        this.nomad.allocations.push(replacement);
        events.push(this.allocationEvent(replacement));
        this.later(replacement.ID);
      }
      answer = { EvalID: id(index, 0xe7a1), Index: index };
      return [...events, this.jobEvent(allocation.JobID, index)];
    });
    return answer;
  }

  /** A placed allocation turns running after a step. */
  private later(allocationId: string): void {
    this.host.later(() => {
      const allocation = this.nomad.allocations.find((candidate) => candidate.ID === allocationId);
      if (!allocation || allocation.ClientStatus !== 'pending' || allocation.DesiredStatus !== 'run') return;
      this.host.commit((index, now) => {
        this.healthy(allocation, index, now, undefined);
        allocation.DeploymentStatus = null;
        return [this.allocationEvent(allocation), this.jobEvent(allocation.JobID, index)];
      });
    }, this.stepMs);
  }

  /** `DELETE /v1/job/:id` (`?purge=true`): every allocation stops; a purged job is gone. */
  stopJob(jobId: string, purge: boolean): Record<string, unknown> {
    const stub = this.nomad.jobs.find((candidate) => candidate.ID === jobId);
    if (!stub) throw new DemoHttpError(404, 'job not found');
    let answer: Record<string, unknown> = {};
    this.host.commit((index, now) => {
      const events: Event[] = [];
      for (const allocation of this.nomad.allocations.filter((candidate) => candidate.JobID === jobId && candidate.DesiredStatus === 'run')) {
        this.stop(allocation, index, now);
        allocation.DesiredDescription = 'alloc not needed due to job update';
        events.push(this.allocationEvent(allocation));
      }
      const definition = { ...this.current(jobId)!, Stop: true, Status: 'dead', JobModifyIndex: index };
      this.nomad.extraJobs.set(jobId, definition);
      stub.Stop = true;
      stub.JobModifyIndex = index;
      if (purge) {
        this.nomad.jobs.splice(this.nomad.jobs.indexOf(stub), 1);
        this.nomad.extraJobs.delete(jobId);
        this.versions.delete(jobId);
        events.push({ Topic: 'Job', Type: 'JobDeregistered', Key: jobId, Namespace: stub.Namespace, FilterKeys: null, Payload: { Job: definition, Deleted: true } });
      } else {
        events.push(this.jobEvent(jobId, index));
      }
      answer = { EvalID: id(index, 0xe7a1), EvalCreateIndex: index, JobModifyIndex: index, VolumeEvalID: '', VolumeEvalIndex: 0, Index: index, LastContact: 0, KnownLeader: true };
      return events;
    });
    return answer;
  }

  /** `GET /v1/job/:id/scale`. */
  scaleStatus(jobId: string): Record<string, unknown> | undefined {
    const job = this.current(jobId);
    const stub = this.nomad.jobs.find((candidate) => candidate.ID === jobId);
    if (!job || !stub) return undefined;
    const groups: Record<string, unknown> = {};
    for (const group of job.TaskGroups) {
      const mine = this.nomad.allocations.filter((allocation) => allocation.JobID === jobId && allocation.TaskGroup === group.Name && allocation.DesiredStatus === 'run');
      groups[group.Name] = { Desired: group.Count, Placed: mine.length, Running: mine.filter((a) => a.ClientStatus === 'running').length, Healthy: mine.filter((a) => a.DeploymentStatus?.Healthy).length, Unhealthy: mine.filter((a) => a.ClientStatus === 'failed').length, Events: null };
    }
    return { JobCreateIndex: stub.CreateIndex, JobID: jobId, Namespace: stub.Namespace, JobModifyIndex: stub.JobModifyIndex, JobStopped: Boolean(stub.Stop), TaskGroups: groups };
  }

  /** `POST /v1/job/:id/scale` `{Count, Target: {Group}}`: a new version with the count; allocations placed or stopped. */
  scale(jobId: string, body: { Count?: number; Target?: { Group?: string; Job?: string } }): Record<string, unknown> {
    if (body.Target?.Job !== undefined && body.Target.Job !== jobId) throw new DemoHttpError(400, 'job ID in payload did not match URL');
    const job = this.current(jobId);
    if (!job) throw new DemoHttpError(404, 'job not found');
    const group = job.TaskGroups.find((candidate) => candidate.Name === body.Target?.Group);
    if (!group) throw new DemoHttpError(400, `task group "${body.Target?.Group ?? ''}" specified for scaling does not exist in job`);
    if (typeof body.Count !== 'number' || body.Count < 0) throw new DemoHttpError(400, 'scaling action count can\'t be negative');
    if (this.nomad.deployments.some((deployment) => deployment.JobID === jobId && deployment.Status === 'running')) throw new DemoHttpError(400, 'job scaling blocked due to active deployment');
    const count = body.Count;
    let answer: Record<string, unknown> = {};
    this.host.commit((index, now) => {
      const history = this.versions.get(jobId) ?? [];
      if (history.length === 0) history[job.Version] = job;
      const next: DemoJob = { ...job, Version: job.Version + 1, JobModifyIndex: index, TaskGroups: job.TaskGroups.map((candidate) => (candidate.Name === group.Name ? { ...candidate, Count: count } : candidate)) };
      history[next.Version] = next;
      this.versions.set(jobId, history);
      this.nomad.extraJobs.set(jobId, next);
      const stub = this.nomad.jobs.find((candidate) => candidate.ID === jobId)!;
      stub.Version = next.Version;
      stub.JobModifyIndex = index;
      const events: Event[] = [];
      const mine = this.nomad.allocations.filter((allocation) => allocation.JobID === jobId && allocation.TaskGroup === group.Name && allocation.DesiredStatus === 'run');
      for (const allocation of mine.slice(count)) {
        this.stop(allocation, index, now);
        events.push(this.allocationEvent(allocation));
      }
      for (let serial = mine.length; serial < count; serial++) {
        const allocation = this.newAllocation(next, group.Name, index, now, serial, false);
        allocation.JobVersion = next.Version;
        this.nomad.allocations.push(allocation);
        events.push(this.allocationEvent(allocation));
        this.later(allocation.ID);
      }
      // Kept allocations move to the new version in place (a count is no destructive change).
      for (const allocation of mine.slice(0, count)) allocation.JobVersion = next.Version;
      answer = { EvalCreateIndex: index, EvalID: id(index, 0xe7a1), Index: index, JobModifyIndex: index, KnownLeader: true, LastContact: 0, Warnings: '' };
      return [...events, this.jobEvent(jobId, index)];
    });
    return answer;
  }

  /** `POST /v1/job/:id/revert` with `{JobID, JobVersion, EnforcePriorVersion}`. */
  revert(jobId: string, body: { JobID?: string; JobVersion?: number; EnforcePriorVersion?: number }): Record<string, unknown> {
    if (!body.JobID) throw new DemoHttpError(400, 'JobID must be specified');
    if (body.JobID !== jobId) throw new DemoHttpError(400, 'Job ID does not match');
    const current = this.current(jobId);
    if (!current) throw new DemoHttpError(404, 'job not found');
    if (body.EnforcePriorVersion !== undefined && body.EnforcePriorVersion !== current.Version) {
      throw new DemoHttpError(500, `Current job has version ${current.Version}; enforcing version ${body.EnforcePriorVersion}`);
    }
    const version = body.JobVersion ?? -1;
    if (version === current.Version) throw new DemoHttpError(500, `can't revert to current version`);
    const target = this.versions.get(jobId)?.[version];
    if (!target) throw new DemoHttpError(500, `job ${JSON.stringify(jobId)} in namespace ${JSON.stringify(current.Namespace)} at version ${version} not found`);
    const answer = this.submit({ ...target }, 'job-register');
    return { EvalID: answer.EvalID, EvalCreateIndex: answer.EvalCreateIndex, JobModifyIndex: answer.JobModifyIndex, Warnings: '', Index: answer.Index, LastContact: 0, KnownLeader: true };
  }
}
