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
