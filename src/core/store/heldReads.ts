// Reads that stay current while something shows them: the first holder of a key starts a blocking watch, the
// last one to let go stops it. An expanded Consul service's instances, the Nomad Variables folder and each
// expanded Consul KV folder are held this way.
import { BlockingOptions, BlockingWatcher, IndexedResult } from '../live/blockingQuery';
import { Disposable, isForbidden } from './liveSection';
import { SharedWatches } from './sharedWatches';

/** What a held read shows: its last answer, and the error of the last read (cleared by the next answer). */
export interface HeldRead<T> {
  data: T | undefined;
  error: unknown;
}

export type HeldFetch<T> = (blocking: BlockingOptions | undefined, signal: AbortSignal) => Promise<IndexedResult<T>>;

export class HeldReads<T> {
  private readonly watches = new SharedWatches<{ state: HeldRead<T>; watcher: BlockingWatcher<T>; first: Promise<void> }>((watch) => watch.watcher.stop());
  private readonly listeners = new Set<(key: string) => void>();

  /** `live`: whether to block (live updates on); off, a held read is read once and kept as it is. */
  constructor(private readonly live: () => boolean) {}

  onDidChange(listener: (key: string) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The read of `key` as last answered, if it is held. */
  get(key: string): HeldRead<T> | undefined {
    return this.watches.get(key)?.state;
  }

  /** Reads `key` and keeps it current until the handle is disposed; `first` resolves once the first answer (or error) is in. */
  hold(key: string, fetch: HeldFetch<T>): Disposable & { first: Promise<void> } {
    const handle = this.watches.acquire(key, () => {
      let resolveFirst!: () => void;
      const first = new Promise<void>((resolve) => (resolveFirst = resolve));
      const state: HeldRead<T> = { data: undefined, error: undefined };
      const live = this.live();
      const changed = () => this.listeners.forEach((listener) => listener(key));
      const watcher = new BlockingWatcher<T>({
        fetch: (blocking, signal) => fetch(live ? blocking : undefined, signal),
        onData: (data) => {
          state.data = data;
          state.error = undefined;
          resolveFirst();
          changed();
          // With live updates off, one read is all: the watch stays for the cache, without blocking.
          if (!live) watcher.stop();
        },
        onError: (error) => {
          state.error = error;
          resolveFirst();
          changed();
        },
        onUnwatchable: () => resolveFirst(),
        isFatal: isForbidden,
      });
      return { state, watcher, first };
    });
    return { first: handle.watch.first, dispose: () => handle.dispose() };
  }

  stopAll(): void {
    this.watches.stopAll();
    this.listeners.clear();
  }
}
