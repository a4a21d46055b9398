import { HttpClient, HttpClientOptions } from '../http/httpClient';
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
  catalogServices(signal?: AbortSignal): Promise<ConsulResult<ConsulCatalogServices>> {
    return this.get('/v1/catalog/services', signal);
  }

  /** Every health check in the datacenter: with `catalogServices`, the health summary of every service. */
  healthChecks(signal?: AbortSignal): Promise<ConsulResult<ConsulHealthCheck[]>> {
    return this.get('/v1/health/state/any', signal);
  }

  catalogNodes(signal?: AbortSignal): Promise<ConsulResult<ConsulNode[]>> {
    return this.get('/v1/catalog/nodes', signal);
  }

  /** The instances of one service with their node and checks; Consul answers `[]` for an unknown name. */
  serviceHealth(service: string, signal?: AbortSignal): Promise<ConsulResult<ConsulServiceEntry[]>> {
    return this.get(`/v1/health/service/${encodeURIComponent(service)}`, signal);
  }

  private async get<T>(path: string, signal: AbortSignal | undefined): Promise<ConsulResult<T>> {
    const response = await this.http.getJson<T>(path, { signal, query: { dc: this.datacenter } });
    const index = response.headers.get('X-Consul-Index');
    const knownLeader = response.headers.get('X-Consul-KnownLeader');
    return {
      data: response.data,
      meta: {
        index: index === null ? undefined : Number(index),
        knownLeader: knownLeader === null ? undefined : knownLeader === 'true',
      },
    };
  }
}
