import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DemoCluster } from '../../demo/demoCluster';
import { createClusterClients } from '../../src/core/explorer/clusterClients';
import { HttpClient } from '../../src/core/http/httpClient';
import { NomadEventStream, StreamEnd } from '../../src/core/live/nomadEventStream';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { NomadEventBatch } from '../../src/core/nomad/nomadEvents';
import { ClusterProfile, environmentProfile } from '../../src/core/profiles/clusterProfile';
import { ClusterStore, ClusterStoreOptions } from '../../src/core/store/clusterStore';
import { Backoff } from '../../src/core/live/backoff';
import { NOMAD_HEADERS, PLAIN_TEXT, ReplayServer } from '../support/replayServer';

const SETTINGS = { live: true, fallbackPollSeconds: 0, traefikPollSeconds: 1 };

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

function profileFor(demo: DemoCluster): ClusterProfile {
  return environmentProfile({ NOMAD_ADDR: demo.address('nomad'), CONSUL_HTTP_ADDR: demo.address('consul'), HASHISTACK_TRAEFIK_ADDR: demo.address('traefik') });
}

function storeFor(profile: ClusterProfile, settings = SETTINGS, options: Partial<ClusterStoreOptions> = {}): ClusterStore {
  const clients = createClusterClients(profile, { tokens: {}, timeoutMs: 2000 });
  return new ClusterStore({ clients, settings: () => settings, backoff: new Backoff(50, 200), ...options });
}

