import * as assert from 'node:assert/strict';
import { Backoff } from '../../src/core/live/backoff';
import { blockingQuery, blockingTimeoutMs, nextBlockingIndex, parseIndex } from '../../src/core/live/blockingQuery';
import { isHeartbeat, NdjsonDecoder, NdjsonError } from '../../src/core/live/ndjson';
import { applyNomadEvents, checkEventBatch, NomadEvent, reconcileNomadList } from '../../src/core/nomad/nomadEvents';
import { LiveSection } from '../../src/core/store/liveSection';
import { until } from '../support/until';
import { jobEvaluations, NomadSectionData } from '../../src/core/tree/nomad/nomadProperties';
import { reconcileNodes } from '../../src/core/tree/reconcile';
import { ExplorerNode, formatClock, modeDescription, staleNode } from '../../src/core/tree/explorerNode';
import { ApiError } from '../../src/core/http/apiError';
import { recordedJson, recordedText } from '../support/recorded';

describe('Blocking-query index rules', () => {
  it('never blocks on 0: index 0 is a plain read, with neither index nor wait', () => {
    assert.deepEqual(blockingQuery({ index: 0, waitSeconds: 300 }), {});
    assert.deepEqual(blockingQuery({ index: 42, waitSeconds: 300 }), { index: 42, wait: '300s' });
    assert.equal(blockingTimeoutMs({ index: 0, waitSeconds: 300 }), undefined);
    assert.ok(blockingTimeoutMs({ index: 7, waitSeconds: 300 })! > 300_000 * 17 / 16, 'held past the wait and its jitter');
  });

  it('resets to 0 when the index goes backwards, blocks on 1 when the server says 0, else follows the server', () => {
    assert.equal(nextBlockingIndex(100, 90), 0);
    assert.equal(nextBlockingIndex(0, 0), 1);
    assert.equal(nextBlockingIndex(100, 100), 100);
    assert.equal(nextBlockingIndex(100, 150), 150);
  });

  it('reads index headers strictly', () => {
    assert.equal(parseIndex('8421'), 8421);
    assert.equal(parseIndex(null), undefined);
    assert.equal(parseIndex('-3'), undefined);
    assert.equal(parseIndex('12abc'), undefined);
  });

  it('backs off exponentially, with jitter, up to a cap', () => {
    const low = new Backoff(1000, 30_000, () => 0);
    const high = new Backoff(1000, 30_000, () => 1);
    assert.deepEqual([0, 1, 2, 3].map((n) => low.delayMs(n)), [500, 1000, 2000, 4000]);
    assert.deepEqual([0, 1, 2, 3].map((n) => high.delayMs(n)), [1000, 2000, 4000, 8000]);
    assert.equal(high.delayMs(50), 30_000);
  });
});

describe('NDJSON decoding of the event stream', () => {
  const recorded = recordedText('nomad/event-stream.ndjson');

  it('reads the recorded stream: heartbeat, batch, heartbeat', () => {
    const values = new NdjsonDecoder().push(recorded);
    assert.equal(values.length, 3);
    assert.ok(isHeartbeat(values[0]) && isHeartbeat(values[2]));
    const batch = checkEventBatch(values[1]);
    assert.ok(typeof batch !== 'string');
    assert.equal(batch.Index, 7);
    assert.equal(batch.Events[0]!.Topic, 'Node');
  });

  it('gives the same values whatever the chunking, even inside a UTF-8 sequence', () => {
    const bytes = Buffer.from(recorded.replace('nomad-4', 'nömad-4'), 'utf8');
    const whole = new NdjsonDecoder().push(bytes);
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const decoder = new NdjsonDecoder();
      const values: unknown[] = [];
      for (let start = 0; start < bytes.length; start += size) values.push(...decoder.push(bytes.subarray(start, start + size)));
      values.push(...decoder.end());
      assert.deepEqual(values, whole, `chunks of ${size} bytes`);
    }
    assert.match(JSON.stringify(whole), /nömad-4/);
  });

  it('refuses a line that is not JSON, and a line that never ends', () => {
    assert.throws(() => new NdjsonDecoder().push('{"Index":1}\n<html>\n'), NdjsonError);
    assert.throws(() => new NdjsonDecoder(100).push('x'.repeat(200)), /more than 100 bytes/);
  });

  it('checks batch shapes', () => {
    assert.match(String(checkEventBatch({ Events: [] })), /numeric Index/);
    assert.match(String(checkEventBatch({ Index: 3, Events: {} })), /Events list/);
    assert.match(String(checkEventBatch({ Index: 3, Events: [null] })), /Topic and Type/);
  });
});

