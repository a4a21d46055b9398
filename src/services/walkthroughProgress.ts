import * as vscode from 'vscode';

/**
 * The Get Started walkthrough's steps that a command completes. The workbench completes a step on
 * `onCommand:` only for commands it runs itself (the palette); a CodeLens runs its command through a
 * delegation of its own, so the steps complete on these context keys, set when the thing is done.
 */
export type WalkthroughStep = 'bumped' | 'planned' | 'deployed' | 'readLogs';

const done = new Set<WalkthroughStep>();

export function markWalkthroughStep(step: WalkthroughStep): void {
  if (done.has(step)) return;
  done.add(step);
  void vscode.commands.executeCommand('setContext', `hashistack.walkthrough.${step}`, true);
}
