// `tail -f` of CloudWatch Logs streams (an ECS container's awslogs output): the last minutes first, then new
// events through Live Tail where the account allows it, else FilterLogEvents on a paced cursor — as
// `aws logs tail --follow` does. No vscode: the log view gives it an API and callbacks.
import { Backoff, sleep } from '../live/backoff';

/** What the view starts with: the events of the last ten minutes (`aws logs tail`'s default `--since`). */
export const CLOUDWATCH_BACKLOG_MS = 10 * 60_000;
/** At most this many FilterLogEvents pages for the backlog (each holds up to 10,000 events or 1 MB). */
export const CLOUDWATCH_BACKLOG_PAGES = 5;
/** Without Live Tail, FilterLogEvents is asked this often (its quota is 5 requests per second per account and region). */
export const CLOUDWATCH_POLL_MS = 2_000;
/**
 * Each poll starts this far before the newest event seen: events are ingested late (an agent's batch, a
 * clock ahead), and FilterLogEvents selects by the event's own time. What was shown is skipped by its ID.
 */
export const CLOUDWATCH_LATE_MS = 10_000;
/** A Live Tail session that lasted this long was working: the next break retries from the backoff's first step. */
export const CLOUDWATCH_RECOVERED_AFTER_MS = 30_000;

export interface CloudWatchLogEvent {
  stream: string;
  timestamp: number;
  message: string;
  /** FilterLogEvents' eventId (Live Tail's events have none, so events are told apart by stream, time and text). */
  id?: string;
}

/** Which streams of the group: exact names (one task), or a name prefix (a service: tasks that start later join). */
export type StreamSelection = { names: string[] } | { prefix: string };

export interface CloudWatchTailTarget {
  group: string;
  /** The group's ARN (Live Tail takes only ARNs); without it, the tail polls. */
  groupArn?: string;
  streams: StreamSelection;
  /** Where the backlog starts (default: CLOUDWATCH_BACKLOG_MS ago). */
  since?: number;
  /** False for streams that end (a stopped task's): the backlog is read, and nothing followed. */
  follow?: boolean;
}

/** The CloudWatch Logs calls a tail makes (AwsCluster.cloudWatchLogs implements them with the SDK). */
export interface CloudWatchLogsApi {
  filterLogEvents(request: { group: string; streams: StreamSelection; startTime: number; nextToken?: string }, signal: AbortSignal): Promise<{ events: CloudWatchLogEvent[]; nextToken?: string }>;
  /** A Live Tail session: yields 'started' once, then each update's events; ends or throws when the session does. */
  liveTail(request: { groupArn: string; streams: StreamSelection }, signal: AbortSignal): AsyncIterable<'started' | CloudWatchLogEvent[]>;
}

export interface CloudWatchTailOptions {
  onEvents(events: CloudWatchLogEvent[]): void;
  onNote(text: string): void;
  backoff?: Backoff;
  pollMs?: number;
  clock?: () => number;
}

export class CloudWatchTail {
  private readonly controller = new AbortController();
  private done: Promise<void> | undefined;
  /** The newest event time shown, and the keys of the events shown since CLOUDWATCH_LATE_MS before it. */
  private newest = 0;
  private readonly seen = new Map<string, number>();
  /** Whether a Live Tail session ever started: until one has, a failure means Live Tail is not for this caller. */
  private liveWorked = false;

  constructor(
    private readonly api: CloudWatchLogsApi,
    private readonly target: CloudWatchTailTarget,
    private readonly options: CloudWatchTailOptions,
  ) {}

  start(): Promise<void> {
    this.done ??= this.run();
    return this.done;
  }

