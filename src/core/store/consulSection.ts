// Consul's section of the cluster store: three blocking queries, and an expanded service's instances.
import { ConsulClient } from '../consul/consulClient';
import { ConsulServiceEntry } from '../consul/consulApi';
import { BlockingWatcher, IndexedResult } from '../live/blockingQuery';
import { ConsulSectionData } from '../tree/consul/consulProperties';
import { Disposable, isForbidden, LiveSection, LiveSectionOptions } from './liveSection';
import { fetchConsulSection } from '../explorer/sectionLoaders';
import { fallbackSeconds, LiveSettings } from './liveSettings';
import { SharedWatches } from './sharedWatches';

/** What an expanded Consul service shows: its instances, kept current while they are on screen. */
export interface ConsulInstances {
  entries: ConsulServiceEntry[] | undefined;
  error: unknown;
}

export class ConsulSection extends LiveSection<ConsulSectionData> {
  private readonly instanceWatches = new SharedWatches<{ state: ConsulInstances; watcher: BlockingWatcher<ConsulServiceEntry[]>; first: Promise<void> }>((watch) => watch.watcher.stop());
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
    const handle = this.instanceWatches.acquire(service, () => {
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
      return { state, watcher, first };
    });
    return { first: handle.watch.first, dispose: () => handle.dispose() };
  }

  override dispose(): void {
    this.instanceWatches.stopAll();
    this.instanceListeners.clear();
    super.dispose();
  }
}

function fromConsul<T>(result: { data: T | null; meta: { index: number | undefined } }, empty: T): IndexedResult<T> {
  return { data: result.data ?? empty, index: result.meta.index };
}
