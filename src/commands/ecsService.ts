import * as vscode from 'vscode';
import { ExplorerNode } from '../core/tree/explorerNode';
import { DeployRunner } from '../services/deployRunner';
import { deployEcsImagesDirectly, followAfterTask } from '../services/ecsDeploys';
import { JobspecIndex } from '../services/jobspecIndex';
import { findWorkspaceFiles } from '../services/workspaceFiles';
import { CommandContext } from './commandContext';
import { registerTrustedCommand } from './workspaceTrust';

const ECS_FILES = '**/ecs-*.tf';

/** The ecs-*.tf owner that deploys a service, by the aws_ecs_service's name. */
async function findDefinition(index: JobspecIndex, service: string): Promise<{ uri: vscode.Uri; line: number; target: string } | undefined> {
  for (const uri of await findWorkspaceFiles(ECS_FILES, 500)) {
    const scan = await index.scanUri(uri).catch(() => undefined);
    if (scan?.kind !== 'ecs') continue;
    const owner = scan.scan.owners.find((candidate) => candidate.ecsServiceName === service);
    if (owner) return { uri, line: owner.line, target: owner.deployTarget };
  }
  return undefined;
}

/** From an ECS service row: copy its image, reveal the ecs-*.tf that defines it, deploy it. (Open in the AWS console is Open in Browser.) */
export function registerEcsServiceCommands(context: CommandContext, index: JobspecIndex, runner: DeployRunner): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('hashistack.copyImage', async (node?: ExplorerNode) => {
      const image = node?.ecsImages?.[0]?.image;
      if (!image) return;
      await vscode.env.clipboard.writeText(image);
      vscode.window.setStatusBarMessage(`$(copy) Copied ${image}`, 3000);
    }),
    vscode.commands.registerCommand('hashistack.revealEcsDefinition', async (node?: ExplorerNode) => {
      const service = node?.lazyChildren?.kind === 'ecsTasks' ? node.lazyChildren.service : undefined;
      if (!service) return;
      const definition = await findDefinition(index, service);
      if (!definition) {
        void vscode.window.showInformationMessage(`Hashistack: no ecs-*.tf file in this workspace has an aws_ecs_service named "${service}".`);
        return;
      }
      const position = new vscode.Position(definition.line, 0);
      await vscode.window.showTextDocument(definition.uri, { selection: new vscode.Range(position, position) });
    }),
    registerTrustedCommand('hashistack.deployEcsService', 'Deploying an ECS service', async (node?: ExplorerNode) => {
      const service = node?.lazyChildren?.kind === 'ecsTasks' ? node.lazyChildren.service : undefined;
      if (!service) return undefined;
      if (vscode.workspace.getConfiguration('hashistack.ecs').get<string>('deployMode') === 'direct') {
        const first = node?.ecsImages?.[0];
        if (!first) return undefined;
        const image = await vscode.window.showInputBox({ title: `New image for ${service} (container ${first.container})`, value: first.image, prompt: 'A new task definition revision is registered with this image, then the service is updated to it.' });
        if (!image || image === first.image) return undefined;
        return deployEcsImagesDirectly(context.store, context.log, service, { [first.container]: image });
      }
      const definition = await findDefinition(index, service);
      if (!definition) {
        void vscode.window.showInformationMessage(`Hashistack: no ecs-*.tf in this workspace defines "${service}"; for services not in Terraform set "hashistack.ecs.deployMode" to "direct".`);
        return undefined;
      }
      const execution = await runner.run({ kind: 'ecs', file: definition.uri.fsPath, address: definition.target }, 'deploy');
      if (execution) followAfterTask(execution, context.store, context.log, service);
      return execution;
    }),
  ];
}
