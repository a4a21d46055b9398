// Nomad Variables as the editor shows them: the API's shapes (test/fixtures/recorded/nomad-variables/), the
// document a variable opens as, and the checks a path and a save must pass before anything is sent.

/** `GET /v1/vars`: metadata only; the list never carries items. */
export interface NomadVariableMetadata {
  Namespace: string;
  Path: string;
  CreateIndex: number;
  ModifyIndex: number;
  /** Nanoseconds since the epoch. */
  CreateTime?: number;
  ModifyTime?: number;
}

/** `GET /v1/var/:path`: with its decrypted items. A 409's body lacks `Items` when the token may not read the path. */
export interface NomadVariable extends NomadVariableMetadata {
  Items?: Record<string, string>;
}

/** `GET /v1/service/:name`: one registration of a Nomad-native service (what `nomadService` renders). */
export interface NomadServiceRegistration {
  ServiceName: string;
  Address: string;
  Port: number;
  AllocID?: string;
  NodeID?: string;
  Tags?: string[];
}

/** What a CAS write or delete came to: done, or another write won and this is the variable now. */
export type VariableWriteResult = { kind: 'written'; variable?: NomadVariable } | { kind: 'conflict'; current: NomadVariable };

/** Nomad's rule for a path (api-docs/variables): URL-safe characters that templates do not give a meaning to. */
export const VARIABLE_PATH_PATTERN = /^[a-zA-Z0-9\-_~/]{1,128}$/;
/** Nomad refuses items over this many bytes (keys and values added up). */
export const MAX_VARIABLE_ITEMS_BYTES = 64 * 1024;

/** Why a path cannot be a variable's, in words; undefined when it can. */
export function variablePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'A variable needs a path, e.g. nomad/jobs/billing.';
  if (!VARIABLE_PATH_PATTERN.test(path)) return `"${path.slice(0, 140)}" is not a variable path: Nomad allows 1 to 128 of the characters a-z A-Z 0-9 - _ ~ /.`;
  if (path.startsWith('/') || path.endsWith('/') || path.includes('//')) return `"${path}" is not a variable path: no leading, trailing or double "/".`;
  return undefined;
}

/**
 * The document a variable opens as: its items as one JSON object, keys in order. JSON because an item's value
 * is any string — certificates, multi-line configuration, quotes — and JSON says each one exactly and the editor
 * checks it as it is typed; it is also what `nomad var get -out=json` prints and `nomad var put -in=json` reads.
 */
export function variableDocument(items: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.keys(items).sort().map((key) => [key, items[key]!]));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/**
 * A saved document back to items, or why it cannot be: not JSON, not an object of strings, empty (Nomad refuses
 * a variable without items: delete it instead), or larger than Nomad takes. The message names where.
 */
export function parseVariableDocument(text: string): { items: Record<string, string> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `The variable is not valid JSON (${(error as Error).message}). Write its items as one object, e.g. {"user": "me"}.` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'The variable must be one JSON object of items, e.g. {"user": "me"}.' };
  const items: Record<string, string> = {};
  let bytes = 0;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') return { problem: `Item "${key.slice(0, 60)}" is ${item === null ? 'null' : Array.isArray(item) ? 'a list' : `a ${typeof item}`}: Nomad's items are strings (quote it: "${key.slice(0, 60)}": "…").` };
    if (key.length === 0) return { problem: 'An item needs a name: "" is not one.' };
    items[key] = item;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(item);
  }
  if (Object.keys(items).length === 0) return { problem: 'Nomad keeps no variable without items: add one, or delete the variable from the Nomad view.' };
  if (bytes > MAX_VARIABLE_ITEMS_BYTES) return { problem: `The items add up to ${bytes} bytes; Nomad takes at most ${MAX_VARIABLE_ITEMS_BYTES}.` };
  return { items };
}

/** How a value is shown anywhere but in its opened document. */
export const MASKED_VALUE = '••••••';

/** The path's folders and leaves for a tree: `a/b/c` and `a/d` → a → (b → c), d. */
export interface VariableFolder {
  name: string;
  /** The prefix it stands for, ending in `/`. */
  prefix: string;
  folders: VariableFolder[];
  variables: NomadVariableMetadata[];
}

export function variableTree(variables: readonly NomadVariableMetadata[]): VariableFolder {
  const root: VariableFolder = { name: '', prefix: '', folders: [], variables: [] };
  for (const variable of [...variables].sort((a, b) => a.Path.localeCompare(b.Path))) {
    const parts = variable.Path.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      let next = folder.folders.find((candidate) => candidate.name === part);
      if (!next) {
        next = { name: part, prefix: `${folder.prefix}${part}/`, folders: [], variables: [] };
        folder.folders.push(next);
      }
      folder = next;
    }
    folder.variables.push(variable);
  }
  return root;
}
