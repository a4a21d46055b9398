import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import type { ExplorerNode } from '../../src/core/tree/explorerNode';
import { DEMO_TOKENS, DemoTokenName } from '../../demo/demoAcl';
import { requests, resetRequests, resetScenario, setAcl } from './demoControl';
import { until } from '../support/until';


describe('Tokens that know what they may do (the demo with ACLs on)', function () {
  this.timeout(60_000);
  let hashistack: HashistackApi;
  const root = async () => (await hashistack.explorer.providers.nomad.getChildren()) ?? [];
  const rows = async (parent: ExplorerNode) => (await hashistack.explorer.providers.nomad.getChildren(parent)) ?? [];

  /** Uses one of the demo's tokens on the active profile, and waits until the store has read what it may do. */
  async function useToken(name: DemoTokenName): Promise<void> {
    const profile = hashistack.store.activeProfile;
    await hashistack.tokens.set(profile, 'nomad', DEMO_TOKENS[name].nomad);
    await hashistack.tokens.set(profile, 'consul', DEMO_TOKENS[name].consul);
    // Nomad only: this file runs before aws.test.ts, which checks that nothing loaded the AWS SDK before it.
    await until(async () => {
      await vscode.commands.executeCommand('hashistack.refreshNomad');
      const access = hashistack.store.store?.access.current.nomad;
      return access?.kind === 'token' && access.token.accessor.startsWith(name.slice(0, 8)) ? access : undefined;
    }, `the ${name} token read`, 20_000);
  }

  before(async () => {
    hashistack = await api();
    await resetScenario();
  });
  after(async () => {
    const profile = hashistack.store.activeProfile;
    await setAcl(false);
    await hashistack.tokens.delete(profile, 'nomad');
    await hashistack.tokens.delete(profile, 'consul');
    await until(() => hashistack.store.store?.access.current.nomad === undefined || hashistack.store.store.access.current.nomad.kind === 'aclDisabled' || undefined, 'the token gone', 20_000).catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetScenario();
  });

  it('a cluster without ACLs says so in the view title, with no Token row, and offers everything', async () => {
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    await until(() => / · ACLs off$/.test(hashistack.explorer.view('nomad').description ?? '') || undefined, 'the Nomad view to say ACLs off');
    assert.equal((await root()).some((row) => row.id === 'nomad/token'), false);
    const jobs = (await root()).find((row) => row.label === 'Jobs')!;
    const whoami = (await rows(jobs)).find((row) => row.label === 'whoami')!;
    assert.match(hashistack.explorer.providers.nomad.getTreeItem(whoami).contextValue ?? '', /\bmayDeploy\b.*\bmayStopJob\b/);
  });

  it('with a read-only token: a Token row says what it may do, Restart is not offered, and the palette refuses it without sending anything', async () => {
    await setAcl(true);
    await useToken('readonly');
    const token = await until(async () => (await root()).find((row) => row.id === 'nomad/token'), 'the Token row');
    assert.equal(token.label, 'Token: Read-only');
    assert.match(token.description ?? '', /^client · readonly/);
    const tooltip = typeof token.tooltip === 'string' ? token.tooltip : '';
    assert.match(tooltip, /default: read only\n {4}lacks: Deploy \(submit-job\), Plan \(submit-job\)/);
    assert.match(tooltip, /Restart and Stop Allocation \(alloc-lifecycle\)/);

    const jobs = (await root()).find((row) => row.label === 'Jobs')!;
    const whoami = (await rows(jobs)).find((row) => row.label === 'whoami')!;
    const allocation = (await rows(whoami)).find((row) => row.allocation?.running && !row.allocation.task)!;
    const contextValue = hashistack.explorer.providers.nomad.getTreeItem(allocation).contextValue ?? '';
    assert.doesNotMatch(contextValue, /\bmayLifecycle\b/, 'Restart and Stop are hidden');
    assert.doesNotMatch(contextValue, /\bmayExec\b/);
    assert.doesNotMatch(hashistack.explorer.providers.nomad.getTreeItem(whoami).contextValue ?? '', /\bmayDeploy\b/);

    await resetRequests();
    assert.equal(await vscode.commands.executeCommand('hashistack.restartAllocation', { allocation: allocation.allocation }), undefined);
    assert.equal(await vscode.commands.executeCommand('hashistack.stopJob', { job: { id: 'whoami', namespace: 'default' } }), undefined);
    const sent = (await requests()).filter((request) => request.path.endsWith('/restart') || (request.path === '/v1/job/whoami' && request.product === 'nomad' && request.query.includes('purge')));
    assert.deepEqual(sent, [], 'nothing was sent');
  });

  it("the jobspec's Deploy and Plan lenses say what the token lacks", async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'whoami.nomad');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const titles = await until(async () => {
      const lenses = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((lens) => lens.command?.title ?? '');
      return lenses.some((title) => title.includes('token lacks')) ? lenses : undefined;
    }, 'the lenses to say it');
    assert.ok(titles.includes('$(circle-slash) Deploy — token lacks submit-job in "default"'), titles.join(' | '));
    assert.ok(titles.includes('$(circle-slash) Plan — token lacks submit-job in "default"'), titles.join(' | '));
  });

  it('with a developer token the actions come back; with the expiring one the status bar warns within the hour, and within the day at 24 h', async () => {
    await useToken('developer');
    const jobs = (await root()).find((row) => row.label === 'Jobs')!;
    const whoami = (await rows(jobs)).find((row) => row.label === 'whoami')!;
    await until(() => /\bmayDeploy\b/.test(hashistack.explorer.providers.nomad.getTreeItem(whoami).contextValue ?? '') || undefined, 'Deploy offered again');

    await useToken('expiring');
    const access = hashistack.store.store!.access.current.nomad!;
    assert.ok(access.kind === 'token' && access.token.expiresAt !== undefined);
    const warnings = hashistack.expiry.check();
    assert.equal(warnings.find((warning) => warning.product === 'Nomad')?.level, 'hour');
    assert.match(hashistack.statusBar.text, /\$\(key\) expires in \d+ min$/);
    const dayBefore = hashistack.expiry.check(access.token.expiresAt! - 20 * 3_600_000);
    assert.equal(dayBefore.find((warning) => warning.product === 'Nomad')?.level, 'day');
    assert.match(hashistack.statusBar.text, /\$\(key\) expires in 20 h$/);
    assert.deepEqual(hashistack.expiry.check(access.token.expiresAt! - 30 * 3_600_000), [], 'more than a day left: nothing said');
  });
});
