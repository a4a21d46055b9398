// Stand-in programs for the demo's routed services (launcher, whoami, gallery): one small HTTP server per
// instance on 127.0.0.1, so that a real Traefik on the demo's Consul reaches something, and the Launcher's
// Open and a router's URL end on a page. Each answers as traefik/whoami does: who it is, then the request it
// received (which shows the X-Forwarded-* headers the proxy added). They are the demo's, not the services.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { InstanceEndpoint, InstanceEndpoints } from './scenario';

/**
 * How many programs are started up front (the scenario asks for one synchronously, when an instance is
 * registered): the routed services' six instances, plus a deploy's canaries and replacements in flight.
 * When every one is taken an instance keeps its node's address, which nothing answers, as a lost node.
 */
export const DEMO_BACKEND_POOL = 24;

interface Identity {
  service: string;
  node: string;
  allocationId?: string;
}

interface Backend {
  server: Server;
  endpoint: InstanceEndpoint;
  sockets: Set<Socket>;
  /** The instance it stands in for; undefined while free. */
  identity?: Identity;
}

export class DemoBackends implements InstanceEndpoints {
  private constructor(private readonly backends: Backend[]) {}

  static async start(size = DEMO_BACKEND_POOL): Promise<DemoBackends> {
    const backends: Backend[] = [];
    for (let index = 0; index < size; index++) {
      const backend = { sockets: new Set<Socket>() } as Backend;
      backend.server = createServer((request, response) => answer(backend.identity, backend.endpoint, request, response));
      backend.server.on('connection', (socket) => {
        backend.sockets.add(socket);
        socket.once('close', () => backend.sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        backend.server.once('error', reject);
        backend.server.listen(0, '127.0.0.1', () => resolve());
      });
      backend.endpoint = { address: '127.0.0.1', port: (backend.server.address() as { port: number }).port };
      backends.push(backend);
    }
    return new DemoBackends(backends);
  }

  attach(identity: Identity): InstanceEndpoint | undefined {
    const free = this.backends.find((backend) => !backend.identity);
    if (!free) return undefined;
    free.identity = { ...identity };
    return free.endpoint;
  }

  release(endpoint: InstanceEndpoint): void {
    const backend = this.backends.find((candidate) => candidate.endpoint === endpoint);
    if (backend) backend.identity = undefined;
  }

  /** Frees every program (the scenario is replaced). */
  releaseAll(): void {
    for (const backend of this.backends) backend.identity = undefined;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.backends.map(async (backend) => {
        for (const socket of backend.sockets) socket.destroy();
        await new Promise<void>((resolve) => backend.server.close(() => resolve()));
      }),
    );
  }
}

/** The page of a stand-in: plain text (never rendered as HTML), as traefik/whoami writes it. */
function answer(identity: Identity | undefined, endpoint: InstanceEndpoint, request: IncomingMessage, response: ServerResponse): void {
  const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (!identity) {
    response.writeHead(503, headers).end('No instance of the demo is registered here now.\n');
    return;
  }
  if (request.url === '/health') {
    response.writeHead(200, headers).end('ok\n');
    return;
  }
  const lines = [
    `Hashistack demo: the stand-in for service "${identity.service}"`,
    `Hostname: ${identity.node}`,
    ...(identity.allocationId ? [`Allocation: ${identity.allocationId}`] : []),
    `IP: ${endpoint.address}:${endpoint.port}`,
    `RemoteAddr: ${request.socket.remoteAddress}:${request.socket.remotePort}`,
    `${request.method} ${request.url} HTTP/${request.httpVersion}`,
  ];
  for (let at = 0; at + 1 < request.rawHeaders.length; at += 2) lines.push(`${request.rawHeaders[at]}: ${request.rawHeaders[at + 1]}`);
  response.writeHead(200, headers).end(`${lines.join('\n')}\n`);
}
