// A Nomad plan (`POST /v1/job/:id/plan` with `Diff: true`) in words: the document Plan opens, the summary
// Deploy's confirmation shows, and the exit code `nomad job plan` would give. Pure: no VS Code, no network.
import { NomadAllocMetric, NomadDesiredUpdates, NomadFieldDiff, NomadJobDiff, NomadJobPlanResponse, NomadObjectDiff, NomadTaskDiff, NomadTaskGroupDiff } from '../nomad/nomadApi';
import { parseImageReference } from '../jobspec/imageReference';

const DIFF_WORD: Record<string, string> = { Added: 'Added', Deleted: 'Deleted', Edited: 'Edited' };
/** The marks `nomad job plan` prints before each changed line, kept so the document reads like the CLI. */
const DIFF_MARK: Record<string, string> = { Added: '+', Deleted: '-', Edited: '~' };

/** The counts with every field a number: old servers and the doc's sample leave some out (`Canary`). */
export function desiredCounts(updates: Partial<NomadDesiredUpdates> | null | undefined): NomadDesiredUpdates {
  const n = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return { Ignore: n(updates?.Ignore), Place: n(updates?.Place), Migrate: n(updates?.Migrate), Stop: n(updates?.Stop), InPlaceUpdate: n(updates?.InPlaceUpdate), DestructiveUpdate: n(updates?.DestructiveUpdate), Canary: n(updates?.Canary), Preemptions: n(updates?.Preemptions) };
}

/**
 * `nomad job plan`'s exit code for this plan (`getExitCode`, command/job_plan.go): 0 when nothing changes or
 * only in place, 1 when allocations would be created, stopped, migrated, replaced or canaried.
 */
export function planExitCode(plan: NomadJobPlanResponse): 0 | 1 {
  if (plan.Diff?.Type === 'None') return 0;
  for (const raw of Object.values(plan.Annotations?.DesiredTGUpdates ?? {})) {
    const updates = desiredCounts(raw);
    if (updates.Stop + updates.Place + updates.Migrate + updates.DestructiveUpdate + updates.Canary > 0) return 1;
  }
  return 0;
}

/** The scheduler's counts of one group in words, biggest news first: `3 destructive updates, 1 canary`. */
export function desiredUpdatesWords(raw: Partial<NomadDesiredUpdates>, withIgnored = false): string[] {
  const updates = desiredCounts(raw);
  const parts: [number, string, string][] = [
    [updates.Place, 'to place', 'to place'],
    [updates.DestructiveUpdate, 'destructive update', 'destructive updates'],
    [updates.InPlaceUpdate, 'in-place update', 'in-place updates'],
    [updates.Canary, 'canary', 'canaries'],
    [updates.Stop, 'to stop', 'to stop'],
    [updates.Migrate, 'to migrate', 'to migrate'],
    [updates.Preemptions ?? 0, 'preemption', 'preemptions'],
  ];
  if (withIgnored) parts.push([updates.Ignore, 'unchanged', 'unchanged']);
  return parts.filter(([count]) => count > 0).map(([count, one, many]) => `${count} ${count === 1 ? one : many}`);
}

/** Every changed image of the plan, as `old → new` (the tags only when the repository stays). */
export function imageChanges(plan: NomadJobPlanResponse): string[] {
  const changes: string[] = [];
  for (const group of plan.Diff?.TaskGroups ?? []) {
    for (const task of objectsOnly<NomadTaskDiff>(group.Tasks)) {
      for (const config of objectsOnly<NomadObjectDiff>(task.Objects).filter((object) => object.Name === 'Config')) {
        for (const field of fieldsOnly(config.Fields)) {
          if (field.Name !== 'image' || field.Type === 'None') continue;
          changes.push(describeImageChange(field));
        }
      }
    }
  }
  return [...new Set(changes)];
}

function describeImageChange(field: NomadFieldDiff): string {
  if (field.Type === 'Added') return `image ${field.New}`;
  if (field.Type === 'Deleted') return `image ${field.Old} removed`;
  const before = parseImageReference(field.Old);
  const after = parseImageReference(field.New);
  if (before.repository === after.repository && before.registry === after.registry && before.tag && after.tag) return `image ${before.tag.text} → ${after.tag.text}`;
  return `image ${field.Old} → ${field.New}`;
}

/**
 * The one line Deploy's confirmation shows: `whoami on "prod": 3 destructive updates, image v1.10.3 → v1.10.4`.
 */
