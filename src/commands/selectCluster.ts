import * as vscode from 'vscode';
import { CommandContext } from './commandContext';

/** Switch the active cluster profile (status bar, palette, view title). */
export function registerSelectCluster(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.selectCluster', async (name?: string) => {
    if (typeof name === 'string') {
      await context.profiles.setActive(name);
      return;
    }
    const active = context.profiles.active;
    const add = { label: '$(add) Add Cluster…', profile: undefined, command: 'hashistack.addCluster' };
    const configure = { label: '$(gear) Configure Clusters…', profile: undefined, command: 'hashistack.configureClusters' };
    const items = [
      ...context.profiles.all.map((profile) => ({
        label: `${profile.name === active.name ? '$(check) ' : ''}${profile.name}`,
        description: profile.source === 'environment' ? 'from NOMAD_ADDR, CONSUL_HTTP_ADDR, …' : undefined,
        detail: `Nomad ${profile.nomad.address} · Consul ${profile.consul.address} · Traefik ${profile.traefik.address}`,
        profile,
        command: undefined,
      })),
      add,
      configure,
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Hashistack: Select Cluster', placeHolder: `Active: ${active.name}` });
    if (!picked) {
      return;
    }
    if (picked.command) {
      await vscode.commands.executeCommand(picked.command);
      return;
    }
    if (picked.profile) await context.profiles.setActive(picked.profile.name);
  });
}
