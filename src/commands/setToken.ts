import * as vscode from 'vscode';
import { TokenProduct } from '../services/tokenStore';
import { CommandContext } from './commandContext';

const PRODUCT_NAMES: Record<TokenProduct, string> = { consul: 'Consul', nomad: 'Nomad' };

/** Set Consul Token / Set Nomad Token: kept in SecretStorage for the active profile, never in settings or logs. */
export function registerSetTokenCommands(context: CommandContext): vscode.Disposable[] {
  return (['consul', 'nomad'] as TokenProduct[]).map((product) =>
    vscode.commands.registerCommand(`hashistack.set${PRODUCT_NAMES[product]}Token`, async (token?: string) => {
      const profile = context.profiles.active;
      const name = PRODUCT_NAMES[product];
      const value =
        typeof token === 'string'
          ? token
          : await vscode.window.showInputBox({
              title: `${name} ACL token for "${profile.name}"`,
              prompt: `The token's secret ID. It is kept in the OS keychain and sent only to ${profile[product].address}. Leave empty to forget it.`,
              password: true,
              ignoreFocusOut: true,
              validateInput: (text) => (/\s/.test(text.trim()) || /[\r\n]/.test(text) ? 'A token has no spaces or line breaks.' : undefined),
            });
      if (value === undefined) {
        return;
      }
      if (value.trim() === '') {
        await context.tokens.delete(profile, product);
        context.log.info(`${name} token of "${profile.name}" forgotten`);
        return;
      }
      await context.tokens.set(profile, product, value.trim());
      context.log.info(`${name} token of "${profile.name}" set`);
    }),
  );
}