function nomadData(): NomadSectionData {
  return {
    jobs: recordedJson('nomad/jobs.json'),
    allocations: recordedJson('nomad/allocations.json'),
    deployments: recordedJson('nomad/job-my-job-deployments.json'),
    nodes: recordedJson('nomad/nodes.json'),
    namespace: 'default',
  };
}

function event(topic: NomadEvent['Topic'], type: string, payload: Record<string, unknown>, index = 1000): NomadEvent {
  return { Topic: topic, Type: type, Key: String((Object.values(payload)[0] as { ID?: string }).ID), Namespace: 'default', FilterKeys: null, Index: index, Payload: payload };
}

describe('applyNomadEvents', () => {
  const allocation = recordedJson<Record<string, unknown>>('nomad/allocation.json');

  it('adds an allocation from its full form, as the list stub has it, and recounts its job', () => {
    const data = nomadData();
    const next = applyNomadEvents(data, [event('Allocation', 'PlanResult', { Allocation: { ...allocation, ModifyIndex: 5000, Job: null } })]);
    const added = next.allocations.find((a) => a.ID === allocation.ID);
    assert.ok(added);
    assert.equal(added.ClientStatus, allocation.ClientStatus);
    assert.equal(added.TaskStates, null);
    assert.equal(next.allocations.length, data.allocations.length + 1);
    assert.equal(next.nodes, data.nodes, 'untouched lists keep their identity');
    const job = next.jobs.find((j) => j.ID === added.JobID);
    assert.ok(job, 'the recorded allocation belongs to the recorded job "example"');
    {
      const before = data.jobs.find((j) => j.ID === added.JobID)!.JobSummary?.Summary[added.TaskGroup];
      const field = added.ClientStatus === 'running' ? 'Running' : added.ClientStatus === 'failed' ? 'Failed' : added.ClientStatus === 'complete' ? 'Complete' : 'Starting';
      assert.equal(job.JobSummary!.Summary[added.TaskGroup]![field], (before?.[field] ?? 0) + 1, `the job's ${field} count moves`);
    }
    assert.equal(next.deployments, data.deployments);
  });

  it('never goes back to an older ModifyIndex (a replayed event is harmless)', () => {
    const data = nomadData();
    const first = data.allocations[0]!;
    // The docs' summary counts nothing running: give it the running allocation it should count.
    data.jobs = data.jobs.map((job) => (job.ID === first.JobID ? { ...job, JobSummary: { ...job.JobSummary!, Summary: { ...job.JobSummary!.Summary, [first.TaskGroup]: { ...job.JobSummary!.Summary[first.TaskGroup]!, Running: 2 } } } } : job));
    const updated = applyNomadEvents(data, [event('Allocation', 'AllocationUpdated', { Allocation: { ...first, ClientStatus: 'failed', ModifyIndex: first.ModifyIndex + 10 } })]);
    assert.equal(updated.allocations[0]!.ClientStatus, 'failed');
    const counts = (d: NomadSectionData) => d.jobs.find((j) => j.ID === first.JobID)?.JobSummary?.Summary[first.TaskGroup];
    assert.ok(counts(data), 'the first recorded allocation has a job summary to count in');
    {
      assert.equal(counts(updated)!.Failed, counts(data)!.Failed + 1);
      assert.equal(first.ClientStatus, 'running');
      assert.equal(counts(updated)!.Running, 1, 'the allocation left Running');
    }
    const replayed = applyNomadEvents(updated, [event('Allocation', 'AllocationUpdated', { Allocation: { ...first, ClientStatus: 'running', ModifyIndex: first.ModifyIndex } })]);
    assert.equal(replayed.allocations[0]!.ClientStatus, 'failed');
  });

  it('applies events in order: the last one wins', () => {
    const data = nomadData();
    const first = data.allocations[0]!;
    const next = applyNomadEvents(data, [
      event('Allocation', 'AllocationUpdated', { Allocation: { ...first, ClientStatus: 'failed', ModifyIndex: first.ModifyIndex + 1 } }),
      event('Allocation', 'AllocationUpdated', { Allocation: { ...first, ClientStatus: 'running', ModifyIndex: first.ModifyIndex + 2 } }),
    ]);
    assert.equal(next.allocations[0]!.ClientStatus, 'running');
  });

  it('registers, updates and purges jobs, keeping the summary from the list', () => {
    const data = nomadData();
    const job = data.jobs[0]!;
    const full = { ...recordedJson<Record<string, unknown>>('nomad/job-example.json'), ID: job.ID, Status: 'dead', Stop: true, ModifyIndex: job.ModifyIndex + 1 };
    const stopped = applyNomadEvents(data, [event('Job', 'JobDeregistered', { Job: full })]);
    assert.equal(stopped.jobs[0]!.Status, 'dead');
    assert.equal(stopped.jobs[0]!.Stop, true);
    assert.deepEqual(stopped.jobs[0]!.JobSummary, job.JobSummary);
    const purged = applyNomadEvents(stopped, [event('Job', 'JobDeregistered', { Job: full, Deleted: true })]);
    assert.equal(purged.jobs.some((j) => j.ID === job.ID), false);
  });

  it('turns the recorded Node event into a list stub, and removes a deregistered node', () => {
    const stream = new NdjsonDecoder().push(recordedText('nomad/event-stream.ndjson'));
    const batch = checkEventBatch(stream[1]);
    assert.ok(typeof batch !== 'string');
    const data = nomadData();
    const next = applyNomadEvents(data, batch.Events);
    const node = next.nodes.find((n) => n.ID === 'ccc4ce56-7f0a-4124-b8b1-a4015aa82c40');
    assert.ok(node);
    assert.equal(node.Name, 'nomad-4');
    assert.equal(node.Address, '127.0.0.1');
    assert.equal(node.Version, '0.13.0-dev');
    assert.equal(node.Status, 'initializing');
    const gone = applyNomadEvents(next, [{ ...batch.Events[0]!, Type: 'NodeDeregistration' }]);
    assert.equal(gone.nodes.some((n) => n.ID === node.ID), false);
  });

  it('ignores topics it does not follow and payloads without an ID', () => {
    const data = nomadData();
    assert.equal(applyNomadEvents(data, [event('Service', 'ServiceRegistration', { Service: { ID: 's' } }), event('Evaluation', 'EvaluationUpdated', { Evaluation: { ID: 'e' } }), event('Allocation', 'AllocationUpdated', { Allocation: { ClientStatus: 'x' } })]), data);
  });

  it('holds every open evaluation and each job\'s newest: a blocked one leaves when it completes', () => {
    // The recorded blocked evaluation and the complete one whose placement failed (its RelatedEvals).
    const { RelatedEvals: related, ...blocked } = recordedJson<Record<string, unknown> & { RelatedEvals: Record<string, unknown>[] }>('nomad/evaluation.json');
    const failed = { ...related[0]!, FailedTGAllocs: blocked.FailedTGAllocs } as unknown as { ID: string };
    const data = { ...nomadData(), evaluations: [] };
    const held = applyNomadEvents(data, [event('Evaluation', 'EvaluationUpdated', { Evaluation: failed }), event('Evaluation', 'EvaluationUpdated', { Evaluation: blocked })]);
    assert.deepEqual(held.evaluations!.map((e) => [e.ID, e.Status]), [['2deb5f06-a100-f01a-3316-5e501a4965e7', 'blocked']], 'the blocked one is open and the newest; the older complete one falls away (the blocked one carries its failed placements)');
    const alone = applyNomadEvents(data, [event('Evaluation', 'EvaluationUpdated', { Evaluation: failed })]);
    assert.equal(alone.evaluations![0]!.ID, failed.ID, 'a finished evaluation is held while it is its job\'s newest');
    const newer = { ...failed, ID: 'ffffffff-0000-0000-0000-000000000001', CreateIndex: 40, ModifyIndex: 40, FailedTGAllocs: null };
    const moved = applyNomadEvents(held, [event('Evaluation', 'EvaluationUpdated', { Evaluation: newer }), event('Evaluation', 'EvaluationUpdated', { Evaluation: { ...blocked, Status: 'complete', ModifyIndex: 41 } })]);
    assert.deepEqual(moved.evaluations!.map((e) => e.ID), [newer.ID], 'the job\'s newest only: the unblocked and the older complete fall away');
    assert.equal(jobEvaluations(moved, 'example', 'default')[0]!.ID, newer.ID);
  });
});

