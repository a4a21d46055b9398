// `npm run bench` (live part): the cluster store on the large demo cluster (2,000 services × 3, 500 jobs with
// 10,000 allocations, 1,000 routers), served by a separate process whose control port makes the changes.
// It reports change → tree ready (median, p95) at 100 Nomad events a second, CPU per event batch, the
// requests made during 60 s of idle with every section watched, and the heap after 100,000 events.
import { startScaledDemo } from './demoProcess';
import { createClusterClients } from '../src/core/explorer/clusterClients';
import { environmentProfile } from '../src/core/profiles/clusterProfile';
import { ClusterStore } from '../src/core/store/clusterStore';
import { NomadEvent } from '../src/core/nomad/nomadEvents';
import { nomadSectionNodes } from '../src/core/tree/nomad/nomadProperties';
import { reconcileNodes } from '../src/core/tree/reconcile';
import { RENDER_COALESCE_MS } from '../src/core/tree/renderPolicy';
import { ExplorerNode } from '../src/core/tree/explorerNode';
import { buildScenario } from '../demo/scenario';

declare const gc: (() => void) | undefined;

const EVENTS_PER_SECOND = 100;
const LOAD_SECONDS = 10;
const IDLE_SECONDS = 60;
const HEAP_EVENTS = 100_000;
/** The heap run applies its events in batches of this many (a busy cluster's stream batches them too). */
const HEAP_BATCH = 100;
const UI = { consul: 'http://127.0.0.1:8500', nomad: 'http://127.0.0.1:4646' };


const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

