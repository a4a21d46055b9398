import { isApiError } from '../http/apiError';

export type SectionId = 'consul' | 'nomad' | 'traefik' | 'aws';

/** A codicon and an optional theme colour id, as `new ThemeIcon(id, new ThemeColor(color))` takes them. */
export interface NodeIcon {
  id: string;
  color?: string;
}

/** Children that load when the node is expanded (one request for that node, never on refresh). */
export type LazyChildren =
  | { kind: 'consulServiceInstances'; service: string }
  | { kind: 'ecsTasks'; service: string }
  /** An ECS service's stopped tasks (read on expand: ECS keeps them about an hour). */
  | { kind: 'ecsStoppedTasks'; service: string }
  | { kind: 'allocationTasks'; allocationId: string }
  | { kind: 'jobVersions'; jobId: string; namespace: string }
  /** The Variables folder: held (blocking) while expanded. */
  | { kind: 'nomadVariables'; namespace: string }
  /** A Consul KV folder (`''` is the store's root): held while expanded. */
  | { kind: 'consulKv'; prefix: string };

/**
 * What one row of the explorer shows, computed without VS Code. Views turn it into a TreeItem.
 * Labels and tooltips are plain text: cluster data never becomes markup.
 */
export interface ExplorerNode {
  /** Unique within its view and stable across refreshes, so expansion and selection survive. */
  id: string;
  label: string;
  description?: string;
  /**
   * Plain text, or a function that makes it: rows that come by the thousand (allocations) build their
   * tooltip only when it is shown (TreeDataProvider.resolveTreeItem), not on every refresh.
   */
  tooltip?: string | (() => string);
  icon?: NodeIcon;
  /** Space-separated words matched by the menus in package.json (`viewItem =~ /\bbrowsable\b/`). */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  children?: ExplorerNode[];
  /**
   * Children computed from data already loaded, on first expand (no request): a job's allocation rows,
   * so a refresh of 10,000 allocations does not build 10,000 rows nobody has opened. See childrenOf().
   */
  computeChildren?: () => ExplorerNode[];
  lazyChildren?: LazyChildren;
  copy?: { address?: string; id?: string };
  /** Opened by "Open in Browser"; only http(s). */
  url?: string;
  job?: { id: string; namespace: string };
  /** An allocation or task row: what Restart and Stop act on (`task` on a task's row). */
  allocation?: { id: string; jobId: string; namespace: string; group: string; task?: string; running: boolean };
  /** A Traefik server of a consulCatalog service: the Consul service and the address to find its instance by. */
  server?: { consulService: string; address: string };
  /** A Traefik router's row: the Nomad allocations behind its route (for Reveal). */
  routeAllocations?: string[];
  /** A Consul instance registered by Nomad: the allocation that registered it. */
  linkedAllocation?: string;
  /** A job version's row: the version Revert goes back to. */
  jobVersion?: number;
  /** A deployment row: what Promote and Fail act on. */
  deployment?: { id: string; jobId: string; namespace: string };
  /** An ECS service row: its containers and their images (for Copy Image and the direct deploy). */
  ecsImages?: { container: string; image: string }[];
  /** An ECS task's row: what ECS Exec opens a shell in. */
  ecsTask?: { service: string; arn: string; running: boolean; stoppedAt?: Date };
  /** An EC2 node's row: what Start Session connects to. */
  awsInstance?: { id: string; name: string; running: boolean };
  /** A task's action row (with `allocation` naming the task): what Run Action runs. */
  taskAction?: { name: string; command: string };
  /** A Nomad variable's row (or, with `path` ending in `/`, a folder of them): what Open, Rename and Delete act on. */
  variable?: { namespace: string; path: string; modifyIndex?: number };
  /** A Consul KV key's row, or a folder's (`key` ends in `/`; `''` is the root). */
  kv?: { key: string };
  /** A command the row runs when clicked (the next steps offered when no cluster answers). */
  command?: { id: string; title: string; arguments?: unknown[] };
}

/** Theme colours of the health states; the same ids VS Code uses for test results and warnings. */
export const HEALTH_COLORS = {
  passing: 'testing.iconPassed',
  warning: 'list.warningForeground',
  critical: 'testing.iconFailed',
  neutral: 'disabledForeground',
} as const;

export const HEALTH_ICONS = {
  passing: { id: 'pass-filled', color: HEALTH_COLORS.passing },
  warning: { id: 'warning', color: HEALTH_COLORS.warning },
  critical: { id: 'error', color: HEALTH_COLORS.critical },
  neutral: { id: 'circle-outline', color: HEALTH_COLORS.neutral },
} as const satisfies Record<string, NodeIcon>;

/**
 * A look-up in a fixed table by a key that came from the cluster: own properties only, so a status or name
 * such as `constructor` or `__proto__` finds nothing instead of an Object method.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A node's children, computing (once) the ones it builds on first expand. */
export function childrenOf(node: ExplorerNode): ExplorerNode[] | undefined {
  if (!node.children && node.computeChildren) {
    node.children = node.computeChildren();
    node.computeChildren = undefined;
  }
  return node.children;
}

