// A deployment's rollout as a timeline, in Markdown: one lane per allocation of the deployment's version
// (its task events over time, its canary mark, its health), the deployment's status changes as they were
// seen, the promotion, and the cause of a failure first, linked to the jobspec line that governs it.
// Pure: the editor keeps it current while the deployment runs. Every text from the cluster is escaped.
import { NomadAllocationListStub, NomadDeployment, NomadJob, NomadTaskEvent, NomadTaskState } from '../nomad/nomadApi';
import { allocationFailureEvent, allocationFailureReason, taskEventMessage } from '../tree/nomad/allocationTasks';
import { deploymentHealth } from '../tree/nomad/nomadProperties';
import { code } from './planDocument';
import { ACTIVE_DEPLOYMENT_STATUSES } from '../nomad/deployments';

/** A change of the deployment seen while following it (its history is not kept by Nomad: only what was seen). */
export interface DeploymentChange {
  /** Milliseconds since the epoch. */
  at: number;
  status: string;
  description: string;
  /** Groups promoted at that moment. */
  promoted?: string[];
}

/** A jobspec line that governs a failure (from the cluster's Problems), as a link target. */
export interface CauseLine {
  allocationIds: string[];
  message: string;
  label: string;
  /** A link target (a `file:` URI with an `#L<line>` fragment). */
  target: string;
}

export interface TimelineInput {
  deployment: NomadDeployment;
  /** The allocations of the deployment's job version, with their task states when read. */
  allocations: { allocation: NomadAllocationListStub; taskStates: Record<string, NomadTaskState> | null | undefined }[];
  changes: readonly DeploymentChange[];
  causes: readonly CauseLine[];
  definition?: NomadJob;
  /** The cluster's name, for the title. */
  profileName: string;
}

/** Task event types in words, as the milestones of a lane (`received → image pulled → started → killed`). */
const MILESTONES: Record<string, string> = {
  Received: 'received',
  'Task Setup': 'set up',
  Driver: 'pulling image',
  Started: 'started',
  Terminated: 'terminated',
  Restarting: 'restarting',
  'Restart Signaled': 'restart signalled',
  Killing: 'killing',
  Killed: 'killed',
  'Not Restarting': 'not restarting',
  'Driver Failure': 'driver failure',
  'Failed Validation': 'failed validation',
  Template: 'template',
  'Alloc Unhealthy': 'unhealthy',
};

