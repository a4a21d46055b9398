import * as vscode from 'vscode';
import { buildDeployCommand, CommandTemplate, DEFAULT_ECS_COMMAND, DEFAULT_NOMAD_COMMAND, DeployAction, deployEnvironment, DeployTarget, missingProgramAdvice, processEnvironment, taskEnvironment } from '../core/deploy/deployCommand';
import { findExecutable, terminalEnvironment, terminalEnvironmentKey } from '../core/deploy/findExecutable';
import { PlanEnd, PlanTerminal } from './planTerminal';
import { quotingMode, quotingOptions, shellArguments, shellKind, unsafeArgumentReason } from '../core/deploy/shellQuoting';
import { ProfileStore } from './profileStore';
import { TokenStore } from './tokenStore';

export const TASK_TYPE = 'hashistack';

/**
 * What a terminal of this VS Code sees (its PATH included, from terminal.integrated.env.*), for programs the
 * extension starts or looks for itself.
 */
export function terminalProcessEnvironment(): Record<string, string | undefined> {
  return terminalEnvironment(vscode.workspace.getConfiguration('terminal.integrated').get<Record<string, string | null>>(terminalEnvironmentKey(process.platform)), process.env);
}
/**
 * A program as the integrated terminals find it: on their PATH (terminal.integrated.env, plus `env`), from the first
 * workspace folder. Started by this path, a terminal or child process needs no PATH of its own to find it.
 */
export function findOnTerminalPath(name: string, env: Record<string, string | null> = {}): { path: string | undefined; env: Record<string, string | undefined> } {
  const processEnv = processEnvironment(terminalProcessEnvironment(), env);
  return { path: findExecutable(name, processEnv, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd()), env: processEnv };
}

export const RESTRICTED_MODE_MESSAGE = 'Deploy, Plan and Bump are disabled in Restricted Mode: this workspace is not trusted, so its settings could choose what runs. Trust the workspace to use them.';

/**
 * Runs deploys as VS Code tasks in the integrated terminal: ShellExecution with the program and its
 * arguments as separate quoted strings (VS Code quotes them for the shell in use, with rules chosen here),
 * and the active profile's addresses and tokens in the environment.
 */
