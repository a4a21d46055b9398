import { HttpClient, HttpClientOptions, QueryValue } from '../http/httpClient';
import { ApiError } from '../http/apiError';
import { NomadAllocationListStub, NomadDeployment, NomadJob, NomadJobListStub, NomadNodeListStub } from './nomadApi';

export interface NomadClientOptions extends Omit<HttpClientOptions, 'product' | 'headers'> {
  token?: string;
  /** `*` lists every namespace the token may see. */
  namespace?: string;
  region?: string;
}

export interface NomadListOptions {
  signal?: AbortSignal;
  /**
   * Page size. Unset: Nomad answers the whole list in one response (what the explorer wants, so that a
   * refresh costs the same number of requests at any cluster size). Set: the client follows
   * `X-Nomad-NextToken` until the last page.
   */
  perPage?: number;
  filter?: string;
}

/** Upper bound on pages followed, so a server that repeats a token cannot loop a refresh forever. */
const MAX_PAGES = 10_000;

/** Nomad's HTTP API: the read endpoints the explorer uses. Sends the token as `X-Nomad-Token`. */
export class NomadClient {
  private readonly http: HttpClient;
  readonly namespace: string;
  private readonly region: string | undefined;

  constructor(options: NomadClientOptions) {
    const { token, namespace, region, ...rest } = options;
    this.http = new HttpClient({ ...rest, product: 'Nomad', headers: token ? { 'X-Nomad-Token': token } : {} });
    this.namespace = namespace || 'default';
    this.region = region || undefined;
  }

  get address(): string {
    return this.http.address;
  }

  jobs(options: NomadListOptions = {}): Promise<NomadJobListStub[]> {
    return this.list('/v1/jobs', options);
  }

  /** Every allocation, without task states (they are most of the bytes and the list does not need them). */
  allocations(options: NomadListOptions = {}): Promise<NomadAllocationListStub[]> {
    return this.list('/v1/allocations', options, { task_states: false });
  }

  deployments(options: NomadListOptions = {}): Promise<NomadDeployment[]> {
    return this.list('/v1/deployments', options);
  }

  nodes(options: NomadListOptions = {}): Promise<NomadNodeListStub[]> {
    return this.list('/v1/nodes', options, {}, false);
  }

  /** One job as submitted, with its task configs (the images that run). */
  async job(id: string, namespace: string, signal?: AbortSignal): Promise<NomadJob> {
    const response = await this.http.getJson<NomadJob>(`/v1/job/${encodeURIComponent(id)}`, { signal, query: { namespace, region: this.region } });
    return response.data;
  }

  private async list<T>(path: string, options: NomadListOptions, extra: Record<string, QueryValue> = {}, namespaced = true): Promise<T[]> {
    const items: T[] = [];
    const seenTokens = new Set<string>();
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await this.http.getJson<T[] | null>(path, {
        signal: options.signal,
        query: {
          namespace: namespaced ? this.namespace : undefined,
          region: this.region,
          per_page: options.perPage,
          next_token: nextToken,
          filter: options.filter,
          ...extra,
        },
      });
      if (response.data !== null && !Array.isArray(response.data)) {
        throw new ApiError({ kind: 'malformed', product: 'Nomad', address: this.address, path, reason: 'expected a JSON list' });
      }
      for (const item of response.data ?? []) {
        items.push(item);
      }
      // Go canonicalises the header as X-Nomad-Nexttoken; Headers.get is case-insensitive.
      const token = response.headers.get('X-Nomad-NextToken') ?? '';
      if (!token) {
        return items;
      }
      if (seenTokens.has(token)) {
        throw new ApiError({ kind: 'malformed', product: 'Nomad', address: this.address, path, reason: `the server repeated the page token ${token}` });
      }
      seenTokens.add(token);
      nextToken = token;
    }
    throw new ApiError({ kind: 'malformed', product: 'Nomad', address: this.address, path, reason: `more than ${MAX_PAGES} pages` });
  }
}