describe('The cluster store on the demo cluster (live)', function () {
  this.timeout(20_000);
  let demo: DemoCluster;
  let store: ClusterStore | undefined;

  beforeEach(async () => {
    demo = await DemoCluster.start({ heartbeatMs: 200 });
  });
  afterEach(async () => {
    store?.dispose();
    store = undefined;
    await demo.close();
  });

  it('follows Nomad by its event stream: a new job and a failed allocation arrive without a reload', async () => {
    store = storeFor(profileFor(demo));
    const handle = store.need(['nomad']);
    await until(() => store!.nomad.state.mode === 'live', 'Nomad live');
    assert.equal(store.nomad.state.source, 'event stream');
    const stream = demo.requests.find((r) => r.path === '/v1/event/stream');
    assert.ok(stream, 'the event stream was opened');
    assert.deepEqual(stream.query.getAll('topic'), ['Job:*', 'Allocation:*', 'Deployment:*', 'Node:*', 'Evaluation:*']);
    assert.equal(stream.query.get('namespace'), 'default');
    const listsBefore = demo.requests.filter((r) => r.path === '/v1/jobs').length;
    await demo.applyChange({ kind: 'addJob', id: 'live-test' });
    await until(() => Boolean(store!.nomad.state.data?.jobs.some((job) => job.ID === 'live-test')), 'the new job');
    await demo.applyChange({ kind: 'failAllocation', job: 'whoami' });
    await until(() => (store!.nomad.state.data?.allocations.filter((a) => a.JobID === 'whoami' && a.ClientStatus === 'failed').length ?? 0) === 2, 'a second failed whoami allocation');
    assert.equal(demo.requests.filter((r) => r.path === '/v1/jobs').length, listsBefore, 'no list was read again');
    handle.dispose();
  });

  it('follows Consul by blocking queries on its three lists', async () => {
    store = storeFor(profileFor(demo));
    store.need(['consul']);
    await until(() => store!.consul.state.mode === 'live', 'Consul live');
    await until(() => demo.requests.filter((r) => r.product === 'consul' && r.query.has('index')).length === 3, 'three held queries');
    const held = demo.requests.filter((r) => r.product === 'consul' && r.query.has('index'));
    assert.deepEqual(held.map((r) => r.path).sort(), ['/v1/catalog/nodes', '/v1/catalog/services', '/v1/health/state/any']);
    assert.ok(held.every((r) => r.query.get('wait') === '300s'));
    await demo.applyChange({ kind: 'setCheck', service: 'gallery', status: 'critical' });
    await until(() => Boolean(store!.consul.state.data?.checks.some((c) => c.ServiceName === 'gallery' && c.Status === 'critical')), 'the critical check');
  });

  it('keeps the data when Nomad goes away, says since when it is stale, and recovers by itself', async () => {
    store = storeFor(profileFor(demo));
    store.need(['nomad']);
    await until(() => store!.nomad.state.mode === 'live', 'Nomad live');
    const jobs = store.nomad.state.data!.jobs.length;
    await demo.setFault('nomad', { kind: 'refused' });
    await until(() => store!.nomad.state.mode === 'failed', 'the failure');
    assert.equal(store.nomad.state.data!.jobs.length, jobs, 'the last data stays');
    assert.ok(store.nomad.state.staleSince);
    await demo.setFault('nomad', undefined);
    await until(() => store!.nomad.state.mode === 'live', 'Nomad live again', 8000);
    assert.equal(store.nomad.state.staleSince, undefined);
  });

  it('learns of garbage-collected allocations and deployments, which Nomad sends no event for', async () => {
    store = storeFor(profileFor(demo), SETTINGS, { reconcileMinGapMs: 200 });
    store.need(['nomad']);
    await until(() => store!.nomad.state.mode === 'live', 'Nomad live');
    await demo.applyChange({ kind: 'failAllocation', job: 'whoami' });
    const failed = () => store!.nomad.state.data!.allocations.filter((allocation) => allocation.ClientStatus === 'failed' || allocation.DesiredStatus !== 'run').map((allocation) => allocation.ID);
    await until(() => failed().length > 0, 'the failed allocation in the store');
    const collected = failed();
    const deploymentsBefore = store.nomad.state.data!.deployments.length;
    const streamsBefore = demo.requests.filter((r) => r.path === '/v1/event/stream').length;
    await demo.applyChange({ kind: 'collectGarbage' });
    await until(() => !store!.nomad.state.data!.allocations.some((allocation) => collected.includes(allocation.ID)), 'the collected allocations to leave', 8000);
    assert.ok(store.nomad.state.data!.deployments.length <= deploymentsBefore);
    assert.deepEqual(
      demo.scenario.nomad.deployments.map((deployment) => deployment.ID).sort(),
      store.nomad.state.data!.deployments.map((deployment) => deployment.ID).sort(),
      'the deployments are those the cluster still has',
    );
    assert.equal(store.nomad.state.mode, 'live');
    assert.equal(store.nomad.state.source, 'event stream', 'still on the stream: the reconciliation is beside it');
    assert.equal(demo.requests.filter((r) => r.path === '/v1/event/stream').length, streamsBefore, 'no reload, no new stream');
  });

  it('a Nomad restored behind the same address (lower indexes) is loaded again, and its new events show', async () => {
    store = storeFor(profileFor(demo));
    store.need(['nomad']);
    await until(() => store!.nomad.state.mode === 'live', 'Nomad live');
    await demo.applyChange({ kind: 'addJob', id: 'made-after-the-snapshot' });
    await until(() => Boolean(store!.nomad.state.data?.jobs.some((job) => job.ID === 'made-after-the-snapshot')), 'the job made after the snapshot');
    const streams = () => demo.requests.filter((r) => r.path === '/v1/event/stream').length;
    const before = streams();
    demo.restoreNomad(demo.currentNomadIndex - 40);
    // The stream ended cleanly, as a restarted server's does; once it is open again, the cluster moves on.
    await until(() => streams() > before, 'the stream reopened');
    await demo.applyChange({ kind: 'addJob', id: 'made-after-the-restore' });
    await until(() => Boolean(store!.nomad.state.data?.jobs.some((job) => job.ID === 'made-after-the-restore')), 'the job made after the restore', 8000);
    await until(() => !store!.nomad.state.data!.jobs.some((job) => job.ID === 'made-after-the-snapshot'), 'the job the snapshot lacks to leave');
    await until(() => store!.nomad.state.mode === 'live', 'live on the new stream');
    assert.equal(store.nomad.state.staleSince, undefined, 'a restore is no outage');
  });

  it('stops retrying after a 403 until Refresh', async () => {
    store = storeFor(profileFor(demo));
    store.need(['nomad']);
    await until(() => store!.nomad.state.mode === 'live', 'Nomad live');
    await demo.setFault('nomad', { kind: 'forbidden' });
    // The stream is already open; a broken connection makes the store reload, and the reload meets the 403.
    await demo.setFault('nomad', { kind: 'refused' });
    await demo.setFault('nomad', { kind: 'forbidden' });
    await until(() => store!.nomad.state.mode === 'failed' && (store!.nomad.state.error as { kind?: string }).kind === 'forbidden', 'the 403');
    // Requests already on their way when the 403 came are not retries: count from a moment later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const count = demo.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(demo.requests.length, count, 'no retry after a 403');
    await demo.setFault('nomad', undefined);
    await store.refresh('nomad');
    await until(() => store!.nomad.state.mode === 'live', 'live after Refresh');
  });

  it('polls Traefik and redraws only when its answer changed', async () => {
    store = storeFor(profileFor(demo));
    store.need(['traefik']);
    await until(() => store!.traefik.state.mode === 'polling', 'Traefik polling');
    const version = store.traefik.state.version;
    await until(() => demo.requests.filter((r) => r.path === '/api/http/routers').length >= 2, 'a second poll', 3000);
    assert.equal(store.traefik.state.version, version, 'the same answer changes nothing');
    await demo.applyChange({ kind: 'removeRouter', name: 'gallery@consulcatalog' });
    await until(() => !store!.traefik.state.data!.routers.some((r) => r.name === 'gallery@consulcatalog'), 'the router gone', 3000);
  });

  it('leaves no watcher, socket or timer behind when disposed', async () => {
    // Every timer the store starts goes through the global timer functions: track the ones still pending.
    const pending = new Set<NodeJS.Timeout>();
    const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout } = globalThis;
    globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const timer = realSetTimeout((...inner: unknown[]) => {
        pending.delete(timer);
        callback(...inner);
      }, ms, ...args);
      pending.add(timer);
      return timer;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((timer: NodeJS.Timeout | undefined) => {
      if (timer) pending.delete(timer);
      realClearTimeout(timer);
    }) as typeof clearTimeout;
    try {
      store = storeFor(profileFor(demo));
      store.need(['consul', 'nomad', 'traefik']);
      await until(() => store!.nomad.state.mode === 'live' && store!.consul.state.mode === 'live' && store!.traefik.state.mode === 'polling', 'all sections current');
      const instances = store.consul.watchInstances('whoami');
      await instances.first;
      assert.ok(demo.openConnections() >= 5, 'held queries and the stream are open');
      assert.ok(pending.size > 0, 'the store has timers running (poll, stream watchdog)');
      store.dispose();
      store = undefined;
      await until(() => demo.openConnections() === 0, 'every connection closed', 8000);
      const demoTimers = [...pending].filter((timer) => timer.hasRef());
      assert.deepEqual(demoTimers.length, 0, 'no timer of the store is left');
    } finally {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    }
  });

  it('stops watching after the idle period once nothing needs the data, and resyncs on the next need', async () => {
    const clients = createClusterClients(profileFor(demo), { tokens: {}, timeoutMs: 2000 });
    store = new ClusterStore({ clients, settings: () => SETTINGS, idleStopMs: 100 });
    const handle = store.need(['consul']);
    await until(() => store!.consul.state.mode === 'live', 'Consul live');
    handle.dispose();
    await until(() => store!.consul.state.mode === 'paused', 'paused after the idle period', 2000);
    await until(() => demo.openConnections() === 0, 'the held queries closed', 8000);
    store.need(['consul']);
    await until(() => store!.consul.state.mode === 'live', 'live again');
  });
});

