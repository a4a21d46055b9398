// Types of the Traefik v3 API responses the extension reads (pkg/api in traefik/traefik).
// Reference: https://doc.traefik.io/traefik/reference/install-configuration/api-dashboard/

export type TraefikStatus = 'enabled' | 'disabled' | 'warning' | string;

/** One element of `GET /api/http/routers`. */
export interface TraefikHttpRouter {
  name: string;
  provider: string;
  entryPoints?: string[];
  middlewares?: string[];
  service: string;
  rule: string;
  priority?: number;
  priorityStr?: string;
  tls?: { certResolver?: string; domains?: { main: string; sans?: string[] }[]; options?: string } | null;
  status: TraefikStatus;
  error?: string[];
  using?: string[];
}

/** What every service and middleware of the API carries. */
export interface TraefikObject {
  name: string;
  provider: string;
  type?: string;
  status: TraefikStatus;
  error?: string[];
  usedBy?: string[];
}

/** One element of `GET /api/http/services`. */
export interface TraefikHttpService extends TraefikObject {
  serverStatus?: Record<string, string>;
  loadBalancer?: { servers?: { url?: string; address?: string; weight?: number }[]; passHostHeader?: boolean };
  weighted?: { services?: { name: string; weight?: number }[] };
  mirroring?: { service: string; mirrors?: { name: string; percent: number }[] };
  failover?: { service: string; fallback: string };
}

/** One element of `GET /api/http/middlewares`: its configuration sits under a key named after its type. */
export interface TraefikHttpMiddleware extends TraefikObject {
  [config: string]: unknown;
}

/** One element of `GET /api/entrypoints`. */
export interface TraefikEntryPoint {
  name: string;
  address: string;
  http?: { tls?: unknown; redirections?: { entryPoint?: { to?: string; scheme?: string } } } | null;
  [config: string]: unknown;
}

/** `GET /api/version`. */
export interface TraefikVersion {
  Version: string;
  Codename?: string;
  startDate?: string;
}

/**
 * One element of `GET /api/certificates` (Traefik 3.x's API; absent from older versions): a certificate
 * Traefik holds, from a file, a store or a resolver. The API does not say which resolver made it.
 */
export interface TraefikCertificate {
  name: string;
  sans?: string[] | null;
  commonName?: string;
  issuerCN?: string;
  notBefore?: string;
  notAfter?: string;
  serialNumber?: string;
  keyType?: string;
  keySize?: number;
  signatureAlgorithm?: string;
  certFingerprint?: string;
  status?: string;
}
