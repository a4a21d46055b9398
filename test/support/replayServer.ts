import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { recordedText } from './recorded';

export interface ReplayResponse {
  status?: number;
  /** A recorded file (test/fixtures/recorded/...) or a literal body. */
  file?: string;
  body?: string;
  /** A binary body (an AWS event stream). */
  bytes?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Sends the headers at once and the body this much later (a proxy that buffers a stream's body). */
  bodyDelayMs?: number;
  /** Sends the body and keeps the response open (a stream that works and has nothing more to say yet). */
  holdOpen?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The request body as text (AWS protocols route on it). */
  body: string;
}

export type ReplayRoute = (request: RecordedRequest) => ReplayResponse | undefined;

/**
 * A real HTTP server on 127.0.0.1 that answers with recorded responses of the real products,
 * with the headers those products send. Routes are matched by "METHOD /path" or by a function.
 */
export class ReplayServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, ReplayResponse>();
  private readonly dynamic: ReplayRoute[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: Server;

  static async start(): Promise<ReplayServer> {
    const replay = new ReplayServer();
    replay.server = createServer(async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      let body = '';
      for await (const chunk of request) body += (chunk as Buffer).toString('utf8');
      const recorded: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers, body };
      replay.requests.push(recorded);
      const answer = replay.dynamic.map((route) => route(recorded)).find(Boolean) ?? replay.routes.get(`${recorded.method} ${recorded.path}`);
      const respond = () => {
        if (!answer) {
          response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end('404 page not found\n');
          return;
        }
        const body = answer.bytes ?? (answer.file ? recordedText(answer.file) : (answer.body ?? ''));
        response.writeHead(answer.status ?? 200, { 'Content-Type': answer.contentType ?? 'application/json', ...answer.headers });
        if (answer.holdOpen) {
          response.write(body);
          return;
        }
        if (answer.bodyDelayMs) {
          response.flushHeaders();
          const timer = setTimeout(() => response.end(body), answer.bodyDelayMs);
          request.socket.once('close', () => clearTimeout(timer));
          return;
        }
        response.end(body);
      };
      if (answer?.delayMs) {
        const timer = setTimeout(respond, answer.delayMs);
        request.socket.once('close', () => clearTimeout(timer));
      } else {
        respond();
      }
    });
    replay.server.on('connection', (socket) => {
      replay.sockets.add(socket);
      socket.on('close', () => replay.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => replay.server.listen(0, '127.0.0.1', resolve));
    return replay;
  }

  get address(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(methodAndPath: string, response: ReplayResponse): this {
    this.routes.set(methodAndPath, response);
    return this;
  }

  use(route: ReplayRoute): this {
    this.dynamic.unshift(route);
    return this;
  }

  reset(): void {
    this.routes.clear();
    this.dynamic.length = 0;
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Headers the real servers send with list responses (from agent/http.go and command/agent/http.go setMeta). */
export const CONSUL_HEADERS = { 'X-Consul-Index': '8421', 'X-Consul-KnownLeader': 'true', 'X-Consul-LastContact': '0', 'X-Consul-Default-Acl-Policy': 'deny' };
export const NOMAD_HEADERS = { 'X-Nomad-Index': '96', 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' };
/** Error bodies of Consul and Nomad are plain text. */
export const PLAIN_TEXT = 'text/plain; charset=utf-8';

/**
 * A replay server for one mocha suite: started before it, closed after it, and before each test reset
 * to `routes` (tests add or override routes of their own). Returns a getter for the server.
 */
export function useReplayServer(routes: Record<string, ReplayResponse>): () => ReplayServer {
  let server: ReplayServer;
  before(async () => {
    server = await ReplayServer.start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    for (const [methodAndPath, response] of Object.entries(routes)) {
      server.on(methodAndPath, response);
    }
  });
  return () => server;
}