describe('Falling back when the event stream cannot be used', function () {
  this.timeout(20_000);
  let replay: ReplayServer;
  before(async () => (replay = await ReplayServer.start()));
  after(() => replay.close());
  beforeEach(() => {
    replay.reset();
    for (const path of ['/v1/jobs', '/v1/allocations', '/v1/deployments', '/v1/nodes', '/v1/evaluations']) {
      replay.on(`GET ${path}`, { body: '[]', headers: NOMAD_HEADERS });
    }
  });

  function nomadStore(settings = SETTINGS): ClusterStore {
    const profile = environmentProfile({ NOMAD_ADDR: replay.address, CONSUL_HTTP_ADDR: replay.address, HASHISTACK_TRAEFIK_ADDR: replay.address });
    return storeFor(profile, settings);
  }

  it('a 403 on the stream (no node:read): blocking queries on the five lists', async () => {
    replay.on('GET /v1/event/stream', { status: 403, body: 'Permission denied', contentType: PLAIN_TEXT });
    const store = nomadStore();
    try {
      store.need(['nomad']);
      await until(() => store.nomad.state.source === 'blocking queries', 'the fallback');
      await until(() => new Set(replay.requests.filter((r) => r.query.get('index') === '96').map((r) => r.path)).size === 5, 'five held queries (the open evaluations among them)');
      assert.equal(store.nomad.state.mode, 'live');
    } finally {
      store.dispose();
    }
  });

  it('a stream that delivers nothing (a buffering proxy): blocking queries', async () => {
    replay.on('GET /v1/event/stream', { body: '{}\n', bodyDelayMs: 15_000 });
    const store = nomadStore();
    try {
      store.need(['nomad']);
      const waited = await until(() => store.nomad.state.source === 'blocking queries', 'the fallback', 9000);
      assert.ok(waited >= 4000, `waited for the first line (${waited} ms)`);
    } finally {
      store.dispose();
    }
  });

  it('headers that take longer than the first line may (a slow TLS handshake, a proxy hop) do not make the stream unusable', async () => {
    replay.on('GET /v1/event/stream', { body: '{}\n', delayMs: 7_000 });
    const store = nomadStore();
    try {
      store.need(['nomad']);
      await until(() => store.nomad.state.mode === 'live', 'live', 12_000);
      assert.equal(store.nomad.state.source, 'event stream');
    } finally {
      store.dispose();
    }
  });

  it('after a refusal the stream is tried again: on Refresh, and by itself after the retry period', async () => {
    replay.on('GET /v1/event/stream', { status: 403, body: 'Permission denied', contentType: PLAIN_TEXT });
    const profile = environmentProfile({ NOMAD_ADDR: replay.address, CONSUL_HTTP_ADDR: replay.address, HASHISTACK_TRAEFIK_ADDR: replay.address });
    const store = storeFor(profile, SETTINGS, { streamRetryAfterMs: 1500 });
    try {
      store.need(['nomad']);
      await until(() => store.nomad.state.source === 'blocking queries', 'the fallback');
      // The token got its policy: the stream works now.
      replay.on('GET /v1/event/stream', { body: '{}\n', holdOpen: true });
      await until(() => store.nomad.state.source === 'event stream' && store.nomad.state.mode === 'live', 'back on the stream by itself', 8000);
      replay.on('GET /v1/event/stream', { status: 403, body: 'Permission denied', contentType: PLAIN_TEXT });
      await store.refresh('nomad');
      await until(() => store.nomad.state.source === 'blocking queries', 'refused again');
      replay.on('GET /v1/event/stream', { body: '{}\n', holdOpen: true });
      await store.refresh('nomad');
      await until(() => store.nomad.state.source === 'event stream' && store.nomad.state.mode === 'live', 'back on the stream on Refresh');
    } finally {
      store.dispose();
    }
  });

  it('the stream starts from the lowest index of the lists: a change between two reads is not lost', async () => {
    const indexes: Record<string, string> = { '/v1/jobs': '120', '/v1/allocations': '97', '/v1/deployments': '110', '/v1/nodes': '130', '/v1/evaluations': '125' };
    for (const [path, index] of Object.entries(indexes)) replay.on(`GET ${path}`, { body: '[]', headers: { ...NOMAD_HEADERS, 'X-Nomad-Index': index } });
    replay.on('GET /v1/event/stream', { body: '{}\n', holdOpen: true });
    const store = nomadStore();
    try {
      store.need(['nomad']);
      await until(() => replay.requests.some((r) => r.path === '/v1/event/stream'), 'the stream');
      assert.equal(replay.requests.find((r) => r.path === '/v1/event/stream')!.query.get('index'), '98');
    } finally {
      store.dispose();
    }
  });

  it('lists without X-Nomad-Index: polling', async () => {
    for (const path of ['/v1/jobs', '/v1/allocations', '/v1/deployments', '/v1/nodes', '/v1/evaluations']) replay.on(`GET ${path}`, { body: '[]' });
    const store = nomadStore({ ...SETTINGS, fallbackPollSeconds: 5 });
    try {
      store.need(['nomad']);
      await until(() => store.nomad.state.mode === 'polling', 'polling');
      assert.equal(store.nomad.state.pollSeconds, 5);
      assert.equal(replay.requests.some((r) => r.path === '/v1/event/stream'), false);
    } finally {
      store.dispose();
    }
  });
});

