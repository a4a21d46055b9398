// End-to-end tests in a real VS Code (code-server 4.100.3 = VS Code 1.100) driven by Debian's Chromium:
//  1. the mocha suites of test/suite in the extension host, on the extension under development;
//  2. UI scenarios with the packaged .vsix installed by `--install-extension`, as a user installs it.
// Both run against the demo cluster. Screenshots go to .test-artifacts/ (ignored by git).
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Browser } from 'playwright-core';
import { DemoCluster } from '../../demo/demoCluster';
import { launchChromium } from './browser';
import { packageVsix, REPO_ROOT, startCodeServer } from '../../demo/codeServer';
import { runHostSuite } from './hostSuite';
import { SCENARIOS, screenshotDir } from './uiScenarios';
import { SELECTORS } from './workbench';

const QUIET_SETTINGS = { 'git.openRepositoryInParentFolders': 'never', 'git.enabled': false };

function freshWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hashistack-workspace-'));
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'jobspecs', 'ecs-gallery.tf'), join(dir, 'ecs-gallery.tf'));
  return dir;
}

const STAND_IN_DIR = join(REPO_ROOT, 'test', 'e2e', 'stand-in');

/** Where the stand-in nomad and terraform record what a deploy task runs them with. */
function recordEnvironment(): Record<string, string> {
  return { HASHISTACK_RECORD_FILE: join(mkdtempSync(join(tmpdir(), 'hashistack-record-')), 'deploys.ndjson') };
}

/**
 * Stand-in nomad and terraform first on the integrated terminal's PATH. The server resolves the
 * terminal's environment from a login shell (which resets PATH), so it goes through VS Code's own
 * terminal.integrated.env setting, as a user would put a tool on PATH for VS Code's terminals.
 */
const STAND_IN_SETTINGS = { 'terminal.integrated.env.linux': { PATH: `${STAND_IN_DIR}${delimiter}\${env:PATH}` } };

function vsixForTests(): string {
  mkdirSync(join(REPO_ROOT, '.test-artifacts'), { recursive: true });
  const out = join(REPO_ROOT, '.test-artifacts', 'hashistack.vsix');
  return packageVsix(out);
}

async function hostSuite(browser: Browser, demo: DemoCluster): Promise<{ passed: number; failed: number }> {
  console.log('\n# Extension-host suite (code-server, extension under development)');
  const server = await startCodeServer({ env: { ...demo.environment(), HASHISTACK_DEMO_CONTROL: demo.controlAddress!, ...recordEnvironment() }, settings: { ...QUIET_SETTINGS, ...STAND_IN_SETTINGS } });
  try {
    const result = await runHostSuite(browser, server, freshWorkspace());
    if (result.exitCode !== 0 && result.passed + result.failed === 0) {
      console.log(`The suite did not run (exit ${result.exitCode}); code-server log: ${server.logFile}`);
      return { passed: 0, failed: 1 };
    }
    return { passed: result.passed, failed: result.failed };
  } finally {
    await server.stop();
  }
}

async function uiScenarios(browser: Browser, demo: DemoCluster): Promise<{ passed: number; failed: number }> {
  console.log('\n# UI scenarios (code-server, .vsix installed with --install-extension)');
  const vsix = vsixForTests();
  const server = await startCodeServer({ vsix, env: { ...demo.environment(), ...recordEnvironment() }, settings: { ...QUIET_SETTINGS, ...STAND_IN_SETTINGS } });
  const shots = screenshotDir(REPO_ROOT);
  let passed = 0;
  let failed = 0;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(freshWorkspace())}`);
    await page.locator(SELECTORS.workbench).waitFor({ timeout: 60_000 });
    for (const scenario of SCENARIOS) {
      const started = Date.now();
      try {
        await scenario.run(page, { demo, screenshot: (name) => page.screenshot({ path: join(shots, `${name}.png`) }).then(() => undefined) });
        passed++;
        console.log(`  ✔ ${scenario.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        const shot = join(shots, `failed-${passed + failed}.png`);
        await page.screenshot({ path: shot }).catch(() => undefined);
        console.log(`  ✘ ${scenario.name}\n    ${String(error instanceof Error ? error.stack : error).replace(/\n/g, '\n    ')}\n    screenshot: ${shot}`);
        await page.keyboard.press('Escape').catch(() => undefined);
      }
    }
  } finally {
    await page.close();
    await server.stop();
  }
  console.log(`  ${passed} passing, ${failed} failing; screenshots in ${shots}`);
  return { passed, failed };
}

async function main(): Promise<void> {
  const demo = await DemoCluster.start({ controlPort: 0 });
  const browser = await launchChromium();
  const totals = { passed: 0, failed: 0 };
  try {
    for (const stage of [hostSuite, uiScenarios]) {
      const result = await stage(browser, demo);
      totals.passed += result.passed;
      totals.failed += result.failed;
      await demo.clearFaults();
    }
  } finally {
    await browser.close();
    await demo.close();
  }
  mkdirSync(join(REPO_ROOT, '.test-artifacts'), { recursive: true });
  writeFileSync(join(REPO_ROOT, '.test-artifacts', 'e2e-results.json'), JSON.stringify(totals));
  console.log(`\ne2e: ${totals.passed} passed, ${totals.failed} failed`);
  process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
