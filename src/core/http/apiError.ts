/** The products the extension talks to over HTTP. */
export type Product = 'Consul' | 'Nomad' | 'Traefik';

/**
 * What went wrong, in the classes a user acts on differently:
 * start the agent / open the tunnel (unreachable), wait or raise the timeout (timeout),
 * fix the CA or the server name (tls), set a token (forbidden), check the name (notFound),
 * look at the server (http, malformed).
 */
export type ApiErrorKind = 'unreachable' | 'timeout' | 'tls' | 'forbidden' | 'notFound' | 'http' | 'malformed' | 'redirect' | 'tooLarge' | 'cancelled';

export interface ApiErrorDetails {
  kind: ApiErrorKind;
  product: Product;
  /** The base address, as configured (never with a token in it). */
  address: string;
  /** Path and query of the failing request. */
  path: string;
  status?: number;
  /** The server's own words (an ACL text, a Traefik `message`, a body excerpt) or the network reason. */
  reason: string;
  cause?: unknown;
}

/** Upper bound for server text kept in an error, so a huge HTML error page cannot flood the UI. */
const MAX_REASON_LENGTH = 500;

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly product: Product;
  readonly address: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly reason: string;

  constructor(details: ApiErrorDetails) {
    const reason = details.reason.length > MAX_REASON_LENGTH ? `${details.reason.slice(0, MAX_REASON_LENGTH)}…` : details.reason;
    super(describe({ ...details, reason }), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ApiError';
    this.kind = details.kind;
    this.product = details.product;
    this.address = details.address;
    this.path = details.path;
    this.status = details.status;
    this.reason = reason;
  }

  /** A next step for the user, in words. */
  get hint(): string {
    switch (this.kind) {
      case 'unreachable':
        return `Tried ${this.path} at ${this.address} (${this.reason}). Check that ${this.product} runs and listens there and that the address is right (an SSH tunnel may be needed), then retry.`;
      case 'timeout':
        return `${this.product} did not answer in time. Retry, or raise "hashistack.requestTimeoutSeconds".`;
      case 'tls':
        return 'Set the CA file and TLS server name of the cluster profile, or use the address the certificate was issued for.';
      case 'forbidden':
        if (this.product === 'Traefik') {
          return "The Traefik API has no token of its own: something in front of it (basic auth or another middleware on the dashboard's router) refused the request. Point the profile's Traefik address at the API's own entrypoint (api.insecure, port 8080) or allow the request through that middleware.";
        }
        return `Set a ${this.product} token with the needed ACL policy ("Hashistack: Set ${this.product === 'Consul' ? 'Consul' : 'Nomad'} Token…").`;
      case 'notFound':
        return `It may have been removed, or the address may point at something that is not ${this.product}.`;
      case 'http':
        return `Look at the ${this.product} server's log.`;
      case 'malformed':
        return `The address may point at something that is not the ${this.product} API.`;
      case 'redirect':
        return `Set the profile's ${this.product} address to where the API really is; the token is only ever sent to the address it was set for.`;
      case 'tooLarge':
        return `Raise "hashistack.maxResponseMegabytes" if the cluster really is that large.`;
      case 'cancelled':
        return '';
    }
  }
}

function describe(d: ApiErrorDetails): string {
  const where = `${d.product} at ${d.address}`;
  switch (d.kind) {
    case 'unreachable':
      return `Cannot reach ${where}: ${d.reason}`;
    case 'timeout':
      return `${where} did not answer within ${d.reason}`;
    case 'tls':
      return `TLS failed with ${where}: ${d.reason}`;
    case 'forbidden':
      return d.product === 'Traefik' ? `${where} refused the request (${d.status ?? 'forbidden'}): ${d.reason}` : `${d.product} refused the token: ${d.reason}`;
    case 'notFound':
      return `${where} has no ${d.path}: ${d.reason}`;
    case 'http':
      return `${where} answered ${d.status} to ${d.path}: ${d.reason}`;
    case 'malformed':
      return `${where} sent a malformed response to ${d.path}: ${d.reason}`;
    case 'redirect':
      return `${where} redirected ${d.path}: ${d.reason}`;
    case 'tooLarge':
      return `${where} sent too much for ${d.path}: ${d.reason}`;
    case 'cancelled':
      return `Request to ${where} was cancelled`;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
