import { checkList, checkObject } from '../http/shapes';
import { ApiError } from '../http/apiError';
import { formatBytes, HttpClient, HttpClientOptions, PAGINATION_DEADLINE_MS } from '../http/httpClient';
import { TraefikCertificate, TraefikEntryPoint, TraefikHttpMiddleware, TraefikHttpRouter, TraefikHttpService, TraefikVersion } from './traefikApi';

export type TraefikClientOptions = Omit<HttpClientOptions, 'product' | 'headers'>;

export interface TraefikListOptions {
  signal?: AbortSignal;
  /**
   * Page size. Traefik pages every list (default 100 per page); the explorer asks for pages large enough
   * that a refresh stays one request per list at any realistic size. The client follows `X-Next-Page`.
   */
  perPage?: number;
  /** Stop following pages after this long (default PAGINATION_DEADLINE_MS). */
  paginationDeadlineMs?: number;
}

/** Objects per page the explorer asks for: one page holds every router of a large cluster. */
export const TRAEFIK_EXPLORER_PAGE_SIZE = 10_000;
/** Upper bound on pages followed, against a server whose `X-Next-Page` never ends. */
const MAX_PAGES = 10_000;

/** Traefik's API (no auth of its own: it is reached on the cluster network or through a tunnel). */
export class TraefikClient {
  private readonly http: HttpClient;

  constructor(options: TraefikClientOptions) {
    this.http = new HttpClient({ ...options, product: 'Traefik' });
  }

  get address(): string {
    return this.http.address;
  }

  httpRouters(options: TraefikListOptions = {}): Promise<TraefikHttpRouter[]> {
    return this.list('/api/http/routers', options);
  }

  httpServices(options: TraefikListOptions = {}): Promise<TraefikHttpService[]> {
    return this.list('/api/http/services', options);
  }

  httpMiddlewares(options: TraefikListOptions = {}): Promise<TraefikHttpMiddleware[]> {
    return this.list('/api/http/middlewares', options);
  }

  entryPoints(options: TraefikListOptions = {}): Promise<TraefikEntryPoint[]> {
    return this.list('/api/entrypoints', options);
  }

  /** The certificates Traefik holds; undefined from a Traefik whose API has no such list (before 3.x: a 404). */
  async certificates(options: TraefikListOptions = {}): Promise<TraefikCertificate[] | undefined> {
    return this.list<TraefikCertificate>('/api/certificates', options).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    });
  }

  /** The program's version (`GET /api/version`). */
  async version(signal?: AbortSignal): Promise<TraefikVersion> {
    const path = '/api/version';
    const response = await this.http.requestJson<unknown>(path, { signal });
    return checkObject<TraefikVersion>(response.data, { product: 'Traefik', address: this.address, path }, { Version: 'string' });
  }

  /**
   * Traefik sends `X-Next-Page` on every list: the next page number, or `1` on the last page.
   * A page past the end is a 400, so the client never asks for one.
   */
  private async list<T>(path: string, options: TraefikListOptions): Promise<T[]> {
    const items: T[] = [];
    let page = 1;
    // Each page is bounded by the response limit; their total is too, so a server that pages forever in small
    // pages cannot fill the memory before the deadline.
    let total = 0;
    const deadlineMs = options.paginationDeadlineMs ?? PAGINATION_DEADLINE_MS;
    const deadline = Date.now() + deadlineMs;
    for (let count = 0; count < MAX_PAGES; count++) {
      if (count > 0 && Date.now() > deadline) {
        throw new ApiError({ kind: 'malformed', product: 'Traefik', address: this.address, path, reason: `still paging after ${deadlineMs / 1000} s (${count} pages)` });
      }
      const response = await this.http.requestJson<T[] | null>(path, { signal: options.signal, query: { page: page > 1 ? page : undefined, per_page: options.perPage } });
      total += response.length;
      if (total > this.http.maxResponseBytes) {
        throw new ApiError({ kind: 'tooLarge', product: 'Traefik', address: this.address, path, reason: `its ${count + 1} pages are more than the limit of ${formatBytes(this.http.maxResponseBytes)} together` });
      }
      for (const item of checkList<T>(response.data, { product: 'Traefik', address: this.address, path }, ['name'])) {
        items.push(item);
      }
      const next = Number(response.headers.get('X-Next-Page') ?? '1');
      if (!Number.isInteger(next) || next <= page) {
        return items;
      }
      page = next;
    }
    throw new ApiError({ kind: 'malformed', product: 'Traefik', address: this.address, path, reason: `more than ${MAX_PAGES} pages` });
  }
}
