import * as vscode from 'vscode';
import { DeployAction } from '../core/deploy/deployCommand';
import { DeployRunner } from '../services/deployRunner';
import { JobspecIndex } from '../services/jobspecIndex';
import { LensTarget } from '../views/jobspecCodeLens';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { EcsOwner } from '../core/jobspec/imageScanner';
import { deployEcsImagesDirectly, followAfterTask } from '../services/ecsDeploys';
import { JobDeploys } from '../services/jobDeploys';
import { pickJobspecDefining } from '../services/jobspecFinder';
import { registerTrustedCommand } from './workspaceTrust';

/** A job row of the explorer: what the job commands get from its context menu. */
type JobRow = { job?: { id: string; namespace: string } };

/**
 * Deploy / Plan / Plan in Terminal a Nomad job (from its lens, its row in the explorer, or the job of the
 * active jobspec) and Deploy / Plan an ECS service (from its lens in an ecs-*.tf file).
 */
export function registerDeployTargetCommands(runner: DeployRunner, deploys: JobDeploys, index: JobspecIndex, host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const job = (run: (uri: vscode.Uri, jobId: string) => Promise<unknown>) => async (argument?: LensTarget | JobRow | vscode.Uri) => {
    const target = lensTarget(argument);
    if (target && 'job' in target && target.job) {
      const location = await pickJobspecDefining(target.job.id);
      return location ? run(location.uri, target.job.id) : undefined;
    }
    const resolved = await resolve(index, target as LensTarget | undefined, 'jobspec');
    if (!resolved) return undefined;
    return run(vscode.Uri.file(resolved.file), resolved.name);
  };
  const ecs = (action: DeployAction) => async (argument?: LensTarget | vscode.Uri) => {
    const target = lensTarget(argument) as LensTarget | undefined;
    const resolved = await resolve(index, target, 'ecs');
    if (!resolved) return undefined;
    const owner = await ecsOwner(index, resolved.file, resolved.name);
    if (action === 'deploy' && vscode.workspace.getConfiguration('hashistack.ecs').get<string>('deployMode') === 'direct') {
      // For services not in Terraform: the file's images, by container name, straight to ECS.
      const images = Object.fromEntries((owner?.images ?? []).filter((image) => image.container).map((image) => [image.container!, image.text]));
      const service = owner?.ecsServiceName ?? target?.imagesOf?.split('.').pop();
      if (!service || Object.keys(images).length === 0) {
        void vscode.window.showErrorMessage('Hashistack: the direct deploy needs the service name (an aws_ecs_service "name") and containers with a literal "name" beside each image.');
        return undefined;
      }
      return deployEcsImagesDirectly(host, log, service, images);
    }
    const execution = await runner.run({ kind: 'ecs', file: resolved.file, address: resolved.name }, action);
    if (execution && action === 'deploy' && owner?.ecsServiceName) {
      // After a successful apply, follow the service until its deployment completes or fails.
      followAfterTask(execution, host, log, owner.ecsServiceName);
    }
    return execution;
  };
  return [
    vscode.commands.registerCommand('hashistack.deployJob', job((uri, jobId) => deploys.deploy(uri, jobId))),
    registerTrustedCommand('hashistack.planJob', 'Plan (it sends the jobspec to the cluster)', job((uri, jobId) => deploys.showPlan(uri, jobId))),
    vscode.commands.registerCommand('hashistack.planJobInTerminal', job((uri, jobId) => deploys.planInTerminal(uri, jobId))),
    vscode.commands.registerCommand('hashistack.deployEcs', ecs('deploy')),
    vscode.commands.registerCommand('hashistack.planEcs', ecs('plan')),
  ];
}

async function ecsOwner(index: JobspecIndex, file: string, target: string): Promise<EcsOwner | undefined> {
  const scan = await index.scanUri(vscode.Uri.file(file));
  return scan?.kind === 'ecs' ? scan.scan.owners.find((owner) => owner.deployTarget === target || owner.address === target) : undefined;
}

/**
 * What a command was given: a lens's target or a job row as they are; the editor's resource (the title-bar
 * button and the editor's context menu pass its URI, then an object of their own) as a target of that file.
 */
function lensTarget(argument: LensTarget | JobRow | vscode.Uri | undefined): LensTarget | JobRow | undefined {
  if (argument instanceof vscode.Uri) return { uri: argument.toString() };
  return typeof argument === 'object' && argument !== null ? argument : undefined;
}

/** The file and the job ID / Terraform address: from the lens, else from the active editor (asking if several). */
async function resolve(index: JobspecIndex, target: LensTarget | undefined, kind: 'jobspec' | 'ecs'): Promise<{ file: string; name: string } | undefined> {
  const document = target ? await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri)) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage(`Hashistack: open ${kind === 'jobspec' ? 'a jobspec (*.nomad)' : 'an ecs-*.tf file'} first, or use "Hashistack: Deploy…".`);
    return undefined;
  }
  const named = target?.jobId ?? target?.address;
  if (named) return { file: document.uri.fsPath, name: named };
  const scan = await index.scan(document);
  const names = scan?.kind === 'jobspec' && kind === 'jobspec' ? scan.scan.jobs.map((j) => j.id) : scan?.kind === 'ecs' && kind === 'ecs' ? [...new Set(scan.scan.owners.map((o) => o.deployTarget))] : [];
  if (names.length === 0) {
    void vscode.window.showInformationMessage(`Hashistack: ${vscode.workspace.asRelativePath(document.uri)} has no ${kind === 'jobspec' ? 'job block' : 'ECS service with a container image'}.`);
    return undefined;
  }
  const name = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { title: 'Which one?' });
  return name ? { file: document.uri.fsPath, name } : undefined;
}
