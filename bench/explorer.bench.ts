// `npm run bench`: the explorer on a large demo cluster (2,000 services × 3 instances, 500 jobs with
// 10,000 allocations, 1,000 routers), served by a separate process. For each section it reports
// requests per refresh, the time from the last byte received to the tree rows being ready, the whole
// refresh, and peak heap — next to the bare cost of fetch + JSON.parse of the same bytes in this run.
import { startScaledDemo } from './demoProcess';
import { createClusterClients } from '../src/core/explorer/clusterClients';
import { loadConsulSection, loadNomadSection, loadTraefikSection } from '../test/support/sectionReads';
import { environmentProfile } from '../src/core/profiles/clusterProfile';
import { TRAEFIK_EXPLORER_PAGE_SIZE } from '../src/core/traefik/traefikClient';

const RUNS = 9;
const UI = { consul: 'http://127.0.0.1:8500', nomad: 'http://127.0.0.1:4646' };

declare const gc: (() => void) | undefined;

interface Measure {
  totalMs: number;
  afterLastByteMs: number;
  peakHeapMb: number;
  requests: number;
  bytes: number;
}


/** Samples heap use every 2 ms while `work` runs; returns its peak above the starting heap. */
async function withPeakHeap<T>(work: () => Promise<T>): Promise<{ value: T; peakHeapMb: number }> {
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, peakHeapMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** A fetch that counts requests and bytes and notes when the last body finished arriving. */
function instrumentedFetch() {
  const state = { requests: 0, bytes: 0, lastByteAt: 0 };
  const wrapped: typeof fetch = async (input, init) => {
    state.requests++;
    const response = await fetch(input, init);
    if (!response.body) return response;
    // Count the bytes and note when the last one arrived, as the client reads them (it reads the stream).
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          state.bytes += chunk.byteLength;
          state.lastByteAt = Math.max(state.lastByteAt, performance.now());
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return { state, wrapped };
}

async function measureExtension(load: (fetchImpl: typeof fetch) => Promise<unknown>): Promise<Measure> {
  const { state, wrapped } = instrumentedFetch();
  const started = performance.now();
  const { peakHeapMb } = await withPeakHeap(() => load(wrapped));
  const done = performance.now();
  return { totalMs: done - started, afterLastByteMs: done - state.lastByteAt, peakHeapMb, requests: state.requests, bytes: state.bytes };
}

async function measureBare(urls: string[]): Promise<Measure> {
  let lastByteAt = 0;
  let bytes = 0;
  const started = performance.now();
  let parsedAt = 0;
  const counting = instrumentedFetch();
  const { peakHeapMb } = await withPeakHeap(async () => {
    const bodies = await Promise.all(
      urls.map(async (url) => {
        // Through the same counting stream as the extension's requests, so both pay the same to be measured.
        const text = await (await counting.wrapped(url)).text();
        lastByteAt = Math.max(lastByteAt, counting.state.lastByteAt);
        bytes = counting.state.bytes;
        return text;
      }),
    );
    const parsed = bodies.map((body) => JSON.parse(body) as unknown);
    parsedAt = performance.now();
    return parsed;
  });
  return { totalMs: parsedAt - started, afterLastByteMs: parsedAt - lastByteAt, peakHeapMb, requests: urls.length, bytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function summarize(measures: Measure[]): Measure {
  return {
    totalMs: median(measures.map((m) => m.totalMs)),
    afterLastByteMs: median(measures.map((m) => m.afterLastByteMs)),
    peakHeapMb: median(measures.map((m) => m.peakHeapMb)),
    requests: measures[0]!.requests,
    bytes: measures[0]!.bytes,
  };
}

async function main(): Promise<void> {
  if (typeof gc !== 'function') {
    console.warn('Run with node --expose-gc for steady heap figures (npm run bench does).');
  }
  const { child, env } = await startScaledDemo();
  try {
    const profile = environmentProfile(env);
    const clients = (fetchImpl: typeof fetch) => createClusterClients(profile, { tokens: {}, timeoutMs: 120_000, fetchImpl });
    const n = profile.nomad.address;
    const t = profile.traefik.address;
    const c = profile.consul.address;
    const sections = [
      {
        name: 'Consul',
        load: (f: typeof fetch) => loadConsulSection(clients(f).consul, UI),
        urls: [`${c}/v1/catalog/services`, `${c}/v1/health/state/any`, `${c}/v1/catalog/nodes`],
      },
      {
        name: 'Nomad',
        load: (f: typeof fetch) => loadNomadSection(clients(f).nomad, UI),
        urls: [`${n}/v1/jobs?namespace=default`, `${n}/v1/allocations?namespace=default&task_states=false`, `${n}/v1/deployments?namespace=default`, `${n}/v1/nodes`],
      },
      {
        name: 'Traefik',
        load: (f: typeof fetch) => loadTraefikSection(clients(f).traefik),
        urls: ['/api/http/routers', '/api/http/services', '/api/http/middlewares', '/api/entrypoints'].map((p) => `${t}${p}?per_page=${TRAEFIK_EXPLORER_PAGE_SIZE}`),
      },
    ];
    console.log(`Explorer benchmark: 2,000 services × 3 instances, 500 jobs / 10,000 allocations, 1,000 routers; median of ${RUNS} runs (after 2 warm-ups).\n`);
    const header = ['section', 'requests', 'KiB', 'bare fetch+parse ms', 'extension ms', 'ratio', 'after last byte: bare ms', 'extension ms', 'peak heap: bare MiB', 'extension MiB'];
    const rows: string[][] = [];
    let worstRatio = 0;
    for (const section of sections) {
      for (let warm = 0; warm < 2; warm++) {
        await measureBare(section.urls);
        await measureExtension(section.load);
      }
      const bare: Measure[] = [];
      const extension: Measure[] = [];
      for (let run = 0; run < RUNS; run++) {
        bare.push(await measureBare(section.urls));
        extension.push(await measureExtension(section.load));
      }
      const b = summarize(bare);
      const e = summarize(extension);
      const ratio = e.totalMs / b.totalMs;
      worstRatio = Math.max(worstRatio, ratio);
      rows.push([section.name, String(e.requests), (e.bytes / 1024).toFixed(0), b.totalMs.toFixed(1), e.totalMs.toFixed(1), `${ratio.toFixed(2)}×`, b.afterLastByteMs.toFixed(1), e.afterLastByteMs.toFixed(1), b.peakHeapMb.toFixed(1), e.peakHeapMb.toFixed(1)]);
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(line(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    rows.forEach((row) => console.log(line(row)));
    console.log(`\nTarget: requests per refresh independent of size (3 / 4 / 4); extension at most 1.3× bare fetch+parse. Worst ratio: ${worstRatio.toFixed(2)}×.`);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
