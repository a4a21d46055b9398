// Cluster data as documents (a Nomad variable, a Consul key): a FileSystemProvider whose files live on the
// cluster of one profile. Saves are check-and-set writes at the index the editor's text was read at:
// - VS Code's own check comes first: `stat` answers the entry's index as its mtime, so a save over a change
//   someone else made is refused by the editor with its "content is newer" choice (Compare / Overwrite), and
//   reading their version for Compare makes it the one an Overwrite replaces;
// - the CAS write closes the gap between that check and the write: a write that loses says who won, keeps the
//   user's text in the editor, and offers Compare with their version.
// A document opened on one profile is never read from or written to another: its profile is in its URI.
import * as vscode from 'vscode';
import { needVerdict } from '../core/acl/rowAccess';
import { AccessNeed } from '../core/acl/tokenAccess';
import { restrictedModeMessage } from '../core/deploy/restrictedMode';
import { isApiError } from '../core/http/apiError';
import { ClusterStore } from '../core/store/clusterStore';
import { ClusterStoreHost } from '../services/clusterStoreHost';

/** What a read of the entry gives the editor. */
export interface DocumentEntry {
  text: string;
  /** The ModifyIndex of what was read (0: it does not exist yet, and a save creates it only if it still does not). */
  index: number;
  /** Why it opens read-only (binary, too large), shown as the editor's read-only message. */
  readonly?: string;
}

/**
 * `entry`: the entry as the product now holds it — its text as a read would give it (so the stat VS Code makes
 * after the save and every later one agree), its index the base of the next save. An index of 0 when it cannot
 * be known to be ours: the next save then meets the check-and-set and shows what is there.
 */
export type DocumentWrite = { kind: 'written'; entry: DocumentEntry } | { kind: 'conflict'; theirs: DocumentEntry | undefined; who: string };

/** The target of a document, from its URI, with the words that name it to the user. */
export interface DocumentTarget {
  /** `variable nomad/jobs/billing in namespace default`. */
  description: string;
  /** The capability a 403 on reading and on writing lacks (`variables:read on nomad/jobs/billing`). */
  readCapability: string;
  writeCapability: string;
  /** What a save asks of the token (checked before anything is sent). */
  writeNeed: AccessNeed;
}

/** A save refused before anything is sent (the text is not what the product takes): its words as they are. */
export class DocumentRefusal extends Error {}

/** How long a read answers stat and readFile both (VS Code asks for one right after the other). */
const READ_REUSE_MS = 1_500;

