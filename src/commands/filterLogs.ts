import * as vscode from 'vscode';
import { LOG_SCHEME, LogViews } from '../views/logViews';

/** Filter a log view by text, or by a regular expression written /…/flags; empty shows every line. */
export function registerFilterLogs(logs: LogViews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.filterLogs', async (uri?: vscode.Uri, filter?: string) => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (target?.scheme !== LOG_SCHEME) {
      void vscode.window.showInformationMessage('Hashistack: open a log view first (Show Logs on an allocation).');
      return undefined;
    }
    const text = filter ?? (await vscode.window.showInputBox({ title: 'Filter the log', prompt: 'Text to keep lines that contain it, or /regex/flags; empty shows every line', value: logs.filterOf(target), validateInput: (value) => (value.trim().startsWith('/') ? logs.setFilter(target, value) : undefined) }));
    if (text === undefined) return undefined;
    const problem = logs.setFilter(target, text);
    if (problem) void vscode.window.showErrorMessage(`Hashistack: ${problem}`);
    return problem ?? true;
  });
}
