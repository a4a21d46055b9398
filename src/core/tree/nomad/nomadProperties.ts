import { variablesFolderNode } from './variableProperties';
import { NomadAllocationListStub, NomadAllocMetric, NomadDeployment, NomadEvaluation, NomadJobListStub, NomadNodeListStub } from '../../nomad/nomadApi';
import { failedPlacementReasons } from '../../deploy/planDocument';
import { ACTIVE_DEPLOYMENT_STATUSES, awaitingPromotion } from '../../nomad/deployments';
import { formatAge, nanosecondsToDate } from '../../nomad/nomadTime';
import { ExplorerNode, own, folderNode, HEALTH_COLORS, HEALTH_ICONS, infoNode, NodeIcon } from '../explorerNode';
import { nomadAllocationUrl, nomadJobUrl, nomadNodeUrl, UiAddresses } from '../links';

export interface NomadSectionData {
  jobs: NomadJobListStub[];
  allocations: NomadAllocationListStub[];
  deployments: NomadDeployment[];
  nodes: NomadNodeListStub[];
  /**
   * The evaluations that say why a job waits: every blocked or pending one, and each job's newest (from the
   * event stream; `keptEvaluations`). Absent where a caller built the data without them.
   */
  evaluations?: NomadEvaluation[];
  /** The namespace asked for; list stubs of old servers carry none of their own. */
  namespace: string;
}

export interface NomadSectionOptions {
  ui: UiAddresses;
  /** Milliseconds since the epoch, for allocation ages; a parameter so tests are exact. */
  now: number;
}

/** Key of a job across namespaces: the same job ID may exist in two namespaces when listing `*`. */
export function jobKey(namespace: string, jobId: string): string {
  return `${namespace}\u0000${jobId}`;
}

/** The namespace an item is in: its own, else the one asked for (`*` asks for all; an item in none is in default). */
/** The one namespace a profile's namespace stands for when one is needed: `*` (every one) and none mean default. */
export function singleNamespace(asked: string): string {
  return asked && asked !== '*' ? asked : 'default';
}

export function itemNamespace(namespace: string | undefined, asked: string): string {
  return namespace || (asked === '*' ? 'default' : asked);
}

/** An evaluation still waits: for room on the cluster (blocked) or for a scheduler (pending). */
export function isOpenEvaluation(evaluation: NomadEvaluation): boolean {
  return evaluation.Status === 'blocked' || evaluation.Status === 'pending';
}

/** A job's evaluations the store holds, newest first. */
export function jobEvaluations(data: NomadSectionData, jobId: string, namespace: string): NomadEvaluation[] {
  return (data.evaluations ?? []).filter((evaluation) => evaluation.JobID === jobId && itemNamespace(evaluation.Namespace, data.namespace) === namespace).sort((a, b) => b.CreateIndex - a.CreateIndex);
}

export function jobNamespace(job: NomadJobListStub, fallback: string): string {
  return itemNamespace(job.Namespace || job.JobSummary?.Namespace, fallback);
}

/** The newest deployment of each job (highest CreateIndex), from one `/v1/deployments` list. */
export function latestDeployments(deployments: NomadDeployment[], fallbackNamespace: string): Map<string, NomadDeployment> {
  const latest = new Map<string, NomadDeployment>();
  for (const deployment of deployments) {
    const key = jobKey(itemNamespace(deployment.Namespace, fallbackNamespace), deployment.JobID);
    const current = latest.get(key);
    if (!current || deployment.CreateIndex > current.CreateIndex) {
      latest.set(key, deployment);
    }
  }
  return latest;
}

export function deploymentHealth(deployment: NomadDeployment): { healthy: number; desired: number } {
  let healthy = 0;
  let desired = 0;
  for (const group of Object.values(deployment.TaskGroups ?? {})) {
    healthy += group.HealthyAllocs;
    desired += group.DesiredTotal;
  }
  return { healthy, desired };
}

