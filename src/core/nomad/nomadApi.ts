// Types of the Nomad HTTP API responses the extension reads (the fields it uses, as Nomad names them).
// Reference: https://developer.hashicorp.com/nomad/api-docs (jobs, allocations, deployments, nodes).

/** Unix time in nanoseconds: above 2^53, so never pass it to `new Date` as is (see nomadTime.ts). */
export type Nanoseconds = number;

export interface NomadJobSummary {
  JobID: string;
  Namespace: string;
  Summary: Record<string, { Queued: number; Complete: number; Failed: number; Running: number; Starting: number; Lost: number; Unknown?: number }>;
  Children?: { Pending: number; Running: number; Dead: number } | null;
}

/** One element of `GET /v1/jobs`. */
export interface NomadJobListStub {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace?: string;
  Type: 'service' | 'batch' | 'system' | 'sysbatch' | string;
  Priority: number;
  Status: 'pending' | 'running' | 'dead' | string;
  StatusDescription: string;
  /** Present on current Nomad versions; absent in the API docs' sample. */
  Version?: number;
  Stop?: boolean;
  Periodic?: boolean;
  ParameterizedJob?: boolean;
  Datacenters?: string[];
  JobSummary: NomadJobSummary | null;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  SubmitTime?: Nanoseconds;
}

/** One element of `GET /v1/allocations` (with `task_states=false`, `TaskStates` is null). */
export interface NomadAllocationListStub {
  ID: string;
  EvalID: string;
  Name: string;
  Namespace: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  JobType: string;
  JobVersion: number;
  TaskGroup: string;
  DesiredStatus: 'run' | 'stop' | 'evict' | string;
  DesiredDescription: string;
  ClientStatus: 'pending' | 'running' | 'complete' | 'failed' | 'lost' | 'unknown' | string;
  ClientDescription: string;
  DeploymentStatus: { Healthy: boolean | null; Canary: boolean; Timestamp?: string; ModifyIndex?: number } | null;
  FollowupEvalID: string;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: Nanoseconds;
  ModifyTime: Nanoseconds;
  TaskStates: Record<string, unknown> | null;
  /**
   * Not Nomad's: why the allocation failed or restarts, in words, worked out by the extension from the task
   * states an Allocation event carries (the list is read without them).
   */
  FailureReason?: string;
}

export interface NomadDeploymentTaskGroupState {
  AutoRevert: boolean;
  /** Canaries are promoted by Nomad once healthy (`update { auto_promote = true }`). */
  AutoPromote?: boolean;
  Promoted: boolean;
  PlacedCanaries: string[] | null;
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
}