/** Text from the cluster inside Markdown: no markup, no HTML, no table break. */
export function markdownText(value: string): string {
  return value.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>#|{}~!&]/g, '\\$&');
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

interface Row {
  at: number;
  lane: string;
  what: string;
}

/** The Markdown document of a deployment's timeline. */
export function renderRolloutTimeline(input: TimelineInput): string {
  const { deployment } = input;
  const lines: string[] = [];
  const images = input.definition?.Version === deployment.JobVersion ? (input.definition.TaskGroups ?? []).flatMap((group) => (group.Tasks ?? []).map((task) => String(task.Config?.image ?? ''))).filter(Boolean) : [];
  lines.push(`# Rollout of ${markdownText(deployment.JobID)} · job version ${deployment.JobVersion}${images.length ? ` (${images.map((image) => code(image)).join(', ')})` : ''}`);
  lines.push('');
  const { healthy, desired } = deploymentHealth(deployment);
  lines.push(`Deployment ${code(deployment.ID)} on ${markdownText(input.profileName)}: **${markdownText(deployment.Status)}**${deployment.StatusDescription ? ` — ${markdownText(deployment.StatusDescription)}` : ''} · ${healthy}/${desired} healthy${ACTIVE_DEPLOYMENT_STATUSES.includes(deployment.Status) ? ' · kept current while it runs' : ''}`);
  lines.push('');
  for (const [group, state] of Object.entries(deployment.TaskGroups ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const canaries = state.DesiredCanaries > 0 ? ` · canaries ${(state.PlacedCanaries ?? []).length}/${state.DesiredCanaries}${state.Promoted ? ' (promoted)' : ''}` : '';
    lines.push(`- ${markdownText(group)}: ${state.PlacedAllocs} placed · ${state.HealthyAllocs} healthy · ${state.UnhealthyAllocs} unhealthy of ${state.DesiredTotal}${canaries}`);
  }
  lines.push('');

  const canaries = new Set(Object.values(deployment.TaskGroups ?? {}).flatMap((state) => state.PlacedCanaries ?? []));
  const lane = (allocation: NomadAllocationListStub) => `${allocation.ID.slice(0, 8)}${canaries.has(allocation.ID) || allocation.DeploymentStatus?.Canary ? ' (canary)' : ''}`;
  const sorted = [...input.allocations].sort((a, b) => a.allocation.CreateIndex - b.allocation.CreateIndex);

  // The cause first: what the cluster says failed, and the jobspec line that governs it.
  const failing = sorted.filter(({ allocation }) => allocation.ClientStatus === 'failed' || allocation.ClientStatus === 'lost' || allocation.DeploymentStatus?.Healthy === false);
  const causeEvents = new Set<NomadTaskEvent>();
  if (failing.length > 0) {
    lines.push('## Cause', '');
    for (const { allocation, taskStates } of failing) {
      const reason = allocationFailureReason(taskStates ?? undefined) ?? allocation.FailureReason ?? (allocation.DeploymentStatus?.Healthy === false ? 'unhealthy (its checks did not pass in time)' : allocation.ClientStatus);
      const cause = allocationFailureEvent(taskStates);
      if (cause) causeEvents.add(cause);
      const governed = input.causes.filter((line) => line.allocationIds.includes(allocation.ID));
      const links = governed.map((line) => ` → [${code(line.label)}](<${line.target}>): ${markdownText(line.message)}`).join('');
      lines.push(`- **${lane(allocation)}** · ${markdownText(allocation.Name)}: ${markdownText(reason)}${links}`);
    }
    lines.push('');
  }

  const rows: Row[] = [];
  // Nomad keeps no history of a deployment: its changes are the ones seen since the timeline opened.
  input.changes.forEach((change, index) => {
    rows.push({ at: change.at, lane: 'deployment', what: `${markdownText(change.status)}${change.description ? `: ${markdownText(change.description)}` : ''}${index === 0 ? ' (when this timeline opened)' : ''}` });
    for (const group of change.promoted ?? []) rows.push({ at: change.at, lane: 'deployment', what: `promoted ${markdownText(group)}` });
  });
  for (const { allocation, taskStates } of sorted) {
    const name = lane(allocation);
    rows.push({ at: allocation.CreateTime / 1_000_000, lane: name, what: `placed on ${markdownText(allocation.NodeName)}${canaries.has(allocation.ID) ? ' as a canary' : ''}` });
    for (const [task, state] of Object.entries(taskStates ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      for (const event of state.Events ?? []) {
        const message = taskEventMessage(event);
        const words = `${markdownText(task)}: ${markdownText(MILESTONES[event.Type] ?? event.Type)}${message ? ` — ${markdownText(message)}` : ''}`;
        rows.push({ at: event.Time / 1_000_000, lane: name, what: causeEvents.has(event) ? `**${words}** (the cause)` : words });
      }
    }
    const health = allocation.DeploymentStatus;
    if (health && typeof health.Healthy === 'boolean') {
      const at = health.Timestamp ? Date.parse(health.Timestamp) : NaN;
      rows.push({ at: Number.isFinite(at) ? at : allocation.ModifyTime / 1_000_000, lane: name, what: health.Healthy ? 'healthy' : '**unhealthy**' });
    }
  }
  rows.sort((a, b) => a.at - b.at);
  lines.push('## Timeline', '', '| time (UTC) | lane | what happened |', '|---|---|---|');
  for (const row of rows) lines.push(`| ${clock(row.at)} | ${row.lane} | ${row.what} |`);
  lines.push('');

  lines.push('## Lanes', '');
  if (sorted.length === 0) lines.push('No allocation of this job version yet.', '');
  for (const { allocation, taskStates } of sorted) {
    const events = Object.values(taskStates ?? {}).flatMap((state) => state.Events ?? []).sort((a, b) => a.Time - b.Time);
    const milestones = events.map((event) => MILESTONES[event.Type] ?? event.Type).filter((milestone, index, all) => milestone !== all[index - 1]);
    const health = allocation.DeploymentStatus?.Healthy;
    if (health === true) milestones.push('healthy');
    if (health === false) milestones.push('unhealthy');
    lines.push(`- **${lane(allocation)}** · ${markdownText(allocation.Name)} · ${markdownText(allocation.NodeName)} · ${markdownText(allocation.ClientStatus)}: ${milestones.length ? milestones.map(markdownText).join(' → ') : 'no task events read yet'}`);
  }
  lines.push('');
  return lines.join('\n');
}
