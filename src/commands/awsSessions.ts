// Shells without SSH keys, through AWS Session Manager: Open Shell on an ECS task (ECS Exec) and Start Session on an
// EC2 node (SSM). The AWS call is made here, through the SDK; the session then runs in a terminal as
// `session-manager-plugin`, found on the terminals' PATH and started with an argument list, the session's token in
// its environment only (never in its arguments, a log or the terminal).
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { ecsExecTarget, serviceEndpoint, SESSION_PLUGIN, SESSION_PLUGIN_INSTALL_URL, sessionInvocation } from '../core/aws/sessionPlugin';
import { ExplorerNode } from '../core/tree/explorerNode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { findOnTerminalPath } from '../services/deployRunner';
import { registerTrustedCommand } from './workspaceTrust';

/** The shell ECS Exec starts in a container (what the AWS CLI's examples run). */
const ECS_EXEC_COMMAND = '/bin/sh';
/** `session-manager-plugin --version` answers at once; past this it is not a working plugin. */
const PLUGIN_VERSION_TIMEOUT_MS = 5_000;

/** The plugin on the terminals' PATH and its version, or undefined after saying how to install it. */
async function sessionPlugin(): Promise<{ path: string; version: string } | undefined> {
  const { path, env } = findOnTerminalPath(SESSION_PLUGIN);
  if (!path) {
    const choice = await vscode.window.showErrorMessage(`Hashistack: ${SESSION_PLUGIN} is not on the terminals' PATH: install the Session Manager plugin for the AWS CLI, then try again.`, 'Open Install Page');
    if (choice) void vscode.env.openExternal(vscode.Uri.parse(SESSION_PLUGIN_INSTALL_URL));
    return undefined;
  }
  const version = await new Promise<string>((resolve) => execFile(path, ['--version'], { timeout: PLUGIN_VERSION_TIMEOUT_MS, env: env as NodeJS.ProcessEnv }, (error, stdout) => resolve(error ? '' : stdout.trim())));
  return { path, version };
}

/** The AWS error's own name under the words the store put it in. */
function awsErrorName(error: unknown): string | undefined {
  return ((error as { cause?: { name?: string } }).cause ?? (error as { name?: string })).name;
}

function openSession(name: string, plugin: { path: string; version: string }, invocation: { session: Record<string, string>; region: string; profile?: string; target: string; endpoint: string }): vscode.Terminal {
  const { args, env } = sessionInvocation({ ...invocation, pluginVersion: plugin.version });
  const terminal = vscode.window.createTerminal({ name, shellPath: plugin.path, shellArgs: args, env, iconPath: new vscode.ThemeIcon('terminal') });
  terminal.show();
  return terminal;
}

export function registerAwsSessionCommands(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    registerTrustedCommand('hashistack.ecsOpenShell', 'Opening a shell in an ECS task', async (node?: ExplorerNode) => {
      const task = node?.ecsTask;
      if (!task) return undefined;
      const store = await host.ready();
      const aws = store.aws;
      if (!aws?.aws.ecsCluster) return undefined;
      const containers = aws.state.data?.services?.find((service) => service.name === task.service)?.images.map((image) => image.container) ?? [];
      const container = containers.length <= 1 ? containers[0] : (await vscode.window.showQuickPick(containers, { title: `A shell in which container of ${task.arn.split('/').pop()!.slice(0, 8)}?` }));
      if (!container) return undefined;
      const plugin = await sessionPlugin();
      if (!plugin) return undefined;
      let exec;
      try {
        exec = await aws.ecsExecute(task.arn, container, ECS_EXEC_COMMAND);
      } catch (error) {
        if (awsErrorName(error) === 'ExecuteCommandNotEnabled' || /execute command was not enabled/i.test((error as Error).message)) {
          const choice = await vscode.window.showErrorMessage(`Hashistack: ECS Exec is off for service ${task.service}: set enable_execute_command = true on its aws_ecs_service (and give its task role the ssmmessages permissions), deploy, then open the shell in a new task.`, 'Show Its ecs-*.tf');
          if (choice) void vscode.commands.executeCommand('hashistack.revealEcsDefinition', { lazyChildren: { kind: 'ecsTasks', service: task.service } });
          return undefined;
        }
        void vscode.window.showErrorMessage(`Hashistack: ECS Exec into ${task.service}/${container} failed: ${(error as Error).message}`);
        return undefined;
      }
      const region = aws.aws.region;
      log.info(`ECS Exec into ${container} of task ${task.arn} (${task.service}) on "${host.activeProfile.name}": ${SESSION_PLUGIN} ${plugin.version || '(version unknown)'}`);
      return openSession(`${container} @ ${task.arn.split('/').pop()!.slice(0, 8)} (ECS)`, plugin, { session: exec.session, region, profile: aws.aws.profile, target: ecsExecTarget(exec.clusterArn, exec.taskArn, exec.runtimeId), endpoint: serviceEndpoint('ecs', region, process.env.AWS_ENDPOINT_URL_ECS ?? process.env.AWS_ENDPOINT_URL) });
    }),
    registerTrustedCommand('hashistack.startSession', 'Starting a session on a node', async (node?: ExplorerNode) => {
      const instance = node?.awsInstance;
      if (!instance) return undefined;
      const aws = (await host.ready()).aws;
      if (!aws) return undefined;
      const plugin = await sessionPlugin();
      if (!plugin) return undefined;
      let session;
      try {
        session = await aws.startSession(instance.id);
      } catch (error) {
        if (awsErrorName(error) === 'TargetNotConnected') {
          void vscode.window.showErrorMessage(`Hashistack: ${instance.name} (${instance.id}) is not connected to Systems Manager: it needs the SSM agent running and an instance role with AmazonSSMManagedInstanceCore (platform/terraform/iam.tf attaches it to the cluster's nodes).`);
          return undefined;
        }
        void vscode.window.showErrorMessage(`Hashistack: Start Session on ${instance.name} failed: ${(error as Error).message}`);
        return undefined;
      }
      const region = aws.aws.region;
      log.info(`Session Manager session on ${instance.id} (${instance.name}) on "${host.activeProfile.name}": ${SESSION_PLUGIN} ${plugin.version || '(version unknown)'}`);
      return openSession(`${instance.name} (SSM)`, plugin, { session, region, profile: aws.aws.profile, target: instance.id, endpoint: serviceEndpoint('ssm', region, process.env.AWS_ENDPOINT_URL_SSM ?? process.env.AWS_ENDPOINT_URL) });
    }),
  );
}