/** One element of `GET /v1/deployments` or `GET /v1/job/:id/deployments`. */
export interface NomadDeployment {
  ID: string;
  Namespace?: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  JobCreateIndex: number;
  TaskGroups: Record<string, NomadDeploymentTaskGroupState> | null;
  Status: 'running' | 'successful' | 'failed' | 'cancelled' | 'paused' | 'pending' | 'blocked' | 'unblocking' | string;
  StatusDescription: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** One element of `GET /v1/nodes`. */
export interface NomadNodeListStub {
  ID: string;
  Name: string;
  Address: string;
  Datacenter: string;
  NodeClass: string;
  NodePool?: string;
  Version: string;
  Drain: boolean;
  SchedulingEligibility: 'eligible' | 'ineligible' | string;
  Status: 'initializing' | 'ready' | 'down' | 'disconnected' | string;
  StatusDescription: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `GET /v1/job/:id`: the job as submitted (only the fields the extension reads are typed). */
export interface NomadJob {
  ID: string;
  Name: string;
  Namespace: string;
  Type: string;
  Status: string;
  Version?: number;
  JobModifyIndex?: number;
  /** The job-level `update` block; a group's own one wins. No `update` (MaxParallel 0): no deployment. */
  Update?: NomadUpdateStrategy | null;
  TaskGroups: {
    Name: string;
    Count: number;
    Update?: NomadUpdateStrategy | null;
    Tasks: {
      Name: string;
      Driver: string;
      Config: Record<string, unknown> | null;
      Resources?: { CPU?: number; MemoryMB?: number; MemoryMaxMB?: number } | null;
      /** Its `template` blocks: where each renders, and from which file (inline ones have none). */
      Templates?: { DestPath?: string; SourcePath?: string }[] | null;
    }[] | null;
  }[] | null;
}

export interface NomadUpdateStrategy {
  MaxParallel?: number;
  Canary?: number;
  AutoRevert?: boolean;
  AutoPromote?: boolean;
}

/** One task event (`TaskStates[task].Events[]`): newer Nomad versions add `DisplayMessage` and `Details`. */
export interface NomadTaskEvent {
  Type: string;
  /** Nanoseconds. */
  Time: Nanoseconds;
  DisplayMessage?: string;
  Details?: Record<string, string> | null;
  FailsTask?: boolean;
  ExitCode?: number;
  Signal?: number;
  Message?: string;
  DriverError?: string;
  DriverMessage?: string;
  DownloadError?: string;
  SetupError?: string;
  ValidationError?: string;
  KillError?: string;
  KillReason?: string;
  RestartReason?: string;
}

export interface NomadTaskState {
  State: 'pending' | 'running' | 'dead' | string;
  Failed: boolean;
  Restarts: number;
  /** When the task was last restarted (`0001-01-01T00:00:00Z`: never). */
  LastRestart?: string;
  StartedAt: string | null;
  FinishedAt: string | null;
  Events: NomadTaskEvent[] | null;
}

/** `GET /v1/allocation/:id`: the fields the allocation's rows read. */
export interface NomadAllocation {
  ID: string;
  Name: string;
  JobID: string;
  TaskGroup: string;
  ClientStatus: string;
  DesiredStatus: string;
  TaskStates: Record<string, NomadTaskState> | null;
  /** The job at the version the allocation runs (its tasks' `Actions` are the ones Nomad runs there). */
  Job?: unknown;
}

/** `FieldDiff` of a plan or a version diff (`nomad/structs/diff.go`): one attribute, old → new. */
export interface NomadFieldDiff {
  Type: NomadDiffType;
  Name: string;
  Old: string;
  New: string;
  Annotations: string[] | null;
}

/** "None" parts are unchanged and only there for context. */
export type NomadDiffType = 'Added' | 'Deleted' | 'Edited' | 'None' | string;

/** `ObjectDiff`: a nested block (Config, Update, a service…) with its own fields and objects. */
export interface NomadObjectDiff {
  Type: NomadDiffType;
  Name: string;
  Fields: NomadFieldDiff[] | null;
  Objects: NomadObjectDiff[] | null;
}

export interface NomadTaskDiff extends NomadObjectDiff {
  /** e.g. `forces create/destroy update`, `forces in-place update`. */
  Annotations: string[] | null;
}

export interface NomadTaskGroupDiff extends NomadObjectDiff {
  Tasks: NomadTaskDiff[] | null;
  /** The scheduler's counts by kind: `create`, `destroy`, `in-place update`, `create/destroy update`, `canary`, `ignore`, `migrate`, `stop`. */
  Updates: Record<string, number> | null;
}

export interface NomadJobDiff extends NomadObjectDiff {
  ID: string;
  TaskGroups: NomadTaskGroupDiff[] | null;
}

/** `DesiredUpdates` per task group (`Annotations.DesiredTGUpdates`). */
export interface NomadDesiredUpdates {
  Ignore: number;
  Place: number;
  Migrate: number;
  Stop: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Preemptions?: number;
}

/** `AllocMetric` of a failed placement (`FailedTGAllocs[group]`). */
export interface NomadAllocMetric {
  NodesEvaluated: number;
  NodesFiltered: number;
  NodesInPool?: number;
  NodesAvailable: Record<string, number> | null;
  ClassFiltered: Record<string, number> | null;
  ConstraintFiltered: Record<string, number> | null;
  NodesExhausted: number;
  ClassExhausted: Record<string, number> | null;
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted?: string[] | null;
  CoalescedFailures: number;
}

/** `POST /v1/job/:id/plan`. */
export interface NomadJobPlanResponse {
  Index?: number;
  /** The index `nomad job run -check-index` is checked against: 0 for a job that does not exist yet. */
  JobModifyIndex: number;
  Diff: NomadJobDiff | null;
  Annotations: { DesiredTGUpdates: Record<string, NomadDesiredUpdates> | null; PreemptedAllocs?: unknown[] | null } | null;
  FailedTGAllocs: Record<string, NomadAllocMetric> | null;
  CreatedEvals?: unknown[] | null;
  /** Several warnings are one string, joined by newlines (multierror). */
  Warnings: string;
  NextPeriodicLaunch?: string;
}

/** `POST /v1/jobs` (register). */
export interface NomadJobRegisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Warnings: string;
  Index?: number;
}

/** `POST /v1/deployment/promote/:id`, `/fail/:id`. */
export interface NomadDeploymentUpdateResponse {
  EvalID: string;
  EvalCreateIndex: number;
  DeploymentModifyIndex: number;
  /** Set when failing the deployment rolled the job back. */
  RevertedJobVersion?: number | null;
  Index?: number;
}

/** `POST /v1/job/:id/revert`. */
export interface NomadJobRevertResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Warnings?: string;
}

