import { HttpClient, HttpClientOptions } from '../http/httpClient';
import { ApiError } from '../http/apiError';
import { checkList, checkObject, checkStringListMap, parseJsonBody } from '../http/shapes';
import { BlockingOptions, blockingQuery, blockingTimeoutMs, parseIndex } from '../live/blockingQuery';
import { ConsulKvEntry, kvPath } from './kv';
import { ConsulCatalogServices, ConsulHealthCheck, ConsulNode, ConsulQueryMeta, ConsulServiceEntry } from './consulApi';

/** `GET /v1/acl/token/self` (test/fixtures/recorded/consul-acl/README.md). The secret is never kept from it. */
export interface ConsulAclToken {
  AccessorID: string;
  Description?: string;
  Policies?: { ID: string; Name: string }[] | null;
  Roles?: { ID: string; Name: string }[] | null;
  ServiceIdentities?: { ServiceName: string; Datacenters?: string[] }[] | null;
  NodeIdentities?: { NodeName: string; Datacenter: string }[] | null;
  ExpirationTime?: string | null;
  CreateTime?: string;
}

export interface ConsulAclRole {
  ID: string;
  Name?: string;
  Policies?: { ID: string; Name: string }[] | null;
  ServiceIdentities?: { ServiceName: string }[] | null;
  NodeIdentities?: { NodeName: string; Datacenter: string }[] | null;
}

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

  /**
   * The keys and folders (ending in `/`) right under a prefix (`?keys&separator=/`); `[]` when nothing is under
   * it (Consul answers 404). Blocking: answers when a key under the prefix changes.
   */
  /**
   * The token's own record (`GET /v1/acl/token/self`, no privilege needed), and the agent's default policy from
   * the `X-Consul-Default-ACL-Policy` header (what decides a resource no rule names).
   */
  async aclTokenSelf(signal?: AbortSignal): Promise<{ token: ConsulAclToken; defaultPolicy: 'allow' | 'deny' | undefined }> {
    const response = await this.http.requestJson<unknown>('/v1/acl/token/self', { signal });
    const token = checkObject<ConsulAclToken>(response.data, { product: 'Consul', address: this.address, path: '/v1/acl/token/self' }, { AccessorID: 'string' });
    const header = response.headers.get('x-consul-default-acl-policy');
    return { token, defaultPolicy: header === 'allow' || header === 'deny' ? header : undefined };
  }

  /** A policy with its rules (`acl:read` needed: most tokens get a 403 here). */
  async aclPolicy(id: string, signal?: AbortSignal): Promise<{ ID: string; Name: string; Rules: string }> {
    const path = `/v1/acl/policy/${encodeURIComponent(id)}`;
    return checkObject((await this.http.requestJson<unknown>(path, { signal })).data, { product: 'Consul', address: this.address, path }, { ID: 'string', Rules: 'string' });
  }

  /** A role with its policies and identities (`acl:read` needed). */
  async aclRole(id: string, signal?: AbortSignal): Promise<ConsulAclRole> {
    const path = `/v1/acl/role/${encodeURIComponent(id)}`;
    return checkObject((await this.http.requestJson<unknown>(path, { signal })).data, { product: 'Consul', address: this.address, path }, { ID: 'string' });
  }

  async kvKeys(prefix: string, signal?: AbortSignal, blocking?: BlockingOptions): Promise<ConsulResult<string[]>> {
    return this.get<string[]>(kvPath(prefix), signal, blocking, (data, where) => checkStrings(data, where), { keys: true, separator: '/' }, { value: [] });
  }

  /** Every key under a prefix, recursively (what a recursive delete would remove). */
  async kvKeysUnder(prefix: string, signal?: AbortSignal): Promise<string[]> {
    return (await this.kvKeysUnderIndexed(prefix, signal)).data;
  }

  /** The same with its index; blocking: answers when a key under the prefix changes. */
  kvKeysUnderIndexed(prefix: string, signal?: AbortSignal, blocking?: BlockingOptions): Promise<ConsulResult<string[]>> {
    return this.get<string[]>(kvPath(prefix), signal, blocking, (data, where) => checkStrings(data, where), { keys: true }, { value: [] });
  }

  /** Every entry under a prefix with its value (`?recurse`): what a template's `ls` and `tree` render. */
  async kvEntriesUnder(prefix: string, signal?: AbortSignal): Promise<ConsulKvEntry[]> {
    return (await this.get<ConsulKvEntry[]>(kvPath(prefix), signal, undefined, (data, where) => checkList(data, where, ['Key']), { recurse: true }, { value: [] })).data;
  }

  /** One key with its value, flags and indexes, or undefined when there is none. */
  async kvEntry(key: string, signal?: AbortSignal): Promise<ConsulKvEntry | undefined> {
    return (await this.kvEntryIndexed(key, signal)).data ?? undefined;
  }

  /** The same with its index (null: no such key); blocking: answers when the key changes or appears. */
  async kvEntryIndexed(key: string, signal?: AbortSignal, blocking?: BlockingOptions): Promise<ConsulResult<ConsulKvEntry | null>> {
    const result = await this.get<ConsulKvEntry[]>(kvPath(key), signal, blocking, (data, where) => checkList(data, where, ['Key']), {}, { value: [] });
    return { data: result.data.find((entry) => entry.Key === key) ?? null, meta: result.meta };
  }

  /**
   * Writes a value. `cas`: the ModifyIndex it was read at (0: only if the key does not exist). Consul answers
   * `false` (a 200) when another write came first: the result says whether this one was taken.
   */
  async kvPut(key: string, value: Uint8Array, options: { cas?: number; flags?: number; signal?: AbortSignal } = {}): Promise<boolean> {
    const response = await this.http.requestJson<unknown>(kvPath(key), { method: 'PUT', signal: options.signal, binaryBody: value, query: { dc: this.datacenter, cas: options.cas, flags: options.flags } });
    return checkBoolean(response.data, { product: 'Consul', address: this.address, path: kvPath(key) });
  }

  /** Deletes a key, or (`recurse`) every key under a prefix; with `cas`, only if the key is still at it. */
  async kvDelete(key: string, options: { cas?: number; recurse?: boolean; signal?: AbortSignal } = {}): Promise<boolean> {
    const response = await this.http.requestJson<unknown>(kvPath(key), { method: 'DELETE', signal: options.signal, query: { dc: this.datacenter, cas: options.cas, recurse: options.recurse || undefined } });
    return checkBoolean(response.data, { product: 'Consul', address: this.address, path: kvPath(key) });
  }

  /**
   * A read, checked. `missing`: what a 404 stands for (the KV store's "nothing under this key"), kept with the
   * index Consul sends along, so a blocking query can wait for the first key to appear.
   */
  private async get<T>(path: string, signal: AbortSignal | undefined, blocking: BlockingOptions | undefined, check: (data: unknown, where: { product: 'Consul'; address: string; path: string }) => unknown, extra: Record<string, string | boolean> = {}, missing?: { value: T }): Promise<ConsulResult<T>> {
    const options = { signal, query: { dc: this.datacenter, ...extra, ...blockingQuery(blocking) }, timeoutMs: blocking ? blockingTimeoutMs(blocking) : undefined };
    const response = missing ? await this.http.requestText(path, { ...options, answerStatuses: [404] }) : await this.http.requestJson<unknown>(path, options);
    const knownLeader = response.headers.get('X-Consul-KnownLeader');
    const where = { product: 'Consul' as const, address: this.address, path };
    let data: T;
    if (missing && response.status === 404) data = missing.value;
    else if (missing) data = check(parseJsonBody(response.data as string, where), where) as T;
    else data = check(response.data, where) as T;
    return {
      data,
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

function checkStrings(data: unknown, where: { product: 'Consul'; address: string; path: string }): string[] {
  if (data === null) return [];
  if (!Array.isArray(data) || data.some((item) => typeof item !== 'string')) throw new ApiError({ kind: 'malformed', ...where, reason: 'expected a JSON list of key names' });
  return data as string[];
}

function checkBoolean(data: unknown, where: { product: 'Consul'; address: string; path: string }): boolean {
  if (typeof data !== 'boolean') throw new ApiError({ kind: 'malformed', ...where, reason: `expected true or false, got ${JSON.stringify(data)?.slice(0, 80)}` });
  return data;
}
