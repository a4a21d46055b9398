// End-to-end tests in a real VS Code (code-server 4.100.3 = VS Code 1.100) driven by Debian's Chromium:
//  1. the mocha suites of test/suite in the extension host, on the extension under development;
//  2. UI scenarios with the packaged .vsix installed by `--install-extension`, as a user installs it.
// Both run against the demo cluster. Screenshots go to .test-artifacts/ (ignored by git).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DEPLOY_SCENARIOS } from './deployScenarios';
import { Browser, Page } from 'playwright-core';
import { DemoCluster } from '../../demo/demoCluster';
import { AwsDemo } from '../../demo/awsDemo';
import { launchChromium } from './browser';
import { packageVsix, REPO_ROOT, startCodeServer } from '../../demo/codeServer';
import { runHostSuite } from './hostSuite';
import { BEHIND_TUNNEL_TEXT, SCENARIOS, screenshotDir } from './uiScenarios';
import { SELECTORS } from './workbench';
import { freshWorkspace, SSH_STAND_IN, HOSTILE_SERVICE, hostSuiteEnvironment, QUIET_SETTINGS, recordEnvironment, STAND_IN_SETTINGS } from './environment';


function vsixForTests(): string {
  mkdirSync(join(REPO_ROOT, '.test-artifacts'), { recursive: true });
  const out = join(REPO_ROOT, '.test-artifacts', 'hashistack.vsix');
  return packageVsix(out);
}

let awsDemo: AwsDemo;

