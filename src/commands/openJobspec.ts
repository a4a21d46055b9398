import * as vscode from 'vscode';
import { pickJobspecDefining } from '../services/jobspecFinder';
import { ExplorerNode } from '../core/tree/explorerNode';

/** Open the workspace jobspec that defines a Nomad job, at its `job "<id>"` line. */
export function registerOpenJobspec(): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.openJobspec', async (node?: ExplorerNode | string) => {
    const jobId = typeof node === 'string' ? node : node?.job?.id;
    if (!jobId) {
      return;
    }
    const target = await pickJobspecDefining(jobId);
    if (!target) {
      return;
    }
    const position = new vscode.Position(target.line, target.character);
    await vscode.window.showTextDocument(target.uri, { selection: new vscode.Range(position, position) });
  });
}
