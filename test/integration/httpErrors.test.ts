import * as assert from 'node:assert/strict';
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { AddressInfo } from 'node:net';
import { ApiError } from '../../src/core/http/apiError';
import { HttpClient, RequestLogEntry } from '../../src/core/http/httpClient';
import { formatRequestLog } from '../../src/core/http/requestLog';
import { caBundle, tlsDispatcher } from '../../src/core/http/tlsDispatcher';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { createClusterClients } from '../../src/core/explorer/clusterClients';
import { deployEnvironment } from '../../src/core/deploy/deployCommand';
import { environmentProfile, resolveProfiles } from '../../src/core/profiles/clusterProfile';
import { makeCertificates, TestCertificates } from '../support/tls';
import { NOMAD_HEADERS, ReplayServer, useReplayServer } from '../support/replayServer';

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
  return error;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('HTTP errors, one class each, with the server words kept', () => {
  const replay = useReplayServer({});
  let server: ReplayServer;
  beforeEach(() => (server = replay()));

  it('unreachable: "Cannot reach Nomad at …: connection refused"', async () => {
    const address = `http://127.0.0.1:${await freePort()}`;
    const error = await rejection(new NomadClient({ address, timeoutMs: 2000 }).indexedList('jobs'));
    assert.equal(error.kind, 'unreachable');
    assert.equal(error.message, `Cannot reach Nomad at ${address}: connection refused`);
    assert.match(error.hint, new RegExp(`^Tried /v1/jobs\\S* at ${address.replace(/[.]/g, '\\.')} \\(connection refused\\)`), 'the hint says what was tried');
  });

  for (const [how, drop] of [
    ['reset (RST)', (socket: import('node:net').Socket) => socket.resetAndDestroy()],
    ['closed (FIN)', (socket: import('node:net').Socket) => socket.end()],
  ] as const) {
    it(`unreachable: a connection ${how} before the answer is "connection closed by the server"`, async () => {
      // Which packet ends a dropped connection depends on timing; the words must not.
      const dropper = createNetServer((socket) => socket.once('data', () => drop(socket)));
      await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
      const address = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}`;
      try {
        const error = await rejection(new NomadClient({ address, timeoutMs: 5000 }).indexedList('jobs'));
        assert.equal(error.kind, 'unreachable');
        assert.equal(error.message, `Cannot reach Nomad at ${address}: connection closed by the server`);
      } finally {
        await new Promise<void>((resolve) => dropper.close(() => resolve()));
      }
    });
  }

  it('unreachable: a port that fetch refuses says so, and that nothing was sent', async () => {
    const error = await rejection(new NomadClient({ address: 'http://127.0.0.1:6000', timeoutMs: 2000 }).indexedList('jobs'));
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, /^Cannot reach Nomad at http:\/\/127\.0\.0\.1:6000: port 6000 is one that Node's fetch refuses .*nothing was sent/);
  });

  it('unreachable: an unknown host name', async () => {
    const error = await rejection(new HttpClient({ product: 'Consul', address: 'http://no-such-host.invalid:8500', timeoutMs: 5000 }).requestJson('/v1/catalog/services'));
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, /^Cannot reach Consul at http:\/\/no-such-host\.invalid:8500: (host not found|host name lookup failed)/);
  });

  it('timeout: a server slower than the timeout', async () => {
    server.on('GET /v1/jobs', { body: '[]', delayMs: 3000 });
    const started = Date.now();
    const error = await rejection(new NomadClient({ address: server.address, timeoutMs: 200 }).indexedList('jobs'));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.message, `Nomad at ${server.address} did not answer within 0.2 s`);
    assert.ok(Date.now() - started < 2500, 'the request is abandoned at the timeout, not when the server answers');
  });

  it('cancelled: the caller aborts', async () => {
    server.on('GET /v1/jobs', { body: '[]', delayMs: 3000 });
    const controller = new AbortController();
    const pending = new NomadClient({ address: server.address, timeoutMs: 5000 }).indexedList('jobs', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    assert.equal(error.kind, 'cancelled');
  });

  it('notFound: an empty 404 body (Consul on an unknown path)', async () => {
    const error = await rejection(new HttpClient({ product: 'Consul', address: server.address, timeoutMs: 2000 }).requestJson('/v1/nope'));
    assert.equal(error.kind, 'notFound');
    assert.equal(error.status, 404);
  });

  it('malformed: a 200 whose body is not JSON', async () => {
    server.on('GET /v1/jobs', { body: '<html>502 Bad Gateway</html>' });
    const error = await rejection(new NomadClient({ address: server.address, timeoutMs: 2000 }).indexedList('jobs'));
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /^Nomad at .* sent a malformed response to \/v1\/jobs\?namespace=default: .*body starts with "<html>502 Bad Gateway<\/html>"/);
  });

  it('malformed: a JSON body that is not a list where a list is due', async () => {
    server.on('GET /v1/jobs', { body: '{"jobs":[]}' });
    const error = await rejection(new NomadClient({ address: server.address, timeoutMs: 2000 }).indexedList('jobs'));
    assert.equal(error.kind, 'malformed');
    assert.match(error.reason, /expected a JSON list/);
  });

  it('malformed: a body cut off before its Content-Length', async () => {
    const raw = createNetServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n[{"ID":"example","Name":');
        setTimeout(() => socket.destroy(), 20);
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const address = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
      const error = await rejection(new NomadClient({ address, timeoutMs: 2000 }).indexedList('jobs'));
      assert.equal(error.kind, 'malformed');
      assert.match(error.reason, /cut off/);
    } finally {
      raw.close();
    }
  });

  it('a huge error page is shortened in the message', async () => {
    server.on('GET /v1/jobs', { status: 502, body: 'x'.repeat(10_000), contentType: 'text/html' });
    const error = await rejection(new NomadClient({ address: server.address, timeoutMs: 2000 }).indexedList('jobs'));
    assert.equal(error.kind, 'http');
    assert.ok(error.message.length < 700);
  });

  it('logs method, path, status and milliseconds, and never a token', async () => {
    server.on('GET /v1/jobs', { body: '[]', headers: NOMAD_HEADERS });
    const entries: RequestLogEntry[] = [];
    await new NomadClient({ address: server.address, timeoutMs: 2000, token: 'super-secret-token', onRequest: (e) => entries.push(e) }).indexedList('jobs');
    assert.equal(entries.length, 1);
    const line = formatRequestLog(entries[0]!);
    assert.match(line, /^Nomad GET \/v1\/jobs\?namespace=default → 200 \(\d+ ms\)$/);
    assert.ok(!JSON.stringify(entries).includes('super-secret-token'));
    assert.equal(server.requests[0]!.headers['x-nomad-token'], 'super-secret-token');
  });

  it('logs the error class when no status arrived', async () => {
    const entries: RequestLogEntry[] = [];
    const address = `http://127.0.0.1:${await freePort()}`;
    await rejection(new NomadClient({ address, timeoutMs: 2000, onRequest: (e) => entries.push(e) }).indexedList('jobs'));
    assert.equal(entries[0]!.outcome, 'unreachable');
  });
});

