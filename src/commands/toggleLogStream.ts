import * as vscode from 'vscode';
import { LogViews } from '../views/logViews';
import { logTarget } from './logTarget';

/** A log view's stdout ⇄ stderr (its title bar, or the palette with a log view active). */
export function registerToggleLogStream(logs: LogViews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.toggleLogStream', (uri?: unknown) => {
    const target = logTarget(uri);
    const refusal = target ? logs.toggleType(target) : undefined;
    if (refusal) void vscode.window.showInformationMessage(`Hashistack: ${refusal}.`);
  });
}
