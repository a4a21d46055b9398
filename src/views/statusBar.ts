import * as vscode from 'vscode';
import { ClusterProfile } from '../core/profiles/clusterProfile';

/** The active cluster profile in the status bar; a click switches profiles. */
export class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hashistack.cluster', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Hashistack Cluster';
    this.item.command = 'hashistack.selectCluster';
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
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
