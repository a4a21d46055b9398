// The files of a demo allocation, as its client would have them: the shared `alloc/` (logs, data, tmp) and a
// directory per task (`local/`, `secrets/`, `tmp/`) holding its rendered templates. Served by the demo's
// `/v1/client/fs/ls`, `/stat`, `/cat` and `/readat` in the recorded shapes (test/fixtures/recorded/nomad-fs/).
import { allocationPathOf } from '../src/core/template/allocationPaths';

export interface DemoTaskFiles {
  name: string;
  templates: { DestPath: string; EmbeddedTmpl: string }[];
}

export interface DemoEntry {
  isDir: boolean;
  /** Undefined for a directory; for a template that waits on missing data, no file exists yet. */
  content?: Buffer;
}

/** Lines of a task's stdout, enough to pass the editor's whole-file limit (1 MiB): a large file opens in part. */
const STDOUT_LINES = 20_000;

/** Every path of the allocation directory (no leading slash), directories included. */
export function allocationTree(allocationId: string, tasks: DemoTaskFiles[], render: (template: string) => string | undefined): Map<string, DemoEntry> {
  const tree = new Map<string, DemoEntry>();
  const dir = (path: string) => tree.set(path, { isDir: true });
  const file = (path: string, content: Buffer) => {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) dir(parts.slice(0, depth).join('/'));
    tree.set(path, { isDir: false, content });
  };
  for (const path of ['alloc', 'alloc/logs', 'alloc/data', 'alloc/tmp']) dir(path);
  // A cache the app keeps: bytes that are not text.
  file('alloc/data/cache.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]));
  for (const task of tasks) {
    for (const sub of ['local', 'secrets', 'tmp']) dir(`${task.name}/${sub}`);
    const lines: string[] = [];
    for (let index = 0; index < STDOUT_LINES; index++) lines.push(`2026/11/01 12:${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')} ${task.name} ${allocationId.slice(0, 8)} GET /health 200 ${index % 7} ms`);
    file(`alloc/logs/${task.name}.stdout.0`, Buffer.from(`${lines.join('\n')}\n`));
    file(`alloc/logs/${task.name}.stderr.0`, Buffer.alloc(0));
    for (const template of task.templates) {
      const path = allocationPathOf(task.name, template.DestPath);
      const rendered = path ? render(template.EmbeddedTmpl) : undefined;
      if (path && rendered !== undefined) file(path, Buffer.from(rendered));
    }
  }
  return tree;
}

/** `ls` / `stat` entries in Nomad's shape. */
export function fileInfo(path: string, entry: DemoEntry, modTime: string) {
  return { Name: path.split('/').pop() || '/', IsDir: entry.isDir, Size: entry.isDir ? 4096 : entry.content!.length, FileMode: entry.isDir ? 'drwxrwxrwx' : '-rw-r--r--', ModTime: modTime };
}
