import * as vscode from 'vscode';
import { CommandContext } from './commandContext';

export function registerShowLog(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.showLog', () => context.log.show(true));
}
