import * as vscode from 'vscode';
import { deployEnvironment, missingProgramAdvice } from '../core/deploy/deployCommand';
import { DEFAULT_EXEC_COMMAND, execArguments } from '../core/deploy/execCommand';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { findOnTerminalPath } from '../services/deployRunner';
import { TokenStore } from '../services/tokenStore';
import { allocationFor, AllocationRef } from './allocationTarget';
import { taskOf } from './showLogs';
import { refuseUntrusted } from './workspaceTrust';
import { refuseLacking } from './nomadActions';

/**
 * Open Shell: `nomad alloc exec -i -t -task <task> <alloc> <command>` in an integrated terminal. The nomad
 * program is started with its arguments as a list (no shell line, nothing to quote); the profile's address
 * and token go in the terminal's environment only.
 */
export function registerOpenShell(host: ClusterStoreHost, tokens: TokenStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.openShell', async (argument?: { allocation?: AllocationRef }) => {
    if (refuseUntrusted('Open Shell')) return undefined;
    const allocation = await allocationFor(host, argument, true);
    if (!allocation) return undefined;
    if (refuseLacking(host, 'Open Shell', { action: 'exec', namespace: allocation.namespace })) return undefined;
    const task = await taskOf(host, allocation, 'A shell');
    if (!task) return undefined;
    const profile = host.activeProfile;
    const config = vscode.workspace.getConfiguration('hashistack');
    let args: string[];
    try {
      args = execArguments(allocation.id, task, config.get<string[]>('exec.command') ?? DEFAULT_EXEC_COMMAND);
    } catch (error) {
      void vscode.window.showErrorMessage(`Hashistack: ${(error as Error).message}`);
      return undefined;
    }
    const [consul, nomad] = await Promise.all([tokens.get(profile, 'consul'), tokens.get(profile, 'nomad')]);
    const env = { ...deployEnvironment(profile, { consul, nomad }), NOMAD_NAMESPACE: allocation.namespace };
    const name = config.get<string>('exec.nomadProgram') || 'nomad';
    // Found on the terminals' own PATH (terminal.integrated.env), and started by its path: a terminal started
    // with a bare name may not see that PATH, and a missing program is said here instead of a dead terminal.
    const program = findOnTerminalPath(name, env).path;
    if (!program) {
      void vscode.window.showErrorMessage(`Hashistack: ${missingProgramAdvice(name).replace('"hashistack.deploy.nomadCommand"', '"hashistack.exec.nomadProgram"')}`);
      return undefined;
    }
    log.info(`Opening a shell in ${allocation.id} (${allocation.jobId}) task ${task} on "${profile.name}": ${program} ${args.map((arg) => JSON.stringify(arg)).join(' ')}`);
    const terminal = vscode.window.createTerminal({ name: `${task} @ ${allocation.id.slice(0, 8)} on "${profile.name}"`, shellPath: program, shellArgs: args, env, iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
    return terminal;
  });
}
