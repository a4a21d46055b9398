import { dirname } from 'node:path';
import { ClusterProfile } from '../profiles/clusterProfile';

export type DeployAction = 'deploy' | 'plan';

export type DeployTarget =
  | { kind: 'nomadJob'; file: string; jobId: string }
  | { kind: 'ecs'; file: string; address: string };

/** Program and arguments with ${placeholders}, one array element per argument. */
export type CommandTemplate = string[];

/** Defaults the CLIs' own way: `nomad job run|plan <file>`, `terraform -chdir=<dir> apply|plan -target=<address>`. */
export const DEFAULT_NOMAD_COMMAND: CommandTemplate = ['nomad', 'job', '${verb}', '${file}'];
export const DEFAULT_ECS_COMMAND: CommandTemplate = ['terraform', '-chdir=${dir}', '${verb}', '-target=${target}'];

/**
 * The default deploy once a plan gave the job's index: `nomad job run -check-index <JobModifyIndex> <file>`,
 * as `nomad job plan` says to run, so Nomad refuses the run when the job changed since the plan.
 */
export const DEFAULT_NOMAD_CHECKED_RUN: CommandTemplate = ['nomad', 'job', 'run', '-check-index', '${checkIndex}', '${file}'];

export const PLACEHOLDERS = ['file', 'dir', 'job', 'target', 'profile', 'verb', 'action', 'workspaceFolder', 'checkIndex'] as const;

export interface DeployCommand {
  command: string;
  args: string[];
  cwd: string;
  /** "Deploy whoami (nomad job run)": the task's name in the terminal. */
  label: string;
}

/**
 * Fills a command template for one target. Each placeholder is replaced inside its own argument, so a
 * file name with spaces or quotes stays one argument; nothing is joined into a shell string here.
 */
export function buildDeployCommand(target: DeployTarget, action: DeployAction, template: CommandTemplate, profile: ClusterProfile, workspaceFolder: string, checkIndex?: number): DeployCommand {
  if (template.length === 0 || !template[0]) {
    throw new Error('The deploy command setting is empty: give the program first, then its arguments.');
  }
  const isDefault = template.length === DEFAULT_NOMAD_COMMAND.length && template.every((part, index) => part === DEFAULT_NOMAD_COMMAND[index]);
  if (isDefault && target.kind === 'nomadJob' && action === 'deploy' && checkIndex !== undefined) {
    template = DEFAULT_NOMAD_CHECKED_RUN;
  }
  const verb = target.kind === 'nomadJob' ? (action === 'deploy' ? 'run' : 'plan') : action === 'deploy' ? 'apply' : 'plan';
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    file: target.file,
    dir: dirname(target.file),
    job: target.kind === 'nomadJob' ? target.jobId : '',
    target: target.kind === 'ecs' ? target.address : target.jobId,
    profile: profile.name,
    verb,
    action,
    workspaceFolder,
    // Empty when no plan gave an index: `nomad job run -check-index ""` is the flag unset.
    checkIndex: checkIndex === undefined ? '' : String(checkIndex),
  };
  const filled = template.map((part) =>
    part.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
      if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
        throw new Error(`Unknown placeholder ${whole} in the deploy command; use ${PLACEHOLDERS.map((p) => `\${${p}}`).join(', ')}.`);
      }
      return values[name as (typeof PLACEHOLDERS)[number]];
    }),
  );
  const what = target.kind === 'nomadJob' ? target.jobId : target.address;
  return {
    command: filled[0]!,
    args: filled.slice(1),
    cwd: workspaceFolder,
    // The terminal's tab: what, where, and with which program.
    label: `${action === 'deploy' ? 'Deploy' : 'Plan'} ${what} on "${profile.name}" (${[filled[0]!.split(/[\\/]/).pop(), ...filled.slice(1, 3)].join(' ')})`,
  };
}

/**
 * The environment a deploy runs with: the active profile's addresses and tokens, in the variables the
 * CLIs read. Tokens travel here, never on the command line.
 */
/**
 * Every variable through which the Nomad and Consul CLIs (and scripts built on them) pick a cluster, a
 * credential or a TLS identity. A process started for a profile gets the profile's values for these and none
 * inherited from VS Code's own environment: launched from a shell with prod's NOMAD_TOKEN, a deploy to a
 * staging profile without a token must not carry prod's.
 */
