// The demo cluster: HTTP servers on 127.0.0.1 that answer the Consul, Nomad and Traefik endpoints the
// extension uses, from one coherent scenario (scenario.ts), with the real APIs' headers, pagination and
// error bodies, and faults injected on demand. A demo and a test double: it is not Consul, Nomad or Traefik.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { AppliedChange, applyDemoChange, DemoChange, DemoEvent, demoTaskStates } from './liveChanges';
import { buildScenario, DemoData, ScenarioOptions } from './scenario';
import { DemoBackends } from './demoBackends';
import { DemoConfigData } from './demoConfigData';
import { DemoActions } from './demoActions';
import { DemoAcl } from './demoAcl';
import { RenderData, renderTemplate } from '../src/core/template/renderTemplate';
import { allocationTree, fileInfo } from './demoAllocationFiles';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_PARSER_NOTE, DemoParseError, parseDemoJobspec } from './demoJobspec';
import { canonicalize, DEFAULT_ROLLOUT_STEP_MS, DemoFailureOnDemand, DemoHttpError, DemoJob, DemoRollouts } from './demoRollout';

/** The platform's jobspecs: the demo's jobs run what these files say (this file runs from out/demo/). */
const PLATFORM_JOBSPECS = resolve(__dirname, '..', '..', 'platform', 'nomad');
/** The largest request body the demo reads (a jobspec's HCL or JSON). */
const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

export type DemoProduct = 'consul' | 'nomad' | 'traefik';
export const DEMO_PRODUCTS: DemoProduct[] = ['consul', 'nomad', 'traefik'];

/**
 * - refused: the port stops listening (connection refused);
 * - slow: every answer waits `delayMs` (default 30 s, past any sane timeout);
 * - forbidden: the product's own 403 (or Traefik's basic-auth 401) with its real text;
 * - error: a 500 with the product's own words;
 * - invalidJson: 200 with a body that is not JSON;
 * - truncated: 200 whose body stops before its Content-Length.
 */
export type DemoFaultKind = 'refused' | 'slow' | 'forbidden' | 'error' | 'invalidJson' | 'truncated';
export interface DemoFault {
  kind: DemoFaultKind;
  delayMs?: number;
}

export interface DemoRequest {
  product: DemoProduct;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface DemoClusterOptions extends ScenarioOptions {
  /** Fixed ports (0 or absent: any free port). */
  ports?: Partial<Record<DemoProduct, number>>;
  /** When set, requests without this token get the product's real 403. */
  tokens?: { consul?: string; nomad?: string };
  /**
   * ACLs on (demoAcl.ts): the demo's tokens and policies, each request judged by its endpoint's capability. Off:
   * the ACL endpoints answer as a cluster without ACLs does ("ACL support disabled").
   */
  acl?: boolean;
  /**
   * Also listen on a control port (0: any): `PUT /faults/<product>` with `{"kind": "refused"}`,
   * `DELETE /faults/<product>`, `DELETE /faults`, `GET /requests` (counts), `DELETE /requests`.
   */
  controlPort?: number;
  /**
   * The scenario changes by itself (for `npm start`): a whoami allocation restarts every 30 s and the
   * gallery check flaps every 45 s. Off for tests, which make their changes through `applyChange`.
   */
  autonomous?: boolean;
  /** Nomad sends an event-stream heartbeat `{}` this often (Nomad: 30 s). */
  heartbeatMs?: number;
  /** A running allocation's log gains a line this often (default 1 s). */
  logLineMs?: number;
  /** One step of a simulated rollout (default DEFAULT_ROLLOUT_STEP_MS: about 10 s for a canary and three allocations). */
  rolloutStepMs?: number;
  /**
   * Run a stand-in program for each instance of the routed services on 127.0.0.1 (demoBackends.ts) and list
   * the instances there in Consul, so a real Traefik on the demo's Consul proxies to something.
   */
  backends?: boolean;
}

/** The longest a blocking query is held, as Consul and Nomad cap `wait` (10 min). */
const MAX_BLOCKING_WAIT_MS = 600_000;
/** How often the autonomous scenario restarts an allocation, and flaps a check. */
const AUTONOMOUS_RESTART_MS = 30_000;
const AUTONOMOUS_FLAP_MS = 45_000;

/** `5m`, `300s`, `1500ms` → milliseconds (Go durations as Consul and Nomad read `wait`); default 5 min. */
export function parseWait(value: string | null): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value ?? '');
  if (!match) return 300_000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Math.min(MAX_BLOCKING_WAIT_MS, Number(match[1]) * units[match[2] ?? 's']!);
}

/** The real texts: Nomad's and Consul's ACL errors are plain text (see test/fixtures/recorded/SOURCES.md). */
const FORBIDDEN: Record<DemoProduct, { status: number; body: string; contentType: string }> = {
  nomad: { status: 403, body: 'Permission denied', contentType: 'text/plain; charset=utf-8' },
  consul: { status: 403, body: 'ACL not found', contentType: 'text/plain; charset=utf-8' },
  // Traefik's API has no auth of its own; behind a basicAuth middleware it answers this.
  traefik: { status: 401, body: '401 Unauthorized\n', contentType: 'text/plain' },
};

const SERVER_ERROR: Record<DemoProduct, { body: string; contentType: string }> = {
  nomad: { body: 'No cluster leader', contentType: 'text/plain; charset=utf-8' },
  consul: { body: 'No cluster leader', contentType: 'text/plain; charset=utf-8' },
  traefik: { body: '{"message":"internal error"}\n', contentType: 'text/plain; charset=utf-8' },
};

/** How many of the latest event batches the demo keeps to replay (Nomad's buffer is sized by its event_buffer_size). */
const EVENT_BUFFER_BATCHES = 200;

export class DemoCluster {
  private data: DemoData;
  private readonly servers = new Map<DemoProduct, Server>();
  private readonly sockets = new Map<DemoProduct, Set<Socket>>();
  private readonly ports = new Map<DemoProduct, number>();
  private readonly faults = new Map<DemoProduct, DemoFault>();
  private readonly options: DemoClusterOptions;
  private consulIndex = 1000;
  private nomadIndex = 2600;
  /** Blocking queries waiting for the next index of their product. */
  private readonly waiters = new Set<{ product: DemoProduct; wake: () => void }>();
  /** The latest batches, replayed to a stream that asks for an index they pass (as Nomad's event buffer). */
  private eventBuffer: { index: number; events: DemoEvent[] }[] = [];
  /** Open event streams: each gets every batch. */
  private readonly streams = new Set<{ namespace: string; write: (line: string) => void; end: () => void }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private rollouts!: DemoRollouts;
  /** The platform's jobspecs, parsed once at start: the definitions the demo's jobs run. */
  private platformJobs: DemoJob[] = [];
  /** Every request served, for tests that count them (cleared by `resetRequests`). */
  readonly requests: DemoRequest[] = [];
  /** Nomad Variables and Consul KV: writes move the products' indexes like any change. */
  readonly configData = new DemoConfigData(
    (product) => {
      const index = product === 'nomad' ? ++this.nomadIndex : ++this.consulIndex;
      this.wake(product);
      return index;
    },
    (product) => (product === 'nomad' ? this.nomadIndex : this.consulIndex),
  );

