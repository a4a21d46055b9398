import * as vscode from 'vscode';
import { findJobDeclarations, JOBSPEC_EXCLUDE_GLOB, JOBSPEC_GLOB } from '../core/jobspec/jobLocator';
import { ExplorerNode } from '../core/tree/explorerNode';

/** Open the workspace jobspec that defines a Nomad job, at its `job "<id>"` line. */
export function registerOpenJobspec(): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.openJobspec', async (node?: ExplorerNode | string) => {
    const jobId = typeof node === 'string' ? node : node?.job?.id;
    if (!jobId) {
      return;
    }
    const matches = await findJobspecs(jobId);
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

async function findJobspecs(jobId: string): Promise<{ uri: vscode.Uri; line: number; character: number }[]> {
  const files = await vscode.workspace.findFiles(JOBSPEC_GLOB, JOBSPEC_EXCLUDE_GLOB, 1000);
  const matches: { uri: vscode.Uri; line: number; character: number }[] = [];
  for (const uri of files) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    for (const declaration of findJobDeclarations(text)) {
      if (declaration.id === jobId) {
        matches.push({ uri, line: declaration.line, character: declaration.character });
      }
    }
  }
  return matches.sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
}
