import * as vscode from 'vscode';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { allocationFor, AllocationRef } from './allocationTarget';
import { confirmAction, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** Stop an allocation (`POST /v1/allocation/:id/stop`): Nomad places a replacement, likely on another node. */
export function registerStopAllocation(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.stopAllocation', 'Stopping an allocation', async (argument?: { allocation?: AllocationRef }) => {
    const allocation = await allocationFor(host, argument, false);
    if (!allocation) return undefined;
    if (!(await confirmAction(host, `Stop allocation ${allocation.id.slice(0, 8)} of ${allocation.jobId}?`, allocation.namespace, `Nomad stops it and places a replacement for group "${allocation.group}" (the job is not changed).`, 'Stop Allocation', { action: 'lifecycle', namespace: allocation.namespace }))) return undefined;
    try {
      const answer = await (await host.ready()).nomad.api.stopAllocation(allocation.id);
      log.info(`Stopped allocation ${allocation.id} (${allocation.jobId}) on "${host.activeProfile.name}" (evaluation ${answer.EvalID})`);
      void vscode.window.showInformationMessage(`Hashistack: stopped ${allocation.id.slice(0, 8)} (${allocation.jobId}); Nomad places a replacement.`);
      return answer;
    } catch (error) {
      reportActionError(`Stopping ${allocation.id.slice(0, 8)}`, error, 'alloc-lifecycle', allocation.namespace);
      return undefined;
    }
  });
}
