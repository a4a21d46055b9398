// Activation and wiring only: every feature lives in views/, commands/ or the pure core.
import * as vscode from 'vscode';
import { registerClearTokens } from './commands/clearTokens';
import { CommandContext } from './commands/commandContext';
import { registerConfigureClusters } from './commands/configureClusters';
import { registerCopyCommands } from './commands/copyToClipboard';
import { registerOpenInBrowser } from './commands/openInBrowser';
import { registerOpenJobspec } from './commands/openJobspec';
import { registerRefreshCommands } from './commands/refresh';
import { registerRetrySection } from './commands/retrySection';
import { registerSelectCluster } from './commands/selectCluster';
import { registerSetTokenCommands } from './commands/setToken';
import { registerShowLog } from './commands/showLog';
import { ProfileStore } from './services/profileStore';
import { TokenStore } from './services/tokenStore';
import { ClusterExplorer } from './views/clusterExplorer';
import { ClusterStatusBar } from './views/statusBar';

/** What the extension offers other extensions (and its own tests in the extension host). */
export interface HashistackApi {
  explorer: ClusterExplorer;
  profiles: ProfileStore;
}

export function activate(context: vscode.ExtensionContext): HashistackApi {
  const log = vscode.window.createOutputChannel('Hashistack', { log: true });
  const profiles = new ProfileStore(context.globalState, log);
  const tokens = new TokenStore(context.secrets);
  const statusBar = new ClusterStatusBar();
  const explorer = new ClusterExplorer(profiles, tokens, log, statusBar);
  const commandContext: CommandContext = { explorer, profiles, tokens, log };

  context.subscriptions.push(
    log,
    profiles,
    tokens,
    statusBar,
    explorer,
    ...registerRefreshCommands(commandContext),
    registerRetrySection(commandContext),
    registerSelectCluster(commandContext),
    registerConfigureClusters(),
    ...registerSetTokenCommands(commandContext),
    registerClearTokens(commandContext),
    registerShowLog(commandContext),
    ...registerCopyCommands(),
    registerOpenInBrowser(),
    registerOpenJobspec(),
  );
  log.info(`Hashistack active; cluster "${profiles.active.name}" (Nomad ${profiles.active.nomad.address}, Consul ${profiles.active.consul.address}, Traefik ${profiles.active.traefik.address})`);
  return { explorer, profiles };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
