import { NomadJob } from '../nomad/nomadApi';
import { ACTIVE_DEPLOYMENT_STATUSES, awaitingPromotion } from '../nomad/deployments';
import { deploymentHealth, NomadSectionData } from '../tree/nomad/nomadProperties';
import { ImageSite } from './imageScanner';
import { parseImageReference } from './imageReference';

/** The images a submitted job runs, by task name. */
export function runningImages(job: NomadJob): Map<string, string> {
  const images = new Map<string, string>();
  for (const group of job.TaskGroups ?? []) {
    for (const task of group.Tasks ?? []) {
      const image = task.Config?.image;
      if (typeof image === 'string') images.set(task.Name, image);
    }
  }
  return images;
}

/** The job's list stub: in the namespace asked for, else of that ID in any (old servers send no namespace). */
function jobStubOf(snapshot: NomadSectionData, jobId: string, namespace: string) {
  return snapshot.jobs.find((candidate) => candidate.ID === jobId && (candidate.Namespace ?? namespace) === namespace) ?? snapshot.jobs.find((candidate) => candidate.ID === jobId);
}

/** The job's newest deployment (highest CreateIndex). */
function latestDeploymentOf(snapshot: NomadSectionData, jobId: string) {
  return snapshot.deployments.filter((candidate) => candidate.JobID === jobId).sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
}

export interface JobStatusLens {
  /** "running 0.3.10 · 2/2 healthy · file has 0.3.11 — not deployed" */
  title: string;
  tooltip: string;
  /** The file's tags differ from what runs. */
  differs: boolean;
  /** A deployment of the job is in progress. */
  rolling?: boolean;
}

function taskOf(site: ImageSite): string {
  return /task "([^"]*)"$/.exec(site.owner)?.[1] ?? '';
}

/**
 * A job version in words that cannot be read as an image tag: `job version 6 (image v1.10.4)`. Job versions
 * and tags both look like `v6`; the one beside the other says which is which.
 */
export function versionWords(version: number, job?: NomadJob): string {
  const tags = job && job.Version === version ? [...new Set([...runningImages(job).values()].map(tagOf))] : [];
  return `job version ${version}${tags.length ? ` (image${tags.length > 1 ? 's' : ''} ${tags.join(', ')})` : ''}`;
}

function tagOf(image: string): string {
  const reference = parseImageReference(image);
  return reference.digest ? `@${reference.digest.slice(0, 19)}…` : (reference.tag?.text ?? 'latest');
}

/**
 * What runs now compared with the file, from data the explorer already holds (the Nomad section's
 * snapshot and the job's submitted definition): no request is made here.
 */
export function jobStatusLens(jobId: string, namespace: string, fileImages: ImageSite[], snapshot: NomadSectionData | undefined, job: NomadJob | undefined, profileName: string): JobStatusLens | undefined {
  if (!snapshot) {
    return undefined;
  }
  const stub = jobStubOf(snapshot, jobId, namespace);
  if (!stub) {
    return { title: `not deployed on ${profileName}`, tooltip: `Nomad on "${profileName}" has no job "${jobId}".`, differs: true };
  }
  const parts: string[] = [];
  const running = job ? runningImages(job) : undefined;
  const runningTags = running ? [...new Set([...running.values()].map(tagOf))] : [];
  const deployment = latestDeploymentOf(snapshot, jobId);
  const rolling = deployment && ACTIVE_DEPLOYMENT_STATUSES.includes(deployment.Status);
  // A rollout in progress (this editor's deploy or anyone's) says so first: `deploying job version 8 · 2/3 healthy`.
  if (rolling) parts.push(`deploying ${versionWords(deployment.JobVersion, job)}`);
  else parts.push(stub.Status === 'running' && runningTags.length > 0 ? `running ${runningTags.join(', ')}` : stub.Status);
  if (deployment) {
    const { healthy, desired } = deploymentHealth(deployment);
    parts.push(`${healthy}/${desired} healthy`);
    if (rolling && awaitingPromotion(deployment)) parts.push('canary waiting for promotion');
  }
  let differs = false;
  const changes: string[] = [];
  if (running) {
    for (const site of fileImages) {
      const task = taskOf(site);
      const live = running.get(task);
      if (live === undefined) {
        changes.push(`task "${task}" is new`);
        differs = true;
      } else if (live !== site.text && !site.text.includes('${')) {
        changes.push(`file has ${site.tag?.text ?? site.text}`);
        differs = true;
      } else if (site.text.includes('${') && site.tag && tagOf(live) !== site.tag.text) {
        changes.push(`file has ${site.tag.text}`);
        differs = true;
      }
    }
    parts.push(differs ? `${[...new Set(changes)].join(', ')} — not deployed` : 'file matches');
  }
  const tooltip = [`Job "${jobId}" on "${profileName}": ${stub.Status}`, ...(running ? [...running].map(([task, image]) => `  ${task}: ${image}`) : ['(loading what runs…)'])].join('\n');
  return { title: parts.join(' · '), tooltip, differs, rolling: Boolean(rolling) };
}

