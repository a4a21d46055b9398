// The life of one section of the cluster store: first load, keeping current, failing with the data kept,
// retrying, and stopping when nothing needs it. What "keeping current" means is the subclass's.
import { isApiError } from '../http/apiError';
import { Backoff, sleep } from '../live/backoff';

/**
 * When nothing (no Hashistack view, no Launcher, no jobspec lens on screen) has needed a section for this
 * long, its watchers stop; the next need resyncs it. Long enough that switching editors or views does not
 * reload the cluster, short enough that a forgotten window does not hold connections open for long.
 */
export const IDLE_STOP_MS = 60_000;
/**
 * A section whose live source has held this long since it (re)started has recovered: its next failure
 * retries from the first step of the backoff again. Before that, each failure waits longer than the one
 * before, up to the backoff's cap, so a source that breaks right after every reload cannot become a storm.
 */
export const RECOVERED_AFTER_MS = 60_000;

/**
 * - loading: the first load is under way (no data yet);
 * - connecting: data loaded, the live source is opening;
 * - live: changes arrive by themselves (event stream or blocking queries);
 * - polling: read again every `pollSeconds`;
 * - manual: loaded once; changes show on Refresh (live updates turned off);
 * - paused: nothing needed the data for a while; it shows what was last seen;
 * - failed: the last attempt failed (`error`); `data`, if any, is what was last seen.
 */
export type SectionMode = 'idle' | 'loading' | 'connecting' | 'live' | 'polling' | 'manual' | 'paused' | 'failed';

export interface SectionState<T> {
  mode: SectionMode;
  data: T | undefined;
  /** When `data` was last known to be current (ms since the epoch). */
  loadedAt: number | undefined;
  error: unknown;
  /** Since when the data shown has not been current (set while failed). */
  staleSince: number | undefined;
  pollSeconds: number | undefined;
  /** Which live source is in force, for the log and the tooltip ("event stream", "blocking queries" …). */
  source: string | undefined;
  /** Grows on every change of this state, so a reader can tell what it has already drawn. */
  version: number;
}

export interface Disposable {
  dispose(): void;
}

export type SectionListener = (change: 'data' | 'status') => void;

export interface LiveSectionOptions {
  idleStopMs?: number;
  recoveredAfterMs?: number;
  backoff?: Backoff;
  log?: (line: string) => void;
}

