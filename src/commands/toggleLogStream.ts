import * as vscode from 'vscode';
import { LOG_SCHEME, LogViews } from '../views/logViews';

/** A log view's stdout ⇄ stderr (its title bar, or the palette with a log view active). */
export function registerToggleLogStream(logs: LogViews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.toggleLogStream', (uri?: vscode.Uri) => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (target?.scheme !== LOG_SCHEME) {
      void vscode.window.showInformationMessage('Hashistack: open a log view first (Show Logs on an allocation).');
      return;
    }
    logs.toggleType(target);
  });
}
