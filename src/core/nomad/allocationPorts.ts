// The ports of an allocation, where they listen on its node: what Forward Port offers. Nomad has said it two
// ways: `AllocatedResources.Shared.Ports` (0.12+: label, host port, the port inside, the host address) and,
// before that and still in older allocations, `Networks` with an `IP` and `DynamicPorts` / `ReservedPorts`
// (the group's in `Resources`, each task's in `TaskResources`; the recorded allocation.json is of that shape).

export interface AllocationPort {
  label: string;
  /** The address the port listens on (the node's, or the bridge's host side). */
  hostIp: string;
  port: number;
  /** The port inside the task's network namespace, when mapped (`to`). */
  to?: number;
  /** The task whose network it is, for a task-level network (old shape). */
  task?: string;
}

interface PortShape {
  Label?: string;
  Value?: number;
  To?: number;
  HostIP?: string;
}
interface NetworkShape {
  IP?: string;
  DynamicPorts?: PortShape[] | null;
  ReservedPorts?: PortShape[] | null;
}

function networkPorts(networks: NetworkShape[] | null | undefined, task?: string): AllocationPort[] {
  const ports: AllocationPort[] = [];
  for (const network of networks ?? []) {
    for (const port of [...(network.ReservedPorts ?? []), ...(network.DynamicPorts ?? [])]) {
      if (typeof port.Value !== 'number' || !network.IP) continue;
      ports.push({ label: port.Label ?? String(port.Value), hostIp: network.IP, port: port.Value, ...(port.To ? { to: port.To } : {}), ...(task ? { task } : {}) });
    }
  }
  return ports;
}

export function allocationPorts(allocation: unknown): AllocationPort[] {
  const a = (allocation ?? {}) as {
    AllocatedResources?: { Shared?: { Ports?: PortShape[] | null; Networks?: NetworkShape[] | null } | null; Tasks?: Record<string, { Networks?: NetworkShape[] | null }> | null } | null;
    Resources?: { Networks?: NetworkShape[] | null } | null;
    TaskResources?: Record<string, { Networks?: NetworkShape[] | null }> | null;
  };
  const found: AllocationPort[] = [];
  for (const port of a.AllocatedResources?.Shared?.Ports ?? []) {
    if (typeof port.Value === 'number' && port.HostIP) found.push({ label: port.Label ?? String(port.Value), hostIp: port.HostIP, port: port.Value, ...(port.To ? { to: port.To } : {}) });
  }
  found.push(...networkPorts(a.AllocatedResources?.Shared?.Networks));
  for (const [task, resources] of Object.entries(a.AllocatedResources?.Tasks ?? {})) found.push(...networkPorts(resources?.Networks, task));
  // A task's network first: the group's repeats its ports without saying whose they are.
  for (const [task, resources] of Object.entries(a.TaskResources ?? {})) found.push(...networkPorts(resources?.Networks, task));
  found.push(...networkPorts(a.Resources?.Networks));
  // The same port said in several places (shared and group networks) is one port.
  const seen = new Set<string>();
  return found.filter((port) => {
    const key = `${port.label} ${port.hostIp}:${port.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
