import * as vscode from 'vscode';
import { LOG_SCHEME } from '../views/logViews';

/**
 * The log view a log command acts on: the URI its title-bar button passes (VS Code passes the editor's
 * resource, then an object naming the editor group), else the active editor. Undefined, with a message
 * saying what to open, when neither is a log view.
 */
export function logTarget(argument: unknown): vscode.Uri | undefined {
  const target = argument instanceof vscode.Uri ? argument : vscode.window.activeTextEditor?.document.uri;
  if (target?.scheme === LOG_SCHEME) return target;
  void vscode.window.showInformationMessage('Hashistack: open a log view first (Show Logs on an allocation).');
  return undefined;
}
