import { ConsulClient } from '../consul/consulClient';
import { RequestLogEntry } from '../http/httpClient';
import { tlsDispatcher } from '../http/tlsDispatcher';
import { NomadClient } from '../nomad/nomadClient';
import { ClusterProfile } from '../profiles/clusterProfile';
import { TraefikClient } from '../traefik/traefikClient';

export interface ClusterClients {
  consul: ConsulClient;
  nomad: NomadClient;
  traefik: TraefikClient;
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
  const common = { timeoutMs: options.timeoutMs, onRequest: options.onRequest, fetchImpl: options.fetchImpl, maxResponseBytes: options.maxResponseBytes };
  return {
    consul: new ConsulClient({ ...common, address: profile.consul.address, dispatcher: tlsDispatcher(profile.consul), token: options.tokens.consul ?? profile.environmentTokens.consul }),
    nomad: new NomadClient({
      ...common,
      address: profile.nomad.address,
      dispatcher: tlsDispatcher(profile.nomad),
      token: options.tokens.nomad ?? profile.environmentTokens.nomad,
      namespace: profile.nomad.namespace,
      region: profile.nomad.region,
    }),
    traefik: new TraefikClient({ ...common, address: profile.traefik.address, dispatcher: tlsDispatcher(profile.traefik) }),
  };
}
