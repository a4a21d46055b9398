import * as assert from 'node:assert/strict';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiError } from '../../src/core/http/apiError';
import { HttpClient, RequestLogEntry } from '../../src/core/http/httpClient';
import { formatRequestLog } from '../../src/core/http/requestLog';

interface Seen {
  url: string;
  token: string | undefined;
}

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; address: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', token: request.headers['x-nomad-token'] as string | undefined });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const close = (server: Server) => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
});

async function failure(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ApiError, `an ApiError, not ${String(error)}`);
  return error;
}

describe('HttpClient against hostile servers: redirects and sizes', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  it('never sends the token across origins: a redirect to another port is an error naming it, and that server sees nothing', async () => {
    const other = await serve((_request, response) => response.end('[]'));
    const first = await serve((_request, response) => {
      response.writeHead(302, { Location: `${other.address}/v1/jobs` });
      response.end();
    });
    servers.push(other.server, first.server);
    const log: RequestLogEntry[] = [];
    const client = new HttpClient({ product: 'Nomad', address: first.address, headers: { 'X-Nomad-Token': 'secret-token' }, timeoutMs: 2000, onRequest: (entry) => log.push(entry) });
    const error = await failure(client.requestJson('/v1/jobs'));
    assert.equal(error.kind, 'redirect');
    assert.match(error.message, new RegExp(`another origin, ${other.address.replace(/[.]/g, '\\.')}/v1/jobs`));
    assert.doesNotMatch(error.message, /secret-token/);
    assert.deepEqual(other.seen, [], 'the other server got no request at all');
    assert.equal(log.length, 1);
    assert.match(formatRequestLog(log[0]!), new RegExp(`→ 302 redirect to ${other.address.replace(/[.]/g, '\\.')}/v1/jobs`));
  });

  it('refuses https → http and other schemes, as other origins', async () => {
    for (const location of ['https://127.0.0.1:1/v1/jobs', 'ftp://127.0.0.1/v1/jobs', 'javascript:alert(1)']) {
      const first = await serve((_request, response) => {
        response.writeHead(301, { Location: location });
        response.end();
      });
      servers.push(first.server);
      const client = new HttpClient({ product: 'Nomad', address: first.address, headers: { 'X-Nomad-Token': 't' }, timeoutMs: 2000 });
      const error = await failure(client.requestJson('/v1/jobs'));
      assert.equal(error.kind, 'redirect', location);
      assert.match(error.message, location.startsWith('https') ? /another origin/ : /not HTTP/);
    }
  });

  it('follows a same-origin redirect with the token, and stops a loop', async () => {
    const site = await serve((request, response) => {
      if (request.url === '/old') {
        response.writeHead(307, { Location: '/v1/jobs' });
        response.end();
      } else if (request.url?.startsWith('/loop')) {
        response.writeHead(302, { Location: request.url === '/loop/a' ? '/loop/b' : '/loop/a' });
        response.end();
      } else {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end('["ok"]');
      }
    });
    servers.push(site.server);
    const client = new HttpClient({ product: 'Nomad', address: site.address, headers: { 'X-Nomad-Token': 't' }, timeoutMs: 2000 });
    assert.deepEqual((await client.requestJson<string[]>('/old')).data, ['ok']);
    assert.deepEqual(site.seen.map((s) => [s.url, s.token]), [['/old', 't'], ['/v1/jobs', 't']]);
    const loop = await failure(client.requestJson('/loop/a'));
    assert.equal(loop.kind, 'redirect');
    assert.match(loop.message, /in a loop/);
  });

  it('stops reading a body past the limit and says the limit and how to raise it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    const site = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      // An endless body: only the client's limit ends it.
      const write = () => {
        while (written < 512 * 1024 * 1024 && response.write(chunk)) written += chunk.length;
        if (written < 512 * 1024 * 1024) response.once('drain', write);
      };
      response.on('close', () => response.removeAllListeners('drain'));
      write();
    });
    servers.push(site.server);
    const client = new HttpClient({ product: 'Nomad', address: site.address, timeoutMs: 5000, maxResponseBytes: 1024 * 1024 });
    const error = await failure(client.requestJson('/v1/allocations'));
    assert.equal(error.kind, 'tooLarge');
    assert.match(error.message, /more than the limit of 1 MiB/);
    assert.match(error.hint, /hashistack\.maxResponseMegabytes/);
    assert.ok(written < 64 * 1024 * 1024, `the server could write only ${written} bytes before the client stopped reading`);
  });

  it('refuses at once a body whose declared length is over the limit', async () => {
    const site = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(500 * 1024 * 1024) });
      response.write('[');
    });
    servers.push(site.server);
    const client = new HttpClient({ product: 'Consul', address: site.address, timeoutMs: 5000, maxResponseBytes: 1024 * 1024 });
    const error = await failure(client.requestJson('/v1/catalog/services'));
    assert.equal(error.kind, 'tooLarge');
    assert.match(error.message, /500 MiB/);
  });
});

describe('HttpClient never shows a token it holds', () => {
  it('redacts a token that the server echoes back in its error body', async () => {
    const token = '3f6c1c9e-4c5a-4d1b-9f3e-6a7b8c9d0e1f';
    const server = createServer((_request, response) => {
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`Permission denied: token ${token} lacks permission 'node:read'`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = new HttpClient({ product: 'Nomad', address, headers: { 'X-Nomad-Token': token }, timeoutMs: 2000 });
      const error = await failure(client.requestJson('/v1/nodes'));
      assert.equal(error.kind, 'forbidden');
      assert.doesNotMatch(`${error.message} ${error.reason} ${error.hint}`, new RegExp(token));
      assert.match(error.message, /token \*\*\* lacks permission 'node:read'/);
    } finally {
      await close(server);
    }
  });
});
