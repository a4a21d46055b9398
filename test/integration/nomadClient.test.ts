import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/http/apiError';
import { loadNomadSection } from '../support/sectionReads';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { childrenOf } from '../../src/core/tree/explorerNode';
import { runningImages } from '../../src/core/jobspec/deployStatus';
import { recordedJson } from '../support/recorded';
import { NOMAD_HEADERS, PLAIN_TEXT, ReplayServer, useReplayServer } from '../support/replayServer';

const UI = { consul: 'http://consul.test', nomad: 'http://nomad.test' };

describe('NomadClient against recorded Nomad responses', () => {
  const replay = useReplayServer({
    'GET /v1/jobs': { file: 'nomad/jobs.json', headers: NOMAD_HEADERS },
    'GET /v1/allocations': { file: 'nomad/allocations.json', headers: NOMAD_HEADERS },
    // /v1/deployments lists the same Deployment objects as /v1/job/:id/deployments.
    'GET /v1/deployments': { file: 'nomad/job-my-job-deployments.json', headers: NOMAD_HEADERS },
    'GET /v1/nodes': { file: 'nomad/nodes.json', headers: NOMAD_HEADERS },
    // /v1/evaluations lists Evaluation objects as /v1/evaluation/:id reads one: the recorded blocked
    // evaluation (the docs' sample, read with ?related=true) without its RelatedEvals.
    'GET /v1/evaluations': { body: JSON.stringify([blockedEvaluation()]), headers: NOMAD_HEADERS },
  });
  let server: ReplayServer;
  beforeEach(() => (server = replay()));

  it('sends X-Nomad-Token, the namespace and the region', async () => {
    const client = new NomadClient({ address: server.address, timeoutMs: 2000, token: 'nomad-secret', namespace: '*', region: 'eu' });
    await client.indexedList('jobs');
    const request = server.requests[0]!;
    assert.equal(request.headers['x-nomad-token'], 'nomad-secret');
    assert.equal(request.query.get('namespace'), '*');
    assert.equal(request.query.get('region'), 'eu');
    assert.equal(request.query.has('per_page'), false, 'the explorer asks for whole lists');
  });

  it('asks for allocations without task states, and nodes without a namespace', async () => {
    const client = new NomadClient({ address: server.address, timeoutMs: 2000 });
    await client.indexedList('allocations');
    await client.indexedList('nodes');
    assert.equal(server.requests[0]!.query.get('task_states'), 'false');
    assert.equal(server.requests[0]!.query.get('namespace'), 'default');
    assert.equal(server.requests[1]!.query.has('namespace'), false);
  });

  it('reads only the open evaluations, in the profile\'s namespace, with their failed placements', async () => {
    const client = new NomadClient({ address: server.address, timeoutMs: 2000 });
    const list = await client.indexedList('evaluations');
    assert.equal(server.requests[0]!.query.get('filter'), 'Status == "blocked" or Status == "pending"');
    assert.equal(server.requests[0]!.query.get('namespace'), 'default');
    assert.equal(list.items[0]!.Status, 'blocked');
    assert.equal(list.items[0]!.PreviousEval, '0f98f7ea-59ae-4d90-d9bd-b8ce80b9e100');
    assert.deepEqual(list.items[0]!.FailedTGAllocs!.cache!.NodesAvailable, { dc1: 0 });
  });

  it('builds jobs → allocations and deployment, and nodes, with five requests', async () => {
    const client = new NomadClient({ address: server.address, timeoutMs: 2000 });
    const snapshot = await loadNomadSection(client, UI);
    assert.deepEqual(server.requests.map((r) => r.path).sort(), ['/v1/allocations', '/v1/deployments', '/v1/evaluations', '/v1/jobs', '/v1/nodes']);
    const jobs = snapshot.nodes.find((n) => n.id === 'nomad/jobs')!.children!;
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.label, 'example');
    // The docs' job list has no Version; the allocations' JobVersion stands in.
    assert.equal(jobs[0]!.description, 'service · pending · v0 · default · waiting for room (blocked evaluation)', 'the recorded blocked evaluation is of job "example"');
    const allocationRows = childrenOf(jobs[0]!)!.filter((c) => c.contextValue.includes('nomadAllocation'));
    const recorded = recordedJson<{ ID: string; JobID: string }[]>('nomad/allocations.json').filter((a) => a.JobID === 'example');
    assert.equal(allocationRows.length, recorded.length);
    assert.ok(allocationRows.every((row) => row.label.length === 8));
    const nodes = snapshot.nodes.find((n) => n.id === 'nomad/nodes')!.children!;
    assert.equal(nodes[0]!.label, 'nomad-4');
    assert.equal(nodes[0]!.description, 'ready · eligible');
  });

  it('shows the latest deployment of a job with healthy/desired', async () => {
    server.on('GET /v1/jobs', { body: JSON.stringify([{ ...recordedJson<object[]>('nomad/jobs.json')[0], ID: 'my-job', Name: 'my-job' }]), headers: NOMAD_HEADERS });
    const client = new NomadClient({ address: server.address, timeoutMs: 2000 });
    const snapshot = await loadNomadSection(client, UI);
    const job = snapshot.nodes[0]!.children![0]!;
    const deployment = childrenOf(job)![0]!;
    assert.equal(deployment.label, 'Deployment 85ee4a9a');
    // Two healthy canaries, not promoted, and no auto_promote: Nomad waits for someone to promote them.
    assert.equal(deployment.description, 'running · canary waiting for promotion · 2/3 healthy · v1');
    assert.match(deployment.contextValue, /\bdeploymentActive\b/);
    assert.match(deployment.contextValue, /\bdeploymentCanaries\b/);
  });

  it('reads one job with its task configs, and says "job not found" for an unknown one', async () => {
    server.on('GET /v1/job/example', { file: 'nomad/job-example.json', headers: NOMAD_HEADERS });
    server.on('GET /v1/job/ghost', { status: 404, body: 'job not found', contentType: PLAIN_TEXT });
    const client = new NomadClient({ address: server.address, timeoutMs: 2000 });
    const job = await client.job('example', 'apps');
    assert.equal(server.requests[0]!.query.get('namespace'), 'apps');
    assert.deepEqual(runningImages(job), new Map([['init', 'alpine'], ['redis', 'redis:latest']]));
    await assert.rejects(client.job('ghost', 'default'), (error: unknown) => error instanceof ApiError && error.kind === 'notFound' && error.reason === 'job not found');
  });

  for (const [status, body, kind] of [
    [403, 'Permission denied', 'forbidden'],
    [403, 'ACL token not found', 'forbidden'],
    [404, 'job not found', 'notFound'],
    [400, 'Invalid wait time', 'http'],
    [500, 'No cluster leader', 'http'],
  ] as const) {
    it(`turns a ${status} "${body}" into a ${kind} error with Nomad's words`, async () => {
      server.on('GET /v1/jobs', { status, body, contentType: PLAIN_TEXT });
      const client = new NomadClient({ address: server.address, timeoutMs: 2000 });
      const error = await client.indexedList('jobs').then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ApiError);
      assert.equal(error.kind, kind);
      assert.equal(error.status, status);
      assert.equal(error.reason, body);
      assert.ok(error.message.includes(body));
    });
  }

  it('says "Nomad refused the token: Permission denied" on a 403', async () => {
    server.on('GET /v1/jobs', { status: 403, body: 'Permission denied', contentType: PLAIN_TEXT });
    const client = new NomadClient({ address: server.address, timeoutMs: 2000 });
    await assert.rejects(client.indexedList('jobs'), { message: 'Nomad refused the token: Permission denied' });
  });
});

