import * as vscode from 'vscode';
import { findJobDeclarations, JOBSPEC_GLOB } from '../core/jobspec/jobLocator';
import { findWorkspaceFiles } from './workspaceFiles';

export interface JobspecLocation {
  uri: vscode.Uri;
  line: number;
  character: number;
}

/** The workspace jobspecs (*.nomad, *.nomad.hcl) that declare `job "<jobId>"`, in path order. */
export async function findJobspecsDefining(jobId: string): Promise<JobspecLocation[]> {
  const matches: JobspecLocation[] = [];
  for (const uri of await findWorkspaceFiles(JOBSPEC_GLOB, 1000)) {
    // An open document may differ from the file on disk: read what the user sees.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    for (const declaration of findJobDeclarations(text)) {
      if (declaration.id === jobId) matches.push({ uri, line: declaration.line, character: declaration.character });
    }
  }
  return matches.sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
}

/** The one jobspec that defines a job: asked for when several do (an old copy, a per-environment file). */
export async function pickJobspecDefining(jobId: string): Promise<JobspecLocation | undefined> {
  const matches = await findJobspecsDefining(jobId);
  if (matches.length === 0) {
    void vscode.window.showInformationMessage(`Hashistack: no *.nomad or *.nomad.hcl file in this workspace defines job "${jobId}".`);
    return undefined;
  }
  if (matches.length === 1) return matches[0];
  const picked = await vscode.window.showQuickPick(
    matches.map((match) => ({ label: vscode.workspace.asRelativePath(match.uri), description: `line ${match.line + 1}`, match })),
    { title: `Jobspecs that define "${jobId}"` },
  );
  return picked?.match;
}
