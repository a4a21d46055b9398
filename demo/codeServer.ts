// Starts code-server (VS Code 1.100 in the browser) the way ../shared/e2e/RECIPE.md found to work here:
// its own user-data, extensions and config dirs per run, no auth, no telemetry, no update checks.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file runs from out/demo/). */
export const REPO_ROOT = resolve(__dirname, '..', '..');
const ENTRY = join(REPO_ROOT, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServerOptions {
  /** Environment for code-server and so for the extension host (NOMAD_ADDR etc.). */
  env?: Record<string, string>;
  /** User settings.json content, merged over the defaults below. */
  settings?: Record<string, unknown>;
  /** A .vsix to install first, as a user would. */
  vsix?: string;
  /** Keep workspace trust on (the default here turns it off so tests are not blocked by the modal). */
  workspaceTrust?: boolean;
  port?: number;
  /** Print code-server's own output. */
  verbose?: boolean;
  /** Where user data, extensions and config live; a new temporary folder when unset. */
  root?: string;
  /** With a kept root: write `settings` over the user's settings.json anyway (the demo's own keys only). */
  seedSettings?: boolean;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'hashistack-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(userDataDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  // A kept root keeps the user's own settings; only a new one is seeded (or, asked for, the given keys merged in).
  if (options.root && existsSync(settingsFile) && options.seedSettings) {
    const kept = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...kept, ...options.settings }, null, 2));
  } else if (!options.root || !existsSync(settingsFile)) writeFileSync(
    settingsFile,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'security.workspace.trust.enabled': options.workspaceTrust ?? false,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
    ...options.env,
  };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', configFile];
  if (options.vsix) {
    execFileSync(process.execPath, [ENTRY, ...common, '--install-extension', options.vsix], { env, stdio: options.verbose ? 'inherit' : 'pipe' });
  }
  const port = options.port ?? (await freePort());
  const args = [ENTRY, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override'];
  if (!options.workspaceTrust) {
    args.push('--disable-workspace-trust');
  }
  const logFile = join(root, 'code-server.log');
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const { createWriteStream } = await import('node:fs');
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  if (options.verbose) {
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
  }
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  return {
    url,
    port,
    userDataDir,
    logFile,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Packages the extension into a .vsix with @vscode/vsce, the way `npm run package` does (offline). */
export function packageVsix(out: string): string {
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
  return out;
}

/** The page URL that loads an extension under development (and optionally its tests), per the recipe. */
export function developmentUrl(server: CodeServer, folder: string, extensionPath: string, testsPath?: string): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['skipWelcome', 'true'],
  ];
  if (testsPath) {
    payload.push(['extensionTestsPath', remote(testsPath)]);
  }
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
