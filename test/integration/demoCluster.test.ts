import * as assert from 'node:assert/strict';
import { Agent } from 'undici';
import { DemoCluster, DemoFaultKind, DemoProduct } from '../../demo/demoCluster';
import { buildScenario, InstanceEndpoints, NO_SCALE } from '../../demo/scenario';
import { createClusterClients } from '../../src/core/explorer/clusterClients';
import { loadConsulInstances, loadConsulSection, loadNomadSection, loadTraefikSection } from '../support/sectionReads';
import { ApiError } from '../../src/core/http/apiError';
import { environmentProfile } from '../../src/core/profiles/clusterProfile';
import { recordedJson, recordedText } from '../support/recorded';
import { shapeDifferences, ShapeRules } from '../support/shape';
import { NdjsonDecoder } from '../../src/core/live/ndjson';
import { ExecEnd } from '../../src/core/nomad/execStream';
import { jobTaskActions } from '../../src/core/nomad/taskActions';
import { loadConsulAccess, loadNomadAccess } from '../../src/core/acl/tokenAccess';
import { createHclParser } from '../../src/core/jobspec/hclParser';
import { DEMO_TOKENS, DemoTokenName } from '../../demo/demoAcl';

/** The scenario's first whoami allocation (its IDs are fixed). */
const WHOAMI_ALLOCATION = '8418f600-0000-4000-a000-841800000000';

/** Each demo endpoint, the recorded response it must match, and the rules of that comparison. */
const CONTRACT: { product: DemoProduct; path: string; recorded: string; rules?: ShapeRules }[] = [
  { product: 'consul', path: '/v1/catalog/services', recorded: 'consul/catalog-services.json', rules: { maps: [''] } },
  { product: 'consul', path: '/v1/health/state/any', recorded: 'consul/health-state-any.json' },
  { product: 'consul', path: '/v1/catalog/nodes', recorded: 'consul/catalog-nodes.json', rules: { maps: ['[].Meta'] } },
  { product: 'consul', path: '/v1/health/service/whoami', recorded: 'consul/health-service-redis.json', rules: { maps: ['[].Node.Meta', '[].Service.Meta'] } },
  { product: 'nomad', path: '/v1/jobs', recorded: 'nomad/jobs.json', rules: { maps: ['[].JobSummary.Summary'] } },
  // A task's Config is the driver's own: docker's has "image", the sample's init task also "command".
  { product: 'nomad', path: '/v1/job/whoami', recorded: 'nomad/job-example.json', rules: { maps: ['Meta', 'TaskGroups[].Meta'], optional: ['TaskGroups[].Tasks[].Config.command'], nullable: ['Periodic', 'ParameterizedJob', 'TaskGroups[].Tasks[].Lifecycle'] } },
  { product: 'nomad', path: '/v1/allocations', recorded: 'nomad/allocations.json', rules: { nullable: ['[].TaskStates', '[].DeploymentStatus'] } },
  { product: 'nomad', path: '/v1/deployments', recorded: 'nomad/job-my-job-deployments.json', rules: { maps: ['[].TaskGroups'], nullable: ['[].TaskGroups.*.PlacedCanaries'] } },
  // The list endpoint gives the same Evaluation objects as the job's list (the store asks only for open ones).
  { product: 'nomad', path: '/v1/evaluations', recorded: 'nomad/job-evaluations.json', rules: { maps: ['[].QueuedAllocations'] } },
  { product: 'nomad', path: '/v1/nodes', recorded: 'nomad/nodes.json', rules: { maps: ['[].Drivers', '[].Attributes', '[].Drivers.*.Attributes'] } },
  // Go's omitempty: a router without middlewares has no "middlewares" key.
  { product: 'traefik', path: '/api/http/routers', recorded: 'traefik/http-routers.json', rules: { optional: ['[].middlewares'] } },
  // A service no router uses has neither (omitempty): the real Traefik's traefik@consulcatalog on the demo's Consul.
  { product: 'traefik', path: '/api/http/services', recorded: 'traefik/http-services.json', rules: { maps: ['[].serverStatus'], optional: ['[].serverStatus', '[].usedBy'] } },
  // A middleware's configuration sits under a key named after its type (addPrefix, basicAuth, headers, …).
  { product: 'traefik', path: '/api/http/middlewares', recorded: 'traefik/http-middlewares.json', rules: { optional: ['[].addPrefix', '[].basicAuth'] } },
  { product: 'traefik', path: '/api/entrypoints', recorded: 'traefik/entrypoints.json', rules: { optional: ['[].http.tls'] } },
  // Recorded from the real program (test/fixtures/recorded/traefik-3.7.15/README.md): no golden file has them.
  { product: 'traefik', path: '/api/certificates', recorded: 'traefik-3.7.15/certificates.json' },
  { product: 'traefik', path: '/api/version', recorded: 'traefik-3.7.15/version.json' },
  // Configuration data, as HashiCorp's API pages print it (test/fixtures/recorded/nomad-variables/, consul-kv/).
  { product: 'nomad', path: '/v1/vars?namespace=*', recorded: 'nomad-variables/vars-list.json' },
  { product: 'nomad', path: '/v1/var/nomad/jobs/whoami', recorded: 'nomad-variables/var-read.json', rules: { maps: ['Items'] } },
  // A key no session holds has no "Session" (omitempty).
  { product: 'consul', path: '/v1/kv/config/whoami/greeting', recorded: 'consul-kv/kv-read.json', rules: { optional: ['[].Session'] } },
  { product: 'consul', path: '/v1/kv/config/?keys&separator=/', recorded: 'consul-kv/kv-keys-separator.json' },
  // An allocation's files (the scenario's first whoami allocation), as the client API page prints them.
  { product: 'nomad', path: `/v1/client/fs/ls/${WHOAMI_ALLOCATION}?path=/`, recorded: 'nomad-fs/fs-ls.json' },
  { product: 'nomad', path: `/v1/client/fs/stat/${WHOAMI_ALLOCATION}?path=whoami/secrets/whoami.env`, recorded: 'nomad-fs/fs-stat.json' },
];