/** The first two levels of the Nomad section: jobs with their allocations and latest deployment, and nodes. */
/** The allocations of each job (by jobKey), in one pass over the list. */
export function allocationsByJob(data: NomadSectionData): Map<string, NomadAllocationListStub[]> {
  const byJob = new Map<string, NomadAllocationListStub[]>();
  for (const allocation of data.allocations) {
    const key = jobKey(itemNamespace(allocation.Namespace, data.namespace), allocation.JobID);
    const list = byJob.get(key);
    if (list) {
      list.push(allocation);
    } else {
      byJob.set(key, [allocation]);
    }
  }
  return byJob;
}

export function nomadSectionNodes(data: NomadSectionData, options: NomadSectionOptions): ExplorerNode[] {
  const byJob = allocationsByJob(data);
  const deployments = latestDeployments(data.deployments, data.namespace);
  const waiting = new Map<string, NomadEvaluation[]>();
  for (const evaluation of data.evaluations ?? []) {
    if (!isOpenEvaluation(evaluation)) continue;
    const key = jobKey(itemNamespace(evaluation.Namespace, data.namespace), evaluation.JobID);
    waiting.set(key, [...(waiting.get(key) ?? []), evaluation]);
  }
  const jobs = [...data.jobs]
    .sort((a, b) => a.ID.localeCompare(b.ID))
    .map((job) => {
      const namespace = jobNamespace(job, data.namespace);
      const key = jobKey(namespace, job.ID);
      return nomadJobNode(job, namespace, byJob.get(key) ?? [], deployments.get(key), options, waiting.get(key) ?? []);
    });
  const nodes = [...data.nodes].sort((a, b) => a.Name.localeCompare(b.Name)).map((node) => nomadNodeNode(node, options.ui));
  return [folderNode('nomad/jobs', 'Jobs', jobs, true, 'package'), folderNode('nomad/nodes', 'Nodes', nodes, false, 'server'), variablesFolderNode(data.namespace)];
}

const JOB_STATUS_ICONS: Record<string, NodeIcon> = {
  running: { id: 'play-circle', color: HEALTH_COLORS.passing },
  pending: { id: 'clock', color: HEALTH_COLORS.warning },
  dead: { id: 'circle-slash', color: HEALTH_COLORS.neutral },
};

/**
 * The failed allocations the scheduler still wants running that are the newest of their slot (`job.group[n]`):
 * one that a newer allocation replaced — a rollout's new version, a reschedule — no longer degrades the job.
 */
export function currentFailures(allocations: readonly NomadAllocationListStub[]): NomadAllocationListStub[] {
  return newestOfSlots(allocations).filter((allocation) => allocation.ClientStatus === 'failed' && allocation.DesiredStatus === 'run');
}

/** The allocations that are the newest of their slot (`job.group[n]`): none a newer allocation replaced. */
export function newestOfSlots<T extends { Name: string; CreateIndex: number }>(allocations: readonly T[]): T[] {
  const newest = new Map<string, number>();
  for (const allocation of allocations) newest.set(allocation.Name, Math.max(newest.get(allocation.Name) ?? -1, allocation.CreateIndex));
  return allocations.filter((allocation) => newest.get(allocation.Name) === allocation.CreateIndex);
}