async function main(): Promise<void> {
  const { child, env } = await startScaledDemo();
  const control = env.HASHISTACK_DEMO_CONTROL!;
  const requests = { all: 0, traefik: 0 };
  const counting: typeof fetch = (input, init) => {
    requests.all++;
    if (String(input).startsWith(env.HASHISTACK_TRAEFIK_ADDR!)) requests.traefik++;
    return fetch(input, init);
  };
  const profile = environmentProfile(env);
  const clients = createClusterClients(profile, { tokens: {}, timeoutMs: 30_000, fetchImpl: counting });
  const store = new ClusterStore({ clients, settings: () => ({ live: true, fallbackPollSeconds: 0, traefikPollSeconds: 5 }) });
  try {
    // The tree as the Nomad view keeps it: rebuilt from the store at most every RENDER_COALESCE_MS (as the
    // explorer does), folded into the rows shown. The reducer is timed where the store applies a batch.
    let rows: ExplorerNode[] = [];
    let treeReadyAt = 0;
    let renderTimer: NodeJS.Timeout | undefined;
    const renderMs: number[] = [];
    const reducerMs: number[] = [];
    let reducedEvents = 0;
    const nomad = store.nomad as unknown as { applyEvents(events: readonly NomadEvent[]): void };
    const applyEvents = nomad.applyEvents.bind(store.nomad);
    nomad.applyEvents = (events) => {
      const started = performance.now();
      applyEvents(events);
      reducerMs.push(performance.now() - started);
      reducedEvents += events.length;
    };
    store.onDidChange((change) => {
      if (change.section !== 'nomad' || change.kind !== 'data' || renderTimer) return;
      renderTimer = setTimeout(() => {
        renderTimer = undefined;
        const started = performance.now();
        rows = reconcileNodes(rows, nomadSectionNodes(store.nomad.state.data!, { ui: UI, now: Date.now() })).nodes;
        treeReadyAt = performance.now();
        renderMs.push(treeReadyAt - started);
      }, RENDER_COALESCE_MS);
    });
    store.need(['consul', 'nomad', 'traefik']);
    while (store.nomad.state.mode !== 'live' || store.consul.state.mode !== 'live') await new Promise((resolve) => setTimeout(resolve, 50));
    const jobs = store.nomad.state.data!.jobs.filter((job) => job.ID.startsWith('job-')).map((job) => job.ID);

    // 1. Change → tree ready at 100 events a second.
    const latencies: number[] = [];
    for (let n = 0; n < EVENTS_PER_SECOND * LOAD_SECONDS; n++) {
      const tickStart = performance.now();
      const readyBefore = treeReadyAt;
      await fetch(`${control}/changes`, { method: 'POST', body: JSON.stringify({ kind: 'restartAllocation', job: jobs[n % jobs.length] }) });
      // Every tenth change is timed from its request to the tree; the others keep the rate up.
      if (n % 10 === 0) {
        while (treeReadyAt === readyBefore) await new Promise((resolve) => setImmediate(resolve));
        latencies.push(treeReadyAt - tickStart);
      }
      const rest = 1000 / EVENTS_PER_SECOND - (performance.now() - tickStart);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    console.log(`change → tree ready at ${EVENTS_PER_SECOND} events/s (${latencies.length} timed, 10,000 allocations, rows redrawn at most every ${RENDER_COALESCE_MS} ms): median ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms`);
    console.log(`applying event batches (reducer): ${(sum(reducerMs) / reducedEvents).toFixed(3)} ms per event, p95 ${percentile(reducerMs, 95).toFixed(2)} ms per batch (${reducerMs.length} batches)`);
    console.log(`rebuilding the Nomad rows (10,000 allocations) and folding them in: median ${percentile(renderMs, 50).toFixed(1)} ms, ${renderMs.length} times in ${LOAD_SECONDS} s`);

    // 2. Idle: only the held long-polls.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleStart = { ...requests };
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const traefik = requests.traefik - idleStart.traefik;
    console.log(`requests during ${IDLE_SECONDS} s idle, every section watched: Traefik polls ${traefik}, everything else ${requests.all - idleStart.all - traefik} (Nomad's stream and Consul's blocking queries stay held)`);
  } finally {
    store.dispose();
    child.kill();
  }

  // 3. Heap after 100,000 events applied to the section (no network: the reducer and the section's bookkeeping).
  const offline = new ClusterStore({ clients: createClusterClients(profile, { tokens: {}, timeoutMs: 1000 }), settings: () => ({ live: false, fallbackPollSeconds: 0, traefikPollSeconds: 5 }) });
  const section = offline.nomad as unknown as { stateValue: { data: unknown }; applyEvents(events: NomadEvent[]): void };
  const scenario = buildScenario({ scale: { services: 2000, instancesPerService: 3, jobs: 500, allocations: 10_000, routers: 1000 } });
  section.stateValue.data = { jobs: scenario.nomad.jobs, allocations: scenario.nomad.allocations, deployments: scenario.nomad.deployments, nodes: scenario.nomad.nodes, namespace: 'default' };
  const allocations = scenario.nomad.allocations;
  const measureHeap = () => {
    gc?.();
    return process.memoryUsage().heapUsed / 1024 / 1024;
  };
  const heaps: number[] = [];
  const started = performance.now();
  for (let n = 0; n < HEAP_EVENTS; n += HEAP_BATCH) {
    const events: NomadEvent[] = [];
    for (let k = n; k < n + HEAP_BATCH; k++) {
      const allocation = allocations[k % allocations.length]!;
      events.push({ Topic: 'Allocation', Type: 'AllocationUpdated', Key: allocation.ID, Namespace: 'default', FilterKeys: null, Index: 10_000 + k, Payload: { Allocation: { ...allocation, ClientStatus: k % 2 ? 'running' : 'pending', ModifyIndex: 10_000 + k } } });
    }
    section.applyEvents(events);
    if (n % 25_000 === 0) heaps.push(measureHeap());
  }
  heaps.push(measureHeap());
  const perEvent = (performance.now() - started) / HEAP_EVENTS;
  console.log(`heap while applying ${HEAP_EVENTS.toLocaleString('en')} events (MiB, every 25,000): ${heaps.map((heap) => heap.toFixed(1)).join(' → ')}; reducer ${perEvent.toFixed(3)} ms per event in batches of ${HEAP_BATCH}`);
  offline.dispose();
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
