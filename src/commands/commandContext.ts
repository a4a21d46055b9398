import * as vscode from 'vscode';
import { ProfileStore } from '../services/profileStore';
import { TokenStore } from '../services/tokenStore';
import { ClusterExplorer } from '../views/clusterExplorer';
import { ClusterStoreHost } from '../services/clusterStoreHost';

/** What commands work with; built once in extension.ts. */
export interface CommandContext {
  explorer: ClusterExplorer;
  /** The cluster store of the active profile: what commands read and refresh. */
  store: ClusterStoreHost;
  profiles: ProfileStore;
  tokens: TokenStore;
  log: vscode.LogOutputChannel;
}
