import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { bumpEdit } from '../../src/core/jobspec/bumpEdit';
import { bumpTag } from '../../src/core/jobspec/versionBump';
import { fixture, scanEcsText, scanJobspecText } from '../support/hcl';

/** A random edit: insert some HCL-ish text at a position, or delete a range. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.stringMatching(/^[a-z0-9 "{}=:./$\n#-]{0,12}$/) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
);

function applyRandom(text: string, edits: { kind: 'insert' | 'delete'; at: number; text?: string; length?: number }[]): string {
  let result = text;
  for (const change of edits) {
    const at = change.at % (result.length + 1);
    result = change.kind === 'insert' ? result.slice(0, at) + change.text + result.slice(at) : result.slice(0, at) + result.slice(at + (change.length ?? 1));
  }
  return result;
}

describe('property: after random edits, a bump changes only the tag characters', function () {
  this.timeout(60_000);
  for (const [file, scan] of [
    ['launcher.nomad', scanJobspecText],
    ['awkward.nomad', scanJobspecText],
    ['ecs-gallery.tf', scanEcsText],
  ] as const) {
    it(`holds for ${file} (300 random edit sequences)`, async () => {
      const original = fixture(file);
      let exercised = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
          const text = applyRandom(original, edits);
          const result = await scan(text);
          for (const site of result.images) {
            assert.equal(text.slice(site.start, site.end), site.text, 'a site is exactly the text between its quotes');
            if (!site.bumpable) continue;
            assert.equal(text.slice(site.tag!.start, site.tag!.end), site.tag!.text);
            // Major always exists in a version; patch may not (`4.1`), and then the bump refuses, changing nothing.
            const change = bumpEdit(site, 'major');
            const bumped = text.slice(0, change.start) + change.newText + text.slice(change.end);
            assert.equal(bumped.slice(0, site.tag!.start), text.slice(0, site.tag!.start), 'nothing before the tag changes');
            assert.equal(bumped.slice(site.tag!.start + change.newText.length), text.slice(site.tag!.end), 'nothing after the tag changes');
            assert.equal(change.newText, bumpTag(site.tag!.text, 'major'));
            exercised++;
          }
        }),
        { numRuns: 300, seed: 20261125 },
      );
      // Random edits often break an image; the property must still have been checked on many real sites
      // (a scanner that found nothing would pass it vacuously): at least one in three runs.
      assert.ok(exercised >= 100, `only ${exercised} bumpable sites exercised in 300 runs`);
    });
  }
});