export class DeployRunner implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Programs already reported missing before their task ran: the terminal's 127 is not reported twice. */
  private readonly reportedMissing = new Set<string>();
  private readonly planEnded = new vscode.EventEmitter<PlanEnd>();
  /** How each Plan in Terminal ended (the task itself has no process events to tell it). */
  readonly onDidEndPlan = this.planEnded.event;

  constructor(
    private readonly profiles: ProfileStore,
    private readonly tokens: TokenStore,
    private readonly log: vscode.LogOutputChannel,
    /** Whether the workspace is trusted: a parameter so the guard itself can be tested; always VS Code's answer in the product. */
    private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    this.subscriptions.push(
      vscode.tasks.onDidEndTaskProcess((event) => {
        const definition = event.execution.task.definition as { type?: string; program?: string };
        // 127: the shell's "command not found".
        if (definition.type === TASK_TYPE && event.exitCode === 127 && definition.program && !this.reportedMissing.has(definition.program)) {
          void this.adviseMissing(definition.program);
        }
      }),
    );
  }

  /**
   * Runs a deploy or a terminal plan. `checkIndex` is the JobModifyIndex the plan was made at: the default
   * Nomad deploy then runs `nomad job run -check-index <it>`, and a custom command gets it as ${checkIndex}.
   */
  async run(target: DeployTarget, action: DeployAction, options: { checkIndex?: number; namespace?: string } = {}): Promise<vscode.TaskExecution | undefined> {
    if (!this.isTrusted()) {
      void vscode.window.showWarningMessage(RESTRICTED_MODE_MESSAGE, 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    const problem = target.kind === 'nomadJob' ? (this.profiles.active.nomad.problem ?? this.profiles.active.consul.problem) : undefined;
    if (problem) {
      void vscode.window.showErrorMessage(`Hashistack: not deploying: ${problem}`);
      return undefined;
    }
    const uri = vscode.Uri.file(target.file);
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showErrorMessage('Hashistack: open the folder that holds the jobspec to deploy it.');
      return undefined;
    }
    // The CLIs read the file from disk: save what the user sees first.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === uri.fsPath);
    if (open?.isDirty && !(await open.save())) {
      void vscode.window.showErrorMessage(`Hashistack: ${vscode.workspace.asRelativePath(uri)} could not be saved, so it was not deployed.`);
      return undefined;
    }
    const config = vscode.workspace.getConfiguration('hashistack.deploy', folder);
    const template = config.get<CommandTemplate>(target.kind === 'nomadJob' ? 'nomadCommand' : 'ecsCommand') ?? (target.kind === 'nomadJob' ? DEFAULT_NOMAD_COMMAND : DEFAULT_ECS_COMMAND);
    let command;
    try {
      command = buildDeployCommand(target, action, template, this.profiles.active, folder.uri.fsPath, options.checkIndex);
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: ${(error as Error).message}`);
      return undefined;
    }
    const shellPath = vscode.env.shell || undefined;
    const kind = shellKind(shellPath, process.platform);
    for (const value of [command.command, ...command.args]) {
      const reason = unsafeArgumentReason(kind, value);
      if (reason) {
        void vscode.window.showErrorMessage(`Hashistack: cannot pass ${JSON.stringify(value)} to ${kind} safely: ${reason}. Nothing was run.`);
        return undefined;
      }
    }
    const profile = this.profiles.active;
    const [consul, nomad] = await Promise.all([this.tokens.get(profile, 'consul'), this.tokens.get(profile, 'nomad')]);
    const env = deployEnvironment(profile, { consul, nomad });
    // The namespace the confirmation named is the one the CLI submits to.
    if (options.namespace) env.NOMAD_NAMESPACE = options.namespace;
    const terminalEnv = terminalProcessEnvironment();
    let execution: vscode.ShellExecution | vscode.CustomExecution;
    if (target.kind === 'nomadJob' && action === 'plan') {
      // Run without a shell, so `nomad job plan`'s exit code 1 ("changes") can be told apart from a failure.
      execution = new vscode.CustomExecution(async () => new PlanTerminal(command, processEnvironment(terminalEnv, env), (end) => {
        this.log.info(`${end.label}: ${end.words}`);
        this.planEnded.fire(end);
      }));
    } else {
      const quoting = quotingMode(kind) === 'strong' ? vscode.ShellQuoting.Strong : vscode.ShellQuoting.Escape;
      execution = new vscode.ShellExecution(
        { value: command.command, quoting },
        command.args.map((value) => ({ value, quoting })),
        // The shell is named, with its arguments, so the quoting rules chosen above are the right ones.
        { executable: shellPath, shellArgs: shellPath ? shellArguments(kind) : undefined, shellQuoting: quotingOptions(kind), env: taskEnvironment(env), cwd: command.cwd },
      );
    }
    const task = new vscode.Task({ type: TASK_TYPE, action, target: target.kind === 'nomadJob' ? target.jobId : target.address, program: command.command }, folder, command.label, 'Hashistack', execution, []);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: action === 'deploy' && target.kind === 'ecs' };
    if (!findExecutable(command.command, processEnvironment(terminalEnv, env), command.cwd)) {
      this.reportedMissing.add(command.command);
      void this.adviseMissing(command.command);
    } else {
      this.reportedMissing.delete(command.command);
    }
    // Never the environment: it holds the tokens.
    this.log.info(`Running task "${command.label}" on "${profile.name}": ${command.command} ${command.args.map((a) => JSON.stringify(a)).join(' ')}`);
    return vscode.tasks.executeTask(task);
  }

  private async adviseMissing(program: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`Hashistack: ${missingProgramAdvice(program)}`, 'Open Settings');
    if (choice) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'hashistack.deploy');
    }
  }

  dispose(): void {
    this.planEnded.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
