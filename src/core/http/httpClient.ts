import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { ApiError, Product } from './apiError';
import type { TlsConnectOptions } from './tlsDispatcher';

/** One line of the request log: never a header value, so never a token. */
export interface RequestLogEntry {
  product: Product;
  method: string;
  /** Path and query, relative to the product's address. */
  path: string;
  /** HTTP status, or the error class when no status arrived. */
  outcome: number | string;
  milliseconds: number;
  /** A redirect that was followed or refused: where it pointed (an origin and path, never a credential). */
  redirectTo?: string;
}

/** The most same-origin redirects followed for one request; more is a loop as far as a client can tell. */
export const MAX_REDIRECTS = 5;
/**
 * The default limit of one response body. The benchmark's Nomad allocation list (10,000 allocations) is
 * about 8 MiB; 64 MiB leaves room for clusters several times larger and still bounds what a hostile or
 * broken server can make the extension hold. `hashistack.maxResponseMegabytes` changes it.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/**
 * Following a list's pages stops after this long, whatever the page count: a server that hands out page
 * after page (or a token that never ends) costs a bounded time, not tens of thousands of requests.
 */
export const PAGINATION_DEADLINE_MS = 60_000;

export interface HttpClientOptions {
  product: Product;
  /** Base address such as `http://127.0.0.1:4646`; a trailing slash is ignored. */
  address: string;
  /** Headers sent on every request (the token header lives here and nowhere else). */
  headers?: Record<string, string>;
  timeoutMs: number;
  /** An undici Dispatcher for a custom CA / server name; Node's fetch accepts it as `dispatcher`. */
  dispatcher?: unknown;
  onRequest?: (entry: RequestLogEntry) => void;
  /** For tests and benchmarks that count or wrap requests. */
  fetchImpl?: typeof fetch;
  /** The largest body read for one response (default DEFAULT_MAX_RESPONSE_BYTES); past it the read stops. */
  maxResponseBytes?: number;
  /** The endpoint's TLS options, for what fetch's dispatcher does not carry (a WebSocket). */
  tls?: TlsConnectOptions;
}

export interface WebSocketOptions {
  query?: Record<string, QueryValue | QueryValue[]>;
  signal?: AbortSignal;
  /** The largest message accepted; a bigger one closes the socket (1009). */
  maxMessageBytes: number;
}

/** A session's socket once the server accepted it; `path` is what errors and logs name. */
export interface OpenWebSocket {
  socket: WebSocket;
  path: string;
  /** An error about this socket that names the product, its address and the path (with the token redacted). */
  error: (kind: ApiError['kind'], reason: string, cause?: unknown) => ApiError;
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  /** A list value repeats the key (`topic=Job&topic=Node`). */
  query?: Record<string, QueryValue | QueryValue[]>;
  signal?: AbortSignal;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: string;
  /** Overrides the client's timeout for this request (a blocking query waits longer than a plain read). */
  timeoutMs?: number;
  /** Statuses outside 2xx that are an answer, not an error (Nomad's 409 with the variable that won a CAS). */
  answerStatuses?: readonly number[];
  /** The body as sent, when it is not text (a Consul KV value is any bytes). */
  binaryBody?: Uint8Array;
}

/** An open streamed response: read `body` until it ends; `close()` (or the caller's signal) ends it early. */
export interface StreamResponse {
  status: number;
  headers: Headers;
  body: AsyncIterable<Uint8Array>;
  close(): void;
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
  /** The body's length in characters (at most its bytes): what a caller that reads several pages adds up. */
  length: number;
}

/**
 * A small HTTP client on Node's built-in fetch: a timeout and cancellation on every request,
 * and every failure turned into an ApiError that keeps the server's own words.
 */
