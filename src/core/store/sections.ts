// The four sections of the cluster store, each keeping its product's data current in its own way:
// Nomad by its event stream, Consul by blocking queries, Traefik by polling, AWS on request.
import { ConsulClient } from '../consul/consulClient';
import { ConsulServiceEntry } from '../consul/consulApi';
import { AwsCluster, EcsTaskSummary } from '../aws/awsCluster';
import { describeAwsError } from '../aws/awsErrors';
import { AwsPart } from '../profiles/clusterProfile';
import { BlockingWatcher, IndexedResult } from '../live/blockingQuery';
import { NomadEventStream, STREAM_FIRST_LINE_TIMEOUT_MS } from '../live/nomadEventStream';
import { NomadAllocation, NomadJob } from '../nomad/nomadApi';
import { NomadClient, NomadListKind } from '../nomad/nomadClient';
import { applyNomadEvents, NomadEvent } from '../nomad/nomadEvents';
import { TraefikClient } from '../traefik/traefikClient';
import { AwsSectionData } from '../tree/aws/awsProperties';
import { ConsulSectionData } from '../tree/consul/consulProperties';
import { jobKey, NomadSectionData } from '../tree/nomad/nomadProperties';
import { TraefikSectionData } from '../tree/traefik/traefikProperties';
import { Disposable, isForbidden, LiveSection, LiveSectionOptions } from './liveSection';
import { fetchConsulSection, fetchNomadSection, fetchTraefikSection, NOMAD_LISTS } from '../explorer/sectionLoaders';

export interface LiveSettings {
  /** `hashistack.live`: event stream and blocking queries; off, sections load once and on Refresh. */
  live: boolean;
  /** Seconds between two reads when a source cannot be watched (`hashistack.autoRefreshSeconds`); 0: never. */
  fallbackPollSeconds: number;
  /** Seconds between two reads of Traefik, which has no push API. */
  traefikPollSeconds: number;
}

/** Polls with nothing set still poll: a source that cannot be watched must not freeze silently. */
export const DEFAULT_FALLBACK_POLL_SECONDS = 10;
/** Traefik is read this often while a Traefik view or the Launcher is visible. */
export const DEFAULT_TRAEFIK_POLL_SECONDS = 5;

function fallbackSeconds(settings: LiveSettings): number {
  return settings.fallbackPollSeconds > 0 ? settings.fallbackPollSeconds : DEFAULT_FALLBACK_POLL_SECONDS;
}

export class NomadSection extends LiveSection<NomadSectionData> {
  /** Set once the stream was refused or held back: this store follows the lists by blocking queries. */
  private streamUnusable = false;
  private readonly definitions = new Map<string, NomadJob | 'loading' | 'missing'>();

  constructor(
    private readonly client: NomadClient,
    private readonly settings: () => LiveSettings,
    options: LiveSectionOptions = {},
  ) {
    super('Nomad', options);
  }

  /**
   * The profile's Nomad client, for what changes the cluster or asks it once (plan, promote, revert): the
   * effects come back into this section through the event stream, never by a view's own list reads.
   */
  get api(): NomadClient {
    return this.client;
  }

  protected async start(signal: AbortSignal): Promise<void> {
    const { data, indexes } = await fetchNomadSection(this.client, signal);
    if (signal.aborted) return;
    this.definitions.clear();
    const settings = this.settings();
    const known = Object.values(indexes).filter((index): index is number => index !== undefined);
    if (!settings.live) {
      this.poll(data, settings.fallbackPollSeconds, signal);
      return;
    }
    if (!this.streamUnusable && known.length === NOMAD_LISTS.length) {
      this.setData(data, { mode: 'connecting', source: 'event stream', pollSeconds: undefined });
      this.openStream(Math.max(...known), signal);
    } else if (known.length === NOMAD_LISTS.length) {
      this.setData(data, { mode: 'live', source: 'blocking queries', pollSeconds: undefined });
      this.watchLists(indexes, signal);
    } else {
      this.poll(data, fallbackSeconds(settings), signal);
    }
  }

  private poll(data: NomadSectionData, seconds: number, signal: AbortSignal): void {
    this.keepPolling(data, seconds, async (s) => (await fetchNomadSection(this.client, s)).data, signal, () => this.definitions.clear());
  }

