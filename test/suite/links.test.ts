import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { ExplorerNode } from '../../src/core/tree/explorerNode';
import { clearFaults, resetScenario } from './demoControl';
import { until } from '../support/until';


describe('Links across the stack: Consul ↔ Nomad, and a route to its allocations', () => {
  let hashistack: HashistackApi;
  before(async () => {
    hashistack = await api();
    await clearFaults();
    await resetScenario();
    await vscode.commands.executeCommand('workbench.view.extension.hashistack');
    await vscode.commands.executeCommand('hashistack.refreshAll');
  });

  const consulInstances = async (): Promise<ExplorerNode[]> => {
    const provider = hashistack.explorer.providers.consul;
    const services = await until(async () => (await provider.getChildren()).find((node) => node.label === 'Services'), 'the Consul services');
    const whoami = (await provider.getChildren(services)).find((node) => node.label === 'whoami')!;
    return provider.getChildren(whoami);
  };

  it('reveals the allocation that registered a Consul instance, from its Nomad service ID', async () => {
    const instance = (await consulInstances()).find((node) => node.linkedAllocation)!;
    assert.ok(instance, 'an instance registered by Nomad');
    assert.match(instance.contextValue, /\bnomadRegistered\b/);
    assert.equal(await vscode.commands.executeCommand('hashistack.revealAllocation', instance), true);
    await until(() => hashistack.explorer.view('nomad').selection[0]?.id === `nomad/allocation/${instance.linkedAllocation}`, 'the allocation selected in the Nomad view');
  });

  it('reveals the Consul instance an allocation registered', async () => {
    const allocation = hashistack.store.store!.nomad.state.data!.allocations.find((candidate) => candidate.JobID === 'whoami' && candidate.ClientStatus === 'running')!;
    const shown = await vscode.commands.executeCommand('hashistack.revealConsulInstances', { allocation: { id: allocation.ID, jobId: 'whoami', namespace: 'default', group: 'whoami', running: true } });
    assert.equal(shown, true);
    await until(() => hashistack.explorer.view('consul').selection[0]?.id.includes(`_nomad-task-${allocation.ID}-`), 'the instance selected in the Consul view');
  });

  it("shows a router's chain, and reveals the allocations behind its route", async () => {
    const provider = hashistack.explorer.providers.traefik;
    const routers = await until(async () => (await provider.getChildren()).find((node) => node.label === 'HTTP Routers'), 'the routers');
    const whoami = await until(async () => (await provider.getChildren(routers)).find((node) => node.label === 'whoami@consulcatalog' && node.routeAllocations?.length), 'whoami with its allocations');
    const tooltip = typeof whoami.tooltip === 'function' ? whoami.tooltip() : (whoami.tooltip ?? '');
    assert.match(tooltip, /Chain:\n {2}→ rule Host\(`whoami\.example\.com`\)\n {2}→ service whoami@consulcatalog: 2 servers\n {2}→ Consul whoami: 2 passing · 1 critical\n {2}→ Nomad: 2 running allocations \(1 not running\) of whoami/);
    const revealed = vscode.commands.executeCommand('hashistack.revealRouteAllocations', whoami);
    // Three allocations: the user picks one.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await revealed, true);
    await until(() => hashistack.explorer.view('nomad').selection[0]?.id.startsWith('nomad/allocation/'), 'an allocation selected');
  });

  it('reveals the Consul instance at a Traefik server\'s address', async () => {
    const provider = hashistack.explorer.providers.traefik;
    const routers = (await provider.getChildren()).find((node) => node.label === 'HTTP Routers')!;
    const whoami = (await provider.getChildren(routers)).find((node) => node.label === 'whoami@consulcatalog')!;
    const service = (await provider.getChildren(whoami)).find((node) => node.label === 'whoami@consulcatalog')!;
    const server = (await provider.getChildren(service))[0]!;
    assert.deepEqual(server.server, { consulService: 'whoami', address: server.label });
    assert.equal(await vscode.commands.executeCommand('hashistack.revealServerInstance', server), true);
    const address = new URL(server.label).host;
    await until(() => hashistack.explorer.view('consul').selection[0]?.copy?.address === address, `the Consul instance at ${address} selected`);
  });
});
