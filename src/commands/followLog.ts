import * as vscode from 'vscode';
import { LogViews } from '../views/logViews';
import { logTarget } from './logTarget';

/**
 * The Follow toggle of a log view's title bar (as the Output panel's auto-scroll lock): one button shows
 * while the view follows its newest line, the other while it does not; scrolling up stops following too.
 */
export function registerFollowLog(logs: LogViews): vscode.Disposable {
  const follow = (following: boolean) => (uri?: unknown) => {
    const target = logTarget(uri);
    if (target) logs.setFollowing(target, following);
    return target ? logs.isFollowing(target) : undefined;
  };
  return vscode.Disposable.from(vscode.commands.registerCommand('hashistack.followLog', follow(true)), vscode.commands.registerCommand('hashistack.stopFollowingLog', follow(false)));
}
