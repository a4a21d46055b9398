import { RequestLogEntry } from './httpClient';

/** "Nomad GET /v1/jobs?namespace=default → 200 (12 ms)": what the log shows. Entries carry no headers. */
export function formatRequestLog(entry: RequestLogEntry): string {
  const redirect = entry.redirectTo ? ` redirect to ${entry.redirectTo}` : '';
  return `${entry.product} ${entry.method} ${entry.path} → ${entry.outcome}${redirect} (${entry.milliseconds} ms)`;
}
