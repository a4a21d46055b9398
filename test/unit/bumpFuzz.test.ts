import * as assert from 'node:assert/strict';
import { bumpEdit } from '../../src/core/jobspec/bumpEdit';
import { ImageSite } from '../../src/core/jobspec/imageScanner';
import { fixture, scanEcsText, scanJobspecText } from '../support/hcl';

/** A small seeded generator (mulberry32), so a failure is reproducible from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['"', "'", '{', '}', '${', '}', '%{', '<<EOF\n', '<<-EOT\n', '\nEOF\n', '=', '\n', '\r\n', '#', '//', '/*', '*/', 'ü', '😀', '\\', ' ', 'image = "x:1.0.0"', '8', '[', ']', ','];

interface Mutation {
  text: string;
  /** Where the original and the mutated text start to differ, and how much longer the mutated one is. */
  at: number;
  removed: number;
  inserted: number;
}

/** Deletes, inserts or duplicates a character or a line, or inserts a snippet of HCL syntax. */
function mutate(original: string, next: () => number): Mutation {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const at = Math.floor(next() * (original.length + 1));
  const lineStart = original.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = original.indexOf('\n', at) < 0 ? original.length : original.indexOf('\n', at) + 1;
  switch (pick(['deleteChar', 'insertChar', 'duplicateChar', 'deleteLine', 'duplicateLine', 'snippet', 'snippet', 'crlf'] as const)) {
    case 'deleteChar':
      return { text: original.slice(0, at) + original.slice(at + 1), at, removed: Math.min(1, original.length - at), inserted: 0 };
    case 'insertChar': {
      const char = String.fromCharCode(32 + Math.floor(next() * 95));
      return { text: original.slice(0, at) + char + original.slice(at), at, removed: 0, inserted: 1 };
    }
    case 'duplicateChar':
      return { text: original.slice(0, at) + original.slice(at, at + 1) + original.slice(at), at, removed: 0, inserted: Math.min(1, original.length - at) };
    case 'deleteLine':
      return { text: original.slice(0, lineStart) + original.slice(lineEnd), at: lineStart, removed: lineEnd - lineStart, inserted: 0 };
    case 'duplicateLine':
      return { text: original.slice(0, lineEnd) + original.slice(lineStart, lineEnd) + original.slice(lineEnd), at: lineEnd, removed: 0, inserted: lineEnd - lineStart };
    case 'snippet': {
      const snippet = pick(SNIPPETS);
      return { text: original.slice(0, at) + snippet + original.slice(at), at, removed: 0, inserted: snippet.length };
    }
    case 'crlf':
      return { text: original.replace(/\n/g, '\r\n'), at: 0, removed: original.length, inserted: original.replace(/\n/g, '\r\n').length };
  }
}

/** Where a range of the mutated text was in the original, if it lies wholly before or after the change. */
function originalRange(site: { start: number; end: number }, mutation: Mutation): { start: number; end: number } | undefined {
  // A site that touches the changed characters (even its first or last one) cannot be mapped back.
  if (site.end < mutation.at) return site;
  const changedEnd = mutation.at + mutation.inserted;
  if (site.start > changedEnd) return { start: site.start - mutation.inserted + mutation.removed, end: site.end - mutation.inserted + mutation.removed };
  return undefined;
}

const FIXTURES = [
  ['decoys.nomad', scanJobspecText],
  ['launcher.nomad', scanJobspecText],
  ['awkward.nomad', scanJobspecText],
  ['broken.nomad', scanJobspecText],
  ['ecs-gallery.tf', scanEcsText],
] as const;
const MUTATIONS_PER_FIXTURE = 2_000;

describe('fuzz: 10,000 mutations of the jobspec fixtures never make a bump edit anything but an image tag', function () {
  this.timeout(180_000);
  for (const [file, scan] of FIXTURES) {
    it(`${file}: ${MUTATIONS_PER_FIXTURE} seeded mutations`, async () => {
      const original = fixture(file);
      // Where the original says `image = "…"` (or `"image": "…"`): the strings a bump may ever edit. The
      // decoys (env values, meta, comments, heredoc text, other keys) are all named "…decoy…".
      const imageValues = new Map<string, string>();
      for (const match of original.matchAll(/(?<![A-Za-z0-9_])"?image"?\s*[=:]\s*"([^"\n]*)"/g)) {
        const start = match.index! + match[0].length - match[1]!.length - 1;
        imageValues.set(`${start}:${start + match[1]!.length}`, match[1]!);
      }
      for (const site of (await scan(original)).images as ImageSite[]) assert.equal(imageValues.get(`${site.start}:${site.end}`), site.text, 'the oracle knows every image the scanner finds');
      const next = random(20261202 + file.length);
      let checked = 0;
      for (let n = 0; n < MUTATIONS_PER_FIXTURE; n++) {
        const mutation = mutate(original, next);
        const result = await scan(mutation.text); // must not throw
        for (const site of result.images) {
          if (!site.bumpable) continue;
          const change = bumpEdit(site, 'major');
          // The edit is exactly the tag's characters.
          assert.equal(change.start, site.tag!.start, `${file} #${n}`);
          assert.equal(change.end, site.tag!.end, `${file} #${n}`);
          assert.equal(mutation.text.slice(site.tag!.start, site.tag!.end), site.tag!.text);
          // And the site is an image value of the original file (or sits where the mutation is): never a decoy.
          assert.ok(!site.text.includes('decoy'), `${file} #${n}: a decoy was taken for an image: "${site.text}"`);
          const before = originalRange(site, mutation);
          if (before && mutation.removed !== original.length) {
            assert.equal(imageValues.get(`${before.start}:${before.end}`), site.text, `${file} #${n}: "${site.text}" is not an image value of the original (mutation at ${mutation.at})`);
          }
          checked++;
        }
      }
      // Most mutations leave the images readable: the property must have been checked on many real sites.
      const bumpableBefore = ((await scan(original)).images as ImageSite[]).filter((site) => site.bumpable).length;
      assert.ok(checked >= (bumpableBefore * MUTATIONS_PER_FIXTURE) / 4, `only ${checked} bumpable sites checked`);
    });
  }
});
