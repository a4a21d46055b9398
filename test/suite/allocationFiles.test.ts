import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { ALLOCATION_FILE_HEAD_BYTES } from '../../src/core/nomad/allocationFiles';
import { resetScenario } from './demoControl';
import { until } from '../support/until';


describe("An allocation's files, read-only, in the editor", function () {
  this.timeout(60_000);
  let hashistack: HashistackApi;
  let allocation: string;

  before(async () => {
    hashistack = await api();
    await resetScenario();
    // Nomad only: this file runs before aws.test.ts, which checks that nothing loaded the AWS SDK before it.
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    allocation = await until(() => hashistack.store.store?.nomad.state.data?.allocations.find((candidate) => candidate.JobID === 'whoami' && candidate.ClientStatus === 'running')?.ID, 'a running whoami allocation', 20_000);
  });

  it("lists the allocation directory and a task's, as Nomad's client has them", async () => {
    const fs = hashistack.allocationFiles;
    assert.deepEqual((await fs.readDirectory(fs.uri(allocation))).map(([name, type]) => `${name}${type === vscode.FileType.Directory ? '/' : ''}`), ['alloc/', 'whoami/']);
    assert.deepEqual((await fs.readDirectory(fs.uri(allocation, 'whoami'))).map(([name]) => name), ['local', 'secrets', 'tmp']);
    const stat = await vscode.workspace.fs.stat(fs.uri(allocation, 'whoami/secrets/whoami.env'));
    assert.equal(stat.type, vscode.FileType.File);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
  });

  it('opens a rendered template, once its secrets may be shown; a large file in part; refuses a binary one with its size', async () => {
    const fs = hashistack.allocationFiles;
    fs.allowSecrets(allocation, 'whoami');
    const env = Buffer.from(await fs.readFile(fs.uri(allocation, 'whoami/secrets/whoami.env'))).toString();
    assert.match(env, /^WHOAMI_NAME=\S+\nGREETING=/);
    const log = Buffer.from(await fs.readFile(fs.uri(allocation, 'alloc/logs/whoami.stdout.0'))).toString();
    assert.match(log, /… the first 256 KiB of \d+\.\d MiB: Download for the whole file\.\n$/);
    assert.ok(log.length < ALLOCATION_FILE_HEAD_BYTES + 200);
    await assert.rejects(Promise.resolve(fs.readFile(fs.uri(allocation, 'alloc/data/cache.bin'))), /14 bytes that are not text: Download it/);
  });

  it("compares a rendered file with what the workspace's template renders now, and says when no template renders a file", async () => {
    const fs = hashistack.allocationFiles;
    fs.allowSecrets(allocation, 'whoami');
    const jobspec = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'compare-whoami.nomad');
    await vscode.workspace.fs.writeFile(jobspec, readFileSync(join(__dirname, '..', '..', '..', 'platform', 'nomad', 'whoami.nomad')));
    try {
      const compared = await vscode.commands.executeCommand<vscode.Uri[] | undefined>('hashistack.compareAllocationFileWithWorkspace', fs.uri(allocation, 'whoami/secrets/whoami.env'));
      assert.ok(compared, 'a diff opened');
      const [left, right] = await Promise.all(compared.map((uri) => vscode.workspace.openTextDocument(uri)));
      assert.equal(left!.getText(), Buffer.from(await fs.readFile(fs.uri(allocation, 'whoami/secrets/whoami.env'))).toString(), 'the left side is what the allocation rendered');
      assert.match(right!.getText(), /^WHOAMI_NAME=\S+\nGREETING=/, "the right side is the workspace's template rendered on the cluster's data");
      assert.equal(right!.getText(), left!.getText(), 'nothing changed since the deploy: the two agree');
      assert.equal(await vscode.commands.executeCommand('hashistack.compareAllocationFileWithWorkspace', fs.uri(allocation, 'alloc/logs/whoami.stdout.0')), undefined, 'a log is no template output');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(jobspec);
    }
  });

  it('opens in an editor, read-only, and says when a file or the allocation is gone', async () => {
    const fs = hashistack.allocationFiles;
    const document = await vscode.workspace.openTextDocument(fs.uri(allocation, 'whoami/secrets/whoami.env'));
    await vscode.window.showTextDocument(document);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, Buffer.from('x'))), /read-only/);
    await assert.rejects(Promise.resolve(fs.readFile(fs.uri(allocation, 'whoami/local/nothing-here'))), /is not in allocation/);
    await assert.rejects(Promise.resolve(fs.readDirectory(fs.uri('00000000-0000-4000-a000-000000000000'))), /garbage-collected/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
