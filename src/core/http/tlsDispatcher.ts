import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { Endpoint } from '../profiles/clusterProfile';

/** What a TLS connection to the endpoint needs beyond Node's defaults (for fetch's dispatcher and for a WebSocket). */
export interface TlsConnectOptions {
  ca?: string[];
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized: true;
}

/**
 * The TLS options of an endpoint: its CA in addition to the system's (Node's `ca` option replaces the root
 * store, so the system roots are passed along), `tlsServerName` to check the certificate against, and a client
 * certificate for mTLS clusters. Verification is never turned off. Undefined when the endpoint needs nothing
 * special. Throws an error that names the file and the setting when a file cannot be read or is not PEM.
 */
export function tlsConnectOptions(endpoint: Endpoint): TlsConnectOptions | undefined {
  if (!endpoint.address.startsWith('https:') || (!endpoint.caFile && !endpoint.tlsServerName && !endpoint.clientCert)) {
    return undefined;
  }
  const ca = endpoint.caFile ? caBundle(endpoint.caFile) : undefined;
  const cert = endpoint.clientCert ? readPem(endpoint.clientCert, 'CERTIFICATE', 'the client certificate') : undefined;
  const key = endpoint.clientKey ? readPem(endpoint.clientKey, 'PRIVATE KEY', 'the client key') : undefined;
  if (cert && !key) throw new Error(`A client certificate (${endpoint.clientCert}) needs its key: set the client key of the profile too.`);
  return { ca, cert, key, servername: endpoint.tlsServerName, rejectUnauthorized: true };
}

/**
 * A dispatcher for fetch with the endpoint's TLS options; undefined when it needs nothing special, so the
 * default dispatcher (and its proxy support) is used.
 */
export function tlsDispatcher(endpoint: Endpoint): Agent | undefined {
  return tlsAgent(tlsConnectOptions(endpoint));
}

/** fetch's dispatcher for TLS options already read (undefined: the default one). */
export function tlsAgent(tls: TlsConnectOptions | undefined): Agent | undefined {
  return tls ? new Agent({ connect: tls }) : undefined;
}

/** The CAs a connection trusts with a CA file: the system's roots and the file's certificates. */
export function caBundle(caFile: string): string[] {
  return [...rootCertificates, readPem(caFile, 'CERTIFICATE', 'the CA file')];
}

function readPem(file: string, kind: 'CERTIFICATE' | 'PRIVATE KEY', what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${what} ${file}: ${(error as Error).message}. Fix "caFile" (or the product's own CA, certificate or key setting) in the cluster profile.`);
  }
  const marker = kind === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (!marker.test(text)) {
    throw new Error(`${what[0]!.toUpperCase()}${what.slice(1)} ${file} is not a PEM ${kind === 'CERTIFICATE' ? 'certificate' : 'private key'} (no "-----BEGIN ${kind}-----" line).`);
  }
  return text;
}
