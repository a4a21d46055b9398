import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/http/apiError';
import { ConsulClient } from '../../src/core/consul/consulClient';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { TraefikClient } from '../../src/core/traefik/traefikClient';
import { summarizeServiceHealth, worstStatus } from '../../src/core/tree/consul/consulProperties';
import { nomadSectionNodes } from '../../src/core/tree/nomad/nomadProperties';
import { recordedJson } from '../support/recorded';
import { CONSUL_HEADERS, NOMAD_HEADERS, ReplayServer } from '../support/replayServer';

async function malformed(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ApiError && error.kind === 'malformed', `a malformed error, not ${String(error)}`);
  return error;
}

describe('Responses of the wrong shape are malformed errors that say where they came from', () => {
  let replay: ReplayServer;
  before(async () => (replay = await ReplayServer.start()));
  after(() => replay.close());
  beforeEach(() => replay.reset());

  const consulCases: [string, string, (client: ConsulClient) => Promise<unknown>, RegExp][] = [
    ['an object where the check list belongs', '{"a":1}', (c) => c.healthChecks(), /expected a JSON list, got an object/],
    ['a null check', '[null]', (c) => c.healthChecks(), /item 0 is null/],
    ['a check without a Status', '[{"Node":"n","CheckID":"c","ServiceID":"","ServiceName":""}]', (c) => c.healthChecks(), /item 0 has no string "Status"/],
    ['a list where the service map belongs', '["web"]', (c) => c.catalogServices(), /expected a JSON object, got a list/],
    ['tags that are not strings', '{"web":[1,2]}', (c) => c.catalogServices(), /"web" is not a list of strings/],
    ['a node with a numeric Address', '[{"Node":"n","Address":7}]', (c) => c.catalogNodes(), /item 0 has no string "Address"/],
    ['an instance without its Service', '[{"Node":{"Node":"n"},"Checks":[]}]', (c) => c.serviceHealth('web'), /entry 0 has no Service, Node and Checks/],
  ];
  for (const [what, body, call, reason] of consulCases) {
    it(`Consul: ${what}`, async () => {
      replay.use(() => ({ body, headers: CONSUL_HEADERS }));
      const client = new ConsulClient({ address: replay.address, timeoutMs: 2000 });
      const error = await malformed(call(client));
      assert.match(error.message, new RegExp(`^Consul at ${replay.address.replace(/[.]/g, '\\.')} sent a malformed response to /v1/`));
      assert.match(error.reason, reason);
    });
  }

  it('Nomad: an allocation without a ClientStatus, and a string where a list belongs', async () => {
    replay.use((request) => (request.path === '/v1/allocations' ? { body: '[{"ID":"a","JobID":"j","TaskGroup":"g","DesiredStatus":"run"}]', headers: NOMAD_HEADERS } : { body: '"nope"', headers: NOMAD_HEADERS }));
    const client = new NomadClient({ address: replay.address, timeoutMs: 2000 });
    assert.match((await malformed(client.indexedList('allocations'))).reason, /item 0 has no string "ClientStatus"/);
    assert.match((await malformed(client.indexedList('jobs'))).reason, /expected a JSON list, got a string/);
  });

  it('Traefik: a router without a name', async () => {
    replay.use(() => ({ body: '[{"rule":"Host(`x`)"}]', headers: { 'X-Next-Page': '1' } }));
    const client = new TraefikClient({ address: replay.address, timeoutMs: 2000 });
    const error = await malformed(client.httpRouters({}));
    assert.match(error.message, /^Traefik at .* sent a malformed response to \/api\/http\/routers/);
  });

  it('statuses named like Object members look up nothing', () => {
    assert.equal(worstStatus(['constructor']), 'critical', 'an unknown status counts as critical, not NaN');
    const checks = [{ Node: 'n', CheckID: 'c', Name: 'c', Status: '__proto__', Notes: '', Output: '', ServiceID: 's', ServiceName: 'web', ServiceTags: [] }];
    assert.deepEqual(summarizeServiceHealth(checks as never).get('web'), { passing: 0, warning: 0, critical: 1 });
    const jobs = recordedJson<{ Status: string; ID: string }[]>('nomad/jobs.json').map((job) => ({ ...job, Status: 'constructor' }));
    const rows = nomadSectionNodes({ jobs: jobs as never, allocations: [], deployments: [], nodes: [], namespace: 'default' }, { ui: { consul: '', nomad: '' }, now: 0 });
    const job = rows[0]!.children![0]!;
    assert.deepEqual(job.icon, { id: 'package' }, 'the default icon, not Object');
  });
});

