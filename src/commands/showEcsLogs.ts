import * as vscode from 'vscode';
import { ExplorerNode } from '../core/tree/explorerNode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { LogViews } from '../views/logViews';

/**
 * Show Logs on an ECS service (every task, tasks that start later join) or task: its containers' awslogs
 * streams from CloudWatch Logs, in the same log view as Nomad's. From the palette: a service picked.
 */
export function registerShowEcsLogs(host: ClusterStoreHost, logs: LogViews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.ecsShowLogs', async (node?: ExplorerNode) => {
    if (node?.ecsTask) return logs.showEcs({ service: node.ecsTask.service, taskId: node.ecsTask.arn.split('/').pop()!, ...(node.ecsTask.stoppedAt ? { stoppedAt: node.ecsTask.stoppedAt.getTime() } : {}) });
    let service = node?.lazyChildren?.kind === 'ecsTasks' ? node.lazyChildren.service : undefined;
    if (!service) {
      const aws = (await host.ready()).aws;
      // From the palette before the AWS view was ever shown: its one load, now.
      if (aws && !aws.state.data) await aws.refresh();
      const services = aws?.state.data?.services ?? [];
      if (!aws?.aws.ecsCluster || services.length === 0) {
        void vscode.window.showInformationMessage(`Hashistack: the cluster profile "${host.activeProfile.name}" has no ECS service to show logs of${aws?.aws.ecsCluster ? ' (yet: the AWS view is still loading, or the ECS cluster has none)' : ' (set "aws.ecsCluster" in its profile)'}.`);
        return undefined;
      }
      service = (await vscode.window.showQuickPick(services.map((candidate) => ({ label: candidate.name, description: candidate.logging.awslogs.map((container) => container.group).join(', ') || 'no awslogs container' })), { title: 'Show the logs of which ECS service?' }))?.label;
      if (!service) return undefined;
    }
    return logs.showEcs({ service });
  });
}
