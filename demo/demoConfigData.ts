// The demo's configuration data: Nomad Variables (`/v1/vars`, `/v1/var/:path`) and Consul's KV store
// (`/v1/kv/:key`), answered as the real servers answer (test/fixtures/recorded/nomad-variables/ and consul-kv/):
// check-and-set writes, Nomad's 409 with the variable that won, Consul's `false`, `?keys&separator`,
// `?recurse`, `?raw`. Indexes come from the cluster's own counters, so blocking queries wake on a write.

export interface DemoConfigRoute {
  status: number;
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

interface StoredVariable {
  namespace: string;
  path: string;
  items: Record<string, string>;
  createIndex: number;
  modifyIndex: number;
  createTime: number;
  modifyTime: number;
}

interface StoredKey {
  value: Buffer;
  flags: number;
  createIndex: number;
  modifyIndex: number;
}

/** What the demo's jobs read (platform/nomad/whoami.nomad's template): a variable, keys, and a binary value. */
export const DEMO_VARIABLES: { namespace: string; path: string; items: Record<string, string> }[] = [
  { namespace: 'default', path: 'nomad/jobs/whoami', items: { name: 'demo-whoami', api_token: 's3cr3t-demo-token' } },
  { namespace: 'default', path: 'nomad/jobs/launcher', items: { consul_token: 'demo-launcher-token' } },
  { namespace: 'default', path: 'shared/smtp', items: { host: 'smtp.example.com', password: 'demo-smtp-password', port: '587' } },
];
export const DEMO_KV: { key: string; value: string | Buffer; flags?: number }[] = [
  { key: 'config/whoami/greeting', value: 'Hello from Consul KV' },
  { key: 'config/whoami/log_level', value: 'info' },
  { key: 'config/launcher/title', value: 'Hashistack' },
  { key: 'config/launcher/features/', value: '' },
  { key: 'config/launcher/features/search', value: 'on', flags: 42 },
  { key: 'certs/legacy.der', value: Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3, 0xff, 0xfe, 0x00]) },
];

const NS_PER_MS = 1_000_000;

export class DemoConfigData {
  private readonly variables = new Map<string, StoredVariable>();
  private readonly keys = new Map<string, StoredKey>();

  constructor(
    /** Moves the product's index and wakes its blocking queries; answers the new index. */
    private readonly bump: (product: 'nomad' | 'consul') => number,
    private readonly index: (product: 'nomad' | 'consul') => number,
  ) {
    this.reset();
  }

  /** Back to the demo's own variables and keys (the control port's reset). */
  reset(): void {
    this.variables.clear();
    this.keys.clear();
    const now = Date.now();
    for (const variable of DEMO_VARIABLES) {
      const at = this.index('nomad');
      this.variables.set(variableKey(variable.namespace, variable.path), { ...variable, items: { ...variable.items }, createIndex: at, modifyIndex: at, createTime: now * NS_PER_MS, modifyTime: now * NS_PER_MS });
    }
    for (const entry of DEMO_KV) {
      const at = this.index('consul');
      this.keys.set(entry.key, { value: Buffer.isBuffer(entry.value) ? entry.value : Buffer.from(entry.value, 'utf8'), flags: entry.flags ?? 0, createIndex: at, modifyIndex: at });
    }
  }

  /** Sets a variable as someone else would (a test's concurrent writer, the control port). */
  setVariable(namespace: string, path: string, items: Record<string, string>): void {
    this.writeVariable(namespace, path, items);
  }

  /** Sets a key as someone else would. */
  setKey(key: string, value: string): void {
    this.writeKey(key, Buffer.from(value, 'utf8'), undefined);
  }

  variableItems(namespace: string, path: string): Record<string, string> | undefined {
    return this.variables.get(variableKey(namespace, path))?.items;
  }

  keyValue(key: string): Buffer | undefined {
    return this.keys.get(key)?.value;
  }

