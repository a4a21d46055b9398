import * as vscode from 'vscode';
import { taskOfPath } from '../core/nomad/allocationFiles';
import { allocationPathOf } from '../core/template/allocationPaths';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { findJobspecsDefining } from '../services/jobspecFinder';
import { allocationFileOf } from '../views/allocationFiles';
import { profileStore } from '../views/clusterDocuments';
import { TemplatePreviews } from '../views/templatePreviews';

/**
 * Compare with Workspace on an allocation's rendered file: the workspace's jobspec template that renders it (same
 * job, group, task and destination), rendered now on the cluster's data, beside what the allocation rendered —
 * what a deploy of the workspace's template would change in that file. The file is read through the allocation's
 * file system, so a task's secrets still ask first.
 */
export function registerCompareWithWorkspace(host: ClusterStoreHost, previews: TemplatePreviews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.compareAllocationFileWithWorkspace', async (uri?: vscode.Uri) => {
    const source = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!source || source.scheme !== 'nomad-alloc') {
      void vscode.window.showInformationMessage('Hashistack: open a rendered file of an allocation (Browse Files) to compare it with the workspace.');
      return undefined;
    }
    const { allocationId, path } = allocationFileOf(source);
    const task = taskOfPath(path);
    let store;
    let allocation;
    try {
      store = await profileStore(host, source);
      allocation = store.nomad.state.data?.allocations.find((candidate) => candidate.ID === allocationId) ?? (await store.nomad.api.allocation(allocationId));
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const renders = await templatesRendering(previews, allocation.JobID, allocation.TaskGroup, task, path);
    if (renders.length === 0) {
      void vscode.window.showInformationMessage(`Hashistack: no template in this workspace's jobspecs renders ${path} (job "${allocation.JobID}", group "${allocation.TaskGroup}", ${task ? `task "${task}"` : 'any task'}): only a template's output has a workspace version to compare with.`);
      return undefined;
    }
    const chosen =
      renders.length === 1
        ? renders[0]
        : (await vscode.window.showQuickPick(
            renders.map((render) => ({ label: vscode.workspace.asRelativePath(render.document.uri), description: `template ${render.position + 1}`, render })),
            { title: `Jobspecs whose template renders ${path}` },
          ))?.render;
    if (!chosen) return undefined;
    let rendered: string;
    try {
      rendered = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    return previews.compare(chosen.document, chosen.position, allocationId, rendered);
  });
}

/**
 * The templates of the workspace's jobspecs for the job that render `path` of the allocation's directory (any
 * task of the group for a path under the shared `alloc/`).
 */
async function templatesRendering(previews: TemplatePreviews, jobId: string, group: string, task: string | undefined, path: string): Promise<{ document: vscode.TextDocument; position: number }[]> {
  const found: { document: vscode.TextDocument; position: number }[] = [];
  const seen = new Set<string>();
  for (const location of await findJobspecsDefining(jobId)) {
    if (seen.has(location.uri.toString())) continue;
    seen.add(location.uri.toString());
    const document = await vscode.workspace.openTextDocument(location.uri);
    (await previews.templatesOf(document)).forEach((template, position) => {
      if (template.jobId === jobId && template.group === group && (task === undefined || template.task === task) && template.destination && allocationPathOf(template.task, template.destination) === path) found.push({ document, position });
    });
  }
  return found;
}
