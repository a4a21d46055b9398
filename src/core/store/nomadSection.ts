// Nomad's section of the cluster store: kept current by the event stream, with blocking queries and
// polling as fallbacks, and the lists reconciled against what Nomad removes without an event.
import { BlockingOptions, BlockingWatcher, IndexedResult } from '../live/blockingQuery';
import { sleep } from '../live/backoff';
import { NomadEventStream } from '../live/nomadEventStream';
import { NomadAllocation, NomadJob } from '../nomad/nomadApi';
import { NomadClient, NomadListKind } from '../nomad/nomadClient';
import { applyNomadEvents, NomadEvent, NomadRow, reconcileNomadList } from '../nomad/nomadEvents';
import { jobKey, NomadSectionData } from '../tree/nomad/nomadProperties';
import { Disposable, isForbidden, LiveSection, LiveSectionOptions } from './liveSection';
import { HeldRead, HeldReads } from './heldReads';
import { NomadServiceRegistration, NomadVariable, NomadVariableMetadata } from '../nomad/variables';
import { fetchNomadSection, NOMAD_LISTS } from '../explorer/sectionLoaders';
import { fallbackSeconds, LiveSettings } from './liveSettings';

/**
 * Once the event stream was refused or held back, the lists are followed by blocking queries; the stream is
 * tried again after this long (and on Refresh): a proxy gets fixed, a token gets its policy.
 */
export const STREAM_RETRY_AFTER_MS = 10 * 60_000;
/**
 * Nomad sends no event when it garbage-collects an allocation or a deployment. While the stream runs, a
 * blocking query on each of those lists is held beside it; it answers when the list's index moves (a
 * collection moves it too), at most this often, and the answer removes the rows the cluster no longer has.
 * A quiet cluster costs a held connection; a busy one two list reads a minute.
 */
export const RECONCILE_MIN_GAP_MS = 30_000;
/** The lists that Nomad changes without an event (jobs and nodes have Deregistration events). */
export const RECONCILED_LISTS = ['allocations', 'deployments'] as const;

type ReconciledList = (typeof RECONCILED_LISTS)[number];

export interface NomadSectionOptions extends LiveSectionOptions {
  streamRetryAfterMs?: number;
  reconcileMinGapMs?: number;
}

export class NomadSection extends LiveSection<NomadSectionData> {
  /** Until when the stream is not tried (it was refused or held back): the lists are followed by blocking queries. */
  private streamUnusableUntil = 0;
  private readonly definitions = new Map<string, NomadJob | 'loading' | 'missing'>();
  /** The Variables folder's list, by namespace (`*`: every one the token may list), held while it is expanded. */
  private readonly variableReads = new HeldReads<NomadVariableMetadata[]>(() => this.settings().live);
  /** Variables that open jobspecs' templates read (items included), by namespace and path; null: none there. */
  private readonly templateVariableReads = new HeldReads<NomadVariable | null>(() => this.settings().live);
  /** Nomad-native services that templates read (`nomadService`), by namespace and name. */
  private readonly serviceReads = new HeldReads<NomadServiceRegistration[]>(() => this.settings().live);

