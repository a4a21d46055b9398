// Forward Port… on a running allocation: pick one of its ports, a local port (the same number by default, any
// free one when that is taken), and the path that works — directly when the editor reaches the address, else
// an SSH tunnel through the allocation's node (hashistack.forward.* settings, platform/scripts/tunnel.sh's
// conventions). Says which path was taken; Stop and Open in Browser on the forward's row.
import * as vscode from 'vscode';
import { reachable, SshTunnelOptions } from '../core/forward/portForward';
import { isWebPort, tunnelHost } from '../core/forward/tunnelHost';
import { allocationPorts } from '../core/nomad/allocationPorts';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { PortForwards } from '../services/portForwards';
import { allocationFor, AllocationRef } from './allocationTarget';
import { registerTrustedCommand } from './workspaceTrust';

export function registerForwardPortCommands(host: ClusterStoreHost, forwards: PortForwards): vscode.Disposable {
  return vscode.Disposable.from(
    registerTrustedCommand('hashistack.forwardPort', 'Forwarding a port', async (argument?: { allocation?: AllocationRef }, wanted?: { label: string; localPort: number }) => {
      const allocation = await allocationFor(host, argument, true);
      if (!allocation) return undefined;
      const store = await host.ready();
      let ports;
      try {
        ports = allocationPorts(await store.nomad.allocation(allocation.id));
      } catch (error) {
        void vscode.window.showErrorMessage(`Hashistack: reading allocation ${allocation.id.slice(0, 8)} failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
      if (ports.length === 0) {
        void vscode.window.showInformationMessage(`Hashistack: allocation ${allocation.id.slice(0, 8)} of ${allocation.jobId} has no port (its group's network block names none).`);
        return undefined;
      }
      const port = wanted ? ports.find((candidate) => candidate.label === wanted.label) : ports.length === 1 ? ports[0] : (await vscode.window.showQuickPick(ports.map((candidate) => ({ label: candidate.label, description: `${candidate.hostIp}:${candidate.port}${candidate.to ? ` → ${candidate.to} inside` : ''}${candidate.task ? ` · task ${candidate.task}` : ''}`, port: candidate })), { title: `Forward a port of ${allocation.jobId} ${allocation.id.slice(0, 8)}` }))?.port;
      if (!port) return undefined;
      const localText = wanted ? String(wanted.localPort) : await vscode.window.showInputBox({ title: `Local port for ${port.label} (${port.hostIp}:${port.port})`, prompt: 'localhost:<this port> reaches it; if it is taken, any free one is used', value: String(port.port), validateInput: (value) => (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'A port from 1 to 65535') });
      if (!localText) return undefined;
      const settings = vscode.workspace.getConfiguration('hashistack.forward');
      // auto: direct when a TCP connection to the address opens from here, else the tunnel.
      const mode = settings.get<string>('path', 'auto');
      const direct = mode === 'direct' || (mode !== 'ssh' && (await reachable({ host: port.hostIp, port: port.port })));
      let tunnel: SshTunnelOptions | undefined;
      if (!direct) {
        const node = store.nomad.state.data?.nodes.find((candidate) => candidate.ID === store.nomad.state.data?.allocations.find((stub) => stub.ID === allocation.id)?.NodeID);
        const through = tunnelHost({ configuredHost: settings.get<string>('sshHost', ''), nodeAddress: node?.Address, instances: store.aws?.state.data?.instances });
        if (!through) {
          void vscode.window.showErrorMessage(`Hashistack: ${port.hostIp}:${port.port} is not reachable from here, and no node to tunnel through is known: set "hashistack.forward.sshHost".`);
          return undefined;
        }
        tunnel = { program: settings.get<string>('sshProgram', 'ssh') || 'ssh', user: settings.get<string>('sshUser', 'ubuntu') || 'ubuntu', host: through, key: settings.get<string>('sshKey', '') || undefined };
      }
      const web = isWebPort(port);
      const start = (local: number) => forwards.start({ id: allocation.id, jobId: allocation.jobId, group: allocation.group, namespace: allocation.namespace }, port, local, web, tunnel);
      let forward;
      let fallback = '';
      try {
        forward = await start(Number(localText)).catch(async (error: Error) => {
          if (!/is in use/.test(error.message)) throw error;
          fallback = ` (${localText} was taken)`;
          return start(0);
        });
      } catch (error) {
        void vscode.window.showErrorMessage(`Hashistack: forwarding to ${port.hostIp}:${port.port} failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
      const path = tunnel ? `through an SSH tunnel (${tunnel.user}@${tunnel.host})` : 'directly';
      void vscode.window.showInformationMessage(`Hashistack: localhost:${forward.localPort}${fallback} reaches ${port.label} of ${allocation.jobId} ${allocation.id.slice(0, 8)} (${port.hostIp}:${port.port}), ${path}.`, ...(web ? ['Open in Browser'] : []), 'Stop').then((choice) => {
        if (choice === 'Stop') void forwards.stop(forward.localPort);
        if (choice === 'Open in Browser') void vscode.env.openExternal(vscode.Uri.parse(`http://localhost:${forward.localPort}/`));
      });
      return { localPort: forward.localPort, path: forward.path };
    }),
    vscode.commands.registerCommand('hashistack.stopForward', async (row?: { copy?: { address?: string } }) => {
      const localPort = Number(/localhost:(\d+)/.exec(row?.copy?.address ?? '')?.[1]);
      if (localPort) await forwards.stop(localPort, 'stopped');
    }),
  );
}
