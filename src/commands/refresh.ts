import * as vscode from 'vscode';
import { SectionId } from '../core/tree/explorerNode';
import { CommandContext } from './commandContext';

/** Refresh All, and Refresh Consul / Nomad / Traefik from each view's title bar. */
export function registerRefreshCommands(context: CommandContext): vscode.Disposable[] {
  const sections: [string, SectionId][] = [
    ['hashistack.refreshConsul', 'consul'],
    ['hashistack.refreshNomad', 'nomad'],
    ['hashistack.refreshTraefik', 'traefik'],
    ['hashistack.refreshAws', 'aws'],
  ];
  return [
    vscode.commands.registerCommand('hashistack.refreshAll', () => context.store.refresh()),
    ...sections.map(([command, section]) => vscode.commands.registerCommand(command, () => context.store.refresh(section))),
  ];
}