export const CLUSTER_ENVIRONMENT_VARIABLES = [
  'NOMAD_ADDR', 'NOMAD_TOKEN', 'NOMAD_NAMESPACE', 'NOMAD_REGION', 'NOMAD_CACERT', 'NOMAD_CAPATH', 'NOMAD_CLIENT_CERT', 'NOMAD_CLIENT_KEY',
  'NOMAD_TLS_SERVER_NAME', 'NOMAD_SKIP_VERIFY', 'NOMAD_HTTP_AUTH',
  'CONSUL_HTTP_ADDR', 'CONSUL_HTTP_TOKEN', 'CONSUL_HTTP_TOKEN_FILE', 'CONSUL_NAMESPACE', 'CONSUL_PARTITION', 'CONSUL_CACERT', 'CONSUL_CAPATH',
  'CONSUL_CLIENT_CERT', 'CONSUL_CLIENT_KEY', 'CONSUL_TLS_SERVER_NAME', 'CONSUL_HTTP_SSL', 'CONSUL_HTTP_SSL_VERIFY', 'CONSUL_HTTP_AUTH', 'CONSUL_GRPC_ADDR',
] as const;

/**
 * The environment of a process started for `profile` (a deploy, a plan, a shell): the profile's addresses,
 * TLS files and tokens, and `null` — unset — for every other variable of CLUSTER_ENVIRONMENT_VARIABLES.
 */
export function deployEnvironment(profile: ClusterProfile, tokens: { consul?: string; nomad?: string }): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  for (const name of CLUSTER_ENVIRONMENT_VARIABLES) env[name] = null;
  env.NOMAD_ADDR = profile.nomad.address;
  env.CONSUL_HTTP_ADDR = profile.consul.address;
  // `*` lists every namespace but is no namespace to submit into: the jobspec's own `namespace` decides.
  if (profile.nomad.namespace && profile.nomad.namespace !== '*') env.NOMAD_NAMESPACE = profile.nomad.namespace;
  if (profile.nomad.region) env.NOMAD_REGION = profile.nomad.region;
  if (profile.nomad.caFile) env.NOMAD_CACERT = profile.nomad.caFile;
  if (profile.nomad.tlsServerName) env.NOMAD_TLS_SERVER_NAME = profile.nomad.tlsServerName;
  if (profile.consul.caFile) env.CONSUL_CACERT = profile.consul.caFile;
  if (profile.consul.tlsServerName) env.CONSUL_TLS_SERVER_NAME = profile.consul.tlsServerName;
  if (profile.nomad.clientCert) env.NOMAD_CLIENT_CERT = profile.nomad.clientCert;
  if (profile.nomad.clientKey) env.NOMAD_CLIENT_KEY = profile.nomad.clientKey;
  if (profile.consul.clientCert) env.CONSUL_CLIENT_CERT = profile.consul.clientCert;
  if (profile.consul.clientKey) env.CONSUL_CLIENT_KEY = profile.consul.clientKey;
  const nomadToken = tokens.nomad ?? profile.environmentTokens.nomad;
  const consulToken = tokens.consul ?? profile.environmentTokens.consul;
  if (nomadToken) env.NOMAD_TOKEN = nomadToken;
  if (consulToken) env.CONSUL_HTTP_TOKEN = consulToken;
  return env;
}

/** The variables a profile sets (for display and for tests): its environment without the unset ones. */
export function setVariables(env: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== null));
}

/**
 * The environment for a VS Code task (ShellExecution takes strings only, and VS Code merges it over its own):
 * an unset variable is sent as empty, which the Nomad and Consul CLIs read as not set (they test `!= ""`), so
 * an inherited value never gets through, on every shell and on Windows.
 */
export function taskEnvironment(env: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value ?? '']));
}

/**
 * The whole environment of a child process the extension spawns itself: `base` (VS Code's, with the
 * terminals' settings) with the profile's variables over it, and the unset ones removed (on Windows, where
 * names are not case-sensitive, whatever their case).
 */
export function processEnvironment(base: Record<string, string | undefined>, env: Record<string, string | null>, platform: NodeJS.Platform = process.platform): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = { ...base };
  const sameName = (a: string, b: string) => (platform === 'win32' ? a.toUpperCase() === b.toUpperCase() : a === b);
  for (const [name, value] of Object.entries(env)) {
    for (const key of Object.keys(result)) if (sameName(key, name)) delete result[key];
    if (value !== null) result[name] = value;
  }
  return result;
}

/** What to tell a user whose deploy program is not installed, per program. */
export function missingProgramAdvice(command: string): string {
  const program = command.split(/[\\/]/).pop() ?? command;
  if (program === 'nomad') {
    return 'Nomad CLI not found: install it (https://developer.hashicorp.com/nomad/install) or set "hashistack.deploy.nomadCommand".';
  }
  if (program === 'terraform') {
    return 'Terraform not found: install it (https://developer.hashicorp.com/terraform/install) or set "hashistack.deploy.ecsCommand".';
  }
  return `"${command}" was not found or is not executable: check "hashistack.deploy.nomadCommand" / "hashistack.deploy.ecsCommand".`;
}
