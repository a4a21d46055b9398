// Loads test files into a mocha instance one by one, as mocha's own loadFiles does, but a file that throws
// while loading is reported as a failure of its own instead of ending the whole run.
import type Mocha from 'mocha';

export interface LoadFailure {
  file: string;
  error: unknown;
}

export function loadTestFiles(mocha: Mocha, files: readonly string[]): LoadFailure[] {
  const failures: LoadFailure[] = [];
  for (const file of files) {
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- mocha's own way of loading a test file
      const exported = require(file) as unknown;
      mocha.suite.emit('require', exported, file, mocha);
    } catch (error) {
      failures.push({ file, error });
    }
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }
  return failures;
}

export function describeLoadFailure(failure: LoadFailure): string {
  const error = failure.error instanceof Error ? (failure.error.stack ?? failure.error.message) : String(failure.error);
  return `✘ ${failure.file} failed to load:\n    ${error.split('\n').slice(0, 6).join('\n    ')}`;
}
