// An allocation as a folder: `nomad-alloc:/<allocation-id>/<path>?profile=<name>`, read-only, over Nomad's
// `/v1/client/fs/ls`, `/stat`, `/cat` and `/readat`. A large file opens as its first part (named limits in
// core/nomad/allocationFiles.ts), a binary one is refused with its size, a task's secrets show only after the
// user says so (once per allocation and task), and a collected allocation says so.
import * as vscode from 'vscode';
import { isApiError } from '../core/http/apiError';
import { ALLOCATION_FILE_HEAD_BYTES, ALLOCATION_FILE_WHOLE_BYTES, isSecretsPath, looksBinary, missingFileMessage, modifiedMs, taskOfPath } from '../core/nomad/allocationFiles';
import { ClusterStore } from '../core/store/clusterStore';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { profileStore } from './clusterDocuments';

export const ALLOCATION_FILES_SCHEME = 'nomad-alloc';

export class AllocationFiles implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** `<allocation>/<task>` whose secrets the user agreed to see. */
  private readonly secretsShown = new Set<string>();

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The URI of an allocation's directory (or a path in it) on the active profile. */
  uri(allocationId: string, path = ''): vscode.Uri {
    return vscode.Uri.from({ scheme: ALLOCATION_FILES_SCHEME, path: `/${allocationId}${path ? `/${path.replace(/^\/+/, '')}` : ''}`, query: new URLSearchParams({ profile: this.host.activeProfile.name }).toString() });
  }

  watch(): vscode.Disposable {
    // An allocation's files are read when opened; nothing polls the client around the store.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { allocationId, path } = allocationFileOf(uri);
    if (path === '') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
    const info = await this.call(uri, (store) => store.nomad.api.allocationStat(allocationId, path));
    return { type: info.IsDir ? vscode.FileType.Directory : vscode.FileType.File, ctime: 0, mtime: modifiedMs(info), size: info.Size, permissions: vscode.FilePermission.Readonly };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { allocationId, path } = allocationFileOf(uri);
    const entries = await this.call(uri, (store) => store.nomad.api.allocationDirectory(allocationId, path));
    return entries.map((entry) => [entry.Name, entry.IsDir ? vscode.FileType.Directory : vscode.FileType.File]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { allocationId, path } = allocationFileOf(uri);
    const task = taskOfPath(path);
    if (isSecretsPath(path) && task && !this.secretsShown.has(`${allocationId}/${task}`)) {
      const choice = await vscode.window.showWarningMessage(`Show the contents of ${path} of allocation ${allocationId.slice(0, 8)}?`, { modal: true, detail: `Cluster "${this.host.activeProfile.name}". Task "${task}" keeps its secrets there (rendered credentials, tokens): they show in the editor, as plain text, until you close it.` }, 'Show Secrets');
      if (choice !== 'Show Secrets') throw vscode.FileSystemError.NoPermissions(`${path} is in ${task}'s secrets: not shown (you did not confirm).`);
      this.secretsShown.add(`${allocationId}/${task}`);
    }
    const info = await this.call(uri, (store) => store.nomad.api.allocationStat(allocationId, path));
    if (info.IsDir) throw vscode.FileSystemError.FileIsADirectory(uri);
    const whole = info.Size <= ALLOCATION_FILE_WHOLE_BYTES;
    const text = await this.call(uri, (store) => (whole ? store.nomad.api.allocationFile(allocationId, path) : store.nomad.api.allocationFileRange(allocationId, path, 0, ALLOCATION_FILE_HEAD_BYTES)));
    if (looksBinary(text)) throw vscode.FileSystemError.NoPermissions(`${path} is ${info.Size} bytes that are not text: Download it to open it with another program.`);
    this.log.info(`Read ${path} of allocation ${allocationId} (${whole ? `${info.Size} bytes` : `the first ${ALLOCATION_FILE_HEAD_BYTES} of ${info.Size} bytes`})`);
    const note = whole ? '' : `\n… the first ${ALLOCATION_FILE_HEAD_BYTES / 1024} KiB of ${(info.Size / 1024 / 1024).toFixed(1)} MiB: Download for the whole file.\n`;
    return Buffer.from(text + note, 'utf8');
  }

  /** Secrets of a task shown without asking (the user agreed elsewhere, or a test that cannot answer a modal). */
  allowSecrets(allocationId: string, task: string): void {
    this.secretsShown.add(`${allocationId}/${task}`);
  }

  /** The whole file, whatever its size, to a file the user picks. */
  async download(uri: vscode.Uri, target: vscode.Uri): Promise<void> {
    const { allocationId, path } = allocationFileOf(uri);
    const text = await this.call(uri, (store) => store.nomad.api.allocationFile(allocationId, path));
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  }

  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions("An allocation's files are read-only here: change the jobspec (a template, the image) and deploy.");
  }

  createDirectory(): void {
    this.writeFile();
  }

  delete(): void {
    this.writeFile();
  }

  rename(): void {
    this.writeFile();
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** A read on the document's profile, its failure in words: a 403 names `read-fs`, a collected allocation says so. */
  private async call<T>(uri: vscode.Uri, read: (store: ClusterStore) => Promise<T>): Promise<T> {
    const store = await profileStore(this.host, uri);
    const { allocationId, path } = allocationFileOf(uri);
    try {
      return await read(store);
    } catch (error) {
      if (isApiError(error) && error.kind === 'forbidden') throw vscode.FileSystemError.NoPermissions(`Nomad refused the token: it needs the "read-fs" capability in the allocation's namespace (${error.reason}).`);
      if (isApiError(error) && (error.kind === 'notFound' || (error.kind === 'http' && /no such file|not a directory|unknown allocation/i.test(error.reason)))) {
        throw vscode.FileSystemError.FileNotFound(missingFileMessage(allocationId, path || '/', error.reason));
      }
      throw vscode.FileSystemError.Unavailable(`Reading ${path || 'the directory'} of allocation ${allocationId.slice(0, 8)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The allocation and the path in it that a `nomad-alloc:` URI names. */
export function allocationFileOf(uri: vscode.Uri): { allocationId: string; path: string } {
  const [allocationId = '', ...rest] = uri.path.replace(/^\/+/, '').split('/');
  return { allocationId, path: rest.join('/').replace(/\/+$/, '') };
}
