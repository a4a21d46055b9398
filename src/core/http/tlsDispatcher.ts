import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import type { Endpoint } from '../profiles/clusterProfile';

/**
 * A dispatcher that trusts the profile's CA (in addition to the system's) and checks the certificate
 * against `tlsServerName` when one is set. Verification is never turned off.
 * Undefined when the endpoint needs nothing special, so the default dispatcher (and its proxy support) is used.
 */
export function tlsDispatcher(endpoint: Endpoint): Agent | undefined {
  if (!endpoint.address.startsWith('https:') || (!endpoint.caFile && !endpoint.tlsServerName)) {
    return undefined;
  }
  let ca: string | undefined;
  if (endpoint.caFile) {
    try {
      ca = readFileSync(endpoint.caFile, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read the CA file ${endpoint.caFile}: ${(error as Error).message}. Fix "caFile" in the cluster profile.`);
    }
  }
  return new Agent({ connect: { ca, servername: endpoint.tlsServerName, rejectUnauthorized: true } });
}
