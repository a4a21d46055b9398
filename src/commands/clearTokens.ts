import * as vscode from 'vscode';
import { CommandContext } from './commandContext';

/** Forget both tokens of the active profile. */
export function registerClearTokens(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.clearTokens', async () => {
    const profile = context.profiles.active;
    await context.tokens.delete(profile, 'consul');
    await context.tokens.delete(profile, 'nomad');
    context.log.info(`Tokens of "${profile.name}" forgotten`);
    void vscode.window.showInformationMessage(`Hashistack: forgot the Consul and Nomad tokens of "${profile.name}".`);
  });
}
