// The Consul section's Key/Value store: folders by `/`, each held while expanded (`?keys&separator=/`), keys
// as rows that open as documents. A row never carries a value: the listing has none.
import { kvChildren } from '../../consul/kv';
import { ExplorerNode } from '../explorerNode';

export const OPEN_KV_KEY_COMMAND = 'hashistack.openKvKey';

export function kvRootNode(): ExplorerNode {
  return {
    id: 'consul/kv',
    label: 'Key/Value',
    tooltip: "Consul's key/value store: each folder is listed while it is open and kept current by a blocking query. Values show only in a key's opened document.",
    icon: { id: 'database' },
    // Not a folder for Delete: the root is the whole store.
    contextValue: 'consulKvRoot',
    collapsible: 'collapsed',
    lazyChildren: { kind: 'consulKv', prefix: '' },
    kv: { key: '' },
  };
}

/** The rows right under a prefix: folders (lazy, held while expanded) first, then keys. */
export function kvNodes(prefix: string, listed: readonly string[]): ExplorerNode[] {
  const { folders, keys } = kvChildren(prefix, listed);
  return [
    ...folders.map(
      (folder): ExplorerNode => ({
        id: `consul/kv/${folder}`,
        label: folder.slice(prefix.length, -1) || '(empty name)',
        icon: { id: 'folder' },
        contextValue: 'consulKvFolder',
        collapsible: 'collapsed',
        lazyChildren: { kind: 'consulKv', prefix: folder },
        kv: { key: folder },
      }),
    ),
    ...keys.map(
      (key): ExplorerNode => ({
        id: `consul/kv/${key}`,
        label: key.slice(prefix.length),
        tooltip: `${key}\nValue: open the key to see it`,
        icon: { id: 'symbol-string' },
        contextValue: 'consulKvKey copyId',
        collapsible: 'none',
        kv: { key },
        copy: { id: key },
        command: { id: OPEN_KV_KEY_COMMAND, title: 'Open Key', arguments: [{ kv: { key } }] },
      }),
    ),
  ];
}
