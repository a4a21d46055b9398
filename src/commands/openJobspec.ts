import * as vscode from 'vscode';
import { pickJobspecDefining } from '../services/jobspecFinder';
import { ExplorerNode } from '../core/tree/explorerNode';

/** A failed placement's row: its job, its group and the scheduler's reason in words. */
export interface PlacementFailureTarget {
  jobId: string;
  group: string;
  reason: string;
}

/** How long the command waits for the cluster's Problems of a jobspec it just opened (they are computed on open). */
const PROBLEMS_WAIT_MS = 3_000;

/**
 * Open the workspace jobspec that defines a Nomad job, at its `job "<id>"` line — or, from a failed placement's
 * row, at the line its Problem is on (the constraint, the cpu/memory, the datacenters).
 */
export function registerOpenJobspec(): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.openJobspec', async (node?: ExplorerNode | PlacementFailureTarget | string) => {
    const placement = typeof node === 'object' && 'reason' in node ? node : undefined;
    const jobId = typeof node === 'string' ? node : placement ? placement.jobId : (node as ExplorerNode | undefined)?.job?.id;
    if (!jobId) {
      return;
    }
    const target = await pickJobspecDefining(jobId);
    if (!target) {
      return;
    }
    const position = new vscode.Position(target.line, target.character);
    const editor = await vscode.window.showTextDocument(target.uri, { selection: new vscode.Range(position, position) });
    if (!placement) return;
    const problem = await placementProblem(target.uri, placement);
    if (!problem) return;
    editor.selection = new vscode.Selection(problem.range.start, problem.range.start);
    editor.revealRange(problem.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
}

/** The cluster's Problem on the jobspec that a placement failure's reason names, once computed. */
async function placementProblem(uri: vscode.Uri, placement: PlacementFailureTarget): Promise<vscode.Diagnostic | undefined> {
  const find = () => {
    const ofGroup = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.message.includes(`group "${placement.group}"`) && typeof diagnostic.source === 'string' && diagnostic.source.startsWith('nomad ('));
    const constraint = /^constraint (.+) filtered/.exec(placement.reason)?.[1];
    const dimension = /exhausted on \d+ nodes?: (\w+)/.exec(placement.reason)?.[1];
    const key = constraint ?? dimension ?? (placement.reason.startsWith('no node is available') ? 'no node is available' : undefined);
    return (key && ofGroup.find((diagnostic) => diagnostic.message.includes(key))) || ofGroup[0];
  };
  const found = find();
  if (found) return found;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve(undefined);
    }, PROBLEMS_WAIT_MS);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
      const problem = find();
      if (!problem) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(problem);
    });
  });
}
