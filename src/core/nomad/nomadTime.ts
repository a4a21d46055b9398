import type { Nanoseconds } from './nomadApi';

const NANOSECONDS_PER_MILLISECOND = 1_000_000;

/**
 * Nomad's `CreateTime`/`ModifyTime` are Unix nanoseconds (about 1.6e18, far above 2^53).
 * `JSON.parse` keeps them to within a few hundred nanoseconds, which is harmless once divided down to
 * milliseconds; what must never happen is `new Date(ns)`, which lands some 50,000 years in the future.
 */
export function nanosecondsToDate(value: Nanoseconds | null | undefined): Date | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return undefined;
  }
  return new Date(Math.round(value / NANOSECONDS_PER_MILLISECOND));
}

/** "12s", "5m", "3h", "4d": the age a Nomad UI shows, from `now`. */
export function formatAge(date: Date | undefined, now: number): string {
  if (!date) {
    return '';
  }
  const seconds = Math.max(0, Math.floor((now - date.getTime()) / 1000));
  // "0s" reads as a duration of nothing; an event of a moment ago is "just now".
  if (seconds < JUST_NOW_SECONDS) {
    return 'just now';
  }
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  return `${Math.floor(hours / 24)} d ago`;
}

/** An age below this many seconds is "just now". */
const JUST_NOW_SECONDS = 5;
