/**
 * A container image reference as written: `[registry[:port]/]repository[:tag][@digest]`.
 * Offsets are relative to the reference text.
 */
export interface ImageReference {
  text: string;
  /** `host:5000`, an ECR host, … when the first path part names a registry. */
  registry?: string;
  repository: string;
  tag?: { text: string; start: number; end: number };
  digest?: string;
}

/**
 * Splits a reference. The tag is what follows the last `:` after the last `/` (a registry's
 * `:port` comes before a `/`), and a digest `@sha256:…` is split off first.
 */
export function parseImageReference(text: string): ImageReference {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  let repositoryPath = rest;
  let tag: ImageReference['tag'];
  if (colon >= 0) {
    repositoryPath = rest.slice(0, colon);
    tag = { text: rest.slice(colon + 1), start: colon + 1, end: rest.length };
  }
  const firstSlash = repositoryPath.indexOf('/');
  const first = firstSlash >= 0 ? repositoryPath.slice(0, firstSlash) : '';
  // Docker's rule: the first part is a registry when it has a dot or a port, or is localhost.
  const hasRegistry = firstSlash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('${'));
  return {
    text,
    registry: hasRegistry ? first : undefined,
    repository: hasRegistry ? repositoryPath.slice(firstSlash + 1) : repositoryPath,
    tag,
    digest,
  };
}
