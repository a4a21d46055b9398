import * as vscode from 'vscode';
import { workspaceExcludeGlob } from '../core/jobspec/jobLocator';

/** Workspace files matching `include`, leaving out what the user's files.exclude and search.exclude hide. */
export function findWorkspaceFiles(include: string, maxResults: number): Thenable<vscode.Uri[]> {
  const exclude = workspaceExcludeGlob(
    vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude'),
    vscode.workspace.getConfiguration('search').get<Record<string, unknown>>('exclude'),
  );
  return vscode.workspace.findFiles(include, exclude, maxResults);
}
