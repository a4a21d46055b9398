// A Session Manager session (ECS Exec into a task's container, Start Session on an EC2 node) started the way the
// AWS CLI starts it (awscli/customizations/ecs/executecommand.py, sessionmanager.py): the AWS call answers a
// session (its ID, stream URL and token), then `session-manager-plugin` runs with
// `<session> <region> StartSession <profile> <{"Target": …}> <endpoint>`. Plugins after 1.2.497.0 read the
// session from the environment variable named in the first argument — so the token never shows in a process list.

export const SESSION_PLUGIN = 'session-manager-plugin';
/** The variable the session goes in (the CLI's DEFAULT_SSM_ENV_NAME). */
export const SESSION_ENV_NAME = 'AWS_SSM_START_SESSION_RESPONSE';
/** The last plugin version that takes the session only as an argument (the CLI's LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR). */
const LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR = [1, 2, 497, 0];

export const SESSION_PLUGIN_INSTALL_URL = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';

export interface StartedSession {
  sessionId: string;
  streamUrl: string;
  tokenValue: string;
}

export interface SessionInvocation {
  args: string[];
  env: Record<string, string>;
}

/** Whether the plugin's `--version` (`1.2.707.0`) reads the session from the environment. */
export function pluginReadsEnvironment(version: string): boolean {
  const parts = version.trim().split('.').map((part) => Number.parseInt(part, 10));
  if (parts.some((part) => !Number.isFinite(part))) return false;
  for (let index = 0; index < LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR.length; index++) {
    const mine = parts[index] ?? 0;
    const last = LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR[index]!;
    if (mine !== last) return mine > last;
  }
  return false;
}

/**
 * The plugin's arguments and environment for a started session. The session object is the AWS answer's, keys as
 * the CLI passes them (ECS Exec: `sessionId`, `streamUrl`, `tokenValue`; SSM: `SessionId`, `StreamUrl`, `TokenValue`).
 */
export function sessionInvocation(options: { session: Record<string, string>; region: string; profile?: string; target: string; endpoint: string; pluginVersion: string }): SessionInvocation {
  const session = JSON.stringify(options.session);
  const viaEnvironment = pluginReadsEnvironment(options.pluginVersion);
  return {
    args: [viaEnvironment ? SESSION_ENV_NAME : session, options.region, 'StartSession', options.profile ?? '', JSON.stringify({ Target: options.target }), options.endpoint],
    env: viaEnvironment ? { [SESSION_ENV_NAME]: session } : {},
  };
}

/** ECS Exec's Session Manager target for a container: `ecs:<cluster>_<task id>_<container runtime id>`. */
export function ecsExecTarget(clusterArn: string, taskArn: string, runtimeId: string): string {
  return `ecs:${clusterArn.split('/').pop()}_${taskArn.split('/').pop()}_${runtimeId}`;
}

/** The public endpoint of a service in a region, unless one is configured (AWS_ENDPOINT_URL_<SERVICE>, a test's). */
export function serviceEndpoint(service: 'ecs' | 'ssm', region: string, configured: string | undefined): string {
  return configured || `https://${service}.${region}.amazonaws.com`;
}
