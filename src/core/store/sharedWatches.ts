// Watches that several readers share: the first reader of a key starts one, each reader gets a handle, and the
// last handle disposed stops it. Consul's service instances, a job's evaluations and an ECS rollout use it.
import { Disposable } from './liveSection';

export class SharedWatches<W> {
  private readonly entries = new Map<string, { watch: W; users: number }>();

  constructor(private readonly stop: (watch: W) => void) {}

  /** The watch of `key`, started by `start` when none runs; dispose the handle when done with it. */
  acquire(key: string, start: () => W): Disposable & { watch: W } {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { watch: start(), users: 0 };
      this.entries.set(key, entry);
    }
    const current = entry;
    current.users++;
    let released = false;
    return {
      watch: current.watch,
      dispose: () => {
        if (released) return;
        released = true;
        if (--current.users === 0 && this.entries.get(key) === current) {
          this.entries.delete(key);
          this.stop(current.watch);
        }
      },
    };
  }

  /** The running watch of `key`, if any. */
  get(key: string): W | undefined {
    return this.entries.get(key)?.watch;
  }

  /** Stops every watch (the store goes). */
  stopAll(): void {
    for (const entry of this.entries.values()) this.stop(entry.watch);
    this.entries.clear();
  }
}
