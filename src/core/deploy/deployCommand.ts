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
export function deployEnvironment(profile: ClusterProfile, tokens: { consul?: string; nomad?: string }): Record<string, string> {
  const env: Record<string, string> = {
    NOMAD_ADDR: profile.nomad.address,
    CONSUL_HTTP_ADDR: profile.consul.address,
  };
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