  /** The jobs' `action` blocks, run over Nomad's exec stream. */
  private readonly actions = new DemoActions({
    allocation: (id) => this.data.nomad.allocations.find((candidate) => candidate.ID === id),
    jobAt: (jobId, version) => this.jobAt(jobId, version),
  });

  private constructor(
    options: DemoClusterOptions,
    /** The stand-in programs of the routed services' instances, when asked for. */
    readonly backends?: DemoBackends,
  ) {
    this.options = { ...options, endpoints: backends ?? options.endpoints };
    this.data = buildScenario(this.options);
    this.resetRollouts();
  }

  private resetRollouts(): void {
    this.rollouts = new DemoRollouts(
      {
        data: this.data,
        commit: (change) => {
          const index = this.nomadIndex + 1;
          const events = change(index, Date.now());
          this.nomadIndex = index;
          if (events.length > 0) this.publish(events.map((event) => ({ ...event, Index: index })));
          this.wake('nomad');
          // Nomad registers the new allocations' services in Consul and deregisters the stopped ones.
          this.syncConsul(events);
          return index;
        },
        later: (run, ms) => {
          const timer = setTimeout(() => {
            this.timers.splice(this.timers.indexOf(timer), 1);
            run();
          }, ms);
          this.timers.push(timer);
        },
      },
      this.options.rolloutStepMs ?? DEFAULT_ROLLOUT_STEP_MS,
    );
    for (const job of this.platformJobs) this.rollouts.seed(job);
  }

  /** Reads platform/nomad/*.nomad with the demo's parser; a file that does not parse is left out. */
  private async loadPlatformJobs(): Promise<void> {
    let files: string[] = [];
    try {
      files = readdirSync(PLATFORM_JOBSPECS).filter((name) => name.endsWith('.nomad'));
    } catch {
      return;
    }
    for (const file of files.sort()) {
      try {
        this.platformJobs.push(canonicalize(await parseDemoJobspec(readFileSync(join(PLATFORM_JOBSPECS, file), 'utf8')), 'default'));
      } catch {
        // Not the demo's business: lint:platform reports broken platform files.
      }
    }
    this.resetRollouts();
  }

  private control: Server | undefined;
  /** ACLs, when on. */
  private acl: DemoAcl | undefined;
  /** When the demo started: its logs grow from here. */
  private readonly startedAt = Date.now();

  static async start(options: DemoClusterOptions = {}): Promise<DemoCluster> {
    const cluster = new DemoCluster(options, options.backends ? await DemoBackends.start() : undefined);
    await cluster.loadPlatformJobs();
    if (options.acl) cluster.acl = await DemoAcl.create(cluster.startedAt);
    for (const product of DEMO_PRODUCTS) {
      await cluster.listen(product, options.ports?.[product] ?? 0);
    }
    if (options.controlPort !== undefined) {
      await cluster.listenControl(options.controlPort);
    }
    if (options.autonomous) cluster.runAutonomously();
    return cluster;
  }

  private runAutonomously(): void {
    let flapped = false;
    this.timers.push(
      setInterval(() => void this.applyChange({ kind: 'restartAllocation', job: 'whoami' }).catch(() => undefined), AUTONOMOUS_RESTART_MS),
      setInterval(() => {
        flapped = !flapped;
        void this.applyChange({ kind: 'setCheck', service: 'gallery', status: flapped ? 'critical' : 'passing' }).catch(() => undefined);
      }, AUTONOMOUS_FLAP_MS),
    );
  }

  /**
   * Changes the scenario as a real cluster would change: the products' indexes go up, blocking queries
   * waiting on them answer, and Nomad's event streams get the events of the change.
   */
  async applyChange(change: DemoChange): Promise<AppliedChange> {
    const index = this.nomadIndex + 1;
    const applied = applyDemoChange(this.data, change, index, Date.now());
    if (applied.nomadEvents.length > 0) {
      this.nomadIndex = index;
      this.publish(applied.nomadEvents.map((event) => ({ ...event, Index: index })));
      this.wake('nomad');
    } else if (applied.nomadSilently) {
      this.nomadIndex = index;
      this.wake('nomad');
    }
    if (applied.consul) {
      this.consulIndex++;
      this.wake('consul');
    }
    return applied;
  }

  /** Consul's catalog follows the allocations of the jobs these events touched, as Nomad's service registration does. */
  private syncConsul(events: readonly { Topic: string; FilterKeys: string[] | null; Payload: Record<string, unknown> }[]): void {
    const jobs = new Set(events.filter((event) => event.Topic === 'Allocation').map((event) => (event.Payload.Allocation as { JobID?: string } | undefined)?.JobID ?? event.FilterKeys?.[0]).filter((job): job is string => Boolean(job)));
    let changed = false;
    for (const job of jobs) if (this.data.consul.syncJob(job, this.data.nomad.allocations)) changed = true;
    if (changed) {
      this.consulIndex++;
      this.wake('consul');
    }
  }

  /** Publishes one batch of events to every open stream, as Nomad writes it: one NDJSON line. */
  publish(events: DemoEvent[]): void {
    const index = Math.max(this.nomadIndex, ...events.map((event) => event.Index));
    this.nomadIndex = index;
    this.eventBuffer.push({ index, events });
    if (this.eventBuffer.length > EVENT_BUFFER_BATCHES) this.eventBuffer.shift();
    for (const stream of this.streams) this.writeBatch(stream, index, events);
  }

  private writeBatch(stream: { namespace: string; write: (line: string) => void }, index: number, events: DemoEvent[]): void {
    const visible = events.filter((event) => event.Namespace === '' || stream.namespace === '*' || event.Namespace === stream.namespace);
    if (visible.length > 0) stream.write(`${JSON.stringify({ Index: index, Events: visible })}\n`);
  }

  /** Connections open to the demo's products now (a test of what a client leaves behind). */
  openConnections(): number {
    let count = 0;
    for (const sockets of this.sockets.values()) count += sockets.size;
    return count;
  }

  /** The Nomad index now (what the next change goes past). */
  get currentNomadIndex(): number {
    return this.nomadIndex;
  }

  /** The demo's data, for benchmarks that change it in bulk (then call `publish`). */
  get scenario(): DemoData {
    return this.data;
  }

