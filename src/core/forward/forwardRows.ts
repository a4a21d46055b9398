// The Forwarded Ports folder of the Nomad view: each forward with its target, its path and the bytes moved.
import { ExplorerNode, HEALTH_ICONS } from '../tree/explorerNode';

export interface ForwardSummary {
  id: string;
  localPort: number;
  allocationId: string;
  jobId: string;
  label: string;
  target: string;
  /** `direct`, or `ssh ubuntu@203.0.113.20`. */
  path: string;
  bytesIn: number;
  bytesOut: number;
  /** An http port: Open in Browser is offered. */
  web: boolean;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function forwardedPortsFolder(forwards: readonly ForwardSummary[]): ExplorerNode | undefined {
  if (forwards.length === 0) return undefined;
  return {
    id: 'nomad/forwards',
    label: 'Forwarded Ports',
    description: String(forwards.length),
    icon: { id: 'plug' },
    contextValue: 'folder',
    collapsible: 'expanded',
    children: forwards.map((forward) => ({
      id: `nomad/forwards/${forward.id}`,
      label: `localhost:${forward.localPort} → ${forward.jobId} ${forward.allocationId.slice(0, 8)} ${forward.label}`,
      description: `${forward.path} · ${formatBytes(forward.bytesIn)} in · ${formatBytes(forward.bytesOut)} out`,
      tooltip: [`localhost:${forward.localPort} reaches ${forward.target} (port "${forward.label}" of allocation ${forward.allocationId}, job ${forward.jobId})`, `Path: ${forward.path}`, `Received ${formatBytes(forward.bytesIn)}, sent ${formatBytes(forward.bytesOut)}`, 'It ends when the allocation stops, when another cluster is selected, or on Stop.'].join('\n'),
      icon: HEALTH_ICONS.passing,
      contextValue: ['forwardedPort', ...(forward.web ? ['browsable'] : [])].join(' '),
      collapsible: 'none',
      url: forward.web ? `http://localhost:${forward.localPort}/` : undefined,
      copy: { address: `localhost:${forward.localPort}` },
    })),
  };
}
