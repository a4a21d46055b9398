import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DemoCluster } from '../../demo/demoCluster';
import { Backoff } from '../../src/core/live/backoff';
import { LogTail } from '../../src/core/live/logTail';
import { LogRing } from '../../src/core/nomad/logFrames';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { recordedText } from '../support/recorded';
import { until } from '../support/until';


describe('Following a task log (LogTail)', function () {
  this.timeout(30_000);

  it('reads the recorded framing from a real HTTP server, byte by byte, and says the file was deleted', async () => {
    const queries: URLSearchParams[] = [];
    const server: Server = createServer((request, response) => {
      queries.push(new URL(request.url ?? '/', 'http://x').searchParams);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const body = Buffer.from(recordedText('nomad/client-fs-logs.txt'));
      let index = 0;
      const timer = setInterval(() => {
        if (index >= body.length) {
          clearInterval(timer);
          response.end();
          return;
        }
        response.write(body.subarray(index, index + 7));
        index += 7;
      }, 1);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new NomadClient({ address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 });
      const ring = new LogRing();
      const notes: string[] = [];
      const tail = new LogTail(client, { allocationId: 'a8198d79-cfdb-6593-a999-1e9adabcba2e', task: 'redis', type: 'stdout', onData: (data) => ring.append(data), onNote: (note) => notes.push(note), stillRunning: () => false });
      await tail.start();
      assert.deepEqual(ring.snapshot().map((line) => line.text), ['531932', '531933', '531934', '531']);
      assert.deepEqual(notes, ['— alloc/logs/redis.stdout.0: file deleted', '— the allocation stopped; the log ends here']);
      assert.equal(queries[0]!.get('task'), 'redis');
      assert.equal(queries[0]!.get('follow'), 'true');
      assert.equal(queries[0]!.get('origin'), 'end');
      assert.equal(queries[0]!.get('offset'), String(64 * 1024), 'the last 64 KiB first');
      assert.equal(queries[0]!.get('plain'), 'false');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('on the demo: starts with a bounded backlog, sees new lines arrive, and after a break goes on with no line twice or missing', async () => {
    const demo = await DemoCluster.start({ logLineMs: 100 });
    try {
      const client = new NomadClient({ address: demo.address('nomad'), timeoutMs: 2000 });
      const running = demo.scenario.nomad.allocations.find((allocation) => allocation.JobID === 'whoami' && allocation.ClientStatus === 'running')!;
      const ring = new LogRing(100_000);
      const notes: string[] = [];
      const tail = new LogTail(client, { allocationId: running.ID, task: 'whoami', type: 'stdout', onData: (data) => ring.append(data), onNote: (note) => notes.push(note), backoff: new Backoff(50, 100) });
      void tail.start();
      await until(() => ring.size >= 300, 'the backlog');
      const numbers = () => ring.snapshot().map((line) => Number(/#(\d+)/.exec(line.text)?.[1] ?? NaN)).filter(Number.isFinite);
      const first = numbers().length;
      assert.ok(first <= 64 * 1024 / 64, 'no more than 64 KiB of backlog');
      await until(() => numbers().length > first + 3, 'new lines');
      await demo.setFault('nomad', { kind: 'refused' });
      await new Promise((resolve) => setTimeout(resolve, 400));
      await demo.setFault('nomad', undefined);
      await until(() => notes.includes('— reconnected'), 'the reconnection');
      const before = numbers().at(-1)!;
      await until(() => numbers().at(-1)! > before + 5, 'lines after the reconnection');
      tail.stop();
      const seen = numbers();
      for (let index = 1; index < seen.length; index++) assert.equal(seen[index], seen[index - 1]! + 1, `line ${seen[index - 1]} is followed by ${seen[index]}`);
      assert.ok(notes.some((note) => /connection lost|stream ended/.test(note)), notes.join(' | '));
    } finally {
      await demo.close();
    }
  });

  it("on the demo: an unknown allocation (404) or task (400) is said once in Nomad's words, and the tail ends", async () => {
    const demo = await DemoCluster.start({ logLineMs: 100 });
    try {
      const client = new NomadClient({ address: demo.address('nomad'), timeoutMs: 2000 });
      const running = demo.scenario.nomad.allocations.find((allocation) => allocation.ClientStatus === 'running')!;
      const notes: string[] = [];
      const tail = new LogTail(client, { allocationId: '00000000-0000-0000-0000-000000000000', task: 'x', type: 'stdout', onData: () => undefined, onNote: (note) => notes.push(note), backoff: new Backoff(20, 40) });
      await tail.start();
      assert.match(notes[0]!, /— no log: .*Unknown allocation/);
      assert.equal(notes.length, 1);
      const wrongTask = new LogTail(client, { allocationId: running.ID, task: 'not-a-task', type: 'stdout', onData: () => undefined, onNote: (note) => notes.push(note), backoff: new Backoff(20, 40) });
      await wrongTask.start();
      assert.match(notes[1]!, /— no log: .*unknown task name "not-a-task"/);
      assert.equal(notes.length, 2);
    } finally {
      await demo.close();
    }
  });
});

describe('A log tail over time', function () {
  this.timeout(20_000);

  function serve(handler: (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse, connection: number) => void): Promise<{ server: Server; client: NomadClient; connections: number[] }> {
    const connections: number[] = [];
    const server = createServer((request, response) => {
      connections.push(Date.now());
      handler(request, response, connections.length);
    });
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve({ server, connections, client: new NomadClient({ address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 }) })),
    );
  }

  async function close(server: Server): Promise<void> {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  it('a stream that is malformed on every connection is retried after a growing wait, not every second', async () => {
    const { server, client, connections } = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"Offset":"not a number"}');
    });
    const tail = new LogTail(client, { allocationId: 'a', task: 'web', type: 'stdout', onData: () => undefined, onNote: () => undefined, backoff: new Backoff(200, 3200, () => 0) });
    void tail.start();
    try {
      await until(() => connections.length >= 5, 'five connections', 10_000);
      const gaps = connections.slice(1, 5).map((at, index) => at - connections[index]!);
      assert.ok(gaps[3]! >= 700, `the waits grow: ${gaps.join(', ')} ms`);
    } finally {
      tail.stop();
      await close(server);
    }
  });

  it('follows a log whose frames are split at every byte offset, with heartbeats between them, one line a tick', async () => {
    let offset = 4096;
    const frame = (text: string) => {
      const data = Buffer.from(text);
      offset += data.length;
      return JSON.stringify({ Offset: offset, Data: data.toString('base64'), File: 'alloc/logs/web.stdout.0' });
    };
    let lineNumber = 0;
    let split = 0;
    const { server, client } = await serve((request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.socket?.setNoDelay(true);
      response.write(frame(Array.from({ length: 50 }, (_, index) => `backlog ${index}`).join('\n') + '\n'));
      let writing = false;
      const timer = setInterval(() => {
        if (writing) return;
        writing = true;
        const text = frame(`line ${lineNumber++}\n`);
        // Each new frame is cut at the next byte offset, its halves sent apart, a heartbeat after it.
        const at = 1 + (split++ % (text.length - 1));
        response.write(text.slice(0, at));
        setTimeout(() => {
          response.write(text.slice(at));
          setTimeout(() => {
            response.write('{}');
            writing = false;
          }, 5);
        }, 5);
      }, 20);
      request.socket.once('close', () => clearInterval(timer));
    });
    const ring = new LogRing();
    const tail = new LogTail(client, { allocationId: 'a', task: 'web', type: 'stdout', onData: (data) => ring.append(data), onNote: () => undefined });
    void tail.start();
    try {
      const lineCount = () => ring.snapshot().filter((line) => /^line \d+$/.test(line.text)).length;
      // Every split point of a line frame (about 70 characters) is tried.
      await until(() => lineCount() >= 100, 'a hundred followed lines', 15_000);
      const texts = ring.snapshot().map((line) => line.text).filter((text) => text.startsWith('line '));
      assert.deepEqual(texts.slice(0, 100), Array.from({ length: 100 }, (_, index) => `line ${index}`), 'every line once, in order');
    } finally {
      tail.stop();
      await close(server);
    }
  });

  it("follows frames as Nomad's framer makes them: merged reads carry the first read's offset, split ones share it", async () => {
    // client/lib/streamframer/framer.go: reads within one flush merge into a frame that keeps the offset of
    // its first read; a frame over the size limit is split into frames that all carry that same offset.
    let offset = 10_000;
    const line = (n: number) => `line ${String(n).padStart(4, '0')}\n`;
    let next = 0;
    const frame = (texts: string[], frameOffset: number) => JSON.stringify({ Offset: frameOffset, Data: Buffer.from(texts.join('')).toString('base64'), File: 'alloc/logs/web.stdout.0' });
    const { server, client } = await serve((request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => {
        // Three reads merged in one flush: the frame's Offset is after the first only.
        const texts = [line(next++), line(next++), line(next++)];
        const afterFirst = offset + texts[0]!.length;
        offset += texts.join('').length;
        response.write(frame(texts, afterFirst));
        // A large read split in two: both halves carry the same offset.
        const big = [line(next++), line(next++)];
        const shared = offset + big[0]!.length;
        offset += big.join('').length;
        response.write(frame([big[0]!], shared) + '{}' + frame([big[1]!], shared));
      }, 20);
      request.socket.once('close', () => clearInterval(timer));
    });
    const ring = new LogRing();
    const tail = new LogTail(client, { allocationId: 'a', task: 'web', type: 'stdout', onData: (data) => ring.append(data), onNote: () => undefined });
    void tail.start();
    try {
      await until(() => ring.size >= 100, 'a hundred lines');
      const texts = ring.snapshot().map((entry) => entry.text).slice(0, 100);
      assert.deepEqual(texts, Array.from({ length: 100 }, (_, n) => line(n).trimEnd()), 'every line once, in order, none cut');
    } finally {
      tail.stop();
      await close(server);
    }
  });
});
