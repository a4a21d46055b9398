import * as assert from 'node:assert/strict';
import { dispatchSpec, parseDispatchMeta, sameJobDefinition, scaleCountProblem, scalingBounds } from '../../src/core/nomad/jobActions';
import { NomadAllocationStats, NomadJobVersions } from '../../src/core/nomad/nomadApi';
import { allocationStatsLines } from '../../src/core/tree/nomad/allocationTasks';
import { diffChanges, jobVersionNodes, versionDiffDocument } from '../../src/core/tree/nomad/jobVersions';
import { recordedJson } from '../support/recorded';

describe("A job's versions, from the recorded versions with diffs", () => {
  const versions = recordedJson<NomadJobVersions>('nomad/job-versions-diffs.json');
  const now = 1608316675000 + 3_601_000;

  it('lists each version newest first with stable, submit time and what changed from the one before', () => {
    const rows = jobVersionNodes('example', 'default', versions, 'prod', now);
    assert.deepEqual(rows.map((row) => row.label), ['v1 (current)', 'v0']);
    assert.equal(rows[0]!.description, 'stable · submitted 1 h ago · redis: Env[foo] added');
    assert.equal(rows[1]!.description, 'not stable · submitted 1 h ago · first version');
    assert.match(rows[0]!.contextValue, /\bcurrentVersion\b/);
    assert.doesNotMatch(rows[1]!.contextValue, /\bcurrentVersion\b/, 'Revert is offered on older versions only');
    assert.equal(rows[1]!.jobVersion, 0);
    assert.equal(rows[0]!.command?.id, 'hashistack.showVersionDiff');
  });

  it("opens a version's diff as a document, grouped like the plan's", () => {
    const text = versionDiffDocument('example', 'prod', 1, 0, versions.Diffs![0]);
    assert.match(text, /^# Job "example" on "prod": version 1 against version 0/);
    assert.match(text, /### ~ Task group "cache" — Edited/);
    assert.match(text, /- ~ Edited task `redis`\n {2}- \+ Added `Env\[foo\]`: `bar`/);
    assert.match(versionDiffDocument('example', 'prod', 0, undefined, undefined), /The first version of the job/);
  });

  it('words changes of every kind, and says when there is none', () => {
    assert.deepEqual(diffChanges({ Type: 'Edited', ID: 'x', Name: '', Fields: [{ Type: 'Edited', Name: 'Priority', Old: '50', New: '60', Annotations: null }], Objects: null, TaskGroups: [{ Type: 'Added', Name: 'web', Fields: null, Objects: null, Tasks: null, Updates: null }] }), ['Priority 50 → 60', 'group web added']);
    assert.deepEqual(diffChanges({ Type: 'None', ID: 'x', Name: '', Fields: null, Objects: null, TaskGroups: null }), []);
    const single = { ...versions, Versions: versions.Versions.slice(1), Diffs: [] };
    assert.equal(jobVersionNodes('example', 'default', single, 'prod', now)[0]!.label, 'v0 (current)');
    assert.equal(jobVersionNodes('example', 'default', { Versions: [], Diffs: null }, 'prod', now)[0]!.label, 'No versions');
  });
});

describe("A running allocation's usage against what it reserved", () => {
  it('reads the recorded stats against the recorded job\'s resources', () => {
    const stats = recordedJson<NomadAllocationStats>('nomad/client-allocation-stats.json');
    const definition = recordedJson('nomad/job-example.json');
    assert.deepEqual(allocationStatsLines(stats, definition, 'cache'), ['redis: CPU 3 MHz of 500 MHz (1%) · memory 1.4 MiB of 256 MiB (1%)']);
    assert.deepEqual(allocationStatsLines(stats, undefined, 'cache'), ['redis: CPU 3 MHz · memory 1.4 MiB'], 'without the definition: usage alone');
  });
});

describe('Checks of what a job action is given', () => {
  it('keeps a scale count within the scaling policy', () => {
    const definition = { TaskGroups: [{ Name: 'web', Scaling: { Min: 1, Max: 5 } }, { Name: 'free' }] };
    assert.deepEqual(scalingBounds(definition, 'web'), { min: 1, max: 5 });
    assert.deepEqual(scalingBounds(definition, 'free'), { min: undefined, max: undefined });
    assert.equal(scaleCountProblem('3', { min: 1, max: 5 }), undefined);
    assert.match(scaleCountProblem('0', { min: 1, max: 5 })!, /at least 1/);
    assert.match(scaleCountProblem('6', { min: 1, max: 5 })!, /at most 5/);
    assert.match(scaleCountProblem('-1', {})!, /whole number/);
    assert.match(scaleCountProblem('2.5', {})!, /whole number/);
    assert.equal(scaleCountProblem('0', {}), undefined, 'without a policy, 0 stops the group');
  });

  it("checks a dispatch's meta against the job's required and optional keys", () => {
    const spec = dispatchSpec({ ParameterizedJob: { MetaRequired: ['input'], MetaOptional: ['mode'], Payload: 'forbidden' } })!;
    assert.deepEqual(spec, { required: ['input'], optional: ['mode'], payload: 'forbidden' });
    assert.deepEqual(parseDispatchMeta('input=s3://b/k, mode=fast', spec), { meta: { input: 's3://b/k', mode: 'fast' } });
    assert.deepEqual(parseDispatchMeta('input=a=b', spec), { meta: { input: 'a=b' } }, 'the first = splits');
    assert.deepEqual(parseDispatchMeta('mode=fast', spec), { problem: 'Required: input.' });
    assert.match((parseDispatchMeta('input=x, color=red', spec) as { problem: string }).problem, /"color" is not a meta key/);
    assert.match((parseDispatchMeta('input', spec) as { problem: string }).problem, /not key=value/);
    assert.equal(dispatchSpec({ ParameterizedJob: null }), undefined);
  });
});

describe('Reverting to a version that is the same as the current one', () => {
  it('tells two versions that define the same job apart from two that differ, whatever their numbers, indexes and key order', () => {
    const [newest] = recordedJson<NomadJobVersions>('nomad/job-versions.json').Versions;
    const again = JSON.parse(JSON.stringify({ ...newest, Version: (newest!.Version ?? 0) + 1, JobModifyIndex: 9_999, ModifyIndex: 9_999, SubmitTime: 1, Stable: false, Status: 'pending' })) as Record<string, unknown>;
    // The same fields in another order.
    const reordered = Object.fromEntries(Object.entries(again).reverse());
    assert.ok(sameJobDefinition(newest, reordered), 'a re-registration of the same job');
    const changed = JSON.parse(JSON.stringify(newest)) as { TaskGroups: { Count: number }[] };
    changed.TaskGroups[0]!.Count += 1;
    assert.ok(!sameJobDefinition(newest, changed), 'a count changed');
    assert.ok(!sameJobDefinition(newest, { ...newest, Meta: { owner: 'someone' } }), 'meta changed');
  });
});
