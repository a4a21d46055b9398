// The deploy loop in code-server, on the demo cluster with the demo's stand-in nomad CLI on the terminals'
// PATH, in a workspace that holds a copy of platform/: bump → Plan → Deploy (confirmed) → follow to the end.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { closeTab, runCommand, SELECTORS } from './workbench';

export interface DeployScenarioContext {
  /** The workspace folder (a copy of platform/). */
  workspace: string;
  screenshot(name: string): Promise<void>;
}

export interface DeployScenario {
  name: string;
  run(page: Page, context: DeployScenarioContext): Promise<void>;
}

const EDITOR_TEXT = '.editor-instance .monaco-editor .view-lines';
/** A rollout on the demo takes about ten steps; the follow, the notification and the lens need a little more. */
const ROLLOUT_TIMEOUT_MS = 60_000;

function lens(page: Page, title: RegExp) {
  return page.locator('.monaco-editor .codelens-decoration > a, .monaco-editor .codelens-decoration > span', { hasText: title });
}

async function openWhoami(page: Page): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator(SELECTORS.quickInput).fill('nomad/whoami.nomad');
  await page.locator(SELECTORS.quickInputRow, { hasText: 'whoami.nomad' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: 'whoami.nomad' }).first().waitFor();
}

/** Deploy from the lens and confirm the modal, which must name the cluster and summarise the plan. */
async function deployConfirmed(page: Page, summary: RegExp): Promise<string> {
  await lens(page, /Deploy$/).first().click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 20_000 });
  const text = (await dialog.textContent()) ?? '';
  assert.match(text, /Deploy whoami to "[^"]+" \(namespace default\)\?/);
  assert.match(text, summary);
  assert.match(text, /-check-index \d+/);
  await dialog.locator('.monaco-button', { hasText: /^Deploy$/ }).click();
  return text;
}

/** Opens the Get Started with Hashistack walkthrough from the palette, as Help › Welcome does. */
async function openWalkthrough(page: Page) {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator(SELECTORS.quickInputRow, { hasText: 'Get Started with Hashistack' }).first().click();
  const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get Started with Hashistack' });
  await walkthrough.waitFor({ timeout: 20_000 });
  return walkthrough;
}

