// A job's Versions node: each version with its submit time, whether it is stable, and what changed from the
// version before, from `GET /v1/job/:id/versions?diffs=true` (loaded on expand). Pure: no VS Code.
import { renderJobDiff } from '../../deploy/planDocument';
import { NomadFieldDiff, NomadJobDiff, NomadJobVersions, NomadObjectDiff } from '../../nomad/nomadApi';
import { formatAge, nanosecondsToDate } from '../../nomad/nomadTime';
import { ExplorerNode, HEALTH_ICONS, infoNode } from '../explorerNode';

/** How many changes a version's row names before it says "+N more". */
const CHANGES_NAMED_ON_ROW = 2;

const CHANGE_WORD: Record<string, string> = { Added: 'added', Deleted: 'removed', Edited: 'changed' };

/** The changed leaves of a diff in words: `redis: Env[foo] added`, `whoami: image v1 → v2`. */
export function diffChanges(diff: NomadJobDiff | null | undefined): string[] {
  const changes: string[] = [];
  const isObject = <T>(item: unknown): item is T => typeof item === 'object' && item !== null;
  const fields = (where: string, list: unknown[] | null | undefined) => {
    for (const field of (list ?? []).filter((item): item is NomadFieldDiff => isObject(item))) {
      if (field.Type === 'None') continue;
      const what = field.Type === 'Edited' ? `${field.Name} ${field.Old} → ${field.New}` : `${field.Name} ${CHANGE_WORD[field.Type] ?? field.Type}`;
      changes.push(where ? `${where}: ${what}` : what);
    }
  };
  const objects = (where: string, list: unknown[] | null | undefined) => {
    for (const object of (list ?? []).filter((item): item is NomadObjectDiff => isObject(item))) {
      if (object.Type === 'None') continue;
      const before = changes.length;
      fields(where, object.Fields);
      objects(where, object.Objects);
      if (changes.length === before) changes.push(`${where ? `${where}: ` : ''}${object.Name} ${CHANGE_WORD[object.Type] ?? object.Type}`);
    }
  };
  if (!diff) return changes;
  fields('', diff.Fields);
  objects('', diff.Objects);
  for (const group of diff.TaskGroups ?? []) {
    if (!isObject<typeof group>(group) || group.Type === 'None') continue;
    if (group.Type !== 'Edited') changes.push(`group ${group.Name} ${CHANGE_WORD[group.Type] ?? group.Type}`);
    fields(group.Name, group.Fields);
    objects(group.Name, group.Objects);
    for (const task of group.Tasks ?? []) {
      if (!isObject<typeof task>(task) || task.Type === 'None') continue;
      if (task.Type !== 'Edited') changes.push(`task ${task.Name} ${CHANGE_WORD[task.Type] ?? task.Type}`);
      fields(task.Name, task.Fields);
      objects(task.Name, task.Objects);
    }
  }
  return changes;
}

/** A version's diff as its own Markdown document (what its row opens). */
export function versionDiffDocument(jobId: string, profileName: string, version: number, previous: number | undefined, diff: NomadJobDiff | null | undefined): string {
  const title = `# Job "${jobId}" on "${profileName}": version ${version}${previous !== undefined ? ` against version ${previous}` : ''}`.replace(/[[\]<>`*_|~\\]/g, (char) => `\\${char}`);
  const body = previous === undefined ? ['The first version of the job: nothing to compare it with.', ''] : renderJobDiff(diff, jobId, 'No change to the version before (a re-submission of the same job).');
  return [title, '', ...body].join('\n');
}

export interface VersionRowCommand {
  jobId: string;
  namespace: string;
  version: number;
  text: string;
}

/** The rows under a job's Versions node, newest first. */
export function jobVersionNodes(jobId: string, namespace: string, versions: NomadJobVersions, profileName: string, now: number): ExplorerNode[] {
  const list = [...(versions.Versions ?? [])];
  if (list.length === 0) return [infoNode(`nomad/job/${namespace}/${jobId}/versions/none`, 'No versions')];
  return list.map((version, index) => {
    const number = version.Version ?? 0;
    const previous = list[index + 1]?.Version;
    const diff = previous !== undefined ? versions.Diffs?.[index] : undefined;
    const changes = diffChanges(diff);
    const submitted = nanosecondsToDate(version.SubmitTime);
    const parts = [version.Stable ? 'stable' : 'not stable', submitted ? `submitted ${formatAge(submitted, now)}` : ''];
    if (previous === undefined) parts.push('first version');
    else if (changes.length === 0) parts.push('no change');
    else parts.push(changes.slice(0, CHANGES_NAMED_ON_ROW).join(', ') + (changes.length > CHANGES_NAMED_ON_ROW ? `, +${changes.length - CHANGES_NAMED_ON_ROW} more` : ''));
    const command: VersionRowCommand = { jobId, namespace, version: number, text: versionDiffDocument(jobId, profileName, number, previous, diff) };
    return {
      id: `nomad/job/${namespace}/${jobId}/version/${number}`,
      label: `v${number}${index === 0 ? ' (current)' : ''}`,
      description: parts.filter(Boolean).join(' · '),
      tooltip: [`Job ${jobId}, version ${number}`, version.Stable ? 'Stable: its deployment succeeded' : 'Not stable', submitted ? `Submitted: ${submitted.toISOString()}` : '', changes.length ? `Changes from v${previous}:\n${changes.map((change) => `  ${change}`).join('\n')}` : ''].filter(Boolean).join('\n'),
      icon: version.Stable ? HEALTH_ICONS.passing : { id: 'history' },
      contextValue: index === 0 ? 'nomadJobVersion currentVersion' : 'nomadJobVersion',
      collapsible: 'none',
      job: { id: jobId, namespace },
      jobVersion: number,
      command: { id: 'hashistack.showVersionDiff', title: 'Show the Diff to the Version Before', arguments: [command] },
    } satisfies ExplorerNode;
  });
}
