import * as vscode from 'vscode';
import { ClusterStoreHost } from './clusterStoreHost';
import { restrictedModeMessage } from '../core/deploy/restrictedMode';

/** Past this, a rollout is left to ECS (its own circuit breaker decides) and the notification says so. */
export const ROLLOUT_FOLLOW_LIMIT_MS = 30 * 60_000;

/**
 * Follows an ECS service's deployment until ECS reports it COMPLETED or FAILED, in a progress notification.
 * The reads are the store's (AwsSection.watchRollout: one DescribeServices every few seconds, backing off on
 * failure, the service's row updated as it goes); the follow ends with its store, saying so.
 */
export async function followEcsRollout(host: ClusterStoreHost, log: vscode.LogOutputChannel, service: string): Promise<'completed' | 'failed' | 'stopped' | undefined> {
  const store = await host.ready();
  const aws = store.aws;
  const cluster = aws?.aws.ecsCluster;
  if (!aws || !cluster) {
    log.info(`Not following ECS service "${service}": the cluster profile names no ECS cluster ("ecsCluster").`);
    return undefined;
  }
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ECS ${cluster}/${service}`, cancellable: true }, (progress, token) =>
    new Promise<'completed' | 'failed' | 'stopped'>((resolve) => {
      const watch = aws.watchRollout(service);
      let done = false;
      const finish = (outcome: 'completed' | 'failed' | 'stopped', say?: () => void) => {
        if (done) return;
        done = true;
        watch.dispose();
        subscriptions.forEach((subscription) => subscription.dispose());
        clearTimeout(limit);
        say?.();
        resolve(outcome);
      };
      const check = () => {
        if (done) return;
        const { rollout, outcome, error, gaveUp } = watch.state;
        if (rollout) progress.report({ message: `${rollout.running}/${rollout.desired} running${rollout.pending ? `, ${rollout.pending} pending` : ''} · ${(rollout.rolloutState ?? 'rolling out').toLowerCase().replace('_', ' ')}` });
        if (outcome && rollout) {
          log.info(`ECS ${service}: deployment ${outcome}${rollout.rolloutReason ? ` (${rollout.rolloutReason})` : ''}`);
          finish(outcome, () =>
            outcome === 'completed'
              ? void vscode.window.showInformationMessage(`Hashistack: ${service} deployed: ${rollout.running}/${rollout.desired} running.`)
              : void vscode.window.showErrorMessage(`Hashistack: the deployment of ${service} failed${rollout.rolloutReason ? `: ${rollout.rolloutReason}` : ''}.`),
          );
        } else if (gaveUp) {
          finish('stopped', () => void vscode.window.showErrorMessage(`Hashistack: stopped following ${service}: ${error instanceof Error ? error.message : String(error)}`));
        }
      };
      const subscriptions = [
        host.onDidChange((change) => {
          if (change.section === 'aws') check();
        }),
        host.onWillReplaceStore(({ profileName }) => finish('stopped', () => void vscode.window.showWarningMessage(`Hashistack: stopped following ${service}: the cluster profile "${profileName}" was switched away from, or its token changed; ECS carries on with the deployment.`))),
        token.onCancellationRequested(() => finish('stopped', () => void vscode.window.showWarningMessage(`Hashistack: stopped following ${service}; ECS carries on with the deployment.`))),
      ];
      const limit = setTimeout(() => finish('stopped', () => void vscode.window.showWarningMessage(`Hashistack: stopped following ${service} after ${ROLLOUT_FOLLOW_LIMIT_MS / 60_000} minutes; ECS carries on with the deployment.`)), ROLLOUT_FOLLOW_LIMIT_MS);
      check();
    }),
  );
}

/** The direct deploy (services not in Terraform): new task definition revision with these images, then UpdateService, then follow. */
export async function deployEcsImagesDirectly(host: ClusterStoreHost, log: vscode.LogOutputChannel, service: string, images: Record<string, string>): Promise<'completed' | 'failed' | 'stopped' | undefined> {
  // The images come from the workspace's files (or a row): not in Restricted Mode.
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(restrictedModeMessage('Deploying to ECS'));
    return undefined;
  }
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
  // As a Nomad deploy: confirmed in a modal that names the cluster and what changes (hashistack.deploy.confirm).
  if (vscode.workspace.getConfiguration('hashistack.deploy').get<boolean>('confirm', true)) {
    const profile = host.activeProfile;
    const changes = Object.entries(images).map(([container, image]) => `container ${container}: ${image}`);
    const choice = await vscode.window.showWarningMessage(
      `Deploy ${service} on ECS?`,
      { modal: true, detail: `Cluster "${profile.name}" · ECS cluster ${cluster} · region ${connection.aws.region}\n\n${changes.join('\n')}\n\nA new task definition revision is registered with these images and the service is updated to it.` },
      'Deploy',
    );
    if (choice !== 'Deploy') return undefined;
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