describe('The demo cluster', () => {
  let demo: DemoCluster;
  before(async () => {
    demo = await DemoCluster.start();
  });
  after(() => demo.close());
  afterEach(async () => {
    await demo.clearFaults();
    demo.setScenario({ scale: NO_SCALE });
  });

  for (const entry of CONTRACT) {
    it(`answers ${entry.path} in the shape of the recorded ${entry.recorded}`, async () => {
      const response = await fetch(demo.address(entry.product) + entry.path);
      assert.equal(response.status, 200);
      const body: unknown = await response.json();
      assert.ok(!Array.isArray(body) || body.length > 0, 'the demo answers with data');
      assert.deepEqual(shapeDifferences(recordedJson(entry.recorded), body, entry.rules), []);
    });
  }

  it('streams events in the shape of the recorded event stream: heartbeat first, then NDJSON batches', async () => {
    const controller = new AbortController();
    const response = await fetch(`${demo.address('nomad')}/v1/event/stream?topic=Node:*&index=1`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new NdjsonDecoder();
    const lines: unknown[] = [];
    const read = async (count: number) => {
      while (lines.length < count) lines.push(...decoder.push((await reader.read()).value!));
    };
    try {
      await read(1);
      assert.deepEqual(lines[0], {}, 'a heartbeat first');
      await demo.applyChange({ kind: 'drainNode', name: 'hashi-server-b', drain: true });
      await read(2);
      const recorded = new NdjsonDecoder().push(recordedText('nomad/event-stream.ndjson'))[1];
      // Node attributes, meta and drivers are maps whose keys are data; the demo's node has fewer of them.
      const rules = { maps: ['Events[].Payload.Node.Attributes', 'Events[].Payload.Node.Meta', 'Events[].Payload.Node.Drivers', 'Events[].Payload.Node.Drivers.*.Attributes'], optional: ['Events[].Payload.Node.NodeResources.Networks[]', 'Events[].Payload.Node.NodeResources.NodeNetworks[]', 'Events[].Payload.Node.Events[].Details'] };
      assert.deepEqual(shapeDifferences(recorded, lines[1], rules), []);
      const batch = lines[1] as { Index: number; Events: { Topic: string; Type: string; Index: number }[] };
      assert.equal(batch.Events[0]!.Type, 'NodeDrain');
      assert.equal(batch.Events[0]!.Index, batch.Index);
    } finally {
      controller.abort();
    }
  });

  it('holds a blocking query until its index moves, and answers at once below it', async () => {
    const index = Number((await fetch(`${demo.address('consul')}/v1/catalog/services`)).headers.get('X-Consul-Index'));
    const started = Date.now();
    const held = fetch(`${demo.address('consul')}/v1/health/state/any?index=${index}&wait=10s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await demo.applyChange({ kind: 'setCheck', service: 'gallery', status: 'critical' });
    const answer = await held;
    assert.ok(Date.now() - started >= 200, 'it waited for the change');
    assert.equal(Number(answer.headers.get('X-Consul-Index')), index + 1);
    const checks = (await answer.json()) as { ServiceName: string; Status: string }[];
    assert.ok(checks.some((check) => check.ServiceName === 'gallery' && check.Status === 'critical'));
    const quick = Date.now();
    await fetch(`${demo.address('consul')}/v1/catalog/nodes?index=${index}&wait=10s`);
    assert.ok(Date.now() - quick < 1000, 'an index behind the current one answers at once');
  });

  it('is one consistent cluster: routers match the Consul tags, and every "used by" names a router that exists', () => {
    const data = buildScenario({});
    const routers = new Map(data.traefik.routers.map((router) => [router.name, router]));
    for (const middleware of data.traefik.middlewares) {
      for (const user of middleware.usedBy) assert.ok(routers.has(user), `middleware ${middleware.name} is used by ${user}, which exists`);
    }
    for (const service of data.traefik.services) {
      for (const user of 'usedBy' in service ? service.usedBy : []) assert.ok(routers.has(user), `service ${service.name} is used by ${user}, which exists`);
    }
    for (const router of data.traefik.routers) {
      for (const middleware of router.middlewares) assert.ok(data.traefik.middlewares.some((m) => m.name === middleware), `router ${router.name} uses ${middleware}, which exists`);
    }
    // Every router rule in a Consul service's tags is a router of the Consul catalog provider, with that rule…
    let tagged = 0;
    for (const [service, tags] of Object.entries(data.consul.catalogServices)) {
      for (const tag of tags) {
        const match = /^traefik\.http\.routers\.([^.]+)\.rule=(.*)$/.exec(tag);
        if (!match) continue;
        tagged++;
        const router = routers.get(`${match[1]}@consulcatalog`);
        assert.ok(router, `${service}'s router ${match[1]} is in Traefik`);
        assert.equal(router.rule, match[2]);
      }
    }
    assert.ok(tagged >= 4);
    // …and every router of that provider comes from a service's tags.
    for (const router of data.traefik.routers.filter((r) => r.provider === 'consulcatalog')) {
      const name = router.name.replace(/@consulcatalog$/, '');
      assert.ok(Object.values(data.consul.catalogServices).some((tags) => tags.some((tag) => tag.startsWith(`traefik.http.routers.${name}.`))), `${router.name} comes from Consul tags`);
    }
  });

  it("lists the routed services' instances where their stand-in programs answer, and hands a program over when Nomad replaces an allocation", () => {
    const taken = new Map<number, { service: string; allocationId?: string }>();
    let next = 30000;
    const endpoints: InstanceEndpoints = {
      attach: (instance) => {
        const port = next++;
        taken.set(port, instance);
        return { address: '127.0.0.1', port };
      },
      release: (endpoint) => {
        assert.ok(taken.delete(endpoint.port), `port ${endpoint.port} was taken before it was released`);
      },
    };
    const data = buildScenario({ endpoints, domain: 'localhost' });
    // launcher ×2, whoami ×3, gallery ×1; the traefik service (its router goes to api@internal) keeps its node's address.
    assert.deepEqual([...taken.values()].map((instance) => instance.service).sort(), ['gallery', 'launcher', 'launcher', 'whoami', 'whoami', 'whoami']);
    const listed = (name: string) => data.consul.serviceHealth(name).map((entry) => `${entry.Service.Address}:${entry.Service.Port}`);
    assert.ok(listed('whoami').every((address) => /^127\.0\.0\.1:3\d{4}$/.test(address)), listed('whoami').join(', '));
    assert.ok(listed('traefik').every((address) => address.startsWith('10.0.')));
    // The imitation's servers are those addresses too, and its rules are under the domain asked for.
    const whoamiServers = data.traefik.services.find((service) => service.name === 'whoami@consulcatalog')!.loadBalancer.servers.map((server) => server.url.replace('http://', ''));
    assert.ok(whoamiServers.every((server) => listed('whoami').includes(server)) && whoamiServers.length === 2, whoamiServers.join(', '));
    assert.equal(data.traefik.routers.find((router) => router.name === 'whoami@consulcatalog')!.rule, 'Host(`whoami.localhost`)');
    // Nomad replaces one of whoami's allocations: the old instance's program is free again, the new one has its own.
    const running = data.nomad.allocations.filter((allocation) => allocation.JobID === 'whoami' && allocation.ClientStatus === 'running');
    const replaced = running[0]!;
    const replacement = { ...replaced, ID: '0f0f0f0f-0000-4000-a000-000000000001', DeploymentStatus: { ...replaced.DeploymentStatus!, Healthy: true } };
    const before = new Set(taken.keys());
    assert.ok(data.consul.syncJob('whoami', [replacement, ...running.slice(1)]));
    assert.deepEqual(
      [...taken.values()].filter((instance) => instance.service === 'whoami').map((instance) => instance.allocationId).sort(),
      [replacement.ID, ...running.slice(1).map((allocation) => allocation.ID)].sort(),
    );
    assert.equal([...taken.keys()].filter((port) => !before.has(port)).length, 1, 'one program for the one new allocation');
    assert.equal(data.consul.syncJob('whoami', [replacement, ...running.slice(1)]), false, 'nothing changes hands when nothing changed');
    assert.equal(taken.size, 5);
  });

  it('answers every endpoint the explorer uses', async () => {
    demo.resetRequests();
    const clients = createClusterClients(environmentProfile(demo.environment()), { tokens: {}, timeoutMs: 5000 });
    await Promise.all([loadConsulSection(clients.consul, { consul: '', nomad: '' }), loadNomadSection(clients.nomad, { consul: '', nomad: '' }), loadTraefikSection(clients.traefik), loadConsulInstances(clients.consul, 'whoami'), clients.nomad.job('whoami', 'default'),
      clients.nomad.variables('', '*'), clients.nomad.variable('nomad/jobs/whoami', 'default'), clients.consul.kvEntry('config/whoami/greeting'), clients.consul.kvKeys('config/'),
      clients.nomad.allocationDirectory(WHOAMI_ALLOCATION, '/'), clients.nomad.allocationStat(WHOAMI_ALLOCATION, 'whoami/secrets/whoami.env')]);
    const used = new Set(demo.requests.map((r) => `${r.product} ${r.path}`));
    const contract = new Set(CONTRACT.map((c) => `${c.product} ${new URL(c.path, 'http://127.0.0.1').pathname}`));
    assert.deepEqual([...used].sort(), [...contract].sort(), 'every endpoint the explorer calls is in the shape contract above');
  });

  it('is one coherent cluster: routers point at Consul services whose instances Nomad runs', async () => {
    const clients = createClusterClients(environmentProfile(demo.environment()), { tokens: {}, timeoutMs: 5000 });
    const ui = { consul: '', nomad: '' };
    const [consul, nomad, traefik] = await Promise.all([loadConsulSection(clients.consul, ui), loadNomadSection(clients.nomad, ui), loadTraefikSection(clients.traefik)]);
    const services = consul.nodes[0]!.children!;
    assert.equal(services.find((s) => s.label === 'whoami')!.description, '2 passing · 1 critical');
    const jobs = nomad.nodes[0]!.children!.map((j) => j.label);
    assert.ok(jobs.includes('whoami') && jobs.includes('launcher') && jobs.includes('traefik'));
    const routers = traefik.nodes[0]!.children!;
    const whoami = routers.find((r) => r.label === 'whoami@consulcatalog')!;
    assert.equal(whoami.url, 'https://whoami.example.com');
    // The critical instance is not a server: Traefik's Consul catalog provider leaves it out.
    assert.equal(whoami.children![0]!.description, 'loadbalancer · 2/2 up');
    assert.ok(routers.some((r) => r.label === 'legacy-api@file' && r.children![0]!.label.includes('does not exist')));
  });

  it('costs the same number of requests per section refresh at any cluster size', async function () {
    this.timeout(60_000);
    const clients = createClusterClients(environmentProfile(demo.environment()), { tokens: {}, timeoutMs: 30_000 });
    const ui = { consul: '', nomad: '' };
    const count = async () => {
      const counts: Record<string, number> = {};
      for (const [section, load] of [
        ['consul', () => loadConsulSection(clients.consul, ui)],
        ['nomad', () => loadNomadSection(clients.nomad, ui)],
        ['traefik', () => loadTraefikSection(clients.traefik)],
      ] as const) {
        demo.resetRequests();
        await load();
        counts[section] = demo.requests.length;
      }
      return counts;
    };
    const small = await count();
    demo.setScenario({ scale: { services: 2000, instancesPerService: 3, jobs: 500, allocations: 10_000, routers: 1000 } });
    const large = await count();
    assert.deepEqual(small, { consul: 3, nomad: 5, traefik: 6 });
    assert.deepEqual(large, small);
  });

  it('pages Traefik lists with X-Next-Page like Traefik', async () => {
    const clients = createClusterClients(environmentProfile(demo.environment()), { tokens: {}, timeoutMs: 5000 });
    const whole = await clients.traefik.httpRouters({ perPage: 1000 });
    demo.resetRequests();
    const paged = await clients.traefik.httpRouters({ perPage: 2 });
    assert.deepEqual(paged.map((r) => r.name), whole.map((r) => r.name));
    assert.equal(demo.requests.length, Math.ceil(whole.length / 2));
  });

  it('asks for a token when started with one, and accepts the header', async () => {
    const guarded = await DemoCluster.start({ tokens: { nomad: 'demo-nomad-token' } });
    try {
      const profile = environmentProfile(guarded.environment());
      const without = createClusterClients(profile, { tokens: {}, timeoutMs: 5000 });
      await assert.rejects(loadNomadSection(without.nomad, { consul: '', nomad: '' }), { message: 'Nomad refused the token: Permission denied' });
      const withToken = createClusterClients(profile, { tokens: { nomad: 'demo-nomad-token' }, timeoutMs: 5000 });
      const snapshot = await loadNomadSection(withToken.nomad, { consul: '', nomad: '' });
      assert.ok(snapshot.nodes[0]!.children!.length > 0);
    } finally {
      await guarded.close();
    }
  });

  const FAULTS: { fault: DemoFaultKind; kind: ApiError['kind']; message: RegExp }[] = [
    { fault: 'refused', kind: 'unreachable', message: /^Cannot reach Nomad at http:\/\/127\.0\.0\.1:\d+: connection refused$/ },
    { fault: 'slow', kind: 'timeout', message: /did not answer within 0\.3 s$/ },
    { fault: 'forbidden', kind: 'forbidden', message: /^Nomad refused the token: Permission denied$/ },
    { fault: 'error', kind: 'http', message: /answered 500 to \/v1\/.*: No cluster leader$/ },
    { fault: 'invalidJson', kind: 'malformed', message: /sent a malformed response/ },
    { fault: 'truncated', kind: 'malformed', message: /cut off/ },
  ];
  for (const { fault, kind, message } of FAULTS) {
    it(`fault "${fault}" on Nomad is a ${kind} error for Nomad only`, async () => {
      await demo.setFault('nomad', { kind: fault, delayMs: 5000 });
      const clients = createClusterClients(environmentProfile(demo.environment()), { tokens: {}, timeoutMs: 300 });
      const ui = { consul: '', nomad: '' };
      const error = await loadNomadSection(clients.nomad, ui).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ApiError);
      assert.equal(error.kind, kind);
      assert.match(error.message, message);
      // The other sections still load.
      const consul = await loadConsulSection(clients.consul, ui);
      assert.ok(consul.nodes[0]!.children!.length > 0);
    });
  }

  it("answers the platform's Traefik actions over Nomad's exec stream, in the version the allocation runs", async () => {
    const nomad = createClusterClients(environmentProfile(demo.environment()), { tokens: {}, timeoutMs: 5000 }).nomad;
    const allocation = (await nomad.indexedList('allocations')).items.find((candidate) => candidate.JobID === 'traefik' && candidate.ClientStatus === 'running');
    assert.ok(allocation, 'a running traefik allocation');
    const detail = await nomad.allocation(allocation.ID);
    assert.deepEqual(jobTaskActions(detail.Job).map((action) => action.name), ['ping', 'version'], "the allocation's job carries its task's actions");
    const run = (action: string, task = 'traefik') =>
      new Promise<{ output: string; end: ExecEnd }>((resolve, reject) => {
        let output = '';
        nomad.runAction({ jobId: 'traefik', namespace: 'default', allocationId: allocation.ID, group: allocation.TaskGroup, task, action, tty: true }, { onOutput: (_stream, data) => (output += data.toString()), onEnd: (end) => resolve({ output, end }) }).catch(reject);
      });
    const version = await run('version');
    assert.deepEqual(version.end, { kind: 'exited', exitCode: 0 });
    assert.match(version.output, /^Version: {6}3\.5\.3\r\n/, "platform/nomad/traefik.nomad's image tag");
    const unknown = await run('restart-cache');
    assert.equal(unknown.end.kind === 'failed' && unknown.end.error.reason, 'action restart-cache not found in task traefik');
    await demo.setFault('nomad', { kind: 'forbidden' });
    const refused = await run('ping');
    assert.ok(refused.end.kind === 'failed' && refused.end.error.kind === 'forbidden', 'a token the cluster refuses ends the session with Permission denied');
  });

  it('answers the ACL endpoints as clusters without ACLs do, and with them on, resolves each demo token as the servers would', async () => {
    const parser = await createHclParser();
    const plain = createClusterClients(environmentProfile(demo.environment()), { tokens: {}, timeoutMs: 5000 });
    assert.deepEqual(await loadNomadAccess(plain.nomad, parser), { kind: 'aclDisabled' });
    assert.deepEqual(await loadConsulAccess(plain.consul, parser), { kind: 'aclDisabled' });
    const guarded = await DemoCluster.start({ acl: true });
    try {
      const clients = (token: DemoTokenName | 'unknown') => createClusterClients(environmentProfile(guarded.environment()), { tokens: token === 'unknown' ? { nomad: 'nope', consul: 'nope' } : DEMO_TOKENS[token], timeoutMs: 5000 });
      const readonly = await loadNomadAccess(clients('readonly').nomad, parser);
      assert.ok(readonly.kind === 'token' && readonly.nomad);
      assert.equal(readonly.token.name, 'Read-only');
      assert.ok(readonly.nomad.allows('default', 'read-job'));
      assert.equal(readonly.nomad.allows('default', 'alloc-lifecycle'), false);
      const developer = await loadNomadAccess(clients('developer').nomad, parser);
      assert.ok(developer.kind === 'token' && developer.nomad?.allows('default', 'submit-job') && !developer.nomad.allows('prod', 'submit-job') && developer.nomad.allows('prod', 'read-job'));
      const expiring = await loadNomadAccess(clients('expiring').nomad, parser);
      assert.ok(expiring.kind === 'token' && expiring.token.expiresAt !== undefined && expiring.token.expiresAt - Date.now() < 3_600_000);
      assert.deepEqual(await loadNomadAccess(clients('unknown').nomad, parser), { kind: 'invalid', reason: 'ACL token not found' });
      const management = await loadConsulAccess(clients('management').consul, parser);
      assert.ok(management.kind === 'token' && management.token.type === 'management');
      // A Consul client token cannot read its policies (no acl:read): nothing is judged, a refusal will name it.
      const consulReadonly = await loadConsulAccess(clients('readonly').consul, parser);
      assert.ok(consulReadonly.kind === 'token' && consulReadonly.consul === undefined && /acl:read/.test(consulReadonly.unreadable ?? ''));
      // The demo refuses what a token may not do, as the endpoint would.
      const allocation = (await clients('readonly').nomad.indexedList('allocations')).items.find((candidate) => candidate.ClientStatus === 'running')!;
      await assert.rejects(clients('readonly').nomad.restartAllocation(allocation.ID, 'all'), { kind: 'forbidden' });
      await assert.rejects(clients('readonly').consul.kvPut('config/whoami/greeting', Buffer.from('x')), { kind: 'forbidden' });
      assert.ok(await clients('developer').consul.kvPut('config/whoami/greeting', Buffer.from('Hello')));
    } finally {
      await guarded.close();
    }
  });

  it('comes back on the same port after a refused fault is cleared', async () => {
    const before = demo.address('nomad');
    await demo.setFault('nomad', { kind: 'refused' });
    await demo.setFault('nomad', undefined);
    assert.equal(demo.address('nomad'), before);
    // A fresh connection: a pooled keep-alive one from before the restart is dead, and the client learns
    // that only when the server's close reaches it, which may be after this request was sent.
    const response = await fetch(`${before}/v1/jobs`, { dispatcher: new Agent() } as RequestInit);
    assert.equal(response.status, 200);
  });
});