export class HttpClient {
  readonly product: Product;
  readonly address: string;
  private readonly options: HttpClientOptions;

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.product = options.product;
    this.address = options.address.replace(/\/+$/, '');
  }

  /** The most a response may hold; a caller that reads pages holds their total to it too. */
  get maxResponseBytes(): number {
    return this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  async requestJson<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await this.request(path, options);
    let data: T;
    try {
      data = JSON.parse(response.text) as T;
    } catch (error) {
      throw this.error('malformed', response.pathAndQuery, `${(error as Error).message}; body starts with ${JSON.stringify(response.text.slice(0, 80))}`, response.status, error);
    }
    return { data, status: response.status, headers: response.headers, length: response.text.length };
  }

  async requestText(path: string, options: RequestOptions = {}): Promise<ApiResponse<string>> {
    const response = await this.request(path, options);
    return { data: response.text, status: response.status, headers: response.headers, length: response.text.length };
  }

  /**
   * A response read as it arrives (Nomad's event stream). The timeout covers the wait for the headers
   * only; after them the stream stays open until it ends, `close()` is called or the caller's signal aborts.
   * A status that is not 2xx is read whole and thrown as an ApiError, as for any request.
   */
  async stream(path: string, options: RequestOptions = {}): Promise<StreamResponse> {
    const pathAndQuery = path + formatQuery(options.query);
    const method = options.method ?? 'GET';
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const headersTimer = setTimeout(() => controller.abort(new DOMException('headers did not arrive in time', 'TimeoutError')), timeoutMs);
    const started = performance.now();
    const log = (outcome: number | string) =>
      this.options.onRequest?.({ product: this.product, method, path: pathAndQuery, outcome, milliseconds: Math.round(performance.now() - started) });
    const close = () => {
      clearTimeout(headersTimer);
      options.signal?.removeEventListener('abort', onCallerAbort);
      controller.abort();
    };
    let response: Response;
    try {
      response = await this.followRedirects(pathAndQuery, this.init(method, controller.signal, options.body), started);
    } catch (error) {
      close();
      if (error instanceof ApiError) throw error;
      const apiError = controller.signal.reason?.name === 'TimeoutError' && !options.signal?.aborted ? this.error('timeout', pathAndQuery, `${formatSeconds(timeoutMs)} (no response headers)`) : this.networkError(error, pathAndQuery, options.signal);
      log(apiError.kind);
      throw apiError;
    }
    clearTimeout(headersTimer);
    log(response.status);
    if (!response.ok) {
      // Bounded in size and in time: an error body that never ends is read for the request's timeout at most.
      const bodyTimer = setTimeout(() => controller.abort(new DOMException('the error body did not end in time', 'TimeoutError')), timeoutMs);
      const text = await readErrorBody(response).catch(() => '');
      clearTimeout(bodyTimer);
      close();
      throw this.statusError(response.status, pathAndQuery, text);
    }
    const body = response.body;
    const streamError = (error: unknown): ApiError =>
      options.signal?.aborted || controller.signal.aborted ? this.error('cancelled', pathAndQuery, 'cancelled', response.status, error) : this.error('unreachable', pathAndQuery, CONNECTION_DROPPED, response.status, error);
    const chunks: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        if (!body) return;
        const reader = body.getReader();
        try {
          for (;;) {
            let next: ReadableStreamReadResult<Uint8Array>;
            try {
              next = await reader.read();
            } catch (error) {
              throw streamError(error);
            }
            if (next.done) return;
            yield next.value;
          }
        } finally {
          reader.releaseLock();
        }
      },
    };
    return { status: response.status, headers: response.headers, body: chunks, close };
  }

  /**
   * Opens a WebSocket on the product (`ws:`/`wss:` for `http:`/`https:`) with the client's token headers and TLS
   * options. The handshake is bounded by the client's timeout; a redirect is never followed (the token would go
   * with it); an answer other than the upgrade is an error in the server's words, read from a bounded body.
   * `attach` takes the socket as it opens, before anything it receives is read: messages sent right after the
   * upgrade (often in the same packet) would otherwise be emitted before anyone listens.
   */
  webSocket<T>(path: string, options: WebSocketOptions, attach: (open: OpenWebSocket) => T): Promise<T> {
    const pathAndQuery = path + formatQuery(options.query);
    const url = new URL(this.address + pathAndQuery);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const started = performance.now();
    const log = (outcome: number | string) =>
      this.options.onRequest?.({ product: this.product, method: 'GET', path: pathAndQuery, outcome, milliseconds: Math.round(performance.now() - started) });
    return new Promise<T>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(this.error('cancelled', pathAndQuery, 'cancelled'));
        return;
      }
      let socket: WebSocket;
      try {
        socket = new WebSocket(url, {
          headers: { ...this.options.headers },
          handshakeTimeout: this.options.timeoutMs,
          maxPayload: options.maxMessageBytes,
          followRedirects: false,
          perMessageDeflate: false,
          ...this.options.tls,
        });
      } catch (error) {
        reject(this.error('unreachable', pathAndQuery, innermostMessage(error), undefined, error));
        return;
      }
      let settled = false;
      const settle = (error: ApiError | undefined) => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        if (error) {
          log(error.status ?? error.kind);
          socket.terminate();
          reject(error);
        } else {
          log(101);
          resolve(attach({ socket, path: pathAndQuery, error: (kind, reason, cause) => this.error(kind, pathAndQuery, reason, undefined, cause) }));
        }
      };
      const onAbort = () => settle(this.error('cancelled', pathAndQuery, 'cancelled'));
      const onError = (error: Error) =>
        settle(/timed out/i.test(error.message) && !errorCode(error) ? this.error('timeout', pathAndQuery, `${formatSeconds(this.options.timeoutMs)} (no answer to the WebSocket upgrade)`, undefined, error) : this.networkError(error, pathAndQuery, options.signal));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('open', () => settle(undefined));
      socket.on('error', onError);
      socket.once('unexpected-response', (request, response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        if (REDIRECT_STATUSES.has(status)) {
          const location = response.headers.location;
          request.destroy();
          settle(this.error('redirect', pathAndQuery, location ? `to ${location.replace(/[?#].*$/s, '')}; a session is not redirected (the token would go with it) — set the profile's address to where it points` : `answered ${status} without a Location`, status));
          return;
        }
        // The server's words, bounded in size and in time as any error body.
        let body = '';
        const bodyTimer = setTimeout(() => request.destroy(), this.options.timeoutMs);
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
          if (body.length >= MAX_ERROR_BODY_BYTES) response.destroy();
        });
        const done = () => {
          clearTimeout(bodyTimer);
          settle(this.statusError(status, pathAndQuery, body.slice(0, MAX_ERROR_BODY_BYTES)));
        };
        response.once('end', done);
        response.once('close', done);
        response.once('error', done);
      });
    });
  }

  /**
   * Sends the request and follows redirects by hand: one to the same origin (scheme, host and port) is
   * followed, with the token, up to MAX_REDIRECTS; one anywhere else is an error that names the target,
   * and the token never goes there. fetch's own following would send the token on. Every hop is logged.
   */
  private async followRedirects(pathAndQuery: string, init: RequestInit, started: number): Promise<Response> {
    const origin = new URL(this.address).origin;
    let url = new URL(this.address + pathAndQuery);
    let current = init;
    const seen = new Set<string>([url.href]);
    for (let hop = 0; ; hop++) {
      const response = await (this.options.fetchImpl ?? fetch)(url.href, current);
      if (!REDIRECT_STATUSES.has(response.status)) return response;
      await response.body?.cancel().catch(() => undefined);
      const from = url.pathname + url.search;
      const location = response.headers.get('location');
      const logHop = (to: string) =>
        this.options.onRequest?.({ product: this.product, method: current.method ?? 'GET', path: from, outcome: response.status, milliseconds: Math.round(performance.now() - started), redirectTo: to });
      if (!location) {
        logHop('(no Location)');
        throw this.error('redirect', pathAndQuery, `answered ${response.status} without a Location`, response.status);
      }
      let target: URL;
      try {
        target = new URL(location, url);
      } catch {
        logHop('(an unreadable Location)');
        throw this.error('redirect', pathAndQuery, `to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`, response.status);
      }
      const shown = `${target.protocol}//${target.host}${target.pathname}`;
      logHop(shown);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw this.error('redirect', pathAndQuery, `to ${target.protocol} (not HTTP), which is not followed`, response.status);
      }
      if (target.origin !== origin) {
        throw this.error('redirect', pathAndQuery, `to another origin, ${shown}; it is not followed, so the token is not sent there`, response.status);
      }
      if (seen.has(target.href) || hop + 1 > MAX_REDIRECTS) {
        throw this.error('redirect', pathAndQuery, seen.has(target.href) ? `in a loop (back to ${target.pathname}${target.search})` : `more than ${MAX_REDIRECTS} times`, response.status);
      }
      seen.add(target.href);
      url = target;
      // 303, and 301/302 after a POST, turn into a GET without a body, as browsers and fetch do.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && current.method === 'POST')) {
        current = { ...current, method: 'GET', body: undefined };
      }
    }
  }

  /** The body as text, stopping (and cancelling the rest) once it passes the limit. */
  private async readBounded(response: Response, pathAndQuery: string): Promise<string> {
    const limit = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const tooLarge = (what: string) => this.error('tooLarge', pathAndQuery, `${what} is more than the limit of ${formatBytes(limit)}`, response.status);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(`the response (${formatBytes(declared)})`);
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const decoder = new TextDecoder('utf-8');
    const parts: string[] = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge('the response');
      }
      parts.push(decoder.decode(value, { stream: true }));
    }
    parts.push(decoder.decode());
    return parts.join('');
  }

  private init(method: string, signal: AbortSignal, body: string | Uint8Array | undefined): RequestInit {
    const contentType = body === undefined ? undefined : typeof body === 'string' ? 'application/json' : 'application/octet-stream';
    const init: RequestInit = {
      method,
      headers: { Accept: 'application/json', ...(contentType ? { 'Content-Type': contentType } : {}), ...this.options.headers },
      signal,
      redirect: 'manual',
    };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : new Blob([body as Uint8Array<ArrayBuffer>]);
    }
    if (this.options.dispatcher) {
      // Node's fetch takes an undici Dispatcher here; the DOM typing of RequestInit does not name it.
      (init as { dispatcher?: unknown }).dispatcher = this.options.dispatcher;
    }
    return init;
  }

  private async request(path: string, options: RequestOptions): Promise<{ text: string; status: number; headers: Headers; pathAndQuery: string }> {
    const pathAndQuery = path + formatQuery(options.query);
    const method = options.method ?? 'GET';
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const started = performance.now();
    const log = (outcome: number | string) =>
      this.options.onRequest?.({ product: this.product, method, path: pathAndQuery, outcome, milliseconds: Math.round(performance.now() - started) });

    const init = this.init(method, signal, options.binaryBody ?? options.body);

    let response: Response;
    let text: string;
    try {
      response = await this.followRedirects(pathAndQuery, init, started);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const apiError = this.networkError(error, pathAndQuery, options.signal, options.timeoutMs);
      log(apiError.kind);
      throw apiError;
    }
    try {
      text = await this.readBounded(response, pathAndQuery);
    } catch (error) {
      if (error instanceof ApiError) {
        log(error.kind);
        throw error;
      }
      const apiError = this.bodyError(error, pathAndQuery, response.status, options.signal);
      log(apiError.kind);
      throw apiError;
    }
    log(response.status);

    if (!response.ok && !options.answerStatuses?.includes(response.status)) {
      throw this.statusError(response.status, pathAndQuery, text);
    }
    return { text, status: response.status, headers: response.headers, pathAndQuery };
  }

  private error(kind: ApiError['kind'], path: string, reason: string, status?: number, cause?: unknown): ApiError {
    return new ApiError({ kind, product: this.product, address: this.address, path, status, reason: this.redact(reason), cause });
  }

  /** The text with every secret this client sends (its token headers) replaced by ***: servers echo tokens back. */
  private redact(text: string): string {
    let result = text;
    for (const secret of Object.values(this.options.headers ?? {})) {
      if (secret.length >= 4) result = result.split(secret).join('***');
    }
    return result;
  }

  private statusError(status: number, path: string, body: string): ApiError {
    const reason = serverMessage(body) || `HTTP ${status}`;
    if (status === 401 || status === 403) {
      return this.error('forbidden', path, reason, status);
    }
    if (status === 404) {
      return this.error('notFound', path, reason || 'not found', status);
    }
    return this.error('http', path, reason, status);
  }

  private networkError(error: unknown, path: string, callerSignal: AbortSignal | undefined, timeoutMs = this.options.timeoutMs): ApiError {
    if (callerSignal?.aborted) {
      return this.error('cancelled', path, 'cancelled', undefined, error);
    }
    if (isTimeout(error)) {
      return this.error('timeout', path, `${formatSeconds(timeoutMs)}`, undefined, error);
    }
    const code = errorCode(error);
    if (code && isTlsCode(code)) {
      return this.error('tls', path, tlsReason(code, error), undefined, error);
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return this.error('timeout', path, `${formatSeconds(this.options.timeoutMs)} (connect)`, undefined, error);
    }
    return this.error('unreachable', path, networkReason(code, error, this.address), undefined, error);
  }

  private bodyError(error: unknown, path: string, status: number, callerSignal: AbortSignal | undefined): ApiError {
    if (callerSignal?.aborted) {
      return this.error('cancelled', path, 'cancelled', status, error);
    }
    if (isTimeout(error)) {
      return this.error('timeout', path, `${formatSeconds(this.options.timeoutMs)} (while reading the body)`, status, error);
    }
    return this.error('malformed', path, `the response body was cut off (${innermostMessage(error)})`, status, error);
  }
}

