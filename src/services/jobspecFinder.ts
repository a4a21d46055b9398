import * as vscode from 'vscode';
import { findJobDeclarations, JOBSPEC_EXCLUDE_GLOB, JOBSPEC_GLOB } from '../core/jobspec/jobLocator';

export interface JobspecLocation {
  uri: vscode.Uri;
  line: number;
  character: number;
}

/** The workspace jobspecs (*.nomad, *.nomad.hcl) that declare `job "<jobId>"`, in path order. */
export async function findJobspecsDefining(jobId: string): Promise<JobspecLocation[]> {
  const matches: JobspecLocation[] = [];
  for (const uri of await vscode.workspace.findFiles(JOBSPEC_GLOB, JOBSPEC_EXCLUDE_GLOB, 1000)) {
    // An open document may differ from the file on disk: read what the user sees.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    for (const declaration of findJobDeclarations(text)) {
      if (declaration.id === jobId) matches.push({ uri, line: declaration.line, character: declaration.character });
    }
  }
  return matches.sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
}
