import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import type { ExplorerNode } from '../../src/core/tree/explorerNode';
import { clearFaults, resetScenario, setFault } from './demoControl';
import { until } from '../support/until';


describe("A job's actions: listed under its tasks, run from a lens or a row, output in a terminal", function () {
  this.timeout(60_000);
  let hashistack: HashistackApi;
  const rows = async (parent?: ExplorerNode) => (await hashistack.explorer.providers.nomad.getChildren(parent)) ?? [];

  before(async () => {
    hashistack = await api();
    await resetScenario();
    // Nomad only: this file runs before aws.test.ts, which checks that nothing loaded the AWS SDK before it.
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    await until(() => hashistack.store.store?.nomad.state.data?.allocations.find((candidate) => candidate.JobID === 'traefik' && candidate.ClientStatus === 'running'), 'a running traefik allocation', 20_000);
  });
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it("lists the actions of the version an allocation runs under its task, and runs one in a terminal with Nomad's output and exit code", async () => {
    const jobs = (await rows()).find((row) => row.label === 'Jobs')!;
    const traefik = (await rows(jobs)).find((row) => row.job?.id === 'traefik')!;
    const allocation = (await until(async () => (await rows(traefik)).find((row) => row.allocation?.running && !row.allocation.task), 'a running allocation row'))!;
    const task = (await until(async () => (await rows(allocation)).find((row) => row.allocation?.task === 'traefik'), "the allocation's traefik task"))!;
    const actionRows = (await rows(task)).filter((row) => row.taskAction);
    assert.deepEqual(actionRows.map((row) => `${row.label}: ${row.description}`), ['ping: traefik healthcheck --configFile=/local/traefik.yaml', 'version: traefik version']);
    assert.match(actionRows[1]!.contextValue!, /\bactionRunnable\b/);

    const before = hashistack.store.store!.nomad.state.data!;
    const stub = before.allocations.find((candidate) => candidate.ID === allocation.allocation!.id)!;
    const result = await hashistack.actions.run({ jobId: 'traefik', namespace: 'default', group: stub.TaskGroup, task: 'traefik', action: 'version', command: actionRows[1]!.taskAction!.command, allocations: [{ id: stub.ID, name: stub.Name }] });
    assert.deepEqual(result.outcomes.map((outcome) => outcome.end), [{ kind: 'exited', exitCode: 0 }]);
    assert.match(result.transcript, /▶ version in [0-9a-f]{8} \(traefik\.traefik\[\d+\]\) on "[^"]+": traefik version/);
    assert.match(result.transcript, /Version: {6}3\.5\.3\r\n/);
    assert.match(result.transcript, /■ exited with code 0/);
    assert.equal(result.terminal.name, 'version · traefik on "' + hashistack.store.activeProfile.name + '"');
    result.terminal.dispose();
  });

  it('a refused token ends the run with the capability it lacks, and the other allocations are not tried', async () => {
    const data = hashistack.store.store!.nomad.state.data!;
    const running = data.allocations.filter((candidate) => candidate.JobID === 'whoami' && candidate.ClientStatus === 'running');
    assert.ok(running.length >= 2, 'several whoami allocations');
    await setFault('nomad', 'forbidden');
    try {
      const result = await hashistack.actions.run({ jobId: 'whoami', namespace: 'default', group: 'whoami', task: 'whoami', action: 'anything', command: 'true', allocations: running.map((allocation) => ({ id: allocation.ID, name: allocation.Name })) });
      assert.equal(result.outcomes.length, 1, 'one refusal: the same token is refused everywhere in the namespace');
      assert.match(result.transcript, /Nomad refused: Permission denied — the token needs "alloc-exec" in namespace "default"/);
      result.terminal.dispose();
    } finally {
      await clearFaults();
    }
  });

  it("puts Run action above each action block of a jobspec whose job runs on the cluster", async () => {
    const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'actions-traefik.nomad');
    await vscode.workspace.fs.writeFile(file, readFileSync(join(__dirname, '..', '..', '..', 'platform', 'nomad', 'traefik.nomad')));
    try {
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      const lenses = await until(async () => {
        const found = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file)) ?? []).filter((lens) => lens.command?.command === 'hashistack.runAction');
        return found.length === 2 ? found : undefined;
      }, 'two Run action lenses');
      assert.deepEqual(lenses.map((lens) => document.lineAt(lens.range.start.line).text.trim()), ['action "ping" {', 'action "version" {']);
      assert.deepEqual(lenses[1]!.command!.arguments, [{ action: { jobId: 'traefik', namespace: 'default', group: 'traefik', task: 'traefik', name: 'version' } }]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
    }
  });
});