describe('Reconciling rows in place', () => {
  const row = (id: string, description: string, children?: ExplorerNode[]): ExplorerNode => ({ id, label: id, description, contextValue: 'x', collapsible: children ? 'collapsed' : 'none', children });

  it('keeps the objects the view has, and names only the rows that changed', () => {
    const before = [row('a', '1', [row('a/1', 'ok'), row('a/2', 'ok')]), row('b', '1')];
    const keptA = before[0]!;
    const keptChild = keptA.children![1]!;
    const result = reconcileNodes(before, [row('a', '1', [row('a/1', 'ok'), row('a/2', 'failed')]), row('b', '1')]);
    assert.equal(result.rootChanged, false);
    assert.equal(result.nodes[0], keptA);
    assert.deepEqual(result.changed.map((n) => n.id), ['a/2']);
    assert.equal(keptChild.description, 'failed', 'the kept object shows the new text');
  });

  it('redraws a parent whose children were added or removed, and the root when its rows change', () => {
    const before = [row('a', '2', [row('a/1', 'ok'), row('a/2', 'ok')])];
    const fewer = reconcileNodes(before, [row('a', '2', [row('a/1', 'ok')])]);
    assert.deepEqual(fewer.changed.map((n) => n.id), ['a']);
    assert.equal(reconcileNodes(fewer.nodes, [row('a', '2', [row('a/1', 'ok')]), row('c', '')]).rootChanged, true);
  });

  it('a kept row loses the fields the new build no longer gives it', () => {
    const before: ExplorerNode = { ...row('a', 'old'), url: 'https://a.example.com', tooltip: 'tip', command: { id: 'x', title: 'X' } };
    const [kept] = reconcileNodes([before], [{ id: 'a', label: 'a', contextValue: 'x', collapsible: 'none' }]).nodes;
    assert.equal(kept, before);
    for (const key of ['description', 'url', 'tooltip', 'command'] as const) assert.equal(kept![key], undefined, `${key} is gone`);
  });

  it('takes the new lazy children of a row that was never expanded, with nothing to redraw', () => {
    const lazy: ExplorerNode = { ...row('job', 'v1'), collapsible: 'collapsed', computeChildren: () => [row('old', '')] };
    const fresh: ExplorerNode = { ...row('job', 'v1'), collapsible: 'collapsed', computeChildren: () => [row('new', '')] };
    const result = reconcileNodes([lazy], [fresh]);
    assert.deepEqual(result.changed, []);
    assert.equal(result.nodes[0]!.computeChildren!()[0]!.id, 'new');
  });
});

