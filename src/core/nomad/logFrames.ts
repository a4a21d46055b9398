// Nomad's framed log stream (`/v1/client/fs/logs/:alloc`, plain=false): JSON objects back to back with no
// delimiter — `{"Offset":N,"Data":"<base64>","File":"alloc/logs/<task>.stdout.0"}`, `{}` heartbeats, and
// `"FileEvent":"file deleted"|"file truncated"` (see test/fixtures/recorded/SOURCES.md, "Log framing").
// Decoded as it arrives, split anywhere, never needing the whole body; and a bounded ring of lines.
import { lineTime } from './logOrder';

/** A frame bigger than this is not Nomad's (its frames hold at most 64 KiB of data, 87 KiB as base64). */
export const MAX_LOG_FRAME_CHARS = 1024 * 1024;
/** The lines a log view keeps; older ones are dropped (and counted). */
export const MAX_LOG_LINES = 5_000;
/** A line longer than this is cut, so one endless line cannot take the memory. */
export const MAX_LOG_LINE_CHARS = 4_096;

export interface LogFrame {
  /** The file offset just after this frame's data (Nomad sends the offset it reached). */
  offset?: number;
  data: Uint8Array;
  file?: string;
  fileEvent?: string;
}

export class LogFrameError extends Error {}

/** Turns chunks of the stream into frames; heartbeats (`{}`) are dropped. */
export class LogFrameDecoder {
  private pending = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** How far `pending` has been scanned. */
  private scanned = 0;
  private readonly text = new TextDecoder();

