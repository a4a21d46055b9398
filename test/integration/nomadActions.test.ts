import * as assert from 'node:assert/strict';
import { DemoCluster } from '../../demo/demoCluster';
import { ApiError } from '../../src/core/http/apiError';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { NOMAD_HEADERS, PLAIN_TEXT, ReplayServer, useReplayServer } from '../support/replayServer';
import { until } from '../support/until';

describe("NomadClient's allocation and job actions against recorded Nomad responses", () => {
  const alloc = '5456bd7a-9fc0-c0dd-6131-cbee77f57577';
  const replay = useReplayServer({
    [`POST /v1/client/allocation/${alloc}/restart`]: { file: 'nomad/client-allocation-restart.json', headers: NOMAD_HEADERS },
    [`POST /v1/allocation/${alloc}/stop`]: { file: 'nomad/allocation-stop.json', headers: NOMAD_HEADERS },
    'DELETE /v1/job/example': { file: 'nomad/job-deregister.json', headers: NOMAD_HEADERS },
    'GET /v1/job/example/scale': { file: 'nomad/job-scale-status.json', headers: NOMAD_HEADERS },
    'POST /v1/job/example/scale': { file: 'nomad/job-scale.json', headers: NOMAD_HEADERS },
    'POST /v1/job/example/periodic/force': { file: 'nomad/job-periodic-force.json', headers: NOMAD_HEADERS },
    'POST /v1/job/example/dispatch': { file: 'nomad/job-dispatch.json', headers: NOMAD_HEADERS },
    'GET /v1/job/example/versions': { file: 'nomad/job-versions-diffs.json', headers: NOMAD_HEADERS },
    [`GET /v1/client/allocation/${alloc}/stats`]: { file: 'nomad/client-allocation-stats.json', headers: NOMAD_HEADERS },
  });
  let server: ReplayServer;
  beforeEach(() => (server = replay()));
  const client = () => new NomadClient({ address: server.address, timeoutMs: 2000, token: 'ops-secret' });

  it('restarts one task, all tasks, or the running ones, with the bodies Nomad reads; `{}` is success', async () => {
    await client().restartAllocation(alloc, { name: 'redis' });
    await client().restartAllocation(alloc, 'all');
    await client().restartAllocation(alloc, 'running');
    assert.deepEqual(server.requests.map((request) => JSON.parse(request.body)), [{ TaskName: 'redis' }, { AllTasks: true }, {}]);
    assert.equal(server.requests[0]!.headers['x-nomad-token'], 'ops-secret');
  });

  it('stops an allocation, and stops or purges a job', async () => {
    assert.equal((await client().stopAllocation(alloc)).EvalID, alloc, 'the recorded EvalID');
    await client().stopJob('example', 'default', false);
    await client().stopJob('example', 'default', true);
    assert.equal(server.requests[1]!.method, 'DELETE');
    assert.equal(server.requests[1]!.query.has('purge'), false);
    assert.equal(server.requests[2]!.query.get('purge'), 'true');
  });

  it('reads the scale status and scales a group with its target', async () => {
    const status = await client().jobScaleStatus('example', 'default');
    assert.equal(status.TaskGroups!.cache!.Desired, 1);
    const answer = await client().scaleTaskGroup('example', 'default', 'cache', 3, 'from a test');
    assert.equal(answer.EvalID, '116f3ede-f6a5-f6e7-2d0e-1fda136390f0');
    assert.deepEqual(JSON.parse(server.requests[1]!.body), { Count: 3, Target: { Job: 'example', Group: 'cache' }, Message: 'from a test', PolicyOverride: false });
  });

  it('forces a periodic job and dispatches a parameterized one with its meta and a base64 payload', async () => {
    assert.equal((await client().forcePeriodic('example', 'default')).EvalID, '57983ddd-7fcf-3e3a-fd24-f699ccfb36f4');
    const dispatched = await client().dispatchJob('example', 'default', { input: 'a' }, new TextEncoder().encode('hello'));
    assert.equal(dispatched.DispatchedJobID, 'example/dispatch-1485408778-81644024');
    assert.deepEqual(JSON.parse(server.requests[1]!.body), { JobID: 'example', Meta: { input: 'a' }, Payload: 'aGVsbG8=' });
  });

  it('reads versions with their diffs, and an allocation\'s usage', async () => {
    const versions = await client().jobVersions('example', 'default');
    assert.equal(server.requests[0]!.query.get('diffs'), 'true');
    assert.deepEqual(versions.Versions.map((version) => version.Version), [1, 0]);
    assert.equal(versions.Diffs!.length, 1);
    const stats = await client().allocationStats(alloc);
    assert.ok(stats.Tasks?.redis);
  });

  it("keeps Nomad's words on a refusal, and names a malformed answer's path", async () => {
    server.on('POST /v1/job/example/scale', { status: 400, body: 'job scaling blocked due to active deployment', contentType: PLAIN_TEXT });
    await assert.rejects(client().scaleTaskGroup('example', 'default', 'cache', 3, 'x'), /job scaling blocked due to active deployment/);
    server.on('GET /v1/job/example/versions', { body: '{"Versions": {}}', headers: NOMAD_HEADERS });
    await assert.rejects(client().jobVersions('example', 'default'), (error: unknown) => error instanceof ApiError && error.kind === 'malformed' && /\/v1\/job\/example\/versions/.test(error.message));
  });
});


