// Consul's key/value store as the editor shows it: the API's shapes (test/fixtures/recorded/consul-kv/), a
// key's value as text when it is UTF-8, and what is shown of it when it is not.

/** `GET /v1/kv/:key`: one entry; `Value` is base64, null for an empty value. */
export interface ConsulKvEntry {
  Key: string;
  Value: string | null;
  Flags: number;
  CreateIndex: number;
  ModifyIndex: number;
  LockIndex?: number;
  Session?: string;
}

/** Consul refuses larger values (api-docs/kv). */
export const MAX_KV_VALUE_BYTES = 512 * 1024;
/**
 * Past this a value opens read-only: an editor is no place to change a quarter megabyte by hand, and a save would
 * send it all back. Consul's own limit is MAX_KV_VALUE_BYTES.
 */
export const KV_EDITABLE_BYTES = 256 * 1024;

export type KvValue =
  | { kind: 'text'; text: string; bytes: number }
  /** Not UTF-8: shown, never edited — a save would have to guess the bytes back. */
  | { kind: 'binary'; bytes: number; hexHead: string };

export function decodeKvValue(base64: string | null): KvValue {
  const bytes = base64 ? Buffer.from(base64, 'base64') : Buffer.alloc(0);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { kind: 'text', text, bytes: bytes.length };
  } catch {
    return { kind: 'binary', bytes: bytes.length, hexHead: hexHead(bytes) };
  }
}

/** The first bytes as `hexdump -C` shows them, for a value that is not text. */
export function hexHead(bytes: Uint8Array, count = 64): string {
  const lines: string[] = [];
  for (let at = 0; at < Math.min(bytes.length, count); at += 16) {
    const row = [...bytes.subarray(at, Math.min(at + 16, count, bytes.length))];
    const hex = row.map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = row.map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** Why a key cannot be written as given; undefined when it can. */
export function kvKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'A key needs a name, e.g. config/billing/db_url.';
  if (key.startsWith('/')) return `"${key.slice(0, 100)}" starts with "/": Consul's keys do not (write ${key.replace(/^\/+/, '').slice(0, 100)}).`;
  if (key.endsWith('/')) return `"${key.slice(0, 100)}" ends with "/": that is a folder in Consul's UI, not a key with a value.`;
  return undefined;
}

/** The rows under a prefix from `?keys&separator=/`: folders (ending in `/`) before keys, each by its last part. */
export function kvChildren(prefix: string, keys: readonly string[]): { folders: string[]; keys: string[] } {
  const folders: string[] = [];
  const leaves: string[] = [];
  for (const key of keys) {
    // Consul lists the prefix itself when a key of that exact name exists ("a/" as a key): not a child.
    if (key === prefix) continue;
    (key.endsWith('/') ? folders : leaves).push(key);
  }
  return { folders: folders.sort(), keys: leaves.sort() };
}

/** `/v1/kv/<key>`, each segment escaped. */
export function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}
