// Add Cluster…: the answers of the guided input, checked one at a time as the user types them, and the
// `hashistack.clusters` entry they make. Pure, so every check is tested without an editor.
import { addressProblem, DEFAULT_CONSUL_ADDRESS, DEFAULT_NOMAD_ADDRESS, DEFAULT_TRAEFIK_ADDRESS, normalizeAddress } from './clusterProfile';

export interface NewProfileAnswers {
  name: string;
  nomadAddress: string;
  consulAddress: string;
  traefikAddress: string;
  nomadNamespace?: string;
  nomadRegion?: string;
  /** A PEM file of the CA that signed the servers' certificates; unset: the system's CAs. */
  caFile?: string;
  /** The name in the servers' certificates when it is not the address's host (server.global.nomad). */
  tlsServerName?: string;
}

export type AddressKey = 'nomadAddress' | 'consulAddress' | 'traefikAddress';

export const ADDRESS_DEFAULTS: Record<AddressKey, string> = { nomadAddress: DEFAULT_NOMAD_ADDRESS, consulAddress: DEFAULT_CONSUL_ADDRESS, traefikAddress: DEFAULT_TRAEFIK_ADDRESS };

/** Why a name cannot be a new profile's, or undefined when it can. */
export function nameProblem(name: string, taken: readonly string[]): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the cluster a name (e.g. staging, prod).';
  if (taken.some((existing) => existing.toLowerCase() === trimmed.toLowerCase())) return `A profile named "${trimmed}" exists already: choose another name, or edit it in Configure Clusters.`;
  if (trimmed.length > 64) return 'A name of at most 64 characters.';
  return undefined;
}

/** Why an address cannot be used (what was typed, and what to write), or undefined when it can. */
export function addressAnswerProblem(key: AddressKey, value: string): string | undefined {
  if (!value.trim()) return undefined;
  return normalizeAddress(value) ? undefined : addressProblem(`The ${key.replace('Address', '')} address`, value, ADDRESS_DEFAULTS[key]);
}

/** Why a namespace cannot be Nomad's (letters, digits, `-`, `_`, at most 128; or `*` for every one). */
export function namespaceProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed || trimmed === '*') return undefined;
  return /^[a-zA-Z0-9-_]{1,128}$/.test(trimmed) ? undefined : `"${trimmed}" is not a Nomad namespace name: letters, digits, "-" and "_", at most 128 characters (or * for every namespace).`;
}

/**
 * The `hashistack.clusters` entry for the answers: addresses normalized, empty answers left out (the
 * defaults apply), so the settings file holds what the user chose and nothing else.
 */
export function profileEntry(answers: NewProfileAnswers): Record<string, string> {
  const problem = nameProblem(answers.name, []) ?? (['nomadAddress', 'consulAddress', 'traefikAddress'] as const).map((key) => addressAnswerProblem(key, answers[key])).find(Boolean) ?? namespaceProblem(answers.nomadNamespace ?? '');
  if (problem) throw new Error(problem);
  const entry: Record<string, string> = { name: answers.name.trim() };
  for (const key of ['nomadAddress', 'consulAddress', 'traefikAddress'] as const) entry[key] = normalizeAddress(answers[key]) ?? ADDRESS_DEFAULTS[key];
  const optional = { nomadNamespace: answers.nomadNamespace, nomadRegion: answers.nomadRegion, caFile: answers.caFile, tlsServerName: answers.tlsServerName };
  for (const [key, value] of Object.entries(optional)) if (value?.trim() && !(key === 'nomadNamespace' && value.trim() === 'default')) entry[key] = value.trim();
  return entry;
}
