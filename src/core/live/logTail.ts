// `tail -f` of one task's log: starts at the end with a bounded backlog, reconnects from where it was after
// a break (skipping what it already showed), and stops when asked or when the allocation stops.
import { ApiError } from '../http/apiError';
import { NomadClient } from '../nomad/nomadClient';
import { LogFrameDecoder, unseenData } from '../nomad/logFrames';
import { Backoff, sleep } from './backoff';

/** Nomad sends a `{}` heartbeat every second when a log is idle: this long without a byte is a dead connection. */
export const LOG_IDLE_MS = 10_000;

/** How much of the log a view starts with: the last 64 KiB, as the issue and `nomad alloc logs -tail` do. */
export const LOG_BACKLOG_BYTES = 64 * 1024;

/**
 * A connection that lasted this long was a working one: the next break retries from the backoff's first step.
 * A stream that breaks sooner (malformed, cut at once) keeps backing off, however often it connects.
 */
export const LOG_RECOVERED_AFTER_MS = 30_000;

export type LogStreamType = 'stdout' | 'stderr';

export interface LogTailOptions {
  allocationId: string;
  task: string;
  type: LogStreamType;
  /** The log's bytes, as they come. */
  onData(data: Uint8Array): void;
  /** What the view should say of the stream itself (reconnecting, a file event, the end). */
  onNote(text: string): void;
  /** Whether the allocation still runs: a stream that ends for a stopped allocation is not reopened. */
  stillRunning?: () => boolean;
  backlogBytes?: number;
  backoff?: Backoff;
  recoveredAfterMs?: number;
}

export class LogTail {
  private readonly controller = new AbortController();
  private last: { file?: string; offset?: number } = {};
  private done: Promise<void> | undefined;

  constructor(
    private readonly client: NomadClient,
    private readonly options: LogTailOptions,
  ) {}

  start(): Promise<void> {
    this.done ??= this.run();
    return this.done;
  }

  stop(): void {
    this.controller.abort();
  }

  /** How far the log was shown: a new file starts again, and within a file the offset never goes back. */
  private remember(frame: { file?: string; offset?: number }): void {
    if (frame.file !== undefined && frame.file !== this.last.file) this.last = { file: frame.file, offset: frame.offset };
    else if (frame.offset !== undefined && (this.last.offset === undefined || frame.offset > this.last.offset)) this.last = { file: frame.file ?? this.last.file, offset: frame.offset };
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private async run(): Promise<void> {
    const { signal } = this.controller;
    const backoff = this.options.backoff ?? new Backoff();
    let attempt = 0;
    let reconnecting = false;
    while (!signal.aborted) {
      const connected = Date.now();
      try {
        const stream = await this.client.streamLogs(this.options.allocationId, { task: this.options.task, type: this.options.type, origin: 'end', offset: this.options.backlogBytes ?? LOG_BACKLOG_BYTES, signal });
        if (reconnecting) this.options.onNote('— reconnected');
        reconnecting = false;
        const decoder = new LogFrameDecoder();
        let idle = setTimeout(() => stream.close(), LOG_IDLE_MS);
        // A reconnect starts a window before the end, so its first frames repeat what was shown: those are cut
        // by their offsets. Once past it, every byte of the connection is new: Nomad never sends a byte twice
        // on one connection, and its offsets are not exact enough to cut by (a frame that merged several reads
        // carries the offset after the first; the frames a large read is split into share one).
        let catchingUp = this.last.offset !== undefined;
        try {
          for await (const chunk of stream.body) {
            clearTimeout(idle);
            idle = setTimeout(() => stream.close(), LOG_IDLE_MS);
            for (const frame of decoder.push(chunk)) {
              if (frame.fileEvent) {
                this.options.onNote(`— ${frame.file ?? 'the log'}: ${frame.fileEvent}`);
                // A truncated file starts again at 0; a deleted one is followed by the next file.
                this.last = { file: frame.file, offset: frame.fileEvent === 'file truncated' ? 0 : undefined };
                catchingUp = false;
                continue;
              }
              let data = frame.data;
              if (catchingUp) {
                data = unseenData(frame, this.last);
                if (data.length > 0 || (frame.file !== undefined && frame.file !== this.last.file)) catchingUp = false;
              }
              if (data.length > 0) this.options.onData(data);
              this.remember(frame);
            }
          }
        } finally {
          clearTimeout(idle);
          stream.close();
        }
        if (signal.aborted) return;
        if (this.options.stillRunning && !this.options.stillRunning()) {
          this.options.onNote('— the allocation stopped; the log ends here');
          return;
        }
        reconnecting = true;
        this.options.onNote('— the stream ended; reconnecting…');
      } catch (error) {
        if (signal.aborted) return;
        // Nomad's refusals (no such allocation or task, no logs, no permission) do not get better by retrying.
        if (error instanceof ApiError && error.status !== undefined && error.status >= 400 && error.status < 500) {
          this.options.onNote(`— no log: ${error.message}`);
          return;
        }
        if (this.options.stillRunning && !this.options.stillRunning()) {
          this.options.onNote('— the allocation stopped; the log ends here');
          return;
        }
        if (!reconnecting) this.options.onNote(`— connection lost (${error instanceof Error ? error.message : String(error)}); reconnecting…`);
        reconnecting = true;
      }
      if (Date.now() - connected >= (this.options.recoveredAfterMs ?? LOG_RECOVERED_AFTER_MS)) attempt = 0;
      if (!(await sleep(backoff.delayMs(attempt++), signal))) return;
    }
  }
}