/** Waits until a webview (the Markdown preview) shows `text` in an element matching `selector`. */
async function webviewContains(page: Page, selector: string, text: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector, { hasText: text }).count().catch(() => 0)) return;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview shows ${text} in ${selector}`);
}

function notification(page: Page, text: RegExp) {
  return page.locator(SELECTORS.notification, { hasText: text }).first();
}

/** Rewrites the jobspec on disk (the editor reloads a clean file), keeping the rest of it. */
function rewrite(workspace: string, change: (text: string) => string): void {
  const file = join(workspace, 'nomad', 'whoami.nomad');
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

async function closeNotifications(page: Page): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator(SELECTORS.quickInput).fill('>Notifications: Clear All Notifications');
  await page.locator(SELECTORS.quickInputRow, { hasText: 'Clear All Notifications' }).first().waitFor();
  await page.keyboard.press('Enter');
}

export const DEPLOY_SCENARIOS: DeployScenario[] = [
  {
    name: 'bump the patch version, Plan shows the tag change, Deploy confirms with the plan, the rollout is followed to successful and the lens shows the new version',
    async run(page, { screenshot }) {
      // A new user follows the walkthrough (this stage starts without it: the UI scenarios check the first
      // start). The workbench tracks its steps from the moment its walkthrough service exists.
      await openWalkthrough(page);
      await closeTab(page, 'Walkthrough');
      await openWhoami(page);
      await lens(page, /running v1\.10\.3 · 3\/3 healthy · file matches/).first().waitFor({ timeout: 30_000 });
      await lens(page, /Bump image \(v1\.10\.3\)$/).first().click();
      await page.locator(SELECTORS.quickInputRow, { hasText: 'v1.10.3 → v1.10.4' }).first().click();
      // The image line may be below the fold (the editor renders visible lines only): the lens says it.
      await lens(page, /file has v1\.10\.4 — not deployed/).first().waitFor({ timeout: 20_000 });
      await page.locator(EDITOR_TEXT).first().click();
      await page.keyboard.press('Control+S');
      await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
      await lens(page, /Plan$/).first().click();
      // The plan opens rendered: the Markdown preview beside the jobspec, its values in code spans.
      const plan = page.locator('.tabs-container .tab', { hasText: 'Preview Plan of whoami.md' });
      await plan.waitFor({ timeout: 20_000 });
      await webviewContains(page, 'code', 'traefik/whoami:v1.10.4');
      await webviewContains(page, 'body', 'Job Modify Index');
      await screenshot('plan');
      // Back to the jobspec's own group (Quick Open would open it again in the plan's group).
      await page.keyboard.press('Control+1');
      await openWhoami(page);
      await deployConfirmed(page, /1 canary, image v1\.10\.3 → v1\.10\.4/);
      await notification(page, /deploying job version 3 \(image v1\.10\.4\) · \d\/3 healthy/).waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await page.locator('.statusbar-item', { hasText: /whoami: deploying job version 3/ }).first().waitFor();
      await lens(page, /deploying job version 3 \(image v1\.10\.4\) · \d\/3 healthy/).first().waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await screenshot('rollout');
      await notification(page, /whoami job version 3 \(image v1\.10\.4\) on "[^"]+": successful, 3\/3 healthy\./).waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await lens(page, /running v1\.10\.4 · 3\/3 healthy · file matches/).first().waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await closeNotifications(page);
    },
  },
  {
    name: 'a bad tag reaches failed, named by its task event first (OOM), is rolled back by auto_revert, Restore the Running Tag puts v1.10.4 back in the file, and a revert to a version the same as the current one says so before anything is sent',
    async run(page, { workspace, screenshot }) {
      rewrite(workspace, (text) => text.replace('traefik/whoami:v1.10.4', 'traefik/whoami:v1.10.5-bad'));
      await openWhoami(page);
      await lens(page, /file has v1\.10\.5-bad — not deployed/).first().waitFor({ timeout: 20_000 });
      await deployConfirmed(page, /image v1\.10\.4 → v1\.10\.5-bad/);
      const failedText = /whoami job version 4 \(image v1\.10\.5-bad\) on "[^"]+": failed — Exit Code: 137 · OOM Killed \(allocation.*The deployment: Failed due to unhealthy allocations.*Rolled back to job version 3 \(auto_revert\)\./;
      const failed = notification(page, /whoami job version 4 \(image v1\.10\.5-bad\) on "[^"]+": failed — Exit Code: 137 · OOM Killed \(allocation.*The deployment: Failed due to unhealthy allocations.*Rolled back to job version 3 \(auto_revert\)\./);
      await failed.waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await screenshot('rollout-failed');
      // The rollback is version 5, with version 3's image: the lens says the file is not what runs.
      await lens(page, /running v1\.10\.4 .*file has v1\.10\.5-bad — not deployed/).first().waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await page.locator('.notifications-toasts .notification-list-item', { hasText: failedText }).first().locator('.monaco-button', { hasText: 'Restore the Running Tag' }).click();
      await lens(page, /running v1\.10\.4 · 3\/3 healthy · file matches/).first().waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      assert.match(readFileSync(join(workspace, 'nomad', 'whoami.nomad'), 'utf8'), /traefik\/whoami:v1\.10\.4"/, 'restored and saved');
      await closeNotifications(page);
      // Job version 5 (the rollback) is version 3 again: a revert to 3 would change nothing, and says so first.
      await runCommand(page, 'Hashistack: Revert Job to a Previous Version…');
      await page.locator(SELECTORS.quickInputRow, { hasText: 'whoami' }).first().click();
      await page.locator(SELECTORS.quickInputRow, { hasText: /^job version 3$/ }).first().click();
      const same = page.locator('.monaco-dialog-box', { hasText: /Job version 3 of whoami is the same as job version 5, which is current: revert anyway\?/ });
      await same.waitFor({ timeout: 10_000 });
      assert.match((await same.textContent()) ?? '', /the plan is empty/);
      await same.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    },
  },
  {
    name: 'a canary that is not auto-promoted waits; Promote Canaries on the notification promotes it after a confirmation, and the rollout ends successful',
    async run(page, { workspace }) {
      rewrite(workspace, (text) => text.replace('traefik/whoami:v1.10.4', 'traefik/whoami:v1.10.6').replace(/auto_promote\s*=\s*true/, 'auto_promote     = false'));
      await openWhoami(page);
      await lens(page, /file has v1\.10\.6 — not deployed/).first().waitFor({ timeout: 20_000 });
      await deployConfirmed(page, /image v1\.10\.4 → v1\.10\.6/);
      const waiting = page.locator('.notifications-toasts .notification-list-item', { hasText: /the canaries are healthy and wait for promotion/ }).first();
      await waiting.waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await lens(page, /canary waiting for promotion/).first().waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await waiting.locator('.monaco-button', { hasText: 'Promote Canaries' }).click();
      const dialog = page.locator('.monaco-dialog-box', { hasText: /Promote the canaries of whoami\?/ });
      await dialog.waitFor();
      assert.match((await dialog.textContent()) ?? '', /Cluster "[^"]+" · namespace default/);
      await dialog.locator('.monaco-button', { hasText: /^Promote$/ }).click();
      await notification(page, /whoami job version 6 \(image v1\.10\.6\) on "[^"]+": successful, 3\/3 healthy\./).waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
      await lens(page, /running v1\.10\.6 · 3\/3 healthy · file matches/).first().waitFor({ timeout: ROLLOUT_TIMEOUT_MS });
    },
  },
  {
    name: "the Get Started walkthrough's steps are done by doing them: a jobspec opened, a bump, a plan, a deploy, a job's logs",
    async run(page, { screenshot }) {
      await runCommand(page, 'Hashistack: Show Logs of All Allocations');
      await page.locator(SELECTORS.quickInputRow, { hasText: 'whoami' }).first().click();
      await page.locator('.tabs-container .tab', { hasText: 'all allocations.log' }).first().waitFor({ timeout: 20_000 });
      const walkthrough = await openWalkthrough(page);
      const done = (title: string) => walkthrough.locator('.getting-started-step', { has: page.locator('.codicon.complete') }).filter({ has: page.locator('.step-title', { hasText: new RegExp(`^${title}$`) }) });
      for (const step of ['Open a jobspec', 'Bump an image', 'Plan', 'Deploy', 'Read the logs', 'Connect a cluster']) await done(step).first().waitFor({ state: 'attached', timeout: 10_000 });
      await screenshot('walkthrough-done');
    },
  },
];
