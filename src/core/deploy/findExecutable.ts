import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Where `command` would be found: a path is checked as is (relative to `cwd`), a bare name on PATH
 * (with PATHEXT on Windows). Undefined when it is not there or not executable.
 */
export function findExecutable(command: string, env: Record<string, string | undefined>, cwd: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').map((ext) => ext.toLowerCase())] : [''];
  const candidates = command.includes('/') || command.includes('\\') ? [isAbsolute(command) ? command : join(cwd, command)] : (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const candidate of candidates) {
    for (const extension of extensions) {
      const path = candidate + extension;
      try {
        if (statSync(path).isFile()) {
          accessSync(path, constants.X_OK);
          return path;
        }
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

/**
 * The environment VS Code's integrated terminals get: the process's, with the user's
 * `terminal.integrated.env.<platform>` over it (`${env:NAME}` read from the process, `null` removes a
 * variable). A program the extension starts itself sees the same PATH as one typed in a terminal.
 */
export function terminalEnvironment(overrides: Record<string, string | null> | undefined, processEnv: Record<string, string | undefined>): Record<string, string | undefined> {
  const env = { ...processEnv };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === null) delete env[name];
    else if (typeof value === 'string') env[name] = value.replace(/\$\{env:([^}]+)\}/g, (_whole, variable: string) => processEnv[variable] ?? '');
  }
  return env;
}

/** The settings key of the terminal environment for a platform. */
export function terminalEnvironmentKey(platform: NodeJS.Platform): 'env.linux' | 'env.osx' | 'env.windows' {
  return platform === 'win32' ? 'env.windows' : platform === 'darwin' ? 'env.osx' : 'env.linux';
}