describe('The demo cluster acts as Nomad does: restart, stop, scale, stop a job, versions', function () {
  this.timeout(20_000);
  let demo: DemoCluster;
  let client: NomadClient;
  beforeEach(async () => {
    demo = await DemoCluster.start({ rolloutStepMs: 50 });
    client = new NomadClient({ address: demo.address('nomad'), timeoutMs: 2000 });
  });
  afterEach(() => demo.close());
  const whoami = () => demo.scenario.nomad.allocations.filter((allocation) => allocation.JobID === 'whoami' && allocation.DesiredStatus === 'run');

  it('restarts a running allocation in place: pending, then running again, same ID', async () => {
    const running = whoami().find((allocation) => allocation.ClientStatus === 'running')!;
    await client.restartAllocation(running.ID, 'all');
    assert.equal(running.ClientStatus, 'pending');
    await until(() => running.ClientStatus === 'running', 'running again');
    assert.ok(demo.requests.some((request) => request.method === 'POST' && request.path === `/v1/client/allocation/${running.ID}/restart`));
    await assert.rejects(client.restartAllocation('00000000-0000-0000-0000-000000000000', 'all'), /Unknown allocation/);
  });

  it('stops an allocation and places a replacement', async () => {
    const before = whoami().length;
    const running = whoami().find((allocation) => allocation.ClientStatus === 'running')!;
    await client.stopAllocation(running.ID);
    assert.equal(running.DesiredStatus, 'stop');
    assert.equal(whoami().length, before, 'a replacement is wanted in its place');
    await until(() => whoami().every((allocation) => allocation.ClientStatus !== 'pending'), 'the replacement to run');
  });

  it('scales a group within a new version whose diff is the count, and refuses an unknown group', async () => {
    const status = await client.jobScaleStatus('whoami', 'default');
    assert.equal(status.TaskGroups!.whoami!.Desired, 3);
    await client.scaleTaskGroup('whoami', 'default', 'whoami', 2, 'test');
    assert.equal(whoami().length, 2);
    assert.equal((await client.jobScaleStatus('whoami', 'default')).TaskGroups!.whoami!.Desired, 2);
    const versions = await client.jobVersions('whoami', 'default');
    assert.equal(versions.Versions[0]!.Version, 3);
    assert.deepEqual(versions.Diffs![0]!.TaskGroups![0]!.Fields, [{ Type: 'Edited', Name: 'Count', Old: '3', New: '2', Annotations: null }]);
    await assert.rejects(client.scaleTaskGroup('whoami', 'default', 'nope', 2, 'x'), /does not exist in job/);
  });

  it('stops a job, and purges one', async () => {
    await client.stopJob('whoami', 'default', false);
    assert.equal(whoami().length, 0);
    assert.equal((await client.indexedList('jobs')).items.find((job) => job.ID === 'whoami')?.Stop, true);
    await client.stopJob('launcher', 'default', true);
    assert.equal((await client.indexedList('jobs')).items.some((job) => job.ID === 'launcher'), false);
    await assert.rejects(client.job('launcher', 'default'), /job not found/);
  });

  it('answers usage for a running allocation, in the recorded shape', async () => {
    const running = whoami().find((allocation) => allocation.ClientStatus === 'running')!;
    const stats = await client.allocationStats(running.ID);
    assert.deepEqual(Object.keys(stats.Tasks ?? {}), ['whoami']);
    assert.equal(typeof stats.Tasks!.whoami!.ResourceUsage!.MemoryStats!.RSS, 'number');
  });
});
