import * as vscode from 'vscode';
import { ClusterProfile } from '../core/profiles/clusterProfile';

/** The active cluster profile in the status bar; a click switches profiles. */
export class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hashistack.cluster', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Hashistack Cluster';
    this.item.command = 'hashistack.selectCluster';
  }

  private base: { text: string; tooltip: string; warning: boolean } | undefined;

  /** Sections whose data is stale (their source failed): named in the item, which turns to a warning. */
  showStaleness(sections: readonly string[]): void {
    if (!this.base) return;
    const names = sections.map((section) => section[0]!.toUpperCase() + section.slice(1));
    this.item.text = names.length ? `${this.base.text} $(warning)` : this.base.text;
    this.item.tooltip = names.length ? `${this.base.tooltip}\n\nNot current: ${names.join(', ')} (see the explorer)` : this.base.tooltip;
    this.item.backgroundColor = this.base.warning || names.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
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
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