  push(chunk: Uint8Array | string): LogFrame[] {
    this.pending += typeof chunk === 'string' ? chunk : this.text.decode(chunk, { stream: true });
    const frames: LogFrame[] = [];
    let start = 0;
    for (let index = this.scanned; index < this.pending.length; index++) {
      const char = this.pending[index];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (char === '\\') this.escaped = true;
        else if (char === '"') this.inString = false;
        continue;
      }
      if (char === '"') this.inString = true;
      else if (char === '{') this.depth++;
      else if (char === '}') {
        this.depth--;
        if (this.depth < 0) throw new LogFrameError(`a "}" with no frame open, at ${JSON.stringify(this.pending.slice(Math.max(0, index - 20), index + 1))}`);
        if (this.depth === 0) {
          const frame = this.frame(this.pending.slice(start, index + 1));
          if (frame) frames.push(frame);
          start = index + 1;
        }
      } else if (this.depth === 0 && !/\s/.test(char!)) {
        throw new LogFrameError(`text between frames: ${JSON.stringify(this.pending.slice(index, index + 40))}`);
      } else if (this.depth === 0) {
        start = index + 1;
      }
    }
    this.pending = this.pending.slice(start);
    this.scanned = this.pending.length;
    if (this.pending.length > MAX_LOG_FRAME_CHARS) throw new LogFrameError(`a frame longer than ${MAX_LOG_FRAME_CHARS} characters: not Nomad's log framing`);
    return frames;
  }

  private frame(json: string): LogFrame | undefined {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new LogFrameError(`a frame that is not JSON (${(error as Error).message}): ${JSON.stringify(json.slice(0, 60))}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LogFrameError(`a frame that is not an object: ${JSON.stringify(json.slice(0, 60))}`);
    const { Offset, Data, File, FileEvent } = value as Record<string, unknown>;
    if (Offset === undefined && Data === undefined && File === undefined && FileEvent === undefined) return undefined;
    if (Data !== undefined && typeof Data !== 'string') throw new LogFrameError('a frame whose "Data" is not base64 text');
    if (Offset !== undefined && typeof Offset !== 'number') throw new LogFrameError('a frame whose "Offset" is not a number');
    return {
      offset: Offset as number | undefined,
      data: Data ? Buffer.from(Data, 'base64') : new Uint8Array(),
      file: typeof File === 'string' ? File : undefined,
      fileEvent: typeof FileEvent === 'string' && FileEvent ? FileEvent : undefined,
    };
  }
}

/**
 * Lines of a stream that arrive this soon after its first bytes are its backlog (the last 64 KiB, sent at
 * once): when they arrived says nothing of when they were written.
 */
export const LOG_BACKLOG_WINDOW_MS = 1_500;

export interface LogLine {
  text: string;
  /** Which stream it came from, for a merged view (`a1b2c3d4 web`). */
  source?: string;
  /** When the line arrived (epoch ms). */
  arrivedAt?: number;
  /** When the line says it was written (epoch ms), where it says so in a common format. */
  time?: number;
  /** Whether it came with the stream's backlog rather than as it was written. */
  backlog?: boolean;
  /** A line of the view's own (a stream joined, stopped, reconnected). */
  note?: boolean;
}

/** The last MAX_LOG_LINES lines of one or several streams; a stream's unfinished last line waits for its end. */
export class LogRing {
  private readonly lines: LogLine[] = [];
  private readonly partial = new Map<string, string>();
  private readonly decoders = new Map<string, TextDecoder>();
  /** When each stream's first bytes came: what comes within LOG_BACKLOG_WINDOW_MS of it is backlog. */
  private readonly firstData = new Map<string, number>();
  /** Lines dropped off the front so far. */
  dropped = 0;

  constructor(
    private readonly capacity: number = MAX_LOG_LINES,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Adds a stream's bytes; complete lines go in, the rest waits for the next bytes of that stream. */
  append(data: Uint8Array | string, source?: string): void {
    const key = source ?? '';
    const now = this.clock();
    let decoder = this.decoders.get(key);
    if (!decoder) this.decoders.set(key, (decoder = new TextDecoder()));
    if (!this.firstData.has(key)) this.firstData.set(key, now);
    const backlog = now - this.firstData.get(key)! < LOG_BACKLOG_WINDOW_MS;
    const text = (this.partial.get(key) ?? '') + (typeof data === 'string' ? data : decoder.decode(data, { stream: true }));
    const parts = text.split('\n');
    const rest = parts.pop() ?? '';
    for (const part of parts) this.push(this.line(cut(part.replace(/\r$/, '')), source, now, backlog));
    // An unfinished line is kept only up to the limit, so a stream with no newline stays bounded.
    this.partial.set(key, rest.length > MAX_LOG_LINE_CHARS ? rest.slice(0, MAX_LOG_LINE_CHARS) : rest);
  }

  /**
   * A log event that carries its own time (CloudWatch Logs): a line per line of its message, each at the
   * event's time — shown as its time, and ordered by it in a merged view.
   */
  event(message: string, at: number, source?: string): void {
    for (const part of message.replace(/\r?\n$/, '').split('\n')) this.push({ text: cut(part.replace(/\r$/, '')), source, arrivedAt: at, time: at });
  }

  /** A line of the view's own (a stream stopped, reconnected, was truncated). */
  note(text: string, source?: string): void {
    this.flush(source);
    this.push({ text, source, arrivedAt: this.clock(), note: true });
  }

  /** Ends a stream's unfinished line. */
  flush(source?: string): void {
    const key = source ?? '';
    const rest = this.partial.get(key);
    if (rest) this.push(this.line(cut(rest), source, this.clock(), false));
    this.partial.set(key, '');
  }

  clear(): void {
    this.lines.length = 0;
    this.partial.clear();
    this.decoders.clear();
    this.firstData.clear();
    this.dropped = 0;
  }

  private line(text: string, source: string | undefined, arrivedAt: number, backlog: boolean): LogLine {
    const time = lineTime(text, arrivedAt);
    return { text, source, arrivedAt, ...(time !== undefined ? { time } : {}), ...(backlog ? { backlog } : {}) };
  }

  get size(): number {
    return this.lines.length;
  }

  /** The lines kept, oldest first, with each stream's unfinished line at the end. */
  snapshot(): LogLine[] {
    const now = this.clock();
    const unfinished = [...this.partial.entries()].filter(([, text]) => text).map(([key, text]) => this.line(text, key || undefined, now, false));
    return [...this.lines, ...unfinished];
  }

  private push(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) {
      // Drop in batches, so a long stream does not shift the array once per line.
      const excess = Math.max(this.lines.length - this.capacity, Math.floor(this.capacity / 10));
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
  }
}

function cut(text: string): string {
  return text.length > MAX_LOG_LINE_CHARS ? `${text.slice(0, MAX_LOG_LINE_CHARS)}… (${text.length - MAX_LOG_LINE_CHARS} more characters)` : text;
}

/**
 * What of a frame is new after a reconnect: the stream restarts a window before the end, so frames of the
 * same file up to the offset already shown are skipped, and one that straddles it is cut.
 */
export function unseenData(frame: LogFrame, last: { file?: string; offset?: number }): Uint8Array {
  if (frame.offset === undefined || last.offset === undefined || frame.file !== last.file) return frame.data;
  const start = frame.offset - frame.data.length;
  if (frame.offset <= last.offset) return new Uint8Array();
  if (start >= last.offset) return frame.data;
  return frame.data.subarray(last.offset - start);
}

/** A text filter, or a regular expression written `/…/flags`; undefined when `filter` is empty. */
export function logFilter(filter: string): ((line: string) => boolean) | { problem: string } | undefined {
  const trimmed = filter.trim();
  if (!trimmed) return undefined;
  const regex = /^\/(.+)\/([a-z]*)$/.exec(trimmed);
  if (regex) {
    try {
      const pattern = new RegExp(regex[1]!, regex[2]!.replace(/[gy]/g, ''));
      return (line) => pattern.test(line);
    } catch (error) {
      return { problem: `Not a regular expression: ${(error as Error).message}` };
    }
  }
  const lower = trimmed.toLowerCase();
  return (line) => line.toLowerCase().includes(lower);
}

/**
 * Colours for the streams of a merged view, from a fixed palette: each stream takes the first colour no
 * other stream of the view holds, so two streams share one only when there are more streams than colours
 * (then the least used). A stream keeps its colour while it is in the view.
 */
export class ColourSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly slots: number) {}

  slotOf(key: string): number {
    let slot = this.held.get(key);
    if (slot === undefined) {
      const uses = new Array<number>(this.slots).fill(0);
      for (const taken of this.held.values()) uses[taken]!++;
      slot = uses.indexOf(Math.min(...uses));
      this.held.set(key, slot);
    }
    return slot;
  }

  release(key: string): void {
    this.held.delete(key);
  }

  clear(): void {
    this.held.clear();
  }
}