export function planSummary(plan: NomadJobPlanResponse, jobId: string, profileName: string): string {
  const where = `${jobId} on "${profileName}"`;
  if (plan.Diff?.Type === 'None') return `${where}: no changes`;
  const totals: NomadDesiredUpdates = { Ignore: 0, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0 };
  for (const raw of Object.values(plan.Annotations?.DesiredTGUpdates ?? {})) {
    const updates = desiredCounts(raw);
    for (const key of Object.keys(totals) as (keyof NomadDesiredUpdates)[]) totals[key] = (totals[key] ?? 0) + (updates[key] ?? 0);
  }
  const parts = [...(plan.Diff?.Type === 'Added' ? ['new job'] : []), ...desiredUpdatesWords(totals), ...imageChanges(plan)];
  const failed = Object.values(plan.FailedTGAllocs ?? {}).reduce((sum, metric) => sum + 1 + (metric.CoalescedFailures ?? 0), 0);
  if (failed > 0) parts.push(`${failed} ${failed === 1 ? 'placement' : 'placements'} would fail`);
  if (parts.length === 0) parts.push('changes that need no new allocation');
  return `${where}: ${parts.join(', ')}`;
}

/** Why the scheduler could not place a group, one line per cause (as `nomad job plan` explains it). */
export function failedPlacementReasons(metric: NomadAllocMetric): string[] {
  const reasons: string[] = [];
  const available = Object.entries(metric.NodesAvailable ?? {});
  if (metric.NodesEvaluated === 0 && available.every(([, count]) => count === 0)) {
    reasons.push(available.length > 0 ? `no node is available in ${available.map(([dc]) => `"${dc}"`).join(', ')}` : 'no node is available in the datacenters the job names');
  }
  for (const [klass, count] of Object.entries(metric.ClassFiltered ?? {})) reasons.push(`class "${klass}" filtered ${nodes(count)}`);
  for (const [constraint, count] of Object.entries(metric.ConstraintFiltered ?? {})) reasons.push(`constraint ${constraint} filtered ${nodes(count)}`);
  if (metric.NodesExhausted > 0) {
    const dimensions = Object.entries(metric.DimensionExhausted ?? {}).map(([dimension, count]) => `${dimension} on ${nodes(count)}`);
    reasons.push(`resources exhausted on ${nodes(metric.NodesExhausted)}${dimensions.length ? `: ${dimensions.join(', ')}` : ''}`);
  }
  for (const [klass, count] of Object.entries(metric.ClassExhausted ?? {})) reasons.push(`class "${klass}" exhausted on ${nodes(count)}`);
  for (const quota of metric.QuotaExhausted ?? []) reasons.push(`quota exhausted: ${quota}`);
  if (reasons.length === 0) reasons.push(`no node fits (${metric.NodesEvaluated} evaluated, ${metric.NodesFiltered} filtered)`);
  if (metric.CoalescedFailures > 0) reasons.push(`${metric.CoalescedFailures} more ${metric.CoalescedFailures === 1 ? 'allocation' : 'allocations'} of the group failed the same way`);
  return reasons;
}

/** `1 node`, `3 nodes`. */
export function nodes(count: number): string {
  return `${count} ${count === 1 ? 'node' : 'nodes'}`;
}

/** The doc samples hold `"..."` where a real server sends objects: those entries are counted, not read. */
function objectsOnly<T extends object>(list: readonly unknown[] | null | undefined): T[] {
  return (list ?? []).filter((item): item is T => typeof item === 'object' && item !== null);
}
function fieldsOnly(list: (NomadFieldDiff | unknown)[] | null | undefined): NomadFieldDiff[] {
  return objectsOnly<NomadFieldDiff>(list);
}
function notShown(...lists: (unknown[] | null | undefined)[]): number {
  return lists.reduce<number>((sum, list) => sum + (list ?? []).filter((item) => typeof item !== 'object' || item === null).length, 0);
}

export interface PlanContext {
  jobId: string;
  profileName: string;
  namespace: string;
  /** The jobspec, as the user knows it (workspace-relative). */
  file: string;
  /** When the plan was made (milliseconds since the epoch). */
  at: number;
}

