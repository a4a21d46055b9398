import { RequestLogEntry } from './httpClient';

/** "Nomad GET /v1/jobs?namespace=default → 200 (12 ms)": what the log shows. Entries carry no headers. */
export function formatRequestLog(entry: RequestLogEntry): string {
  return `${entry.product} ${entry.method} ${entry.path} → ${entry.outcome} (${entry.milliseconds} ms)`;
}
