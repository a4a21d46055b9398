// Browse Files on an allocation or a task: its directory as a workspace folder in the Explorer, or walked in a
// quick pick (for those who do not want a folder added); Download saves a file of it, whole, where the user says.
import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { AllocationFiles } from '../views/allocationFiles';
import { allocationFor, AllocationRef } from './allocationTarget';

export function registerAllocationFileCommands(host: ClusterStoreHost, files: AllocationFiles): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('hashistack.browseAllocationFiles', async (argument?: { allocation?: AllocationRef }) => {
      const allocation = await allocationFor(host, argument, false);
      if (!allocation) return undefined;
      const start = files.uri(allocation.id, allocation.task ?? '');
      const choice = await vscode.window.showQuickPick(
        [
          { label: '$(list-tree) Walk its files here', detail: 'Pick a folder to go in, a file to open it (read-only).', walk: true },
          { label: '$(root-folder) Add it to the workspace', detail: 'A folder in the Explorer, read-only, until you remove it.', walk: false },
        ],
        { title: `Files of allocation ${allocation.id.slice(0, 8)} (${allocation.jobId}) on "${host.activeProfile.name}"` },
      );
      if (!choice) return undefined;
      if (!choice.walk) {
        const name = `${allocation.jobId} ${allocation.id.slice(0, 8)} (${host.activeProfile.name})`;
        vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: files.uri(allocation.id), name });
        return files.uri(allocation.id);
      }
      return walk(start, files);
    }),
    vscode.commands.registerCommand('hashistack.downloadAllocationFile', async (uri?: vscode.Uri) => {
      const source = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!source || source.scheme !== 'nomad-alloc') {
        void vscode.window.showInformationMessage("Hashistack: open a file of an allocation (Browse Files) to download it.");
        return undefined;
      }
      const target = await vscode.window.showSaveDialog({ title: `Download ${source.path.split('/').pop()}`, defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), source.path.split('/').pop() ?? 'file') });
      if (!target) return undefined;
      await files.download(source, target);
      void vscode.window.showInformationMessage(`Hashistack: saved ${source.path.split('/').slice(2).join('/')} to ${vscode.workspace.asRelativePath(target)}.`);
      return target;
    }),
  );
}

/** Folder by folder until a file is picked (opened read-only); Escape stops. */
async function walk(start: vscode.Uri, files: AllocationFiles): Promise<vscode.Uri | undefined> {
  let current = start;
  for (;;) {
    let entries: [string, vscode.FileType][];
    try {
      entries = await files.readDirectory(current);
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const atRoot = current.path.split('/').filter(Boolean).length <= 1;
    const items = [
      ...(atRoot ? [] : [{ label: '$(arrow-up) ..', uri: current.with({ path: current.path.replace(/\/[^/]+\/?$/, '') }), folder: true }]),
      ...entries
        .sort(([a, aType], [b, bType]) => (aType === bType ? a.localeCompare(b) : aType === vscode.FileType.Directory ? -1 : 1))
        .map(([name, type]) => ({ label: `${type === vscode.FileType.Directory ? '$(folder)' : '$(file)'} ${name}`, uri: current.with({ path: `${current.path.replace(/\/$/, '')}/${name}` }), folder: type === vscode.FileType.Directory })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: current.path.split('/').slice(1).join('/') || '/' });
    if (!picked) return undefined;
    if (picked.folder) {
      current = picked.uri;
      continue;
    }
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(picked.uri), { preview: false });
    return picked.uri;
  }
}
