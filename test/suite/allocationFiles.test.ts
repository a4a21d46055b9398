import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { ALLOCATION_FILE_HEAD_BYTES } from '../../src/core/nomad/allocationFiles';
import { resetScenario } from './demoControl';
import { until } from '../support/until';

async function api(): Promise<HashistackApi> {
  const extension = vscode.extensions.getExtension<HashistackApi>('hashistack.hashistack');
  assert.ok(extension, 'the extension is installed');
  return extension.activate();
}

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
