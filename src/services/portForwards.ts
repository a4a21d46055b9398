// The forwards the user started: each ends with its allocation (it stops or is replaced: the user may follow the
// replacement), with the profile switch, with Stop, and when the extension stops. Counters show in the Nomad
// view's Forwarded Ports folder, redrawn while any forward runs.
import * as vscode from 'vscode';
import { ForwardSummary } from '../core/forward/forwardRows';
import { PortForward, SshTunnelOptions } from '../core/forward/portForward';
import { AllocationPort } from '../core/nomad/allocationPorts';
import { ClusterStoreHost } from './clusterStoreHost';

/** How often the Forwarded Ports rows are redrawn while a forward runs (their byte counts move). */
const FORWARD_ROWS_REFRESH_MS = 2_000;

interface ActiveForward {
  forward: PortForward;
  allocation: { id: string; jobId: string; group: string; namespace: string };
  port: AllocationPort;
  web: boolean;
  tunnel?: SshTunnelOptions;
}

export class PortForwards implements vscode.Disposable {
  private readonly active = new Map<string, ActiveForward>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private serial = 0;

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      this.changed,
      host.onWillReplaceStore(() => void this.stopAll('another cluster (or token) was selected')),
      host.onDidChange((change) => {
        if (change.section === 'nomad' && change.kind === 'data') this.followAllocations();
      }),
    ];
  }

  async start(allocation: ActiveForward['allocation'], port: AllocationPort, localPort: number, web: boolean, tunnel?: SshTunnelOptions): Promise<PortForward> {
    const forward = await PortForward.start(localPort, { host: port.hostIp, port: port.port }, tunnel);
    const id = String(++this.serial);
    this.active.set(id, { forward, allocation, port, web, tunnel });
    forward.onDidEnd((why) => {
      this.active.delete(id);
      this.log.info(`Forward localhost:${forward.localPort} → ${port.hostIp}:${port.port} ended: ${why}`);
      this.refresh();
    });
    this.log.info(`Forwarding localhost:${forward.localPort} → ${port.hostIp}:${port.port} (allocation ${allocation.id}, ${port.label}) ${tunnel ? `through ssh ${tunnel.user}@${tunnel.host}` : 'directly'}`);
    this.refresh();
    return forward;
  }

  summaries(): ForwardSummary[] {
    return [...this.active.entries()].map(([id, entry]) => ({
      id,
      localPort: entry.forward.localPort,
      allocationId: entry.allocation.id,
      jobId: entry.allocation.jobId,
      label: entry.port.label,
      target: `${entry.port.hostIp}:${entry.port.port}`,
      path: entry.forward.path.kind === 'direct' ? 'direct' : `ssh ${entry.forward.path.through}`,
      bytesIn: entry.forward.bytesIn,
      bytesOut: entry.forward.bytesOut,
      web: entry.web,
    }));
  }

  /** Stops the forward on a local port (the row's Stop). */
  async stop(localPort: number, why = 'stopped'): Promise<void> {
    for (const entry of [...this.active.values()]) if (entry.forward.localPort === localPort) await entry.forward.stop(why);
  }

  async stopAll(why: string): Promise<void> {
    await Promise.all([...this.active.values()].map((entry) => entry.forward.stop(why)));
  }

  /** A forward whose allocation no longer runs ends; the user may forward the same port of its replacement. */
  private followAllocations(): void {
    const allocations = this.host.store?.nomad.state.data?.allocations;
    if (!allocations) return;
    for (const entry of [...this.active.values()]) {
      const current = allocations.find((allocation) => allocation.ID === entry.allocation.id);
      if (current && current.ClientStatus === 'running' && current.DesiredStatus === 'run') continue;
      const localPort = entry.forward.localPort;
      void entry.forward.stop(`allocation ${entry.allocation.id.slice(0, 8)} ${current ? `is ${current.ClientStatus}` : 'is gone'}`).then(() => {
        const replacement = allocations.find((allocation) => allocation.JobID === entry.allocation.jobId && allocation.TaskGroup === entry.allocation.group && allocation.ClientStatus === 'running' && allocation.DesiredStatus === 'run' && allocation.ID !== entry.allocation.id);
        const said = `Hashistack: localhost:${localPort} stopped forwarding: allocation ${entry.allocation.id.slice(0, 8)} of ${entry.allocation.jobId} no longer runs.`;
        if (!replacement) {
          void vscode.window.showWarningMessage(said);
          return;
        }
        void vscode.window.showWarningMessage(said, `Forward ${replacement.ID.slice(0, 8)} Instead`).then((choice) => {
          if (choice) void vscode.commands.executeCommand('hashistack.forwardPort', { allocation: { id: replacement.ID, jobId: replacement.JobID, namespace: entry.allocation.namespace, group: replacement.TaskGroup, running: true } }, { label: entry.port.label, localPort });
        });
      });
    }
  }

  private refresh(): void {
    this.changed.fire();
    if (this.active.size > 0 && !this.timer) {
      // The rows are redrawn (the whole Nomad view is rebuilt) only when some bytes moved: an idle forward costs nothing.
      let shown = this.movedBytes();
      this.timer = setInterval(() => {
        const moved = this.movedBytes();
        if (moved === shown) return;
        shown = moved;
        this.changed.fire();
      }, FORWARD_ROWS_REFRESH_MS);
    } else if (this.active.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Every forward's bytes, added up: what the rows show changes when this does. */
  private movedBytes(): number {
    let total = 0;
    for (const entry of this.active.values()) total += entry.forward.bytesIn + entry.forward.bytesOut;
    return total;
  }

  dispose(): void {
    clearInterval(this.timer);
    void this.stopAll('the extension stopped');
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
