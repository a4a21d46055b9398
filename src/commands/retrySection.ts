import * as vscode from 'vscode';
import { ExplorerNode, sectionOfRow } from '../core/tree/explorerNode';
import { CommandContext } from './commandContext';

/** The Retry action of a section's error row: reloads that section only. */
export function registerRetrySection(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.retrySection', (node?: ExplorerNode) => {
    const section = sectionOfRow(node?.contextValue);
    return context.store.refresh(section);
  });
}
