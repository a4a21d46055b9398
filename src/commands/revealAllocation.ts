import * as vscode from 'vscode';
import { ClusterExplorer } from '../views/clusterExplorer';

/** Reveal Allocation: from a Consul instance that Nomad registered, to its allocation in the Nomad view. */
export function registerRevealAllocation(explorer: ClusterExplorer): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.revealAllocation', async (argument?: { linkedAllocation?: string }) => {
    if (!argument?.linkedAllocation) {
      void vscode.window.showInformationMessage('Hashistack: use Reveal Allocation on a Consul instance registered by Nomad.');
      return false;
    }
    return explorer.revealNomadAllocation(argument.linkedAllocation);
  });
}

/** Reveal Evaluation: from a Problem that a blocked evaluation reported, to its row under its job. */
export function registerRevealEvaluation(explorer: ClusterExplorer): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.revealEvaluation', async (argument?: { evaluation?: { id: string; jobId: string; namespace: string } }) => {
    const evaluation = argument?.evaluation;
    if (!evaluation) {
      void vscode.window.showInformationMessage('Hashistack: use Reveal Evaluation on a Problem that a blocked evaluation reported.');
      return false;
    }
    return explorer.revealNomadEvaluation(evaluation.jobId, evaluation.namespace, evaluation.id);
  });
}
