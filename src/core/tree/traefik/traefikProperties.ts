import { ChainData, consulServiceOf, routeChain, unroutedConsulServices } from './routeChain';
import { TraefikCertificate, TraefikEntryPoint, TraefikHttpMiddleware, TraefikHttpRouter, TraefikHttpService, TraefikVersion } from '../../traefik/traefikApi';
import { ExplorerNode, folderNode, HEALTH_COLORS, HEALTH_ICONS, infoNode, NodeIcon } from '../explorerNode';
import { PublicPorts, routerPublicUrl } from '../links';

export interface TraefikSectionData {
  routers: TraefikHttpRouter[];
  services: TraefikHttpService[];
  middlewares: TraefikHttpMiddleware[];
  entryPoints: TraefikEntryPoint[];
  /** Absent where the Traefik's API has no certificate list (before 3.x), or the data was built without it. */
  certificates?: TraefikCertificate[];
  version?: TraefikVersion;
}

/** A certificate that expires within this long is a warning (Let's Encrypt renews at 30 days: 14 left means renewal failed). */
export const CERTIFICATE_WARNING_DAYS = 14;

/** Traefik's own status words as health; `warning` objects work but something in them was dropped. */
export function statusIcon(status: string, errors: string[] | undefined): NodeIcon {
  if (status === 'disabled') {
    return HEALTH_ICONS.critical;
  }
  if (status === 'warning' || (errors && errors.length > 0)) {
    return HEALTH_ICONS.warning;
  }
  return status === 'enabled' ? HEALTH_ICONS.passing : HEALTH_ICONS.neutral;
}

/** A router's `service` is relative to its provider unless it names one: `whoami` → `whoami@consulcatalog`. */
export function qualifiedName(name: string, provider: string): string {
  return name.includes('@') ? name : `${name}@${provider}`;
}

/** `publicPorts`: where users reach the entry points (setting hashistack.traefik.publicPorts), for the routers' URLs. */
export function traefikSectionNodes(data: TraefikSectionData, chain: ChainData = {}, publicPorts: PublicPorts = {}): ExplorerNode[] {
  const servicesByName = new Map<string, TraefikHttpService>();
  for (const service of data.services) {
    servicesByName.set(service.name, service);
  }
  const routers = [...data.routers].sort((a, b) => a.name.localeCompare(b.name)).map((router) => traefikRouterNode(router, servicesByName, chain, publicPorts));
  // The other half of a broken chain: Consul services that ask for a route Traefik does not have.
  for (const name of unroutedConsulServices(chain.consul, data.routers)) {
    routers.push({ ...infoNode(`traefik/unrouted/${name}`, name, `The Consul service "${name}" has the tag traefik.enable=true, but Traefik has no router for it: check its traefik.http.routers.* tags (a rule is needed unless a default rule applies).`), description: 'traefik.enable=true in Consul, but no router', icon: HEALTH_ICONS.warning, contextValue: 'traefikUnrouted' });
  }
  const services = [...data.services].sort((a, b) => a.name.localeCompare(b.name)).map((service) => traefikServiceNode(service, 'traefik/service'));
  const middlewares = [...data.middlewares].sort((a, b) => a.name.localeCompare(b.name)).map(traefikMiddlewareNode);
  const entryPoints = [...data.entryPoints].sort((a, b) => a.name.localeCompare(b.name)).map(traefikEntryPointNode);
  const folders = [
    folderNode('traefik/routers', 'HTTP Routers', routers, true, 'arrow-swap'),
    folderNode('traefik/services', 'Services', services, false, 'layers'),
    folderNode('traefik/middlewares', 'Middlewares', middlewares, false, 'filter'),
    folderNode('traefik/entrypoints', 'Entrypoints', entryPoints, false, 'plug'),
  ];
  if (data.certificates) {
    const now = chain.now ?? Date.now();
    const certificates = [...data.certificates].sort((a, b) => (a.notAfter ?? '').localeCompare(b.notAfter ?? '')).map((certificate) => traefikCertificateNode(certificate, data.routers, now));
    const expiring = certificates.filter((node) => node.icon !== HEALTH_ICONS.passing).length;
    const folder = folderNode('traefik/certificates', 'TLS Certificates', certificates, false, 'workspace-trusted');
    folders.push(expiring ? { ...folder, description: `${expiring} expiring or expired`, icon: HEALTH_ICONS.warning } : folder);
  }
  // The program's version, on every folder's tooltip: what answers is said wherever one looks.
  const version = data.version ? `Traefik ${data.version.Version}${data.version.Codename ? ` (${data.version.Codename})` : ''}${data.version.startDate ? `, started ${data.version.startDate.replace(/\.\d+Z$/, 'Z')}` : ''}` : undefined;
  return version ? folders.map((folder) => ({ ...folder, tooltip: `${typeof folder.tooltip === 'string' ? `${folder.tooltip}\n` : ''}${version}` })) : folders;
}

