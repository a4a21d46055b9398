import * as vscode from 'vscode';
import { restrictedModeMessage } from '../core/deploy/restrictedMode';

/**
 * Whether an action may run: in Restricted Mode nothing the workspace's files contain goes to a cluster or
 * to AWS, and no action that changes a cluster runs (a cloned repository's settings choose the cluster and
 * the commands). When it may not, the user is told why, where they asked, with the way to trust the workspace.
 */
export function refuseUntrusted(what: string, isTrusted: () => boolean = () => vscode.workspace.isTrusted): boolean {
  if (isTrusted()) return false;
  void vscode.window.showWarningMessage(restrictedModeMessage(what), 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return true;
}


/**
 * A command that changes a cluster (or sends the workspace's files to one): refused with words in Restricted
 * Mode, whoever calls it — a menu, the palette or another extension's executeCommand (enablement only hides).
 */
export function registerTrustedCommand<A extends unknown[]>(id: string, what: string, handler: (...args: A) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, (...args: A) => {
    if (refuseUntrusted(what)) return undefined;
    return handler(...args);
  });
}
