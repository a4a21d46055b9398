import * as vscode from 'vscode';
import { ExplorerNode } from '../core/tree/explorerNode';
import { DeploymentTarget, RolloutTimelines } from '../views/rolloutTimelines';

/** Open Rollout Timeline: from a deployment's row (or the end of a followed rollout), its timeline beside the editor. */
export function registerOpenRolloutTimeline(timelines: RolloutTimelines): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.openRolloutTimeline', async (argument?: ExplorerNode | { deployment?: DeploymentTarget }) => {
    const deployment = argument?.deployment;
    if (!deployment) {
      void vscode.window.showInformationMessage('Hashistack: use Open Rollout Timeline on a deployment in the Nomad view.');
      return undefined;
    }
    return timelines.open(deployment);
  });
}
