import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { clearFaults, resetScenario } from './demoControl';
import { until } from '../support/until';


async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('Logs in the editor, followed', () => {
  let hashistack: HashistackApi;
  before(async () => {
    hashistack = await api();
    await clearFaults();
    await resetScenario();
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    await until(() => hashistack.store.store?.nomad.state.data?.allocations.some((allocation) => allocation.JobID === 'whoami' && allocation.ClientStatus === 'running'), 'whoami running');
  });
  afterEach(closeAll);

  const runningWhoami = () => hashistack.store.store!.nomad.state.data!.allocations.filter((allocation) => allocation.JobID === 'whoami' && allocation.ClientStatus === 'running' && allocation.DesiredStatus === 'run');

  it("Show Logs opens a task's log with its backlog, a new line arrives, and closing the view stops the stream", async () => {
    const allocation = runningWhoami()[0]!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.showLogs', { allocation: { id: allocation.ID, jobId: 'whoami', namespace: 'default', group: 'whoami', running: true } });
    assert.equal(editor.document.uri.scheme, 'hashistack-logs');
    assert.equal(editor.document.languageId, 'hashistack-log');
    assert.equal(vscode.workspace.getConfiguration('editor', editor.document).get('wordWrap'), 'on', 'log views wrap: a long line does not scroll the view sideways');
    const lines = () => editor.document.getText().split('\n').filter((line) => / GET \/health 200 /.test(line));
    const first = await until(() => lines().length >= 300 && lines().length, 'the backlog');
    assert.ok(first <= 1024 + 5, `the backlog is bounded (${first} lines)`);
    // One task's view has no prefix: the line as the task wrote it.
    assert.match(lines()[0]!, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z GET \/health/);
    // It opens at its newest line.
    await until(() => {
      const shown = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === editor.document.uri.toString());
      return (shown?.visibleRanges.at(-1)?.end.line ?? 0) >= shown!.document.lineCount - 4;
    }, 'the view at its newest line');
    // tail -f: the view opened at its top with a backlog of hundreds of lines below; it must show the new ones.
    await until(() => {
      const shown = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === editor.document.uri.toString());
      return lines().length > first && (shown?.visibleRanges.at(-1)?.end.line ?? 0) >= shown!.document.lineCount - 4;
    }, 'a new line, on screen: the view follows its end', 15_000);
    assert.equal(hashistack.logs.isFollowing(editor.document.uri), true);
    assert.equal(hashistack.logs.openStreams, 1);
    await closeAll();
    await until(() => hashistack.logs.openStreams === 0, 'the stream to stop when its view closed');
  });

  it('a tail ends with its store, saying why: after Clear Tokens no request goes out with the old store', async () => {
    const allocation = runningWhoami()[0]!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.showLogs', { allocation: { id: allocation.ID, jobId: 'whoami', namespace: 'default', group: 'whoami', running: true } });
    await until(() => hashistack.logs.openStreams === 1 && editor.document.lineCount > 10, 'the log streaming');
    const before = hashistack.store.store;
    await vscode.commands.executeCommand('hashistack.clearTokens');
    await until(() => hashistack.logs.openStreams === 0, 'the tail to end with its store');
    await until(() => editor.document.getText().includes('— the log stopped: the cluster profile'), 'the view saying why');
    await until(() => hashistack.store.store && hashistack.store.store !== before, 'the new store');
    await until(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return hashistack.logs.openStreams === 0;
    }, 'no tail restarted on the new store by itself');
  });

  it("a rollout follow ends with its store, saying so, and offers nothing on the cluster now active", async () => {
    await until(() => hashistack.store.store?.nomad.state.data, 'Nomad loaded');
    const job = hashistack.store.store!.nomad.state.data!.jobs.find((candidate) => candidate.ID === 'whoami')!;
    const ended = new Promise<{ message: string }>((resolve) => {
      const subscription = hashistack.follower.onDidEnd((end) => {
        subscription.dispose();
        resolve(end);
      });
    });
    // A follow waiting for a new version of whoami (none comes: nothing is deployed).
    hashistack.follower.follow({ jobId: 'whoami', namespace: 'default', baselineJobModifyIndex: job.JobModifyIndex });
    assert.ok(hashistack.follower.state('whoami', 'default'), 'following');
    await vscode.commands.executeCommand('hashistack.clearTokens');
    const end = await ended;
    assert.match(end.message, /whoami on "[^"]+": no longer followed here: the cluster profile "[^"]+" was switched away from, or its token changed/);
    assert.equal(hashistack.follower.state('whoami', 'default'), undefined, 'the follow is gone');
    // The next tests read the new store.
    await until(() => hashistack.store.store?.nomad.state.data && runningWhoami().length > 0, 'the new store loaded');
  });

  it('filters by text or /regex/, and switches to stderr', async () => {
    const allocation = runningWhoami()[0]!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.showLogs', { allocation: { id: allocation.ID, jobId: 'whoami', namespace: 'default', group: 'whoami', running: true, task: 'whoami' } });
    await until(() => editor.document.lineCount > 300, 'the backlog');
    assert.equal(await vscode.commands.executeCommand('hashistack.filterLogs', editor.document.uri, '/#\\d*7\\s*$/'), true);
    await until(() => {
      const rows = editor.document.getText().split('\n').slice(1).filter((line) => line && !line.startsWith('— '));
      return rows.length > 0 && rows.every((line) => /#\d*7\s*$/.test(line));
    }, 'only the lines the regex keeps');
    assert.match(editor.document.lineAt(0).text, /filter \/#\\d\*7\\s\*\$\//);
    assert.match(String(await vscode.commands.executeCommand('hashistack.filterLogs', editor.document.uri, '/(/')), /Not a regular expression/);
    await vscode.commands.executeCommand('hashistack.filterLogs', editor.document.uri, '');
    await vscode.commands.executeCommand('hashistack.toggleLogStream', editor.document.uri, TITLE_BAR_CONTEXT);
    await until(() => editor.document.getText().includes('warn: slow upstream'), 'stderr lines');
    assert.match(editor.document.lineAt(0).text, / · stderr/);
  });

  // VS Code runs a title-bar command with the editor's resource and an object naming the editor group.
  const TITLE_BAR_CONTEXT = { groupId: 0, editorIndex: 0 };

  it("every command of a log view's title bar runs with the arguments its button passes", async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(vscode.Uri.joinPath(vscode.extensions.getExtension('hashistack.hashistack')!.extensionUri, 'package.json').fsPath, 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const titleCommands = manifest.contributes.menus['editor/title']!.filter((entry) => entry.when?.includes('resourceScheme == hashistack-logs')).map((entry) => entry.command);
    assert.deepEqual([...new Set(titleCommands)].sort(), ['hashistack.filterLogs', 'hashistack.followLog', 'hashistack.saveLog', 'hashistack.stopFollowingLog', 'hashistack.toggleLogStream', 'hashistack.toggleLogTimes'], 'a new title-bar command gets its case here');
    const allocation = runningWhoami()[0]!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.showLogs', { allocation: { id: allocation.ID, jobId: 'whoami', namespace: 'default', group: 'whoami', running: true, task: 'whoami' } });
    const uri = editor.document.uri;
    await until(() => editor.document.lineCount > 300, 'the backlog');

    // Filter Log… from its button asks for the filter (it once took the group object for one and failed).
    const filtered = vscode.commands.executeCommand('hashistack.filterLogs', uri, TITLE_BAR_CONTEXT);
    let answered = false;
    void filtered.then(() => (answered = true));
    await until(async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return answered;
    }, 'the filter input box, accepted');
    assert.equal(await filtered, true);

    assert.equal(await vscode.commands.executeCommand('hashistack.stopFollowingLog', uri, TITLE_BAR_CONTEXT), false);
    assert.equal(hashistack.logs.isFollowing(uri), false);
    assert.equal(await vscode.commands.executeCommand('hashistack.followLog', uri, TITLE_BAR_CONTEXT), true);
    assert.equal(await vscode.commands.executeCommand('hashistack.toggleLogTimes', uri, TITLE_BAR_CONTEXT), true);
    const stamped = /^\d\d:\d\d:\d\d\.\d{3} /;
    const timedRequest = /^\d\d:\d\d:\d\d\.\d{3} \d{4}-\d\d-\d\dT\S+ GET \/health/;
    await until(() => {
      const lines = editor.document.getText().split('\n').slice(1, -1);
      return lines.every((line) => stamped.test(line)) && lines.some((line) => timedRequest.test(line));
    }, () => `each line prefixed by its arrival time; the view: ${editor.document.getText().split('\n').slice(0, 4).join(' ⏎ ')}`);
    assert.equal(await vscode.commands.executeCommand('hashistack.toggleLogTimes', uri, TITLE_BAR_CONTEXT), false);

    // Save Log As…: the group object is no destination (a dialog would ask); given one, it writes the view's lines.
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const destination = vscode.Uri.file(join(mkdtempSync(join(tmpdir(), 'hashistack-log-')), 'whoami.log'));
    const saved = await vscode.commands.executeCommand<vscode.Uri>('hashistack.saveLog', uri, destination);
    assert.equal(saved?.fsPath, destination.fsPath);
    const written = readFileSync(destination.fsPath, 'utf8');
    assert.ok(written.startsWith(editor.document.lineAt(0).text), 'the header line first');
    assert.ok(written.split('\n').filter((line) => / GET \/health 200 /.test(line)).length >= 300, 'the lines the view showed');
  });

  it('Open Shell runs nomad alloc exec in a terminal, its arguments a list and the token in the environment only', async () => {
    const record = process.env.HASHISTACK_RECORD_FILE!;
    const { existsSync, readFileSync } = await import('node:fs');
    const count = () => (existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').filter(Boolean).length : 0);
    const before = count();
    const allocation = runningWhoami()[0]!;
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('hashistack.openShell', { allocation: { id: allocation.ID, jobId: 'whoami', namespace: 'default', group: 'whoami', task: 'whoami', running: true } });
    assert.ok(terminal);
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.match(options.shellPath ?? '', /[\\/]nomad(\.cmd)?$/, 'nomad, found on the terminals\' PATH');
    assert.deepEqual(options.shellArgs, ['alloc', 'exec', '-i', '-t', '-task', 'whoami', allocation.ID, '/bin/sh']);
    assert.equal(options.env?.NOMAD_ADDR, process.env.NOMAD_ADDR);
    assert.ok(!JSON.stringify(options.shellArgs).includes('token'), 'no token among the arguments');
    // The stand-in nomad on the terminals' PATH records what it was run with.
    await until(() => count() > before, 'nomad alloc exec to run');
    const last = JSON.parse(readFileSync(record, 'utf8').trim().split('\n').at(-1)!) as { argv: string[] };
    assert.deepEqual(last.argv, ['alloc', 'exec', '-i', '-t', '-task', 'whoami', allocation.ID, '/bin/sh']);
    terminal.dispose();
  });

  it("Show Logs of All Allocations merges the job's running allocations, each line prefixed by allocation and task", async () => {
    const running = runningWhoami();
    assert.ok(running.length >= 2, 'the demo runs two whoami allocations');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.showJobLogs', { job: { id: 'whoami', namespace: 'default' } });
    const prefixes = () => new Set(editor.document.getText().split('\n').map((line) => /^([0-9a-f]{8} whoami) │ /.exec(line)?.[1]).filter(Boolean));
    await until(() => prefixes().size >= 2 && prefixes(), 'two allocations\' prefixes');
    assert.deepEqual([...prefixes()].sort(), running.map((allocation) => `${allocation.ID.slice(0, 8)} whoami`).sort());
    assert.equal(hashistack.logs.openStreams, running.length);
    // The prefix once, and the backlogs merged by the time each line states rather than one after another.
    await until(() => editor.document.getText().split('\n').filter((line) => / GET \/health /.test(line)).length >= 600, 'both backlogs');
    const rows = editor.document.getText().split('\n').filter((line) => / │ \d{4}-/.test(line));
    for (const row of rows) assert.equal(row.split(row.slice(0, 8)).length, 2, `the allocation named once: ${row}`);
    const times = rows.map((row) => Date.parse(row.split(' │ ')[1]!.split(' ')[0]!));
    const outOfOrder = times.findIndex((time, index) => index > 0 && time < times[index - 1]!);
    assert.equal(outOfOrder, -1, `lines in time order across allocations: ${rows.slice(Math.max(0, outOfOrder - 2), outOfOrder + 2).join('\n')}`);
    assert.ok(new Set(rows.slice(0, 40).map((row) => row.slice(0, 8))).size >= 2, 'the first lines already interleave allocations');
    assert.match(editor.document.lineAt(0).text, /ordered by the time each line states/);
    // Nomad scales the job up (a new allocation joins) and one allocation is stopped (it is marked).
    const nomad = (path: string, body: unknown) => fetch(`${process.env.NOMAD_ADDR}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((response) => assert.ok(response.ok, `${path}: ${response.status}`));
    await nomad('/v1/job/whoami/scale', { Count: 4, Target: { Job: 'whoami', Group: 'whoami' } });
    await until(() => prefixes().size > running.length, 'the new allocation to join', 15_000);
    assert.match(editor.document.getText(), /— [0-9a-f]{8} whoami joined/);
    await nomad(`/v1/allocation/${running[0]!.ID}/stop`, {});
    await until(() => editor.document.getText().includes(`— ${running[0]!.ID.slice(0, 8)} whoami stopped (complete, desired stop)`), 'the stopped allocation to be marked', 15_000);
    await resetScenario();
  });
});