export function nomadJobNode(
  job: NomadJobListStub,
  namespace: string,
  allocations: NomadAllocationListStub[],
  deployment: NomadDeployment | undefined,
  options: NomadSectionOptions,
  waiting: NomadEvaluation[] = [],
): ExplorerNode {
  const version = job.Version ?? maxJobVersion(allocations);
  const parts = [job.Type, job.Stop ? 'stopped' : job.Status];
  if (version !== undefined) {
    parts.push(`v${version}`);
  }
  parts.push(namespace);
  // Failed allocations the scheduler still wants running: a running job with some is degraded (warning),
  // a job that is not running with some has failed (error). The count makes the icon readable.
  const failed = currentFailures(allocations).length;
  if (failed > 0) parts.push(`${failed} failed`);
  const blocked = waiting.filter((evaluation) => evaluation.Status === 'blocked').length;
  if (blocked > 0) parts.push(`waiting for room (${blocked === 1 ? 'blocked evaluation' : `${blocked} blocked evaluations`})`);
  else if (waiting.length > 0) parts.push('evaluation pending');
  const icon = failed > 0 ? (job.Status === 'running' && !job.Stop ? HEALTH_ICONS.warning : HEALTH_ICONS.critical) : (own(JOB_STATUS_ICONS, job.Status) ?? { id: 'package' });

  const buildChildren = (): ExplorerNode[] => {
    // Newest first. The list is this job's own group (built by nomadSectionNodes), so sorting it in place is safe.
    const sorted = allocations.sort((a, b) => b.CreateIndex - a.CreateIndex);
    const children: ExplorerNode[] = [];
    for (const evaluation of [...waiting].sort((a, b) => b.CreateIndex - a.CreateIndex)) children.push(nomadEvaluationNode(evaluation, namespace, options));
    if (deployment) {
      children.push(nomadDeploymentNode(job.ID, namespace, deployment));
    }
    children.push(jobVersionsNode(job.ID, namespace));
    for (const allocation of sorted) {
      children.push(nomadAllocationNode(allocation, options));
    }
    if (sorted.length === 0) {
      children.push(infoNode(`nomad/job/${namespace}/${job.ID}/none`, 'No allocations'));
    }
    return children;
  };
  const summary = Object.entries(job.JobSummary?.Summary ?? {})
    .map(([group, counts]) => `  ${group}: ${counts.Running} running, ${counts.Starting} starting, ${counts.Queued} queued, ${counts.Failed} failed, ${counts.Lost} lost, ${counts.Complete} complete`)
    .join('\n');
  return {
    id: `nomad/job/${namespace}/${job.ID}`,
    label: job.ID,
    description: parts.join(' · '),
    tooltip: [`Job ${job.ID}${job.Name && job.Name !== job.ID ? ` (${job.Name})` : ''}`, `Type: ${job.Type}`, `Status: ${job.Status}${job.StatusDescription ? ` (${job.StatusDescription})` : ''}`, `Namespace: ${namespace}`, `Priority: ${job.Priority}`, version !== undefined ? `Version: ${version}` : '', summary ? `Task groups:\n${summary}` : '']
      .filter(Boolean)
      .join('\n'),
    icon,
    // Force is offered on periodic jobs, Dispatch on parameterized ones, Stop on jobs not stopped.
    contextValue: ['nomadJob browsable copyId', ...(job.Periodic ? ['periodicJob'] : []), ...(job.ParameterizedJob ? ['parameterizedJob'] : []), ...(!job.Stop && job.Status !== 'dead' ? ['jobActive'] : [])].join(' '),
    collapsible: 'collapsed',
    computeChildren: buildChildren,
    copy: { id: job.ID },
    url: nomadJobUrl(options.ui, job.ID, namespace),
    job: { id: job.ID, namespace },
  };
}

function maxJobVersion(allocations: NomadAllocationListStub[]): number | undefined {
  let version: number | undefined;
  for (const allocation of allocations) {
    if (version === undefined || allocation.JobVersion > version) {
      version = allocation.JobVersion;
    }
  }
  return version;
}

const DEPLOYMENT_ICONS: Record<string, NodeIcon> = {
  successful: HEALTH_ICONS.passing,
  running: { id: 'sync', color: HEALTH_COLORS.warning },
  paused: { id: 'debug-pause', color: HEALTH_COLORS.warning },
  pending: { id: 'clock', color: HEALTH_COLORS.warning },
  failed: HEALTH_ICONS.critical,
  cancelled: HEALTH_ICONS.neutral,
};

/** `3 allocations not placed`: how many of a group's allocations an evaluation could not place. */
function notPlaced(metric: NomadAllocMetric): string {
  const count = metric.CoalescedFailures + 1;
  return `${count} ${count === 1 ? 'allocation' : 'allocations'} not placed`;
}

/**
 * An evaluation the job waits on: blocked (no node has room, or none meets its constraints) or pending (for a
 * scheduler). Its failed groups are its children, each reason in words, each opening the jobspec's line.
 */
