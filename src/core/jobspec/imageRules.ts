// The rule every container image of the platform follows, in one place for lint:platform and the editor:
// a literal, pinned version tag (so the extension can bump it).
import { ImageSite } from './imageScanner';

export const IMAGE_PROBLEMS: Record<NonNullable<ImageSite['reason']>, string> = {
  noTag: 'has no tag (Docker would pull "latest"); pin a version tag',
  digest: 'is pinned by digest; use a literal version tag, which the extension can bump',
  interpolation: 'takes its tag from a variable; keep the tag literal so the extension can bump it',
  notVersion: 'has a tag that is not a version; pin a version tag',
};

/** What is wrong with an image site, in words; undefined when its tag is a literal version. */
export function imageProblem(site: ImageSite): string | undefined {
  if (site.bumpable || !site.reason) return undefined;
  if (site.reason === 'notVersion' && site.tag?.text === 'latest') return 'uses the "latest" tag, which moves; pin a version tag';
  return IMAGE_PROBLEMS[site.reason];
}
