/** Where one product of a cluster answers, and how to verify its TLS certificate. */
export interface Endpoint {
  address: string;
  caFile?: string;
  tlsServerName?: string;
  /** PEM files for mTLS clusters (Consul's and Nomad's `verify_https_client`). */
  clientCert?: string;
  clientKey?: string;
  /**
   * Set when the configured address cannot be used (no http/https, a bad port, spaces, a socket path):
   * the product's section shows this, and nothing, above all no token, is sent anywhere instead.
   */
  problem?: string;
}

/** The cluster's AWS side: where its servers (by tag) and its ECS services are. */
export interface AwsPart {
  /** Empty when none is configured: the AWS section then says to set one. */
  region: string;
  /** A named profile of ~/.aws/config; unset: the SDK's default credential chain. */
  profile?: string;
  clusterTag?: { key: string; value: string };
  ecsCluster?: string;
}

/** The tag key platform/terraform puts on the servers (its `cluster_tag_key` output). */
export const DEFAULT_CLUSTER_TAG_KEY = 'hashistack-cluster';

export interface ClusterProfile {
  name: string;
  /** `settings`: from `hashistack.clusters`; `environment`: the variables the CLIs read. */
  source: 'settings' | 'environment';
  consul: Endpoint;
  nomad: Endpoint & { namespace: string; region?: string };
  traefik: Endpoint;
  /** Tokens found in the environment (NOMAD_TOKEN, CONSUL_HTTP_TOKEN); a token in SecretStorage wins. */
  environmentTokens: { consul?: string; nomad?: string };
  /** Absent: nothing AWS is loaded or called for this profile. */
  aws?: AwsPart;
}

/** The AWS part from its settings, or undefined when neither a cluster tag nor an ECS cluster is named. */
function awsPart(region: string | undefined, profile: string | undefined, tagKey: string | undefined, tagValue: string | undefined, ecsCluster: string | undefined): AwsPart | undefined {
  if (!tagValue && !ecsCluster) return undefined;
  return {
    region: region ?? '',
    ...(profile ? { profile } : {}),
    ...(tagValue ? { clusterTag: { key: tagKey || DEFAULT_CLUSTER_TAG_KEY, value: tagValue } } : {}),
    ...(ecsCluster ? { ecsCluster } : {}),
  };
}

/** The dev agents' defaults, which the CLIs use too when nothing is set. */
export const DEFAULT_CONSUL_ADDRESS = 'http://127.0.0.1:8500';
export const DEFAULT_NOMAD_ADDRESS = 'http://127.0.0.1:4646';
export const DEFAULT_TRAEFIK_ADDRESS = 'http://127.0.0.1:8080';
const DEFAULT_ADDRESS_EXAMPLES = { consulAddress: DEFAULT_CONSUL_ADDRESS, nomadAddress: DEFAULT_NOMAD_ADDRESS, traefikAddress: DEFAULT_TRAEFIK_ADDRESS };
export const ENVIRONMENT_PROFILE_NAME = 'Environment';

/** Traefik has no CLI variable of its own; this one is the extension's, documented in the README. */
export const TRAEFIK_ADDRESS_VARIABLE = 'HASHISTACK_TRAEFIK_ADDR';
/** The variables whose presence makes the environment a profile of its own beside named ones. */
const ENVIRONMENT_ADDRESS_VARIABLES = ['NOMAD_ADDR', 'CONSUL_HTTP_ADDR', TRAEFIK_ADDRESS_VARIABLE];

export interface ProfilesResult {
  profiles: ClusterProfile[];
  /** What is wrong with `hashistack.clusters`, one sentence each, naming the entry. */
  problems: string[];
}

type Environment = Record<string, string | undefined>;

/**
 * The cluster profiles from the `hashistack.clusters` setting; with none, one profile made from the
 * environment the Consul and Nomad CLIs read.
 */
