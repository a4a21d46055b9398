// Entry point that VS Code calls in the extension host (code-server or desktop VS Code):
// runs every *.test.js beside this file with mocha 11 and resolves or rejects with the result.
// A file that throws while loading counts as a failure; a run of zero tests is a failure too.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { describeLoadFailure, loadTestFiles } from '../support/loadMocha';

/** Whether a rejection came from the extension's own code (its bundle), not from the workbench or another extension. */
function fromTheExtension(reason: unknown): boolean {
  const stack = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  return /[\\/]dist[\\/]extension\.js/.test(stack);
}

export function run(): Promise<void> {
  // No promise of the extension may be left to reject unhandled (a render timer, a view's load, a follow).
  const unhandled: string[] = [];
  const onUnhandled = (reason: unknown) => {
    if (fromTheExtension(reason)) unhandled.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
  };
  process.on('unhandledRejection', onUnhandled);
  // HASHISTACK_SUITE_GREP runs only the tests whose titles match (while working on one part).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec', ...(process.env.HASHISTACK_SUITE_GREP ? { grep: process.env.HASHISTACK_SUITE_GREP } : {}) });
  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join(__dirname, name));
  const loadFailures = loadTestFiles(mocha, files);
  for (const failure of loadFailures) console.log(describeLoadFailure(failure));
  if (loadFailures.length > 0) console.log(`${loadFailures.length} test file(s) failed to load`);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      process.off('unhandledRejection', onUnhandled);
      const total = runner.stats?.tests ?? 0;
      if (unhandled.length > 0) {
        console.log(`${unhandled.length} unhandled rejection(s) in the extension during the suite:\n${unhandled.join('\n\n')}`);
        reject(new Error(`${unhandled.length} unhandled rejection(s) in the extension`));
      } else if (total === 0) {
        console.log(`no extension-host test ran (${files.length} test files found in ${__dirname})`);
        reject(new Error('the extension-host suite ran no test'));
      } else if (failures > 0 || loadFailures.length > 0) {
        reject(new Error(`${failures} extension-host test(s) failed, ${loadFailures.length} file(s) failed to load`));
      } else {
        resolve();
      }
    });
  });
}