/** An error body is read only this far: its words are cut to a few hundred characters anyway. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The start of an error body, without waiting for (or holding) the rest: a stream's error may never end. */
async function readErrorBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let received = 0;
  try {
    while (received < MAX_ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, MAX_ERROR_BODY_BYTES);
}

export function formatQuery(query: Record<string, QueryValue | QueryValue[]> | undefined): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(query)) {
    for (const value of Array.isArray(values) ? values : [values]) {
      if (value !== undefined && value !== '') {
        params.append(key, String(value));
      }
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The text a server put in an error body. Consul and Nomad send plain text
 * ("Permission denied"); Traefik sends `{"message": "..."}` followed by a newline.
 */
export function serverMessage(body: string): string {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { message?: unknown; Message?: unknown; error?: unknown };
      const message = parsed.message ?? parsed.Message ?? parsed.error;
      if (typeof message === 'string') {
        return message;
      }
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return trimmed;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'TimeoutError';
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof candidate.code === 'string') {
      return candidate.code;
    }
    if (Array.isArray(candidate.errors) && candidate.errors.length > 0) {
      current = candidate.errors[0];
      continue;
    }
    current = candidate.cause;
  }
  return undefined;
}

function innermostMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  let message = current?.message ?? String(error);
  for (let depth = 0; depth < 5 && current?.cause; depth++) {
    current = current.cause as { message?: string; cause?: unknown };
    if (current?.message) {
      message = current.message;
    }
  }
  return message;
}