describe('NomadEventStream framing', function () {
  this.timeout(10_000);
  let server: Server;
  let connections: { index: string | null }[];
  let script: (n: number, write: (text: string) => void, end: () => void) => void;

  before(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      connections.push({ index: url.searchParams.get('index') });
      response.writeHead(200, { 'Content-Type': 'application/json' });
      script(connections.length, (text) => response.write(text), () => response.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (connections = []));

  function open(): (index: number, signal: AbortSignal) => ReturnType<HttpClient['stream']> {
    const client = new NomadClient({ address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 });
    return (index, signal) => client.eventStream({ index, signal });
  }

  it('reads lines split across chunks, skips heartbeats, and reopens from the last index after a clean end', async () => {
    script = (n, write, end) => {
      if (n === 1) {
        write('{}\n{"Index":11,"Ev');
        setTimeout(() => write('ents":[{"Topic":"Job","Type":"JobRegistered","Key":"a","Namespace":"default","FilterKeys":null,"Index":11,"Payload":{}}]}\n{}\n'), 30);
        setTimeout(end, 60);
      } else {
        write('{}\n{"Index":12,"Events":[]}\n');
      }
    };
    const batches: NomadEventBatch[] = [];
    const ends: StreamEnd[] = [];
    const stream = new NomadEventStream({ open: open(), startIndex: 10, source: { address: 'test' }, onBatch: (b) => batches.push(b), onOpen: () => undefined, onEnd: (e) => ends.push(e) });
    try {
      await until(() => batches.length === 2, 'two batches');
      assert.deepEqual(batches.map((b) => b.Index), [11, 12]);
      assert.deepEqual(connections.map((c) => c.index), ['11', '12'], 'asked from the start index, then from after the last batch');
      assert.deepEqual(ends, []);
    } finally {
      stream.stop();
    }
  });

  it('a 200 that closes before any line (Nomad 2 denying a topic) is a refusal; a line that is not a batch breaks it', async () => {
    script = (_n, _write, end) => end();
    const ends: StreamEnd[] = [];
    new NomadEventStream({ open: open(), startIndex: 1, source: { address: 'test' }, onBatch: () => undefined, onOpen: () => undefined, onEnd: (e) => ends.push(e) });
    await until(() => ends.length === 1, 'the end');
    assert.equal(ends[0]!.kind, 'refused');
    script = (_n, write) => write('{}\n{"Index":"x"}\n');
    new NomadEventStream({ open: open(), startIndex: 1, source: { address: 'http://nomad.test' }, onBatch: () => undefined, onOpen: () => undefined, onEnd: (e) => ends.push(e) });
    await until(() => ends.length === 2, 'the break');
    assert.equal(ends[1]!.kind, 'broken');
    assert.match(String((ends[1] as { error: Error }).error.message), /malformed.*\/v1\/event\/stream.*numeric Index/);
  });
});

describe('A store whose profile has an unusable address', () => {
  it('shows the problem in that section and sends nothing, token or not, for it', async () => {
    const profile = environmentProfile({ NOMAD_ADDR: 'ftp://nomad.example', NOMAD_TOKEN: 'secret-token', CONSUL_HTTP_ADDR: 'http://127.0.0.1:1' });
    const asked: string[] = [];
    const fetchImpl: typeof fetch = (input) => {
      asked.push(String(input));
      return Promise.reject(new TypeError('fetch failed'));
    };
    const clients = createClusterClients(profile, { tokens: {}, timeoutMs: 500, fetchImpl });
    const store = new ClusterStore({ clients, settings: () => SETTINGS, problems: { nomad: profile.nomad.problem } });
    try {
      await store.refresh('nomad');
      assert.equal(store.nomad.state.mode, 'failed');
      assert.match(String((store.nomad.state.error as Error).message), /^Profile "Environment" \(from the environment\): NOMAD_ADDR is "ftp:\/\/nomad\.example"/);
      assert.equal((store.nomad.state.error as Error).name, 'ConfigurationError');
      store.need(['nomad']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(asked, [], 'no request at all');
    } finally {
      store.dispose();
    }
  });
});
