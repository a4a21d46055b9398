import { kvRootNode } from './kvProperties';
import { ConsulCatalogServices, ConsulHealthCheck, ConsulNode, ConsulServiceEntry } from '../../consul/consulApi';
import { ExplorerNode, folderNode, HEALTH_ICONS, infoNode, NodeIcon, own } from '../explorerNode';
import { consulNodeUrl, consulServiceUrl, nomadAllocationOfService, UiAddresses } from '../links';

export type HealthState = 'passing' | 'warning' | 'critical';

/** Consul's order of severity; maintenance counts as critical, as the Consul UI shows it. */
const SEVERITY: Record<string, number> = { passing: 0, warning: 1, critical: 2, maintenance: 2 };

export function worstStatus(statuses: Iterable<string>): HealthState | undefined {
  let worst = -1;
  for (const status of statuses) {
    worst = Math.max(worst, own(SEVERITY, status) ?? SEVERITY.critical!);
  }
  return worst < 0 ? undefined : (['passing', 'warning', 'critical'] as const)[worst];
}

export interface HealthSummary {
  passing: number;
  warning: number;
  critical: number;
}

/**
 * Each service's instances counted by health, from `/v1/health/state/any` alone: an instance is a
 * (node, service ID) pair, and its health is the worst of its own checks and its node's checks
 * (a failing serfHealth makes every instance on that node critical, as in Consul's health endpoint).
 */
export function summarizeServiceHealth(checks: ConsulHealthCheck[]): Map<string, HealthSummary> {
  const nodeSeverity = new Map<string, number>();
  const instanceSeverity = new Map<string, { service: string; node: string; severity: number }>();
  for (const check of checks) {
    const severity = own(SEVERITY, check.Status) ?? SEVERITY.critical!;
    if (!check.ServiceID) {
      nodeSeverity.set(check.Node, Math.max(nodeSeverity.get(check.Node) ?? 0, severity));
      continue;
    }
    const key = `${check.Node}\u0000${check.ServiceID}`;
    const instance = instanceSeverity.get(key);
    if (instance) {
      instance.severity = Math.max(instance.severity, severity);
    } else {
      instanceSeverity.set(key, { service: check.ServiceName, node: check.Node, severity });
    }
  }
  const summaries = new Map<string, HealthSummary>();
  for (const instance of instanceSeverity.values()) {
    const severity = Math.max(instance.severity, nodeSeverity.get(instance.node) ?? 0);
    let summary = summaries.get(instance.service);
    if (!summary) {
      summary = { passing: 0, warning: 0, critical: 0 };
      summaries.set(instance.service, summary);
    }
    summary[(['passing', 'warning', 'critical'] as const)[severity]]++;
  }
  return summaries;
}

/** "3 passing · 1 critical"; "no checks" when Consul has none for the service. */
export function formatHealthSummary(summary: HealthSummary | undefined): string {
  if (!summary) {
    return 'no checks';
  }
  const parts: string[] = [];
  for (const state of ['passing', 'warning', 'critical'] as const) {
    if (summary[state] > 0) {
      parts.push(`${summary[state]} ${state}`);
    }
  }
  return parts.join(' · ') || 'no checks';
}

export function healthIcon(state: HealthState | undefined): NodeIcon {
  return state ? HEALTH_ICONS[state] : HEALTH_ICONS.neutral;
}

function summaryState(summary: HealthSummary | undefined): HealthState | undefined {
  if (!summary) {
    return undefined;
  }
  return summary.critical > 0 ? 'critical' : summary.warning > 0 ? 'warning' : 'passing';
}

export interface ConsulSectionData {
  services: ConsulCatalogServices;
  checks: ConsulHealthCheck[];
  nodes: ConsulNode[];
}

/** The first two levels of the Consul section: services with health, and nodes. */
export function consulSectionNodes(data: ConsulSectionData, ui: UiAddresses): ExplorerNode[] {
  const health = summarizeServiceHealth(data.checks);
  const datacenter = data.nodes[0]?.Datacenter;
  const names = Object.keys(data.services).sort((a, b) => a.localeCompare(b));
  const services = names.map((name) => consulServiceNode(name, data.services[name] ?? [], health.get(name), ui, datacenter));

  const nodeSeverity = new Map<string, string[]>();
  for (const check of data.checks) {
    if (!check.ServiceID) {
      const list = nodeSeverity.get(check.Node) ?? [];
      list.push(check.Status);
      nodeSeverity.set(check.Node, list);
    }
  }
  const nodes = [...data.nodes]
    .sort((a, b) => a.Node.localeCompare(b.Node))
    .map((node) => consulNodeNode(node, worstStatus(nodeSeverity.get(node.Node) ?? []), ui));

  return [folderNode('consul/services', 'Services', services, true, 'symbol-interface'), folderNode('consul/nodes', 'Nodes', nodes, false, 'server'), kvRootNode()];
}

