import * as assert from 'node:assert/strict';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer, Server as NetServer, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import { ApiError } from '../../src/core/http/apiError';
import { ExecEnd, ExecSession } from '../../src/core/nomad/execStream';
import { ActionRequest, NomadClient } from '../../src/core/nomad/nomadClient';
import { recordedJson, recordedText } from '../support/recorded';
import { until } from '../support/until';

const TOKEN = 'a2b4c6d8-0000-4000-8000-00000000feed';
const REQUEST: ActionRequest = { jobId: 'traefik', namespace: 'default', allocationId: '5c9a1f5e-0000-4000-8000-000000000001', group: 'traefik', task: 'traefik', action: 'version', tty: true };

interface Replay {
  address: string;
  upgrades: IncomingMessage[];
  received: string[];
  close(): Promise<void>;
}

/** A Nomad stand-in on 127.0.0.1 that takes the upgrade and plays `serve` on the socket. */
async function replayServer(serve: (socket: WebSocket, received: string[]) => void, http?: (request: IncomingMessage, response: import('node:http').ServerResponse) => void): Promise<Replay> {
  const upgrades: IncomingMessage[] = [];
  const received: string[] = [];
  const sockets = new WebSocketServer({ noServer: true });
  const server: Server = createServer(http ?? ((_request, response) => response.writeHead(404).end()));
  server.on('upgrade', (request, socket, head) => {
    upgrades.push(request);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.on('message', (data) => received.push(data.toString()));
      serve(ws, received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upgrades,
    received,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs the action and collects what came out and how it ended. */
async function run(client: NomadClient, request: ActionRequest = REQUEST): Promise<{ output: string; end: ExecEnd; session: ExecSession | undefined }> {
  let output = '';
  let session: ExecSession | undefined;
  const end = await new Promise<ExecEnd>((resolve, reject) => {
    client.runAction(request, { onOutput: (_stream, data) => (output += data.toString('utf8')), onEnd: resolve }).then((opened) => (session = opened), reject);
  });
  return { output, end, session };
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
  return error;
}

describe('Run Action: the job action endpoint over a WebSocket, against a stand-in that replays the recorded frames', function () {
  this.timeout(20_000);
  let replay: Replay | undefined;
  afterEach(async () => {
    await replay?.close();
    replay = undefined;
  });

  it('asks as `nomad action` does (path, query, token header) and streams the recorded output to its exit code', async () => {
    const frames = recordedText('nomad-action/action-version.jsonl').trim().split('\n');
    replay = await replayServer((socket) => {
      for (const frame of frames) socket.send(frame);
      socket.close(1000);
    });
    const { output, end } = await run(new NomadClient({ address: replay.address, timeoutMs: 5000, token: TOKEN }));
    assert.deepEqual(end, { kind: 'exited', exitCode: 0 });
    assert.match(output, /^Version: {6}3\.5\.3\r\nCodename: {5}chaource\r\n/);
    const [upgrade] = replay.upgrades;
    const url = new URL(upgrade!.url!, 'http://x');
    assert.equal(url.pathname, '/v1/job/traefik/action');
    assert.deepEqual(Object.fromEntries(url.searchParams), { namespace: 'default', action: 'version', allocID: REQUEST.allocationId, group: 'traefik', task: 'traefik', tty: 'true', command: '[]' });
    assert.equal(upgrade!.headers['x-nomad-token'], TOKEN);
  });

  it('sends the terminal size, typed input and heartbeats as the stream\'s JSON', async () => {
    replay = await replayServer(() => undefined);
    const client = new NomadClient({ address: replay.address, timeoutMs: 5000 });
    const ended: ExecEnd[] = [];
    const session = await client.runAction(REQUEST, { onOutput: () => undefined, onEnd: (end) => ended.push(end) });
    session.resize(100, 40);
    session.input(Buffer.from('q'));
    const received = replay.received;
    await until(() => received.length >= 2, 'the size and the key at the server');
    assert.deepEqual(received.slice(0, 2), ['{"tty_size":{"width":100,"height":40}}', '{"stdin":{"data":"cQ=="}}']);
    session.stop();
    assert.deepEqual(ended, [{ kind: 'stopped' }]);
    await until(() => replay!.upgrades.length === 1 && received.length >= 2, 'nothing more');
  });

  it('sends a heartbeat on its interval (the CLI sends {} every 10 s)', async () => {
    replay = await replayServer(() => undefined);
    const client = new NomadClient({ address: replay.address, timeoutMs: 5000 });
    const session = await client.runAction(REQUEST, { onOutput: () => undefined, onEnd: () => undefined, heartbeatMs: 50 });
    await until(() => replay!.received.includes('{}'), 'a heartbeat');
    session.stop();
  });

  it("a close frame with Nomad's \"Permission denied\" ends the run as a refusal, in Nomad's words", async () => {
    const close = recordedJson<{ code: number; text: string }>('nomad-action/close-permission-denied.json');
    replay = await replayServer((socket) => socket.close(close.code, close.text));
    const { end } = await run(new NomadClient({ address: replay.address, timeoutMs: 5000, token: TOKEN }));
    assert.equal(end.kind, 'failed');
    assert.ok(end.kind === 'failed' && end.error.kind === 'forbidden');
    assert.equal(end.kind === 'failed' && end.error.reason, 'Permission denied');
    assert.equal(end.kind === 'failed' && end.error.address, replay.address, 'the error says where it came from');
    assert.match(end.kind === 'failed' ? end.error.path : '', /^\/v1\/job\/traefik\/action\?/);
  });

  it("an unknown action is Nomad's own sentence, not a refusal", async () => {
    const close = recordedJson<{ code: number; text: string }>('nomad-action/close-unknown-action.json');
    replay = await replayServer((socket) => socket.close(close.code, close.text));
    const { end } = await run(new NomadClient({ address: replay.address, timeoutMs: 5000 }));
    assert.ok(end.kind === 'failed' && end.error.kind !== 'forbidden');
    assert.equal(end.kind === 'failed' && end.error.reason, 'action restart-cache not found in task traefik');
  });

  it('a socket that closes before the exit code is a failure that says so', async () => {
    replay = await replayServer((socket) => {
      socket.send('{"stdout":{"data":"aGk="}}');
      socket.terminate();
    });
    const { output, end } = await run(new NomadClient({ address: replay.address, timeoutMs: 5000 }));
    assert.equal(output, 'hi');
    assert.ok(end.kind === 'failed' && end.error.kind !== 'forbidden');
    assert.match(end.kind === 'failed' ? end.error.reason : '', /closed before an exit code/);
  });

  it('a message that is not the stream ends it as malformed, naming the endpoint', async () => {
    replay = await replayServer((socket) => socket.send('<html>proxy error</html>'));
    const { end } = await run(new NomadClient({ address: replay.address, timeoutMs: 5000 }));
    assert.ok(end.kind === 'failed');
    assert.equal(end.kind === 'failed' && end.error.kind, 'malformed');
    assert.match(end.kind === 'failed' ? end.error.message : '', /\/v1\/job\/traefik\/action/);
  });

  it('a message past the limit closes the session (the read is bounded)', async () => {
    replay = await replayServer((socket) => socket.send(JSON.stringify({ stdout: { data: Buffer.alloc(2 * 1024 * 1024).toString('base64') } })));
    const { end } = await run(new NomadClient({ address: replay.address, timeoutMs: 5000 }));
    assert.equal(end.kind === 'failed' && end.error.kind, 'tooLarge');
  });

  it('a refusal before the upgrade (HTTP 403) is a forbidden error with the body\'s words', async () => {
    replay = await replayServer(() => undefined);
    const server = createServer((_request, response) => response.writeHead(403, { 'Content-Type': 'text/plain' }).end('ACL token not found'));
    server.on('upgrade', (_request, socket: Socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n\r\nACL token not found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const error = await rejection(run(new NomadClient({ address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 5000, token: TOKEN })));
      assert.equal(error.kind, 'forbidden');
      assert.equal(error.reason, 'ACL token not found');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a redirect is not followed: the token never reaches its target', async () => {
    const target = await replayServer((socket) => socket.close(1000));
    replay = target;
    const redirector = createServer();
    redirector.on('upgrade', (_request, socket: Socket) => socket.end(`HTTP/1.1 307 Temporary Redirect\r\nLocation: ${target.address}/v1/job/traefik/action?x=1\r\nContent-Length: 0\r\n\r\n`));
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const error = await rejection(run(new NomadClient({ address: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`, timeoutMs: 5000, token: TOKEN })));
      assert.equal(error.kind, 'redirect');
      assert.doesNotMatch(error.message, /x=1/, 'the target is named without its query');
      assert.equal(target.upgrades.length, 0, 'nothing went to the target');
    } finally {
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it('a server that never answers the upgrade is a timeout after the client timeout', async () => {
    // It accepts and never reads: its sockets would not see the client leave, so they are destroyed at the end.
    const accepted = new Set<Socket>();
    const silent: NetServer = createNetServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const error = await rejection(run(new NomadClient({ address: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 300 })));
      assert.equal(error.kind, 'timeout');
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });

  it('a link that stops answering pings ends the session as gone, though the command was quiet', async () => {
    // A peer that completes the upgrade by hand and then reads nothing: no pong ever comes back.
    const accepted = new Set<Socket>();
    const deaf: NetServer = createNetServer((socket) => {
      accepted.add(socket);
      socket.once('data', (request) => {
        const key = /sec-websocket-key: (\S+)/i.exec(request.toString())![1]!;
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      });
    });
    await new Promise<void>((resolve) => deaf.listen(0, '127.0.0.1', resolve));
    try {
      const client = new NomadClient({ address: `http://127.0.0.1:${(deaf.address() as AddressInfo).port}`, timeoutMs: 5000 });
      const end = await new Promise<ExecEnd>((resolve, reject) => void client.runAction(REQUEST, { onOutput: () => undefined, onEnd: resolve, pingMs: 100 }).catch(reject));
      assert.equal(end.kind === 'failed' && end.error.kind, 'timeout');
      assert.match(end.kind === 'failed' ? end.error.reason : '', /no answer to a ping/);
    } finally {
      for (const socket of accepted) socket.destroy();
      deaf.close();
    }
  });
});
