import * as vscode from 'vscode';
import { jobStatusLens } from '../core/jobspec/deployStatus';
import { singleNamespace } from '../core/tree/nomad/nomadProperties';
import { findWorkspaceFiles } from '../services/workspaceFiles';
import { JobspecIndex } from '../services/jobspecIndex';
import { ClusterStoreHost } from '../services/clusterStoreHost';

const DEPLOYABLE_GLOB = '**/{*.nomad,*.nomad.hcl,ecs-*.tf}';

/** "Deploy…": every jobspec job and ECS service of the workspace in one list, with its file's tag and what runs now. */
export function registerDeployPicker(index: JobspecIndex, host: ClusterStoreHost): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.deploy', async () => {
    const files = await findWorkspaceFiles(DEPLOYABLE_GLOB, 2000);
    type Item = vscode.QuickPickItem & { run?: () => Thenable<unknown> };
    const jobs: Item[] = [];
    const services: Item[] = [];
    const profile = host.activeProfile;
    const nomad = host.store?.nomad;
    const namespace = singleNamespace(profile.nomad.namespace);
    // Entries go through the lenses' commands: a job is planned, confirmed and followed; an ECS service is
    // followed and honours the deploy mode.
    for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      const scan = await index.scanUri(uri).catch(() => undefined);
      const path = vscode.workspace.asRelativePath(uri);
      if (scan?.kind === 'jobspec') {
        for (const job of scan.scan.jobs) {
          const tags = [...new Set(job.images.map((image) => image.tag?.text ?? image.text))].join(', ');
          const status = nomad?.state.data ? jobStatusLens(job.id, namespace, job.images, nomad.state.data, nomad.jobDefinition(namespace, job.id), profile.name) : undefined;
          jobs.push({ label: `$(package) ${job.id}`, description: tags ? `file ${tags}` : '', detail: `${path}${status ? ` · ${status.title}` : ''}`, run: () => vscode.commands.executeCommand('hashistack.deployJob', { uri: uri.toString(), jobId: job.id }) });
        }
      } else if (scan?.kind === 'ecs') {
        for (const owner of scan.scan.owners) {
          const tags = [...new Set(owner.images.map((image) => image.tag?.text ?? image.text))].join(', ');
          services.push({ label: `$(cloud) ${owner.address}`, description: `file ${tags}`, detail: `${path} · terraform apply -target=${owner.deployTarget}`, run: () => vscode.commands.executeCommand('hashistack.deployEcs', { uri: uri.toString(), address: owner.deployTarget, imagesOf: owner.address }) });
        }
      }
    }
    if (jobs.length + services.length === 0) {
      void vscode.window.showInformationMessage('Hashistack: no *.nomad, *.nomad.hcl or ecs-*.tf file with a job or ECS service in this workspace.');
      return;
    }
    const items: Item[] = [
      ...(jobs.length ? [{ label: `Nomad jobs on "${profile.name}"`, kind: vscode.QuickPickItemKind.Separator } as Item, ...jobs] : []),
      ...(services.length ? [{ label: 'ECS services (Terraform)', kind: vscode.QuickPickItemKind.Separator } as Item, ...services] : []),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Hashistack: Deploy', matchOnDescription: true, matchOnDetail: true });
    await picked?.run?.();
  });
}