export function consulServiceNode(name: string, tags: string[], summary: HealthSummary | undefined, ui: UiAddresses, datacenter: string | undefined): ExplorerNode {
  const description = formatHealthSummary(summary);
  const tagLines = tags.length > 0 ? `\nTags:\n${tags.map((tag) => `  ${tag}`).join('\n')}` : '\nNo tags';
  return {
    id: `consul/service/${name}`,
    label: name,
    description,
    tooltip: `${name}: ${description}${tagLines}`,
    icon: healthIcon(summaryState(summary)),
    contextValue: 'consulService browsable copyId',
    collapsible: 'collapsed',
    lazyChildren: { kind: 'consulServiceInstances', service: name },
    copy: { id: name },
    url: consulServiceUrl(ui, datacenter, name),
  };
}

function consulNodeNode(node: ConsulNode, state: HealthState | undefined, ui: UiAddresses): ExplorerNode {
  const meta = Object.entries(node.Meta ?? {}).map(([key, value]) => `  ${key}: ${value}`);
  return {
    id: `consul/node/${node.ID || node.Node}`,
    label: node.Node,
    description: node.Address,
    tooltip: [`${node.Node} (${node.Address})`, `Datacenter: ${node.Datacenter}`, `ID: ${node.ID}`, ...(meta.length ? ['Meta:', ...meta] : [])].join('\n'),
    icon: state ? healthIcon(state) : { id: 'server' },
    contextValue: 'consulNode address copyId browsable',
    collapsible: 'none',
    copy: { address: node.Address, id: node.ID || node.Node },
    url: consulNodeUrl(ui, node.Datacenter, node.Node),
  };
}

/** A service's instances (loaded when it is expanded): node, address:port, and their checks. */
export function consulInstanceNodes(service: string, entries: ConsulServiceEntry[]): ExplorerNode[] {
  if (entries.length === 0) {
    return [infoNode(`consul/service/${service}/none`, 'No instances registered')];
  }
  return entries.map((entry) => {
    const address = entry.Service.Address || entry.Node.Address;
    const endpoint = formatEndpoint(address, entry.Service.Port);
    const state = worstStatus(entry.Checks.map((check) => check.Status));
    const checks = entry.Checks.map((check) => consulCheckNode(service, entry, check));
    const tags = entry.Service.Tags ?? [];
    return {
      id: `consul/service/${service}/instance/${entry.Node.Node}/${entry.Service.ID}`,
      label: entry.Node.Node,
      description: `${endpoint} · ${state ?? 'no checks'}`,
      tooltip: [`${entry.Service.ID} on ${entry.Node.Node}`, `Address: ${endpoint}`, `Health: ${state ?? 'no checks'}`, tags.length ? `Tags:\n${tags.map((t) => `  ${t}`).join('\n')}` : 'No tags'].join('\n'),
      icon: healthIcon(state),
      contextValue: nomadAllocationOfService(entry.Service.ID) ? 'consulInstance address copyId nomadRegistered' : 'consulInstance address copyId',
      collapsible: checks.length > 0 ? 'collapsed' : 'none',
      children: checks,
      copy: { address: endpoint, id: entry.Service.ID },
      linkedAllocation: nomadAllocationOfService(entry.Service.ID),
    } satisfies ExplorerNode;
  });
}

function consulCheckNode(service: string, entry: ConsulServiceEntry, check: ConsulServiceEntry['Checks'][number]): ExplorerNode {
  const output = check.Output.trim();
  return {
    id: `consul/service/${service}/instance/${entry.Node.Node}/${entry.Service.ID}/check/${check.CheckID}`,
    label: check.Name,
    description: output ? `${check.Status} · ${firstLine(output)}` : check.Status,
    tooltip: [`${check.Name} (${check.CheckID})`, `Status: ${check.Status}`, output ? `Output:\n${output}` : 'No output', check.Notes ? `Notes: ${check.Notes}` : ''].filter(Boolean).join('\n'),
    icon: healthIcon(worstStatus([check.Status])),
    contextValue: 'consulCheck copyId',
    collapsible: 'none',
    copy: { id: check.CheckID },
  };
}

/** `10.0.0.1:80`, `[::1]:80` for IPv6. */
export function formatEndpoint(address: string, port: number): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return port ? `${host}:${port}` : host;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