  private openStream(index: number, signal: AbortSignal): void {
    const stream = new NomadEventStream({
      open: (from, streamSignal) => this.client.eventStream({ index: from, signal: streamSignal, timeoutMs: STREAM_FIRST_LINE_TIMEOUT_MS }),
      startIndex: index,
      source: { address: this.client.address },
      onOpen: () => this.setMode('live', { source: 'event stream' }),
      onBatch: (batch) => this.applyEvents(batch.Events),
      onEnd: (end) => {
        if (signal.aborted) return;
        if (end.kind === 'broken') {
          // Events may have been missed: the retry reloads the lists and reopens the stream from there.
          this.fail(end.error);
          return;
        }
        this.options.log?.(
          end.kind === 'buffered'
            ? `Nomad: the event stream delivered nothing in ${STREAM_FIRST_LINE_TIMEOUT_MS / 1000} s (a proxy that buffers it?); following the lists with blocking queries instead`
            : `Nomad: the event stream was refused (${end.error instanceof Error ? end.error.message : String(end.error)}); following the lists with blocking queries instead`,
        );
        this.streamUnusable = true;
        this.setMode('live', { source: 'blocking queries' });
        this.watchLists({ jobs: 0, allocations: 0, deployments: 0, nodes: 0 }, signal);
      },
    });
    signal.addEventListener('abort', () => stream.stop(), { once: true });
  }

  /** Applies a batch of events in order; draws only when a list changed. */
  applyEvents(events: readonly NomadEvent[]): void {
    const current = this.state.data;
    if (!current) return;
    for (const event of events) {
      if (event.Topic === 'Job') this.definitions.delete(jobKey(event.Namespace || 'default', event.Key));
    }
    const next = applyNomadEvents(current, events);
    if (next === current) this.confirm();
    else this.setData(next);
  }

  private watchLists(indexes: Record<NomadListKind, number | undefined>, signal: AbortSignal): void {
    const watchers: BlockingWatcher<unknown[]>[] = [];
    let unwatchable = false;
    for (const kind of NOMAD_LISTS) {
      watchers.push(
        new BlockingWatcher<unknown[]>({
          startIndex: indexes[kind] ?? 0,
          fetch: async (blocking, s): Promise<IndexedResult<unknown[]>> => {
            const list = await this.client.indexedList(kind, { signal: s, blocking });
            return { data: list.items, index: list.index };
          },
          onData: (items) => {
            const current = this.state.data;
            if (!current || signal.aborted) return;
            if (kind === 'jobs') this.definitions.clear();
            this.setData({ ...current, [kind]: items }, { mode: 'live', source: 'blocking queries' });
          },
          onError: (error) => {
            if (!signal.aborted) this.fail(error);
          },
          onUnwatchable: () => {
            if (unwatchable || signal.aborted) return;
            unwatchable = true;
            for (const watcher of watchers) watcher.stop();
            const data = this.state.data;
            if (data) this.poll(data, fallbackSeconds(this.settings()), signal);
          },
          isFatal: isForbidden,
        }),
      );
    }
    signal.addEventListener('abort', () => watchers.forEach((watcher) => watcher.stop()), { once: true });
  }

  /** One allocation with its tasks and events (on expand: one request, not kept current). */
  allocation(id: string, signal?: AbortSignal): Promise<NomadAllocation> {
    return this.client.allocation(id, signal);
  }

  /** The submitted definition of a job if it is already here; never starts a fetch (for the hover). */
  knownJobDefinition(namespace: string, jobId: string): NomadJob | undefined {
    const cached = this.definitions.get(jobKey(namespace, jobId));
    return typeof cached === 'object' ? cached : undefined;
  }

  /**
   * The submitted definition of a job, if already fetched; otherwise undefined, and a fetch starts in the
   * background (one per job until a Job event or a reload) whose arrival is announced as a data change.
   */
  jobDefinition(namespace: string, jobId: string): NomadJob | undefined {
    const key = jobKey(namespace, jobId);
    const cached = this.definitions.get(key);
    if (cached !== undefined) return typeof cached === 'string' ? undefined : cached;
    if (!this.state.data) return undefined;
    this.definitions.set(key, 'loading');
    void this.client.job(jobId, namespace).then(
      (job) => {
        if (this.definitions.get(key) !== 'loading') return;
        this.definitions.set(key, job);
        this.announce();
      },
      () => {
        if (this.definitions.get(key) === 'loading') this.definitions.set(key, 'missing');
      },
    );
    return undefined;
  }
}