function isTlsCode(code: string): boolean {
  return /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code);
}

/**
 * A connection the far end drops is one fact to the user, whichever packet said it: a FIN while the answer is
 * read (UND_ERR_SOCKET), an RST to a request it had not read yet (ECONNRESET), a write after it left (EPIPE).
 * Which one arrives depends only on timing, so they share one wording (the error keeps the original as its cause).
 */
const CONNECTION_DROPPED = 'connection closed by the server';

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: CONNECTION_DROPPED,
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: CONNECTION_DROPPED,
  UND_ERR_SOCKET: CONNECTION_DROPPED,
};

function networkReason(code: string | undefined, error: unknown, address: string): string {
  const message = innermostMessage(error);
  // undici refuses the Fetch standard's blocked ports before sending anything, saying only "bad port".
  if (message === 'bad port') return `port ${new URL(address).port} is one that Node's fetch refuses (the Fetch standard's blocked ports); nothing was sent — use another port`;
  return (code && Object.hasOwn(NETWORK_REASONS, code) && NETWORK_REASONS[code]) || message;
}

function tlsReason(code: string, error: unknown): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the server's certificate is not signed by a trusted CA (${code})`;
    case 'CERT_HAS_EXPIRED':
      return 'the server certificate has expired';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the certificate is not valid for this host name (${innermostMessage(error)})`;
    default:
      return `${innermostMessage(error)} (${code})`;
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

function formatSeconds(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
