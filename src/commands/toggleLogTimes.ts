import * as vscode from 'vscode';
import { LogViews } from '../views/logViews';
import { logTarget } from './logTarget';

/** Prefix each line of a log view with the time it arrived, or stop. */
export function registerToggleLogTimes(logs: LogViews): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.toggleLogTimes', (uri?: unknown) => {
    const target = logTarget(uri);
    return target ? logs.toggleTimes(target) : undefined;
  });
}
