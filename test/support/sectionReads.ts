// A section read whole and turned into rows, as the store and the explorer do it, in one call: for the tests
// and the benchmark, which measure the product's own fetch and row functions together.
import { ConsulClient } from '../../src/core/consul/consulClient';
import { fetchConsulSection, fetchNomadSection, fetchTraefikSection } from '../../src/core/explorer/sectionLoaders';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { TraefikClient } from '../../src/core/traefik/traefikClient';
import { consulInstanceNodes, consulSectionNodes, ConsulSectionData } from '../../src/core/tree/consul/consulProperties';
import { ExplorerNode } from '../../src/core/tree/explorerNode';
import { UiAddresses } from '../../src/core/tree/links';
import { nomadSectionNodes, NomadSectionData } from '../../src/core/tree/nomad/nomadProperties';
import { traefikSectionNodes, TraefikSectionData } from '../../src/core/tree/traefik/traefikProperties';

export interface SectionSnapshot<T> {
  data: T;
  nodes: ExplorerNode[];
  loadedAt: number;
}

export async function loadConsulSection(client: ConsulClient, ui: UiAddresses, signal?: AbortSignal): Promise<SectionSnapshot<ConsulSectionData>> {
  const { data } = await fetchConsulSection(client, signal);
  return { data, nodes: consulSectionNodes(data, ui), loadedAt: Date.now() };
}

export async function loadNomadSection(client: NomadClient, ui: UiAddresses, signal?: AbortSignal): Promise<SectionSnapshot<NomadSectionData>> {
  const { data } = await fetchNomadSection(client, signal);
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
