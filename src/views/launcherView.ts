import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { buildLauncherCards, cardWarningsToLog, LauncherCard, validateLauncherMessage } from '../core/launcher/launcherCards';
import { LAUNCHER_RESOURCE_ROOTS, LAUNCHER_WEBVIEW_OPTIONS, launcherHtml } from '../core/launcher/launcherPage';
import { summarizeServiceHealth } from '../core/tree/consul/consulProperties';
import { isWebUrl } from '../core/tree/links';
import { ClusterExplorer } from './clusterExplorer';
import { ClusterStoreHost } from '../services/clusterStoreHost';

export const LAUNCHER_VIEW_ID = 'hashistack.launcher';
/** The sections the cards are built from, kept current while the Launcher is visible. */
const LAUNCHER_NEEDS = ['consul', 'traefik', 'nomad'] as const;

/**
 * The Launcher: one card per service with launcher.* tags, in a webview view of the Hashistack container
 * and as an editor panel. It is rebuilt from the explorer's data whenever the explorer refreshes; it never
 * fetches on its own. The webview may only ask to open or reveal a service by id; the extension checks
 * the id and opens the URL it built itself.
 */
export class LauncherController implements vscode.WebviewViewProvider, vscode.Disposable {
  private cards: LauncherCard[] = [];
  private state = '';
  private readonly webviews = new Set<vscode.Webview>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly loggedWarnings = new Set<string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: ClusterStoreHost,
    private readonly explorer: ClusterExplorer,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.rebuild();
    this.subscriptions.push(
      host.onDidChange((change) => {
        if (change.section !== 'aws') this.rebuild();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('hashistack.launcher') || event.affectsConfiguration('hashistack.traefik.publicPorts')) this.rebuild();
      }),
    );
  }

  /** The cards now shown (for the API and tests). */
  get currentCards(): readonly LauncherCard[] {
    return this.cards;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.attach(view.webview);
    // While the view is visible, the sections it is built from are kept current.
    let demand = view.visible ? this.host.need(LAUNCHER_NEEDS) : undefined;
    view.onDidChangeVisibility(() => {
      if (view.visible && !demand) demand = this.host.need(LAUNCHER_NEEDS);
      if (!view.visible && demand) {
        demand.dispose();
        demand = undefined;
      }
    });
    view.onDidDispose(() => {
      demand?.dispose();
      this.webviews.delete(view.webview);
    });
  }

  openPanel(): void {
    const panel = vscode.window.createWebviewPanel('hashistack.launcherPanel', 'Hashistack Launcher', vscode.ViewColumn.Active, this.webviewOptions());
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'hashistack.svg');
    this.attach(panel.webview);
    const demand = this.host.need(LAUNCHER_NEEDS);
    panel.onDidDispose(() => {
      demand.dispose();
      this.webviews.delete(panel.webview);
    });
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { ...LAUNCHER_WEBVIEW_OPTIONS, localResourceRoots: LAUNCHER_RESOURCE_ROOTS.map((parts) => vscode.Uri.joinPath(this.extensionUri, ...parts)) };
  }

  private attach(webview: vscode.Webview): void {
    webview.options = this.webviewOptions();
    webview.html = this.html(webview);
    this.webviews.add(webview);
    webview.onDidReceiveMessage((message: unknown) => this.onMessage(webview, message));
  }

  private html(webview: vscode.Webview): string {
    return launcherHtml({
      nonce: randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'launcher.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'launcher.css')).toString(),
    });
  }

  private async onMessage(webview: vscode.Webview, message: unknown): Promise<void> {
    if ((message as { type?: unknown } | null)?.type === 'ready') {
      void webview.postMessage({ type: 'cards', cards: this.cards, state: this.state });
      return;
    }
    const request = validateLauncherMessage(message, this.cards);
    if (!request) {
      this.log.warn(`Launcher: ignored a message from the webview that is not an open/reveal of a known service: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    const card = this.cards.find((candidate) => candidate.id === request.id)!;
    if (request.type === 'open') {
      if (!card.url || !isWebUrl(card.url)) {
        this.log.warn(`Launcher: "${card.id}" has no web address to open`);
        return;
      }
      this.log.info(`Launcher: opening ${card.url} for "${card.id}"`);
      await vscode.env.openExternal(vscode.Uri.parse(card.url, true));
    } else {
      await this.explorer.revealConsulService(card.id);
    }
  }

  private rebuild(): void {
    const store = this.host.store;
    const consul = store?.consul.state;
    const traefik = store?.traefik.state.data;
    const domain = vscode.workspace.getConfiguration('hashistack').get<string>('launcher.domain', '').trim().replace(/^\.+|\.+$/g, '');
    if (!consul?.data) {
      this.cards = [];
      this.state = 'Consul has not answered yet: the Launcher is built from the Consul section of the explorer.';
    } else {
      this.cards = buildLauncherCards({
        services: consul.data.services,
        health: summarizeServiceHealth(consul.data.checks),
        routers: traefik?.routers,
        nomadJobs: store?.nomad.state.data?.jobs,
        domain,
        publicPorts: this.host.traefikPublicPorts(),
      });
      this.state = traefik ? '' : 'Traefik did not answer: addresses come from launcher.subDomain only.';
      for (const line of cardWarningsToLog(this.cards, Boolean(traefik), this.loggedWarnings)) this.log.warn(line);
    }
    for (const webview of this.webviews) {
      void webview.postMessage({ type: 'cards', cards: this.cards, state: this.state });
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
