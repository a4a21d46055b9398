// Entry point that VS Code calls in the extension host (code-server or desktop VS Code):
// runs every *.test.js beside this file with mocha 11 and resolves or rejects with the result.
// A file that throws while loading counts as a failure; a run of zero tests is a failure too.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { describeLoadFailure, loadTestFiles } from '../support/loadMocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join(__dirname, name));
  const loadFailures = loadTestFiles(mocha, files);
  for (const failure of loadFailures) console.log(describeLoadFailure(failure));
  if (loadFailures.length > 0) console.log(`${loadFailures.length} test file(s) failed to load`);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const total = runner.stats?.tests ?? 0;
      if (total === 0) {
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
