// ECR images in jobspecs and ecs-*.tf files: which references are ECR's, and the newest version tag of
// their repository — the same kind of tag (a `v` prefix or not, the same variant, a release unless the
// current tag is a pre-release), newer than the one in the file.
import { parseTagVersion, TagVersion } from '../jobspec/versionBump';

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` (also `.amazonaws.com.cn`). */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export interface EcrRepository {
  registryId: string;
  region: string;
  repository: string;
}

/** The ECR repository of an image reference's registry and repository path, if it is ECR's. */
export function ecrRepository(registry: string | undefined, repositoryPath: string): EcrRepository | undefined {
  const host = registry ? ECR_HOST.exec(registry) : undefined;
  if (!host) return undefined;
  const repository = repositoryPath.startsWith(`${registry}/`) ? repositoryPath.slice(registry!.length + 1) : repositoryPath;
  return { registryId: host[1]!, region: host[2]!, repository };
}

function compareVersions(a: TagVersion, b: TagVersion): number {
  for (let index = 0; index < Math.max(a.numbers.length, b.numbers.length); index++) {
    const difference = (a.numbers[index] ?? 0) - (b.numbers[index] ?? 0);
    if (difference !== 0) return difference;
  }
  // A release is newer than its pre-releases.
  if (a.preRelease && !b.preRelease) return -1;
  if (!a.preRelease && b.preRelease) return 1;
  return (a.preRelease ?? '').localeCompare(b.preRelease ?? '', undefined, { numeric: true });
}

/** The newest tag of `tags` of the same kind as `current` and newer than it; undefined when there is none. */
export function newestTag(current: string, tags: readonly string[]): string | undefined {
  const now = parseTagVersion(current);
  if (!now) return undefined;
  let best: { tag: string; version: TagVersion } | undefined;
  for (const tag of tags) {
    const version = parseTagVersion(tag);
    if (!version || version.prefix.toLowerCase() !== now.prefix.toLowerCase() || (version.variant ?? '') !== (now.variant ?? '')) continue;
    if (version.preRelease && !now.preRelease) continue;
    if (version.numbers.length !== now.numbers.length) continue;
    if (compareVersions(version, now) <= 0) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { tag, version };
  }
  return best?.tag;
}
