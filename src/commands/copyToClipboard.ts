import * as vscode from 'vscode';
import { ExplorerNode } from '../core/tree/explorerNode';

/** Copy Address and Copy ID on explorer rows. */
export function registerCopyCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('hashistack.copyAddress', (node?: ExplorerNode) => copy(node?.copy?.address, 'address')),
    vscode.commands.registerCommand('hashistack.copyId', (node?: ExplorerNode) => copy(node?.copy?.id, 'ID')),
  ];
}

async function copy(value: string | undefined, what: string): Promise<void> {
  if (!value) {
    void vscode.window.showWarningMessage(`Hashistack: this item has no ${what} to copy.`);
    return;
  }
  await vscode.env.clipboard.writeText(value);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${value}`, 3000);
}
