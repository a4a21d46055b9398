// Following a rollout to its end, from what the cluster store holds: the job's new version appears, its
// deployment places, canaries and health move, and it ends successful or failed (perhaps rolled back).
// Jobs without deployments (batch, system, or no `update`) are followed by their allocations and their
// evaluation. Pure: the state is a function of the snapshot, so the same follow runs on recorded events.
import { NomadAllocationListStub, NomadEvaluation, NomadJob } from '../nomad/nomadApi';
import { ACTIVE_DEPLOYMENT_STATUSES, awaitingPromotion, GroupProgress, groupProgress } from '../nomad/deployments';

export type { GroupProgress } from '../nomad/deployments';
import { itemNamespace, NomadSectionData } from '../tree/nomad/nomadProperties';
import { failedPlacementReasons } from './planDocument';
import { versionWords } from '../jobspec/deployStatus';

export interface FollowTarget {
  jobId: string;
  namespace: string;
  /** The job's JobModifyIndex before the deploy; undefined when the job did not exist. */
  baselineJobModifyIndex?: number;
  /**
   * The version being followed, pinned by the caller once it first appears: an auto-revert registers a
   * newer version, and the follow must stay on the one that was deployed.
   */
  version?: number;
  /** The jobspec deployed, when the deploy came from a file (a URI string): Restore the Running Tag edits it. */
  file?: string;
}

export type FollowPhase =
  /** The new version is not in the store yet (the terminal is still submitting). */
  | 'waiting'
  /** A deployment rolls the new version out. */
  | 'deploying'
  /** No deployment: the scheduler places the new version's allocations. */
  | 'placing'
  | 'successful'
  | 'failed'
  /** The evaluation could not place some allocations (no deployment to wait for). */
  | 'placementFailed'
  /** A newer version replaced this one before it finished. */
  | 'cancelled';

export interface FailingAllocation {
  id: string;
  name: string;
  /** In words, from its task events (`Exit Code: 1`, `Driver Failure: …`), when the store has them. */
  reason?: string;
}

export interface FollowState {
  phase: FollowPhase;
  ended: boolean;
  version?: number;
  deploymentId?: string;
  groups: GroupProgress[];
  /** Canaries are placed and healthy and wait for someone to promote them. */
  awaitingPromotion: boolean;
  description?: string;
  failingAllocations: FailingAllocation[];
  /** The version an auto-revert rolled the job back to. */
  rolledBackTo?: number;
  placementFailures: { group: string; reasons: string[] }[];
  /** The followed version's definition, when the store has it (its images name the version in words). */
  definition?: NomadJob;
}

export interface FollowInput {
  snapshot: NomadSectionData;
  /** The job's submitted definition, when the store has it: says whether a deployment will come. */
  definition?: NomadJob;
  /**
   * The job's evaluations the store holds (newest first): the open ones and the newest; a finished one may be
   * missing where the store follows lists instead of the event stream.
   */
  evaluations?: NomadEvaluation[];
  /**
   * The follow's state before this snapshot: it keeps the followed version's definition once seen, for an
   * auto-revert replaces the store's definition with the reverted one before the outcome is told.
   */
  previous?: FollowState;
}

/** Nomad's words when a failed deployment rolls back (`DeploymentStatusDescriptionRollback`, structs.go). */
const ROLLBACK_PATTERN = /rolling back to job version (\d+)/;

const JOB_TYPES_WITHOUT_DEPLOYMENTS = ['batch', 'sysbatch', 'system'];

/** Whether a new version of this job gets a deployment: a service job whose groups have an `update` with max_parallel > 0. */
export function expectsDeployment(definition: NomadJob | undefined, jobType: string | undefined): boolean | undefined {
  const type = definition?.Type ?? jobType;
  if (type && JOB_TYPES_WITHOUT_DEPLOYMENTS.includes(type)) return false;
  if (!definition?.TaskGroups) return undefined;
  return definition.TaskGroups.some((group) => ((group.Update ?? definition.Update)?.MaxParallel ?? 0) > 0);
}

function sameNamespace(target: FollowTarget, namespace: string | undefined, asked: string): boolean {
  return itemNamespace(namespace, asked) === target.namespace;
}

function failing(allocations: NomadAllocationListStub[]): FailingAllocation[] {
  return allocations
    .filter((allocation) => allocation.ClientStatus === 'failed' || allocation.ClientStatus === 'lost' || allocation.DeploymentStatus?.Healthy === false)
    .sort((a, b) => b.ModifyIndex - a.ModifyIndex)
    .map((allocation) => ({ id: allocation.ID, name: allocation.Name, reason: allocation.FailureReason }));
}