describe('Stale rows and view descriptions', () => {
  it('says since when and why, in the server words, with the actions of an error row', () => {
    const since = new Date(2026, 10, 1, 14, 2, 10).getTime();
    const error = new ApiError({ kind: 'unreachable', product: 'Nomad', address: 'http://127.0.0.1:4646', path: '/v1/event/stream', reason: 'connection refused' });
    const stale = staleNode('nomad', error, since);
    assert.equal(stale.label, 'Nomad: stale since 14:02:10 — connection refused');
    assert.match(stale.contextValue, /\berror\b.*\berror-unreachable\b.*\bsection-nomad\b/);
    assert.equal(formatClock(since), '14:02:10');
  });

  it('describes each mode', () => {
    assert.equal(modeDescription({ mode: 'live' }), 'live');
    assert.equal(modeDescription({ mode: 'polling', pollSeconds: 5 }), 'polling 5 s');
    const since = new Date(2026, 10, 1, 9, 5, 0).getTime();
    assert.equal(modeDescription({ mode: 'failed', staleSince: since, data: {} }), 'stale since 09:05:00');
    assert.equal(modeDescription({ mode: 'failed', staleSince: since }), 'failed');
  });
});

describe('reconcileNomadList (garbage collection has no event)', () => {
  const row = (ID: string, ModifyIndex: number, extra: Record<string, unknown> = {}) => ({ ID, ModifyIndex, ...extra });

  it('drops the rows a fresh read lacks, unless an event brought them after that read', () => {
    const current = [row('a', 10), row('b', 12), row('c', 30)];
    const next = reconcileNomadList(current, [row('a', 10)], 20);
    assert.deepEqual(next.map((r) => r.ID), ['a', 'c'], 'b was collected; c changed at 30, after the read at 20');
    assert.equal(next[0], current[0], 'an unchanged row keeps its object');
  });

  it('takes a newer row from the read, keeps a newer row of its own, adds what it missed', () => {
    const current = [row('a', 10, { FailureReason: 'Exit Code: 1' }), row('b', 25)];
    const next = reconcileNomadList(current, [row('a', 15), row('b', 20), row('d', 18)], 20);
    assert.deepEqual(next.map((r) => [r.ID, r.ModifyIndex]), [['a', 15], ['b', 25], ['d', 18]]);
  });

  it('returns the same list when nothing changed, and skips rows that are not objects with an ID', () => {
    const current = [row('a', 10)];
    assert.equal(reconcileNomadList(current, [row('a', 10), null, 7, { ID: '' }, 'x', []], 20), current);
  });
});

