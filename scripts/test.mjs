// `npm test`: typecheck, lint, unit and integration tests of the core (plain Node), then the tests in a
// real VS Code (code-server + Chromium). Ends with one line "N passed, N failed" over every stage.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const skipE2e = process.argv.includes('--no-e2e');
let passed = 0;
let failed = 0;

function step(name, command, args) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.log(`✘ ${name} failed (exit ${result.status})`);
    failed++;
    return false;
  }
  passed++;
  return true;
}

const node = process.execPath;
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

rmSync(join(root, 'out'), { recursive: true, force: true });
const compiled = step('typecheck and compile (tsc, strict)', node, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json']);
step('typecheck the webview script (tsc, DOM)', node, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.webview.json']);
step('lint (eslint)', node, [bin('eslint', 'bin/eslint.js'), 'src', 'test', 'demo', 'scripts', 'bench', 'tools']);
if (compiled) {
  step('lint:platform (HCL, packer, shellcheck, terraform fmt, project rules)', node, ['out/tools/lint-platform/main.js']);
}
const built = step('bundle (esbuild)', node, ['scripts/build.mjs', '--production']);

if (compiled) {
  console.log('\n▶ unit and integration tests (mocha, plain Node: no VS Code)');
  const Mocha = require('mocha');
  const mocha = new Mocha({ timeout: 15_000, reporter: 'spec' });
  for (const dir of ['out/test/unit', 'out/test/integration']) {
    for (const file of readdirSync(join(root, dir), { recursive: true }).filter((name) => name.endsWith('.test.js')).sort()) {
      mocha.addFile(join(root, dir, file));
    }
  }
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  passed += stats.passes;
  failed += stats.failures;
}

if (skipE2e) {
  console.log('\n(skipping the tests in VS Code: --no-e2e)');
} else if (compiled && built) {
  console.log('\n▶ tests in a real VS Code (code-server + Chromium)');
  const resultsFile = join(root, '.test-artifacts', 'e2e-results.json');
  rmSync(resultsFile, { force: true });
  const result = spawnSync(node, ['out/test/e2e/run.js'], { cwd: root, stdio: 'inherit' });
  if (existsSync(resultsFile)) {
    const e2e = JSON.parse(readFileSync(resultsFile, 'utf8'));
    passed += e2e.passed;
    failed += e2e.failed;
  } else {
    console.log(`✘ the VS Code tests did not report (exit ${result.status})`);
    failed++;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
