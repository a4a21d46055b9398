import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { ExplorerNode, SectionId } from '../../src/core/tree/explorerNode';
import { change, clearFaults, resetScenario, setFault } from './demoControl';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('The explorer follows the cluster by itself (live)', () => {
  let hashistack: HashistackApi;
  const root = async (section: SectionId) => (await hashistack.explorer.providers[section].getChildren()) ?? [];
  const folder = async (section: SectionId, label: string): Promise<ExplorerNode[]> => {
    const node = (await root(section)).find((candidate) => candidate.label === label);
    return node ? ((await hashistack.explorer.providers[section].getChildren(node)) ?? []) : [];
  };

  before(async () => {
    hashistack = await api();
    await clearFaults();
    // The views on screen are what keeps their sections live.
    await vscode.commands.executeCommand('workbench.view.extension.hashistack');
    await vscode.workspace.getConfiguration('hashistack').update('traefikPollSeconds', 1, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('hashistack.refreshAll');
    await until(() => /^live\b/.test(hashistack.explorer.view('nomad').description ?? ''), 'the Nomad view says live', 10_000);
  });

  after(async () => {
    await clearFaults();
    await resetScenario();
    await vscode.workspace.getConfiguration('hashistack').update('traefikPollSeconds', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a new job appears in the tree with no click, and says live', async () => {
    await change({ kind: 'addJob', id: 'live-e2e' });
    await until(async () => (await folder('nomad', 'Jobs')).some((job) => job.label === 'live-e2e'), 'the job live-e2e in the tree');
    assert.match(hashistack.explorer.view('nomad').description ?? '', /^live( · ACLs off)?$/);
  });

  it('a failed allocation shows under its job, which stays expanded', async () => {
    const view = hashistack.explorer.view('nomad');
    const whoami = (await folder('nomad', 'Jobs')).find((job) => job.label === 'whoami')!;
    await view.reveal(whoami, { expand: true });
    const collapsed: string[] = [];
    const subscription = view.onDidCollapseElement((event) => collapsed.push(event.element.id));
    try {
      await change({ kind: 'failAllocation', job: 'whoami' });
      await until(async () => {
        const rows = (await hashistack.explorer.providers.nomad.getChildren(whoami)) ?? [];
        return rows.filter((row) => row.description?.startsWith('failed')).length === 2;
      }, 'a second failed allocation of whoami');
      const again = (await folder('nomad', 'Jobs')).find((job) => job.label === 'whoami');
      assert.equal(again, whoami, 'the row is the same object: updated in place, not rebuilt');
      assert.deepEqual(collapsed, [], 'nothing collapsed');
    } finally {
      subscription.dispose();
    }
  });

  it('a check that turns critical, and a router that goes away, show with no click', async () => {
    await change({ kind: 'setCheck', service: 'gallery', status: 'critical' });
    await until(async () => (await folder('consul', 'Services')).find((s) => s.label === 'gallery')?.description?.includes('critical'), 'gallery critical');
    await change({ kind: 'removeRouter', name: 'gallery@consulcatalog' });
    await until(async () => !(await folder('traefik', 'HTTP Routers')).some((r) => r.label === 'gallery@consulcatalog'), 'the gallery router gone');
  });

  it('while Nomad is down, a jobspec lens says its status is stale; then current again', async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'whoami.nomad');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const statusLens = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((lens) => lens.command?.title ?? '').find((title) => /running|status unknown/.test(title));
    await until(async () => (await statusLens())?.includes('running'), 'the status lens');
    await setFault('nomad', 'refused');
    try {
      const stale = await until(async () => {
        const title = await statusLens();
        return title?.includes('stale since') ? title : undefined;
      }, 'a stale status lens', 10_000);
      assert.match(stale, /running .* · stale since \d\d:\d\d:\d\d$/);
    } finally {
      await clearFaults();
    }
    await until(async () => {
      const title = await statusLens();
      return title !== undefined && !title.includes('stale');
    }, 'the lens current again', 15_000);
  });

  it('Nomad stopped: a stale row over the jobs; Nomad back: live again, with no click', async () => {
    await setFault('nomad', 'refused');
    const rows = await until(async () => {
      const nodes = await root('nomad');
      return nodes[0]?.id === 'nomad/stale' ? nodes : undefined;
    }, 'the stale row');
    // The open stream and any request in flight are cut first ("connection closed by the server", whether by FIN or
    // RST); the retries then meet "connection refused".
    assert.match(rows[0]!.label, /^Nomad: stale since \d\d:\d\d:\d\d — (connection closed by the server|connection refused)$/);
    assert.ok(rows.some((row) => row.label === 'Jobs'), 'the jobs stay visible');
    assert.match(hashistack.explorer.view('nomad').description ?? '', /^stale since/);
    await clearFaults();
    await until(async () => /^live\b/.test(hashistack.explorer.view('nomad').description ?? '') && (await root('nomad'))[0]?.id !== 'nomad/stale', 'live again', 15_000);
  });
});