describe('NomadClient.allocation', () => {
  const replay = useReplayServer({ 'GET /v1/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e': { file: 'nomad/allocation.json', headers: NOMAD_HEADERS } });

  it('reads one allocation with its task states (the recorded one)', async () => {
    const client = new NomadClient({ address: replay().address, timeoutMs: 2000 });
    const allocation = await client.allocation('a8198d79-cfdb-6593-a999-1e9adabcba2e');
    assert.equal(allocation.TaskStates?.redis?.State, 'running');
    assert.equal(allocation.TaskStates?.redis?.Events?.length, 3);
  });

  it("a body that is not an allocation is malformed, and an unknown one is Nomad's 404", async () => {
    replay().on('GET /v1/allocation/bad', { body: '{"TaskStates":[]}', headers: NOMAD_HEADERS });
    replay().on('GET /v1/allocation/gone', { status: 404, body: 'alloc not found', contentType: PLAIN_TEXT });
    const client = new NomadClient({ address: replay().address, timeoutMs: 2000 });
    await assert.rejects(client.allocation('bad'), (error: unknown) => error instanceof ApiError && error.kind === 'malformed');
    await assert.rejects(client.allocation('gone'), (error: unknown) => error instanceof ApiError && error.kind === 'notFound' && /alloc not found/.test(error.message));
  });
});

function blockedEvaluation(): Record<string, unknown> {
  const evaluation = recordedJson<Record<string, unknown>>('nomad/evaluation.json');
  delete evaluation.RelatedEvals;
  return evaluation;
}
