// A Traefik router's chain across the stack: rule → service → servers → the Consul service behind them and
// its health → the Nomad allocations that registered it (Nomad's service IDs carry the allocation ID), and
// the broken links of that chain, in words. Pure: the three sections' data in, words out.
import { ConsulSectionData, summarizeServiceHealth } from '../consul/consulProperties';
import { NomadSectionData } from '../nomad/nomadProperties';
import { TraefikHttpRouter, TraefikHttpService } from '../../traefik/traefikApi';
import { nomadAllocationOfService } from '../links';

export { nomadAllocationOfService } from '../links';

/** The Consul service a Traefik service of the consulCatalog provider routes to (`whoami@consulcatalog` → `whoami`). */
export function consulServiceOf(traefikService: string): string | undefined {
  const at = traefikService.lastIndexOf('@');
  return at > 0 && traefikService.slice(at + 1) === 'consulcatalog' ? traefikService.slice(0, at) : undefined;
}

export interface RouteChain {
  /** One line per link: `service whoami@consulcatalog: 3 servers`, `Consul whoami: 2 passing · 1 critical`, `Nomad: 2 running allocations (whoami)`. */
  links: string[];
  /** What breaks the chain, in words; empty when nothing does. */
  problems: string[];
  /** The Nomad allocations behind the route, for Reveal. */
  allocationIds: string[];
}

export interface ChainData {
  consul?: ConsulSectionData;
  nomad?: NomadSectionData;
  /** ECS services (the AWS section's), for routes to services that run on Fargate. */
  ecs?: { name: string; running: number; desired: number; rollout?: { state: string } }[];
  /** Milliseconds since the epoch, for certificates' expiry (a parameter so tests are exact). */
  now?: number;
}

export function routeChain(router: TraefikHttpRouter, serviceName: string, service: TraefikHttpService | undefined, data: ChainData): RouteChain {
  const links: string[] = [`rule ${router.rule}`];
  const problems: string[] = [];
  // Traefik's own services (api@internal, dashboard@internal, noop@internal…) are always there and have no
  // servers: the real program lists them (provider "internal"), older versions and imitations may not.
  if (serviceName.endsWith('@internal') || service?.provider === 'internal') {
    links.push(`service ${serviceName}: Traefik's own`);
    return { links, problems, allocationIds: [] };
  }
  if (!service) {
    problems.push(`the router's service ${serviceName} is missing`);
    return { links, problems, allocationIds: [] };
  }
  const servers = service.loadBalancer?.servers ?? [];
  const composite = (service.weighted?.services?.length ?? 0) > 0 || Boolean(service.mirroring);
  links.push(`service ${service.name}: ${composite ? (service.type ?? 'composite') : `${servers.length} ${servers.length === 1 ? 'server' : 'servers'}`}`);
  if (!composite && servers.length === 0) problems.push(`no server is behind ${service.name}`);
  const consulName = consulServiceOf(service.name);
  const allocationIds: string[] = [];
  if (consulName && data.consul) {
    const summary = summarizeServiceHealth(data.consul.checks).get(consulName);
    if (summary) {
      const parts = [summary.passing ? `${summary.passing} passing` : '', summary.warning ? `${summary.warning} warning` : '', summary.critical ? `${summary.critical} critical` : ''].filter(Boolean);
      links.push(`Consul ${consulName}: ${parts.join(' · ') || 'no checks'}`);
      const instances = summary.passing + summary.warning + summary.critical;
      if (instances > 0 && summary.critical === instances) problems.push(`every server is critical in Consul (${consulName})`);
    } else if (!Object.hasOwn(data.consul.services, consulName)) {
      links.push(`Consul ${consulName}: not registered`);
    }
    const ids = new Set<string>();
    for (const check of data.consul.checks) {
      if (check.ServiceName !== consulName || !check.ServiceID) continue;
      const allocation = nomadAllocationOfService(check.ServiceID);
      if (allocation) ids.add(allocation);
    }
    allocationIds.push(...ids);
    // Not Nomad's: a service of the same name on ECS (registered by consul-ecs) is the end of the chain.
    const ecs = ids.size === 0 ? data.ecs?.find((candidate) => candidate.name === consulName) : undefined;
    if (ecs) {
      links.push(`ECS: ${ecs.running}/${ecs.desired} tasks running (${ecs.name})${ecs.rollout ? ` · ${ecs.rollout.state.toLowerCase()}` : ''}`);
      if (ecs.desired > 0 && ecs.running === 0) problems.push(`no ECS task of ${ecs.name} runs`);
    }
    if (ids.size > 0 && data.nomad) {
      const allocations = data.nomad.allocations.filter((allocation) => ids.has(allocation.ID));
      const running = allocations.filter((allocation) => allocation.ClientStatus === 'running').length;
      const jobs = [...new Set(allocations.map((allocation) => allocation.JobID))];
      links.push(`Nomad: ${running} running ${running === 1 ? 'allocation' : 'allocations'}${allocations.length > running ? ` (${allocations.length - running} not running)` : ''}${jobs.length ? ` of ${jobs.join(', ')}` : ''}`);
    }
  }
  return { links, problems, allocationIds };
}

/**
 * Consul services that ask Traefik to route them (`traefik.enable=true`) but have no router: the other half
 * of a broken chain, which no router row can show.
 */
export function unroutedConsulServices(consul: ConsulSectionData | undefined, routers: TraefikHttpRouter[]): string[] {
  if (!consul) return [];
  const names = new Set(routers.filter((router) => router.provider === 'consulcatalog').map((router) => router.name.replace(/@consulcatalog$/, '')));
  return Object.entries(consul.services)
    .filter(([name, tags]) => {
      if (!(tags ?? []).includes('traefik.enable=true')) return false;
      // consulCatalog names a router after its tags (traefik.http.routers.<name>.…), else after the service.
      const declared = (tags ?? []).map((tag) => /^traefik\.http\.routers\.([^.=]+)\./.exec(tag)?.[1]).filter((router): router is string => Boolean(router));
      return !(declared.length ? declared : [name]).some((router) => names.has(router));
    })
    .map(([name]) => name)
    .sort();
}
