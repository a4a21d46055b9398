import * as vscode from 'vscode';
import { findJobspecsDefining } from '../services/jobspecFinder';
import { ExplorerNode } from '../core/tree/explorerNode';

/** Open the workspace jobspec that defines a Nomad job, at its `job "<id>"` line. */
export function registerOpenJobspec(): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.openJobspec', async (node?: ExplorerNode | string) => {
    const jobId = typeof node === 'string' ? node : node?.job?.id;
    if (!jobId) {
      return;
    }
    const matches = await findJobspecsDefining(jobId);
    if (matches.length === 0) {
      void vscode.window.showInformationMessage(`Hashistack: no *.nomad or *.nomad.hcl file in this workspace defines job "${jobId}".`);
      return;
    }
    const target =
      matches.length === 1
        ? matches[0]
        : await vscode.window.showQuickPick(
            matches.map((match) => ({ label: vscode.workspace.asRelativePath(match.uri), description: `line ${match.line + 1}`, match })),
            { title: `Jobspecs that define "${jobId}"` },
          ).then((picked) => picked?.match);
    if (!target) {
      return;
    }
    const position = new vscode.Position(target.line, target.character);
    await vscode.window.showTextDocument(target.uri, { selection: new vscode.Range(position, position) });
  });
}
