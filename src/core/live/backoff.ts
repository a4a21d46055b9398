// Retry delays and cancellable waits for the live watchers.

/** First retry after a failure. */
export const BACKOFF_BASE_MS = 1_000;
/** Retries never wait longer than this, so a server that comes back is seen within half a minute. */
export const BACKOFF_MAX_MS = 30_000;

/** Capped exponential backoff with jitter: attempt n waits between half and all of min(max, base·2ⁿ). */
export class Backoff {
  constructor(
    private readonly baseMs = BACKOFF_BASE_MS,
    private readonly maxMs = BACKOFF_MAX_MS,
    private readonly random: () => number = Math.random,
  ) {}

  delayMs(attempt: number): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(attempt, 30));
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }
}

/** Waits `ms`; resolves false at once if `signal` aborts first (the caller should stop). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