/** One element of `GET /v1/evaluations` or `/v1/job/:id/evaluations`, or an Evaluation event's payload. */
export interface NomadEvaluation {
  ID: string;
  JobID: string;
  Namespace?: string;
  /** The evaluation this one follows (a blocked evaluation's is the one whose placement failed). */
  PreviousEval?: string;
  CreateTime?: number;
  ModifyTime?: number;
  Type?: string;
  TriggeredBy: string;
  Status: 'pending' | 'complete' | 'failed' | 'blocked' | 'canceled' | string;
  StatusDescription: string;
  DeploymentID?: string;
  BlockedEval?: string;
  FailedTGAllocs: Record<string, NomadAllocMetric> | null;
  JobModifyIndex?: number;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `GET /v1/job/:id/versions?diffs=true`: newest first; `Diffs[i]` is Versions[i] against Versions[i + 1]. */
export interface NomadJobVersions {
  Versions: (NomadJob & { Stable?: boolean; SubmitTime?: Nanoseconds; JobModifyIndex?: number })[];
  Diffs: NomadJobDiff[] | null;
}

/** `GET /v1/job/:id/scale`. */
export interface NomadJobScaleStatus {
  JobID: string;
  JobModifyIndex: number;
  JobStopped: boolean;
  TaskGroups: Record<string, { Desired: number; Placed: number; Running: number; Healthy: number; Unhealthy: number; Events: unknown[] | null }> | null;
}

/** Usage of one allocation or task (`/v1/client/allocation/:id/stats`). */
export interface NomadResourceUsage {
  CpuStats?: { Percent?: number; TotalTicks?: number; Measured?: string[] } | null;
  MemoryStats?: { RSS?: number; Cache?: number; Usage?: number; MaxUsage?: number; Measured?: string[] } | null;
}

export interface NomadAllocationStats {
  ResourceUsage: NomadResourceUsage | null;
  Tasks: Record<string, { ResourceUsage: NomadResourceUsage | null; Timestamp: Nanoseconds }> | null;
  Timestamp: Nanoseconds;
}

/** What a write that creates an evaluation answers (stop, deregister, force, dispatch, scale). */
export interface NomadEvalResponse {
  EvalID: string;
  EvalCreateIndex?: number;
  JobModifyIndex?: number;
  DispatchedJobID?: string;
  Index?: number;
}

/** `POST /v1/validate/job`: a 200 that lists what is wrong. */
export interface NomadValidateResponse {
  DriverConfigValidated?: boolean;
  ValidationErrors: string[] | null;
  Error: string;
  Warnings: string;
}
