import { ConsulClient } from '../consul/consulClient';
import { NomadClient } from '../nomad/nomadClient';
import { TraefikClient, TRAEFIK_EXPLORER_PAGE_SIZE } from '../traefik/traefikClient';
import { consulInstanceNodes, consulSectionNodes, ConsulSectionData } from '../tree/consul/consulProperties';
import { ExplorerNode } from '../tree/explorerNode';
import { UiAddresses } from '../tree/links';
import { nomadSectionNodes, NomadSectionData } from '../tree/nomad/nomadProperties';
import { traefikSectionNodes, TraefikSectionData } from '../tree/traefik/traefikProperties';

// Each loader makes a fixed number of requests, whatever the size of the cluster:
// Consul 3 (services, every check, nodes), Nomad 4 (jobs, allocations, deployments, nodes),
// Traefik 4 (routers, services, middlewares, entrypoints). Deeper levels load on expand.

export async function fetchConsulSection(client: ConsulClient, signal?: AbortSignal): Promise<ConsulSectionData> {
  const [services, checks, nodes] = await Promise.all([client.catalogServices(signal), client.healthChecks(signal), client.catalogNodes(signal)]);
  return { services: services.data ?? {}, checks: checks.data ?? [], nodes: nodes.data ?? [] };
}

export async function fetchNomadSection(client: NomadClient, signal?: AbortSignal): Promise<NomadSectionData> {
  const [jobs, allocations, deployments, nodes] = await Promise.all([client.jobs({ signal }), client.allocations({ signal }), client.deployments({ signal }), client.nodes({ signal })]);
  return { jobs, allocations, deployments, nodes, namespace: client.namespace };
}

export async function fetchTraefikSection(client: TraefikClient, signal?: AbortSignal): Promise<TraefikSectionData> {
  const options = { signal, perPage: TRAEFIK_EXPLORER_PAGE_SIZE };
  const [routers, services, middlewares, entryPoints] = await Promise.all([client.httpRouters(options), client.httpServices(options), client.httpMiddlewares(options), client.entryPoints(options)]);
  return { routers, services, middlewares, entryPoints };
}

export interface SectionSnapshot<T> {
  data: T;
  nodes: ExplorerNode[];
  loadedAt: number;
}

export async function loadConsulSection(client: ConsulClient, ui: UiAddresses, signal?: AbortSignal): Promise<SectionSnapshot<ConsulSectionData>> {
  const data = await fetchConsulSection(client, signal);
  return { data, nodes: consulSectionNodes(data, ui), loadedAt: Date.now() };
}

export async function loadNomadSection(client: NomadClient, ui: UiAddresses, signal?: AbortSignal): Promise<SectionSnapshot<NomadSectionData>> {
  const data = await fetchNomadSection(client, signal);
  const loadedAt = Date.now();
  return { data, nodes: nomadSectionNodes(data, { ui, now: loadedAt }), loadedAt };
}

export async function loadTraefikSection(client: TraefikClient, signal?: AbortSignal): Promise<SectionSnapshot<TraefikSectionData>> {
  const data = await fetchTraefikSection(client, signal);
  return { data, nodes: traefikSectionNodes(data), loadedAt: Date.now() };
}

export async function loadConsulInstances(client: ConsulClient, service: string, signal?: AbortSignal): Promise<ExplorerNode[]> {
  const entries = await client.serviceHealth(service, signal);
  return consulInstanceNodes(service, entries.data ?? []);
}
