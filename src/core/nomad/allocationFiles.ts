// An allocation's directory as the editor shows it (`/v1/client/fs/…`, test/fixtures/recorded/nomad-fs/):
// entries, what may be shown of a file, and the words for what may not.

/** `GET /v1/client/fs/ls` and `/stat`: one entry. */
export interface AllocationFileInfo {
  Name: string;
  IsDir: boolean;
  Size: number;
  /** As `ls -l` prints it (`-rw-r--r--`). */
  FileMode: string;
  /** RFC 3339 with nanoseconds. */
  ModTime: string;
}

/** A file up to this size opens whole; a larger one opens as its first ALLOCATION_FILE_HEAD_BYTES, read with `readat`. */
export const ALLOCATION_FILE_WHOLE_BYTES = 1024 * 1024;
export const ALLOCATION_FILE_HEAD_BYTES = 256 * 1024;
/** How much of a file is looked at to tell text from binary. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

/** Whether text read from a file is really bytes that are not text (NULs, or what UTF-8 decoding replaced). */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, BINARY_SNIFF_BYTES);
  return sample.includes('\u0000') || sample.includes('\uFFFD');
}

/** The task a path belongs to (`web/secrets/db.env` → web), or undefined for the shared `alloc/`. */
export function taskOfPath(path: string): string | undefined {
  const first = path.replace(/^\/+/, '').split('/')[0];
  return first && first !== 'alloc' ? first : undefined;
}

/** Whether a path is in a task's `secrets/` directory: its files are shown only after the user says so. */
export function isSecretsPath(path: string): boolean {
  return /^\/?[^/]+\/secrets(\/|$)/.test(path) && taskOfPath(path) !== undefined;
}

/** Milliseconds since the epoch of an entry's ModTime (0 when unreadable). */
export function modifiedMs(info: Pick<AllocationFileInfo, 'ModTime'>): number {
  const ms = Date.parse(info.ModTime);
  return Number.isFinite(ms) ? ms : 0;
}

/** What a read of a file that is gone means, in words: the client collected the allocation, or the path is wrong. */
export function missingFileMessage(allocationId: string, path: string, reason: string): string {
  return /unknown allocation|allocation .* not found|garbage/i.test(reason)
    ? `Allocation ${allocationId.slice(0, 8)}'s files are gone: its client garbage-collected it (${reason}).`
    : `${path} is not in allocation ${allocationId.slice(0, 8)} (${reason}).`;
}
