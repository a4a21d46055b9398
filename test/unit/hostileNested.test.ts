import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { followHeadline, followOutcome, followRollout, groupProgressWords } from '../../src/core/deploy/rolloutFollow';
import { applyNomadEvents, checkEventBatch, NomadEvent, reconcileNomadList } from '../../src/core/nomad/nomadEvents';
import { NomadSectionData, nomadSectionNodes } from '../../src/core/tree/nomad/nomadProperties';
import { jobStatusLens } from '../../src/core/jobspec/deployStatus';
import { ExplorerNode } from '../../src/core/tree/explorerNode';
import { recordedJson, recordedText } from '../support/recorded';
import { checkList } from '../../src/core/http/shapes';
import { conformNomad } from '../../src/core/nomad/nomadShapes';

// Hostile nested data: the recorded responses and event batches, mutated at every depth (nulls, wrong
// types, missing keys), fed through what the store, the tree and the follow do with them. Nothing may throw:
// a throw in the render timer freezes the view, one in the follow hangs it.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const HOSTILE_VALUES: Json[] = [null, 0, -1, 1e308, '', 'x', true, [], {}, [null], { '': null }];

/** Every path into a JSON value (objects and arrays), up to `depth`. */
function paths(value: Json, depth = 10, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth === 0 || value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...paths((value as Record<string, Json>)[key as string] as Json, depth - 1, [...prefix, key])]);
}

/** A copy of `value` with the value at `path` replaced (or deleted). */
function mutate(value: Json, path: (string | number)[], replacement: Json | 'delete'): Json {
  const copy = structuredClone(value);
  let cursor = copy as Record<string, Json>;
  for (const key of path.slice(0, -1)) cursor = cursor[key as string] as Record<string, Json>;
  const last = path.at(-1)!;
  if (replacement === 'delete') {
    if (Array.isArray(cursor)) cursor.splice(last as number, 1);
    else delete cursor[last as string];
  } else cursor[last as string] = replacement;
  return copy;
}

const base = {
  jobs: recordedJson('nomad/jobs.json') as Json,
  allocations: recordedJson('nomad/allocations.json') as Json,
  deployments: [recordedJson('nomad/deployment.json')] as Json,
  nodes: recordedJson('nomad/nodes.json') as Json,
  definition: recordedJson('nomad/job-example.json') as Json,
  evaluations: recordedJson('nomad/job-evaluations.json') as Json,
  events: recordedText('nomad/event-stream.ndjson').split('\n').filter((line) => line.trim() && line.trim() !== '{}').map((line) => JSON.parse(line) as Json) as Json,
};
type Part = keyof typeof base;

const WHERE = { product: 'Nomad' as const, address: 'http://nomad.test', path: '/v1/…' };

/** What the client does at the edge: a list that is not a list of objects is refused, the rest conformed. */
function edge(kind: 'jobs' | 'allocations' | 'deployments' | 'nodes', value: Json): unknown[] | undefined {
  try {
    return checkList<object>(value, WHERE, ['ID']).map((item) => conformNomad(kind, item));
  } catch (error) {
    assert.match(String((error as Error).message), /malformed/);
    return undefined;
  }
}

function sectionOf(parts: typeof base): NomadSectionData | undefined {
  const lists = { jobs: edge('jobs', parts.jobs), allocations: edge('allocations', parts.allocations), deployments: edge('deployments', parts.deployments), nodes: edge('nodes', parts.nodes) };
  if (!lists.jobs || !lists.allocations || !lists.deployments || !lists.nodes) return undefined;
  return { namespace: 'default', ...lists } as unknown as NomadSectionData;
}

function walk(nodes: ExplorerNode[]): number {
  let count = 0;
  for (const node of nodes) count += 1 + walk(node.children ?? []);
  return count;
}

/** Everything a batch of cluster data goes through on its way to the screen. */
function exercise(parts: typeof base): void {
  const read = sectionOf(parts);
  // Refused at the edge: the section says "malformed" and keeps what it had; nothing reaches the tree.
  if (!read) return;
  let data = read;
  const definition = isObjectValue(parts.definition) ? conformNomad('job', parts.definition) : undefined;
  const evaluations = edgeEvaluations(parts.evaluations);
  for (const batch of parts.events as Json[]) {
    const checked = checkEventBatch(batch);
    if (typeof checked !== 'string') data = applyNomadEvents(data, checked.Events as NomadEvent[]);
  }
  data = { ...data, allocations: reconcileNomadList(data.allocations, edge('allocations', parts.allocations) ?? [], 1e9) };
  walk(nomadSectionNodes(data, { ui: { nomad: 'http://n', consul: 'http://c' }, now: Date.now() }));
  const jobId = String((parts.jobs as { ID?: unknown }[])?.[0]?.ID ?? 'example');
  const state = followRollout({ jobId, namespace: 'default', baselineJobModifyIndex: 0 }, { snapshot: data, definition: definition as never, evaluations: evaluations as never });
  followHeadline(state);
  followOutcome(state, jobId, 'p');
  state.groups.forEach(groupProgressWords);
  jobStatusLens(jobId, 'default', [], data, definition as never, 'p');
}

function isObjectValue(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function edgeEvaluations(value: Json): unknown[] | undefined {
  try {
    return checkList<object>(value, WHERE, ['ID', 'Status']).map((item) => conformNomad('evaluations', item));
  } catch {
    return undefined;
  }
}

describe('Hostile nested data never throws (property)', function () {
  this.timeout(120_000);

  it('the recorded data itself goes through', () => {
    exercise(base);
  });

  for (const part of Object.keys(base) as Part[]) {
    it(`${part}: a null, a wrong type or a missing key at any depth`, () => {
      const all = paths(base[part]);
      assert.ok(all.length > 0);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.constant('delete' as const)), (at, replacement) => {
          const mutated = { ...base, [part]: mutate(base[part], all[at]!, replacement) };
          try {
            exercise(mutated);
          } catch (error) {
            throw new Error(`${part} at ${JSON.stringify(all[at])} = ${JSON.stringify(replacement)}: ${(error as Error).stack}`);
          }
        }),
        { numRuns: 1000, seed: 20261203 },
      );
    });
  }
});
