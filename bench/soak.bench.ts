// `npm run bench:soak`: the cluster store over time. A living demo cluster at 10 Nomad events a second, behind
// a proxy that cuts connections idle for 60 s (an AWS ALB's default), with its faults on a timeline:
// allocations garbage-collected, Nomad restarted, Nomad restored from a snapshot (lower indexes), the profile
// switched away and back; a log tail open throughout. Every 10 s the store's rows are compared with the demo's
// truth. Reported: ghost and missing rows once a fault has had its settling time (target 0), requests a
// minute by kind, the heap at start and end (target: within 5 MiB), and stale flips (target: only while Nomad
// is down). `--minutes 3 --check` is the form `npm test` runs: it exits 1 when a target is missed.
import { createServer, Server, Socket } from 'node:net';
import { DemoCluster } from '../demo/demoCluster';
import { createClusterClients } from '../src/core/explorer/clusterClients';
import { LogTail } from '../src/core/live/logTail';
import { LogRing } from '../src/core/nomad/logFrames';
import { environmentProfile } from '../src/core/profiles/clusterProfile';
import { ClusterStore } from '../src/core/store/clusterStore';
import { SectionMode } from '../src/core/store/liveSection';
import { nomadSectionNodes } from '../src/core/tree/nomad/nomadProperties';
import { ExplorerNode, childrenOf } from '../src/core/tree/explorerNode';

declare const gc: (() => void) | undefined;

/** The load: Nomad events a second, each a restart of an allocation of one of these jobs. */
const EVENTS_PER_SECOND = 10;
const BUSY_JOBS = ['whoami', 'launcher'];
/** The proxy closes a connection that has carried no byte for this long (AWS ALB's default idle timeout). */
const PROXY_IDLE_CUT_MS = 60_000;
/** How often the rows are compared with the demo's truth. */
const SAMPLE_MS = 10_000;
/** How long Nomad stays down when it is restarted. */
const RESTART_DOWN_MS = 5_000;
/** The heap may grow this much from start to end (after a collection) and still count as flat. */
const HEAP_TARGET_MIB = 5;

interface SoakOptions {
  minutes: number;
  /** Seconds after a fault before its rows must agree with the truth (60 s for the 30-minute run). */
  settleSeconds: number;
  log: (line: string) => void;
}

export interface SoakReport {
  minutes: number;
  samples: number;
  judged: number;
  ghostRows: number;
  missingRows: number;
  requestsPerMinute: Record<'long poll' | 'stream' | 'list' | 'other', number>;
  heapStartMiB: number;
  heapEndMiB: number;
  staleFlips: { at: number; section: string; duringRestart: boolean }[];
  logLines: number;
  longestLogGapSeconds: number;
  /** Connections the proxies cut for being idle (each a held query sent again, not an outage). */
  proxyCuts: number;
  problems: string[];
}