function placementFailures(evaluation: NomadEvaluation | undefined): { group: string; reasons: string[] }[] {
  return Object.entries(evaluation?.FailedTGAllocs ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, metric]) => ({ group, reasons: failedPlacementReasons(metric) }));
}

/** Where the rollout of `target` is, from the store's snapshot. */
export function followRollout(target: FollowTarget, input: FollowInput): FollowState {
  const { snapshot } = input;
  const base: FollowState = { phase: 'waiting', ended: false, groups: [], awaitingPromotion: false, failingAllocations: [], placementFailures: [] };
  const job = snapshot.jobs.find((candidate) => candidate.ID === target.jobId && sameNamespace(target, candidate.Namespace, snapshot.namespace));
  if (!job) return base;
  if (target.version === undefined && target.baselineJobModifyIndex !== undefined && job.JobModifyIndex <= target.baselineJobModifyIndex) return base;
  const version = target.version ?? job.Version ?? input.definition?.Version;
  const since = target.baselineJobModifyIndex ?? 0;
  const ofVersion = snapshot.allocations.filter((allocation) => allocation.JobID === target.jobId && sameNamespace(target, allocation.Namespace, snapshot.namespace) && (version === undefined || allocation.JobVersion === version));
  // The evaluation of this registration (its JobModifyIndex is the job's, when the server sends it).
  const evaluation = input.evaluations?.find((candidate) => candidate.CreateIndex > since && (candidate.JobModifyIndex === undefined || candidate.JobModifyIndex > since));
  const failures = placementFailures(evaluation);
  const deployment = snapshot.deployments
    .filter((candidate) => candidate.JobID === target.jobId && sameNamespace(target, candidate.Namespace, snapshot.namespace) && (version === undefined || candidate.JobVersion === version) && candidate.CreateIndex > since)
    .sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
  const definition = input.definition && input.definition.Version === version ? input.definition : input.previous?.definition?.Version === version ? input.previous?.definition : undefined;
  const withVersion: FollowState = { ...base, version, placementFailures: failures, ...(definition ? { definition } : {}) };

  if (deployment) {
    const state: FollowState = { ...withVersion, deploymentId: deployment.ID, groups: groupProgress(deployment), description: deployment.StatusDescription };
    if (ACTIVE_DEPLOYMENT_STATUSES.includes(deployment.Status)) {
      return { ...state, phase: 'deploying', awaitingPromotion: awaitingPromotion(deployment), failingAllocations: failing(ofVersion) };
    }
    if (deployment.Status === 'successful') return { ...state, phase: 'successful', ended: true };
    if (deployment.Status === 'cancelled') return { ...state, phase: 'cancelled', ended: true };
    const rollback = ROLLBACK_PATTERN.exec(deployment.StatusDescription);
    return { ...state, phase: 'failed', ended: true, failingAllocations: failing(ofVersion), rolledBackTo: rollback ? Number(rollback[1]) : undefined };
  }

  const deploys = expectsDeployment(input.definition, job.Type);
  if (deploys !== false) {
    // The deployment is on its way (or the definition is not known yet): keep waiting, but say what fails.
    // A blocked evaluation with nothing of the version placed: the job waits for room that may never come.
    const waitsForRoom = evaluation?.Status === 'blocked' && ofVersion.length === 0;
    if (failures.length > 0 && (waitsForRoom || (evaluation?.Status !== 'blocked' && deploys === undefined))) {
      return { ...withVersion, phase: 'placementFailed', ended: true, description: evaluation?.StatusDescription };
    }
    return withVersion;
  }

  // No deployment will come: follow the allocations of the version until they run.
  const groups = (input.definition?.TaskGroups ?? []).map((group) => {
    const mine = ofVersion.filter((allocation) => allocation.TaskGroup === group.Name && allocation.DesiredStatus === 'run');
    const running = mine.filter((allocation) => allocation.ClientStatus === 'running' || allocation.ClientStatus === 'complete').length;
    const unhealthy = mine.filter((allocation) => allocation.ClientStatus === 'failed' || allocation.ClientStatus === 'lost').length;
    // A system job places one per eligible node: what the scheduler placed is what it wants.
    const desired = job.Type === 'system' || job.Type === 'sysbatch' ? mine.length : group.Count;
    return { group: group.Name, placed: mine.length, healthy: running, unhealthy, desired, desiredCanaries: 0, placedCanaries: 0, promoted: false, autoPromote: false };
  });
  const state: FollowState = { ...withVersion, phase: 'placing', groups, failingAllocations: failing(ofVersion), description: evaluation?.StatusDescription };
  if (failures.length > 0) return { ...state, phase: 'placementFailed', ended: true };
  if (state.failingAllocations.length > 0 && groups.every((group) => group.healthy + group.unhealthy >= group.desired)) {
    return { ...state, phase: 'failed', ended: true };
  }
  if (evaluation?.Status === 'complete' && groups.length > 0 && groups.every((group) => group.healthy >= group.desired)) {
    return { ...state, phase: 'successful', ended: true };
  }
  // The registration's evaluation not held (the store reads only open ones as lists): the allocations decide.
  if (!evaluation && groups.length > 0 && groups.every((group) => group.desired > 0 && group.healthy >= group.desired)) {
    return { ...state, phase: 'successful', ended: true };
  }
  return state;
}