/**
 * A certificate Traefik holds: its name and domains, when it expires (a warning at CERTIFICATE_WARNING_DAYS,
 * an error once expired), and the resolver of the routers that serve its domains (the API does not say
 * which resolver made a certificate: a router that asks for one names it).
 */
export function traefikCertificateNode(certificate: TraefikCertificate, routers: readonly TraefikHttpRouter[], now: number): ExplorerNode {
  const domains = [...new Set([certificate.commonName, ...(certificate.sans ?? [])].filter((domain): domain is string => Boolean(domain)))];
  const expires = certificate.notAfter ? Date.parse(certificate.notAfter) : NaN;
  const days = Number.isFinite(expires) ? Math.floor((expires - now) / 86_400_000) : undefined;
  const resolvers = [...new Set(routers.filter((router) => router.tls?.certResolver && domains.some((domain) => routerServes(router, domain))).map((router) => router.tls!.certResolver!))];
  const when = days === undefined ? 'no expiry date' : days < 0 ? `expired ${-days} day${days === -1 ? '' : 's'} ago` : `expires in ${days} day${days === 1 ? '' : 's'}`;
  return {
    id: `traefik/certificate/${certificate.name}`,
    label: domains[0] ?? certificate.name.slice(0, 16),
    description: [when, domains.length > 1 ? `+${domains.length - 1} more` : '', resolvers.length ? `resolver ${resolvers.join(', ')}` : ''].filter(Boolean).join(' · '),
    tooltip: [
      `Certificate ${certificate.name}`,
      `Domains: ${domains.join(', ') || 'none'}`,
      certificate.issuerCN ? `Issuer: ${certificate.issuerCN}` : '',
      certificate.notBefore ? `Valid from: ${certificate.notBefore}` : '',
      certificate.notAfter ? `Valid until: ${certificate.notAfter} (${when})` : '',
      `Resolver: ${resolvers.length ? resolvers.join(', ') : 'none named by a router (a file or a default certificate)'}`,
      [certificate.keyType, certificate.keySize, certificate.signatureAlgorithm].filter(Boolean).join(' '),
      certificate.serialNumber ? `Serial: ${certificate.serialNumber}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: days === undefined ? HEALTH_ICONS.neutral : days < 0 ? HEALTH_ICONS.critical : days <= CERTIFICATE_WARNING_DAYS ? HEALTH_ICONS.warning : HEALTH_ICONS.passing,
    contextValue: 'traefikCertificate copyId',
    collapsible: 'none',
    copy: { id: certificate.name },
  };
}

/** Whether a router's rule asks for this host (Host(`…`) with the name, or a wildcard certificate's). */
function routerServes(router: TraefikHttpRouter, domain: string): boolean {
  const hosts = [...router.rule.matchAll(/Host\(\s*[`"]([^`"]+)[`"]\s*\)/gi)].map((match) => match[1]!.toLowerCase());
  const wanted = domain.toLowerCase();
  return hosts.some((host) => host === wanted || (wanted.startsWith('*.') && host.endsWith(wanted.slice(1))));
}

export function traefikRouterNode(router: TraefikHttpRouter, servicesByName: Map<string, TraefikHttpService>, chainData: ChainData = {}, publicPorts: PublicPorts = {}): ExplorerNode {
  const tls = Boolean(router.tls);
  const url = routerPublicUrl(router, publicPorts);
  const serviceName = qualifiedName(router.service, router.provider);
  const service = servicesByName.get(serviceName);
  const errors = router.error ?? [];
  const children: ExplorerNode[] = errors.map((error, index) => ({
    id: `traefik/router/${router.name}/error/${index}`,
    label: error,
    tooltip: error,
    icon: router.status === 'disabled' ? HEALTH_ICONS.critical : HEALTH_ICONS.warning,
    contextValue: 'traefikError',
    collapsible: 'none',
  }));
  children.push(
    service
      ? traefikServiceNode(service, `traefik/router/${router.name}/service`)
      : { ...infoNode(`traefik/router/${router.name}/service`, serviceName, 'Traefik lists no service of this name: the router cannot send traffic.'), description: 'service not found', icon: HEALTH_ICONS.warning },
  );
  const entryPoints = router.entryPoints ?? [];
  const middlewares = router.middlewares ?? [];
  const chain = routeChain(router, serviceName, service, chainData);
  // A broken link of the chain is said on the row and under it, after Traefik's own errors; a missing service already has its row.
  children.splice(
    errors.length,
    0,
    ...chain.problems
      .filter((problem) => service || !problem.includes('is missing'))
      .map((problem, index) => ({ id: `traefik/router/${router.name}/problem/${index}`, label: problem, tooltip: problem, icon: HEALTH_ICONS.warning, contextValue: 'traefikChainProblem', collapsible: 'none' as const })),
  );
  return {
    id: `traefik/router/${router.name}`,
    label: router.name,
    description: chain.problems.length ? `${router.rule} · ${chain.problems[0]}` : router.rule,
    tooltip: [
      `Router ${router.name}`,
      `Rule: ${router.rule}`,
      `Entrypoints: ${entryPoints.join(', ') || 'all'}`,
      `TLS: ${tls ? `yes${router.tls?.certResolver ? ` (resolver ${router.tls.certResolver})` : ''}` : 'no'}`,
      `Status: ${router.status}`,
      `Provider: ${router.provider}`,
      `Service: ${serviceName}`,
      middlewares.length ? `Middlewares: ${middlewares.join(', ')}` : '',
      router.priority !== undefined || router.priorityStr ? `Priority: ${router.priorityStr ?? router.priority}` : '',
      ...errors.map((error) => `Error: ${error}`),
      `Chain:\n${chain.links.map((link) => `  → ${link}`).join('\n')}`,
      ...chain.problems.map((problem) => `Broken: ${problem}`),
    ]
      .filter(Boolean)
      .join('\n'),
    icon: chain.problems.length && router.status === 'enabled' ? HEALTH_ICONS.warning : statusIcon(router.status, router.error),
    contextValue: ['traefikRouter copyId', ...(url ? ['browsable'] : []), ...(chain.allocationIds.length ? ['routedToNomad'] : [])].join(' '),
    routeAllocations: chain.allocationIds.length ? chain.allocationIds : undefined,
    collapsible: 'collapsed',
    children,
    copy: { id: router.name },
    url,
  };
}

export function traefikServiceNode(service: TraefikHttpService, idPrefix: string): ExplorerNode {
  const servers = service.loadBalancer?.servers ?? [];
  const children: ExplorerNode[] = servers.map((server, index) => {
    const address = server.url ?? server.address ?? '';
    const state = service.serverStatus?.[address];
    return {
      id: `${idPrefix}/${service.name}/server/${index}`,
      label: address,
      description: state ?? '',
      tooltip: `${address}${state ? `: ${state}` : ''}${server.weight !== undefined ? `\nWeight: ${server.weight}` : ''}`,
      icon: state === 'UP' ? HEALTH_ICONS.passing : state === 'DOWN' ? HEALTH_ICONS.critical : HEALTH_ICONS.neutral,
      contextValue: consulServiceOf(service.name) ? 'traefikServer address consulServer' : 'traefikServer address',
      collapsible: 'none',
      copy: { address },
      server: consulServiceOf(service.name) ? { consulService: consulServiceOf(service.name)!, address } : undefined,
    } satisfies ExplorerNode;
  });
  for (const weighted of service.weighted?.services ?? []) {
    children.push(infoNode(`${idPrefix}/${service.name}/weighted/${weighted.name}`, weighted.name, `Weighted service${weighted.weight !== undefined ? `, weight ${weighted.weight}` : ''}`));
  }
  if (service.failover) {
    children.push({ ...infoNode(`${idPrefix}/${service.name}/failover-main`, service.failover.service, 'Receives the traffic while its health check passes'), description: 'main' });
    children.push({ ...infoNode(`${idPrefix}/${service.name}/failover-fallback`, service.failover.fallback, 'Receives the traffic when the main service is down'), description: 'fallback' });
  }
  if (service.mirroring) {
    children.push(infoNode(`${idPrefix}/${service.name}/mirror-main`, service.mirroring.service, 'Main service of the mirror'));
    for (const mirror of service.mirroring.mirrors ?? []) {
      children.push({ ...infoNode(`${idPrefix}/${service.name}/mirror/${mirror.name}`, mirror.name, `Receives ${mirror.percent}% of the traffic as a mirror`), description: `${mirror.percent}%` });
    }
  }
  const up = Object.values(service.serverStatus ?? {}).filter((state) => state === 'UP').length;
  const description = servers.length > 0 ? `${service.type ?? 'loadbalancer'} · ${up}/${servers.length} up` : (service.type ?? service.status);
  return {
    id: `${idPrefix}/${service.name}`,
    label: service.name,
    description,
    tooltip: [`Service ${service.name}`, `Type: ${service.type ?? 'unknown'}`, `Status: ${service.status}`, `Provider: ${service.provider}`, service.usedBy?.length ? `Used by: ${service.usedBy.join(', ')}` : 'Used by no router', ...(service.error ?? []).map((error) => `Error: ${error}`)].join('\n'),
    icon: servers.length > 0 && up < servers.length ? (up === 0 && service.serverStatus ? HEALTH_ICONS.critical : HEALTH_ICONS.warning) : statusIcon(service.status, service.error),
    contextValue: 'traefikService copyId',
    collapsible: children.length > 0 ? 'collapsed' : 'none',
    children,
    copy: { id: service.name },
  };
}

export function traefikMiddlewareNode(middleware: TraefikHttpMiddleware): ExplorerNode {
  return {
    id: `traefik/middleware/${middleware.name}`,
    label: middleware.name,
    description: [middleware.type, middleware.status].filter(Boolean).join(' · '),
    tooltip: [`Middleware ${middleware.name}`, `Type: ${middleware.type ?? 'unknown'}`, `Status: ${middleware.status}`, `Provider: ${middleware.provider}`, middleware.usedBy?.length ? `Used by: ${middleware.usedBy.join(', ')}` : 'Used by no router', ...(middleware.error ?? []).map((error) => `Error: ${error}`)].join('\n'),
    icon: statusIcon(middleware.status, middleware.error),
    contextValue: 'traefikMiddleware copyId',
    collapsible: 'none',
    copy: { id: middleware.name },
  };
}

export function traefikEntryPointNode(entryPoint: TraefikEntryPoint): ExplorerNode {
  const redirect = entryPoint.http?.redirections?.entryPoint?.to;
  return {
    id: `traefik/entrypoint/${entryPoint.name}`,
    label: entryPoint.name,
    description: redirect ? `${entryPoint.address} → ${redirect}` : entryPoint.address,
    tooltip: `Entrypoint ${entryPoint.name}\nAddress: ${entryPoint.address}${redirect ? `\nRedirects to: ${redirect}` : ''}`,
    icon: { id: 'plug', color: HEALTH_COLORS.neutral },
    contextValue: 'traefikEntryPoint address',
    collapsible: 'none',
    copy: { address: entryPoint.address },
  };
}
