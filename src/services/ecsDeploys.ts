import * as vscode from 'vscode';
import { rolloutOutcome, ServiceRollout } from '../core/aws/awsCluster';
import { ClusterStoreHost } from './clusterStoreHost';

/** ECS moves a deployment along every few seconds; polling faster only spends API calls. */
export const ROLLOUT_POLL_INTERVAL_MS = 5_000;
/** Past this, a rollout is left to ECS (its own circuit breaker decides) and the notification says so. */
export const ROLLOUT_FOLLOW_LIMIT_MS = 30 * 60_000;

/**
 * Follows an ECS service's deployment until ECS reports it COMPLETED or FAILED: in a progress
 * notification, refreshing the AWS section of the explorer as it goes.
 */
export async function followEcsRollout(host: ClusterStoreHost, log: vscode.LogOutputChannel, service: string): Promise<'completed' | 'failed' | 'stopped' | undefined> {
  const aws = (await host.ready()).aws;
  const connection = await aws?.connection().catch(() => undefined);
  const cluster = connection?.aws.ecsCluster;
  if (!connection || !cluster) {
    log.info(`Not following ECS service "${service}": the cluster profile names no ECS cluster ("ecsCluster").`);
    return undefined;
  }
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ECS ${cluster}/${service}`, cancellable: true }, async (progress, token) => {
    const started = Date.now();
    let last: ServiceRollout | undefined;
    while (!token.isCancellationRequested && Date.now() - started < ROLLOUT_FOLLOW_LIMIT_MS) {
      try {
        last = await aws!.step('ecs:DescribeServices', () => connection.cluster.serviceRollout(cluster, service));
      } catch (error) {
        void vscode.window.showErrorMessage(`Hashistack: stopped following ${service}: ${(error as Error).message}`);
        return 'stopped';
      }
      const outcome = rolloutOutcome(last);
      progress.report({ message: `${last.running}/${last.desired} running${last.pending ? `, ${last.pending} pending` : ''} · ${(last.rolloutState ?? 'rolling out').toLowerCase().replace('_', ' ')}` });
      void host.refresh('aws');
      if (outcome !== 'inProgress') {
        log.info(`ECS ${service}: deployment ${outcome}${last.rolloutReason ? ` (${last.rolloutReason})` : ''}`);
        if (outcome === 'completed') {
          void vscode.window.showInformationMessage(`Hashistack: ${service} deployed: ${last.running}/${last.desired} running.`);
        } else {
          void vscode.window.showErrorMessage(`Hashistack: the deployment of ${service} failed${last.rolloutReason ? `: ${last.rolloutReason}` : ''}.`);
        }
        return outcome;
      }
      await new Promise((resolve) => setTimeout(resolve, ROLLOUT_POLL_INTERVAL_MS));
    }
    void vscode.window.showWarningMessage(`Hashistack: stopped following ${service}${token.isCancellationRequested ? '' : ' after 30 minutes'}; ECS carries on with the deployment.`);
    return 'stopped';
  });
}

/** The direct deploy (services not in Terraform): new task definition revision with these images, then UpdateService, then follow. */
export async function deployEcsImagesDirectly(host: ClusterStoreHost, log: vscode.LogOutputChannel, service: string, images: Record<string, string>): Promise<'completed' | 'failed' | 'stopped' | undefined> {
  const aws = (await host.ready()).aws;
  const connection = await aws?.connection().catch((error: unknown) => {
    void vscode.window.showErrorMessage(`Hashistack: ${(error as Error).message}`);
    return undefined;
  });
  const cluster = connection?.aws.ecsCluster;
  if (!connection || !cluster) {
    void vscode.window.showWarningMessage('Hashistack: set "ecsCluster" (and "awsRegion") in the cluster profile to deploy to ECS directly.');
    return undefined;
  }
  let arn: string;
  try {
    arn = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ECS ${service}: registering a task definition revision` }, () =>
      aws!.step('ecs:RegisterTaskDefinition / ecs:UpdateService', () => connection.cluster.deployImages(cluster, service, images)),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Hashistack: ${(error as Error).message}`);
    return undefined;
  }
  log.info(`ECS ${service}: updated to ${arn.split('/').pop()} with ${Object.entries(images).map(([name, image]) => `${name}=${image}`).join(', ')}`);
  return followEcsRollout(host, log, service);
}

/** Follows the service once the deploy task (a targeted terraform apply) ends successfully. */
export function followAfterTask(execution: vscode.TaskExecution, host: ClusterStoreHost, log: vscode.LogOutputChannel, service: string): void {
  const subscription = vscode.tasks.onDidEndTaskProcess((event) => {
    if (event.execution !== execution) return;
    subscription.dispose();
    if (event.exitCode === 0) void followEcsRollout(host, log, service);
  });
}
