import * as vscode from 'vscode';
import { ExplorerNode } from '../core/tree/explorerNode';
import { DeployRunner } from '../services/deployRunner';
import { deployEcsImagesDirectly, followAfterTask, followEcsRollout } from '../services/ecsDeploys';
import { ecsConcernLine } from '../core/jobspec/ecsConcerns';
import type { EcsConcern } from '../core/tree/aws/awsProperties';
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
    vscode.commands.registerCommand('hashistack.revealEcsDefinition', async (node?: ExplorerNode | { ecsConcern?: { service: string; concern: EcsConcern } }) => {
      // A service's row, or an event or stopped task of it that names what it is about (its size, health check, image).
      const concern = node && 'ecsConcern' in node ? node.ecsConcern : undefined;
      const row = node as ExplorerNode | undefined;
      const service = concern?.service ?? (row?.lazyChildren?.kind === 'ecsTasks' ? row.lazyChildren.service : undefined);
      if (!service) return undefined;
      const definition = await findDefinition(index, service);
      if (!definition) {
        void vscode.window.showInformationMessage(`Hashistack: no ecs-*.tf file in this workspace has an aws_ecs_service named "${service}".`);
        return undefined;
      }
      const document = await vscode.workspace.openTextDocument(definition.uri);
      const line = (concern && ecsConcernLine(document.getText(), concern.concern)) ?? definition.line;
      const position = new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex);
      await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
      return { uri: definition.uri, line };
    }),
    registerTrustedCommand('hashistack.forceNewDeployment', 'Forcing a new ECS deployment', async (node?: ExplorerNode) => {
      const service = node?.lazyChildren?.kind === 'ecsTasks' ? node.lazyChildren.service : undefined;
      if (!service) return undefined;
      const store = await context.store.ready();
      const cluster = store.aws?.aws.ecsCluster;
      const choice = await vscode.window.showWarningMessage(
        `Force a new deployment of ${service}?`,
        { modal: true, detail: `ECS cluster "${cluster ?? '?'}" of "${context.store.activeProfile.name}" · region ${store.aws?.aws.region ?? '?'}\n\nECS replaces every task of the service with new ones from the same task definition (a fresh image pull of the same tag, new secrets), keeping the running ones until the new ones are healthy.` },
        'Force New Deployment',
      );
      if (choice !== 'Force New Deployment' || !store.aws) return undefined;
      try {
        const deployment = await store.aws.forceNewDeployment(service);
        context.log.info(`Forced a new deployment of ECS service ${service}${deployment ? ` (${deployment})` : ''} on "${context.store.activeProfile.name}"`);
      } catch (error) {
        void vscode.window.showErrorMessage(`Hashistack: forcing a new deployment of ${service} failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
      return followEcsRollout(context.store, context.log, service);
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