export function tooltipText(node: ExplorerNode): string | undefined {
  return typeof node.tooltip === 'function' ? node.tooltip() : node.tooltip;
}

export function folderNode(id: string, label: string, children: ExplorerNode[], expanded: boolean, icon: string): ExplorerNode {
  return {
    id,
    label,
    description: String(children.length),
    contextValue: 'folder',
    collapsible: children.length === 0 ? 'none' : expanded ? 'expanded' : 'collapsed',
    children,
    icon: { id: icon },
  };
}

export function infoNode(id: string, label: string, tooltip?: string): ExplorerNode {
  return { id, label, tooltip, contextValue: 'info', collapsible: 'none', icon: { id: 'info' } };
}

/** The section an error or stale row belongs to (its Retry reloads that section only). */
export function sectionOfRow(contextValue: string | undefined): SectionId | undefined {
  return /\bsection-(consul|nomad|traefik|aws)\b/.exec(contextValue ?? '')?.[1] as SectionId | undefined;
}

/** A time of day as the views show it: `14:02:10`, local time. */
export function formatClock(ms: number): string {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

const SECTION_NAMES: Record<SectionId, string> = { consul: 'Consul', nomad: 'Nomad', traefik: 'Traefik', aws: 'AWS' };

/** The failure in a few words: the server's own reason for an API error, else the message. */
export function shortReason(error: unknown): string {
  if (isApiError(error)) return error.reason;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The row above a section's last data when its source fails: `Nomad: stale since 14:02:10 — connection
 * refused`, with Retry and Configure like the error row.
 */
export function staleNode(section: SectionId, error: unknown, since: number): ExplorerNode {
  const row = errorNode(section, error);
  const label = `${SECTION_NAMES[section]}: stale since ${formatClock(since)} — ${shortReason(error)}`;
  return {
    ...row,
    id: `${section}/stale`,
    label,
    tooltip: `${label}

The rows below are what ${SECTION_NAMES[section]} last answered; they update again by themselves once it answers.

${typeof row.tooltip === 'string' ? row.tooltip : ''}`.trim(),
    icon: { id: 'warning', color: HEALTH_COLORS.warning },
    contextValue: `${row.contextValue} stale`,
  };
}

/** What a section's view says of its data in its title (`live`, `polling 5 s`, `stale since 14:02:10`). */
export function modeDescription(state: { mode: string; pollSeconds?: number; staleSince?: number; data?: unknown } | undefined): string {
  if (!state) return '';
  switch (state.mode) {
    case 'loading':
      return 'loading…';
    case 'connecting':
      return 'connecting…';
    case 'live':
      return 'live';
    case 'polling':
      return `polling ${state.pollSeconds} s`;
    case 'paused':
      return 'paused';
    case 'manual':
      return '';
    case 'failed':
      return state.data !== undefined && state.staleSince !== undefined ? `stale since ${formatClock(state.staleSince)}` : 'failed';
    default:
      return '';
  }
}

/**
 * When no part of the cluster answers: what to do next, as rows that run their command (a welcome view's
 * buttons are cut off in a short pane; rows scroll, and each section keeps its own error row above).
 */
export function noClusterRows(): ExplorerNode[] {
  const step = (id: string, label: string, command: string, icon: string, tooltip: string): ExplorerNode => ({ id: `consul/next/${id}`, label, tooltip, contextValue: 'nextStep', collapsible: 'none', icon: { id: icon }, command: { id: command, title: label } });
  return [
    infoNode('consul/next/why', 'No part of the cluster answers', 'Start the agents, open an SSH tunnel to a server (platform/scripts/tunnel.sh), or point the extension at your cluster. With no profile configured, the extension reads NOMAD_ADDR, CONSUL_HTTP_ADDR and the other variables the CLIs read.'),
    step('select', 'Select Cluster…', 'hashistack.selectCluster', 'server-environment', 'Switch to another cluster profile'),
    step('configure', 'Configure Clusters…', 'hashistack.configureClusters', 'gear', 'Add or fix a cluster profile (addresses, TLS, namespace)'),
    step('retry', 'Retry All', 'hashistack.refreshAll', 'refresh', 'Ask Consul, Nomad and Traefik again'),
    step('log', 'Show the Log', 'hashistack.showLog', 'output', 'Every request, with its outcome'),
  ];
}

/**
 * The single row a section shows when it cannot load: what happened and where, in the server's words,
 * with Retry and Configure as inline actions (menus match the `error` word).
 */
export function errorNode(section: SectionId, error: unknown): ExplorerNode {
  const message = error instanceof Error ? error.message : String(error);
  const hint = isApiError(error) ? error.hint : typeof (error as { hint?: unknown } | undefined)?.hint === 'string' ? (error as { hint: string }).hint : '';
  const kind = isApiError(error) ? error.kind : error instanceof Error && error.name === 'ConfigurationError' ? 'config' : 'unknown';
  return {
    id: `${section}/error`,
    label: message,
    tooltip: hint ? `${message}\n\n${hint}` : message,
    icon: { id: kind === 'forbidden' ? 'lock' : 'error', color: HEALTH_COLORS.critical },
    contextValue: `error error-${kind} section-${section}`,
    collapsible: 'none',
  };
}
