// Consul KV from the explorer and the palette: open a key, create one, delete a key (at the index read) or a
// folder with everything under it, each write confirmed by a modal that names the cluster (and counts keys).
import * as vscode from 'vscode';
import { refuseLacking } from './nomadActions';
import { isApiError } from '../core/http/apiError';
import { kvKeyProblem } from '../core/consul/kv';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { KvDocuments } from '../views/kvDocuments';
import { registerTrustedCommand } from './workspaceTrust';

export function registerKvCommands(host: ClusterStoreHost, documents: KvDocuments, log: vscode.LogOutputChannel): vscode.Disposable {
  const cluster = () => `Cluster "${host.activeProfile.name}" · Consul at ${host.activeProfile.consul.address}`;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('hashistack.openKvKey', async (argument?: { kv?: { key: string } }) => {
      const key = argument?.kv?.key || (await vscode.window.showInputBox({ title: `Open a Consul key on "${host.activeProfile.name}"`, prompt: 'The key, e.g. config/billing/db_url', validateInput: kvKeyProblem }));
      if (!key) return undefined;
      return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(documents.uri(key)), { preview: false });
    }),
    registerTrustedCommand('hashistack.createKvKey', 'Creating a Consul key', async (argument?: { kv?: { key: string } }) => {
      const prefix = argument?.kv?.key ?? '';
      const key = await vscode.window.showInputBox({ title: `New key in Consul on "${host.activeProfile.name}"`, prompt: 'The key; a "/" makes folders', value: prefix, valueSelection: [prefix.length, prefix.length], validateInput: kvKeyProblem });
      if (!key) return undefined;
      try {
        if (await (await host.ready()).consul.api.kvEntry(key)) {
          void vscode.window.showWarningMessage(`Hashistack: key ${key} already exists: opening it.`);
          return vscode.commands.executeCommand('hashistack.openKvKey', { kv: { key } });
        }
      } catch (error) {
        return reportKvError(`Creating ${key}`, error, 'read', key);
      }
      if (refuseLacking(host, 'Create Key', { product: 'consul', key, operation: 'write' })) return undefined;
      const choice = await vscode.window.showWarningMessage(`Create key ${key}?`, { modal: true, detail: `${cluster()}\n\nIt opens as an empty document; it is written when you save it, and only if no one created it meanwhile.` }, 'Create Key');
      if (choice !== 'Create Key') return undefined;
      await documents.openDraft(documents.uri(key), '');
      return key;
    }),
    registerTrustedCommand('hashistack.deleteKvKey', 'Deleting a Consul key', async (argument?: { kv?: { key: string } }) => {
      const key = argument?.kv?.key;
      if (!key) return undefined;
      if (refuseLacking(host, 'Delete', { product: 'consul', key, operation: 'write' })) return undefined;
      try {
        const api = (await host.ready()).consul.api;
        if (key.endsWith('/')) {
          const under = await api.kvKeysUnder(key);
          if (under.length === 0) {
            void vscode.window.showInformationMessage(`Hashistack: nothing is under ${key} any more.`);
            return undefined;
          }
          const shown = under.slice(0, 5).join('\n') + (under.length > 5 ? `\n… and ${under.length - 5} more` : '');
          const choice = await vscode.window.showWarningMessage(`Delete ${under.length} key${under.length === 1 ? '' : 's'} under ${key}?`, { modal: true, detail: `${cluster()}\n\n${shown}\n\nEvery key under the prefix is deleted, including any written since this count.` }, 'Delete All');
          if (choice !== 'Delete All') return undefined;
          await api.kvDelete(key, { recurse: true });
          log.info(`Deleted ${under.length} key(s) under ${key} on "${host.activeProfile.name}"`);
          void vscode.window.showInformationMessage(`Hashistack: deleted ${under.length} key${under.length === 1 ? '' : 's'} under ${key}.`);
          return under.length;
        }
        const entry = await api.kvEntry(key);
        if (!entry) {
          void vscode.window.showInformationMessage(`Hashistack: key ${key} is already gone.`);
          return undefined;
        }
        const choice = await vscode.window.showWarningMessage(`Delete key ${key}?`, { modal: true, detail: `${cluster()}\n\nIts value is gone for good; templates that read it stop rendering.` }, 'Delete Key');
        if (choice !== 'Delete Key') return undefined;
        if (!(await api.kvDelete(key, { cas: entry.ModifyIndex }))) {
          void vscode.window.showWarningMessage(`Hashistack: key ${key} changed while you were asked: not deleted. Look at it again first.`);
          return undefined;
        }
        log.info(`Deleted key ${key} on "${host.activeProfile.name}"`);
        void vscode.window.showInformationMessage(`Hashistack: deleted key ${key}.`);
        return 1;
      } catch (error) {
        return reportKvError(`Deleting ${key}`, error, 'write', key);
      }
    }),
  );
}

/** A KV operation's failure in Consul's words; a 403 names the ACL rule the token lacks. */
function reportKvError(what: string, error: unknown, access: 'read' | 'write', key: string): undefined {
  const reason = error instanceof Error ? error.message : String(error);
  const forbidden = isApiError(error) && error.kind === 'forbidden' ? ` The Consul token needs "key:${access}" on ${key} (a key_prefix rule that covers it).` : '';
  void vscode.window.showErrorMessage(`Hashistack: ${what} failed: ${reason}${forbidden}`);
  return undefined;
}