  constructor(
    private readonly client: NomadClient,
    private readonly settings: () => LiveSettings,
    protected override readonly options: NomadSectionOptions = {},
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

  protected override beforeRefresh(): void {
    this.streamUnusableUntil = 0;
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
    if (known.length < NOMAD_LISTS.length) {
      this.poll(data, fallbackSeconds(settings), signal);
    } else if (Date.now() >= this.streamUnusableUntil) {
      this.setData(data, { mode: 'connecting', source: 'event stream', pollSeconds: undefined });
      // From the lowest index: the lists were read side by side, and a change between two reads is in
      // none of the later ones. Replays are harmless (the reducer keeps the newer ModifyIndex).
      this.openStream(Math.min(...known), indexes, signal);
    } else {
      this.setData(data, { mode: 'live', source: 'blocking queries', pollSeconds: undefined });
      this.watchLists(indexes, signal);
      this.retryStreamLater(signal);
    }
  }

  private poll(data: NomadSectionData, seconds: number, signal: AbortSignal): void {
    this.keepPolling(data, seconds, async (s) => (await fetchNomadSection(this.client, s)).data, signal, () => this.definitions.clear());
  }

  private openStream(index: number, indexes: Record<NomadListKind, number | undefined>, signal: AbortSignal): void {
    // The reconciliation lives as long as the stream: the blocking-query fallback reads whole lists anyway.
    const streaming = new AbortController();
    signal.addEventListener('abort', () => streaming.abort(), { once: true });
    this.reconcile(indexes, streaming.signal);
    const stream = new NomadEventStream({
      open: (from, streamSignal, headersTimeoutMs) => this.client.eventStream({ index: from, signal: streamSignal, timeoutMs: headersTimeoutMs }),
      startIndex: index,
      source: { address: this.client.address },
      backoff: this.options.backoff,
      onOpen: () => this.setMode('live', { source: 'event stream' }),
      onBatch: (batch) => this.applyEvents(batch.Events),
      onEnd: (end) => {
        if (signal.aborted) return;
        switch (end.kind) {
          case 'broken':
            // Events may have been missed: the retry reloads the lists and reopens the stream from there.
            this.fail(end.error);
            return;
          case 'reset':
            this.options.log?.(`Nomad: the event stream came back at index ${end.serverIndex}, below the ${end.lastIndex} already seen (the cluster was restored or rebuilt); reloading`);
            this.resync();
            return;
          case 'buffered':
          case 'refused':
            this.options.log?.(
              `Nomad: the event stream ${end.kind === 'buffered' ? 'delivered nothing in time (a proxy that buffers it?)' : `was refused (${end.error instanceof Error ? end.error.message : String(end.error)})`}; following the lists with blocking queries instead, and trying the stream again in ${(this.options.streamRetryAfterMs ?? STREAM_RETRY_AFTER_MS) / 60_000} min`,
            );
            streaming.abort();
            this.streamUnusableUntil = Date.now() + (this.options.streamRetryAfterMs ?? STREAM_RETRY_AFTER_MS);
            this.setMode('live', { source: 'blocking queries' });
            this.watchLists({ jobs: 0, allocations: 0, deployments: 0, nodes: 0, evaluations: 0 }, signal);
            this.retryStreamLater(signal);
        }
      },
    });
    signal.addEventListener('abort', () => stream.stop(), { once: true });
  }

  /** After the retry period, loads again and tries the stream (the blocking queries stop with this run). */
  private retryStreamLater(signal: AbortSignal): void {
    const wait = Math.max(0, this.streamUnusableUntil - Date.now());
    void sleep(wait, signal).then((elapsed) => {
      if (elapsed && !signal.aborted) this.resync();
    });
  }

  /**
   * Holds a blocking query on each list that Nomad changes without an event, and folds each answer in:
   * rows the cluster no longer has leave, rows it has that were missed arrive. An answer whose index went
   * below the one before means a restored cluster: everything is loaded again.
   */
  private reconcile(indexes: Record<NomadListKind, number | undefined>, signal: AbortSignal): void {
    const watchers = RECONCILED_LISTS.map((kind) => {
      let lastIndex = indexes[kind] ?? 0;
      return new BlockingWatcher<unknown[]>({
        startIndex: lastIndex,
        minGapMs: this.options.reconcileMinGapMs ?? RECONCILE_MIN_GAP_MS,
        backoff: this.options.backoff,
        fetch: this.listReader(kind),
        onData: (items, index) => {
          if (signal.aborted) return;
          if (index < lastIndex) {
            this.options.log?.(`Nomad: the ${kind} list's index went back from ${lastIndex} to ${index} (the cluster was restored or rebuilt); reloading`);
            this.resync();
            return;
          }
          lastIndex = index;
          this.reconcileList(kind, items, index);
        },
        // The stream reports its own failures; a failed reconciliation only waits for its next turn.
        onError: (error) => this.options.log?.(`Nomad: reconciling the ${kind} list failed: ${error instanceof Error ? error.message : String(error)}`),
        onUnwatchable: () => undefined,
        onCut: (line) => this.options.log?.(`Nomad: ${line}`),
        isFatal: isForbidden,
      });
    });
    signal.addEventListener('abort', () => watchers.forEach((watcher) => watcher.stop()), { once: true });
  }

  /** One of the four lists as a blocking watcher reads it (the reconciliation and the fallback alike). */
  private listReader(kind: NomadListKind): (blocking: BlockingOptions | undefined, signal: AbortSignal) => Promise<IndexedResult<unknown[]>> {
    return async (blocking, signal) => {
      const list = await this.client.indexedList(kind, { signal, blocking });
      return { data: list.items, index: list.index };
    };
  }

  /** Folds a fresh read of one list (at `index`) into the data in hand. */
  reconcileList(kind: ReconciledList, items: unknown[], index: number): void {
    const current = this.state.data;
    if (!current) return;
    const next = reconcileNomadList(current[kind] as unknown as NomadRow[], items as NomadRow[], index);
    if (next !== (current[kind] as unknown)) this.setData({ ...current, [kind]: next });
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
          backoff: this.options.backoff,
          fetch: this.listReader(kind),
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
          onCut: (line) => this.options.log?.(`Nomad: ${line}`),
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
   * The submitted definition of a job now: the one already here, else read (one request; the background fetch of
   * jobDefinition is not started as well).
   */
  async readJobDefinition(namespace: string, jobId: string, signal?: AbortSignal): Promise<NomadJob> {
    return this.knownJobDefinition(namespace, jobId) ?? this.client.job(jobId, namespace, signal);
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

  onDidChangeVariables(listener: (namespace: string) => void): Disposable {
    return this.variableReads.onDidChange(listener);
  }

  /** The variables' metadata of a namespace as last read, if it is held. */
  variables(namespace: string): HeldRead<NomadVariableMetadata[]> | undefined {
    return this.variableReads.get(namespace);
  }

  /** Lists a namespace's variables (metadata only) and keeps the list current (blocking) until the handle is disposed. */
  watchVariables(namespace: string): Disposable & { first: Promise<void> } {
    return this.variableReads.hold(namespace, async (blocking, signal) => {
      const listed = await this.client.variables('', namespace, { signal, blocking });
      return { data: listed.items, index: listed.index };
    });
  }

  onDidChangeTemplateData(listener: (key: string) => void): Disposable {
    const subscriptions = [this.templateVariableReads.onDidChange(listener), this.serviceReads.onDidChange(listener)];
    return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
  }

  /** A variable with its items, as a template reads it, if it is held; `data` null: the path has none. */
  variable(namespace: string, path: string): HeldRead<NomadVariable | null> | undefined {
    return this.templateVariableReads.get(`${namespace}\u0000${path}`);
  }

  /** Reads a variable (items included) and keeps it current until the handle is disposed. */
  watchVariable(namespace: string, path: string): Disposable & { first: Promise<void> } {
    return this.templateVariableReads.hold(`${namespace}\u0000${path}`, (blocking, signal) => this.client.variableIndexed(path, namespace, { signal, blocking }));
  }

  /** A Nomad-native service's registrations, if held. */
  nomadService(namespace: string, name: string): HeldRead<NomadServiceRegistration[]> | undefined {
    return this.serviceReads.get(`${namespace}\u0000${name}`);
  }

  watchNomadService(namespace: string, name: string): Disposable & { first: Promise<void> } {
    return this.serviceReads.hold(`${namespace}\u0000${name}`, async (blocking, signal) => {
      const listed = await this.client.serviceRegistrations(name, namespace, { signal, blocking });
      return { data: listed.items, index: listed.index };
    });
  }

  override dispose(): void {
    this.variableReads.stopAll();
    this.templateVariableReads.stopAll();
    this.serviceReads.stopAll();
    super.dispose();
  }
}