/** What an expanded Consul service shows: its instances, kept current while they are on screen. */
export interface ConsulInstances {
  entries: ConsulServiceEntry[] | undefined;
  error: unknown;
}

export class ConsulSection extends LiveSection<ConsulSectionData> {
  private readonly instanceWatches = new Map<string, { state: ConsulInstances; watcher: BlockingWatcher<ConsulServiceEntry[]>; users: number; first: Promise<void> }>();
  private readonly instanceListeners = new Set<(service: string) => void>();

  constructor(
    private readonly client: ConsulClient,
    private readonly settings: () => LiveSettings,
    options: LiveSectionOptions = {},
  ) {
    super('Consul', options);
  }

  protected async start(signal: AbortSignal): Promise<void> {
    const { data, indexes } = await fetchConsulSection(this.client, signal);
    if (signal.aborted) return;
    const settings = this.settings();
    if (settings.live && indexes.every((index) => index !== undefined)) {
      this.setData(data, { mode: 'live', source: 'blocking queries', pollSeconds: undefined });
      this.watch(indexes as number[], signal);
      return;
    }
    const seconds = settings.live ? fallbackSeconds(settings) : settings.fallbackPollSeconds;
    this.keepPolling(data, seconds, async (s) => (await fetchConsulSection(this.client, s)).data, signal);
  }

  private watch(indexes: number[], signal: AbortSignal): void {
    const parts: { fetch: (s: AbortSignal, blocking: Parameters<ConsulClient['catalogServices']>[1]) => Promise<IndexedResult<unknown>>; key: keyof ConsulSectionData }[] = [
      { key: 'services', fetch: async (s, b) => fromConsul(await this.client.catalogServices(s, b), {}) },
      { key: 'checks', fetch: async (s, b) => fromConsul(await this.client.healthChecks(s, b), []) },
      { key: 'nodes', fetch: async (s, b) => fromConsul(await this.client.catalogNodes(s, b), []) },
    ];
    const watchers = parts.map(
      (part, position) =>
        new BlockingWatcher<unknown>({
          startIndex: indexes[position],
          fetch: (blocking, s) => part.fetch(s, blocking),
          onData: (value) => {
            const current = this.state.data;
            if (current && !signal.aborted) this.setData({ ...current, [part.key]: value }, { mode: 'live' });
          },
          onError: (error) => {
            if (!signal.aborted) this.fail(error);
          },
          onUnwatchable: () => {
            // A Consul that sends no index (a proxy that strips headers): read it again from scratch, polling.
            if (!signal.aborted) this.fail(new Error(`Consul at ${this.client.address} sent no X-Consul-Index: blocking queries are not possible`));
          },
          isFatal: isForbidden,
        }),
    );
    signal.addEventListener('abort', () => watchers.forEach((watcher) => watcher.stop()), { once: true });
  }

  onDidChangeInstances(listener: (service: string) => void): Disposable {
    this.instanceListeners.add(listener);
    return { dispose: () => this.instanceListeners.delete(listener) };
  }

  /** The instances of a service as last read, if a watch on it runs. */
  instances(service: string): ConsulInstances | undefined {
    return this.instanceWatches.get(service)?.state;
  }

  /**
   * Reads a service's instances and keeps them current (blocking) until the handle is disposed. `first`
   * resolves once the first answer (or error) is in.
   */
  watchInstances(service: string): Disposable & { first: Promise<void> } {
    let watch = this.instanceWatches.get(service);
    if (!watch) {
      let resolveFirst!: () => void;
      const first = new Promise<void>((resolve) => (resolveFirst = resolve));
      const state: ConsulInstances = { entries: undefined, error: undefined };
      const live = this.settings().live;
      const watcher = new BlockingWatcher<ConsulServiceEntry[]>({
        fetch: async (blocking, s) => fromConsul(await this.client.serviceHealth(service, s, live ? blocking : undefined), []),
        onData: (entries) => {
          state.entries = entries;
          state.error = undefined;
          resolveFirst();
          this.instanceListeners.forEach((listener) => listener(service));
          // With live updates off, one read is all: the watch stays for the cache, without blocking.
          if (!live) watcher.stop();
        },
        onError: (error) => {
          state.error = error;
          resolveFirst();
          this.instanceListeners.forEach((listener) => listener(service));
        },
        onUnwatchable: () => resolveFirst(),
        isFatal: isForbidden,
      });
      watch = { state, watcher, users: 0, first };
      this.instanceWatches.set(service, watch);
    }
    const current = watch;
    current.users++;
    let released = false;
    return {
      first: current.first,
      dispose: () => {
        if (released) return;
        released = true;
        current.users--;
        if (current.users === 0 && this.instanceWatches.get(service) === current) {
          current.watcher.stop();
          this.instanceWatches.delete(service);
        }
      },
    };
  }