  /** Every key under a prefix with its value (as `?recurse` lists them). */
  entriesUnder(prefix: string): { key: string; value: Buffer }[] {
    return [...this.keys.entries()].filter(([key]) => key.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)).map(([key, stored]) => ({ key, value: stored.value }));
  }

  /** Nomad's `/v1/vars` and `/v1/var/:path`; undefined for any other path. */
  routeNomad(method: string, url: URL, body: string): DemoConfigRoute | undefined {
    const headers = () => ({ 'X-Nomad-Index': String(this.index('nomad')), 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' });
    const namespace = url.searchParams.get('namespace') || 'default';
    if (url.pathname === '/v1/vars') {
      if (method !== 'GET') return { status: 405, body: 'Invalid method' };
      const prefix = url.searchParams.get('prefix') ?? '';
      const listed = [...this.variables.values()]
        .filter((variable) => (namespace === '*' || variable.namespace === namespace) && variable.path.startsWith(prefix))
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.path.localeCompare(b.path))
        .map(metadata);
      return { status: 200, body: JSON.stringify(listed), contentType: 'application/json', headers: headers() };
    }
    if (!url.pathname.startsWith('/v1/var/')) return undefined;
    const path = url.pathname.slice('/v1/var/'.length).split('/').map(decodeURIComponent).join('/');
    if (!path) return { status: 400, body: 'missing variable path' };
    const stored = this.variables.get(variableKey(namespace, path));
    const cas = url.searchParams.get('cas');
    if (cas !== null && !/^\d+$/.test(cas)) return { status: 400, body: `can not parse cas: strconv.ParseUint: parsing "${cas}": invalid syntax` };
    const conflict = (current: StoredVariable | undefined): DemoConfigRoute | undefined => {
      if (cas === null) return undefined;
      const expected = Number(cas);
      if ((current?.modifyIndex ?? 0) === expected) return undefined;
      // A 0 that finds a variable, or an index that is not the variable's: the current one, as Nomad sends it.
      if (!current) return { status: 409, body: 'cas error: variable does not exist', headers: headers() };
      return { status: 409, body: JSON.stringify(full(current)), contentType: 'application/json', headers: { ...headers(), 'X-Nomad-Index': String(current.modifyIndex) } };
    };
    switch (method) {
      case 'GET':
        return stored ? { status: 200, body: JSON.stringify(full(stored)), contentType: 'application/json', headers: headers() } : { status: 404, body: 'variable not found' };
      case 'PUT':
      case 'POST': {
        let parsed: { Items?: unknown };
        try {
          parsed = JSON.parse(body) as { Items?: unknown };
        } catch (error) {
          return { status: 400, body: (error as Error).message };
        }
        const items = parsed.Items;
        if (typeof items !== 'object' || items === null || Object.keys(items).length === 0) return { status: 400, body: 'variable missing required Items object' };
        if (Object.values(items).some((value) => typeof value !== 'string')) return { status: 400, body: 'json: cannot unmarshal number into Go struct field VariableDecrypted.Items of type string' };
        if (!/^[a-zA-Z0-9\-_~/]{1,128}$/.test(path)) return { status: 400, body: `invalid path "${path}"` };
        const refused = conflict(stored);
        if (refused) return refused;
        const written = this.writeVariable(namespace, path, items as Record<string, string>);
        return { status: 200, body: JSON.stringify(full(written)), contentType: 'application/json', headers: { ...headers(), 'X-Nomad-Index': String(written.modifyIndex) } };
      }
      case 'DELETE': {
        const refused = conflict(stored);
        if (refused) return refused;
        if (stored) {
          this.variables.delete(variableKey(namespace, path));
          this.bump('nomad');
        }
        return { status: 204, body: '', headers: headers() };
      }
      default:
        return { status: 400, body: 'Invalid method' };
    }
  }

  /** Consul's `/v1/kv/:key`; undefined for any other path. */
  routeConsul(method: string, url: URL, body: Buffer): DemoConfigRoute | undefined {
    if (!url.pathname.startsWith('/v1/kv/') && url.pathname !== '/v1/kv') return undefined;
    const key = url.pathname.slice('/v1/kv/'.length).split('/').map(decodeURIComponent).join('/');
    const headers = () => ({ 'X-Consul-Index': String(this.index('consul')), 'X-Consul-KnownLeader': 'true', 'X-Consul-LastContact': '0' });
    const query = url.searchParams;
    const flagged = (name: string) => query.has(name) && query.get(name) !== 'false';
    switch (method) {
      case 'GET': {
        if (flagged('keys')) {
          const separator = query.get('separator') ?? '';
          const found = new Set<string>();
          for (const name of this.keys.keys()) {
            if (!name.startsWith(key)) continue;
            const rest = name.slice(key.length);
            const cut = separator ? rest.indexOf(separator) : -1;
            found.add(cut >= 0 ? key + rest.slice(0, cut + separator.length) : name);
          }
          // Consul: 404 with an empty body when nothing is under the prefix (the index still set).
          return found.size ? { status: 200, body: JSON.stringify([...found].sort()), contentType: 'application/json', headers: headers() } : { status: 404, body: '', headers: headers() };
        }
        const entries = flagged('recurse') ? [...this.keys.entries()].filter(([name]) => name.startsWith(key)).sort(([a], [b]) => a.localeCompare(b)) : this.keys.has(key) ? [[key, this.keys.get(key)!] as const] : [];
        if (entries.length === 0) return { status: 404, body: '', headers: headers() };
        if (flagged('raw')) return { status: 200, body: entries[0]![1].value, contentType: 'text/plain; charset=utf-8', headers: { ...headers(), 'X-Content-Type-Options': 'nosniff' } };
        return { status: 200, body: JSON.stringify(entries.map(([name, stored]) => ({ LockIndex: 0, Key: name, Flags: stored.flags, Value: stored.value.length ? stored.value.toString('base64') : null, CreateIndex: stored.createIndex, ModifyIndex: stored.modifyIndex }))), contentType: 'application/json', headers: headers() };
      }
      case 'PUT': {
        if (!key) return { status: 400, body: 'Missing key name' };
        if (body.length > 512 * 1024) return { status: 413, body: `Request body(${body.length} bytes) too large, max size: 524288 bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.` };
        const cas = query.get('cas');
        const stored = this.keys.get(key);
        if (cas !== null && Number(cas) !== (stored?.modifyIndex ?? 0)) return { status: 200, body: 'false', contentType: 'application/json', headers: headers() };
        const flags = query.get('flags');
        this.writeKey(key, body, flags === null ? undefined : Number(flags));
        return { status: 200, body: 'true', contentType: 'application/json', headers: headers() };
      }
      case 'DELETE': {
        const cas = query.get('cas');
        if (flagged('recurse')) {
          const doomed = [...this.keys.keys()].filter((name) => name.startsWith(key));
          doomed.forEach((name) => this.keys.delete(name));
          if (doomed.length) this.bump('consul');
          return { status: 200, body: 'true', contentType: 'application/json', headers: headers() };
        }
        const stored = this.keys.get(key);
        if (cas !== null && (Number(cas) === 0 || Number(cas) !== stored?.modifyIndex)) return { status: 200, body: 'false', contentType: 'application/json', headers: headers() };
        if (stored) {
          this.keys.delete(key);
          this.bump('consul');
        }
        return { status: 200, body: 'true', contentType: 'application/json', headers: headers() };
      }
      default:
        return { status: 405, body: `method ${method} not allowed` };
    }
  }

  private writeVariable(namespace: string, path: string, items: Record<string, string>): StoredVariable {
    const at = this.bump('nomad');
    const now = Date.now() * NS_PER_MS;
    const previous = this.variables.get(variableKey(namespace, path));
    const written: StoredVariable = { namespace, path, items: { ...items }, createIndex: previous?.createIndex ?? at, modifyIndex: at, createTime: previous?.createTime ?? now, modifyTime: now };
    this.variables.set(variableKey(namespace, path), written);
    return written;
  }

  private writeKey(key: string, value: Buffer, flags: number | undefined): void {
    const at = this.bump('consul');
    const previous = this.keys.get(key);
    this.keys.set(key, { value: Buffer.from(value), flags: flags ?? previous?.flags ?? 0, createIndex: previous?.createIndex ?? at, modifyIndex: at });
  }
}

function variableKey(namespace: string, path: string): string {
  return `${namespace}\u0000${path}`;
}

function metadata(variable: StoredVariable) {
  return { Namespace: variable.namespace, Path: variable.path, CreateIndex: variable.createIndex, ModifyIndex: variable.modifyIndex, CreateTime: variable.createTime, ModifyTime: variable.modifyTime };
}

function full(variable: StoredVariable) {
  return { ...metadata(variable), Items: variable.items };
}
