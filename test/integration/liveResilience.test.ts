import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Backoff } from '../../src/core/live/backoff';
import { BlockingWatcher } from '../../src/core/live/blockingQuery';
import { NomadEventStream, StreamEnd } from '../../src/core/live/nomadEventStream';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { until } from '../support/until';

// What an operator's day brings between the editor and the cluster: proxies that cut idle connections,
// servers that close streams, clusters restored behind the same address. Real HTTP servers on 127.0.0.1.

interface Seen {
  at: number;
  index: string | null;
  wait: string | null;
}

function serve(handler: (seen: Seen[], request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void): Promise<{ server: Server; seen: Seen[]; address: string }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push({ at: Date.now(), index: url.searchParams.get('index'), wait: url.searchParams.get('wait') });
    handler(seen, request, response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen, address: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('A proxy that cuts idle connections (an ALB idle timeout) is no outage', function () {
  this.timeout(15_000);

  for (const cut of ['closes the connection', 'answers 504 Gateway Timeout'] as const) {
    it(`a held query cut by the proxy (it ${cut}) is sent again with the same index, and the wait shrinks below the cut`, async () => {
      const { server, seen, address } = await serve((_seen, request, response) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        if (!url.searchParams.has('index')) {
          response.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': '10' });
          response.end('[]');
          return;
        }
        // Held: the "proxy" gives up on it after 300 ms without a byte.
        setTimeout(() => {
          if (cut === 'closes the connection') request.socket.destroy();
          else {
            response.writeHead(504, { 'Content-Type': 'text/html' });
            response.end('<html><body><h1>504 Gateway Time-out</h1></body></html>');
          }
        }, 300);
      });
      const client = new NomadClient({ address, timeoutMs: 5000 });
      const errors: unknown[] = [];
      const lines: string[] = [];
      const watcher = new BlockingWatcher<unknown[]>({
        startIndex: 0,
        minGapMs: 10,
        cutMinHeldMs: 200,
        fetch: async (blocking, signal) => {
          const list = await client.indexedList('allocations', { signal, blocking });
          return { data: list.items, index: list.index };
        },
        onData: () => undefined,
        onError: (error) => errors.push(error),
        onUnwatchable: () => undefined,
        onCut: (line) => lines.push(line),
      });
      try {
        await until(() => seen.filter((s) => s.index === '10').length >= 4, 'four held queries');
        assert.deepEqual(errors, [], 'no failure: the section does not become stale');
        assert.equal(seen.filter((s) => s.index === null).length, 1, 'no reload: every reissue keeps the index');
        const held = seen.filter((s) => s.index === '10');
        assert.equal(held[0]!.wait, '300s');
        assert.equal(held.at(-1)!.wait, '5s', 'cuts at the same age shorten the wait');
        assert.ok(lines.some((line) => /cut after about 0 s.*waiting 5 s/.test(line)), lines.join('\n'));
      } finally {
        watcher.stop();
        await close(server);
      }
    });
  }

  it('a cut whose reissue is refused is a failure (the server is gone, not the proxy)', async () => {
    const gone: { server?: Server } = {};
    const started = await serve((_seen, request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (!url.searchParams.has('index')) {
        response.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': '10' });
        response.end('[]');
        return;
      }
      setTimeout(() => {
        request.socket.destroy();
        gone.server?.close();
      }, 300);
    });
    gone.server = started.server;
    const server = started.server;
    const client = new NomadClient({ address: started.address, timeoutMs: 5000 });
    const errors: unknown[] = [];
    const watcher = new BlockingWatcher<unknown[]>({
      minGapMs: 10,
      cutMinHeldMs: 200,
      backoff: new Backoff(5_000, 5_000),
      fetch: async (blocking, signal) => {
        const list = await client.indexedList('allocations', { signal, blocking });
        return { data: list.items, index: list.index };
      },
      onData: () => undefined,
      onError: (error) => errors.push(error),
      onUnwatchable: () => undefined,
    });
    try {
      await until(() => errors.length === 1, 'the failure');
      assert.match(String((errors[0] as Error).message), /refused/);
    } finally {
      watcher.stop();
      await close(server);
    }
  });
});

describe('The event stream over time', function () {
  this.timeout(15_000);

  it('a stream that the server ends at once, again and again, is reopened after a growing wait', async () => {
    const { server, seen, address } = await serve((_seen, _request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{}\n');
    });
    const client = new NomadClient({ address, timeoutMs: 2000 });
    const ends: StreamEnd[] = [];
    const stream = new NomadEventStream({
      open: (index, signal, headersTimeoutMs) => client.eventStream({ index, signal, timeoutMs: headersTimeoutMs }),
      startIndex: 1,
      source: { address },
      backoff: new Backoff(1000, 8000, () => 0),
      onBatch: () => undefined,
      onOpen: () => undefined,
      onEnd: (end) => ends.push(end),
    });
    try {
      await until(() => seen.length >= 4, 'four connections', 10_000);
      const gaps = seen.slice(1, 4).map((s, i) => s.at - seen[i]!.at);
      assert.ok(gaps[0]! >= 450, `first gap ${gaps[0]} ms`);
      assert.ok(gaps[2]! >= 1900, `the third gap grew: ${gaps.join(', ')} ms`);
      assert.deepEqual(ends, []);
    } finally {
      stream.stop();
      await close(server);
    }
  });

  it('after a reconnect, a first batch older than the last one seen (a restored cluster) ends the stream for a reload', async () => {
    const { server, seen, address } = await serve((_seen, _request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      if (seen.length === 1) {
        response.end('{}\n{"Index":50,"Events":[]}\n');
      } else {
        response.write('{}\n{"Index":7,"Events":[]}\n');
      }
    });
    const client = new NomadClient({ address, timeoutMs: 2000 });
    const ends: StreamEnd[] = [];
    const batches: number[] = [];
    const stream = new NomadEventStream({
      open: (index, signal, headersTimeoutMs) => client.eventStream({ index, signal, timeoutMs: headersTimeoutMs }),
      startIndex: 40,
      source: { address },
      onBatch: (batch) => batches.push(batch.Index),
      onOpen: () => undefined,
      onEnd: (end) => ends.push(end),
    });
    try {
      await until(() => ends.length === 1, 'the end');
      assert.deepEqual(ends[0], { kind: 'reset', lastIndex: 50, serverIndex: 7 });
      assert.deepEqual(batches, [50]);
      assert.deepEqual(seen.map((s) => s.index), ['41', '51']);
    } finally {
      stream.stop();
      await close(server);
    }
  });
});

describe('Bounded reads of a stream that fails', function () {
  this.timeout(15_000);

  it('an error body that never ends is read only so far and so long: the error comes, the connection goes', async () => {
    let written = 0;
    const { server, address } = await serve((_seen, request, response) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      const timer = setInterval(() => {
        written += chunk.length;
        response.write(chunk);
      }, 1);
      request.socket.once('close', () => clearInterval(timer));
    });
    const client = new NomadClient({ address, timeoutMs: 1500 });
    try {
      await assert.rejects(client.eventStream({ index: 1 }), (error: Error) => /answered 500/.test(error.message) && error.message.length < 1000);
      const after = written;
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(written - after < 1024 * 1024, 'the server is no longer read from');
    } finally {
      await close(server);
    }
  });
});
