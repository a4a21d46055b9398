import * as vscode from 'vscode';
import { ExplorerNode } from '../core/tree/explorerNode';
import { isWebUrl } from '../core/tree/links';

/** Open a router's URL, a job or allocation in the Nomad UI, a service in the Consul UI. */
export function registerOpenInBrowser(): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.openInBrowser', async (node?: ExplorerNode) => {
    const url = node?.url;
    if (!url || !isWebUrl(url)) {
      void vscode.window.showWarningMessage('Hashistack: this item has no web address to open.');
      return false;
    }
    return vscode.env.openExternal(vscode.Uri.parse(url, true));
  });
}
