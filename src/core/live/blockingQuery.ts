// Blocking queries as Consul and Nomad define them (../shared/fixtures/SOURCES.md, "Blocking queries"):
// send `index` and `wait`; the server answers when the index passes ours or the wait runs out.
import { isApiError } from '../http/apiError';
import type { QueryValue } from '../http/httpClient';
import { Backoff, sleep } from './backoff';

/** How long one blocking query may be held: Consul's and Nomad's default wait (their maximum is 10 min). */
export const BLOCKING_WAIT_SECONDS = 300;
/** The server adds up to wait/16 of jitter; past that and this margin, a held query counts as timed out. */
const BLOCKING_TIMEOUT_MARGIN_MS = 15_000;
/**
 * The least time between the starts of two queries of one watcher. An index that changes on every
 * write (a busy cluster) then costs at most two requests a second instead of a tight loop.
 */
export const BLOCKING_MIN_GAP_MS = 500;
/**
 * A held query that fails this long after it was sent, by a closed connection or a gateway's 502/504, was
 * cut by something in between (a load balancer's idle timeout: AWS ALB's is 60 s), not refused by a server
 * that is down: it is sent again at once with the same index, and the data does not become stale.
 */
export const BLOCKING_CUT_MIN_HELD_MS = 5_000;
/** Two cuts whose ages differ by less than this are the same idle timeout at work. */
const BLOCKING_CUT_SAME_AGE_MS = 3_000;
/** When cuts repeat at the same age, `wait` is set to this share of that age, so the server answers first. */
const BLOCKING_CUT_WAIT_SHARE = 0.75;
/** `wait` is never shortened below this: a query that returns every few seconds is a poll. */
const BLOCKING_MIN_WAIT_SECONDS = 5;

export interface BlockingOptions {
  index: number;
  waitSeconds: number;
}

/** The query parameters of a blocking query; none for index 0, which is a plain read (never block on 0). */
export function blockingQuery(options: BlockingOptions | undefined): Record<string, QueryValue> {
  if (!options || options.index <= 0) return {};
  return { index: options.index, wait: `${options.waitSeconds}s` };
}

/** How long to let a blocking query run before calling it timed out. */
export function blockingTimeoutMs(options: BlockingOptions): number | undefined {
  if (options.index <= 0) return undefined;
  return Math.ceil((options.waitSeconds * 1000 * 17) / 16) + BLOCKING_TIMEOUT_MARGIN_MS;
}

/**
 * The index to send next, from the one we sent and the one the server answered:
 * - it went backwards (a snapshot restore, a new leader with older state): reset to 0, a plain read;
 * - the server answered 0: block on 1 instead, since blocking on 0 returns at once, forever;
 * - otherwise the server's index.
 */
export function nextBlockingIndex(sent: number, answered: number): number {
  if (answered < sent) return 0;
  if (answered <= 0) return 1;
  return answered;
}

/** An index header (`X-Consul-Index`, `X-Nomad-Index`) as a number; undefined when absent or not an integer. */
export function parseIndex(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  const value = Number(header);
  return Number.isSafeInteger(value) ? value : undefined;
}

export interface IndexedResult<T> {
  data: T;
  /** Undefined when the server sent no index header: it cannot be watched by blocking queries. */
  index: number | undefined;
}

export interface BlockingWatcherOptions<T> {
  /** One read; `blocking` is undefined for a plain read. */
  fetch(blocking: BlockingOptions | undefined, signal: AbortSignal): Promise<IndexedResult<T>>;
  /** A new answer: its index differs from the last one. */
  onData(data: T, index: number): void;
  /** A failed read; the watcher retries after a backoff unless `isFatal(error)` or it is stopped. */
  onError(error: unknown): void;
  /** The server sent no index: the watcher has stopped, and its owner should poll instead. */
  onUnwatchable(): void;
  /** Errors that stop the watcher for good (a 403: retrying will not help until the token changes). */
  isFatal?(error: unknown): boolean;
  /** Says that a held query was cut and sent again, or that `wait` was shortened (for the log). */
  onCut?(line: string): void;
  /** How long a query must have been held for its failure to count as a cut (BLOCKING_CUT_MIN_HELD_MS). */
  cutMinHeldMs?: number;
  /** The index the data in hand was read at (the initial load's); 0 starts with a plain read. */
  startIndex?: number;
  waitSeconds?: number;
  minGapMs?: number;
  backoff?: Backoff;
}