/**
 * The status lens when Nomad's data cannot be had: it says so instead of going silent, in a few words
 * (`status unknown — Nomad unreachable`), with the whole error in its tooltip.
 */
export function unknownStatusLens(error: unknown): JobStatusLens {
  const kind = (error as { kind?: string } | undefined)?.kind;
  const words: Record<string, string> = { unreachable: 'Nomad unreachable', timeout: 'Nomad did not answer', forbidden: 'Nomad refused the token', tls: 'TLS with Nomad failed' };
  const reason = kind && Object.hasOwn(words, kind) ? words[kind]! : 'Nomad failed';
  const message = error instanceof Error ? error.message : String(error);
  return { title: `status unknown — ${reason}`, tooltip: message, differs: true };
}

/**
 * What runs now for an image of the file, from the store's snapshot (no request): the job's version and
 * image for that task, health from its latest deployment, and its allocations by version when a rollout
 * left them mixed. Plain lines; the hover renders them.
 */
export function imageHoverLines(jobId: string, namespace: string, site: ImageSite, snapshot: NomadSectionData | undefined, job: NomadJob | undefined, profileName: string): string[] {
  if (!snapshot) return [`What runs on "${profileName}" is not known yet (the Nomad section has not loaded).`];
  const stub = jobStubOf(snapshot, jobId, namespace);
  if (!stub) return [`Job "${jobId}" is not deployed on "${profileName}".`];
  const task = taskOf(site);
  const lines: string[] = [];
  const running = job ? runningImages(job).get(task) : undefined;
  lines.push(`${jobId} on "${profileName}": ${stub.Status}${stub.Version !== undefined ? ` v${stub.Version}` : ''}${running ? ` · task ${task} runs ${running}` : job ? ` · task ${task} is not in the job that runs` : ''}`);
  const deployment = latestDeploymentOf(snapshot, jobId);
  if (deployment) {
    const { healthy, desired } = deploymentHealth(deployment);
    lines.push(`${healthy}/${desired} healthy · deployment of v${deployment.JobVersion} ${deployment.Status}`);
  }
  const byVersion = new Map<number, number>();
  for (const allocation of snapshot.allocations) {
    if (allocation.JobID !== jobId || allocation.DesiredStatus !== 'run' || allocation.ClientStatus !== 'running') continue;
    byVersion.set(allocation.JobVersion, (byVersion.get(allocation.JobVersion) ?? 0) + 1);
  }
  if (byVersion.size > 1) {
    lines.push(`allocations by version: ${[...byVersion].sort(([a], [b]) => b - a).map(([version, count]) => `v${version} ×${count}`).join(', ')} (a rollout is mixed)`);
  } else if (byVersion.size === 1) {
    const [[version, count]] = [...byVersion];
    lines.push(`${count} running ${count === 1 ? 'allocation' : 'allocations'} of v${version}`);
  }
  if (running && running !== site.text && !site.text.includes('${')) lines.push(`the file has ${site.text}: not deployed`);
  return lines;
}
