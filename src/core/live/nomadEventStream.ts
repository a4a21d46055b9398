// Follows Nomad's event stream, NDJSON with `{}` heartbeats (SOURCES.md, "Event stream").
import { ApiError, isApiError } from '../http/apiError';
import type { StreamResponse } from '../http/httpClient';
import { checkEventBatch, NomadEventBatch } from '../nomad/nomadEvents';
import { Backoff, sleep } from './backoff';
import { BLOCKING_MIN_GAP_MS } from './blockingQuery';
import { isHeartbeat, NdjsonDecoder } from './ndjson';

/**
 * How long the response headers may take: a connection, a TLS handshake and a proxy's own hop. Its own
 * deadline, so that one slow handshake does not eat the first line's time.
 */
export const STREAM_HEADERS_TIMEOUT_MS = 15_000;
/**
 * Nomad writes a `{}` heartbeat as soon as a stream opens. A proxy that buffers responses delivers
 * nothing at all, so when no first line arrives this long after the headers the stream is called buffered.
 */
export const STREAM_FIRST_LINE_TIMEOUT_MS = 5_000;
/**
 * A connection that lasted at least this long was a working stream: a clean end after it reopens at once.
 * Shorter ones that end cleanly (a proxy that closes streams, a server in a restart loop) are reopened
 * after a growing backoff, not in a tight loop.
 */
export const STREAM_HEALTHY_CONNECTION_MS = 30_000;
/** Heartbeats come every 30 s; a stream silent for two and a half of them is dead and is reopened. */
export const STREAM_IDLE_TIMEOUT_MS = 75_000;

export type StreamEnd =
  /** 403 (the token lacks read-job or node:read), or Nomad 2's denial: 200, then closed before any line. */
  | { kind: 'refused'; error: unknown }
  /** Nothing arrived in time: something between us and Nomad holds the stream back. */
  | { kind: 'buffered' }
  /** The connection failed or sent something that is not an event batch: events may have been missed. */
  | { kind: 'broken'; error: unknown }
  /**
   * After a reconnect, the server's first batch is older than the last one seen: the cluster was rebuilt or
   * restored from a snapshot behind the same address. Every later event would be dropped as a replay, so
   * the owner must reload the lists and open a new stream from their indexes.
   */
  | { kind: 'reset'; lastIndex: number; serverIndex: number };

export interface NomadEventStreamOptions {
  /** Opens one connection; `headersTimeoutMs` bounds the wait for its response headers. */
  open(index: number, signal: AbortSignal, headersTimeoutMs: number): Promise<StreamResponse>;
  /** Where the data in hand was read (the lists' X-Nomad-Index): events after it are asked for. */
  startIndex: number;
  onBatch(batch: NomadEventBatch): void;
  /** The first line (a heartbeat) arrived: the stream works. */
  onOpen(): void;
  /** The stream cannot go on; the owner decides what next (fall back, or reload and reopen). */
  onEnd(end: StreamEnd): void;
  /** Describes where a malformed line came from. */
  source: { address: string };
  headersTimeoutMs?: number;
  firstLineTimeoutMs?: number;
  idleTimeoutMs?: number;
  healthyConnectionMs?: number;
  /** Paces reopening after short connections that ended cleanly. */
  backoff?: Backoff;
}

/**
 * Reads the stream batch by batch, in order. When the server ends a stream cleanly (a restart, a new
 * leader), it reopens it from the last index it saw; every other end is reported through `onEnd`.
 */
export class NomadEventStream {
  private readonly controller = new AbortController();
  private stopped = false;
  private lastIndex: number;
  /** Whether the current connection is a reconnect whose first batch has not arrived yet. */
  private checkContinuity = false;
  readonly done: Promise<void>;

  constructor(private readonly options: NomadEventStreamOptions) {
    this.lastIndex = options.startIndex;
    this.done = this.run();
  }

  /** The index of the last batch applied (or the start index). */
  get index(): number {
    return this.lastIndex;
  }

  stop(): void {
    this.stopped = true;
    this.controller.abort();
  }

