import * as vscode from 'vscode';
import { ClusterExplorer } from '../views/clusterExplorer';

/** Reveal Consul Instance: from a Traefik server (`http://10.0.1.12:24310`) to the Consul instance at that address. */
export function registerRevealServerInstance(explorer: ClusterExplorer): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.revealServerInstance', async (argument?: { server?: { consulService: string; address: string } }) => {
    const server = argument?.server;
    if (!server) {
      void vscode.window.showInformationMessage('Hashistack: use Reveal Consul Instance on a server of a consulCatalog service in the Traefik view.');
      return false;
    }
    let hostPort = server.address;
    try {
      hostPort = new URL(server.address).host;
    } catch {
      // An address without a scheme (TCP) is host:port already.
    }
    const shown = await explorer.revealConsulInstanceAt(server.consulService, hostPort);
    if (!shown) void vscode.window.showInformationMessage(`Hashistack: no instance of the Consul service "${server.consulService}" is at ${hostPort}.`);
    return shown;
  });
}
