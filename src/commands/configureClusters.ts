import * as vscode from 'vscode';

/** Opens the settings UI at the cluster profiles. */
export function registerConfigureClusters(): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.configureClusters', () => vscode.commands.executeCommand('workbench.action.openSettings', 'hashistack.clusters'));
}
