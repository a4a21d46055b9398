import * as vscode from 'vscode';
import { ExplorerNode, SectionId } from '../core/tree/explorerNode';
import { CommandContext } from './commandContext';

/** The Retry action of a section's error row: reloads that section only. */
export function registerRetrySection(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.retrySection', (node?: ExplorerNode) => {
    const section = /\bsection-(consul|nomad|traefik|aws)\b/.exec(node?.contextValue ?? '')?.[1] as SectionId | undefined;
    return context.store.refresh(section);
  });
}
