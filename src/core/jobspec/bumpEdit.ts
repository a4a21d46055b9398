import { parseImageReference } from './imageReference';
import { ImageSite } from './imageScanner';
import { bumpTag, BumpKind, isValidTag, parseTagVersion } from './versionBump';

/** A replacement of `[start, end)` in the file, in UTF-16 offsets. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** Why a bump cannot be done exactly, and where: the message the user sees. */
export function notBumpableMessage(site: ImageSite): string | undefined {
  const where = `${site.owner}: "${site.text}"`;
  switch (site.reason) {
    case undefined:
      return undefined;
    case 'digest':
      return `${where} is pinned by digest; a version bump cannot compute a digest. Set an explicit tag instead, or update the digest.`;
    case 'interpolation':
      return site.reference.tag || site.text.trim() !== `\${${site.variable}}`
        ? `${where}: its tag comes from \${${site.variable}}. Change the variable "${site.variable}", or set an explicit tag here.`
        : `${where}: the whole image comes from \${${site.variable}}. Change the variable "${site.variable}" where it is set.`;
    case 'noTag':
      return `${where} has no tag, so Docker pulls "latest". Set an explicit tag to pin it.`;
    case 'notVersion':
      return `${where}: the tag "${site.tag?.text}" is not a version (like 1.2.3 or v1.2). Set an explicit tag instead.`;
  }
}

/** Whether "Set explicit tag" can apply: not when the whole image is one interpolation. */
export function canSetExplicitTag(site: ImageSite): boolean {
  return !(site.reason === 'interpolation' && !site.reference.tag && site.text.trim() === `\${${site.variable}}`);
}

/** The one edit that bumps a site's tag: only the tag's characters change. */
export function bumpEdit(site: ImageSite, kind: BumpKind): TextEdit {
  if (!site.bumpable || !site.tag) {
    throw new Error(notBumpableMessage(site) ?? `${site.owner}: cannot bump "${site.text}"`);
  }
  return { start: site.tag.start, end: site.tag.end, newText: bumpTag(site.tag.text, kind) };
}

/**
 * The edit that sets an explicit tag: replaces a literal tag, an interpolated tag or a digest,
 * or appends `:tag` to a reference without one.
 */
export function explicitTagEdit(site: ImageSite, tag: string): TextEdit {
  if (!isValidTag(tag)) {
    throw new Error(`"${tag}" is not a valid image tag: use letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-").`);
  }
  if (!canSetExplicitTag(site)) {
    throw new Error(notBumpableMessage(site)!);
  }
  const reference = site.reference;
  const atDigest = site.text.indexOf('@');
  if (reference.tag) {
    // Replace the tag (and a digest after it), keeping everything before the tag's colon.
    const start = site.start + reference.tag.start;
    const end = atDigest >= 0 ? site.end : site.start + reference.tag.end;
    return { start, end, newText: tag };
  }
  if (atDigest >= 0) {
    return { start: site.start + atDigest, end: site.end, newText: `:${tag}` };
  }
  return { start: site.end, end: site.end, newText: `:${tag}` };
}

/** One tag put back: which task, from what to what. */
export interface RestoredTag {
  task: string;
  from: string;
  to: string;
  edit: TextEdit;
}

/**
 * The edits that put the running images' tags back in a job's image sites (Restore the Running Tag after a
 * failed deploy): a site of the same task and repository whose tag differs from what runs gets the running
 * tag. Sites of other repositories (the file changed the image itself), interpolated tags and digests that
 * cannot be set are left alone, as are tasks that do not run.
 */
export function restoreTagEdits(sites: readonly ImageSite[], running: ReadonlyMap<string, string>): RestoredTag[] {
  const restored: RestoredTag[] = [];
  for (const site of sites) {
    const task = /task "([^"]*)"$/.exec(site.owner)?.[1];
    const live = task !== undefined ? running.get(task) : undefined;
    if (!task || !live) continue;
    const liveReference = parseImageReference(live);
    const liveTag = liveReference.tag?.text;
    if (!liveTag || liveReference.digest || liveReference.repository !== site.reference.repository || liveReference.registry !== site.reference.registry) continue;
    if (site.tag?.text === liveTag || !canSetExplicitTag(site)) continue;
    restored.push({ task, from: site.tag?.text ?? site.text, to: liveTag, edit: explicitTagEdit(site, liveTag) });
  }
  return restored;
}

/** Applies edits (non-overlapping) to a text; for tests and previews. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  }
  return result;
}

/**
 * Why an explicit tag, valid as it is, is a poor one: `latest` (or any tag that moves) changes what runs
 * without a change in the file, and a tag that is not a version cannot be bumped next time. The
 * platform's own lint refuses both; the editor warns and lets the user decide.
 */
export function explicitTagWarning(tag: string): string | undefined {
  if (/^(latest|stable|main|master|edge|nightly)$/i.test(tag)) {
    return `"${tag}" moves: what runs changes with no change in the file, a deploy cannot tell what it rolls out, and lint:platform refuses it. Pin a version such as 1.2.3.`;
  }
  if (!parseTagVersion(tag)) {
    return `"${tag}" is not a version: the next bump cannot compute a new tag from it, and lint:platform refuses it. A version such as 1.2.3 or v1.2.3-alpine can be bumped.`;
  }
  return undefined;
}
