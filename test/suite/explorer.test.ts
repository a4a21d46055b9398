import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { ExplorerNode, SectionId, tooltipText } from '../../src/core/tree/explorerNode';
import { clearFaults, requests, resetRequests, setFault } from './demoControl';
import { until } from '../support/until';


async function root(hashistack: HashistackApi, section: SectionId): Promise<ExplorerNode[]> {
  return (await hashistack.explorer.providers[section].getChildren()) ?? [];
}

async function children(hashistack: HashistackApi, section: SectionId, node: ExplorerNode): Promise<ExplorerNode[]> {
  return (await hashistack.explorer.providers[section].getChildren(node)) ?? [];
}

function find(nodes: ExplorerNode[], label: string): ExplorerNode {
  const node = nodes.find((candidate) => candidate.label === label);
  assert.ok(node, `a row "${label}" among ${nodes.map((n) => n.label).join(', ')}`);
  return node;
}

describe('The Hashistack explorer on the demo cluster', () => {
  let hashistack: HashistackApi;

  before(async () => {
    hashistack = await api();
    await clearFaults();
    await vscode.commands.executeCommand('hashistack.refreshAll');
  });

  afterEach(async () => {
    await clearFaults();
  });

  it('uses the environment profile: the addresses the runner set in NOMAD_ADDR and CONSUL_HTTP_ADDR', () => {
    const profile = hashistack.profiles.active;
    assert.equal(profile.source, 'environment');
    assert.equal(profile.nomad.address, process.env.NOMAD_ADDR);
    assert.equal(profile.consul.address, process.env.CONSUL_HTTP_ADDR);
    assert.equal(profile.traefik.address, process.env.HASHISTACK_TRAEFIK_ADDR);
  });

  it('shows Consul services with their health, and instances when one is expanded', async () => {
    const services = await children(hashistack, 'consul', find(await root(hashistack, 'consul'), 'Services'));
    const whoami = find(services, 'whoami');
    assert.equal(whoami.description, '2 passing · 1 critical');
    assert.equal(whoami.icon?.id, 'error');
    assert.match(tooltipText(whoami) ?? '', /launcher\.name=Who am I/);
    await resetRequests();
    const instances = await children(hashistack, 'consul', whoami);
    assert.equal(instances.length, 3);
    assert.deepEqual(instances.map((i) => i.label).sort(), ['hashi-server-a', 'hashi-server-b', 'hashi-server-c']);
    assert.ok(instances.some((i) => i.description?.endsWith('critical')));
    const seen = (await requests()).filter((r) => r.path.startsWith('/v1/health/service/'));
    assert.equal(seen.filter((r) => !r.query.includes('index=')).length, 1, 'expanding one service costs one read');
    assert.ok(seen.every((r) => r.path === '/v1/health/service/whoami'), 'and only of that service (then it blocks on its index)');
  });

  it('shows Nomad jobs with their allocations and latest deployment', async () => {
    const jobs = await children(hashistack, 'nomad', find(await root(hashistack, 'nomad'), 'Jobs'));
    assert.deepEqual(jobs.map((j) => j.label), ['db-backup', 'launcher', 'traefik', 'whoami']);
    const whoami = find(jobs, 'whoami');
    assert.equal(whoami.description, 'service · running · v2 · default · 1 failed');
    assert.equal(whoami.icon?.id, 'warning', 'running with a failed allocation: degraded, not failed');
    const rows = await children(hashistack, 'nomad', whoami);
    assert.equal(rows[0]!.description, 'successful · 3/3 healthy · v2');
    const allocations = rows.filter((row) => row.contextValue.includes('nomadAllocation'));
    assert.equal(allocations.length, 3);
    assert.ok(allocations.some((a) => a.description?.startsWith('failed · hashi-server-c · v2')));
    // A failed allocation opens to its task, which says why, and the task to its events.
    const failed = allocations.find((a) => a.description?.startsWith('failed'))!;
    assert.equal(failed.collapsible, 'collapsed');
    const tasks = await children(hashistack, 'nomad', failed);
    assert.ok(tasks.length > 0);
    assert.match(tasks[0]!.description!, /^dead \(failed\) · 2 restarts · Not Restarting: Exceeded allowed attempts/);
    const events = await children(hashistack, 'nomad', tasks[0]!);
    assert.deepEqual(events.map((event) => event.label).slice(0, 3), ['Not Restarting', 'Terminated', 'Restarting']);
    assert.match(events[1]!.description!, /Exit Code: 137, Exit Message: "OOM Killed"$/);
    const nodes = await children(hashistack, 'nomad', find(await root(hashistack, 'nomad'), 'Nodes'));
    assert.equal(find(nodes, 'hashi-server-c').description, 'ready · ineligible');
  });

  it('shows Traefik routers with their rules, service and servers', async () => {
    const routers = await children(hashistack, 'traefik', find(await root(hashistack, 'traefik'), 'HTTP Routers'));
    const gallery = find(routers, 'gallery@consulcatalog');
    assert.equal(gallery.description, 'Host(`gallery.example.com`)');
    assert.equal(gallery.url, 'https://gallery.example.com');
    const legacy = find(routers, 'legacy-api@file');
    assert.equal(legacy.icon?.id, 'error');
    assert.match((await children(hashistack, 'traefik', legacy))[0]!.label, /does not exist/);
  });

  it('an unreachable Nomad shows a stale row over the jobs it last saw; Consul and Traefik still show', async () => {
    await setFault('nomad', 'refused');
    await vscode.commands.executeCommand('hashistack.refreshAll');
    const nomad = await root(hashistack, 'nomad');
    assert.match(nomad[0]!.label, /^Nomad: stale since \d\d:\d\d:\d\d — connection refused$/);
    assert.match(nomad[0]!.contextValue, /\berror\b/);
    assert.match(tooltipText(nomad[0]!) ?? '', new RegExp(`Cannot reach Nomad at ${process.env.NOMAD_ADDR!.replace(/[.]/g, '\\.')}`));
    assert.ok(nomad.some((n) => n.label === 'Jobs'), 'the jobs stay visible');
    assert.match(hashistack.explorer.view('nomad').description ?? '', /^stale since /);
    assert.ok((await root(hashistack, 'consul')).some((n) => n.label === 'Services'));
    assert.ok((await root(hashistack, 'traefik')).some((n) => n.label === 'HTTP Routers'));

    // Retry, once Nomad is back, brings the jobs back.
    await clearFaults();
    await vscode.commands.executeCommand('hashistack.retrySection', nomad[0]);
    const back = await root(hashistack, 'nomad');
    assert.ok(back.some((n) => n.label === 'Jobs'));
    assert.ok(!back.some((n) => n.id === 'nomad/stale'), 'no stale row once Nomad answers');
  });

  it('a forbidden Nomad says "Nomad refused the token: Permission denied"', async () => {
    await setFault('nomad', 'forbidden');
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    const nomad = await root(hashistack, 'nomad');
    assert.match(nomad[0]!.label, /^Nomad: stale since .* — Permission denied$/);
    assert.match(tooltipText(nomad[0]!) ?? '', /Nomad refused the token: Permission denied/);
    assert.match(nomad[0]!.contextValue, /error-forbidden/);
  });

  it('a Nomad that sends garbage, or is too slow, fails on its own', async () => {
    await setFault('nomad', 'invalidJson');
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    assert.match(tooltipText((await root(hashistack, 'nomad'))[0]!) ?? '', /^Nomad: stale since [\s\S]*Nomad at .* sent a malformed response to \/v1\//);
    await setFault('traefik', 'error');
    await vscode.commands.executeCommand('hashistack.refreshTraefik');
    assert.match(tooltipText((await root(hashistack, 'traefik'))[0]!) ?? '', /answered 500/);
    assert.ok((await root(hashistack, 'consul')).some((n) => n.label === 'Services'));
  });

  it('when nothing answers, each view names its address and error, and the first lists the next steps as rows', async () => {
    await setFault('consul', 'refused');
    await setFault('nomad', 'refused');
    await setFault('traefik', 'refused');
    // A new store (a setting that shapes the clients changed) has no data to keep: nothing to show at all.
    const config = vscode.workspace.getConfiguration('hashistack');
    await config.update('requestTimeoutSeconds', 9, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('hashistack.refreshAll');
      const addresses = { consul: process.env.CONSUL_HTTP_ADDR!, nomad: process.env.NOMAD_ADDR!, traefik: process.env.HASHISTACK_TRAEFIK_ADDR! };
      for (const section of ['consul', 'nomad', 'traefik'] as const) {
        const rows = await root(hashistack, section);
        assert.equal(hashistack.explorer.providers[section].kind, 'error');
        assert.match(rows[0]!.label, new RegExp(`^Cannot reach (Consul|Nomad|Traefik) at ${addresses[section].replace(/[.]/g, '\\.')}: connection refused$`), `${section} names its address and error`);
      }
      const steps = (await root(hashistack, 'consul')).slice(1);
      assert.deepEqual(steps.map((row) => row.command?.id).filter(Boolean), ['hashistack.selectCluster', 'hashistack.configureClusters', 'hashistack.refreshAll', 'hashistack.showLog']);
    } finally {
      await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
    await clearFaults();
    await vscode.commands.executeCommand('hashistack.refreshAll');
    assert.ok((await root(hashistack, 'nomad')).length > 0);
  });

  it('sends a Nomad token set with "Set Nomad Token" as a header, and forgets it', async () => {
    await vscode.commands.executeCommand('hashistack.setNomadToken', 'token-from-secret-storage');
    // Setting a token rebuilds the clients and refreshes.
    await resetRequests();
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    const nomadRequests = (await requests()).filter((r) => r.product === 'nomad');
    assert.ok(nomadRequests.length > 0 && nomadRequests.every((r) => r.tokenSent));
    const settings = JSON.stringify(vscode.workspace.getConfiguration('hashistack'));
    assert.ok(!settings.includes('token-from-secret-storage'), 'the token is not in settings');

    await vscode.commands.executeCommand('hashistack.setNomadToken', '');
    await resetRequests();
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    const withoutToken = (await requests()).filter((r) => r.product === 'nomad');
    assert.ok(withoutToken.length > 0, 'Nomad was asked again');
    assert.ok(withoutToken.every((r) => !r.tokenSent), 'and no request carried a token');
  });

  it("a service's instances load again after the store is rebuilt (a new token)", async () => {
    const instancesOf = async () => {
      const services = await children(hashistack, 'consul', find(await root(hashistack, 'consul'), 'Services'));
      return children(hashistack, 'consul', find(services, 'whoami'));
    };
    // The test before rebuilt the store while nothing answered: load it again first.
    await vscode.commands.executeCommand('hashistack.refreshAll');
    assert.equal((await instancesOf()).length, 3);
    await vscode.commands.executeCommand('hashistack.setNomadToken', 'another-token');
    try {
      await vscode.commands.executeCommand('hashistack.refreshAll');
      assert.equal((await instancesOf()).length, 3, 'read from the new store, not an empty answer from the old one');
    } finally {
      await vscode.commands.executeCommand('hashistack.setNomadToken', '');
    }
  });

  it('switches to a cluster profile from settings and back', async () => {
    const config = vscode.workspace.getConfiguration('hashistack');
    await config.update('clusters', [{ name: 'demo-from-settings', nomadAddress: process.env.NOMAD_ADDR, consulAddress: process.env.CONSUL_HTTP_ADDR, traefikAddress: process.env.HASHISTACK_TRAEFIK_ADDR, nomadNamespace: '*' }], vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('hashistack.selectCluster', 'demo-from-settings');
      assert.equal(hashistack.profiles.active.name, 'demo-from-settings');
      await resetRequests();
      await vscode.commands.executeCommand('hashistack.refreshNomad');
      assert.ok((await requests()).some((r) => r.path === '/v1/jobs' && r.query.includes('namespace=*')));
      assert.ok((await root(hashistack, 'nomad')).some((n) => n.label === 'Jobs'));
      // The environment's profile (NOMAD_ADDR is set) stays beside the named one, and Select Cluster brings it back.
      assert.deepEqual(hashistack.profiles.all.map((profile) => profile.name), ['demo-from-settings', 'Environment']);
      await vscode.commands.executeCommand('hashistack.selectCluster', 'Environment');
      assert.equal(hashistack.profiles.active.source, 'environment');
    } finally {
      await config.update('clusters', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(hashistack.profiles.active.source, 'environment');
  });

  it('Add Cluster writes a profile to the user settings, keeps its token in the keychain and makes it active', async () => {
    const config = vscode.workspace.getConfiguration('hashistack');
    try {
      const added = await vscode.commands.executeCommand<string>('hashistack.addCluster', { name: 'added-demo', nomadAddress: process.env.NOMAD_ADDR, consulAddress: process.env.CONSUL_HTTP_ADDR, traefikAddress: process.env.HASHISTACK_TRAEFIK_ADDR, nomadNamespace: '', nomadRegion: '', nomadToken: 'added-nomad-token', consulToken: '' });
      assert.equal(added, 'added-demo');
      assert.deepEqual(config.inspect<unknown[]>('clusters')?.globalValue, [{ name: 'added-demo', nomadAddress: process.env.NOMAD_ADDR, consulAddress: process.env.CONSUL_HTTP_ADDR, traefikAddress: process.env.HASHISTACK_TRAEFIK_ADDR }]);
      assert.ok(!JSON.stringify(config.inspect('clusters')).includes('added-nomad-token'), 'no token in settings');
      assert.equal(hashistack.profiles.active.name, 'added-demo');
      await resetRequests();
      await vscode.commands.executeCommand('hashistack.refreshNomad');
      await until(async () => (await requests()).some((request) => request.product === 'nomad' && request.path === '/v1/jobs' && request.tokenSent), 'the new profile sending its token');
      assert.ok(hashistack.profiles.all.some((profile) => profile.source === 'environment'), 'the environment profile stays beside it');
    } finally {
      await vscode.commands.executeCommand('hashistack.clearTokens');
      await config.update('clusters', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(hashistack.profiles.active.source, 'environment');
  });

  it('copies an ID and opens the jobspec that defines a job', async () => {
    const jobs = await children(hashistack, 'nomad', find(await root(hashistack, 'nomad'), 'Jobs'));
    const whoami = find(jobs, 'whoami');
    await vscode.commands.executeCommand('hashistack.copyId', whoami);
    assert.equal(await vscode.env.clipboard.readText(), 'whoami');
    await vscode.commands.executeCommand('hashistack.openJobspec', whoami);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'a jobspec is open');
    assert.match(editor.document.fileName, /whoami\.nomad$/);
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /^job "whoami" \{/);
  });
});