describe('LiveSection backoff', () => {
  class FlakySection extends LiveSection<number> {
    starts = 0;
    constructor(backoff: Backoff, private readonly holdMs: number) {
      super('Flaky', { backoff, recoveredAfterMs: 150 });
    }
    protected async start(signal: AbortSignal): Promise<void> {
      this.starts++;
      this.setData(this.starts, { mode: 'live' });
      // The live source breaks soon after every load, as behind a proxy that resets each stream.
      setTimeout(() => {
        if (!signal.aborted) this.fail(new Error('stream reset'));
      }, this.holdMs);
    }
  }
  class RecordingBackoff extends Backoff {
    readonly attempts: number[] = [];
    constructor() {
      super(1, 1, () => 0);
    }
    override delayMs(attempt: number): number {
      this.attempts.push(attempt);
      return 1;
    }
  }

  it('a source that breaks right after every load backs off further each time: a successful load is no recovery', async () => {
    const backoff = new RecordingBackoff();
    const section = new FlakySection(backoff, 5);
    const handle = section.need();
    try {
      await until(() => backoff.attempts.length >= 4, 'four retries');
      assert.deepEqual(backoff.attempts.slice(0, 4), [0, 1, 2, 3]);
    } finally {
      handle.dispose();
      section.dispose();
    }
  });

  it('a source that held past the recovery period starts the backoff again from its first step', async () => {
    const backoff = new RecordingBackoff();
    const section = new FlakySection(backoff, 200);
    const handle = section.need();
    try {
      await until(() => backoff.attempts.length >= 2, 'two retries', 5000);
      assert.deepEqual(backoff.attempts.slice(0, 2), [0, 0]);
    } finally {
      handle.dispose();
      section.dispose();
    }
  });

  it('a disposed section does not load again on Refresh', async () => {
    const section = new FlakySection(new RecordingBackoff(), 1000);
    section.dispose();
    await section.refresh();
    assert.equal(section.starts, 0);
  });
});
