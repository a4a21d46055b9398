import * as vscode from 'vscode';
import { describePlan, PairingPlan, planElasticIpPairing } from '../core/aws/eipPairing';
import { ExplorerNode } from '../core/tree/explorerNode';
import { CommandContext } from './commandContext';
import { refuseUntrusted } from './workspaceTrust';

export interface AttachOptions {
  /** Only these addresses (an Elastic IP row passes its own); default: the free ones. */
  allocationIds?: string[];
}

/**
 * Attach Elastic IPs: pairs free (or chosen) addresses with the cluster's running nodes that have none,
 * shows the plan once, then associates. Running it again changes nothing; after an autoscaling
 * replacement it moves the address left on the old instance to the new one.
 */
export function registerAttachElasticIps(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.attachElasticIps', async (argument?: AttachOptions | ExplorerNode): Promise<PairingPlan | undefined> => {
    if (refuseUntrusted('Attach Elastic IPs')) return undefined;
    const options: AttachOptions = argument && 'contextValue' in argument ? { allocationIds: argument.copy?.id ? [argument.copy.id] : undefined } : (argument ?? {});
    const profile = context.profiles.active;
    const aws = profile.aws;
    if (!aws?.clusterTag) {
      void vscode.window.showWarningMessage(`Hashistack: the cluster "${profile.name}" has no AWS cluster tag; set "clusterTagValue" (and "awsRegion") in its profile.`, 'Configure Clusters').then((choice) => {
        if (choice) void vscode.commands.executeCommand('hashistack.configureClusters');
      });
      return undefined;
    }
    try {
      const section = (await context.store.ready()).aws;
      if (!section) return undefined;
      const step = <T>(action: string, work: () => Promise<T>): Promise<T> => section.step(action, work);
      const { cluster } = await section.connection();
      const [instances, addresses] = await Promise.all([step('ec2:DescribeInstances', () => cluster.clusterInstances(aws.clusterTag!.key, aws.clusterTag!.value)), step('ec2:DescribeAddresses', () => cluster.elasticIps())]);
      const running = instances.filter((instance) => instance.state === 'running');
      const plan = planElasticIpPairing(running, addresses, options.allocationIds, new Set(instances.map((instance) => instance.instanceId)));
      if (plan.associate.length === 0) {
        const reason = running.length === 0 ? 'no node of the cluster is running' : plan.nodesWithoutAddress.length ? 'no free Elastic IP is left' : 'every running node has an Elastic IP';
        void vscode.window.showInformationMessage(`Hashistack: nothing to attach: ${reason}.`);
        return plan;
      }
      const lines = describePlan(plan);
      const choice = await vscode.window.showWarningMessage(`Attach ${plan.associate.length} Elastic IP${plan.associate.length === 1 ? '' : 's'} in ${aws.region}?`, { modal: true, detail: lines.join('\n') }, 'Attach');
      if (choice !== 'Attach') return undefined;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Hashistack: attaching Elastic IPs', cancellable: false }, async (progress) => {
        for (const association of plan.associate) {
          progress.report({ message: `${association.publicIp} → ${association.instanceId}`, increment: 100 / plan.associate.length });
          const id = await step('ec2:AssociateAddress', () => cluster.associate(association.allocationId, association.instanceId, Boolean(association.detachesFrom)));
          context.log.info(`Attached ${association.publicIp} (${association.allocationId}) to ${association.instanceId}${association.detachesFrom ? `, detached from ${association.detachesFrom}` : ''}: ${id ?? 'no association id'}`);
        }
      });
      void vscode.window.showInformationMessage(`Hashistack: attached ${lines.slice(0, plan.associate.length).join('; ')}.`);
      await context.store.refresh('aws');
      return plan;
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: ${(error as Error).message}`);
      context.log.error(`Attach Elastic IPs: ${(error as Error).message}`);
      return undefined;
    }
  });
}
