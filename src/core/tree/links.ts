// URLs the explorer opens in the browser. Everything here is built by the extension from parsed parts,
// and only http(s) URLs come out: a value from the cluster never becomes a URL as it is.

/** A DNS name or an IPv4 address: what a Traefik Host rule must hold for us to turn it into a link. */
const HOST_PATTERN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;
const PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

/**
 * The URL a Traefik router serves: `Host(`gallery.example.com`) && PathPrefix(`/api`)` with TLS →
 * `https://gallery.example.com/api`, with `:port` when users reach it on another port than the scheme's.
 * Undefined when the rule names no plain host (HostRegexp, HostSNI, …).
 */
export function routerUrl(rule: string, tls: boolean, port?: number): string | undefined {
  const host = positiveMatcher(rule, 'Host');
  if (!host || !HOST_PATTERN.test(host)) {
    return undefined;
  }
  const path = positiveMatcher(rule, 'PathPrefix') ?? positiveMatcher(rule, 'Path');
  const safePath = path && path !== '/' && PATH_PATTERN.test(path) && !path.includes('{') ? path : '';
  const scheme = tls ? 'https' : 'http';
  const shownPort = port === undefined || port === DEFAULT_PORTS[scheme] ? '' : `:${port}`;
  return `${scheme}://${host.toLowerCase()}${shownPort}${safePath}`;
}

const DEFAULT_PORTS = { http: 80, https: 443 } as const;

/**
 * The port users reach each Traefik entry point on, by entry point name, where it is not the scheme's own
 * (setting `hashistack.traefik.publicPorts`): empty when a load balancer on 443/80 fronts Traefik, as on the
 * platform; `{"websecure": 8443}` when Traefik is reached on its own port (the demo's).
 */
export type PublicPorts = Readonly<Record<string, number>>;

/** The URL of a router as its users reach it: on the public port of the first of its entry points that has one. */
export function routerPublicUrl(router: { rule: string; tls?: unknown; entryPoints?: string[] }, publicPorts: PublicPorts = {}): string | undefined {
  const port = (router.entryPoints ?? []).map((name) => publicPorts[name]).find((candidate) => candidate !== undefined);
  return routerUrl(router.rule, Boolean(router.tls), port);
}

/** The setting's value, checked: entry point names to ports 1–65535; what is not one is named in `problems`. */
export function parsePublicPorts(value: unknown): { ports: PublicPorts; problems: string[] } {
  const ports: Record<string, number> = {};
  const problems: string[] = [];
  if (value === undefined || value === null) return { ports, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ports, problems: ['"hashistack.traefik.publicPorts" must be an object of entry point names to ports, e.g. {"websecure": 8443}'] };
  }
  for (const [name, port] of Object.entries(value)) {
    if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) ports[name] = port;
    else problems.push(`"hashistack.traefik.publicPorts": the port of entry point "${name.slice(0, 60)}" must be a whole number from 1 to 65535`);
  }
  return { ports, problems };
}

/**
 * The value of the first `name(...)` matcher of a rule that is not negated, by a `!` before it or before a
 * group around it: `!Host(`a`)` and `!(Host(`a`) || …)` name hosts the router does not serve.
 */
export function positiveMatcher(rule: string, name: string): string | undefined {
  const negatedGroups: boolean[] = [];
  let pendingNot = false;
  for (let at = 0; at < rule.length; at++) {
    const char = rule[at]!;
    if (/\s/.test(char)) continue;
    if (char === '!') {
      pendingNot = !pendingNot;
      continue;
    }
    if (char === '(') {
      negatedGroups.push(pendingNot);
      pendingNot = false;
      continue;
    }
    if (char === ')') {
      negatedGroups.pop();
      pendingNot = false;
      continue;
    }
    const matcher = /^([A-Za-z]+)\(\s*(`([^`]*)`|"((?:[^"\\]|\\.)*)"|'([^']*)')/.exec(rule.slice(at));
    if (matcher) {
      const negated = pendingNot || negatedGroups.includes(true);
      if (matcher[1] === name && !negated) return matcher[3] ?? matcher[4] ?? matcher[5];
      // Skip the whole matcher, arguments included, so its parentheses do not count as a group.
      const close = rule.indexOf(')', at + matcher[0].length);
      at = close < 0 ? rule.length : close;
      pendingNot = false;
      continue;
    }
    pendingNot = false;
  }
  return undefined;
}

export interface UiAddresses {
  /** Nomad web UI base (default: the API address, where Nomad serves /ui/). */
  nomad: string;
  /** Consul web UI base (default: the API address, where Consul serves /ui/). */
  consul: string;
}

export function nomadJobUrl(ui: UiAddresses, jobId: string, namespace: string): string {
  return `${base(ui.nomad)}/ui/jobs/${encodeURIComponent(`${jobId}@${namespace}`)}`;
}

export function nomadAllocationUrl(ui: UiAddresses, allocationId: string): string {
  return `${base(ui.nomad)}/ui/allocations/${encodeURIComponent(allocationId)}`;
}

export function nomadNodeUrl(ui: UiAddresses, nodeId: string): string {
  return `${base(ui.nomad)}/ui/clients/${encodeURIComponent(nodeId)}`;
}

export function consulServiceUrl(ui: UiAddresses, datacenter: string | undefined, service: string): string {
  return datacenter
    ? `${base(ui.consul)}/ui/${encodeURIComponent(datacenter)}/services/${encodeURIComponent(service)}/instances`
    : `${base(ui.consul)}/ui/`;
}

export function consulNodeUrl(ui: UiAddresses, datacenter: string | undefined, node: string): string {
  return datacenter ? `${base(ui.consul)}/ui/${encodeURIComponent(datacenter)}/nodes/${encodeURIComponent(node)}/health-checks` : `${base(ui.consul)}/ui/`;
}

/** True for http(s) URLs only: the last check before anything is handed to the OS to open. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function base(address: string): string {
  return address.replace(/\/+$/, '');
}

/** Nomad registers a task's service as `_nomad-task-<allocID>-<group>-<task>-<service>-<port label>`. */
const NOMAD_SERVICE_ID = /^_nomad-task-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(.+)$/;

/** The allocation that registered a Consul service instance, when Nomad did. */
export function nomadAllocationOfService(serviceId: string): string | undefined {
  return NOMAD_SERVICE_ID.exec(serviceId)?.[1];
}