/** Runs scenarios one after another on one page: each passes or fails on its own, with a screenshot when it fails. */
async function runScenarios<C>(page: Page, scenarios: { name: string; run(page: Page, context: C & { screenshot(name: string): Promise<void> }): Promise<void> }[], context: C, failedPrefix: string): Promise<{ passed: number; failed: number }> {
  const shots = screenshotDir(REPO_ROOT);
  let passed = 0;
  let failed = 0;
  // HASHISTACK_SCENARIO_GREP=<regex>: only the scenarios whose name matches (as HASHISTACK_SUITE_GREP for the suites).
  const only = process.env.HASHISTACK_SCENARIO_GREP ? new RegExp(process.env.HASHISTACK_SCENARIO_GREP) : undefined;
  for (const scenario of scenarios.filter((candidate) => !only || only.test(candidate.name))) {
    const started = Date.now();
    try {
      await scenario.run(page, { ...context, screenshot: (name: string) => page.screenshot({ path: join(shots, `${name}.png`) }).then(() => undefined) });
      passed++;
      console.log(`  ✔ ${scenario.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      const shot = join(shots, `${failedPrefix}-${passed + failed}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.log(`  ✘ ${scenario.name}\n    ${String(error instanceof Error ? error.stack : error).replace(/\n/g, '\n    ')}\n    screenshot: ${shot}`);
      await page.keyboard.press('Escape').catch(() => undefined);
    }
  }
  return { passed, failed };
}

async function hostSuite(browser: Browser, demo: DemoCluster): Promise<{ passed: number; failed: number }> {
  console.log('\n# Extension-host suite (code-server, extension under development)');
  const server = await startCodeServer({ env: hostSuiteEnvironment(demo, awsDemo), settings: { ...QUIET_SETTINGS, ...STAND_IN_SETTINGS } });
  try {
    const result = await runHostSuite(browser, server, freshWorkspace());
    if (result.passed === 0) {
      console.log(`  ✘ the extension-host suite ran no test (exit ${result.exitCode}); code-server log: ${server.logFile}`);
    } else if (result.exitCode !== 0) {
      console.log(`  the extension-host suite exited ${result.exitCode}: counted as failing`);
    }
    return { passed: result.passed, failed: result.failed };
  } finally {
    await server.stop();
  }
}

/** Stages other than the UI scenarios (which check it) start without the first-start walkthrough taking the focus. */
const NO_WALKTHROUGH = { 'hashistack.walkthrough.openOnFirstStart': false };

async function uiScenarios(browser: Browser, demo: DemoCluster): Promise<{ passed: number; failed: number }> {
  console.log('\n# UI scenarios (code-server, .vsix installed with --install-extension)');
  const vsix = vsixForTests();
  // What an allocation's node reaches at the allocation's address: a page of the test's, behind the stand-in ssh
  // (the demo's 10.0.x.x addresses are made up).
  const behindTunnel = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/plain' }).end(BEHIND_TUNNEL_TEXT));
  await new Promise<void>((resolve) => behindTunnel.listen(0, '127.0.0.1', resolve));
  const record = recordEnvironment();
  const server = await startCodeServer({
    vsix,
    env: { ...demo.environment(), ...awsDemo.environment(), ...record, HASHISTACK_SSH_ROUTE: `127.0.0.1:${(behindTunnel.address() as AddressInfo).port}` },
    settings: {
      ...QUIET_SETTINGS,
      ...STAND_IN_SETTINGS,
      'hashistack.deploy.ecsCommand': ['hashistack-missing-terraform', '-chdir=${dir}', '${verb}', '-target=${target}'],
      'hashistack.launcher.domain': 'example.com',
      'hashistack.forward.path': 'ssh',
      'hashistack.forward.sshProgram': SSH_STAND_IN,
      'hashistack.forward.sshHost': '203.0.113.20',
      // The DOM renderer: a terminal's text can then be read from the page.
      'terminal.integrated.gpuAcceleration': 'off',
    },
  });
  const shots = screenshotDir(REPO_ROOT);
  let result = { passed: 0, failed: 0 };
  // Tall enough that the Consul, Nomad and Traefik panes all show their rows beside the collapsed ones.
  const page = await browser.newPage({ viewport: { width: 1400, height: 1150 } });
  try {
    const workspace = freshWorkspace();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator(SELECTORS.workbench).waitFor({ timeout: 60_000 });
    result = await runScenarios(page, SCENARIOS, { demo, workspace, recordFile: record.HASHISTACK_RECORD_FILE }, 'failed');
  } finally {
    await page.close();
    await server.stop();
    behindTunnel.closeAllConnections();
    await new Promise((resolve) => behindTunnel.close(resolve));
  }
  console.log(`  ${result.passed} passing, ${result.failed} failing; screenshots in ${shots}`);
  return result;
}

/**
 * Restricted Mode: a cloned repository whose settings try to choose the deploy command, opened untrusted.
 * The lenses offer no Deploy/Plan/Bump, say why, and the repository's command never runs.
 */
async function restrictedMode(browser: Browser, demo: DemoCluster): Promise<{ passed: number; failed: number }> {
  console.log('\n# Restricted Mode (code-server with workspace trust on, the workspace left untrusted)');
  const vsix = vsixForTests();
  const workspace = freshWorkspace();
  const marker = join(mkdtempSync(join(tmpdir(), 'hashistack-restricted-')), 'ran');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'hashistack.deploy.nomadCommand': ['/usr/bin/touch', marker] }));
  // The stand-in nomad is on the terminal's PATH (a user setting, which Restricted Mode keeps): if anything
  // ran a deploy, it would be recorded.
  const record = recordEnvironment();
  const server = await startCodeServer({ vsix, env: { ...demo.environment(), ...record }, settings: { ...QUIET_SETTINGS, ...STAND_IN_SETTINGS, ...NO_WALKTHROUGH }, workspaceTrust: true });
  const ran = () => (existsSync(record.HASHISTACK_RECORD_FILE!) ? readFileSync(record.HASHISTACK_RECORD_FILE!, 'utf8').trim() : '');
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shots = screenshotDir(REPO_ROOT);
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator(SELECTORS.workbench).waitFor({ timeout: 60_000 });
    const distrust = page.locator('.monaco-dialog-box .monaco-button', { hasText: "No, I don't trust the authors" });
    await distrust.waitFor({ timeout: 20_000 });
    await distrust.click();
    await page.keyboard.press('Control+P');
    await page.locator(SELECTORS.quickInput).fill('whoami.nomad');
    await page.locator(SELECTORS.quickInputRow, { hasText: 'whoami.nomad' }).first().waitFor();
    await page.keyboard.press('Enter');
    const restricted = page.locator('.monaco-editor .codelens-decoration a', { hasText: /Deploy, Plan and Bump need a trusted workspace/ });
    await restricted.first().waitFor({ timeout: 20_000 });
    for (const name of [/^\W*Deploy$/, /^\W*Plan$/, /Bump image/]) {
      if ((await page.locator('.monaco-editor .codelens-decoration a', { hasText: name }).count()) !== 0) throw new Error(`a ${name} lens is offered in Restricted Mode`);
    }
    await page.screenshot({ path: join(shots, 'restricted-mode.png') });
    // Try anyway: the lens that is there, then every deploy, plan and bump command of the palette.
    await restricted.first().click();
    await page.waitForTimeout(500);
    await page.keyboard.press('Escape');
    for (const title of ['Hashistack: Deploy This Job', 'Hashistack: Plan This Job', 'Hashistack: Deploy…', 'Hashistack: Bump Image Version…']) {
      await page.keyboard.press('Control+P');
      await page.locator(SELECTORS.quickInput).fill('whoami.nomad');
      await page.locator(SELECTORS.quickInputRow, { hasText: 'whoami.nomad' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.keyboard.press('F1');
      await page.locator(SELECTORS.quickInput).fill(`>${title}`);
      await page.waitForTimeout(400);
      // Disabled commands (enablement: isWorkspaceTrusted) are not offered; when one is, run it.
      const offered = await page.locator(SELECTORS.quickInputRow, { hasText: title }).count();
      if (offered > 0) {
        await page.locator(SELECTORS.quickInputRow, { hasText: title }).first().click();
        await page.waitForTimeout(800);
        console.log(`    (the palette offered "${title}"; running it changed nothing)`);
      }
      await page.keyboard.press('Escape');
    }
    // Every action that changes the cluster, from the palette: refused with words, and nothing reaches Nomad.
    demo.resetRequests();
    const writes = () => demo.requests.filter((r) => r.method !== 'GET' || r.path === '/v1/jobs/parse' || r.path === '/v1/validate/job').map((r) => `${r.method} ${r.path}`);
    for (const title of ['Promote Canaries', 'Fail Deployment', 'Revert Job to a Previous Version…', 'Restart Allocation…', 'Stop Allocation (Nomad Reschedules It)', 'Stop Job…', 'Scale Task Group…', 'Run Periodic Job Now', 'Dispatch Parameterized Job…']) {
      await page.keyboard.press('F1');
      await page.locator(SELECTORS.quickInput).fill(`>Hashistack: ${title}`);
      const row = page.locator(SELECTORS.quickInputRow, { hasText: title }).first();
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      const said = page.locator(SELECTORS.notification, { hasText: /is disabled in Restricted Mode: this workspace is not trusted/ });
      await said.first().waitFor({ timeout: 10_000 }).catch(() => {
        throw new Error(`"${title}" did not say that Restricted Mode disables it`);
      });
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await page.locator(SELECTORS.quickInput).fill('>Notifications: Clear All Notifications');
      await page.locator(SELECTORS.quickInputRow, { hasText: 'Clear All Notifications' }).first().click();
      await said.first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    }
    // Saving a jobspec does not send it to the cluster for validation.
    await page.locator('.tabs-container .tab', { hasText: 'whoami.nomad' }).first().click();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n');
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(1500);
    if (writes().length > 0) throw new Error(`requests sent to the cluster in Restricted Mode: ${writes().join(', ')}`);
    await page.waitForTimeout(500);
    if (ran()) throw new Error(`a deploy ran in Restricted Mode: ${ran()}`);
    if (existsSync(marker)) throw new Error("the repository's deploy command ran");
    if (!readFileSync(join(workspace, 'whoami.nomad'), 'utf8').includes('image = "traefik/whoami:v1.10.3"')) throw new Error('the jobspec changed (a bump ran?)');
    console.log('  ✔ untrusted: no Deploy/Plan/Bump lenses, a lens says why; the lens and the palette deploy, plan and bump nothing, every cluster action from the palette says why it is off and sends nothing, saving sends nothing to validate, and the workspace command never runs');
    return { passed: 1, failed: 0 };
  } catch (error) {
    const shot = join(shots, 'failed-restricted.png');
    await page.screenshot({ path: shot }).catch(() => undefined);
    console.log(`  ✘ Restricted Mode\n    ${String(error instanceof Error ? error.message : error)}\n    screenshot: ${shot}`);
    return { passed: 0, failed: 1 };
  } finally {
    await page.close();
    await server.stop();
  }
}