/** A TCP proxy that closes connections idle (no byte either way) for `idleMs`, as a load balancer does. */
class IdleCuttingProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  cuts = 0;

  constructor(private readonly target: () => { host: string; port: number }, private readonly idleMs: number) {
    this.server = createServer((client) => {
      const { host, port } = this.target();
      const upstream = new Socket();
      this.sockets.add(client).add(upstream);
      let idle: NodeJS.Timeout | undefined;
      const touch = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          this.cuts++;
          client.destroy();
          upstream.destroy();
        }, this.idleMs);
      };
      const end = () => {
        clearTimeout(idle);
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (chunk) => {
        touch();
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        touch();
        client.write(chunk);
      });
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
      upstream.connect(port, host, touch);
    });
  }

  listen(): Promise<string> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(this.server.address() as { port: number }).port}`)));
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function requestKind(path: string, query: URLSearchParams): 'long poll' | 'stream' | 'list' | 'other' {
  if (path === '/v1/event/stream' || path.startsWith('/v1/client/fs/logs/')) return 'stream';
  if (query.has('index')) return 'long poll';
  if (['/v1/jobs', '/v1/allocations', '/v1/deployments', '/v1/nodes', '/v1/evaluations', '/v1/catalog/services', '/v1/health/state/any', '/v1/catalog/nodes'].includes(path) || path.startsWith('/api/')) return 'list';
  return 'other';
}

/** Every job and allocation row of the Nomad view, as ids. */
function treeIds(nodes: readonly ExplorerNode[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    const kind = node.contextValue?.split(' ')[0];
    if (kind === 'nomadJob' && node.copy?.id) into.add(`job ${node.copy.id}`);
    if (kind === 'nomadAllocation' && node.copy?.id) into.add(`allocation ${node.copy.id}`);
    const children = node.children ?? (node.computeChildren ? childrenOf(node) : undefined);
    if (children) treeIds(children, into);
  }
  return into;
}

const heapMiB = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const durationMs = options.minutes * 60_000;
  const demo = await DemoCluster.start({ logLineMs: 1000 });
  // Nomad and Consul each behind a proxy that cuts idle connections (Consul's held queries sit idle the longest).
  const behindProxy = async (product: 'nomad' | 'consul') => {
    const target = new URL(demo.address(product));
    const proxy = new IdleCuttingProxy(() => ({ host: target.hostname, port: Number(target.port) }), PROXY_IDLE_CUT_MS);
    return { proxy, address: await proxy.listen() };
  };
  const nomadProxy = await behindProxy('nomad');
  const consulProxy = await behindProxy('consul');
  const proxy = { get cuts() { return nomadProxy.proxy.cuts + consulProxy.proxy.cuts; }, close: () => Promise.all([nomadProxy.proxy.close(), consulProxy.proxy.close()]) };
  const profile = environmentProfile({ ...demo.environment(), NOMAD_ADDR: nomadProxy.address, CONSUL_HTTP_ADDR: consulProxy.address });
  const settings = () => ({ live: true, fallbackPollSeconds: 0, traefikPollSeconds: 5 });
  const logged: string[] = [];
  const makeStore = () => new ClusterStore({ clients: createClusterClients(profile, { tokens: {}, timeoutMs: 10_000 }), settings, log: (line) => logged.push(line) });
  const report: SoakReport = { minutes: options.minutes, samples: 0, judged: 0, ghostRows: 0, missingRows: 0, requestsPerMinute: { 'long poll': 0, stream: 0, list: 0, other: 0 }, heapStartMiB: 0, heapEndMiB: 0, staleFlips: [], logLines: 0, longestLogGapSeconds: 0, proxyCuts: 0, problems: [] };
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const counts = { 'long poll': 0, stream: 0, list: 0, other: 0 };
  const faults: { at: number; until: number; name: string }[] = [];
  let restart: { from: number; to: number } | undefined;

  let store = makeStore();
  let demand = store.need(['consul', 'nomad', 'traefik']);
  const watchFlips = (watched: ClusterStore) => {
    const last = new Map<string, SectionMode>();
    return watched.onDidChange((change) => {
      const mode = watched.state(change.section)?.mode;
      if (!mode) return;
      if (mode === 'failed' && last.get(change.section) !== 'failed') {
        const at = elapsed();
        report.staleFlips.push({ at, section: change.section, duringRestart: Boolean(restart && at >= restart.from && at <= restart.to) });
      }
      last.set(change.section, mode);
    });
  };
  let flips = watchFlips(store);
  const until = async (condition: () => boolean, what: string, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`soak: not within ${ms / 1000} s: ${what}`);
      await sleep(50);
    }
  };
  await until(() => store.nomad.state.mode === 'live' && store.consul.state.mode === 'live', 'the store live');

  // A log tail open throughout, on an allocation the load leaves alone.
  const ring = new LogRing(100_000);
  let lastLogLine = Date.now();
  const openTail = () => {
    const allocation = demo.scenario.nomad.allocations.find((candidate) => candidate.JobID === 'traefik' && candidate.ClientStatus === 'running')!;
    const tail = new LogTail(store.nomad.api, {
      allocationId: allocation.ID,
      task: 'traefik',
      type: 'stdout',
      onData: (data) => {
        ring.append(data);
        const now = Date.now();
        if (!(restart && elapsed() <= restart.to + 15)) report.longestLogGapSeconds = Math.max(report.longestLogGapSeconds, (now - lastLogLine) / 1000);
        lastLogLine = now;
      },
      onNote: (note) => logged.push(`log: ${note}`),
    });
    void tail.start();
    return tail;
  };
  let tail = openTail();

  // The load: 10 events a second for the whole run.
  let stopLoad = false;
  const load = (async () => {
    for (let n = 0; !stopLoad; n++) {
      const tick = Date.now();
      await demo.applyChange({ kind: 'restartAllocation', job: BUSY_JOBS[n % BUSY_JOBS.length]! }).catch(() => undefined);
      await sleep(Math.max(0, 1000 / EVENTS_PER_SECOND - (Date.now() - tick)));
    }
  })();

  // The faults, spread over the run.
  const timeline: { at: number; name: string; run: () => Promise<void> }[] = [
    {
      at: 0.05,
      name: 'allocations garbage-collected',
      run: async () => {
        await demo.applyChange({ kind: 'failAllocation', job: 'launcher' }).catch(() => undefined);
        await sleep(2_000);
        await demo.applyChange({ kind: 'collectGarbage' });
      },
    },
    {
      at: 0.28,
      name: 'Nomad restarted',
      run: async () => {
        restart = { from: elapsed(), to: elapsed() + RESTART_DOWN_MS / 1000 + 30 };
        await demo.setFault('nomad', { kind: 'refused' });
        await sleep(RESTART_DOWN_MS);
        await demo.setFault('nomad', undefined);
      },
    },
    { at: 0.51, name: 'Nomad restored with lower indexes', run: async () => demo.restoreNomad(demo.currentNomadIndex - 500) },
    {
      at: 0.74,
      name: 'profile switched away and back',
      run: async () => {
        tail.stop();
        flips.dispose();
        demand.dispose();
        store.dispose();
        await sleep(2_000);
        store = makeStore();
        flips = watchFlips(store);
        demand = store.need(['consul', 'nomad', 'traefik']);
        tail = openTail();
      },
    },
  ];
  let next = 0;
  let nextSample = SAMPLE_MS;
  let heapTaken = false;
  try {
    while (Date.now() - started < durationMs) {
      await sleep(250);
      const now = Date.now() - started;
      if (!heapTaken && now >= 5_000) {
        heapTaken = true;
        report.heapStartMiB = heapMiB();
      }
      if (now >= nextSample) {
        nextSample += SAMPLE_MS;
        report.samples++;
        for (const request of demo.requests) counts[requestKind(request.path, request.query)]++;
        demo.resetRequests();
        const data = store.nomad.state.data;
        if (data) {
          const shown = treeIds(nomadSectionNodes(data, { ui: { nomad: '', consul: '' }, now: Date.now() }));
          const truth = new Set([...demo.scenario.nomad.jobs.map((job) => `job ${job.ID}`), ...demo.scenario.nomad.allocations.map((allocation) => `allocation ${allocation.ID}`)]);
          const ghosts = [...shown].filter((id) => !truth.has(id));
          const missing = [...truth].filter((id) => !shown.has(id));
          const settledSince = faults.length ? elapsed() - faults.at(-1)!.until : Infinity;
          const judged = settledSince >= options.settleSeconds;
          if (judged) {
            report.judged++;
            report.ghostRows += ghosts.length;
            report.missingRows += missing.length;
            if (ghosts.length || missing.length) report.problems.push(`${elapsed().toFixed(0)} s: ${ghosts.length} ghost rows (${ghosts.slice(0, 3).join(', ')}), ${missing.length} missing (${missing.slice(0, 3).join(', ')})`);
          }
          options.log(`${elapsed().toFixed(0).padStart(5)} s  rows ${shown.size}, truth ${truth.size}, ghosts ${ghosts.length}, missing ${missing.length}${judged ? '' : ' (settling)'} · Nomad ${store.nomad.state.mode} (${store.nomad.state.source ?? '-'}) · log lines ${ring.size + ring.dropped} · proxy cuts ${proxy.cuts}`);
        }
      }
      // After the sample that falls at the same time: each fault's window then ends with a judged sample.
      if (next < timeline.length && now >= timeline[next]!.at * durationMs) {
        const fault = timeline[next++]!;
        const at = elapsed();
        options.log(`${at.toFixed(0).padStart(5)} s  fault: ${fault.name}`);
        await fault.run();
        faults.push({ at, until: elapsed(), name: fault.name });
      }
    }
  } finally {
    stopLoad = true;
    await load;
    tail.stop();
    report.logLines = ring.size + ring.dropped;
    flips.dispose();
    demand.dispose();
    store.dispose();
    await proxy.close();
    await demo.close();
  }
  report.heapEndMiB = heapMiB();
  report.proxyCuts = proxy.cuts;
  for (const kind of Object.keys(counts) as (keyof typeof counts)[]) report.requestsPerMinute[kind] = Math.round((counts[kind] / (durationMs / 60_000)) * 10) / 10;
  if (report.ghostRows + report.missingRows > 0) report.problems.unshift(`${report.ghostRows} ghost and ${report.missingRows} missing rows after settling (target 0)`);
  if (report.judged === 0) report.problems.push('no sample was judged (every one fell in a settling window)');
  if (report.heapEndMiB - report.heapStartMiB > HEAP_TARGET_MIB) report.problems.push(`the heap grew ${(report.heapEndMiB - report.heapStartMiB).toFixed(1)} MiB (target: within ${HEAP_TARGET_MIB})`);
  const outside = report.staleFlips.filter((flip) => !flip.duringRestart);
  if (outside.length) report.problems.push(`stale flips outside the restart: ${outside.map((flip) => `${flip.section} at ${flip.at.toFixed(0)} s`).join(', ')}`);
  if (report.longestLogGapSeconds > 5) report.problems.push(`the log tail went ${report.longestLogGapSeconds.toFixed(1)} s without a line outside the restart (lines come every second)`);
  options.log(`store log (${logged.length} lines):\n  ${logged.slice(-30).join('\n  ')}`);
  return report;
}

async function main(): Promise<void> {
  const argument = (name: string) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const minutes = Number(argument('--minutes') ?? '30');
  const check = process.argv.includes('--check');
  const settleSeconds = Number(argument('--settle') ?? (minutes >= 10 ? '60' : '30'));
  if (typeof gc !== 'function') console.log('(run with node --expose-gc for exact heap figures)');
  console.log(`Soak: ${minutes} min, ${EVENTS_PER_SECOND} events/s, a proxy that cuts connections idle for ${PROXY_IDLE_CUT_MS / 1000} s, rows compared every ${SAMPLE_MS / 1000} s, judged ${settleSeconds} s after a fault`);
  const report = await runSoak({ minutes, settleSeconds, log: (line) => console.log(line) });
  console.log('\nSoak report');
  console.log(`  rows judged in ${report.judged} of ${report.samples} samples: ${report.ghostRows} ghost, ${report.missingRows} missing (target 0)`);
  console.log(`  requests a minute: long poll ${report.requestsPerMinute['long poll']}, stream ${report.requestsPerMinute.stream}, list ${report.requestsPerMinute.list}, other ${report.requestsPerMinute.other}`);
  console.log(`  heap: ${report.heapStartMiB.toFixed(1)} MiB at start, ${report.heapEndMiB.toFixed(1)} MiB at the end (target: within ${HEAP_TARGET_MIB} MiB)`);
  console.log(`  stale flips: ${report.staleFlips.length ? report.staleFlips.map((flip) => `${flip.section} at ${flip.at.toFixed(0)} s${flip.duringRestart ? ' (Nomad restart)' : ''}`).join(', ') : 'none'}`);
  console.log(`  log tail: ${report.logLines} lines, longest gap outside the restart ${report.longestLogGapSeconds.toFixed(1)} s`);
  console.log(`  idle connections cut by the proxies: ${report.proxyCuts} (each held query sent again with its index; none made a section stale)`);
  if (report.problems.length) console.log(`  missed: ${report.problems.join('; ')}`);
  else console.log('  every target met');
  if (check) {
    // The closing line a test runner reads.
    console.log(`soak: ${report.problems.length ? '0 passed, 1 failed' : '1 passed, 0 failed'}`);
    process.exitCode = report.problems.length ? 1 : 0;
  }
}

if (require.main === module) {
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
