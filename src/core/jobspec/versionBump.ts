export type BumpKind = 'patch' | 'minor' | 'major';

/** A tag read as a version: `v1.2.3`, `1.25`, `16`, `1.2.3-rc.1`, `1.25.3-alpine`, `2.0.0+build.5`. */
export interface TagVersion {
  prefix: string;
  numbers: number[];
  /** A semver pre-release (`-rc.1`, `-beta`, `-alpha.2`, `-dev`): a bump releases it. */
  preRelease?: string;
  /** A variant (`-alpine`, `-bookworm-slim`): kept across bumps, as image users expect. */
  variant?: string;
  build?: string;
}

const VERSION = /^(v|V)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;
const PRE_RELEASE = /^(alpha|beta|rc|pre|preview|dev|snapshot|canary|next)([.-]?\d+)*$/i;

export function parseTagVersion(tag: string): TagVersion | undefined {
  const match = VERSION.exec(tag);
  if (!match) {
    return undefined;
  }
  const numbers = [match[2], match[3], match[4]].filter((part): part is string => part !== undefined).map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) {
    return undefined;
  }
  const suffix = match[5];
  const isPre = suffix !== undefined && PRE_RELEASE.test(suffix);
  // A variant names a flavour (alpine, bookworm-slim): it has a letter. `2024-01-01` is a date, not 1 + variant.
  if (suffix !== undefined && !isPre && !/[A-Za-z]/.test(suffix)) {
    return undefined;
  }
  return { prefix: match[1] ?? '', numbers, preRelease: isPre ? suffix : undefined, variant: suffix !== undefined && !isPre ? suffix : undefined, build: match[6] };
}

export class BumpError extends Error {}

/**
 * The next tag, in the tag's own form: `v1.2.3` → `v1.2.4` (patch), `1.25.3-alpine` → `1.26.0-alpine`
 * (minor), `16` → `17` (major). A pre-release is released the way semver does it: `1.2.3-rc.1` patch →
 * `1.2.3`. A build suffix (`+…`) is dropped: it names a build of the old version.
 */
export function bumpTag(tag: string, kind: BumpKind): string {
  const version = parseTagVersion(tag);
  if (!version) {
    throw new BumpError(`"${tag}" is not a version`);
  }
  const index = kind === 'major' ? 0 : kind === 'minor' ? 1 : 2;
  if (index >= version.numbers.length) {
    throw new BumpError(`"${tag}" has no ${kind} part (it has ${version.numbers.length} number${version.numbers.length === 1 ? '' : 's'})`);
  }
  const numbers = [...version.numbers];
  const releasesPreRelease = version.preRelease !== undefined && numbers.slice(index + 1).every((n) => n === 0);
  if (!releasesPreRelease) {
    numbers[index]! += 1;
    for (let i = index + 1; i < numbers.length; i++) {
      numbers[i] = 0;
    }
  }
  return `${version.prefix}${numbers.join('.')}${version.variant ? `-${version.variant}` : ''}`;
}

/** Whether `tag` can stand as a Docker tag (charset and length of the registry spec). */
export function isValidTag(tag: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}