/**
 * The deploy loop as `npm start` offers it: a workspace holding a copy of platform/, the demo's stand-in
 * nomad CLI on the terminals' PATH, its own demo cluster (the rollouts change it), the .vsix installed.
 */
async function deployLoop(browser: Browser): Promise<{ passed: number; failed: number }> {
  console.log('\n# The deploy loop (code-server, .vsix, demo cluster and its stand-in nomad CLI, a copy of platform/)');
  const demo = await DemoCluster.start({ rolloutStepMs: 600 });
  const workspace = mkdtempSync(join(tmpdir(), 'hashistack-platform-'));
  cpSync(join(REPO_ROOT, 'platform'), workspace, { recursive: true });
  const standIn = join(REPO_ROOT, 'demo', 'bin');
  const server = await startCodeServer({
    vsix: vsixForTests(),
    env: { ...demo.environment(), PATH: `${standIn}${delimiter}${process.env.PATH ?? ''}` },
    settings: { ...QUIET_SETTINGS, ...NO_WALKTHROUGH, 'terminal.integrated.env.linux': { PATH: `${standIn}${delimiter}\${env:PATH}` } },
  });
  let result = { passed: 0, failed: 0 };
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator(SELECTORS.workbench).waitFor({ timeout: 60_000 });
    result = await runScenarios(page, DEPLOY_SCENARIOS, { workspace }, 'failed-deploy');
  } finally {
    await page.close();
    await server.stop();
    await demo.close();
  }
  console.log(`  ${result.passed} passing, ${result.failed} failing`);
  return result;
}

async function main(): Promise<void> {
  const demo = await DemoCluster.start({ controlPort: 0, extraServices: [HOSTILE_SERVICE] });
  awsDemo = await AwsDemo.start();
  const browser = await launchChromium();
  const totals = { passed: 0, failed: 0 };
  try {
    // HASHISTACK_E2E_STAGES=deployLoop,uiScenarios runs only those stages (while working on them).
    const only = process.env.HASHISTACK_E2E_STAGES?.split(',').filter(Boolean);
    for (const stage of [hostSuite, uiScenarios, restrictedMode, deployLoop].filter((candidate) => !only?.length || only.includes(candidate.name))) {
      const result = await stage(browser, demo);
      totals.passed += result.passed;
      totals.failed += result.failed;
      await demo.clearFaults();
    }
  } finally {
    await browser.close();
    await demo.close();
    await awsDemo.close();
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
