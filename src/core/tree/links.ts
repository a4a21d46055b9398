// URLs the explorer opens in the browser. Everything here is built by the extension from parsed parts,
// and only http(s) URLs come out: a value from the cluster never becomes a URL as it is.

/** A DNS name or an IPv4 address: what a Traefik Host rule must hold for us to turn it into a link. */
const HOST_PATTERN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;
const PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

/**
 * The URL a Traefik router serves: `Host(`gallery.example.com`) && PathPrefix(`/api`)` with TLS →
 * `https://gallery.example.com/api`. Undefined when the rule names no plain host (HostRegexp, HostSNI, …).
 */
export function routerUrl(rule: string, tls: boolean): string | undefined {
  const host = /(?:^|[\s(&|!])Host\(\s*[`"']([^`"']+)[`"']/.exec(rule)?.[1];
  if (!host || !HOST_PATTERN.test(host)) {
    return undefined;
  }
  const path = /PathPrefix\(\s*[`"']([^`"']+)[`"']/.exec(rule)?.[1] ?? /(?:^|[\s(&|!])Path\(\s*[`"']([^`"']+)[`"']/.exec(rule)?.[1];
  const safePath = path && path !== '/' && PATH_PATTERN.test(path) && !path.includes('{') ? path : '';
  return `${tls ? 'https' : 'http'}://${host.toLowerCase()}${safePath}`;
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
