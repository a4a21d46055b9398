// UI scenarios in code-server with the packaged .vsix installed as a user would, driven by Playwright.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Frame, Locator, Page } from 'playwright-core';
import { DemoCluster } from '../../demo/demoCluster';
import { DEMO_TOKENS } from '../../demo/demoAcl';
import { REPO_ROOT } from '../../demo/codeServer';
import { clickViewAction, closeTab, escapeRegExp, pane, row, rowDescription, runCommand, SELECTORS, setPaneExpanded } from './workbench';
import { until } from '../support/until';

export interface Scenario {
  name: string;
  run(page: Page, context: ScenarioContext): Promise<void>;
}

export interface ScenarioContext {
  demo: DemoCluster;
  /** The workspace folder on disk. */
  workspace?: string;
  /** Where the stand-ins (session-manager-plugin, nomad, terraform) record how they were started. */
  recordFile?: string;
  screenshot(name: string): Promise<void>;
}

/** Drags the side bar's edge so rows show their whole description (for the README screenshot). */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = box.x + box.width;
  await page.mouse.move(edge + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

async function openHashistack(page: Page): Promise<void> {
  const container = page.locator(SELECTORS.container('hashistack'));
  if (!(await container.isVisible())) {
    await page.click(SELECTORS.activityIcon('Hashistack'));
  }
  await container.waitFor();
}

/**
 * The frames of the Launcher webviews (webviews live in nested iframes) that show cards, widest first:
 * waits until there are `count` of them.
 */
async function launcherFrames(page: Page, count: number): Promise<Frame[]> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found: { frame: Frame; width: number }[] = [];
    for (const frame of page.frames()) {
      if (await frame.locator('article.card').count().catch(() => 0)) {
        found.push({ frame, width: Number(await frame.evaluate('window.innerWidth').catch(() => 0)) });
      }
    }
    if (found.length >= count) return found.sort((a, b) => b.width - a.width).map((entry) => entry.frame);
    await page.waitForTimeout(250);
  }
  throw new Error(`fewer than ${count} Launcher webviews showed cards`);
}

/**
 * Opens a workspace file by Quick Open, checked by its tab: a key press can land where focus was left (a terminal,
 * a hover), so Quick Open is opened again while it is not showing — but one that shows is left to finish its
 * search (on a busy machine it takes seconds; pressing again would only restart it). Enter is pressed only once
 * the file is the focused row: Quick Open first lists recently opened files, the file among them, and filters a
 * moment after the name is typed — an Enter before that opened whatever row had the focus (seen on a busy CI).
 */
