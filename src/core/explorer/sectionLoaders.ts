import { ConsulClient } from '../consul/consulClient';
import { ConsulSectionData } from '../tree/consul/consulProperties';
import { NomadSectionData } from '../tree/nomad/nomadProperties';
import { TraefikSectionData } from '../tree/traefik/traefikProperties';
import { NomadClient, NomadListKind } from '../nomad/nomadClient';
import { TraefikClient, TRAEFIK_EXPLORER_PAGE_SIZE } from '../traefik/traefikClient';

// The one way each section is read, by the cluster store and by the tests and benchmarks that measure it.
// Each load makes a fixed number of requests, whatever the size of the cluster:
// Consul 3 (services, every check, nodes), Nomad 4 (jobs, allocations, deployments, nodes),
// Traefik 4 (routers, services, middlewares, entrypoints). Deeper levels load on expand.

/** A section's whole first load may take this long (its requests run side by side, each with its own timeout). */
export const SECTION_LOAD_DEADLINE_MS = 120_000;

/**
 * Runs the requests of one section load together. The first failure aborts the others (no sibling keeps
 * paging after the section has failed), and the whole load has a deadline besides each request's timeout.
 */
export async function allOrAbort<T extends readonly unknown[]>(signal: AbortSignal, deadlineMs: number, work: { [K in keyof T]: (signal: AbortSignal) => Promise<T[K]> }): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`the section did not load within ${deadlineMs / 1000} s`, 'TimeoutError'));
  }, deadlineMs);
  try {
    return (await Promise.all(
      work.map((run) =>
        run(controller.signal).catch((error: unknown) => {
          controller.abort(error);
          throw error;
        }),
      ),
    ).catch((error: unknown) => {
      if (timedOut) throw new Error(`did not load within ${deadlineMs / 1000} s (the section's deadline; each request has its own timeout too)`, { cause: error });
      throw error;
    })) as unknown as T;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** Consul's three lists, with the `X-Consul-Index` of each (the start of its blocking query). */
export async function fetchConsulSection(client: ConsulClient, signal: AbortSignal = new AbortController().signal): Promise<{ data: ConsulSectionData; indexes: (number | undefined)[] }> {
  const [services, checks, nodes] = await allOrAbort(signal, SECTION_LOAD_DEADLINE_MS, [(s: AbortSignal) => client.catalogServices(s), (s: AbortSignal) => client.healthChecks(s), (s: AbortSignal) => client.catalogNodes(s)] as const);
  return {
    data: { services: services.data ?? {}, checks: checks.data ?? [], nodes: nodes.data ?? [] },
    indexes: [services.meta.index, checks.meta.index, nodes.meta.index],
  };
}

export const NOMAD_LISTS: NomadListKind[] = ['jobs', 'allocations', 'deployments', 'nodes', 'evaluations'];

/** Nomad's lists (the open evaluations among them), with the `X-Nomad-Index` of each (where the event stream or blocking queries start). */
export async function fetchNomadSection(client: NomadClient, signal: AbortSignal = new AbortController().signal): Promise<{ data: NomadSectionData; indexes: Record<NomadListKind, number | undefined> }> {
  const [jobs, allocations, deployments, nodes, evaluations] = await allOrAbort(signal, SECTION_LOAD_DEADLINE_MS, NOMAD_LISTS.map((kind) => (s: AbortSignal) => client.indexedList(kind, { signal: s })));
  return {
    data: { jobs: jobs!.items, allocations: allocations!.items, deployments: deployments!.items, nodes: nodes!.items, evaluations: evaluations!.items, namespace: client.namespace } as NomadSectionData,
    indexes: { jobs: jobs!.index, allocations: allocations!.index, deployments: deployments!.index, nodes: nodes!.index, evaluations: evaluations!.index },
  };
}

export async function fetchTraefikSection(client: TraefikClient, signal: AbortSignal = new AbortController().signal): Promise<TraefikSectionData> {
  const page = (s: AbortSignal) => ({ signal: s, perPage: TRAEFIK_EXPLORER_PAGE_SIZE });
  const [routers, services, middlewares, entryPoints, certificates, version] = await allOrAbort(signal, SECTION_LOAD_DEADLINE_MS, [
    (s: AbortSignal) => client.httpRouters(page(s)),
    (s: AbortSignal) => client.httpServices(page(s)),
    (s: AbortSignal) => client.httpMiddlewares(page(s)),
    (s: AbortSignal) => client.entryPoints(page(s)),
    (s: AbortSignal) => client.certificates(page(s)),
    // The version is a label: a Traefik that does not say it still shows everything else.
    (s: AbortSignal) => client.version(s).catch(() => undefined),
  ] as const);
  return { routers, services, middlewares, entryPoints, ...(certificates ? { certificates } : {}), ...(version ? { version } : {}) };
}
