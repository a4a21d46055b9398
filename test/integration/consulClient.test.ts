import * as assert from 'node:assert/strict';
import { tooltipText } from '../../src/core/tree/explorerNode';
import { ConsulClient } from '../../src/core/consul/consulClient';
import { ApiError } from '../../src/core/http/apiError';
import { loadConsulInstances, loadConsulSection } from '../support/sectionReads';
import { CONSUL_HEADERS, PLAIN_TEXT, ReplayServer, useReplayServer } from '../support/replayServer';

const UI = { consul: 'http://consul.test', nomad: 'http://nomad.test' };

describe('ConsulClient against recorded Consul responses', () => {
  const replay = useReplayServer({
    'GET /v1/catalog/services': { file: 'consul/catalog-services.json', headers: CONSUL_HEADERS },
    'GET /v1/health/state/any': { file: 'consul/health-state-any.json', headers: CONSUL_HEADERS },
    'GET /v1/catalog/nodes': { file: 'consul/catalog-nodes.json', headers: CONSUL_HEADERS },
    'GET /v1/health/service/redis': { file: 'consul/health-service-redis.json', headers: CONSUL_HEADERS },
  });
  let server: ReplayServer;
  beforeEach(() => (server = replay()));

  it('reads the catalog, sends the token as X-Consul-Token and keeps X-Consul-Index', async () => {
    const client = new ConsulClient({ address: server.address, timeoutMs: 2000, token: 'secret-consul' });
    const services = await client.catalogServices();
    assert.deepEqual(services.data, { consul: [], redis: [], postgresql: ['primary', 'secondary'] });
    assert.equal(services.meta.index, 8421);
    assert.equal(services.meta.knownLeader, true);
    assert.equal(server.requests[0]!.headers['x-consul-token'], 'secret-consul');
    assert.equal(server.requests[0]!.query.has('token'), false, 'the deprecated ?token= is never used');
  });

  it('sends no token header when there is no token', async () => {
    const client = new ConsulClient({ address: server.address, timeoutMs: 2000 });
    await client.catalogNodes();
    assert.equal(server.requests[0]!.headers['x-consul-token'], undefined);
  });

  it('passes ?dc= when a datacenter is set', async () => {
    const client = new ConsulClient({ address: server.address, timeoutMs: 2000, datacenter: 'dc2' });
    await client.catalogNodes();
    assert.equal(server.requests[0]!.query.get('dc'), 'dc2');
  });

  it('builds the services section from three requests: catalog, every check, nodes', async () => {
    const client = new ConsulClient({ address: server.address, timeoutMs: 2000 });
    const snapshot = await loadConsulSection(client, UI);
    assert.deepEqual(server.requests.map((r) => r.path).sort(), ['/v1/catalog/nodes', '/v1/catalog/services', '/v1/health/state/any']);
    const services = snapshot.nodes.find((n) => n.id === 'consul/services')!.children!;
    assert.deepEqual(services.map((s) => s.label), ['consul', 'postgresql', 'redis']);
    const redis = services.find((s) => s.label === 'redis')!;
    assert.equal(redis.description, '1 passing');
    assert.equal(services.find((s) => s.label === 'postgresql')!.description, 'no checks');
    assert.match(tooltipText(services.find((s) => s.label === 'postgresql')!)!, /primary\n {2}secondary/);
    const nodes = snapshot.nodes.find((n) => n.id === 'consul/nodes')!.children!;
    assert.deepEqual(nodes.map((n) => `${n.label} ${n.description}`), ['baz 10.1.10.11', 't2.320 10.1.10.12']);
  });

  it("loads a service's instances with their checks when it is expanded", async () => {
    const client = new ConsulClient({ address: server.address, timeoutMs: 2000 });
    const instances = await loadConsulInstances(client, 'redis');
    assert.equal(server.requests.at(-1)!.path, '/v1/health/service/redis');
    assert.equal(instances.length, 1);
    assert.equal(instances[0]!.label, 'foobar');
    assert.equal(instances[0]!.description, '10.1.10.12:8000 · passing');
    assert.deepEqual(instances[0]!.children!.map((c) => c.label), ["Service 'redis' check", 'Serf Health Status']);
    assert.equal(instances[0]!.copy!.address, '10.1.10.12:8000');
  });

  it('escapes the service name in the path', async () => {
    server.use((request) => (request.path.startsWith('/v1/health/service/') ? { body: '[]' } : undefined));
    const client = new ConsulClient({ address: server.address, timeoutMs: 2000 });
    await client.serviceHealth('we b/../x');
    assert.equal(server.requests.at(-1)!.path, '/v1/health/service/we%20b%2F..%2Fx');
  });

  it('an unknown service is an empty list (Consul answers 200 [])', async () => {
    server.use((request) => (request.path === '/v1/health/service/ghost' ? { body: '[]', headers: CONSUL_HEADERS } : undefined));
    const client = new ConsulClient({ address: server.address, timeoutMs: 2000 });
    const instances = await loadConsulInstances(client, 'ghost');
    assert.equal(instances[0]!.label, 'No instances registered');
  });

  it("keeps Consul's ACL text on a 403", async () => {
    const text = `Permission denied: token with AccessorID 'e6b4e1bd-4b8f-4b0a-9c4b-0f2e2ba5c0a3' lacks permission 'service:read' on "web"`;
    server.on('GET /v1/catalog/services', { status: 403, body: text, contentType: PLAIN_TEXT });
    const client = new ConsulClient({ address: server.address, timeoutMs: 2000, token: 'bad' });
    const error = await client.catalogServices().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.kind, 'forbidden');
    assert.equal(error.status, 403);
    assert.equal(error.message, `Consul refused the token: ${text}`);
    assert.ok(!error.message.includes('bad'), 'the token never appears in an error');
  });
});
