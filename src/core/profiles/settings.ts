// Numeric settings read from the user's configuration: out of range or not a number is clamped, and said.

export const REQUEST_TIMEOUT_RANGE = { min: 1, max: 300, fallback: 10 } as const;

/** `hashistack.requestTimeoutSeconds` in force, and what was wrong with the value set, if anything. */
export function requestTimeoutSeconds(value: unknown): { seconds: number; problem?: string } {
  const { min, max, fallback } = REQUEST_TIMEOUT_RANGE;
  if (value === undefined || value === null) return { seconds: fallback };
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { seconds: fallback, problem: `"hashistack.requestTimeoutSeconds" is ${JSON.stringify(value)}, not a number of seconds; using ${fallback}.` };
  }
  if (value < min || value > max) {
    const seconds = Math.min(max, Math.max(min, value));
    return { seconds, problem: `"hashistack.requestTimeoutSeconds" is ${value}, outside ${min}–${max}; using ${seconds}.` };
  }
  return { seconds: value };
}