  private async run(): Promise<void> {
    let everOpened = false;
    let shortEnds = 0;
    const backoff = this.options.backoff ?? new Backoff();
    while (!this.stopped) {
      const started = Date.now();
      this.checkContinuity = everOpened;
      const outcome = await this.readOnce(everOpened);
      if (this.stopped) return;
      if (outcome.kind === 'ended') {
        everOpened = true;
        const lasted = Date.now() - started;
        shortEnds = lasted >= (this.options.healthyConnectionMs ?? STREAM_HEALTHY_CONNECTION_MS) ? 0 : shortEnds + 1;
        const wait = shortEnds > 0 ? Math.max(backoff.delayMs(shortEnds - 1), BLOCKING_MIN_GAP_MS - lasted) : BLOCKING_MIN_GAP_MS - lasted;
        if (wait > 0 && !(await sleep(wait, this.controller.signal))) return;
        continue;
      }
      this.options.onEnd(outcome);
      return;
    }
  }

  /** One connection, read to its end. */
  private async readOnce(everOpened: boolean): Promise<StreamEnd | { kind: 'ended' }> {
    const connection = new AbortController();
    const onStop = () => connection.abort();
    this.controller.signal.addEventListener('abort', onStop, { once: true });
    let silence: 'first' | 'idle' | undefined;
    let timer: NodeJS.Timeout | undefined;
    let reset: StreamEnd | undefined;
    const arm = (kind: 'first' | 'idle') => {
      clearTimeout(timer);
      timer = setTimeout(
        () => {
          silence = kind;
          connection.abort();
        },
        kind === 'first' ? (this.options.firstLineTimeoutMs ?? STREAM_FIRST_LINE_TIMEOUT_MS) : (this.options.idleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS),
      );
    };
    let response: StreamResponse | undefined;
    let sawLine = false;
    try {
      response = await this.options.open(this.lastIndex + 1, connection.signal, this.options.headersTimeoutMs ?? STREAM_HEADERS_TIMEOUT_MS);
      // The first line's deadline starts with the headers: the connection's own time is not counted in it.
      arm('first');
      const decoder = new NdjsonDecoder();
      for await (const chunk of response.body) {
        for (const value of decoder.push(chunk)) {
          reset = this.line(value);
          if (reset) return reset;
          if (!sawLine) {
            sawLine = true;
            if (!everOpened) this.options.onOpen();
          }
          arm('idle');
        }
      }
      for (const value of decoder.end()) {
        reset = this.line(value);
        if (reset) return reset;
      }
      if (!sawLine) {
        // Nomad 2 answers a denied topic with 200 and closes before writing anything.
        return { kind: 'refused', error: new Error('Nomad closed the event stream before sending anything (a token without read-job or node:read?)') };
      }
      return { kind: 'ended' };
    } catch (error) {
      if (this.stopped) return { kind: 'ended' };
      if (silence === 'first') return { kind: 'buffered' };
      if (silence === 'idle') return { kind: 'broken', error: new Error(`the Nomad event stream at ${this.options.source.address} went silent (no heartbeat)`) };
      if (isApiError(error) && error.kind === 'forbidden') return { kind: 'refused', error };
      if (isApiError(error) && error.kind === 'timeout' && !sawLine) return { kind: 'buffered' };
      return { kind: 'broken', error };
    } finally {
      clearTimeout(timer);
      this.controller.signal.removeEventListener('abort', onStop);
      response?.close();
    }
  }

  /** Applies one line; returns the end of the stream when the line shows that the cluster went back in time. */
  private line(value: unknown): StreamEnd | undefined {
    if (isHeartbeat(value)) return undefined;
    const batch = checkEventBatch(value);
    if (typeof batch === 'string') {
      throw new ApiError({ kind: 'malformed', product: 'Nomad', address: this.options.source.address, path: '/v1/event/stream', reason: batch });
    }
    if (this.checkContinuity) {
      this.checkContinuity = false;
      if (batch.Index < this.lastIndex) return { kind: 'reset', lastIndex: this.lastIndex, serverIndex: batch.Index };
    }
    if (batch.Index <= this.lastIndex) return undefined;
    this.lastIndex = batch.Index;
    this.options.onBatch(batch);
    return undefined;
  }
}
