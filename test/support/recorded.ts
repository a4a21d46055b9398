import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** test/fixtures/recorded: copies of the real products' responses (see its SOURCES.md). Never edited. */
export const RECORDED_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'recorded');

export function recordedText(file: string): string {
  return readFileSync(join(RECORDED_DIR, file), 'utf8');
}

export function recordedJson<T = unknown>(file: string): T {
  return JSON.parse(recordedText(file)) as T;
}