/**
 * Keeps one list current with blocking queries, following the index rules above, with a minimum gap
 * between two calls and a capped, jittered backoff after a failure. Stops on `stop()`.
 */
export class BlockingWatcher<T> {
  private readonly controller = new AbortController();
  private stopped = false;
  readonly done: Promise<void>;

  constructor(private readonly options: BlockingWatcherOptions<T>) {
    this.done = this.run();
  }

  stop(): void {
    this.stopped = true;
    this.controller.abort();
  }

  private async run(): Promise<void> {
    const { options } = this;
    const signal = this.controller.signal;
    let waitSeconds = options.waitSeconds ?? BLOCKING_WAIT_SECONDS;
    const minGapMs = options.minGapMs ?? BLOCKING_MIN_GAP_MS;
    const backoff = options.backoff ?? new Backoff();
    let index = options.startIndex ?? 0;
    let lastStart = 0;
    let failures = 0;
    /** The age of the last cut, while the query after it has not been answered. */
    let lastCutAge: number | undefined;
    /** Set after a cut: the reissue goes out at once, and its own failure is a real one. */
    let reissue = false;
    while (!this.stopped) {
      const gap = lastStart + minGapMs - Date.now();
      if (!reissue && gap > 0 && !(await sleep(gap, signal))) return;
      reissue = false;
      lastStart = Date.now();
      let result: IndexedResult<T>;
      try {
        result = await options.fetch(index > 0 ? { index, waitSeconds } : undefined, signal);
      } catch (error) {
        if (this.stopped) return;
        const age = Date.now() - lastStart;
        if (index > 0 && age >= (options.cutMinHeldMs ?? BLOCKING_CUT_MIN_HELD_MS) && isCut(error)) {
          // Cut while held: send it again with the same index; what changed meanwhile is in its answer.
          reissue = true;
          if (lastCutAge !== undefined && Math.abs(age - lastCutAge) < BLOCKING_CUT_SAME_AGE_MS) {
            const shorter = Math.max(BLOCKING_MIN_WAIT_SECONDS, Math.floor((age / 1000) * BLOCKING_CUT_WAIT_SHARE));
            if (shorter < waitSeconds) {
              waitSeconds = shorter;
              options.onCut?.(`held queries are cut after about ${Math.round(age / 1000)} s (a proxy's idle timeout?): waiting ${shorter} s per query from now on`);
            }
          } else {
            options.onCut?.(`a held query was cut after ${Math.round(age / 1000)} s; sending it again`);
          }
          lastCutAge = age;
          continue;
        }
        options.onError(error);
        if (options.isFatal?.(error)) return;
        // After a failure, start again from a plain read: what changed meanwhile is in its answer.
        index = 0;
        if (!(await sleep(backoff.delayMs(failures++), signal))) return;
        continue;
      }
      if (this.stopped) return;
      failures = 0;
      if (result.index === undefined) {
        options.onUnwatchable();
        return;
      }
      const sent = index;
      index = nextBlockingIndex(sent, result.index);
      if (result.index !== sent) {
        options.onData(result.data, result.index);
      }
    }
  }
}

/**
 * Whether a failed held query looks cut by something in between rather than refused: the connection was
 * closed or reset, or a gateway answered 502 or 504 in its place. A refused connection is not a cut.
 */
export function isCut(error: unknown): boolean {
  if (!isApiError(error)) return false;
  if (error.kind === 'http') return error.status === 502 || error.status === 504;
  if (error.kind === 'malformed') return /cut off/.test(error.reason);
  return error.kind === 'unreachable' && /closed|reset|socket|terminated/i.test(error.reason);
}