  private wake(product: DemoProduct): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.product === product) waiter.wake();
    }
  }

  /** The control API's address, when started with `controlPort`. */
  get controlAddress(): string | undefined {
    return this.control ? `http://127.0.0.1:${(this.control.address() as AddressInfo).port}` : undefined;
  }

  private async listenControl(port: number): Promise<void> {
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        this.handleControl(request.method ?? 'GET', new URL(request.url ?? '/', 'http://127.0.0.1').pathname, body).then(
          (result) => send(response, 200, JSON.stringify(result), 'application/json'),
          (error: unknown) => send(response, 400, JSON.stringify({ message: String(error instanceof Error ? error.message : error) }), 'application/json'),
        );
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.control = server;
  }

  private async handleControl(method: string, path: string, body: string): Promise<unknown> {
    const fault = /^\/faults\/(consul|nomad|traefik)$/.exec(path);
    if (fault && method === 'PUT') {
      const parsed = JSON.parse(body || '{}') as DemoFault;
      const kinds: DemoFaultKind[] = ['refused', 'slow', 'forbidden', 'error', 'invalidJson', 'truncated'];
      if (!kinds.includes(parsed.kind)) {
        throw new Error(`kind must be one of ${kinds.join(', ')}`);
      }
      await this.setFault(fault[1] as DemoProduct, parsed);
      return { product: fault[1], fault: parsed };
    }
    if (fault && method === 'DELETE') {
      await this.setFault(fault[1] as DemoProduct, undefined);
      return { product: fault[1], fault: null };
    }
    if (path === '/faults' && method === 'DELETE') {
      await this.clearFaults();
      return { faults: null };
    }
    if (path === '/requests' && method === 'GET') {
      // Whether a token header came, never its value.
      return this.requests.map((request) => ({
        product: request.product,
        method: request.method,
        path: request.path,
        query: request.query.toString(),
        tokenSent: Boolean(request.headers['x-nomad-token'] ?? request.headers['x-consul-token']),
      }));
    }
    if (path === '/reset' && method === 'POST') {
      this.setScenario(this.options);
      this.configData.reset();
      this.acl = this.options.acl ? (this.acl ?? (await DemoAcl.create(this.startedAt))) : undefined;
      return { reset: true };
    }
    // ACLs on or off, as a cluster is bootstrapped (or not): `PUT /acl` turns them on, `DELETE /acl` off.
    if (path === '/acl' && (method === 'PUT' || method === 'DELETE')) {
      await this.setAcl(method === 'PUT');
      return { acl: Boolean(this.acl) };
    }
    // Someone else's write (a teammate, a CI job): what a save that was opened before it must not overwrite.
    const variable = /^\/variables\/([^/]+)\/(.+)$/.exec(path);
    if (variable && method === 'PUT') {
      const items = JSON.parse(body || '{}') as Record<string, string>;
      this.configData.setVariable(decodeURIComponent(variable[1]!), decodeURIComponent(variable[2]!), items);
      return { variable: variable[2], nomadIndex: this.nomadIndex };
    }
    const kvKey = /^\/kv\/(.+)$/.exec(path);
    if (kvKey && method === 'PUT') {
      this.configData.setKey(decodeURIComponent(kvKey[1]!), body);
      return { key: kvKey[1], consulIndex: this.consulIndex };
    }
    if (path === '/changes' && method === 'POST') {
      const change = JSON.parse(body || '{}') as DemoChange;
      const applied = await this.applyChange(change);
      return { change, nomadIndex: this.nomadIndex, consulIndex: this.consulIndex, events: applied.nomadEvents.length };
    }
    if (path === '/restore-nomad' && method === 'POST') {
      const { index } = JSON.parse(body || '{}') as { index?: unknown };
      if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 1) throw new Error('restore-nomad needs an "index", a positive integer');
      this.restoreNomad(index);
      return { nomadIndex: this.nomadIndex };
    }
    const failure = /^\/failures\/([^/]+)$/.exec(path);
    if (failure && method === 'POST') {
      // A failure on demand: the job registered again, broken as the body's "kind" says (see DEMO_FAILURES_ON_DEMAND).
      const { kind } = JSON.parse(body || '{}') as { kind?: DemoFailureOnDemand };
      return this.rollouts.failOnDemand(decodeURIComponent(failure[1]!), kind);
    }
    if (path === '/requests' && method === 'DELETE') {
      this.resetRequests();
      return { requests: 0 };
    }
    throw new Error(`unknown control request ${method} ${path}`);
  }

  address(product: DemoProduct): string {
    return `http://127.0.0.1:${this.ports.get(product)}`;
  }

  /** The variables the CLIs (and the extension's environment profile) read. */
  environment(): Record<string, string> {
    return { CONSUL_HTTP_ADDR: this.address('consul'), NOMAD_ADDR: this.address('nomad'), HASHISTACK_TRAEFIK_ADDR: this.address('traefik') };
  }

  async setFault(product: DemoProduct, fault: DemoFault | undefined): Promise<void> {
    const previous = this.faults.get(product);
    if (fault) {
      this.faults.set(product, fault);
    } else {
      this.faults.delete(product);
    }
    if (fault?.kind === 'refused' && previous?.kind !== 'refused') {
      await this.closeServer(product);
    } else if (fault?.kind !== 'refused' && previous?.kind === 'refused') {
      await this.listen(product, this.ports.get(product) ?? 0);
    }
  }

  /** ACLs on (the demo's tokens and policies, demoAcl.ts) or off. */
  async setAcl(enabled: boolean): Promise<void> {
    this.acl = enabled ? (this.acl ?? (await DemoAcl.create(this.startedAt))) : undefined;
  }

  fault(product: DemoProduct): DemoFault | undefined {
    return this.faults.get(product);
  }

  async clearFaults(): Promise<void> {
    for (const product of DEMO_PRODUCTS) {
      await this.setFault(product, undefined);
    }
  }

  /**
   * Nomad restored from a snapshot taken at `index` behind the same address: what was made after it is gone,
   * the index starts again from there, and open event streams end cleanly (as a restarted server's do).
   */
  restoreNomad(index: number): void {
    const nomad = this.data.nomad;
    const kept = <T extends { CreateIndex: number; ModifyIndex: number }>(items: T[]) =>
      items.filter((item) => item.CreateIndex <= index).map((item) => Object.assign(item, { ModifyIndex: Math.min(item.ModifyIndex, index) }));
    nomad.jobs = kept(nomad.jobs);
    nomad.allocations = kept(nomad.allocations);
    nomad.deployments = kept(nomad.deployments);
    nomad.nodes = kept(nomad.nodes);
    this.nomadIndex = index;
    // A restarted server's event buffer is empty.
    this.eventBuffer = [];
    for (const stream of [...this.streams]) stream.end();
    this.streams.clear();
    this.wake('nomad');
  }

  /** Replace the scenario (e.g. a scaled one for the benchmark) without restarting. */
  setScenario(options: ScenarioOptions): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.length = 0;
    this.backends?.releaseAll();
    this.data = buildScenario({ ...options, endpoints: this.backends ?? options.endpoints });
    this.resetRollouts();
    this.consulIndex++;
    this.nomadIndex++;
    this.wake('consul');
    this.wake('nomad');
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.timers.forEach((timer) => clearInterval(timer));
    this.timers.length = 0;
    for (const waiter of [...this.waiters]) waiter.wake();
    for (const product of DEMO_PRODUCTS) {
      await this.closeServer(product);
    }
    if (this.control) {
      this.control.closeAllConnections();
      await new Promise<void>((resolve) => this.control!.close(() => resolve()));
      this.control = undefined;
    }
    this.actions.close();
    await this.backends?.close();
  }

  private async listen(product: DemoProduct, port: number): Promise<void> {
    const server = createServer((request, response) => {
      this.handle(product, request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        }
        response.end(String(error));
      });
    });
    if (product === 'nomad') {
      server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        this.requests.push({ product, method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers });
        // A token the demo does not accept is refused as Nomad refuses it in a session: after the upgrade.
        const fault = this.faults.get('nomad')?.kind;
        const aclRefused = this.acl ? !this.acl.judgeNomad('GET', url, request.headers['x-nomad-token'] as string | undefined).allowed : false;
        this.actions.handleUpgrade(request, socket, head, fault === 'forbidden' || aclRefused || !this.tokenAccepted(product, request) ? 'forbidden' : fault === 'error' ? 'error' : undefined);
      });
    }
    const sockets = new Set<Socket>();
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.servers.set(product, server);
    this.sockets.set(product, sockets);
    this.ports.set(product, (server.address() as AddressInfo).port);
  }

  private async closeServer(product: DemoProduct): Promise<void> {
    const server = this.servers.get(product);
    if (!server) return;
    this.servers.delete(product);
    for (const socket of this.sockets.get(product) ?? []) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(product: DemoProduct, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ product, method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers });
    const fault = this.faults.get(product);
    if (fault?.kind === 'slow') {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, fault.delayMs ?? 30_000);
        request.socket.once('close', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
      if (request.socket.destroyed) return;
    }
    if (fault?.kind === 'forbidden' || !this.tokenAccepted(product, request)) {
      const forbidden = FORBIDDEN[product];
      send(response, forbidden.status, forbidden.body, forbidden.contentType, product === 'traefik' ? { 'WWW-Authenticate': 'Basic realm="traefik"' } : {});
      return;
    }
    if (fault?.kind === 'error') {
      send(response, 500, SERVER_ERROR[product].body, SERVER_ERROR[product].contentType);
      return;
    }
    if (product !== 'traefik') {
      const refusal = this.aclRefusal(product, request.method ?? 'GET', url, request);
      if (refusal) {
        send(response, refusal.status, refusal.body, refusal.status === 200 ? 'application/json' : 'text/plain; charset=utf-8', product === 'consul' ? { 'X-Consul-Default-Acl-Policy': this.acl ? 'deny' : 'allow' } : {});
        return;
      }
    }
    if (product === 'nomad' && url.pathname === '/v1/event/stream') {
      this.serveEventStream(url, request, response);
      return;
    }
    const logs = product === 'nomad' ? /^\/v1\/client\/fs\/logs\/([^/]+)$/.exec(url.pathname) : null;
    if (logs) {
      this.serveLogs(decodeURIComponent(logs[1]!), url, request, response);
      return;
    }
    await this.holdBlockingQuery(product, url, request);
    if (request.socket.destroyed) return;
    const method = request.method ?? 'GET';
    const body = method === 'GET' ? Buffer.alloc(0) : await readBody(request);
    const configData = product === 'nomad' ? this.configData.routeNomad(method, url, body.toString('utf8')) : product === 'consul' ? this.configData.routeConsul(method, url, body) : undefined;
    const routed = configData ?? (method === 'GET' ? this.route(product, url) : product === 'nomad' ? await this.routeNomadWrite(method, url, body.toString('utf8')) : { status: 405, body: 'Invalid method' });
    if (routed.status !== 200) {
      send(response, routed.status, routed.body, routed.contentType ?? 'text/plain; charset=utf-8', routed.headers);
      return;
    }
    if (typeof routed.body !== 'string' || (routed.contentType && routed.contentType !== 'application/json')) {
      // A raw KV value (`?raw`): its bytes as they are, never as JSON.
      send(response, 200, routed.body, routed.contentType ?? 'application/octet-stream', routed.headers);
      return;
    }
    if (fault?.kind === 'invalidJson') {
      send(response, 200, '<html><body>502 Bad Gateway</body></html>', 'application/json', routed.headers);
      return;
    }
    if (fault?.kind === 'truncated') {
      const body = Buffer.from(routed.body);
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...routed.headers });
      response.write(body.subarray(0, Math.floor(body.length / 2)));
      // Close mid-body: the client sees fewer bytes than Content-Length promised.
      setTimeout(() => request.socket.destroy(), 10);
      return;
    }
    send(response, 200, routed.body, 'application/json', routed.headers);
  }

  /** A blocking query (`index` at or past the current one) waits for the next change or its `wait`. */
  private async holdBlockingQuery(product: DemoProduct, url: URL, request: IncomingMessage): Promise<void> {
    if (product === 'traefik') return;
    const asked = Number(url.searchParams.get('index') ?? '0');
    const current = product === 'consul' ? this.consulIndex : this.nomadIndex;
    if (!Number.isFinite(asked) || asked <= 0 || asked < current) return;
    const waitMs = parseWait(url.searchParams.get('wait'));
    await new Promise<void>((resolve) => {
      const waiter = { product, wake: () => done() };
      const timer = setTimeout(() => done(), waitMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        request.socket.off('close', done);
        resolve();
      };
      this.waiters.add(waiter);
      request.socket.once('close', done);
    });
  }

  /** `/v1/event/stream`: NDJSON, a `{}` heartbeat first and then every `heartbeatMs`, batches as they happen. */
  private serveEventStream(url: URL, request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    const stream = { namespace: url.searchParams.get('namespace') ?? 'default', write: (line: string) => response.write(line), end: () => response.end() };
    response.write('{}\n');
    // Nomad starts a subscription at the buffered batch closest to the asked index: what came since is replayed.
    const asked = Number(url.searchParams.get('index') ?? '0');
    if (asked > 0) {
      for (const batch of this.eventBuffer) if (batch.index >= asked) this.writeBatch(stream, batch.index, batch.events);
    }
    const heartbeat = setInterval(() => response.write('{}\n'), this.options.heartbeatMs ?? 30_000);
    this.streams.add(stream);
    request.socket.once('close', () => {
      clearInterval(heartbeat);
      this.streams.delete(stream);
    });
  }

  /**
   * `/v1/client/fs/logs/:alloc`: the task's log as Nomad frames it (JSON frames back to back, base64 Data,
   * Offset after the data, File, `{}` heartbeats when idle), growing by a line every `logLineMs` while the
   * allocation runs. Lines are 64 bytes, so an offset is a line boundary times 64.
   */
  private serveLogs(allocationId: string, url: URL, request: IncomingMessage, response: ServerResponse): void {
    const allocation = this.data.nomad.allocations.find((candidate) => candidate.ID === allocationId);
    if (!allocation) {
      send(response, 404, `Unknown allocation "${allocationId}"`, 'text/plain; charset=utf-8');
      return;
    }
    const task = url.searchParams.get('task') ?? '';
    const tasks = this.rollouts.current(allocation.JobID)?.TaskGroups.find((group) => group.Name === allocation.TaskGroup)?.Tasks.map((candidate) => candidate.Name) ?? [allocation.TaskGroup];
    if (!tasks.includes(task)) {
      send(response, 400, `unknown task name "${task}"`, 'text/plain; charset=utf-8');
      return;
    }
    const type = url.searchParams.get('type') === 'stderr' ? 'stderr' : 'stdout';
    const lineMs = this.options.logLineMs ?? 1000;
    const started = this.startedAt;
    const lines = () => DEMO_LOG_BACKLOG_LINES + (allocation.ClientStatus === 'running' ? Math.floor((Date.now() - started) / lineMs) : 0);
    const size = () => lines() * DEMO_LOG_LINE_BYTES;
    const offset = Math.max(0, Number(url.searchParams.get('offset') ?? '0') || 0);
    let position = url.searchParams.get('origin') === 'end' ? Math.max(0, size() - offset) : Math.min(offset, size());
    position -= position % DEMO_LOG_LINE_BYTES;
    const file = `alloc/logs/${task}.${type}.0`;
    response.writeHead(200, { 'Content-Type': 'application/json' });
    const flush = () => {
      const end = size();
      if (end <= position) return false;
      while (position < end) {
        const next = Math.min(end, position + DEMO_LOG_FRAME_BYTES);
        const text = demoLogText(allocation.ID, type, position / DEMO_LOG_LINE_BYTES, next / DEMO_LOG_LINE_BYTES, { started, lineMs });
        response.write(JSON.stringify({ Offset: next, Data: Buffer.from(text).toString('base64'), File: file }));
        position = next;
      }
      return true;
    };
    flush();
    if (url.searchParams.get('follow') !== 'true') {
      response.end();
      return;
    }
    const timer = setInterval(() => {
      if (!flush()) response.write('{}');
      if (allocation.ClientStatus !== 'running' && allocation.ClientStatus !== 'pending') {
        clearInterval(timer);
        response.end();
      }
    }, Math.min(lineMs, 1000));
    request.socket.once('close', () => clearInterval(timer));
  }

  /**
   * With ACLs on: the ACL endpoints' answers, and the refusal of a request its token may not make. With them off:
   * the ACL endpoints say so, as Nomad (400) and Consul (401) do. Undefined: the request goes on.
   */
  private aclRefusal(product: 'nomad' | 'consul', method: string, url: URL, request: IncomingMessage): { status: number; body: string } | undefined {
    if (!this.acl) return url.pathname.startsWith('/v1/acl/') ? { status: product === 'nomad' ? 400 : 401, body: 'ACL support disabled' } : undefined;
    const secret = (product === 'nomad' ? request.headers['x-nomad-token'] : request.headers['x-consul-token']) as string | undefined;
    const answer = this.acl.answerAclRequest(product, url.pathname, secret);
    if (answer) return answer;
    const verdict = product === 'nomad' ? this.acl.judgeNomad(method, url, secret) : this.acl.judgeConsul(method, url, secret);
    return verdict.allowed ? undefined : { status: verdict.status, body: verdict.body };
  }

  /** A job as it was at `version` (what an allocation of that version runs), else as it is now. */
  private jobAt(jobId: string, version: number): unknown {
    const versions = (this.rollouts.jobVersions(jobId)?.Versions ?? []) as { Version?: number }[];
    return versions.find((candidate) => candidate.Version === version) ?? this.data.nomad.job(jobId);
  }

  private tokenAccepted(product: DemoProduct, request: IncomingMessage): boolean {
    if (product === 'traefik') return true;
    const expected = this.options.tokens?.[product];
    if (!expected) return true;
    const header = product === 'nomad' ? request.headers['x-nomad-token'] : request.headers['x-consul-token'];
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, '');
    return header === expected || bearer === expected;
  }

  private route(product: DemoProduct, url: URL): Routed {
    switch (product) {
      case 'consul':
        return this.routeConsul(url);
      case 'nomad':
        return this.routeNomad(url);
      case 'traefik':
        return this.routeTraefik(url);
    }
  }

  private routeConsul(url: URL): Routed {
    const headers = { 'X-Consul-Index': String(this.consulIndex), 'X-Consul-KnownLeader': 'true', 'X-Consul-LastContact': '0', 'X-Consul-Default-Acl-Policy': 'allow' };
    const path = url.pathname;
    if (path === '/v1/catalog/services') return json(this.data.consul.catalogServices, headers);
    if (path === '/v1/health/state/any') return json(this.data.consul.healthChecks, headers);
    if (path === '/v1/catalog/nodes') return json(this.data.consul.catalogNodes, headers);
    if (path === '/v1/status/leader') return json(`${this.data.consul.catalogNodes[0]?.Address}:8300`, headers);
    const service = /^\/v1\/health\/service\/([^/]+)$/.exec(path);
    if (service) return json(this.data.consul.serviceHealth(decodeURIComponent(service[1]!)), headers);
    // Consul's Index handler answers unknown paths with an empty 404.
    return { status: 404, body: '' };
  }

  private routeNomad(url: URL): Routed {
    const headers = { 'X-Nomad-Index': String(this.nomadIndex), 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' };
    const namespace = url.searchParams.get('namespace') ?? 'default';
    const inNamespace = <T extends { Namespace?: string }>(items: T[]) => (namespace === '*' ? items : items.filter((item) => (item.Namespace ?? 'default') === namespace));
    switch (url.pathname) {
      case '/v1/jobs':
        return nomadPage(inNamespace(this.data.nomad.jobs), url, (job) => job.ID, headers);
      case '/v1/allocations':
        return nomadPage(inNamespace(this.data.nomad.allocations), url, (alloc) => alloc.ID, headers);
      case '/v1/deployments':
        return nomadPage(inNamespace(this.data.nomad.deployments), url, (deployment) => deployment.ID, headers);
      case '/v1/nodes':
        return nomadPage(this.data.nomad.nodes, url, (node) => node.ID, headers);
      case '/v1/evaluations':
        return nomadPage(inNamespace(this.rollouts.listEvaluations(url.searchParams.get('filter')) as { ID: string; Namespace?: string }[]), url, (evaluation) => evaluation.ID, headers);
    }
    const allocation = /^\/v1\/allocation\/([^/]+)$/.exec(url.pathname);
    if (allocation) {
      const stub = this.data.nomad.allocations.find((candidate) => candidate.ID === decodeURIComponent(allocation[1]!));
      if (!stub) return { status: 404, body: 'alloc not found' };
      const definition = this.data.nomad.job(stub.JobID) as { TaskGroups?: { Name: string; Tasks?: { Name: string }[] | null }[] | null } | undefined;
      const tasks = definition?.TaskGroups?.find((group) => group.Name === stub.TaskGroup)?.Tasks?.map((task) => task.Name) ?? [stub.TaskGroup];
      // Its ports as Nomad allocates them (Shared.Ports: label, host port, host address): where Forward Port goes.
      const ports = this.data.consul.portsOf(stub.ID).map((port) => ({ Label: port.label, Value: port.port, To: 80, HostIP: port.address }));
      return json({ ...stub, Job: this.jobAt(stub.JobID, stub.JobVersion) ?? null, AllocatedResources: { Shared: { Ports: ports, Networks: null }, Tasks: null }, TaskStates: demoTaskStates(stub.ClientStatus, tasks, stub.CreateTime / 1_000_000, this.rollouts.failureOf(stub.ID), this.rollouts.restartedAt(stub.ID), this.rollouts.taskDetailsOf(stub)) }, headers);
    }
    const evaluations = /^\/v1\/job\/([^/]+)\/evaluations$/.exec(url.pathname);
    if (evaluations) {
      const list = this.rollouts.evaluationsOf(decodeURIComponent(evaluations[1]!));
      return list ? json(list, headers) : { status: 404, body: 'job not found' };
    }
    const versions = /^\/v1\/job\/([^/]+)\/versions$/.exec(url.pathname);
    if (versions) {
      const found = this.rollouts.jobVersions(decodeURIComponent(versions[1]!));
      return found ? json(url.searchParams.get('diffs') === 'true' ? found : { ...found, Diffs: null }, headers) : { status: 404, body: 'job versions not found' };
    }
    const scaleStatus = /^\/v1\/job\/([^/]+)\/scale$/.exec(url.pathname);
    if (scaleStatus) {
      const found = this.rollouts.scaleStatus(decodeURIComponent(scaleStatus[1]!));
      return found ? json(found) : { status: 404, body: 'job not found' };
    }
    const stats = /^\/v1\/client\/allocation\/([^/]+)\/stats$/.exec(url.pathname);
    if (stats) {
      const allocation = this.data.nomad.allocations.find((candidate) => candidate.ID === decodeURIComponent(stats[1]!));
      if (!allocation) return { status: 404, body: `Unknown allocation "${decodeURIComponent(stats[1]!)}"` };
      if (allocation.ClientStatus !== 'running') return { status: 500, body: 'alloc not running' };
      return json(demoAllocationStats(allocation.ID, this.rollouts.current(allocation.JobID)?.TaskGroups.find((group) => group.Name === allocation.TaskGroup)?.Tasks.map((task) => task.Name) ?? [allocation.TaskGroup]));
    }
    const deployment = /^\/v1\/deployment\/([^/]+)$/.exec(url.pathname);
    if (deployment) {
      const found = this.data.nomad.deployments.find((candidate) => candidate.ID === decodeURIComponent(deployment[1]!));
      return found ? json(found, headers) : { status: 404, body: 'deployment not found' };
    }
    const files = /^\/v1\/client\/fs\/(ls|stat|cat|readat)\/([^/]+)$/.exec(url.pathname);
    if (files) return this.allocationFiles(files[1]!, decodeURIComponent(files[2]!), url.searchParams);
    // Nomad-native services (`nomadService` in templates): the demo's services are all registered in Consul.
    if (/^\/v1\/service\/[^/]+$/.test(url.pathname)) return json([], headers);
    const job = /^\/v1\/job\/([^/]+)$/.exec(url.pathname);
    if (job) {
      const found = this.data.nomad.job(decodeURIComponent(job[1]!));
      return found && (namespace === '*' || namespace === found.Namespace) ? json(found, headers) : { status: 404, body: 'job not found' };
    }
    return { status: 404, body: `Invalid URL path "${url.pathname}"` };
  }

  /**
   * Nomad's write endpoints for the deploy loop: parse, plan, register (with -check-index), promote, fail,
   * revert. Errors are Nomad's plain-text bodies with its status codes.
   */
  private async routeNomadWrite(method: string, url: URL, body: string): Promise<Routed> {
    const headers = { 'X-Nomad-Index': String(this.nomadIndex) };
    const stopJob = /^\/v1\/job\/([^/]+)$/.exec(url.pathname);
    if (method === 'DELETE' && stopJob) {
      try {
        return json(this.rollouts.stopJob(decodeURIComponent(stopJob[1]!), url.searchParams.get('purge') === 'true'), headers);
      } catch (error) {
        if (error instanceof DemoHttpError) return { status: error.status, body: error.message };
        throw error;
      }
    }
    if (method !== 'POST' && method !== 'PUT') return { status: 405, body: 'Invalid method' };
    const namespace = url.searchParams.get('namespace') || 'default';
    let parsed: Record<string, unknown>;
    try {
      parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch (error) {
      return { status: 400, body: `Failed to decode request body: ${(error as Error).message}` };
    }
    try {
      const path = url.pathname;
      if (path === '/v1/jobs/parse') {
        if (typeof parsed.JobHCL !== 'string') return { status: 400, body: 'Job HCL must be specified' };
        const variables = typeof parsed.Variables === 'string' ? Object.fromEntries([...parsed.Variables.matchAll(/^\s*([\w-]+)\s*=\s*"([^"]*)"\s*$/gm)].map((m) => [m[1]!, m[2]!])) : {};
        const job = await parseDemoJobspec(parsed.JobHCL, variables);
        return json(parsed.Canonicalize ? canonicalize(job, namespace) : job, { ...headers, 'X-Hashistack-Demo': DEMO_PARSER_NOTE });
      }
      const job = parsed.Job as Record<string, unknown> | undefined;
      if (path === '/v1/validate/job') {
        if (!job) return { status: 400, body: 'Job must be specified' };
        return json(validateDemoJob(canonicalize(job, namespace)), headers);
      }
      const plan = /^\/v1\/job\/([^/]+)\/plan$/.exec(path);
      if (plan) {
        if (!job) return { status: 400, body: 'Job must be specified' };
        if (job.ID !== decodeURIComponent(plan[1]!)) return { status: 400, body: 'Job ID does not match' };
        return json(this.rollouts.plan(canonicalize(job, namespace)), headers);
      }
      const register = path === '/v1/jobs' ? '' : /^\/v1\/job\/([^/]+)$/.exec(path)?.[1];
      if (register !== undefined) {
        if (!job) return { status: 400, body: 'Job must be specified' };
        if (register && job.ID !== decodeURIComponent(register)) return { status: 400, body: 'Job ID does not match' };
        const enforce = parsed.EnforceIndex ? { enforceIndex: true, jobModifyIndex: typeof parsed.JobModifyIndex === 'number' ? parsed.JobModifyIndex : undefined } : undefined;
        return json(this.rollouts.register(canonicalize(job, namespace), enforce), headers);
      }
      const promote = /^\/v1\/deployment\/promote\/([^/]+)$/.exec(path);
      if (promote) return json(this.rollouts.promote(decodeURIComponent(promote[1]!), parsed as { DeploymentID?: string }), headers);
      const fail = /^\/v1\/deployment\/fail\/([^/]+)$/.exec(path);
      if (fail) return json(this.rollouts.fail(decodeURIComponent(fail[1]!)), headers);
      const restart = /^\/v1\/client\/allocation\/([^/]+)\/restart$/.exec(path);
      if (restart) return json(this.rollouts.restartAllocation(decodeURIComponent(restart[1]!)), headers);
      const stop = /^\/v1\/allocation\/([^/]+)\/stop$/.exec(path);
      if (stop) return json(this.rollouts.stopAllocation(decodeURIComponent(stop[1]!)), headers);
      const scale = /^\/v1\/job\/([^/]+)\/scale$/.exec(path);
      if (scale) return json(this.rollouts.scale(decodeURIComponent(scale[1]!), parsed as { Count?: number }), headers);
      const force = /^\/v1\/job\/([^/]+)\/periodic\/force$/.exec(path);
      if (force) {
        const found = this.rollouts.current(decodeURIComponent(force[1]!));
        if (!found) return { status: 404, body: 'job not found' };
        return { status: 400, body: 'job is not periodic' };
      }
      const dispatch = /^\/v1\/job\/([^/]+)\/dispatch$/.exec(path);
      if (dispatch) {
        const found = this.rollouts.current(decodeURIComponent(dispatch[1]!));
        if (!found) return { status: 404, body: 'job not found' };
        return { status: 400, body: 'Specified job is not a parameterized job' };
      }
      const revert = /^\/v1\/job\/([^/]+)\/revert$/.exec(path);
      if (revert) return json(this.rollouts.revert(decodeURIComponent(revert[1]!), parsed as { JobID?: string }), headers);
      return { status: 404, body: `Invalid URL path "${path}"` };
    } catch (error) {
      if (error instanceof DemoParseError) return { status: 400, body: error.message };
      if (error instanceof DemoHttpError) return { status: error.status, body: error.message };
      throw error;
    }
  }

  /**
   * `GET /v1/client/fs/{ls,stat,cat,readat}/:alloc?path=`: the allocation's directory (demoAllocationFiles.ts),
   * its templates rendered from the demo's variables and keys as they are now (consul-template re-renders on
   * every change). Nomad's own words for what is not there.
   */
  private allocationFiles(operation: string, allocationId: string, query: URLSearchParams): Routed {
    const allocation = this.data.nomad.allocations.find((candidate) => candidate.ID === allocationId);
    if (!allocation) return { status: 404, body: 'Unknown allocation' };
    const job = this.data.nomad.job(allocation.JobID) as { TaskGroups?: { Name: string; Tasks?: { Name: string; Templates?: { DestPath: string; EmbeddedTmpl: string }[] | null }[] }[] } | undefined;
    const tasks = (job?.TaskGroups?.find((group) => group.Name === allocation.TaskGroup)?.Tasks ?? []).map((task) => ({ name: task.Name, templates: task.Templates ?? [] }));
    const tree = allocationTree(allocation.ID, tasks, (template) => {
      const rendered = renderTemplate(template, this.renderData(), { namespace: allocation.Namespace });
      return rendered.blockedOn ? undefined : rendered.text;
    });
    const path = (query.get('path') ?? '/').replace(/^\/+|\/+$/g, '');
    const modTime = new Date(allocation.CreateTime / 1_000_000 + 60_000).toISOString();
    const entry = path === '' ? { isDir: true } : tree.get(path);
    if (!entry) return { status: 500, body: `stat ${path}: no such file or directory` };
    if (operation === 'stat') return json(fileInfo(path, entry, modTime), {});
    if (operation === 'ls') {
      if (!entry.isDir) return { status: 500, body: `${path}: not a directory` };
      const prefix = path ? `${path}/` : '';
      const children = [...tree.entries()].filter(([candidate]) => candidate.startsWith(prefix) && !candidate.slice(prefix.length).includes('/')).sort(([a], [b]) => a.localeCompare(b));
      return json(children.map(([candidate, child]) => fileInfo(candidate, child, modTime)), {});
    }
    if (entry.isDir) return { status: 400, body: `file "${path}" is a directory` };
    const content = entry.content!;
    if (operation === 'readat') {
      const offset = Number(query.get('offset') ?? '0');
      const limit = Number(query.get('limit') ?? String(content.length));
      return { status: 200, body: content.subarray(offset, offset + limit), contentType: 'text/plain; charset=utf-8' };
    }
    return { status: 200, body: content, contentType: 'text/plain; charset=utf-8' };
  }

  /** What the demo's templates render from: its configuration data and its Consul services. */
  private renderData(): RenderData {
    const text = (value: Buffer | undefined) => value?.toString('utf8');
    return {
      variable: (namespace, path) => this.configData.variableItems(namespace, path),
      key: (key) => text(this.configData.keyValue(key)),
      keysUnder: (prefix) => this.configData.entriesUnder(prefix).map((entry) => ({ key: entry.key, value: entry.value.toString('utf8') })),
      service: (name, tag) =>
        this.data.consul
          .serviceHealth(name)
          .filter((entry) => entry.Checks.every((check) => check.Status === 'passing') && (!tag || entry.Service.Tags.includes(tag)))
          .map((entry) => ({ Name: entry.Service.Service, ID: entry.Service.ID, Address: entry.Service.Address, Port: entry.Service.Port, Node: entry.Node.Node, Tags: entry.Service.Tags })),
      nomadService: () => [],
    };
  }

  private routeTraefik(url: URL): Routed {
    switch (url.pathname) {
      case '/api/http/routers':
        return traefikPage(this.data.traefik.routers, url);
      case '/api/http/services':
        return traefikPage(this.data.traefik.services, url);
      case '/api/http/middlewares':
        return traefikPage(this.data.traefik.middlewares, url);
      case '/api/entrypoints':
        return traefikPage(this.data.traefik.entryPoints, url);
      case '/api/certificates':
        return traefikPage(this.data.traefik.certificates, url);
      case '/api/version':
        return json({ Version: '3.5.3', Codename: 'chabichou', startDate: '2026-11-01T12:00:00Z' });
    }
    return { status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };
  }
}

interface Routed {
  status: number;
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * `/v1/validate/job` for the demo: a few of Nomad's own checks, with its multierror wording, answered as a
 * 200 that lists what is wrong (the shape of the recorded validate-job.json).
 */
function validateDemoJob(job: DemoJob): Record<string, unknown> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const multi = (items: string[]) => `${items.length} error(s) occurred:\n\n${items.map((item) => `* ${item}`).join('\n')}`;
  if (job.TaskGroups.length === 0) errors.push('Missing job task groups');
  for (const group of job.TaskGroups) {
    const groupErrors: string[] = [];
    if (group.Count < 0) groupErrors.push("Task group count can't be negative");
    if (group.Tasks.length === 0) groupErrors.push(`Missing tasks for task group ${group.Name}`);
    for (const task of group.Tasks) {
      const taskErrors: string[] = [];
      if (!task.Driver) taskErrors.push('Missing task driver');
      const resources = (task.Resources ?? {}) as { CPU?: number | null; MemoryMB?: number | null };
      if (typeof resources.CPU === 'number' && resources.CPU < 1) taskErrors.push(multi([`minimum CPU value is 1; got ${resources.CPU}`]));
      if (typeof resources.MemoryMB === 'number' && resources.MemoryMB < 10) taskErrors.push(multi([`minimum MemoryMB value is 10; got ${resources.MemoryMB}`]));
      if (taskErrors.length) groupErrors.push(`Task ${task.Name} validation failed: ${multi(taskErrors)}`);
    }
    if (groupErrors.length) errors.push(`Task group ${group.Name} validation failed: ${multi(groupErrors)}`);
    const parallel = group.Update?.MaxParallel ?? 0;
    if (parallel > group.Count && group.Count > 0) warnings.push(`Group "${group.Name}" has warnings: ${multi([`Update max parallel count is greater than task group count (${parallel} > ${group.Count}). A destructive change would result in the simultaneous replacement of all allocations.`])}`);
  }
  return {
    DriverConfigValidated: true,
    ValidationErrors: errors.length ? errors : null,
    Warnings: warnings.length ? `${warnings.length} warning(s):\n\n${warnings.map((warning) => `* ${warning}`).join('\n')}` : '',
    Error: errors.length ? multi(errors) : '',
  };
}

/** Every demo log line is this long (with its newline), so offsets and lines convert exactly. */
const DEMO_LOG_LINE_BYTES = 64;
/** What a log holds before the demo starts. */
const DEMO_LOG_BACKLOG_LINES = 300;
/** Nomad's frames hold up to 64 KiB of data. */
const DEMO_LOG_FRAME_BYTES = 64 * 1024;

/**
 * Lines [from, to) of a task's log: access lines on stdout, warnings on stderr, each 64 bytes. Like a real
 * service's, a line starts with the time it was written (RFC 3339, as Go and Traefik write it) and does not
 * name its allocation: the backlog's lines were written before the demo started, a line each `lineMs`, and
 * each allocation writes at its own moment within that period.
 */
function demoLogText(allocationId: string, type: string, from: number, to: number, clock: { started: number; lineMs: number }): string {
  const lines: string[] = [];
  const phase = (parseInt(allocationId.slice(0, 6), 16) || 0) % clock.lineMs;
  for (let line = from; line < to; line++) {
    const written = new Date(clock.started + (line - DEMO_LOG_BACKLOG_LINES + 1) * clock.lineMs - phase).toISOString();
    const text = type === 'stdout' ? `${written} GET /health 200 ${(line * 7) % 90 + 3}ms #${line}` : `${written} warn: slow upstream #${line}`;
    lines.push(`${text.slice(0, DEMO_LOG_LINE_BYTES - 1).padEnd(DEMO_LOG_LINE_BYTES - 1)}\n`);
  }
  return lines.join('');
}

/** Usage in the shape of the recorded client-allocation-stats.json, steady per allocation, moving a little per read. */
function demoAllocationStats(allocationId: string, tasks: string[]): Record<string, unknown> {
  const seed = parseInt(allocationId.slice(0, 6), 16) || 1;
  const now = Date.now();
  const usage = (share: number) => ({
    CpuStats: { Measured: ['Throttled Periods', 'Throttled Time', 'Percent'], Percent: ((seed % 40) / 10 + (now % 7) / 10) * share, SystemMode: 0, ThrottledPeriods: 0, ThrottledTime: 0, TotalTicks: ((seed % 30) + (now % 5)) * share, UserMode: 0 },
    MemoryStats: { Cache: 1_744_896, KernelMaxUsage: 0, KernelUsage: 0, MaxUsage: 24_000_000 * share, Measured: ['RSS', 'Cache', 'Swap', 'Max Usage'], RSS: (8_000_000 + (seed % 8) * 1_000_000) * share, Swap: 0 },
  });
  return { ResourceUsage: usage(tasks.length), Tasks: Object.fromEntries(tasks.map((task) => [task, { Pids: null, ResourceUsage: usage(1), Timestamp: now * 1_000_000 }])), Timestamp: now * 1_000_000 };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        request.destroy();
        reject(new Error('request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function json(value: unknown, headers: Record<string, string> = {}): Routed {
  return { status: 200, body: JSON.stringify(value), headers };
}

function send(response: ServerResponse, status: number, body: string | Buffer, contentType: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  response.end(body);
}

/** Nomad's paging: `per_page`, and `next_token` = the key of the first item of the next page. */
function nomadPage<T>(items: T[], url: URL, key: (item: T) => string, headers: Record<string, string>): Routed {
  const perPage = Number(url.searchParams.get('per_page') ?? '0');
  const nextToken = url.searchParams.get('next_token');
  let start = 0;
  if (nextToken) {
    start = items.findIndex((item) => key(item) === nextToken);
    if (start < 0) start = items.length;
  }
  if (!perPage || perPage <= 0) {
    return json(items.slice(start), headers);
  }
  const page = items.slice(start, start + perPage);
  const next = items[start + perPage];
  // Go's header canonicalisation spells it X-Nomad-Nexttoken on the wire.
  return json(page, next ? { ...headers, 'X-Nomad-Nexttoken': key(next) } : headers);
}

/** Traefik's paging: `page` (1-based) and `per_page` (default 100); `X-Next-Page` is 1 on the last page. */
function traefikPage<T>(items: T[], url: URL): Routed {
  const page = Number(url.searchParams.get('page') ?? '1') || 1;
  const perPage = Number(url.searchParams.get('per_page') ?? '100') || 100;
  const start = (page - 1) * perPage;
  if (start > 0 && start >= items.length) {
    return { status: 400, body: `${JSON.stringify({ message: `invalid request: page: ${page}, per_page: ${perPage}` })}\n`, contentType: 'text/plain; charset=utf-8', headers: { 'X-Content-Type-Options': 'nosniff' } };
  }
  const end = start + perPage;
  return json(items.slice(start, end), { 'X-Next-Page': String(end < items.length ? page + 1 : 1) });
}
