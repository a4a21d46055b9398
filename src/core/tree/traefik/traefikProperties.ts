import { ChainData, consulServiceOf, routeChain, unroutedConsulServices } from './routeChain';
import { TraefikEntryPoint, TraefikHttpMiddleware, TraefikHttpRouter, TraefikHttpService } from '../../traefik/traefikApi';
import { ExplorerNode, folderNode, HEALTH_COLORS, HEALTH_ICONS, infoNode, NodeIcon } from '../explorerNode';
import { routerUrl } from '../links';

export interface TraefikSectionData {
  routers: TraefikHttpRouter[];
  services: TraefikHttpService[];
  middlewares: TraefikHttpMiddleware[];
  entryPoints: TraefikEntryPoint[];
}

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

export function traefikSectionNodes(data: TraefikSectionData, chain: ChainData = {}): ExplorerNode[] {
  const servicesByName = new Map<string, TraefikHttpService>();
  for (const service of data.services) {
    servicesByName.set(service.name, service);
  }
  const routers = [...data.routers].sort((a, b) => a.name.localeCompare(b.name)).map((router) => traefikRouterNode(router, servicesByName, chain));
  // The other half of a broken chain: Consul services that ask for a route Traefik does not have.
  for (const name of unroutedConsulServices(chain.consul, data.routers)) {
    routers.push({ ...infoNode(`traefik/unrouted/${name}`, name, `The Consul service "${name}" has the tag traefik.enable=true, but Traefik has no router for it: check its traefik.http.routers.* tags (a rule is needed unless a default rule applies).`), description: 'traefik.enable=true in Consul, but no router', icon: HEALTH_ICONS.warning, contextValue: 'traefikUnrouted' });
  }
  const services = [...data.services].sort((a, b) => a.name.localeCompare(b.name)).map((service) => traefikServiceNode(service, 'traefik/service'));
  const middlewares = [...data.middlewares].sort((a, b) => a.name.localeCompare(b.name)).map(traefikMiddlewareNode);
  const entryPoints = [...data.entryPoints].sort((a, b) => a.name.localeCompare(b.name)).map(traefikEntryPointNode);
  return [
    folderNode('traefik/routers', 'HTTP Routers', routers, true, 'arrow-swap'),
    folderNode('traefik/services', 'Services', services, false, 'layers'),
    folderNode('traefik/middlewares', 'Middlewares', middlewares, false, 'filter'),
    folderNode('traefik/entrypoints', 'Entrypoints', entryPoints, false, 'plug'),
  ];
}

export function traefikRouterNode(router: TraefikHttpRouter, servicesByName: Map<string, TraefikHttpService>, chainData: ChainData = {}): ExplorerNode {
  const tls = Boolean(router.tls);
  const url = routerUrl(router.rule, tls);
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