export function resolveProfiles(setting: unknown, env: Environment): ProfilesResult {
  const problems: string[] = [];
  const profiles: ClusterProfile[] = [];
  const entries = Array.isArray(setting) ? setting : [];
  if (setting !== undefined && setting !== null && !Array.isArray(setting)) {
    problems.push('"hashistack.clusters" must be a list of profiles.');
  }
  const names = new Set<string>();
  entries.forEach((entry: unknown, index: number) => {
    const label = `"hashistack.clusters" entry ${index + 1}`;
    if (typeof entry !== 'object' || entry === null) {
      problems.push(`${label} is not an object.`);
      return;
    }
    const raw = entry as Record<string, unknown>;
    const name = typeof raw.name === 'string' ? raw.name.trim() : '';
    if (!name) {
      problems.push(`${label} has no "name".`);
      return;
    }
    if (names.has(name)) {
      problems.push(`${label}: the name "${name}" is used twice; the first one is kept.`);
      return;
    }
    const addresses: Record<'consulAddress' | 'nomadAddress' | 'traefikAddress', string> = {
      consulAddress: DEFAULT_CONSUL_ADDRESS,
      nomadAddress: DEFAULT_NOMAD_ADDRESS,
      traefikAddress: DEFAULT_TRAEFIK_ADDRESS,
    };
    let valid = true;
    for (const key of Object.keys(addresses) as (keyof typeof addresses)[]) {
      const value = raw[key];
      if (value === undefined || value === '') {
        continue;
      }
      const normalized = typeof value === 'string' ? normalizeAddress(value) : undefined;
      if (!normalized) {
        problems.push(`Profile "${name}" (setting "hashistack.clusters"): ${addressProblem(`"${key}"`, typeof value === 'string' ? value : JSON.stringify(value), DEFAULT_ADDRESS_EXAMPLES[key])}`);
        valid = false;
        continue;
      }
      addresses[key] = normalized;
    }
    if (!valid) {
      return;
    }
    names.add(name);
    // Consul's and Nomad's certificates carry different names (server.dc1.consul, server.global.nomad):
    // each product has its own TLS settings; the shared caFile / tlsServerName are their default.
    const tls = (product: 'consul' | 'nomad' | 'traefik') => ({
      caFile: optionalString(raw[`${product}CaFile`]) ?? optionalString(raw.caFile),
      tlsServerName: optionalString(raw[`${product}TlsServerName`]) ?? optionalString(raw.tlsServerName),
      clientCert: optionalString(raw[`${product}ClientCert`]),
      clientKey: optionalString(raw[`${product}ClientKey`]),
    });
    profiles.push({
      name,
      source: 'settings',
      consul: { address: addresses.consulAddress, ...tls('consul') },
      nomad: { address: addresses.nomadAddress, namespace: optionalString(raw.nomadNamespace) ?? 'default', region: optionalString(raw.nomadRegion), ...tls('nomad') },
      traefik: { address: addresses.traefikAddress, ...tls('traefik') },
      environmentTokens: {},
      aws: awsPart(optionalString(raw.awsRegion), optionalString(raw.awsProfile), optionalString(raw.clusterTagKey), optionalString(raw.clusterTagValue), optionalString(raw.ecsCluster)),
    });
  });
  // The environment's profile stays beside named ones when the CLIs' variables are set (a user who adds a
  // profile for prod keeps the one their shell points at); with no named profile it is the only one.
  const environmentSet = ENVIRONMENT_ADDRESS_VARIABLES.some((variable) => (env[variable] ?? '').trim() !== '');
  if (profiles.length === 0 || (environmentSet && !names.has(ENVIRONMENT_PROFILE_NAME))) {
    const fromEnvironment = environmentProfile(env);
    for (const endpoint of [fromEnvironment.consul, fromEnvironment.nomad, fromEnvironment.traefik]) {
      if (endpoint.problem) problems.push(endpoint.problem);
    }
    profiles.push(fromEnvironment);
  }
  return { profiles, problems };
}

/**
 * The address a variable sets, its default when unset, or a problem that says what is wrong and what to
 * do when it is set but unusable: never the default then, which would send the token to another server.
 */
function environmentAddress(env: Environment, variable: string, fallback: string, scheme = 'http'): { address: string; problem?: string } {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return { address: fallback };
  const normalized = normalizeAddress(raw, scheme);
  return normalized ? { address: normalized } : { address: redactAddress(raw.trim()), problem: `Profile "${ENVIRONMENT_PROFILE_NAME}" (from the environment): ${addressProblem(variable, raw, fallback)}` };
}

/**
 * The ports the Fetch standard blocks (https://fetch.spec.whatwg.org/#port-blocking). Node's fetch (undici)
 * refuses them before it sends anything, with only "bad port": an address on one of them can never work.
 */
