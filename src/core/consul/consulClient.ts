import { HttpClient, HttpClientOptions } from '../http/httpClient';
import { ApiError } from '../http/apiError';
import { checkList, checkStringListMap } from '../http/shapes';
import { BlockingOptions, blockingQuery, blockingTimeoutMs, parseIndex } from '../live/blockingQuery';
import { ConsulCatalogServices, ConsulHealthCheck, ConsulNode, ConsulQueryMeta, ConsulServiceEntry } from './consulApi';

export interface ConsulResult<T> {
  data: T;
  meta: ConsulQueryMeta;
}

export interface ConsulClientOptions extends Omit<HttpClientOptions, 'product' | 'headers'> {
  token?: string;
  datacenter?: string;
}

/** Consul's HTTP API: the read endpoints the explorer uses. Sends the token as `X-Consul-Token`. */
export class ConsulClient {
  private readonly http: HttpClient;
  private readonly datacenter: string | undefined;

  constructor(options: ConsulClientOptions) {
    const { token, datacenter, ...rest } = options;
    this.http = new HttpClient({ ...rest, product: 'Consul', headers: token ? { 'X-Consul-Token': token } : {} });
    this.datacenter = datacenter;
  }

  get address(): string {
    return this.http.address;
  }

  /** Every service name with its tags: one request, whatever the number of instances. */
  catalogServices(signal?: AbortSignal, blocking?: BlockingOptions): Promise<ConsulResult<ConsulCatalogServices>> {
    return this.get('/v1/catalog/services', signal, blocking, (data, where) => checkStringListMap(data, where));
  }

  /** Every health check in the datacenter: with `catalogServices`, the health summary of every service. */
  healthChecks(signal?: AbortSignal, blocking?: BlockingOptions): Promise<ConsulResult<ConsulHealthCheck[]>> {
    return this.get('/v1/health/state/any', signal, blocking, (data, where) => checkList(data, where, ['Node', 'CheckID', 'Status', 'ServiceID', 'ServiceName']));
  }

  catalogNodes(signal?: AbortSignal, blocking?: BlockingOptions): Promise<ConsulResult<ConsulNode[]>> {
    return this.get('/v1/catalog/nodes', signal, blocking, (data, where) => checkList(data, where, ['Node', 'Address']));
  }

  /** The instances of one service with their node and checks; Consul answers `[]` for an unknown name. */
  serviceHealth(service: string, signal?: AbortSignal, blocking?: BlockingOptions): Promise<ConsulResult<ConsulServiceEntry[]>> {
    return this.get(`/v1/health/service/${encodeURIComponent(service)}`, signal, blocking, (data, where) => checkServiceEntries(data, where));
  }

  private async get<T>(path: string, signal: AbortSignal | undefined, blocking: BlockingOptions | undefined, check: (data: unknown, where: { product: 'Consul'; address: string; path: string }) => unknown): Promise<ConsulResult<T>> {
    const response = await this.http.requestJson<unknown>(path, { signal, query: { dc: this.datacenter, ...blockingQuery(blocking) }, timeoutMs: blocking ? blockingTimeoutMs(blocking) : undefined });
    const knownLeader = response.headers.get('X-Consul-KnownLeader');
    return {
      data: check(response.data, { product: 'Consul', address: this.address, path }) as T,
      meta: {
        index: parseIndex(response.headers.get('X-Consul-Index')),
        knownLeader: knownLeader === null ? undefined : knownLeader === 'true',
      },
    };
  }
}

/** `/v1/health/service/:name`: entries with a Service, a Node and their Checks. */
function checkServiceEntries(data: unknown, where: { product: 'Consul'; address: string; path: string }): ConsulServiceEntry[] {
  const entries = checkList<Record<string, unknown>>(data, where, []);
  entries.forEach((entry, index) => {
    const service = entry.Service as Record<string, unknown> | null | undefined;
    const node = entry.Node as Record<string, unknown> | null | undefined;
    if (typeof service?.Service !== 'string' || typeof node?.Node !== 'string' || !Array.isArray(entry.Checks)) {
      throw new ApiError({ kind: 'malformed', ...where, reason: `entry ${index} has no Service, Node and Checks` });
    }
  });
  return entries as unknown as ConsulServiceEntry[];
}