describe('A failing section load stops its siblings, and paging is bounded', function () {
  this.timeout(20_000);
  let replay: ReplayServer;
  before(async () => (replay = await ReplayServer.start()));
  after(() => replay.close());
  beforeEach(() => replay.reset());

  it('one failed request of a section aborts the others: no sibling keeps paging', async () => {
    const { allOrAbort } = await import('../../src/core/explorer/sectionLoaders');
    replay.use((request) => {
      if (request.path === '/api/http/routers') return { status: 500, body: '{"message":"boom"}\n', contentType: 'text/plain; charset=utf-8', delayMs: 100 };
      // Endless pages, each a little slow: only an abort ends them.
      const page = Number(request.query.get('page') ?? '1');
      return { body: '[]', headers: { 'X-Next-Page': String(page + 1) }, delayMs: 20 };
    });
    const client = new TraefikClient({ address: replay.address, timeoutMs: 2000 });
    const controller = new AbortController();
    const failure = await allOrAbort(controller.signal, 10_000, [(s: AbortSignal) => client.httpRouters({ signal: s }), (s: AbortSignal) => client.httpServices({ signal: s })] as const).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(failure instanceof ApiError && failure.kind === 'http', String(failure));
    const pages = replay.requests.filter((r) => r.path === '/api/http/services').length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(replay.requests.filter((r) => r.path === '/api/http/services').length, pages, 'the sibling stopped paging');
  });

  it('pages that together pass the response limit stop the list, each page small as it is', async () => {
    const page = JSON.stringify(Array.from({ length: 50 }, (_, index) => ({ name: `r${index}@file`, rule: 'Host(`x`)', service: 's', status: 'enabled' })));
    replay.use((request) => ({ body: page, headers: { 'X-Next-Page': String(Number(request.query.get('page') ?? '1') + 1) } }));
    const client = new TraefikClient({ address: replay.address, timeoutMs: 2000, maxResponseBytes: page.length * 4 });
    const error = await client.httpRouters().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ApiError && error.kind === 'tooLarge', String(error));
    assert.match(error.message, /5 pages are more than the limit/);
    assert.equal(replay.requests.length, 5, 'no page past the limit');
  });

  it('paging that never ends stops at a bound in seconds', async () => {
    replay.use((request) => ({ body: '[]', headers: { 'X-Next-Page': String(Number(request.query.get('page') ?? '1') + 1) } }));
    const client = new TraefikClient({ address: replay.address, timeoutMs: 2000 });
    const started = Date.now();
    const error = await malformed(client.httpRouters({ paginationDeadlineMs: 300 }));
    assert.match(error.reason, /still paging after 0\.3 s/);
    assert.ok(Date.now() - started < 3000);
  });

  it('a whole-list Nomad read does not follow a page token it did not ask for', async () => {
    replay.use(() => ({ body: '[{"ID":"j","Type":"service","Status":"running"}]', headers: { ...NOMAD_HEADERS, 'X-Nomad-Nexttoken': 'more' } }));
    const client = new NomadClient({ address: replay.address, timeoutMs: 2000 });
    assert.equal((await client.indexedList('jobs')).items.length, 1);
    assert.equal(replay.requests.length, 1);
  });
});

describe('Clear words for Traefik behind an auth middleware', () => {
  let replay: ReplayServer;
  before(async () => (replay = await ReplayServer.start()));
  after(() => replay.close());

  for (const status of [401, 403]) {
    it(`a Traefik ${status} does not ask for a token: it says a middleware is in front of the API`, async () => {
      replay.reset();
      replay.use(() => ({ status, body: status === 401 ? '401 Unauthorized\n' : 'Forbidden\n', contentType: 'text/plain', headers: { 'WWW-Authenticate': 'Basic realm="traefik"' } }));
      const client = new TraefikClient({ address: replay.address, timeoutMs: 2000 });
      const error = await client.httpRouters({}).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ApiError && error.kind === 'forbidden');
      assert.match(error.message, new RegExp(`^Traefik at .* refused the request \\(${status}\\)`));
      assert.doesNotMatch(`${error.message} ${error.hint}`, /Nomad|Set a Traefik token/);
      assert.match(error.hint, /has no token of its own.*basic auth or another middleware/);
    });
  }
});
