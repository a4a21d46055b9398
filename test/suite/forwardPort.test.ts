import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { resetScenario } from './demoControl';
import { until } from '../support/until';
import { exchange } from '../support/tcp';

const SSH_STAND_IN = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'stand-ins', 'ssh');



describe('Forward Port to an allocation', function () {
  this.timeout(60_000);
  let hashistack: HashistackApi;
  let node: Server;
  const settings = () => vscode.workspace.getConfiguration('hashistack.forward');

  before(async () => {
    hashistack = await api();
    await resetScenario();
    await vscode.commands.executeCommand('hashistack.refreshAll');
    // What the allocation's node reaches at its address: a server of the test's, behind the stand-in ssh.
    node = createServer((socket) => socket.on('data', (chunk: Buffer) => socket.write(Buffer.concat([Buffer.from('whoami:'), chunk]))));
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', () => resolve()));
    process.env.HASHISTACK_SSH_ROUTE = `127.0.0.1:${(node.address() as AddressInfo).port}`;
    await settings().update('sshProgram', SSH_STAND_IN, vscode.ConfigurationTarget.Global);
    await settings().update('sshHost', '203.0.113.20', vscode.ConfigurationTarget.Global);
    // The demo's 10.0.x.x addresses are made up; some networks accept any connection, so "auto" cannot be trusted here.
    await settings().update('path', 'ssh', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    delete process.env.HASHISTACK_SSH_ROUTE;
    delete process.env.HASHISTACK_SSH_RECORD;
    await settings().update('sshProgram', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('sshHost', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('path', undefined, vscode.ConfigurationTarget.Global);
    await hashistack.forwards.stopAll('test done');
    await new Promise((resolve) => node.close(resolve));
    await resetScenario();
  });

  it("forwards an allocation's http port through an SSH tunnel when its address is not reachable, shows it with its bytes, and ends it when the allocation stops", async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'hashistack-ssh-')), 'ssh.jsonl');
    process.env.HASHISTACK_SSH_RECORD = record;
    const allocation = await until(() => hashistack.store.store?.nomad.state.data?.allocations.find((candidate) => candidate.JobID === 'whoami' && candidate.ClientStatus === 'running'), 'a running whoami allocation', 20_000);
    const started = await vscode.commands.executeCommand<{ localPort: number; path: { kind: string; through?: string } }>('hashistack.forwardPort', { allocation: { id: allocation.ID, jobId: 'whoami', namespace: 'default', group: allocation.TaskGroup, running: true } }, { label: 'http', localPort: 0 });
    assert.ok(started, 'a forward started');
    assert.deepEqual(started.path, { kind: 'tunnel', through: 'ubuntu@203.0.113.20' });
    const [call] = readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { args: string[] });
    assert.match(call!.args.join(' '), /^-N -o ExitOnForwardFailure=yes -o BatchMode=yes -L 127\.0\.0\.1:\d+:10\.0\.\d+\.10:\d+ ubuntu@203\.0\.113\.20$/);
    assert.equal(await exchange(started.localPort, 'hello'), 'whoami:hello');
    const rows = async () => ((await hashistack.explorer.providers.nomad.getChildren()) ?? []).find((node) => node.id === 'nomad/forwards')?.children ?? [];
    await until(async () => (await rows()).some((row) => /12 B in · 5 B out$/.test(row.description ?? '')), "the forward's row with its bytes", 10_000);
    // The allocation fails: the forward ends with it.
    await fetch(`${process.env.HASHISTACK_DEMO_CONTROL}/changes`, { method: 'POST', body: JSON.stringify({ kind: 'failAllocation', job: 'whoami' }) });
    await until(() => hashistack.forwards.summaries().length === 0, 'the forward to end with its allocation', 20_000);
    await assert.rejects(exchange(started.localPort, 'again'), /ECONNREFUSED/);
  });
});
