import * as vscode from 'vscode';
import { restoreTagEdits } from '../core/jobspec/bumpEdit';
import { runningImages } from '../core/jobspec/deployStatus';
import { NomadJob } from '../core/nomad/nomadApi';
import { itemNamespace } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { RESTRICTED_MODE_MESSAGE } from '../services/deployRunner';
import { JobspecIndex } from '../services/jobspecIndex';

export interface RestoreRunningTagArgument {
  /** The jobspec that was deployed (a URI or its string). */
  file: vscode.Uri | string;
  jobId: string;
  namespace: string;
}

/**
 * Restore the Running Tag (offered when a deploy failed): the image tags of the version whose allocations
 * run now, put back in the jobspec as one edit (one Undo takes it back) and saved, so the file says again
 * what runs. The version is the newest one that has running allocations, else the newest stable one.
 */
export function registerRestoreRunningTag(host: ClusterStoreHost, index: JobspecIndex): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.restoreRunningTag', async (argument?: RestoreRunningTagArgument) => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(RESTRICTED_MODE_MESSAGE);
      return undefined;
    }
    if (!argument?.file || !argument.jobId) {
      void vscode.window.showInformationMessage('Hashistack: Restore the Running Tag is offered by a failed deploy\'s notification.');
      return undefined;
    }
    const store = host.store;
    if (!store) return undefined;
    const { jobId, namespace } = argument;
    let running: NomadJob | undefined;
    try {
      running = await runningVersion(host, jobId, namespace);
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: could not read the versions of ${jobId}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    if (!running) {
      void vscode.window.showInformationMessage(`Hashistack: no version of ${jobId} runs on "${host.activeProfile.name}": there is no running tag to restore.`);
      return undefined;
    }
    const uri = typeof argument.file === 'string' ? vscode.Uri.parse(argument.file) : argument.file;
    const document = await vscode.workspace.openTextDocument(uri);
    const scan = await index.scan(document);
    const sites = scan?.kind === 'jobspec' ? scan.scan.images.filter((site) => site.jobId === jobId) : [];
    const restored = restoreTagEdits(sites, runningImages(running));
    const file = vscode.workspace.asRelativePath(uri);
    if (restored.length === 0) {
      void vscode.window.showInformationMessage(`Hashistack: ${file} already has the tags job version ${running.Version} runs.`);
      return [];
    }
    const edit = new vscode.WorkspaceEdit();
    for (const { edit: change } of restored) edit.replace(uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
    if (!(await vscode.workspace.applyEdit(edit))) return undefined;
    await document.save();
    void vscode.window.showInformationMessage(`Hashistack: restored in ${file} the tags of job version ${running.Version}, which runs: ${restored.map((entry) => `task ${entry.task} ${entry.from} → ${entry.to}`).join(', ')}. Undo takes it back.`);
    return restored.map(({ task, from, to }) => ({ task, from, to }));
  });
}

/** The definition of the version that runs: the newest with running allocations, else the newest stable one. */
async function runningVersion(host: ClusterStoreHost, jobId: string, namespace: string): Promise<NomadJob | undefined> {
  const store = host.store!;
  const data = store.nomad.state.data;
  const runningVersions = (data?.allocations ?? []).filter((allocation) => allocation.JobID === jobId && itemNamespace(allocation.Namespace, data!.namespace) === namespace && allocation.DesiredStatus === 'run' && allocation.ClientStatus === 'running').map((allocation) => allocation.JobVersion);
  const { Versions: versions } = await store.nomad.api.jobVersions(jobId, namespace);
  const newestRunning = runningVersions.length ? Math.max(...runningVersions) : undefined;
  return versions.find((version) => version.Version === newestRunning) ?? [...versions].sort((a, b) => (b.Version ?? 0) - (a.Version ?? 0)).find((version) => version.Stable);
}
