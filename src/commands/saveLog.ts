import * as vscode from 'vscode';
import { logTarget } from './logTarget';

/** Save Log As…: the lines the view shows (its filter and prefixes included) to a file the user picks. */
export function registerSaveLog(): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.saveLog', async (uri?: unknown, destination?: unknown) => {
    const target = logTarget(uri);
    if (!target) return undefined;
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === target.toString()) ?? (await vscode.workspace.openTextDocument(target));
    const name = target.path.split('/').filter(Boolean).join(' ').replace(/[^\w. -]+/g, '_');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const file = destination instanceof vscode.Uri ? destination : await vscode.window.showSaveDialog({ title: 'Save Log As', saveLabel: 'Save Log', defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { Logs: ['log', 'txt'] } });
    if (!file) return undefined;
    try {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(document.getText()));
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: could not save the log to ${file.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    void vscode.window.showInformationMessage(`Hashistack: saved ${document.lineCount - 1} lines of the log to ${vscode.workspace.asRelativePath(file)}.`);
    return file;
  });
}
