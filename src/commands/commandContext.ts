import * as vscode from 'vscode';
import { ProfileStore } from '../services/profileStore';
import { TokenStore } from '../services/tokenStore';
import { ClusterExplorer } from '../views/clusterExplorer';

/** What commands work with; built once in extension.ts. */
export interface CommandContext {
  explorer: ClusterExplorer;
  profiles: ProfileStore;
  tokens: TokenStore;
  log: vscode.LogOutputChannel;
}
