import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { ClusterExplorer } from '../views/clusterExplorer';

/** Reveal Allocations: from a Traefik router to the Nomad allocations behind its route (through Consul). */
export function registerRevealRouteAllocations(host: ClusterStoreHost, explorer: ClusterExplorer): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.revealRouteAllocations', async (argument?: { routeAllocations?: string[]; label?: string }) => {
    const ids = argument?.routeAllocations ?? [];
    if (ids.length === 0) {
      void vscode.window.showInformationMessage('Hashistack: this route leads to no Nomad allocation that Consul knows of.');
      return false;
    }
    const allocations = host.store?.nomad.state.data?.allocations ?? [];
    const id =
      ids.length === 1
        ? ids[0]
        : (
            await vscode.window.showQuickPick(
              ids.map((candidate) => {
                const allocation = allocations.find((item) => item.ID === candidate);
                return { label: candidate.slice(0, 8), description: allocation ? `${allocation.JobID} · ${allocation.ClientStatus} · ${allocation.NodeName}` : 'not in the Nomad view', id: candidate };
              }),
              { title: `Allocations behind ${argument?.label ?? 'the route'}` },
            )
          )?.id;
    return id ? explorer.revealNomadAllocation(id) : false;
  });
}
