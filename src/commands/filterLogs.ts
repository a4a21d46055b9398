import * as vscode from 'vscode';
import { LogViews } from '../views/logViews';
import { logTarget } from './logTarget';

/**
 * Filter a log view by text, or by a regular expression written /…/flags; empty shows every line. From the
 * title bar the second argument is VS Code's editor-group context, not a filter: only a string is one.
 */
export function registerFilterLogs(logs: LogViews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.filterLogs', async (uri?: unknown, filter?: unknown) => {
    const target = logTarget(uri);
    if (!target) return undefined;
    const text = typeof filter === 'string' ? filter : await vscode.window.showInputBox({ title: 'Filter the log', prompt: 'Text to keep lines that contain it, or /regex/flags; empty shows every line', value: logs.filterOf(target), validateInput: (value) => (value.trim().startsWith('/') ? logs.setFilter(target, value) : undefined) });
    if (text === undefined) return undefined;
    const problem = logs.setFilter(target, text);
    if (problem) void vscode.window.showErrorMessage(`Hashistack: ${problem}`);
    return problem ?? true;
  });
}