/** A setting or variable that cannot be used: the fix is in the configuration, not in retrying. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  readonly hint = 'Fix the address in the cluster profile ("Hashistack: Configure Clusters") or in the environment variable, then reload.';
}

export function isForbidden(error: unknown): boolean {
  return isApiError(error) && error.kind === 'forbidden';
}

export abstract class LiveSection<T> implements Disposable {
  protected stateValue: SectionState<T> = { mode: 'idle', data: undefined, loadedAt: undefined, error: undefined, staleSince: undefined, pollSeconds: undefined, source: undefined, version: 0 };
  private readonly listeners = new Set<SectionListener>();
  private demand = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Aborts the current sync and everything it started (watchers, streams, poll timers). */
  private run: AbortController | undefined;
  private failures = 0;
  /** When the current run's start succeeded (the live source then held since). */
  private heldSince: number | undefined;
  private disposed = false;
  /** After a 403: no retries, and no resync on need, until Refresh (or a new store for a new token). */
  private blocked = false;
  /** The product's address is unusable: the section only says so, and sends nothing anywhere. */
  private configurationProblem: string | undefined;
  private readonly backoff: Backoff;

  constructor(
    readonly name: string,
    protected readonly options: LiveSectionOptions = {},
  ) {
    this.backoff = options.backoff ?? new Backoff();
  }

  get state(): SectionState<T> {
    return this.stateValue;
  }

  onDidChange(listener: SectionListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Something shows this section's data: keep it current until the returned handle is disposed. */
  need(): Disposable {
    this.demand++;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.run && !this.disposed && !this.blocked) void this.sync();
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        this.demand--;
        if (this.demand === 0 && !this.disposed) this.scheduleIdleStop();
      },
    };
  }

  /** Load again now (Refresh, Retry): also after a 403, which otherwise stops the retries. */
  refresh(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.failures = 0;
    this.blocked = false;
    this.beforeRefresh();
    return this.sync();
  }

  /** What a subclass forgets on Refresh (a live source it had given up on, say). */
  protected beforeRefresh(): void {}

  /**
   * Loads again and reopens the live source without calling the data stale (the source asked for it: the
   * cluster was restored, or a source given up on is worth another try).
   */
  protected resync(): void {
    if (!this.disposed) void this.sync();
  }

  /** Loads the data and starts keeping it current; throws on failure. `signal` ends all it starts. */
  protected abstract start(signal: AbortSignal): Promise<void>;

  /** Replaces the data (a new answer or a batch of events applied) and says so. */
  protected setData(data: T, patch: Partial<SectionState<T>> = {}): void {
    this.update({ data, loadedAt: Date.now(), error: undefined, staleSince: undefined, ...patch }, 'data');
  }

  /** Says that what the section offers changed (a job definition arrived) without claiming the data is current. */
  protected announce(): void {
    this.update({}, 'data');
  }

  protected setMode(mode: SectionMode, patch: Partial<SectionState<T>> = {}): void {
    this.update({ mode, ...patch }, 'status');
  }

  /** Marks the data as current again without a change (a poll that found nothing new). */
  protected confirm(): void {
    if (this.stateValue.error !== undefined) {
      this.update({ error: undefined, staleSince: undefined }, 'status');
    }
    this.stateValue.loadedAt = Date.now();
  }

  /**
   * A source failed while running: keep the data, say since when it is stale, and sync again after a
   * backoff, except after a 403, which waits for Refresh or a new token.
   */
  protected fail(error: unknown): void {
    if (this.disposed) return;
    this.run?.abort();
    this.run = undefined;
    this.update({ mode: 'failed', error, staleSince: this.stateValue.staleSince ?? Date.now() }, 'status');
    this.options.log?.(`${this.name}: ${error instanceof Error ? error.message : String(error)}`);
    if (isForbidden(error)) {
      this.blocked = true;
      return;
    }
    if (this.heldSince !== undefined && Date.now() - this.heldSince >= (this.options.recoveredAfterMs ?? RECOVERED_AFTER_MS)) this.failures = 0;
    this.heldSince = undefined;
    const retry = new AbortController();
    this.run = retry;
    const delay = this.backoff.delayMs(this.failures++);
    void sleep(delay, retry.signal).then((elapsed) => {
      if (elapsed && this.run === retry) void this.sync();
    });
  }

  /** Marks the section as unusable until the configuration changes (a new store is made then). */
  refuse(problem: string): void {
    this.configurationProblem = problem;
  }

  private sync(): Promise<void> {
    if (this.configurationProblem !== undefined) {
      this.blocked = true;
      this.update({ mode: 'failed', error: new ConfigurationError(this.configurationProblem), staleSince: undefined }, 'status');
      return Promise.resolve();
    }
    this.run?.abort();
    const run = new AbortController();
    this.run = run;
    if (this.stateValue.data === undefined) this.setMode('loading');
    return this.start(run.signal).then(
      () => {
        if (this.run === run) this.heldSince = Date.now();
        // Loaded by Refresh while nothing shows it: keep it current only for the idle period.
        if (this.demand === 0 && !this.idleTimer && this.run === run) this.scheduleIdleStop();
      },
      (error: unknown) => {
        if (this.run === run && !run.signal.aborted) this.fail(error);
      },
    );
  }

  private scheduleIdleStop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.pause(), this.options.idleStopMs ?? IDLE_STOP_MS);
  }

  /** Whether nothing has been loaded or kept current since the store was made, or since it paused. */
  get resting(): boolean {
    return this.run === undefined && !this.blocked;
  }

  /**
   * Reads again every `seconds` while `signal` lasts, starting from `data` (just loaded). A new answer
   * replaces the data only when it differs (compared whole), so an unchanged cluster redraws nothing.
   */
  protected keepPolling(data: T, seconds: number, load: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, onChange: () => void = () => undefined): void {
    let last = JSON.stringify(data);
    this.setData(data, seconds > 0 ? { mode: 'polling', pollSeconds: seconds, source: 'polling' } : { mode: 'manual', pollSeconds: undefined, source: undefined });
    if (seconds <= 0) return;
    void (async () => {
      while (await waitSeconds(seconds, signal)) {
        let next: T;
        try {
          next = await load(signal);
        } catch (error) {
          if (!signal.aborted) this.fail(error);
          return;
        }
        if (signal.aborted) return;
        const print = JSON.stringify(next);
        if (print === last) {
          this.confirm();
          continue;
        }
        last = print;
        onChange();
        this.setData(next);
      }
    })();
  }

  /** Stops the watchers, keeping the data; the next `need()` resyncs. */
  pause(): void {
    this.idleTimer = undefined;
    if (!this.run) return;
    this.run.abort();
    this.run = undefined;
    if (this.stateValue.mode !== 'failed') this.setMode('paused');
  }

  private update(patch: Partial<SectionState<T>>, change: 'data' | 'status'): void {
    this.stateValue = { ...this.stateValue, ...patch, version: this.stateValue.version + 1 };
    for (const listener of [...this.listeners]) listener(change);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idleTimer);
    this.run?.abort();
    this.run = undefined;
    this.listeners.clear();
  }
}

/** Resolves after `seconds`, or false when `signal` aborts (the section stopped). */
export function waitSeconds(seconds: number, signal: AbortSignal): Promise<boolean> {
  return sleep(seconds * 1000, signal);
}
