// Consul's section of the cluster store: three blocking queries, an expanded service's instances, and the
// keys of each expanded KV folder.
import { ConsulClient } from '../consul/consulClient';
import { ConsulServiceEntry } from '../consul/consulApi';
import { ConsulKvEntry } from '../consul/kv';
import { BlockingWatcher, IndexedResult } from '../live/blockingQuery';
import { ConsulSectionData } from '../tree/consul/consulProperties';
import { Disposable, isForbidden, LiveSection, LiveSectionOptions } from './liveSection';
import { fetchConsulSection } from '../explorer/sectionLoaders';
import { fallbackSeconds, LiveSettings } from './liveSettings';
import { HeldRead, HeldReads } from './heldReads';

export class ConsulSection extends LiveSection<ConsulSectionData> {
  private readonly instanceReads = new HeldReads<ConsulServiceEntry[]>(() => this.settings().live);
  private readonly keyReads = new HeldReads<string[]>(() => this.settings().live);
  /** Keys that open jobspecs' templates read (`key`), with their values; null: no such key. */
  private readonly valueReads = new HeldReads<ConsulKvEntry | null>(() => this.settings().live);
  /** Every key under a prefix that a template lists (`ls`, `tree`). */
  private readonly prefixReads = new HeldReads<string[]>(() => this.settings().live);

  constructor(
    private readonly client: ConsulClient,
    private readonly settings: () => LiveSettings,
    options: LiveSectionOptions = {},
  ) {
    super('Consul', options);
  }

  /** The profile's Consul client, for writes (a KV key): their effects come back through the held reads. */
  get api(): ConsulClient {
    return this.client;
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
    return this.instanceReads.onDidChange(listener);
  }

  /** The instances of a service as last read, if a watch on it runs. */
  instances(service: string): HeldRead<ConsulServiceEntry[]> | undefined {
    return this.instanceReads.get(service);
  }

  /** Reads a service's instances and keeps them current (blocking) until the handle is disposed. */
  watchInstances(service: string): Disposable & { first: Promise<void> } {
    return this.instanceReads.hold(service, async (blocking, signal) => fromConsul(await this.client.serviceHealth(service, signal, blocking), []));
  }

  onDidChangeKeys(listener: (prefix: string) => void): Disposable {
    return this.keyReads.onDidChange(listener);
  }

  /** The keys and folders right under a prefix as last read, if it is held. */
  keys(prefix: string): HeldRead<string[]> | undefined {
    return this.keyReads.get(prefix);
  }

  /** Reads the keys right under a KV prefix and keeps them current (blocking) until the handle is disposed. */
  watchKeys(prefix: string): Disposable & { first: Promise<void> } {
    return this.keyReads.hold(prefix, async (blocking, signal) => fromConsul(await this.client.kvKeys(prefix, signal, blocking), []));
  }

  onDidChangeTemplateData(listener: (key: string) => void): Disposable {
    const subscriptions = [this.valueReads.onDidChange(listener), this.prefixReads.onDidChange(listener)];
    return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
  }

  /** A key with its value, as a template reads it, if it is held; `data` null: no such key. */
  value(key: string): HeldRead<ConsulKvEntry | null> | undefined {
    return this.valueReads.get(key);
  }

  watchValue(key: string): Disposable & { first: Promise<void> } {
    return this.valueReads.hold(key, async (blocking, signal) => {
      const result = await this.client.kvEntryIndexed(key, signal, blocking);
      return { data: result.data, index: result.meta.index };
    });
  }

  /** Every key under a prefix, if held. */
  keysUnder(prefix: string): HeldRead<string[]> | undefined {
    return this.prefixReads.get(prefix);
  }

  watchKeysUnder(prefix: string): Disposable & { first: Promise<void> } {
    return this.prefixReads.hold(prefix, async (blocking, signal) => fromConsul(await this.client.kvKeysUnderIndexed(prefix, signal, blocking), []));
  }

  override dispose(): void {
    this.instanceReads.stopAll();
    this.keyReads.stopAll();
    this.valueReads.stopAll();
    this.prefixReads.stopAll();
    super.dispose();
  }
}

function fromConsul<T>(result: { data: T | null; meta: { index: number | undefined } }, empty: T): IndexedResult<T> {
  return { data: result.data ?? empty, index: result.meta.index };
}
