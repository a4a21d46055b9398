// Ordering a job-wide log. Nomad's log frames carry no timestamps, so each line's time comes from the line
// itself where it is written in a common format (ISO 8601 / RFC 3339, Go's `log`, the Common Log Format,
// syslog, an epoch in JSON or logfmt); a line without one (a stack trace's continuation) takes the time of
// the line before it in the same stream; a line with neither is placed by when it arrived. Backlog lines
// that arrived together and carry no time cannot be placed against other streams: their order is a guess,
// and the merged view says so with a separator.
import type { LogLine } from './logFrames';

/** Where in a line a timestamp is looked for: a log line starts with its time, or has it early on. */
const TIME_SEARCH_CHARS = 160;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ISO = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|z|[+-]\d{2}:?\d{2}|UTC)?/;
const GO_LOG = /(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/;
const COMMON_LOG = /\[(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]/;
const SYSLOG = /^([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})\b/;
const EPOCH_FIELD = /["']?\b(?:ts|time|timestamp|@timestamp)["']?\s*[:=]\s*"?(\d{10}(?:\.\d{1,9})?|\d{13})(?![\d])/;

/**
 * The time a log line says it was written, in epoch milliseconds, or undefined when it says none. Times
 * without a zone are read as UTC (what servers in a cluster log in); syslog's, which has no year, takes
 * the year of `now` (or the one before, for a December line read in January).
 */
export function lineTime(text: string, now: number = Date.now()): number | undefined {
  const head = text.length > TIME_SEARCH_CHARS ? text.slice(0, TIME_SEARCH_CHARS) : text;
  const iso = ISO.exec(head) ?? GO_LOG.exec(head);
  if (iso) {
    const zone = iso[8];
    const offset = !zone || /^(z|utc)$/i.test(zone) ? 0 : zoneMinutes(zone);
    return dateOf(+iso[1]!, +iso[2]!, +iso[3]!, +iso[4]!, +iso[5]!, +iso[6]!, iso[7], offset);
  }
  const common = COMMON_LOG.exec(head);
  if (common) {
    const month = MONTHS.indexOf(common[2]!.toLowerCase()) + 1;
    return month ? dateOf(+common[3]!, month, +common[1]!, +common[4]!, +common[5]!, +common[6]!, undefined, zoneMinutes(common[7]!)) : undefined;
  }
  const syslog = SYSLOG.exec(head);
  if (syslog) {
    const month = MONTHS.indexOf(syslog[1]!.toLowerCase()) + 1;
    if (!month) return undefined;
    const year = new Date(now).getUTCFullYear();
    const time = dateOf(year, month, +syslog[2]!, +syslog[3]!, +syslog[4]!, +syslog[5]!, undefined, 0);
    // A line from late last year, read early this year, is not from the future.
    return time !== undefined && time > now + 86_400_000 ? dateOf(year - 1, month, +syslog[2]!, +syslog[3]!, +syslog[4]!, +syslog[5]!, undefined, 0) : time;
  }
  const epoch = EPOCH_FIELD.exec(head);
  if (epoch) {
    const value = Number(epoch[1]);
    return epoch[1]!.length === 13 ? value : Math.round(value * 1000);
  }
  return undefined;
}

function zoneMinutes(zone: string): number {
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function dateOf(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction: string | undefined, offsetMinutes: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** A line of a merged view: the line, and whether its place among the other streams' lines is a guess. */
export interface MergedLine extends LogLine {
  /** A separator of the view's own, saying that the order of the lines below it is a guess. */
  separator?: boolean;
}

/**
 * Merges the lines of several streams by time, each stream keeping its own order: at each step the stream
 * whose next line is the earliest goes next (ties by arrival). Lines of the view itself (no source) are
 * placed by when they arrived. Before each run of lines whose place is a guess (backlog lines with no time
 * of their own), a separator says so.
 */
export function mergeByTime(lines: readonly LogLine[]): MergedLine[] {
  const streams = new Map<string, { lines: { line: LogLine; key: number; arrival: number }[]; next: number }>();
  const lastTime = new Map<string, number>();
  lines.forEach((line, arrival) => {
    const source = line.source ?? '';
    let stream = streams.get(source);
    if (!stream) streams.set(source, (stream = { lines: [], next: 0 }));
    const own = line.time ?? (line.note ? undefined : lastTime.get(source));
    if (line.time !== undefined) lastTime.set(source, line.time);
    stream.lines.push({ line: own !== undefined && line.time === undefined ? { ...line, time: own } : line, key: own ?? line.arrivedAt ?? 0, arrival });
  });
  // A stream's own note (joined, reconnected) stands before the line that follows it, not at its arrival:
  // otherwise a note would hold back the whole backlog behind it.
  for (const stream of streams.values()) {
    for (let index = stream.lines.length - 2; index >= 0; index--) {
      if (stream.lines[index]!.line.note) stream.lines[index]!.key = stream.lines[index + 1]!.key;
    }
  }
  const merged: MergedLine[] = [];
  const heads = [...streams.values()];
  let previousGuess = false;
  let previousSource: string | undefined;
  for (;;) {
    let best: (typeof heads)[number] | undefined;
    for (const stream of heads) {
      const head = stream.lines[stream.next];
      if (!head) continue;
      const bestHead = best?.lines[best.next];
      if (!bestHead || head.key < bestHead.key || (head.key === bestHead.key && head.arrival < bestHead.arrival)) best = stream;
    }
    if (!best) break;
    const { line } = best.lines[best.next++]!;
    const guess = line.time === undefined && line.backlog === true && !line.note;
    if (guess && (!previousGuess || previousSource !== line.source)) {
      merged.push({ text: `┈┈ ${line.source ?? 'these lines'}: earlier lines with no time of their own, placed where they arrived — their order against other allocations is a guess ┈┈`, separator: true, arrivedAt: line.arrivedAt });
    }
    previousGuess = guess;
    previousSource = line.source;
    merged.push(line);
  }
  return merged;
}
