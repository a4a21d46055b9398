import { ConsulClient } from '../consul/consulClient';
import { RequestLogEntry } from '../http/httpClient';
import { tlsAgent, tlsConnectOptions } from '../http/tlsDispatcher';
import { NomadClient } from '../nomad/nomadClient';
import { ClusterProfile } from '../profiles/clusterProfile';
import { TraefikClient } from '../traefik/traefikClient';

export interface ClusterClients {
  consul: ConsulClient;
  nomad: NomadClient;
  traefik: TraefikClient;
  /** Products whose TLS files could not be used: their sections show this and send nothing. */
  problems?: Partial<Record<'consul' | 'nomad' | 'traefik', string>>;
}

export interface ClusterClientOptions {
  tokens: { consul?: string; nomad?: string };
  timeoutMs: number;
  onRequest?: (entry: RequestLogEntry) => void;
  fetchImpl?: typeof fetch;
  /** The largest response body read (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

/** The three API clients of one profile. A token from SecretStorage wins over one from the environment. */
export function createClusterClients(profile: ClusterProfile, options: ClusterClientOptions): ClusterClients {
  const problems: Partial<Record<'consul' | 'nomad' | 'traefik', string>> = {};
  // A CA, certificate or key file that cannot be used fails only its own product.
  const tls = (product: 'consul' | 'nomad' | 'traefik') => {
    try {
      const options = tlsConnectOptions(profile[product]);
      return { tls: options, dispatcher: tlsAgent(options) };
    } catch (error) {
      problems[product] = (error as Error).message;
      return {};
    }
  };
  const common = { timeoutMs: options.timeoutMs, onRequest: options.onRequest, fetchImpl: options.fetchImpl, maxResponseBytes: options.maxResponseBytes };
  return {
    consul: new ConsulClient({ ...common, address: profile.consul.address, ...tls('consul'), token: options.tokens.consul ?? profile.environmentTokens.consul }),
    nomad: new NomadClient({
      ...common,
      address: profile.nomad.address,
      ...tls('nomad'),
      token: options.tokens.nomad ?? profile.environmentTokens.nomad,
      namespace: profile.nomad.namespace,
      region: profile.nomad.region,
    }),
    traefik: new TraefikClient({ ...common, address: profile.traefik.address, ...tls('traefik') }),
    problems,
  };
}