export abstract class ClusterDocuments<Target extends DocumentTarget> implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** The last read of each document, reused by stat and readFile for a moment (VS Code asks for both at once). */
  private readonly reads = new Map<string, { entry: DocumentEntry; at: number }>();
  /**
   * The index each document's text is based on: set when its content is read (opened, reverted, or read for
   * Compare) or written, never by a stat — a save is checked-and-set against what the user's text came from.
   */
  private readonly bases = new Map<string, number>();
  /** Their version after a lost write, for Compare (read-only documents of their own). */
  private readonly theirs = new Map<string, DocumentEntry>();
  /** Documents created in the editor and not yet saved: they read as `template` until the first save. */
  private readonly drafts = new Map<string, string>();

  constructor(
    readonly scheme: string,
    protected readonly host: ClusterStoreHost,
    protected readonly log: vscode.LogOutputChannel,
  ) {}

  protected abstract target(uri: vscode.Uri): Target;
  protected abstract read(store: ClusterStore, target: Target): Promise<DocumentEntry | undefined>;
  protected abstract write(store: ClusterStore, target: Target, text: string, index: number): Promise<DocumentWrite>;
  /** What the product calls itself in messages ("Nomad", "Consul"). */
  protected abstract readonly product: string;

  /** The URI of a target on the active profile. */
  protected uriOf(path: string): vscode.Uri {
    return vscode.Uri.from({ scheme: this.scheme, path, query: new URLSearchParams({ profile: this.host.activeProfile.name }).toString() });
  }

  /** Opens a document for a new entry: empty of data until saved, which creates it only if it still does not exist. */
  async openDraft(uri: vscode.Uri, template: string): Promise<void> {
    this.drafts.set(uri.toString(), template);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  }

  watch(): vscode.Disposable {
    // Nothing is watched around the store: a change made elsewhere is found by the save's checks.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const entry = await this.entry(uri);
    return {
      type: vscode.FileType.File,
      ctime: 0,
      // The entry's index: it moves with every write, which is all VS Code's "content is newer" check needs.
      mtime: entry.index,
      size: Buffer.byteLength(entry.text),
      permissions: entry.readonly !== undefined || this.isTheirs(uri) ? vscode.FilePermission.Readonly : undefined,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const entry = await this.entry(uri);
    if (!this.isTheirs(uri)) this.bases.set(uri.toString(), entry.index);
    return Buffer.from(entry.text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    if (this.isTheirs(uri)) throw vscode.FileSystemError.NoPermissions('Their version is read-only: merge into your own document and save that.');
    // A save changes the cluster: not from a workspace that is not trusted (its settings chose the cluster).
    if (!vscode.workspace.isTrusted) throw vscode.FileSystemError.NoPermissions(restrictedModeMessage('Saving cluster data'));
    const target = this.target(uri);
    const store = await this.storeFor(uri);
    const verdict = needVerdict(store.access.current, target.writeNeed);
    if (verdict.allowed === false) throw vscode.FileSystemError.NoPermissions(`Not saved: ${verdict.lacks} on "${this.profileOf(uri)}". Nothing was sent; the text stays yours.`);
    const key = uri.toString();
    const draft = this.drafts.has(key);
    const index = draft ? 0 : (this.bases.get(key) ?? (await this.entry(uri)).index);
    const text = Buffer.from(content).toString('utf8');
    let result: DocumentWrite;
    try {
      result = await this.write(store, target, text, index);
    } catch (error) {
      throw this.failure(error, target, 'write');
    }
    if (result.kind === 'written') {
      this.drafts.delete(key);
      this.reads.set(key, { entry: result.entry, at: Date.now() });
      this.bases.set(key, result.entry.index);
      this.log.info(`Saved ${target.description} on "${this.profileOf(uri)}" (index ${result.entry.index})`);
      return;
    }
    // Another write came first. Theirs becomes the base: a deliberate save after Compare replaces it.
    if (result.theirs) {
      this.reads.set(key, { entry: result.theirs, at: 0 });
      this.bases.set(key, result.theirs.index);
      this.theirs.set(key, result.theirs);
    }
    this.drafts.delete(key);
    const message = `Hashistack: ${target.description} changed on "${this.profileOf(uri)}" since you opened it: ${result.who} won, and nothing of yours was written. Your text is still in the editor; compare, merge and save again.`;
    this.log.warn(`Not saved (check-and-set lost): ${target.description} on "${this.profileOf(uri)}"; ${result.who} won`);
    void vscode.window.showWarningMessage(message, ...(result.theirs ? ['Compare'] : [])).then((choice) => {
      if (choice === 'Compare') void this.compare(uri);
    });
    throw new Error(`${target.description} changed on the cluster meanwhile (${result.who}); nothing was written`);
  }

  /** Their version (read-only) beside the user's document. */
  async compare(uri: vscode.Uri): Promise<void> {
    const theirsUri = uri.with({ query: `${uri.query}&theirs=1` });
    await vscode.commands.executeCommand('vscode.diff', theirsUri, uri, `${uri.path.split('/').pop()}: theirs (on the cluster) ↔ yours`);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    // Folders follow from the paths (a/b/c is in a/b): there is nothing to create, and writing a/b/c works as it is.
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions("Delete it from the explorer (its Delete asks first and names the cluster).");
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Rename it from the explorer (a copy and a delete, confirmed).');
  }

  dispose(): void {
    this.changed.dispose();
  }

  private isTheirs(uri: vscode.Uri): boolean {
    return new URLSearchParams(uri.query).has('theirs');
  }

  protected profileOf(uri: vscode.Uri): string {
    return profileOfUri(uri);
  }

  private storeFor(uri: vscode.Uri): Promise<ClusterStore> {
    return profileStore(this.host, uri);
  }

  private async entry(uri: vscode.Uri): Promise<DocumentEntry> {
    const key = uri.toString();
    if (this.isTheirs(uri)) {
      const theirs = this.theirs.get(uri.with({ query: uri.query.replace(/&theirs=1$/, '') }).toString());
      if (!theirs) throw vscode.FileSystemError.FileNotFound(uri);
      return theirs;
    }
    const draft = this.drafts.get(key);
    if (draft !== undefined) return { text: draft, index: 0 };
    const recent = this.reads.get(key);
    if (recent && Date.now() - recent.at < READ_REUSE_MS) return recent.entry;
    const target = this.target(uri);
    const store = await this.storeFor(uri);
    let entry: DocumentEntry | undefined;
    try {
      entry = await this.read(store, target);
    } catch (error) {
      throw this.failure(error, target, 'read');
    }
    if (!entry) throw vscode.FileSystemError.FileNotFound(`${target.description} does not exist on "${this.profileOf(uri)}" (deleted meanwhile?)`);
    this.reads.set(key, { entry, at: Date.now() });
    return entry;
  }

  /** A failed read or write in the product's words; a 403 names the capability the token lacks. */
  private failure(error: unknown, target: Target, operation: 'read' | 'write'): Error {
    if (isApiError(error) && error.kind === 'forbidden') {
      return vscode.FileSystemError.NoPermissions(`${this.product} refused the token: it needs ${operation === 'read' ? target.readCapability : target.writeCapability} (${error.reason}).`);
    }
    if (error instanceof vscode.FileSystemError || error instanceof DocumentRefusal) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return vscode.FileSystemError.Unavailable(`${operation === 'read' ? 'Reading' : 'Writing'} ${target.description}: ${reason}`);
  }
}

/** The profile a cluster document's URI was made on (`?profile=`). */
export function profileOfUri(uri: vscode.Uri): string {
  return new URLSearchParams(uri.query).get('profile') ?? '';
}

/** The store of a document's profile; refused when another profile is active (no token crosses a profile). */
export function profileStore(host: ClusterStoreHost, uri: vscode.Uri): Promise<ClusterStore> {
  const profile = profileOfUri(uri);
  if (profile !== host.activeProfile.name) {
    return Promise.reject(vscode.FileSystemError.Unavailable(`This document is on cluster "${profile}", and "${host.activeProfile.name}" is active: select "${profile}" again (Hashistack: Select Cluster) to read or save it.`));
  }
  return host.ready();
}