export const FETCH_BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The port of an http(s) address when it is one that fetch refuses, else undefined. */
export function blockedPort(address: string): number | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(address.trim()) ? address.trim() : `http://${address.trim()}`);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    return FETCH_BLOCKED_PORTS.has(port) ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Why an address cannot be used, in words that say what to write instead (credentials shown as ***). */
export function addressProblem(where: string, value: string, example: string): string {
  const shown = JSON.stringify(redactAddress(value.trim()));
  const port = blockedPort(value);
  if (port !== undefined && normalizeAddress(value, 'http', { allowBlockedPorts: true })) {
    return `${where} is ${shown}: port ${port} is one the Fetch standard blocks (as 1, 22, 25, 6000, 6665–6669 and 10080 are), and Node's fetch, which the extension uses, refuses it before sending anything. Serve the API on another port or forward one to it (e.g. ssh -L ${new URL(example).port}:127.0.0.1:${port} …, then ${example}).`;
  }
  if (/^unix:/i.test(value.trim())) {
    return `${where} is ${shown}: Unix sockets are not supported; use the agent's TCP address (e.g. ${example}), through an SSH tunnel if needed.`;
  }
  return `${where} is ${shown}, which is not an http:// or https:// address with a valid host and port (e.g. ${example}). Nothing is sent until it is fixed.`;
}

/** An address with any password replaced by `***` (`http://user:***@host`), for messages and logs. */
export function redactAddress(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@:\s]*):([^/@\s]*)@/i, '$1$2:***@');
}

/** The profile the CLIs would use: NOMAD_ADDR, CONSUL_HTTP_ADDR and friends, else the dev-agent defaults. */
export function environmentProfile(env: Environment): ClusterProfile {
  const consulScheme = isTrue(env.CONSUL_HTTP_SSL) ? 'https' : 'http';
  const consul = environmentAddress(env, 'CONSUL_HTTP_ADDR', DEFAULT_CONSUL_ADDRESS.replace(/^http/, consulScheme), consulScheme);
  const nomad = environmentAddress(env, 'NOMAD_ADDR', DEFAULT_NOMAD_ADDRESS);
  const traefik = environmentAddress(env, TRAEFIK_ADDRESS_VARIABLE, DEFAULT_TRAEFIK_ADDRESS);
  return {
    name: ENVIRONMENT_PROFILE_NAME,
    source: 'environment',
    consul: { ...consul, caFile: optionalString(env.CONSUL_CACERT), tlsServerName: optionalString(env.CONSUL_TLS_SERVER_NAME), clientCert: optionalString(env.CONSUL_CLIENT_CERT), clientKey: optionalString(env.CONSUL_CLIENT_KEY) },
    nomad: {
      ...nomad,
      namespace: optionalString(env.NOMAD_NAMESPACE) ?? 'default',
      region: optionalString(env.NOMAD_REGION),
      caFile: optionalString(env.NOMAD_CACERT),
      tlsServerName: optionalString(env.NOMAD_TLS_SERVER_NAME),
      clientCert: optionalString(env.NOMAD_CLIENT_CERT),
      clientKey: optionalString(env.NOMAD_CLIENT_KEY),
    },
    traefik: traefik,
    environmentTokens: { consul: optionalString(env.CONSUL_HTTP_TOKEN), nomad: optionalString(env.NOMAD_TOKEN) },
    aws: environmentAws(env),
  };
}

/** HASHISTACK_CLUSTER_TAG ("key=value" or a value for the default key) and HASHISTACK_ECS_CLUSTER turn the AWS part on. */
function environmentAws(env: Environment): AwsPart | undefined {
  const tag = optionalString(env.HASHISTACK_CLUSTER_TAG);
  const [key, value] = tag?.includes('=') ? [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)] : [undefined, tag];
  return awsPart(optionalString(env.HASHISTACK_AWS_REGION) ?? optionalString(env.AWS_REGION), optionalString(env.AWS_PROFILE), key, value, optionalString(env.HASHISTACK_ECS_CLUSTER));
}

/**
 * `127.0.0.1:8500` → `http://127.0.0.1:8500` (CONSUL_HTTP_ADDR is often written without a scheme);
 * undefined for anything that is not an http(s) address. A trailing slash is dropped.
 */
export function normalizeAddress(value: string, defaultScheme = 'http', options: { allowBlockedPorts?: boolean } = {}): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) {
    return undefined;
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `${defaultScheme}://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    return undefined;
  }
  if (!options.allowBlockedPorts && blockedPort(url.href) !== undefined) return undefined;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|t|true)$/i.test(value.trim());
}
