// Token expiry, told before it happens: the status bar warns when a profile's Nomad or Consul token expires within
// 24 h and again within 1 h (a notification at each), and says when it has. Timers fire at those moments; nothing
// asks the cluster (the expiry was read with the token).
import * as vscode from 'vscode';
import { EXPIRY_WARNINGS_MS, expiryLevel, ExpiryLevel, expiryWords } from '../core/acl/tokenRows';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { ClusterStatusBar, TokenExpiry } from './statusBar';

/** How often the words (`expires in 3 h`) are brought up to date while a warning shows. */
const EXPIRY_WORDS_REFRESH_MS = 60_000;

export class TokenExpiryWatch implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  /** `<accessor>/<level>` already told in a notification. */
  private readonly told = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly statusBar: ClusterStatusBar,
  ) {
    this.subscriptions = [
      host.onDidChange((change) => {
        if (change.kind === 'access') this.check();
      }),
      host.onWillReplaceStore(() => queueMicrotask(() => this.check())),
    ];
  }

  /** The warnings now; shows them, tells each new level once, and sets the timer for the next crossing. */
  check(now = Date.now()): TokenExpiry[] {
    clearTimeout(this.timer);
    const access = this.host.store?.access.current ?? {};
    const warnings: TokenExpiry[] = [];
    let next: number | undefined;
    for (const [key, product] of [['nomad', 'Nomad'], ['consul', 'Consul']] as const) {
      const state = access[key];
      if (state?.kind !== 'token' || state.token.expiresAt === undefined) continue;
      const expiresAt = state.token.expiresAt;
      const level: ExpiryLevel = expiryLevel(expiresAt, now);
      // The next moment this token's level changes.
      for (const at of [expiresAt - EXPIRY_WARNINGS_MS.day, expiresAt - EXPIRY_WARNINGS_MS.hour, expiresAt]) if (at > now) next = Math.min(next ?? at, at);
      if (level === 'none') continue;
      const words = expiryWords(expiresAt, now);
      warnings.push({ product, level, words });
      const told = `${state.token.accessor}/${level}`;
      if (!this.told.has(told)) {
        this.told.add(told);
        const message = `Hashistack: the ${product} token "${state.token.name}" of "${this.host.activeProfile.name}" ${words}${level === 'expired' ? ': every request will be refused' : ''}.`;
        const choice = `Set ${product} Token`;
        void (level === 'day' ? vscode.window.showWarningMessage(message, choice) : vscode.window.showErrorMessage(message, choice)).then((picked) => {
          if (picked) void vscode.commands.executeCommand(product === 'Nomad' ? 'hashistack.setNomadToken' : 'hashistack.setConsulToken');
        });
      }
    }
    this.statusBar.showTokenExpiry(warnings);
    // The words move with the clock while a warning shows; otherwise only the next crossing matters.
    const wait = warnings.length ? Math.min(EXPIRY_WORDS_REFRESH_MS, (next ?? Infinity) - now) : next !== undefined ? next - now : undefined;
    if (wait !== undefined && Number.isFinite(wait)) this.timer = setTimeout(() => this.check(), Math.max(1_000, Math.min(wait, 2 ** 31 - 1)));
    return warnings;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