async function openFile(page: Page, name: string): Promise<void> {
  const tab = page.locator('.tabs-container .tab.active', { hasText: name });
  const input = page.locator(SELECTORS.quickInput);
  await until(async () => {
    if ((await tab.count()) > 0) return true;
    if (!(await input.isVisible())) {
      await page.keyboard.press('Control+P');
      if (!(await input.waitFor({ timeout: 5_000 }).then(() => true, () => false))) return false;
    }
    if ((await input.inputValue()) !== name) await input.fill(name);
    const focused = page.locator(`${SELECTORS.quickInputRow}.focused`, { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
    if (!(await focused.first().waitFor({ timeout: 15_000 }).then(() => true, () => false))) return false;
    await page.keyboard.press('Enter');
    return tab.waitFor({ timeout: 10_000 }).then(() => true, () => false);
  }, `${name} open in an editor`, 60_000);
}

const EDITOR_TEXT = '.editor-instance .monaco-editor .view-lines';

/** Waits until the editor shows `text` (the page's own DOM, read in the page). */
async function editorContains(page: Page, text: string): Promise<void> {
  await page.locator(EDITOR_TEXT, { hasText: text }).first().waitFor({ timeout: 10_000 });
}

/** What the page behind the stand-in ssh tunnel answers (the runner serves it; the scenario reads it in the browser). */
export const BEHIND_TUNNEL_TEXT = 'whoami, reached through the tunnel';

/** A row's context menu item, taken with Enter over it (the workbench's menu items react to mouse-up only). */
async function contextMenu(page: Page, target: Locator, item: string): Promise<void> {
  await target.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-label', { hasText: item }).first();
  await entry.hover();
  await page.keyboard.press('Enter');
}

/** Opens a tree row's children (a click selects it, the arrow expands it), checked by the child that should show. */
async function expand(page: Page, target: Locator, child: Locator): Promise<void> {
  await until(async () => {
    if ((await child.count()) > 0) return true;
    if ((await target.getAttribute('aria-expanded')) !== 'true') {
      await target.click();
      await page.keyboard.press('ArrowRight');
    }
    return child.first().waitFor({ timeout: 2_000 }).then(() => true, () => false);
  }, 'a row opened', 20_000);
}

/** Takes the quick pick's item named `name` (filtered to it, then Enter), once the pick shows it. */
async function pick(page: Page, name: string): Promise<void> {
  await page.locator(SELECTORS.quickInputRow, { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.locator(SELECTORS.quickInput).fill(name);
  await page.locator(SELECTORS.quickInputRow, { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The Done-when walk of issue #26: everything by menus, picks and buttons, nothing typed but list filters. */
export const INSIDE_ALLOCATION_SCENARIO: Scenario = {
  name: "inside running allocations with no command typed: a rendered config opened in an editor, an http port forwarded and opened in the browser, an action run and its output read",
  async run(page, { screenshot }) {
    await openHashistack(page);
    for (const view of ['Consul', 'Traefik', 'AWS']) await setPaneExpanded(page, view, false);
    await setPaneExpanded(page, 'Nomad', true);
    const nomad = pane(page, 'Nomad');
    const allocationRows = nomad.locator(SELECTORS.row, { has: page.locator(SELECTORS.description, { hasText: /^running · hashi-server-/ }) });
    const openJob = async (job: string) => {
      await clickViewAction(page, 'Nomad', 'Collapse All');
      await row(nomad, 'Jobs').waitFor({ timeout: 20_000 });
      await expand(page, row(nomad, 'Jobs'), row(nomad, job));
      await expand(page, row(nomad, job), allocationRows);
      return allocationRows.first();
    };

    // 1. Traefik's rendered configuration, from its allocation's Browse Files, walked in quick picks.
    const traefikAllocation = await openJob('traefik');
    await contextMenu(page, traefikAllocation, 'Browse Files');
    await pick(page, 'Walk its files here');
    for (const step of ['traefik', 'local', 'traefik.yaml']) await pick(page, step);
    await page.locator('.tabs-container .tab.active', { hasText: 'traefik.yaml' }).waitFor({ timeout: 15_000 });
    await editorContains(page, 'consulCatalog');

    // 2. whoami's http port on localhost, through the (stand-in) SSH tunnel, opened in the browser.
    const whoamiAllocation = await openJob('whoami');
    await contextMenu(page, whoamiAllocation, 'Forward Port…');
    // The local port proposed is the same number (Enter takes it).
    await page.locator(SELECTORS.quickInput).waitFor();
    await page.keyboard.press('Enter');
    const said = page.locator(SELECTORS.notification, { hasText: /reaches http of whoami [0-9a-f]{8} \(10\.0\.\d+\.\d+:\d+\), through an SSH tunnel \(ubuntu@203\.0\.113\.20\)/ }).first();
    await said.waitFor({ timeout: 20_000 });
    const popup = page.context().waitForEvent('page', { timeout: 20_000 });
    popup.catch(() => undefined);
    await page.locator('.notifications-toasts .monaco-button', { hasText: /^Open in Browser$/ }).first().click({ timeout: 10_000 });
    // code-server opens localhost through its own proxy (/proxy/<port>/); were it to ask first, the answer is Open.
    const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ });
    const opened = await Promise.race([popup, confirm.waitFor({ timeout: 20_000 }).then(() => confirm.click()).then(() => popup)]);
    await until(async () => ((await opened.textContent('body').catch(() => '')) ?? '').includes(BEHIND_TUNNEL_TEXT) || (await opened.reload().then(() => false, () => false)), 'the forwarded page in the browser', 20_000);
    await opened.close();
    await row(nomad, 'Forwarded Ports').waitFor({ timeout: 10_000 });

    // 3. Traefik's "version" action, from its row under the allocation's task, read in its terminal.
    const traefikAgain = await openJob('traefik');
    await expand(page, traefikAgain, row(nomad, 'traefik').nth(1));
    const task = row(nomad, 'traefik').nth(1);
    await expand(page, task, row(nomad, 'version'));
    const version = row(nomad, 'version');
    await version.hover();
    await version.locator('a.action-label[aria-label="Run Action…"]').click();
    const dialog = page.locator('.monaco-dialog-box', { hasText: /Run action "version" in allocation [0-9a-f]{8}/ });
    await dialog.waitFor({ timeout: 10_000 });
    assert.match((await dialog.textContent()) ?? '', /Cluster "[^"]+" · namespace default[\s\S]*Task traefik runs: traefik version/);
    await dialog.locator('.monaco-button', { hasText: /^Run$/ }).click();
    const terminal = page.locator('.terminal-wrapper.active .xterm-rows');
    await terminal.filter({ hasText: /exited with code 0/ }).first().waitFor({ timeout: 20_000 });
    assert.match((await terminal.first().textContent()) ?? '', /Version:\s+3\.5\.3/);
    await screenshot('action-output');
  },
};

/** The Done-when walk of issue #27: an ECS service's logs, events, a shell in its task and a session on a node. */
export const ECS_SCENARIO: Scenario = {
  name: "ECS on par with Nomad, with no command typed: a service's CloudWatch logs tail in an editor, its events explain a failed placement at the ecs-*.tf memory line, Open Shell on a task and Start Session on a node reach the session-manager-plugin with the right arguments",
  async run(page, { screenshot, recordFile, workspace }) {
    // The platform's ecs-gallery.tf in the workspace, as in a user's checkout of it (the workspace's own fixture
    // declares the gallery as a module only): the events link into it.
    if (workspace) cpSync(join(REPO_ROOT, 'platform', 'terraform', 'ecs-gallery.tf'), join(workspace, 'infra', 'ecs-gallery.tf'));
    await openHashistack(page);
    for (const view of ['Consul', 'Nomad', 'Traefik']) await setPaneExpanded(page, view, false);
    await setPaneExpanded(page, 'AWS', true);
    const aws = pane(page, 'AWS');
    const gallery = row(aws, 'gallery');
    await gallery.waitFor({ timeout: 20_000 });

    // 1. The service's logs: the last minutes, then Live Tail, each line with its time, task and container.
    await contextMenu(page, gallery, 'Show Logs (CloudWatch Logs)');
    await page.locator('.tabs-container .tab.active', { hasText: 'all tasks.log' }).waitFor({ timeout: 15_000 });
    await editorContains(page, '5f1c0e8a gallery │ 10.0.101.');
    await screenshot('ecs-logs');

    // 2. Its events: the placement that found no room opens the service's ecs-*.tf at the task definition's memory.
    await expand(page, gallery, row(aws, 'Events'));
    const placement = aws.locator(SELECTORS.row, { hasText: 'was unable to place a task' });
    await expand(page, row(aws, 'Events'), placement);
    await placement.first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'ecs-gallery.tf' }).waitFor({ timeout: 15_000 });
    // The cursor is on the memory line: the editor's current-line highlight is level with it.
    const memoryLine = page.locator('.editor-instance .monaco-editor .view-line', { hasText: /^\s*memory\s*=/ }).first();
    await memoryLine.waitFor({ timeout: 10_000 });
    await until(async () => {
      const [line, current] = await Promise.all([memoryLine.boundingBox(), page.locator('.editor-instance .monaco-editor .view-overlays .current-line').first().boundingBox()]);
      return line && current && Math.abs(line.y - current.y) < 2;
    }, 'the cursor on the memory line of ecs-gallery.tf');

    // 3. A shell in its running task (ECS Exec) and a session on a node (SSM), both through the plugin.
    const sessions = () => (recordFile && existsSync(recordFile) ? readFileSync(recordFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { tool?: string; args: string[]; sessionFromEnvironment: boolean }).filter((line) => line.tool === 'session-manager-plugin') : []);
    const before = sessions().length;
    const task = aws.locator(SELECTORS.row, { has: page.locator(SELECTORS.description, { hasText: /^running · healthy · 10\.0\.101\.23/ }) }).first();
    await task.waitFor({ timeout: 15_000 });
    await contextMenu(page, task, 'Open Shell in Container (ECS Exec)');
    const terminal = page.locator('.terminal-wrapper.active .xterm-rows');
    await terminal.filter({ hasText: 'Starting session with SessionId: ecs-execute-command-0a1b2c3d4e5f' }).first().waitFor({ timeout: 20_000 });
    await contextMenu(page, row(aws, 'hashi-server-a'), 'Start Session');
    await terminal.filter({ hasText: /Starting session with SessionId: demo-user-0a1b2c3d4e5fa/ }).first().waitFor({ timeout: 20_000 });
    const started = await until(() => (sessions().length >= before + 2 ? sessions().slice(before) : undefined), 'the plugin recorded both sessions', 10_000);
    assert.deepEqual(started.map((session) => [session.args[1], session.args[2], session.args[4], session.sessionFromEnvironment]), [
      ['eu-west-1', 'StartSession', '{"Target":"ecs:hashistack_5f1c0e8a9b7d4c3e8f2a1b0c9d8e7f60_5f1c0e8a9b7d4c3e8f2a1b0c9d8e7f60-2531612879"}', true],
      ['eu-west-1', 'StartSession', '{"Target":"i-0hashi00000000a"}', true],
    ]);
    await screenshot('ecs-session');
  },
};

/** The Done-when walk of issue #25: a new user with a read-only token on the demo with ACLs on. */
export const READ_ONLY_TOKEN_SCENARIO: Scenario = {
  name: 'with a read-only token (the demo with ACLs on): Restart and Open Shell are not offered, the Deploy lens and the Token row say which capability would enable them, and nothing refused is sent',
  async run(page, { demo, screenshot }) {
    await demo.setAcl(true);
    try {
      // Focus in the workbench (not in a webview that would keep F1), then, as a user sets a token: the palette's
      // Set Nomad Token, the secret typed into its password box.
      await openHashistack(page);
      for (const [command, secret] of [['Hashistack: Set Nomad Token…', DEMO_TOKENS.readonly.nomad], ['Hashistack: Set Consul Token…', DEMO_TOKENS.readonly.consul]] as const) {
        await runCommand(page, command);
        const box = page.locator('.quick-input-widget input[type="password"]');
        await box.waitFor();
        await box.fill(secret);
        await page.keyboard.press('Enter');
        await box.waitFor({ state: 'hidden' });
      }
      await openHashistack(page);
      for (const view of ['Consul', 'Traefik', 'AWS']) await setPaneExpanded(page, view, false);
      await setPaneExpanded(page, 'Nomad', true);
      const nomad = pane(page, 'Nomad');
      const tokenRow = row(nomad, 'Token: Read-only');
      await tokenRow.waitFor({ timeout: 20_000 });
      demo.resetRequests();
      await clickViewAction(page, 'Nomad', 'Collapse All');
      await expand(page, row(nomad, 'Jobs'), row(nomad, 'whoami'));
      const allocationRows = nomad.locator(SELECTORS.row, { has: page.locator(SELECTORS.description, { hasText: /^running · hashi-server-/ }) });
      await expand(page, row(nomad, 'whoami'), allocationRows);
      // The allocation's menu: what a read-only token may not do is not there.
      await allocationRows.first().click({ button: 'right' });
      const menu = page.locator('.monaco-menu .action-label');
      await menu.first().waitFor();
      const items = (await menu.allTextContents()).map((text) => text.trim()).filter(Boolean);
      await page.keyboard.press('Escape');
      for (const absent of ['Restart Allocation…', 'Stop Allocation…', 'Open Shell in Task (nomad alloc exec)', 'Show Logs', 'Browse Files']) assert.ok(!items.includes(absent), `"${absent}" is not offered: ${items.join(' | ')}`);
      assert.ok(items.includes('Copy ID') && items.includes('Forward Port…'), `the menu still offers what needs no capability: ${items.join(' | ')}`);
      // Where the user looks: the Token row's tooltip names each absent action's capability.
      await tokenRow.hover();
      const hover = page.locator('.monaco-hover, .custom-hover, .workbench-hover', { hasText: 'lacks:' }).first();
      await hover.waitFor({ timeout: 10_000 });
      assert.match((await hover.textContent()) ?? '', /Restart and Stop Allocation \(alloc-lifecycle\)/);
      await page.mouse.move(0, 0);
      // The jobspec's lenses say it too, and send nothing. (Keys go where focus is: an editor, not a terminal a
      // scenario before left focused.)
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await openFile(page, 'whoami.nomad');
      const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'Deploy — token lacks submit-job in "default"' }).first();
      await lens.waitFor({ timeout: 20_000 });
      await lens.locator('span, a').first().click();
      await screenshot('read-only-token');
      // Opening the jobspec validates it (POST /v1/jobs/parse and /v1/validate/job need only parse-job and read-job,
      // which the token has); nothing that changes the cluster went out.
      const READS_BY_POST = new Set(['/v1/jobs/parse', '/v1/validate/job']);
      const writes = demo.requests.filter((request) => (request.method !== 'GET' && !READS_BY_POST.has(request.path)) || request.path.endsWith('/action'));
      assert.deepEqual(writes.map((request) => `${request.method} ${request.path}`), [], 'nothing refused was sent');
      const refused = demo.requests.filter((request) => request.product === 'nomad' && !request.path.startsWith('/v1/acl/'));
      assert.ok(refused.length > 0, 'the reads went on');
    } finally {
      await runCommand(page, 'Hashistack: Forget Tokens of the Active Cluster');
      await demo.setAcl(false);
      await closeTab(page, 'whoami.nomad').catch(() => undefined);
    }
  },
};

export const SCENARIOS: Scenario[] = [
  {
    name: 'on the first start, the Get Started walkthrough opens beside the Hashistack view, its first step done on the demo',
    async run(page, { screenshot }) {
      const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get Started with Hashistack' });
      await walkthrough.waitFor({ timeout: 30_000 });
      for (const step of ['Connect a cluster', 'Open the cluster explorer', 'Open a jobspec', 'Bump an image', 'Plan', 'Deploy', 'Read the logs']) {
        await walkthrough.locator('.getting-started-step .step-title', { hasText: new RegExp(`^${step}$`) }).first().waitFor();
      }
      await page.locator(SELECTORS.container('hashistack')).waitFor();
      // The demo answers: "Connect a cluster" completes by itself (hashistack.clusterConnected).
      // A done step's check mark is a codicon with the class "complete" (the workbench's gettingStarted view).
      const done = (title: string) => walkthrough.locator('.getting-started-step', { has: page.locator('.codicon.complete') }).filter({ has: page.locator('.step-title', { hasText: new RegExp(`^${title}$`) }) });
      await done('Connect a cluster').first().waitFor({ timeout: 30_000 });
      // The Hashistack view was opened with it: that step is done too.
      await done('Open the cluster explorer').first().waitFor({ timeout: 30_000 });
      await screenshot('walkthrough');
      await closeTab(page, 'Walkthrough');
    },
  },
  {
    name: 'the Hashistack view shows services with health, jobs with allocations and routers with rules',
    async run(page, { screenshot }) {
      await openHashistack(page);
      const whoamiService = row(pane(page, 'Consul'), 'whoami');
      await whoamiService.waitFor({ timeout: 20_000 });
      assert.equal(await rowDescription(whoamiService), '2 passing · 1 critical');

      const whoamiJob = row(pane(page, 'Nomad'), 'whoami');
      await whoamiJob.waitFor();
      assert.match(await rowDescription(whoamiJob), /^service · running · v2/);
      await whoamiJob.click();
      await page.keyboard.press('ArrowRight');
      const deployment = pane(page, 'Nomad').locator(SELECTORS.row, { hasText: /^Deployment / });
      await deployment.first().waitFor();
      assert.match(await rowDescription(deployment.first()), /^successful · 3\/3 healthy/);
      const allocations = pane(page, 'Nomad').locator(SELECTORS.row, { has: page.locator(SELECTORS.description, { hasText: /hashi-server-/ }) });
      await allocations.nth(2).waitFor();
      assert.equal(await allocations.count(), 3);

      const gallery = row(pane(page, 'Traefik'), 'gallery@consulcatalog');
      await gallery.waitFor();
      assert.equal(await rowDescription(gallery), 'Host(`gallery.example.com`)');
      // The demo as it is: its AWS side too (nodes, Elastic IPs, the gallery on ECS).
      await setPaneExpanded(page, 'AWS', true);
      await row(pane(page, 'AWS'), 'Nodes').first().waitFor({ timeout: 20_000 });
      await widenSideBar(page, 560);
      await screenshot('explorer');
    },
  },
  {
    name: 'a jobspec shows Deploy, Plan, Bump and the running status; the Bump lens bumps, one undo reverts',
    async run(page, { screenshot }) {
      await openFile(page, 'whoami.nomad');
      // Lenses with a command are links; the status lens (no command) is plain text.
      const lens = (title: RegExp) => page.locator('.monaco-editor .codelens-decoration > a, .monaco-editor .codelens-decoration > span', { hasText: title });
      await lens(/Deploy$/).first().waitFor({ timeout: 20_000 });
      await lens(/Plan$/).first().waitFor();
      await lens(/running v1\.10\.3 · 3\/3 healthy · file matches/).first().waitFor({ timeout: 20_000 });
      await screenshot('lenses');
      await lens(/Bump image \(v1\.10\.3\)$/).first().click();
      await page.locator(SELECTORS.quickInputRow, { hasText: 'v1.10.3 → v1.10.4' }).first().click();
      const text = page.locator(EDITOR_TEXT).first();
      await editorContains(page, 'whoami:v1.10.4');
      await lens(/file has v1\.10\.4 — not deployed/).first().waitFor();
      await page.locator(EDITOR_TEXT).first().click();
      await page.keyboard.press('Control+Z');
      await editorContains(page, 'whoami:v1.10.3');
      assert.ok(!(await text.textContent())?.includes('v1.10.4'));
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'a .nomad file opens in the nomad language, coloured by the grammar and the semantic tokens',
    async run(page, { screenshot }) {
      await openFile(page, 'whoami.nomad');
      await page.locator('.statusbar-item', { hasText: 'Nomad Jobspec' }).first().waitFor({ timeout: 15_000 });
      await editorContains(page, 'job "whoami"');
      // Each token colour is a class (mtk1, mtk2…): a coloured file has several of them on screen.
      const classes = await page.locator(`${EDITOR_TEXT} span[class^="mtk"]`).evaluateAll((spans) => [...new Set(spans.map((span) => span.className))]);
      assert.ok(classes.length >= 5, `token colours on screen: ${classes.join(' ')}`);
      await screenshot('language');
    },
  },
  {
    name: 'a deploy whose program is missing: the terminal shows it and a notification says what to change',
    async run(page, { screenshot }) {
      // The runner sets hashistack.deploy.ecsCommand to a program that does not exist. (The terminal,
      // drawn on a canvas, shows the shell's "command not found"; the screenshot keeps it.)
      await openFile(page, 'ecs-gallery.tf');
      const deploy = page.locator('.monaco-editor .codelens-decoration > a', { hasText: /Deploy$/ }).first();
      await deploy.waitFor({ timeout: 20_000 });
      await deploy.click();
      const notification = page.locator(SELECTORS.notification, { hasText: /"hashistack-missing-terraform" was not found or is not executable/ });
      await notification.first().waitFor({ timeout: 15_000 });
      await screenshot('missing-cli');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'the Launcher shows a card per launcher service; Open opens its URL; hostile tags stay inert text',
    async run(page, { screenshot }) {
      await openHashistack(page);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      // The view in the Hashistack side bar (collapsed at first) shows the cards…
      await pane(page, 'Launcher').locator('.pane-header').click();
      await launcherFrames(page, 1);
      // …and so does the editor panel (the wider of the two), where there is room to look at them.
      await runCommand(page, 'Hashistack: Open Launcher');
      const frame = (await launcherFrames(page, 2))[0]!;
      const card = (name: string) => frame.locator('article.card', { has: frame.locator('.card-name', { hasText: name }) });
      await card('Who am I').waitFor();
      await card('Gallery').waitFor();
      assert.match((await card('Who am I').locator('.card-meta').textContent()) ?? '', /Nomad job whoami · https:\/\/whoami\.example\.com/);
      assert.equal((await card('Who am I').locator('vscode-badge').textContent())?.trim(), '2/3 passing');

      // Hostile tags: shown as the literal text, no element made from them, no link.
      const hostile = card('<img src=x onerror=');
      await hostile.waitFor();
      assert.equal(await frame.locator('article.card img, article.card script').count(), 0, 'no element was made from tag text');
      assert.equal((await hostile.locator('.card-description').textContent())?.trim(), "<script>document.title='pwned'</script>");
      assert.equal(await hostile.locator('vscode-button.open[disabled]').count(), 1, 'no URL: its Open button is disabled');
      const warnings = await hostile.locator('.card-warning').allTextContents();
      assert.ok(warnings.some((text) => text.includes('is not a DNS name')), `warnings on the hostile card: ${warnings.join(' | ')}`);
      assert.notEqual(await frame.evaluate('document.title'), 'pwned');
      // The page's real policy, and what it does: markup that got in (as if a tag escaped) cannot run script.
      const policy = (await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
      assert.match(policy, /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]+';/);
      assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|(^|\s)\*(\s|;|$)/);
      await frame.evaluate(() => {
        const injected = document.createElement('script');
        injected.textContent = "document.title = 'pwned-inline'";
        document.body.append(injected);
        const handler = document.createElement('img');
        handler.setAttribute('onerror', "document.title = 'pwned-handler'");
        handler.setAttribute('src', 'x:broken');
        document.body.append(handler);
      });
      await page.waitForTimeout(300);
      assert.ok(!String(await frame.evaluate('document.title')).startsWith('pwned'), 'an injected inline script or handler does not run');
      await screenshot('launcher');

      // Open: the extension opens the URL it built (code-server asks first, then opens a new tab).
      // The browser is offline: answer the service's address here, so the new tab lands on it.
      await page.context().route('https://whoami.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'whoami' }));
      const popup = page.context().waitForEvent('page', { timeout: 15_000 });
      await card('Who am I').locator('vscode-button.open').click();
      // code-server asks before opening an external site, naming it: the URL the extension built.
      const confirm = page.locator('.monaco-dialog-box', { hasText: 'https://whoami.example.com/' });
      await confirm.waitFor({ timeout: 10_000 });
      await confirm.locator('.monaco-button', { hasText: /^Open$/ }).click();
      const opened = await popup;
      await opened.waitForURL(/^https:\/\/whoami\.example\.com\/?$/, { timeout: 15_000 });
      await opened.close();
      assert.deepEqual(dialogs, [], 'nothing from the cluster ran (no alert)');
      await pane(page, 'Launcher').locator('.pane-header').click();
      await page.keyboard.press('Control+W');
    },
  },
  {
    name: 'the status bar names the active cluster and Select Cluster lists it',
    async run(page) {
      const item = page.locator('.statusbar-item', { hasText: 'Environment' });
      await item.first().waitFor();
      await runCommand(page, 'Hashistack: Select Cluster…');
      await page.locator(SELECTORS.quickInputRow, { hasText: 'Environment' }).first().waitFor();
      await page.locator(SELECTORS.quickInputRow, { hasText: 'Configure Clusters' }).first().waitFor();
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Refresh Nomad asks Nomad again, and only Nomad',
    async run(page, { demo }) {
      await openHashistack(page);
      await row(pane(page, 'Nomad'), 'Jobs').waitFor();
      demo.resetRequests();
      await clickViewAction(page, 'Nomad', 'Refresh Nomad');
      const deadline = Date.now() + 10_000;
      // A refresh reads the lists again (the open evaluations among them) and reopens the event stream from their index.
      while (!demo.requests.some((r) => r.path === '/v1/event/stream') && Date.now() < deadline) {
        await page.waitForTimeout(100);
      }
      await page.waitForTimeout(300);
      // Traefik, polled every 5 s while its view is visible, is not part of the refresh: leave its polls out.
      const refreshed = demo.requests.filter((r) => r.product !== 'traefik');
      assert.deepEqual([...new Set(refreshed.map((r) => r.product))], ['nomad'], 'no Consul request');
      // The five lists read once (no index), the stream, what the token may do (the ACLs may have changed too),
      // and beside them the held reconciliation queries (with an index) on the two lists Nomad garbage-collects
      // without an event.
      const reads = refreshed.filter((r) => !r.query.has('index') || r.path === '/v1/event/stream');
      assert.deepEqual(reads.map((r) => r.path).sort(), ['/v1/acl/token/self', '/v1/allocations', '/v1/deployments', '/v1/evaluations', '/v1/event/stream', '/v1/jobs', '/v1/nodes']);
      const held = refreshed.filter((r) => r.query.has('index') && r.path !== '/v1/event/stream');
      assert.ok(held.every((r) => r.path === '/v1/allocations' || r.path === '/v1/deployments'), held.map((r) => r.path).join(', '));
      const stream = demo.requests.find((r) => r.path === '/v1/event/stream')!;
      assert.ok(Number(stream.query.get('index')) > 0, 'the stream starts after the lists just read');
    },
  },
  {
    name: 'Nomad down: a stale row says since when and why over the jobs it last saw; Consul and Traefik still show; Retry brings it back',
    async run(page, { demo, screenshot }) {
      await openHashistack(page);
      await row(pane(page, 'Nomad'), 'Jobs').waitFor();
      await demo.setFault('nomad', { kind: 'refused' });
      try {
        // No click: the broken event stream is enough.
        const staleRow = pane(page, 'Nomad').locator(SELECTORS.row, { has: page.locator(SELECTORS.label, { hasText: /^Nomad: stale since \d\d:\d\d:\d\d — (connection closed by the server|connection refused)$/ }) });
        await staleRow.waitFor({ timeout: 15_000 });
        assert.equal(await row(pane(page, 'Nomad'), 'Jobs').count(), 1, 'the jobs stay visible');
        await row(pane(page, 'Consul'), 'whoami').waitFor();
        await row(pane(page, 'Traefik'), 'gallery@consulcatalog').waitFor();
        await screenshot('nomad-down');
      } finally {
        await demo.setFault('nomad', undefined);
      }
      const stale = pane(page, 'Nomad').locator(SELECTORS.row, { has: page.locator(SELECTORS.label, { hasText: /^Nomad: stale since/ }) });
      // The section's backoff may bring Nomad back by itself in the moment since the fault was cleared: then
      // there is no Retry left to click. Otherwise Retry, on the row's own action (a hover tooltip over the tree
      // must not take the click), brings it back.
      if ((await stale.count()) > 0) {
        await stale.hover();
        await stale
          .locator('a.action-label[aria-label="Retry"]')
          .click({ timeout: 5_000, force: true })
          .catch(async (error: unknown) => {
            if ((await stale.count()) > 0) throw error;
          });
      }
      await stale.waitFor({ state: 'detached', timeout: 15_000 });
      await row(pane(page, 'Nomad'), 'Jobs').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: "an allocation's context menu restarts it after a modal that names the cluster and namespace, the demo gets the request, and the notification ends with the task running again; a job's Versions list its versions",
    async run(page, { demo }) {
      await openHashistack(page);
      const nomad = pane(page, 'Nomad');
      const whoamiJob = row(nomad, 'whoami');
      await whoamiJob.waitFor({ timeout: 20_000 });
      const versions = row(nomad, 'Versions');
      if (!(await versions.first().isVisible())) {
        await whoamiJob.click();
        await page.keyboard.press('ArrowRight');
      }
      await versions.first().click();
      await page.keyboard.press('ArrowRight');
      await nomad.locator(SELECTORS.row, { has: page.locator(SELECTORS.label, { hasText: /^v2 \(current\)$/ }) }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('ArrowLeft');
      const running = nomad.locator(SELECTORS.row, { has: page.locator(SELECTORS.description, { hasText: /^running · hashi-server-a/ }) }).first();
      await running.waitFor();
      const id = ((await running.locator(SELECTORS.label).textContent()) ?? '').trim();
      await running.click({ button: 'right' });
      // The workbench's context menu acts on Enter over the focused item (its items react to mouse-up only).
      const item = page.locator('.monaco-menu .action-label', { hasText: 'Restart Allocation…' }).first();
      await item.hover();
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box', { hasText: new RegExp(`Restart every task of allocation ${id}`) });
      await dialog.waitFor({ timeout: 10_000 });
      assert.match((await dialog.textContent()) ?? '', /Cluster "[^"]+" · namespace default/);
      await dialog.locator('.monaco-button', { hasText: /^Restart$/ }).click();
      const deadline = Date.now() + 10_000;
      while (!demo.requests.some((request) => request.method === 'POST' && request.path.startsWith(`/v1/client/allocation/${id}`) && request.path.endsWith('/restart'))) {
        if (Date.now() > deadline) throw new Error('the demo got no restart request');
        await page.waitForTimeout(100);
      }
      // The notification follows the restart to its end: the task runs again.
      await page.locator('.notifications-toasts .notification-list-item-message', { hasText: new RegExp(`${id} \\(whoami\\) restarted: task "whoami" runs again\\.`) }).first().waitFor({ timeout: 20_000 });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'the AWS section shows the nodes with their Elastic IPs and Nomad nodes, and the ECS services',
    async run(page, { screenshot }) {
      await openHashistack(page);
      // Make room: fold the Consul, Nomad and Traefik views, open the AWS one. (Last scenario: the layout stays so.)
      for (const view of ['Consul', 'Nomad', 'Traefik']) await setPaneExpanded(page, view, false);
      await setPaneExpanded(page, 'AWS', true);
      const aws = pane(page, 'AWS');
      const server = row(aws, 'hashi-server-a');
      await server.waitFor({ timeout: 20_000 });
      assert.match(await rowDescription(server), /EIP 198\.51\.100\.10 · Nomad ready$/);
      const gallery = row(aws, 'gallery');
      await gallery.waitFor();
      assert.match(await rowDescription(gallery), /^1\/1 running · FARGATE · gallery:\d+ · completed$/);
      await screenshot('aws');
    },
  },
  {
    name: 'Attach Elastic IPs confirms the pairing in a modal, attaches the free address, and a second run has nothing to do',
    async run(page) {
      await openHashistack(page);
      const aws = pane(page, 'AWS');
      await row(aws, 'hashi-server-b').waitFor({ timeout: 20_000 });
      const palette = async () => {
        await page.keyboard.press('F1');
        await page.locator(SELECTORS.quickInput).fill(">Hashistack: Attach Elastic IPs to the Cluster's Nodes");
        await page.locator(SELECTORS.quickInputRow, { hasText: "Attach Elastic IPs to the Cluster's Nodes" }).first().click();
      };
      await palette();
      const dialog = page.locator('.monaco-dialog-box', { hasText: /Attach 1 Elastic IP in / });
      await dialog.waitFor({ timeout: 15_000 });
      assert.match((await dialog.textContent()) ?? '', /198\.51\.100\.11 → .*i-0hashi00000000b/);
      await dialog.locator('.monaco-button', { hasText: /^Attach$/ }).click();
      await page.locator(SELECTORS.notification, { hasText: /attached 198\.51\.100\.11/ }).first().waitFor({ timeout: 15_000 });
      await row(aws, 'hashi-server-b').locator(SELECTORS.description, { hasText: /EIP 198\.51\.100\.11/ }).waitFor({ timeout: 15_000 });
      await palette();
      await page.locator(SELECTORS.notification, { hasText: /nothing to attach: / }).first().waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no modal when there is nothing to do');
    },
  },
  {
    name: "a Consul key opens from the explorer as a document; a save changes the demo's value; a save over someone else's change is refused with nothing lost",
    async run(page, { demo, screenshot }) {
      await openHashistack(page);
      // The Consul view alone has the room: its Key/Value folder is below the services and nodes.
      for (const view of ['AWS', 'Nomad', 'Traefik']) await setPaneExpanded(page, view, false);
      await setPaneExpanded(page, 'Consul', true);
      const consul = pane(page, 'Consul');
      for (const folder of ['Key/Value', 'config']) {
        await row(consul, folder).waitFor({ timeout: 20_000 });
        await row(consul, folder).click();
      }
      // A service is called whoami too: the folder is the second row of that name, once config's rows are in.
      // Rows are redrawn as each folder's listing arrives, so a click can land on a row that just moved: each step
      // is checked by what it should have done, and taken again until it has.
      await until(async () => (await row(consul, 'whoami').count()) === 2, "config's folders under Key/Value", 20_000);
      const kvWhoami = row(consul, 'whoami').nth(1);
      await until(async () => {
        if ((await row(consul, 'greeting').count()) > 0) return true;
        if ((await kvWhoami.getAttribute('aria-expanded')) !== 'true') await kvWhoami.click();
        return false;
      }, 'the whoami folder of Key/Value open', 20_000);
      const greetingTab = page.locator('.tabs-container .tab.active', { hasText: 'greeting' });
      await until(async () => {
        if ((await greetingTab.count()) > 0) return true;
        await row(consul, 'greeting').click();
        return greetingTab.waitFor({ timeout: 2_000 }).then(() => true, () => false);
      }, 'the key greeting open in an editor', 20_000);
      await editorContains(page, 'Hello from Consul KV');
      const replaceAll = async (text: string) => {
        await page.locator('.editor-instance .monaco-editor textarea').first().focus();
        await page.keyboard.press('Control+A');
        await page.keyboard.type(text);
      };
      await replaceAll('Bonjour');
      await page.keyboard.press('Control+S');
      await until(() => demo.configData.keyValue('config/whoami/greeting')?.toString() === 'Bonjour', 'the demo to hold the saved value');
      // Someone else writes it; the next save must not overwrite them.
      await replaceAll('Mine');
      demo.configData.setKey('config/whoami/greeting', 'Theirs');
      await page.keyboard.press('Control+S');
      await page.locator(SELECTORS.notification, { hasText: /content of the file is newer|changed on "[^"]+" since you opened it/ }).first().waitFor({ timeout: 15_000 });
      assert.equal(demo.configData.keyValue('config/whoami/greeting')?.toString(), 'Theirs', 'their value stays');
      await editorContains(page, 'Mine');
      assert.equal(await page.locator('.tabs-container .tab.active.dirty').count(), 1, 'the text is still the user\'s, unsaved');
      await screenshot('kv-conflict');
      // Leave the demo's key as the scenario had it.
      await page.keyboard.press('Escape');
      await runCommand(page, 'File: Revert File');
      demo.configData.setKey('config/whoami/greeting', 'Hello from Consul KV');
    },
  },
  INSIDE_ALLOCATION_SCENARIO,
  // Before the read-only walk: that one ends by forgetting tokens, which replaces the store, and every view reloads
  // its rows — a context menu opened on a row of the view that is being replaced runs its command with no row.
  ECS_SCENARIO,
  READ_ONLY_TOKEN_SCENARIO,
];

export function screenshotDir(root: string): string {
  const dir = join(root, '.test-artifacts', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
