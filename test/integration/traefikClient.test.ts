import * as assert from 'node:assert/strict';
import { tooltipText } from '../../src/core/tree/explorerNode';
import { ApiError } from '../../src/core/http/apiError';
import { loadTraefikSection } from '../support/sectionReads';
import { TraefikClient, TRAEFIK_EXPLORER_PAGE_SIZE } from '../../src/core/traefik/traefikClient';
import { recordedJson } from '../support/recorded';
import { ReplayServer, useReplayServer } from '../support/replayServer';

describe('TraefikClient against recorded Traefik responses', () => {
  // Traefik sends X-Next-Page on every list; 1 means there is no next page.
  const last = { 'X-Next-Page': '1' };
  const replay = useReplayServer({
    'GET /api/http/routers': { file: 'traefik/http-routers.json', headers: last },
    'GET /api/http/services': { file: 'traefik/http-services.json', headers: last },
    'GET /api/http/middlewares': { file: 'traefik/http-middlewares.json', headers: last },
    'GET /api/entrypoints': { file: 'traefik/entrypoints.json', headers: last },
    // Recorded from the real Traefik 3.7.15 (no golden file has them): test/fixtures/recorded/traefik-3.7.15/.
    'GET /api/certificates': { file: 'traefik-3.7.15/certificates.json', headers: last },
    'GET /api/version': { file: 'traefik-3.7.15/version.json' },
  });
  let server: ReplayServer;
  beforeEach(() => (server = replay()));

  it('builds routers → service → servers, services, middlewares, entrypoints and certificates with six requests', async () => {
    const client = new TraefikClient({ address: server.address, timeoutMs: 2000 });
    const snapshot = await loadTraefikSection(client);
    assert.equal(server.requests.length, 6);
    assert.ok(server.requests.filter((r) => r.path !== '/api/version').every((r) => r.query.get('per_page') === String(TRAEFIK_EXPLORER_PAGE_SIZE)));
    const certificates = snapshot.nodes.find((n) => n.id === 'traefik/certificates')!.children!;
    assert.deepEqual(certificates.map((c) => c.label), ['a.example.com']);
    assert.match(tooltipText(certificates[0]!)!, /Valid until: 2026-12-13T14:33:50Z/);
    const routers = snapshot.nodes.find((n) => n.id === 'traefik/routers')!.children!;
    // The recorded services list has no foo-service@myprovider: each router's row says its chain is broken there.
    assert.deepEqual(routers.map((r) => `${r.label} ${r.description}`), ["bar@myprovider Host(`foo.bar`) · the router's service foo-service@myprovider is missing", "test@myprovider Host(`foo.bar.other`) · the router's service foo-service@myprovider is missing"]);
    assert.equal(routers[0]!.url, 'http://foo.bar');
    assert.match(tooltipText(routers[0]!)!, /Middlewares: auth, addPrefixTest@anotherprovider/);
    // foo-service@myprovider is not in the services sample (another test config): the row says so.
    assert.equal(routers[0]!.children![0]!.description, 'service not found');
    const services = snapshot.nodes.find((n) => n.id === 'traefik/services')!.children!;
    const bar = services.find((s) => s.label === 'bar@myprovider')!;
    assert.equal(bar.description, 'loadbalancer · 1/1 up');
    assert.deepEqual(bar.children!.map((c) => `${c.label} ${c.description}`), ['http://127.0.0.1 UP']);
    const mirror = services.find((s) => s.label === 'mirror@myprovider')!;
    assert.deepEqual(mirror.children!.map((c) => c.label), ['one@myprovider', 'two@myprovider', 'three@myprovider', 'four@myprovider']);
    const middlewares = snapshot.nodes.find((n) => n.id === 'traefik/middlewares')!.children!;
    assert.equal(middlewares.find((m) => m.label === 'auth@myprovider')!.description, 'basicauth · enabled');
    const entryPoints = snapshot.nodes.find((n) => n.id === 'traefik/entrypoints')!.children!;
    assert.ok(entryPoints.some((e) => e.label === 'web' && e.description === ':80'));
  });

  it('follows X-Next-Page through every page and stops when it says 1', async () => {
    const routers = recordedJson<object[]>('traefik/http-routers.json');
    server.use((request) => {
      if (request.path !== '/api/http/routers') return undefined;
      const page = Number(request.query.get('page') ?? '1');
      const perPage = Number(request.query.get('per_page') ?? '100');
      const start = (page - 1) * perPage;
      if (start >= routers.length) {
        return { status: 400, body: `{"message":"invalid request: page: ${page}, per_page: ${perPage}"}\n`, contentType: 'text/plain; charset=utf-8' };
      }
      const more = start + perPage < routers.length;
      return { body: JSON.stringify(routers.slice(start, start + perPage)), headers: { 'X-Next-Page': String(more ? page + 1 : 1) } };
    });
    const client = new TraefikClient({ address: server.address, timeoutMs: 2000 });
    const all = await client.httpRouters({ perPage: 1 });
    assert.deepEqual(all.map((r) => r.name), ['bar@myprovider', 'test@myprovider']);
    assert.deepEqual(server.requests.map((r) => r.query.get('page')), [null, '2']);
  });

  it("keeps Traefik's JSON error message (sent as text/plain)", async () => {
    server.on('GET /api/http/routers', { status: 404, body: '{"message":"router not found: foo@myprovider"}\n', contentType: 'text/plain; charset=utf-8', headers: { 'X-Content-Type-Options': 'nosniff' } });
    const client = new TraefikClient({ address: server.address, timeoutMs: 2000 });
    const error = await client.httpRouters().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.kind, 'notFound');
    assert.equal(error.reason, 'router not found: foo@myprovider');
  });

  it('a 400 for a page past the end keeps its message', async () => {
    server.on('GET /api/http/routers', { status: 400, body: '{"message":"invalid request: page: 2, per_page: 10"}\n', contentType: 'text/plain; charset=utf-8' });
    const client = new TraefikClient({ address: server.address, timeoutMs: 2000 });
    await assert.rejects(client.httpRouters(), (error: unknown) => error instanceof ApiError && error.kind === 'http' && error.reason === 'invalid request: page: 2, per_page: 10');
  });
});

describe('TraefikClient against a Traefik without the certificate list', () => {
  const replay = useReplayServer({
    'GET /api/http/routers': { file: 'traefik/http-routers.json', headers: { 'X-Next-Page': '1' } },
    'GET /api/http/services': { file: 'traefik/http-services.json', headers: { 'X-Next-Page': '1' } },
    'GET /api/http/middlewares': { file: 'traefik/http-middlewares.json', headers: { 'X-Next-Page': '1' } },
    'GET /api/entrypoints': { file: 'traefik/entrypoints.json', headers: { 'X-Next-Page': '1' } },
  });

  it('shows everything else when /api/certificates and /api/version answer 404, and no certificate folder', async () => {
    const server = replay();
    const snapshot = await loadTraefikSection(new TraefikClient({ address: server.address, timeoutMs: 2000 }));
    assert.deepEqual(snapshot.nodes.map((n) => n.id), ['traefik/routers', 'traefik/services', 'traefik/middlewares', 'traefik/entrypoints']);
  });
});
