import * as vscode from 'vscode';
import { nomadAllocationOfService } from '../core/tree/links';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { ClusterExplorer } from '../views/clusterExplorer';
import { AllocationRef } from './allocationTarget';

/** Reveal Consul Instances: from an allocation to the Consul instances it registered (Nomad's service IDs). */
export function registerRevealConsulInstances(host: ClusterStoreHost, explorer: ClusterExplorer): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.revealConsulInstances', async (argument?: { allocation?: AllocationRef }) => {
    const allocation = argument?.allocation;
    if (!allocation) {
      void vscode.window.showInformationMessage('Hashistack: use Reveal Consul Instances on an allocation in the Nomad view.');
      return false;
    }
    const store = await host.ready();
    const handle = store.need(['consul']);
    try {
      if (!store.consul.state.data) await store.refresh('consul');
      const instances = new Map<string, { service: string; serviceId: string }>();
      for (const check of store.consul.state.data?.checks ?? []) {
        if (check.ServiceID && nomadAllocationOfService(check.ServiceID) === allocation.id) instances.set(check.ServiceID, { service: check.ServiceName, serviceId: check.ServiceID });
      }
      if (instances.size === 0) {
        void vscode.window.showInformationMessage(`Hashistack: allocation ${allocation.id.slice(0, 8)} registered no service in Consul on "${host.activeProfile.name}".`);
        return false;
      }
      const list = [...instances.values()];
      const picked = list.length === 1 ? list[0] : (await vscode.window.showQuickPick(list.map((entry) => ({ label: entry.service, description: entry.serviceId, entry })), { title: `Consul instances of ${allocation.id.slice(0, 8)}` }))?.entry;
      if (!picked) return false;
      const shown = await explorer.revealConsulInstance(picked.service, picked.serviceId);
      if (!shown) void vscode.window.showInformationMessage(`Hashistack: the Consul view does not show ${picked.serviceId} yet; open the service "${picked.service}".`);
      return shown;
    } finally {
      handle.dispose();
    }
  });
}
