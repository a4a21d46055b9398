// Consul keys as documents: `consul-kv:/<key>?profile=<name>`, the value as text, saved with
// `PUT /v1/kv/<key>?cas=<index read>&flags=<flags read>`. A value that is not UTF-8, or larger than
// KV_EDITABLE_BYTES, opens read-only as a note that says what it is.
import * as vscode from 'vscode';
import { decodeKvValue, KV_EDITABLE_BYTES, kvKeyProblem, MAX_KV_VALUE_BYTES } from '../core/consul/kv';
import { ClusterStore } from '../core/store/clusterStore';
import { ClusterDocuments, DocumentEntry, DocumentRefusal, DocumentTarget, DocumentWrite } from './clusterDocuments';

export const KV_SCHEME = 'consul-kv';

interface KvTarget extends DocumentTarget {
  key: string;
}

export class KvDocuments extends ClusterDocuments<KvTarget> {
  protected readonly product = 'Consul';
  /** The flags each key was read with: a save keeps them. */
  private readonly flags = new Map<string, number>();

  uri(key: string): vscode.Uri {
    return this.uriOf(`/${key}`);
  }

  protected target(uri: vscode.Uri): KvTarget {
    const key = uri.path.replace(/^\//, '');
    const problem = kvKeyProblem(key);
    if (problem) throw vscode.FileSystemError.FileNotFound(problem);
    return { key, description: `key ${key}`, readCapability: `"key:read" on ${key}`, writeCapability: `"key:write" on ${key}`, writeNeed: { product: 'consul', key, operation: 'write' } };
  }

  protected async read(store: ClusterStore, target: KvTarget): Promise<DocumentEntry | undefined> {
    const entry = await store.consul.api.kvEntry(target.key);
    if (!entry) return undefined;
    this.flags.set(target.key, entry.Flags);
    const value = decodeKvValue(entry.Value);
    if (value.kind === 'binary') {
      return { text: `# ${target.key}: ${value.bytes} bytes that are not UTF-8 text — shown, not editable (a save could not give the bytes back).\n# The first bytes:\n${value.hexHead}\n`, index: entry.ModifyIndex, readonly: 'binary' };
    }
    if (value.bytes > KV_EDITABLE_BYTES) return { text: value.text, index: entry.ModifyIndex, readonly: `larger than ${KV_EDITABLE_BYTES / 1024} KiB` };
    return { text: value.text, index: entry.ModifyIndex };
  }

  protected async write(store: ClusterStore, target: KvTarget, text: string, index: number): Promise<DocumentWrite> {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > MAX_KV_VALUE_BYTES) throw new DocumentRefusal(`The value is ${bytes.length} bytes; Consul takes at most ${MAX_KV_VALUE_BYTES}.`);
    if (await store.consul.api.kvPut(target.key, bytes, { cas: index, flags: this.flags.get(target.key) })) {
      // Consul answers true without the new index: read it back. If the value there is no longer ours (someone
      // wrote right after), the base is 0, which the next save's check-and-set refuses.
      const now = await store.consul.api.kvEntry(target.key);
      const ours = now && decodeKvValue(now.Value).kind === 'text' && Buffer.from(now.Value ?? '', 'base64').equals(bytes);
      return { kind: 'written', entry: { text, index: ours ? now.ModifyIndex : 0 } };
    }
    // Consul's `false`: another write came first (or the key appeared, for a new one). Read what is there now.
    const current = await store.consul.api.kvEntry(target.key);
    if (!current) return { kind: 'conflict', theirs: undefined, who: 'a delete' };
    const value = decodeKvValue(current.Value);
    return { kind: 'conflict', theirs: { text: value.kind === 'text' ? value.text : `# ${value.bytes} bytes that are not UTF-8 text\n${value.hexHead}\n`, index: current.ModifyIndex }, who: `their value (index ${current.ModifyIndex})` };
  }
}