/** Markdown is the document's language: headings and lists colour it, and code spans keep values verbatim. */
export function code(value: string): string {
  const text = value.replace(/\r?\n/g, '⏎');
  // A code span ends at a run of backticks as long as its fence: the fence is longer than any run inside.
  const fence = '`'.repeat(longestBacktickRun(text) + 1);
  // A span that starts or ends with a backtick needs a space inside the fence (CommonMark strips one each side).
  const pad = /^[` ]|[` ]$/.test(text) && text.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block of text whose fence no line of it can close: longer than any run of backticks in it. */
export function codeBlock(language: string, text: string): string[] {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return [`${fence}${language}`, text, fence];
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * A heading's or list item's plain text, never at the start of a line: the characters that make links,
 * images, HTML, code or emphasis there are escaped, so cluster text stays text (and stays readable raw).
 */
function plain(value: string): string {
  return value.replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ');
}

function renderFields(fields: NomadFieldDiff[], indent: string, lines: string[]): void {
  for (const field of fields) {
    if (field.Type === 'None') continue;
    const mark = DIFF_MARK[field.Type] ?? '?';
    const annotations = (field.Annotations ?? []).length ? ` (${(field.Annotations ?? []).map(plain).join(', ')})` : '';
    if (field.Type === 'Edited') lines.push(`${indent}- ${mark} Edited ${code(field.Name)}: ${code(field.Old)} → ${code(field.New)}${annotations}`);
    else if (field.Type === 'Added') lines.push(`${indent}- ${mark} Added ${code(field.Name)}: ${code(field.New)}${annotations}`);
    else if (field.Type === 'Deleted') lines.push(`${indent}- ${mark} Deleted ${code(field.Name)}: ${code(field.Old)}${annotations}`);
    else lines.push(`${indent}- ${mark} ${plain(field.Type)} ${code(field.Name)}: ${code(field.Old)} → ${code(field.New)}${annotations}`);
  }
}

function renderObjects(objects: NomadObjectDiff[], indent: string, lines: string[]): void {
  for (const object of objects) {
    if (object.Type === 'None') continue;
    lines.push(`${indent}- ${DIFF_MARK[object.Type] ?? '?'} ${DIFF_WORD[object.Type] ?? plain(object.Type)} ${code(object.Name)}`);
    renderFields(fieldsOnly(object.Fields), `${indent}  `, lines);
    renderObjects(objectsOnly<NomadObjectDiff>(object.Objects), `${indent}  `, lines);
    elided(`${indent}  `, lines, object.Fields, object.Objects);
  }
}

function elided(indent: string, lines: string[], ...lists: (unknown[] | null | undefined)[]): void {
  const count = notShown(...lists);
  if (count > 0) lines.push(`${indent}- (${count} ${count === 1 ? 'entry' : 'entries'} the server sent without detail)`);
}

function hasChanges(object: { Type: string }): boolean {
  return object.Type !== 'None';
}

/** A job diff (a plan's, or a version's against the one before) as Markdown: by job, task group and task. */
export function renderJobDiff(diff: NomadJobDiff | null | undefined, jobId: string, whenNone: string): string[] {
  const lines: string[] = [];
  if (!diff || diff.Type === 'None') {
    lines.push(whenNone, '');
  } else {
    lines.push(`### ${DIFF_MARK[diff.Type] ?? '?'} Job ${plain(`"${diff.ID || jobId}"`)} — ${DIFF_WORD[diff.Type] ?? plain(diff.Type)}`, '');
    const jobLines: string[] = [];
    renderFields(fieldsOnly(diff.Fields), '', jobLines);
    renderObjects(objectsOnly<NomadObjectDiff>(diff.Objects), '', jobLines);
    elided('', jobLines, diff.Fields, diff.Objects);
    lines.push(...(jobLines.length ? jobLines : ['- (no job-level change)']), '');
    for (const group of objectsOnly<NomadTaskGroupDiff>(diff.TaskGroups)) {
      const updates = Object.entries(group.Updates ?? {}).filter(([, count]) => count > 0).map(([kind, count]) => `${count} ${kind}`);
      lines.push(`### ${DIFF_MARK[group.Type] ?? ' '} Task group ${plain(`"${group.Name}"`)} — ${hasChanges(group) ? (DIFF_WORD[group.Type] ?? plain(group.Type)) : 'unchanged'}${updates.length ? ` (${plain(updates.join(', '))})` : ''}`, '');
      const groupLines: string[] = [];
      renderFields(fieldsOnly(group.Fields), '', groupLines);
      renderObjects(objectsOnly<NomadObjectDiff>(group.Objects), '', groupLines);
      elided('', groupLines, group.Fields, group.Objects);
      for (const task of objectsOnly<NomadTaskDiff>(group.Tasks)) {
        if (!hasChanges(task)) continue;
        const annotations = (task.Annotations ?? []).length ? ` (${(task.Annotations ?? []).map(plain).join(', ')})` : '';
        groupLines.push(`- ${DIFF_MARK[task.Type] ?? '?'} ${DIFF_WORD[task.Type] ?? plain(task.Type)} task ${code(task.Name)}${annotations}`);
        renderFields(fieldsOnly(task.Fields), '  ', groupLines);
        renderObjects(objectsOnly<NomadObjectDiff>(task.Objects), '  ', groupLines);
        elided('  ', groupLines, task.Fields, task.Objects);
      }
      elided('', groupLines, group.Tasks);
      lines.push(...(groupLines.length ? groupLines : ['- (no change in this group)']), '');
    }
  }

  return lines;
}

/** The plan as a Markdown document: what changes, what the scheduler would do, what fails, and the index Deploy checks. */
export function renderPlanDocument(plan: NomadJobPlanResponse, context: PlanContext): string {
  const lines: string[] = [];
  const diff = plan.Diff;
  lines.push(`# Plan: job ${plain(`"${context.jobId}"`)} on ${plain(`"${context.profileName}"`)}`, '');
  lines.push(`Namespace ${code(context.namespace)} · file ${code(context.file)} · planned at ${new Date(context.at).toISOString().replace('T', ' ').slice(0, 19)} UTC`, '');
  lines.push(`**${plain(planSummary(plan, context.jobId, context.profileName))}**`, '');
  const exit = planExitCode(plan);
  lines.push(exit === 1 ? 'Allocations would be created, replaced or stopped (`nomad job plan` exits 1: changes, not a failure).' : 'No allocation would be created or stopped (`nomad job plan` exits 0).', '');

  lines.push('## Changes', '');
  lines.push(...renderJobDiff(diff, context.jobId, 'No changes: the file matches the job that runs.'));

  lines.push('## Scheduler dry run', '');
  const desired = Object.entries(plan.Annotations?.DesiredTGUpdates ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (desired.length === 0) lines.push('- (the scheduler gave no per-group annotations)');
  for (const [group, raw] of desired) {
    const updates = desiredCounts(raw);
    const words = desiredUpdatesWords(updates, true);
    lines.push(`- Task group ${code(group)}: ${words.length ? plain(words.join(', ')) : 'nothing to do'}`);
    lines.push(`  - place ${updates.Place} · in-place update ${updates.InPlaceUpdate} · destructive update ${updates.DestructiveUpdate} · canary ${updates.Canary} · stop ${updates.Stop} · migrate ${updates.Migrate} · ignore ${updates.Ignore}`);
  }
  lines.push('');
  const failed = Object.entries(plan.FailedTGAllocs ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (failed.length === 0) {
    lines.push('All tasks successfully allocated.', '');
  } else {
    lines.push('### Failed placements', '');
    for (const [group, metric] of failed) {
      lines.push(`- Task group ${code(group)} failed to place ${1 + (metric.CoalescedFailures ?? 0)} ${metric.CoalescedFailures ? 'allocations' : 'allocation'}:`);
      for (const reason of failedPlacementReasons(metric)) lines.push(`  - ${plain(reason)}`);
    }
    lines.push('');
  }

  const warnings = (plan.Warnings ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
  if (warnings.length > 0) {
    lines.push('## Warnings', '', ...warnings.map((warning) => `- ${plain(warning)}`), '');
  }

  lines.push('## Deploy', '');
  lines.push(`Job Modify Index: **${plan.JobModifyIndex}**${plan.JobModifyIndex === 0 ? ' (the job does not exist yet)' : ''}`, '');
  lines.push(`Deploy runs ${code(`nomad job run -check-index ${plan.JobModifyIndex} ${context.file}`)}: Nomad refuses it if someone changed the job since this plan.`, '');
  return lines.join('\n');
}

/** A position in a jobspec that Nomad's parse error names (HCL's `file:line,col-col`, or `file:line:col`). */
export interface ErrorPosition {
  /** 1-based, as the message says. */
  line: number;
  column: number;
  /** The `input.hcl:3,5-9` part of the message, to link. */
  text: string;
  /** Offset of `text` in the message. */
  offset: number;
}

/**
 * The positions in a parse error. Nomad parses the posted text as `input.hcl` (jobspec2) and HCL writes
 * each diagnostic's range as `<file>:<line>,<column>-<column>` or `<file>:<line>,<col>-<line>,<col>`.
 */
export function errorPositions(message: string): ErrorPosition[] {
  const positions: ErrorPosition[] = [];
  const pattern = /([\w./-]+\.(?:hcl|nomad)):(\d+)[,:](\d+)(?:-\d+(?:,\d+)?)?/g;
  for (let match = pattern.exec(message); match; match = pattern.exec(message)) {
    positions.push({ line: Number(match[2]), column: Number(match[3]), text: match[0], offset: match.index });
  }
  return positions;
}

/** A parse error as its own document: the cluster's words, with each position as `file:line:column`. */
export function renderParseErrorDocument(message: string, context: PlanContext): string {
  const lines = [`# Plan: job ${plain(`"${context.jobId}"`)} on ${plain(`"${context.profileName}"`)}`, '', `Nomad on ${plain(`"${context.profileName}"`)} could not parse ${code(context.file)}:`, ''];
  lines.push(...codeBlock('text', message), '');
  const positions = errorPositions(message);
  if (positions.length > 0) {
    lines.push('Go to:', '');
    for (const position of positions) lines.push(`- ${context.file}:${position.line}:${position.column}`);
    lines.push('');
  }
  lines.push('Fix the file and run Plan again.', '');
  return lines.join('\n');
}