  override dispose(): void {
    for (const watch of this.instanceWatches.values()) watch.watcher.stop();
    this.instanceWatches.clear();
    this.instanceListeners.clear();
    super.dispose();
  }
}

function fromConsul<T>(result: { data: T | null; meta: { index: number | undefined } }, empty: T): IndexedResult<T> {
  return { data: result.data ?? empty, index: result.meta.index };
}

export class TraefikSection extends LiveSection<TraefikSectionData> {

  constructor(
    private readonly client: TraefikClient,
    private readonly settings: () => LiveSettings,
    options: LiveSectionOptions = {},
  ) {
    super('Traefik', options);
  }

  protected async start(signal: AbortSignal): Promise<void> {
    const data = await fetchTraefikSection(this.client, signal);
    if (signal.aborted) return;
    const settings = this.settings();
    // Traefik has no push API: while live, poll it; otherwise use the fallback interval, if any.
    const seconds = settings.live ? settings.traefikPollSeconds || DEFAULT_TRAEFIK_POLL_SECONDS : settings.fallbackPollSeconds;
    this.keepPolling(data, seconds, (s) => fetchTraefikSection(this.client, s), signal);
  }
}

export interface AwsConnection {
  cluster: AwsCluster;
  aws: AwsPart;
}

/** One AWS call, its failure put in words that say what to do. */
export async function awsStep<T>(aws: AwsPart | undefined, action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Error(describeAwsError(error, { action, region: aws?.region ?? '', profile: aws?.profile }), { cause: error });
  }
}

/**
 * The AWS section: EC2 nodes, Elastic IPs and ECS services, each loaded and failing on its own, on the
 * first need and on Refresh (AWS has no change feed that this extension reads).
 */
export class AwsSection extends LiveSection<AwsSectionData> {
  constructor(
    readonly aws: AwsPart,
    private readonly connect: () => Promise<AwsConnection>,
    options: LiveSectionOptions = {},
  ) {
    super('AWS', options);
  }

  step<T>(action: string, work: () => Promise<T>): Promise<T> {
    return awsStep(this.aws, action, work);
  }

  connection(): Promise<AwsConnection> {
    return this.step('loading the AWS SDK', () => this.connect());
  }

  protected async start(signal: AbortSignal): Promise<void> {
    const { cluster, aws } = await this.connection();
    if (signal.aborted) return;
    const tag = aws.clusterTag;
    const part = async <T>(enabled: boolean, action: string, work: () => Promise<T>): Promise<{ value?: T; error?: unknown }> => {
      if (!enabled) return {};
      try {
        return { value: await this.step(action, work) };
      } catch (error) {
        return { error };
      }
    };
    const [instances, addresses, services] = await Promise.all([
      part(Boolean(tag), 'ec2:DescribeInstances', () => cluster.clusterInstances(tag!.key, tag!.value)),
      part(Boolean(tag), 'ec2:DescribeAddresses', () => cluster.elasticIps()),
      part(Boolean(aws.ecsCluster), 'ecs:ListServices / ecs:DescribeServices', () => cluster.ecsServices(aws.ecsCluster!)),
    ]);
    if (signal.aborted) return;
    const errors = { instances: instances.error, addresses: addresses.error, services: services.error };
    this.setData(
      { region: aws.region, ecsCluster: aws.ecsCluster, instances: instances.value, addresses: addresses.value, services: services.value, errors },
      { mode: 'manual', source: undefined },
    );
  }

  /** The tasks of one ECS service (on expand: one call, not kept current). */
  async ecsTasks(service: string): Promise<EcsTaskSummary[]> {
    const { cluster, aws } = await this.connection();
    if (!aws.ecsCluster) return [];
    return this.step('ecs:ListTasks / ecs:DescribeTasks', () => cluster.ecsTasks(aws.ecsCluster!, service));
  }
}
