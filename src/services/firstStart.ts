import * as vscode from 'vscode';

/** Remembered once the walkthrough was opened on a first start (per user, not per workspace). */
const WALKTHROUGH_OFFERED_KEY = 'hashistack.walkthroughOffered';
export const WALKTHROUGH_ID = 'hashistack.hashistack#gettingStarted';

/**
 * The first time the extension starts for a user, the Get Started walkthrough opens with the Hashistack view
 * beside it, so a new user is never left on a file tree with no hint (hashistack.walkthrough.openOnFirstStart).
 */
export async function openWalkthroughOnFirstStart(state: vscode.Memento, log: vscode.LogOutputChannel): Promise<boolean> {
  if (state.get<boolean>(WALKTHROUGH_OFFERED_KEY)) return false;
  if (!vscode.workspace.getConfiguration('hashistack').get<boolean>('walkthrough.openOnFirstStart', true)) return false;
  await state.update(WALKTHROUGH_OFFERED_KEY, true);
  try {
    // The walkthrough first: the workbench tracks its steps from then on, and opening the view is one.
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
    await vscode.commands.executeCommand('workbench.view.extension.hashistack');
    log.info('First start: opened the Get Started walkthrough');
    return true;
  } catch (error) {
    log.warn(`First start: the walkthrough could not be opened: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
