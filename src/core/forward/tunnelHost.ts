// Which node an SSH tunnel to an allocation goes through: the setting's host when one is set, else the public
// address AWS gives the instance whose private address is the allocation's Nomad node's, else that node's
// address (platform/scripts/tunnel.sh reaches a server by its public address the same way).

export interface TunnelHostInputs {
  configuredHost: string;
  /** The Nomad node the allocation runs on: its address as Nomad lists it. */
  nodeAddress?: string;
  instances?: { privateIp?: string; publicIp?: string }[];
}

export function tunnelHost(inputs: TunnelHostInputs): string | undefined {
  if (inputs.configuredHost.trim()) return inputs.configuredHost.trim();
  if (!inputs.nodeAddress) return undefined;
  const instance = inputs.instances?.find((candidate) => candidate.privateIp === inputs.nodeAddress);
  return instance?.publicIp ?? inputs.nodeAddress;
}

/** Whether a port is worth an Open in Browser: its label or the port inside says http. */
export function isWebPort(port: { label: string; to?: number; port: number }): boolean {
  return /http|web|ui|admin|dashboard/i.test(port.label) || [80, 8080, 8000, 3000, 443].includes(port.to ?? port.port);
}
