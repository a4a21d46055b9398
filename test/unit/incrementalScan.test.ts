import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { createHclParser, parseHcl } from '../../src/core/jobspec/hclParser';
import { scanJobspec } from '../../src/core/jobspec/imageScanner';
import { JobspecDocument, TextChange } from '../../src/core/jobspec/jobspecDocument';

const REPO = join(__dirname, '..', '..', '..');

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

function change(text: string, start: number, length: number, insert: string): TextChange {
  return { rangeOffset: start, rangeLength: length, text: insert, range: { start: position(text, start), end: position(text, start + length) } };
}

function fullScan(parser: Parser, text: string) {
  const tree = parseHcl(parser, text);
  try {
    return scanJobspec(tree, text);
  } finally {
    tree.delete();
  }
}

/**
 * Three jobs of the platform's kind, one after another, so an edit in one leaves the others to be reused; the
 * second is Traefik's, whose task declares actions (their lines move with the edits before them).
 */
function corpus(): string {
  const whoami = readFileSync(join(REPO, 'platform', 'nomad', 'whoami.nomad'), 'utf8');
  const traefik = readFileSync(join(REPO, 'platform', 'nomad', 'traefik.nomad'), 'utf8');
  return [whoami, traefik, whoami.replace(/"whoami"/g, '"third"').replace('v1.10.3', '${var.tag}')].join('\n');
}

describe('The incremental rescan of a jobspec (only the jobs an edit touched)', () => {
  let parser: Parser;
  before(async () => (parser = await createHclParser()));

  it('equals a full scan after any sequence of edits, scanned after each or after several (property test)', function () {
    this.timeout(120_000);
    const pieces = ['', 'a', '9', '{', '}', '"', '\n', ' ', '"x:1.2.3"', 'job "n" {\n}\n', '#', '${', '.'];
    let checked = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat(12), insert: fc.constantFrom(...pieces), scanNow: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        (edits) => {
          let text = corpus();
          const document = new JobspecDocument(parser, 'jobspec', text);
          void document.scan;
          try {
            for (const edit of edits) {
              const start = Math.floor(edit.at * text.length);
              const length = Math.min(edit.remove, text.length - start);
              const next = text.slice(0, start) + edit.insert + text.slice(start + length);
              document.applyChanges([change(text, start, length, edit.insert)], next);
              text = next;
              if (edit.scanNow) {
                assert.deepEqual(document.scan, { kind: 'jobspec', scan: fullScan(parser, text) });
                checked++;
              }
            }
            assert.deepEqual(document.scan, { kind: 'jobspec', scan: fullScan(parser, text) });
            checked++;
          } finally {
            document.dispose();
          }
        },
      ),
      { numRuns: 300, seed: 20261202 },
    );
    assert.ok(checked >= 300, `${checked} scans compared`);
  });

  it('reuses the jobs an edit did not touch, moved to where they are now', () => {
    let text = corpus();
    const document = new JobspecDocument(parser, 'jobspec', text);
    const before = document.scan;
    assert.equal(before.kind === 'jobspec' && before.scan.jobs.length, 3);
    const at = text.indexOf('count = 3');
    const next = text.slice(0, at) + 'count = 30' + text.slice(at + 'count = 3'.length);
    document.applyChanges([change(text, at, 'count = 3'.length, 'count = 30')], next);
    text = next;
    const after = document.scan;
    assert.ok(after.kind === 'jobspec' && before.kind === 'jobspec');
    assert.notEqual(after.scan.jobs[1], before.scan.jobs[1], 'moved by one character: a new object with new offsets');
    assert.equal(after.scan.jobs[1]!.start, before.scan.jobs[1]!.start + 1);
    assert.equal(after.scan.images[1]!.start, before.scan.images[1]!.start + 1);
    assert.deepEqual(after.scan.jobs[1]!.actions.map((action) => `${action.task}/${action.name}@${action.line}`), before.scan.jobs[1]!.actions.map((action) => `${action.task}/${action.name}@${action.line}`), 'the same line: the edit changed none');
    assert.deepEqual(after.scan.jobs[1]!.actions.map((action) => action.name), ['ping', 'version']);
    assert.match(text.split('\n')[after.scan.jobs[1]!.actions[0]!.line]!, /^\s*action "ping" \{$/);
    assert.deepEqual(after, { kind: 'jobspec', scan: fullScan(parser, text) });
    document.dispose();
  });
});