export function nomadEvaluationNode(evaluation: NomadEvaluation, namespace: string, options: NomadSectionOptions): ExplorerNode {
  const failed = Object.entries(evaluation.FailedTGAllocs ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const created = evaluation.CreateTime ? nanosecondsToDate(evaluation.CreateTime) : undefined;
  const age = created ? formatAge(created, options.now) : '';
  const summary = failed.map(([group, metric]) => `${group}: ${notPlaced(metric)}`).join(', ');
  const id = `nomad/job/${namespace}/${evaluation.JobID}/evaluation/${evaluation.ID}`;
  return {
    id,
    label: `Evaluation ${evaluation.ID.slice(0, 8)}`,
    description: [evaluation.Status, summary, evaluation.TriggeredBy, age].filter(Boolean).join(' · '),
    tooltip: [`Evaluation ${evaluation.ID}`, `Status: ${evaluation.Status}${evaluation.StatusDescription ? ` (${evaluation.StatusDescription})` : ''}`, `Triggered by: ${evaluation.TriggeredBy}`, evaluation.PreviousEval ? `Follows evaluation ${evaluation.PreviousEval}` : '', created ? `Created: ${created.toISOString()}` : '', evaluation.Status === 'blocked' ? 'Nomad places what it could not when a node with room and the right attributes joins or frees up.' : '']
      .filter(Boolean)
      .join('\n'),
    icon: evaluation.Status === 'blocked' ? HEALTH_ICONS.warning : { id: 'clock', color: HEALTH_COLORS.warning },
    contextValue: 'nomadEvaluation copyId',
    collapsible: failed.length > 0 ? 'expanded' : 'none',
    copy: { id: evaluation.ID },
    job: { id: evaluation.JobID, namespace },
    children: failed.flatMap(([group, metric]) =>
      failedPlacementReasons(metric).map((reason, index) => ({
        id: `${id}/${group}/${index}`,
        label: `${group}: ${notPlaced(metric)}`,
        description: reason,
        tooltip: `Group "${group}": ${reason}.\nClick to open the jobspec at the line that governs it.`,
        icon: { id: 'circle-slash', color: HEALTH_COLORS.critical },
        contextValue: 'nomadPlacementFailure',
        collapsible: 'none' as const,
        command: { id: 'hashistack.openJobspec', title: 'Open Jobspec', arguments: [{ jobId: evaluation.JobID, group, reason }] },
      })),
    ),
  };
}

/** A job's versions with their diffs, loaded on expand (one request, `/v1/job/:id/versions?diffs=true`). */
export function jobVersionsNode(jobId: string, namespace: string): ExplorerNode {
  return {
    id: `nomad/job/${namespace}/${jobId}/versions`,
    label: 'Versions',
    tooltip: 'Every version of the job, whether it is stable, and what changed from the one before',
    icon: { id: 'history' },
    contextValue: 'nomadJobVersions',
    collapsible: 'collapsed',
    lazyChildren: { kind: 'jobVersions', jobId, namespace },
    job: { id: jobId, namespace },
  };
}

export function nomadDeploymentNode(jobId: string, namespace: string, deployment: NomadDeployment): ExplorerNode {
  const { healthy, desired } = deploymentHealth(deployment);
  return {
    id: `nomad/job/${namespace}/${jobId}/deployment`,
    label: `Deployment ${deployment.ID.slice(0, 8)}`,
    description: `${deployment.Status}${awaitingPromotion(deployment) ? ' · canary waiting for promotion' : ''} · ${healthy}/${desired} healthy · v${deployment.JobVersion}`,
    tooltip: [`Deployment ${deployment.ID}`, `Job version: ${deployment.JobVersion}`, `Status: ${deployment.Status}`, deployment.StatusDescription, `Healthy: ${healthy} of ${desired}`].filter(Boolean).join('\n'),
    icon: own(DEPLOYMENT_ICONS, deployment.Status) ?? { id: 'rocket' },
    // Promote and Fail are offered while it runs; Promote only when canaries wait for it.
    contextValue: ['nomadDeployment copyId', ...(ACTIVE_DEPLOYMENT_STATUSES.includes(deployment.Status) ? ['deploymentActive'] : []), ...(awaitingPromotion(deployment) ? ['deploymentCanaries'] : [])].join(' '),
    collapsible: 'none',
    copy: { id: deployment.ID },
    deployment: { id: deployment.ID, jobId, namespace },
  };
}

const ALLOCATION_ICONS: Record<string, NodeIcon> = {
  running: HEALTH_ICONS.passing,
  pending: { id: 'clock', color: HEALTH_COLORS.warning },
  failed: HEALTH_ICONS.critical,
  lost: HEALTH_ICONS.critical,
  unknown: { id: 'question', color: HEALTH_COLORS.warning },
  complete: { id: 'check', color: HEALTH_COLORS.neutral },
};

export function nomadAllocationNode(allocation: NomadAllocationListStub, options: NomadSectionOptions): ExplorerNode {
  const created = nanosecondsToDate(allocation.CreateTime);
  const age = formatAge(created, options.now);
  const status = allocation.DesiredStatus === 'run' ? allocation.ClientStatus : `${allocation.ClientStatus} (desired ${allocation.DesiredStatus})`;
  const health = allocation.DeploymentStatus?.Healthy;
  return {
    id: `nomad/allocation/${allocation.ID}`,
    label: allocation.ID.slice(0, 8),
    description: `${status}${allocation.FailureReason ? ` · ${allocation.FailureReason}` : ''} · ${allocation.NodeName} · v${allocation.JobVersion}${age ? ` · ${age}` : ''}`,
    tooltip: () => [
      `Allocation ${allocation.ID}`,
      `Name: ${allocation.Name}`,
      `Client status: ${allocation.ClientStatus}${allocation.ClientDescription ? ` (${allocation.ClientDescription})` : ''}`,
      `Desired status: ${allocation.DesiredStatus}${allocation.DesiredDescription ? ` (${allocation.DesiredDescription})` : ''}`,
      health === undefined || health === null ? '' : `Deployment health: ${health ? 'healthy' : 'unhealthy'}`,
      `Node: ${allocation.NodeName} (${allocation.NodeID})`,
      `Task group: ${allocation.TaskGroup}`,
      `Job version: ${allocation.JobVersion}`,
      created ? `Created: ${created.toISOString()}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: allocation.DesiredStatus !== 'run' && allocation.ClientStatus !== 'failed' ? HEALTH_ICONS.neutral : (own(ALLOCATION_ICONS, allocation.ClientStatus) ?? { id: 'circle-outline' }),
    // Restart acts on an allocation that runs; Stop on one Nomad still wants running.
    contextValue: ['nomadAllocation browsable copyId', ...(allocation.DesiredStatus === 'run' ? ['allocationActive'] : []), ...(allocation.ClientStatus === 'running' ? ['allocationRunning'] : [])].join(' '),
    allocation: { id: allocation.ID, jobId: allocation.JobID, namespace: allocation.Namespace || 'default', group: allocation.TaskGroup, running: allocation.ClientStatus === 'running' },
    // Its tasks and their events load when it is expanded (one request for this allocation).
    collapsible: 'collapsed',
    lazyChildren: { kind: 'allocationTasks', allocationId: allocation.ID },
    copy: { id: allocation.ID },
    url: nomadAllocationUrl(options.ui, allocation.ID),
  };
}

export function nomadNodeNode(node: NomadNodeListStub, ui: UiAddresses): ExplorerNode {
  const parts = [node.Status, node.SchedulingEligibility];
  if (node.Drain) {
    parts.push('draining');
  }
  const icon = node.Status === 'ready' ? (node.SchedulingEligibility === 'eligible' && !node.Drain ? HEALTH_ICONS.passing : HEALTH_ICONS.warning) : node.Status === 'initializing' ? HEALTH_ICONS.warning : HEALTH_ICONS.critical;
  return {
    id: `nomad/node/${node.ID}`,
    label: node.Name,
    description: parts.join(' · '),
    tooltip: [`Node ${node.Name} (${node.ID})`, `Address: ${node.Address}`, `Datacenter: ${node.Datacenter}`, node.NodePool ? `Node pool: ${node.NodePool}` : '', node.NodeClass ? `Class: ${node.NodeClass}` : '', `Status: ${node.Status}${node.StatusDescription ? ` (${node.StatusDescription})` : ''}`, `Eligibility: ${node.SchedulingEligibility}`, `Drain: ${node.Drain ? 'yes' : 'no'}`, `Nomad ${node.Version}`]
      .filter(Boolean)
      .join('\n'),
    icon,
    contextValue: 'nomadNode address copyId browsable',
    collapsible: 'none',
    copy: { address: node.Address, id: node.ID },
    url: nomadNodeUrl(ui, node.ID),
  };
}