  stop(): void {
    this.controller.abort();
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private async run(): Promise<void> {
    const { signal } = this.controller;
    const backoff = this.options.backoff ?? new Backoff();
    let attempt = 0;
    // The backlog, read once (retried while CloudWatch cannot be reached).
    for (;;) {
      try {
        await this.catchUp(this.target.since ?? this.now() - CLOUDWATCH_BACKLOG_MS, CLOUDWATCH_BACKLOG_PAGES);
        break;
      } catch (error) {
        if (!(await this.afterFailure(error, true, backoff.delayMs(attempt++)))) return;
      }
    }
    if (this.target.follow === false) {
      this.stop();
      return;
    }
    attempt = 0;
    let live = this.target.groupArn !== undefined;
    while (!signal.aborted) {
      if (live) {
        const outcome = await this.liveTail();
        if (outcome === 'stopped') return;
        if (outcome === 'refused') {
          live = false;
          continue;
        }
        if (outcome === 'recovered') attempt = 0;
        if (!(await sleep(backoff.delayMs(attempt++), signal))) return;
        // What was logged while the session was down, before a new one starts.
        await this.catchUp(this.cursor(), Number.POSITIVE_INFINITY).catch(() => undefined);
        continue;
      }
      try {
        await this.catchUp(this.cursor(), Number.POSITIVE_INFINITY);
        if (attempt > 0) this.options.onNote('— reconnected');
        attempt = 0;
        if (!(await sleep(this.options.pollMs ?? CLOUDWATCH_POLL_MS, signal))) return;
      } catch (error) {
        if (!(await this.afterFailure(error, attempt === 0, backoff.delayMs(attempt++)))) return;
      }
    }
  }

  /** Where a catch-up starts: a late window before the newest event shown (never before the backlog's start). */
  private cursor(): number {
    return Math.max(this.newest, this.target.since ?? this.now() - CLOUDWATCH_BACKLOG_MS) - CLOUDWATCH_LATE_MS;
  }

  /** After a failed read: a refusal ends the tail, saying why; anything else waits `delayMs`. False: the tail ends. */
  private async afterFailure(error: unknown, say: boolean, delayMs: number): Promise<boolean> {
    if (this.stopped) return false;
    if (isRefusal(error)) {
      this.options.onNote(`— ${this.target.group}: ${errorWords(error)}; the log is not followed`);
      this.stop();
      return false;
    }
    if (say) this.options.onNote(`— ${this.target.group}: ${errorWords(error)}; retrying`);
    return sleep(delayMs, this.controller.signal);
  }

  /**
   * One Live Tail session until it ends. 'refused': it failed before any session ever started — no
   * logs:StartLiveTail, a partition or endpoint without its streaming host (GovCloud, LocalStack, moto answer
   * 404), a proxy that cuts event streams — so polling takes over for good;
   * 'recovered': it worked for a while, then broke; 'broken': it broke soon; 'stopped': the view closed.
   */
  private async liveTail(): Promise<'refused' | 'recovered' | 'broken' | 'stopped'> {
    const { signal } = this.controller;
    const started = this.now();
    const pollWords = () => `following with FilterLogEvents every ${(this.options.pollMs ?? CLOUDWATCH_POLL_MS) / 1000} s`;
    try {
      for await (const update of this.api.liveTail({ groupArn: this.target.groupArn!, streams: this.target.streams }, signal)) {
        if (update === 'started') {
          this.liveWorked = true;
          continue;
        }
        this.show(update);
      }
      if (signal.aborted) return 'stopped';
      if (!this.liveWorked) {
        this.options.onNote(`— Live Tail answered without starting a session: ${pollWords()}`);
        return 'refused';
      }
      // CloudWatch ends a session after three hours (SessionTimeoutException, or the stream just ends).
      this.options.onNote('— the Live Tail session ended; starting a new one');
      return 'recovered';
    } catch (error) {
      if (signal.aborted) return 'stopped';
      if (!this.liveWorked) {
        this.options.onNote(`— Live Tail is not available (${errorWords(error)}): ${pollWords()}`);
        return 'refused';
      }
      this.options.onNote(`— the Live Tail session broke (${errorWords(error)}); reconnecting`);
      return this.now() - started >= CLOUDWATCH_RECOVERED_AFTER_MS ? 'recovered' : 'broken';
    }
  }

  /** FilterLogEvents from `startTime`, following nextToken up to `maxPages`, showing what was not shown yet. */
  private async catchUp(startTime: number, maxPages: number): Promise<void> {
    let nextToken: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const output = await this.api.filterLogEvents({ group: this.target.group, streams: this.target.streams, startTime: Math.max(0, startTime), nextToken }, this.controller.signal);
      if (this.stopped) return;
      this.show(output.events);
      // A page may be empty with more to come; a token equal to the one sent would never end.
      if (!output.nextToken || output.nextToken === nextToken) return;
      nextToken = output.nextToken;
    }
    if (Number.isFinite(maxPages)) this.options.onNote(`— events after the first ${maxPages} pages were left out: filter the view, or open it again for the newest`);
  }

  private show(events: readonly CloudWatchLogEvent[]): void {
    const fresh: CloudWatchLogEvent[] = [];
    // An event is known by its stream, time and text — and which of that many alike it is: Live Tail's events have
    // no ID, and a catch-up gives the same ones with theirs; two equal lines in one millisecond are two events.
    const alike = new Map<string, number>();
    for (const event of events) {
      const content = `${event.stream}\0${event.timestamp}\0${event.message}`;
      const occurrence = (alike.get(content) ?? 0) + 1;
      alike.set(content, occurrence);
      const key = `${content}\0${occurrence}`;
      if (this.seen.has(key) || event.timestamp < this.newest - CLOUDWATCH_LATE_MS) continue;
      this.seen.set(key, event.timestamp);
      fresh.push(event);
    }
    if (fresh.length === 0) return;
    for (const event of fresh) if (event.timestamp > this.newest) this.newest = event.timestamp;
    // Keys older than the late window can no longer come again: the set stays as small as the window.
    for (const [key, timestamp] of this.seen) if (timestamp < this.newest - CLOUDWATCH_LATE_MS) this.seen.delete(key);
    this.options.onEvents(fresh.sort((a, b) => a.timestamp - b.timestamp));
  }
}

/** Errors no retry cures: the group is gone, the caller may not read it, the request is wrong. */
function isRefusal(error: unknown): boolean {
  const name = (error as Error | undefined)?.name ?? '';
  return name === 'ResourceNotFoundException' || name === 'AccessDeniedException' || name === 'InvalidParameterException' || name === 'UnrecognizedClientException';
}

function errorWords(error: unknown): string {
  const name = (error as Error | undefined)?.name;
  const message = error instanceof Error ? error.message : String(error);
  return name && name !== 'Error' && !message.includes(name) ? `${name}: ${message}` : message;
}