describe('TLS: verification stays on; a CA file and a server name make it pass', function () {
  this.timeout(20_000);
  let certificates: TestCertificates;
  let https: HttpsServer;
  let address: string;
  before(async () => {
    certificates = makeCertificates();
    https = createHttpsServer({ key: certificates.key, cert: certificates.cert }, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('[]');
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    address = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  });
  after(() => https.close());

  it('an unknown CA is a TLS error that says so', async () => {
    const error = await rejection(new NomadClient({ address, timeoutMs: 5000 }).indexedList('jobs'));
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /^TLS failed with Nomad at https:\/\/127\.0\.0\.1:\d+: the server's certificate is not signed by a trusted CA/);
  });

  it('the right CA but a certificate for another name is still a TLS error', async () => {
    const error = await rejection(new NomadClient({ address, timeoutMs: 5000, dispatcher: tlsDispatcher({ address, caFile: certificates.caFile }) }).indexedList('jobs'));
    assert.equal(error.kind, 'tls');
    assert.match(error.reason, /not valid for this host name/);
  });

  it('the CA file and the TLS server name together succeed', async () => {
    const jobs = await new NomadClient({ address, timeoutMs: 5000, dispatcher: tlsDispatcher({ address, caFile: certificates.caFile, tlsServerName: 'server.global.nomad' }) }).indexedList('jobs');
    assert.deepEqual(jobs.items, []);
  });

  it('a missing CA file is a clear error naming the setting', () => {
    assert.throws(() => tlsDispatcher({ address, caFile: '/nonexistent/ca.pem' }), /Cannot read the CA file \/nonexistent\/ca\.pem: .*Fix "caFile"/);
  });

  it('plain http needs no dispatcher', () => {
    assert.equal(tlsDispatcher({ address: 'http://127.0.0.1:4646', caFile: certificates.caFile }), undefined);
  });
});

describe('TLS per product', () => {
  let certificates: TestCertificates;
  before(() => {
    certificates = makeCertificates();
  });

  it('a CA file adds to the system CAs instead of replacing them, and one that is not a certificate says so', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { rootCertificates } = await import('node:tls');
    const dir = mkdtempSync(join(tmpdir(), 'hashistack-ca-'));
    const notPem = join(dir, 'ca.pem');
    writeFileSync(notPem, 'this is not a certificate\n');
    assert.throws(() => tlsDispatcher({ address: 'https://127.0.0.1:4646', caFile: notPem }), /The CA file .*ca\.pem is not a PEM certificate/);
    const bundle = caBundle(certificates.caFile);
    assert.ok(rootCertificates.length > 50, 'the system store has its roots');
    assert.ok(rootCertificates.every((root) => bundle.includes(root)), 'every system root is still trusted');
    assert.ok(bundle.includes(readFileSync(certificates.caFile, 'utf8')), 'and the file is trusted too');
  });

  it('each product has its own CA and server name; the shared ones are the default', () => {
    const { profiles } = resolveProfiles([{ name: 'prod', consulAddress: 'https://c:8501', nomadAddress: 'https://n:4646', caFile: '/ca.pem', consulTlsServerName: 'server.dc1.consul', nomadTlsServerName: 'server.global.nomad', nomadClientCert: '/cli.pem', nomadClientKey: '/cli-key.pem' }], {});
    const [prod] = profiles;
    assert.equal(prod!.consul.tlsServerName, 'server.dc1.consul');
    assert.equal(prod!.nomad.tlsServerName, 'server.global.nomad');
    assert.equal(prod!.consul.caFile, '/ca.pem');
    assert.equal(prod!.nomad.caFile, '/ca.pem');
    assert.equal(prod!.nomad.clientCert, '/cli.pem');
    const env = deployEnvironment(prod!, {});
    assert.equal(env.NOMAD_TLS_SERVER_NAME, 'server.global.nomad');
    assert.equal(env.CONSUL_TLS_SERVER_NAME, 'server.dc1.consul');
    assert.equal(env.NOMAD_CLIENT_CERT, '/cli.pem');
    assert.equal(env.NOMAD_CLIENT_KEY, '/cli-key.pem');
    const fromEnv = environmentProfile({ NOMAD_ADDR: 'https://n:4646', NOMAD_CLIENT_CERT: '/a.pem', NOMAD_CLIENT_KEY: '/a-key.pem', CONSUL_CLIENT_CERT: '/b.pem' });
    assert.equal(fromEnv.nomad.clientKey, '/a-key.pem');
    assert.equal(fromEnv.consul.clientCert, '/b.pem');
  });

  it('an unreadable CA file for one product fails only that product', () => {
    const profile = environmentProfile({ NOMAD_ADDR: 'https://127.0.0.1:4646', NOMAD_CACERT: '/nonexistent/nomad-ca.pem', CONSUL_HTTP_ADDR: 'https://127.0.0.1:8501', CONSUL_CACERT: certificates.caFile });
    const clients = createClusterClients(profile, { tokens: {}, timeoutMs: 1000 });
    assert.match(clients.problems?.nomad ?? '', /Cannot read the CA file \/nonexistent\/nomad-ca\.pem/);
    assert.equal(clients.problems?.consul, undefined);
    assert.equal(clients.problems?.traefik, undefined);
  });
});
