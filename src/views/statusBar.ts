import * as vscode from 'vscode';
import { ClusterProfile } from '../core/profiles/clusterProfile';

export interface TokenExpiry {
  product: 'Nomad' | 'Consul';
  level: 'day' | 'hour' | 'expired';
  /** `expires in 3 h`, `expired 5 min ago`. */
  words: string;
}

/** The active cluster profile in the status bar; a click switches profiles. */
export class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hashistack.cluster', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Hashistack Cluster';
    this.item.command = 'hashistack.selectCluster';
  }

  private base: { text: string; tooltip: string; warning: boolean } | undefined;
  private stale: string[] = [];
  private expiry: TokenExpiry[] = [];

  /** Sections whose data is stale (their source failed): named in the item, which turns to a warning. */
  showStaleness(sections: readonly string[]): void {
    this.stale = sections.map((section) => section[0]!.toUpperCase() + section.slice(1));
    this.redraw();
  }

  /** Tokens that expire within a day (a warning), within an hour or already (an error): said in the item. */
  showTokenExpiry(expiries: readonly TokenExpiry[]): void {
    this.expiry = [...expiries];
    this.redraw();
  }

  /** What the item says now (for the tests). */
  get text(): string {
    return this.item.text;
  }

  private redraw(): void {
    if (!this.base) return;
    const urgent = this.expiry.some((expiry) => expiry.level === 'hour' || expiry.level === 'expired');
    const first = this.expiry[0];
    this.item.text = `${this.base.text}${this.stale.length ? ' $(warning)' : ''}${first ? ` $(key) ${first.words}` : ''}`;
    this.item.tooltip = [this.base.tooltip, this.stale.length ? `Not current: ${this.stale.join(', ')} (see the explorer)` : '', ...this.expiry.map((expiry) => `${expiry.product} token ${expiry.words}: set a new one before then (Hashistack: Set ${expiry.product} Token)`)].filter(Boolean).join('\n\n');
    this.item.backgroundColor = urgent ? new vscode.ThemeColor('statusBarItem.errorBackground') : this.base.warning || this.stale.length || this.expiry.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  show(profile: ClusterProfile, problem?: string): void {
    this.item.text = `$(server-environment) ${profile.name}`;
    this.item.tooltip = [
      `Hashistack cluster: ${profile.name}${profile.source === 'environment' ? ' (from the environment)' : ''}`,
      `Consul: ${profile.consul.address}`,
      `Nomad: ${profile.nomad.address} (namespace ${profile.nomad.namespace}${profile.nomad.region ? `, region ${profile.nomad.region}` : ''})`,
      `Traefik: ${profile.traefik.address}`,
      problem ? `\n${problem}` : '',
      '\nClick to switch cluster',
    ].join('\n');
    this.item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.base = { text: this.item.text, tooltip: this.item.tooltip, warning: Boolean(problem) };
    this.redraw();
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