/** One group's progress in words: `whoami: 2 placed · 1 healthy · 0 unhealthy of 3 · canary 1/1`. */
export function groupProgressWords(group: GroupProgress): string {
  const canaries = group.desiredCanaries > 0 ? ` · ${group.desiredCanaries === 1 ? 'canary' : 'canaries'} ${group.placedCanaries}/${group.desiredCanaries}${group.promoted ? ' promoted' : ''}` : '';
  return `${group.group}: ${group.placed} placed · ${group.healthy} healthy · ${group.unhealthy} unhealthy of ${group.desired}${canaries}`;
}

function totals(groups: GroupProgress[]): { healthy: number; desired: number } {
  return groups.reduce((sum, group) => ({ healthy: sum.healthy + group.healthy, desired: sum.desired + group.desired }), { healthy: 0, desired: 0 });
}

/** `job version 6 (image v1.10.4)`, or `a new job version` before it is known. */
function followedVersion(state: FollowState): string {
  return state.version !== undefined ? versionWords(state.version, state.definition) : 'a new job version';
}

/** The rollout in a few words, for the lens and the status bar: `deploying job version 8 (image v2) · 2/3 healthy`. */
export function followHeadline(state: FollowState): string {
  const version = followedVersion(state);
  const { healthy, desired } = totals(state.groups);
  switch (state.phase) {
    case 'waiting':
      return state.version !== undefined ? `registered ${version} · waiting for its deployment` : 'submitting…';
    case 'deploying':
      return `deploying ${version} · ${healthy}/${desired} healthy${state.awaitingPromotion ? ' · canary waiting for promotion' : ''}`;
    case 'placing':
      return `placing ${version} · ${healthy}/${desired} running`;
    case 'successful':
      return `deployed ${version} · ${healthy}/${desired} healthy`;
    case 'failed':
      return `failed ${version}${state.rolledBackTo !== undefined ? ` · rolled back to job version ${state.rolledBackTo} (auto_revert)` : ''}`;
    case 'placementFailed':
      return `placement failed for ${version}`;
    case 'cancelled':
      return `cancelled ${version}`;
  }
}

/**
 * The end of a rollout in one sentence, for the notification. A failure names first what the cluster says
 * failed — the failing task event of the newest failing allocation, in its own words — and the
 * deployment's description (which, for a task that died, only says its allocation was unhealthy) after it.
 */
export function followOutcome(state: FollowState, jobId: string, profileName: string): string {
  const where = `${jobId} ${followedVersion(state)} on "${profileName}"`;
  const { healthy, desired } = totals(state.groups);
  switch (state.phase) {
    case 'successful':
      return `${where}: successful${desired > 0 ? `, ${healthy}/${desired} healthy` : ''}.`;
    case 'failed': {
      const withReason = state.failingAllocations.filter((allocation) => allocation.reason);
      const reasons = [...new Set(withReason.map((allocation) => allocation.reason!))].slice(0, 2);
      const why = reasons.map((reason) => {
        const allocations = withReason.filter((allocation) => allocation.reason === reason).map((allocation) => allocation.id.slice(0, 8));
        return `${reason} (allocation${allocations.length > 1 ? 's' : ''} ${allocations.slice(0, 3).join(', ')}${allocations.length > 3 ? ', …' : ''})`;
      });
      const rolled = state.rolledBackTo !== undefined ? ` Rolled back to job version ${state.rolledBackTo} (auto_revert).` : '';
      const failingNames = state.failingAllocations.length > 0 && why.length === 0 ? ` Failing: ${state.failingAllocations.slice(0, 3).map((allocation) => allocation.id.slice(0, 8)).join(', ')}.` : '';
      const deployment = state.description ? ` The deployment: ${state.description}.` : '';
      return `${where}: failed${why.length ? ` — ${why.join('; ')}.` : '.'}${failingNames}${deployment}${rolled}`;
    }
    case 'placementFailed':
      return `${where}: placement failed. ${state.placementFailures.map((failure) => `${failure.group}: ${failure.reasons.join('; ')}`).join(' · ')}`;
    case 'cancelled':
      return `${where}: cancelled${state.description ? ` (${state.description})` : ''}.`;
    default:
      return `${where}: ${followHeadline(state)}.`;
  }
}
