import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { HOSTILE_NAMES } from '../support/hostileNames';
import { until } from '../support/until';
import { resetScenario } from './demoControl';
import { DeployRunner } from '../../src/services/deployRunner';
import { findJobspecsDefining } from '../../src/services/jobspecFinder';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';

const RECORD = process.env.HASHISTACK_RECORD_FILE;


function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  await vscode.workspace.openTextDocument(uri);
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((lens) => lens.command?.title ?? '');
}

/** Lenses until one matches: the status lens fills in when the job definition arrives in the cache. */
async function waitForLens(uri: vscode.Uri, pattern: RegExp): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  let titles: string[] = [];
  while (Date.now() < deadline) {
    titles = await lensTitles(uri);
    if (titles.some((title) => pattern.test(title))) return titles;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`no lens matched ${pattern}; lenses: ${titles.join(' | ')}`);
}

/** A task run by the extension itself (Plan in Terminal): it has no process events, only its end. */
async function runCustomAndWait(command: string, ...args: unknown[]): Promise<vscode.TaskExecution> {
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const subscription = vscode.tasks.onDidEndTask((event) => {
    if ((event.execution.task.definition as { type?: string }).type === 'hashistack') ended();
  });
  const execution = await vscode.commands.executeCommand<vscode.TaskExecution | undefined>(command, ...args);
  assert.ok(execution, `${command} started a task`);
  await done;
  subscription.dispose();
  return execution;
}

async function runAndWait(command: string, ...args: unknown[]): Promise<number | undefined> {
  const ended = new Promise<number | undefined>((resolve) => {
    const subscription = vscode.tasks.onDidEndTaskProcess((event) => {
      if ((event.execution.task.definition as { type?: string }).type === 'hashistack') {
        subscription.dispose();
        resolve(event.exitCode);
      }
    });
  });
  const execution = await vscode.commands.executeCommand<vscode.TaskExecution | undefined>(command, ...args);
  assert.ok(execution, `${command} started a task`);
  return ended;
}

/** Registers a jobspec on the demo as `nomad job run` does: parsed by the cluster, then submitted. */
async function register(hcl: string): Promise<{ JobModifyIndex: number }> {
  const nomad = process.env.NOMAD_ADDR!;
  const parsed = (await (await fetch(`${nomad}/v1/jobs/parse`, { method: 'POST', body: JSON.stringify({ JobHCL: hcl }) })).json()) as unknown;
  const response = await fetch(`${nomad}/v1/jobs`, { method: 'POST', body: JSON.stringify({ Job: parsed }) });
  assert.ok(response.ok, `registered: ${response.status}`);
  return (await response.json()) as { JobModifyIndex: number };
}

function records(): { argv: string[]; env: Record<string, string | null>; cwd: string }[] {
  assert.ok(RECORD, 'HASHISTACK_RECORD_FILE is set by the runner');
  if (!existsSync(RECORD)) return [];
  return readFileSync(RECORD, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('Jobspec tooling: lenses, bumps and deploys', () => {
  let hashistack: HashistackApi;
  before(async () => {
    hashistack = await api();
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    if (RECORD) rmSync(RECORD, { force: true });
    // These tests look at what runs; the confirmation has its own scenario in the UI tests.
    await vscode.workspace.getConfiguration('hashistack.deploy').update('confirm', false, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('hashistack.deploy').update('confirm', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows Deploy, Plan, Bump image and what runs now above the job', async () => {
    const uri = workspaceFile('whoami.nomad');
    await vscode.window.showTextDocument(uri);
    const titles = await waitForLens(uri, /running v1\.10\.3/);
    assert.ok(titles.includes('$(rocket) Deploy'));
    assert.ok(titles.includes('$(diff) Plan'));
    assert.ok(titles.includes('$(arrow-up) Bump image (v1.10.3)'));
    assert.ok(titles.includes('$(check) running v1.10.3 · 3/3 healthy · file matches'), titles.join(' | '));
  });

  it('bumps the tag with one edit that one undo reverts, and the status lens sees the change', async () => {
    const uri = workspaceFile('whoami.nomad');
    const editor = await vscode.window.showTextDocument(uri);
    const before = editor.document.getText();
    const applied = await vscode.commands.executeCommand('hashistack.bumpImage', { uri: uri.toString(), jobId: 'whoami' }, 'patch');
    assert.equal(applied, true);
    const after = editor.document.getText();
    assert.equal(after, before.replace('traefik/whoami:v1.10.3', 'traefik/whoami:v1.10.4'));
    await waitForLens(uri, /file has v1\.10\.4 — not deployed/);
    assert.ok((await lensTitles(uri)).includes('$(arrow-up) Bump image (v1.10.4)'), 'the lens follows the edit (incremental reparse)');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), before, 'one undo restores the file byte for byte');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('deploys in a task with nomad job run -check-index <planned index> <file> and the profile environment, token included', async () => {
    await vscode.commands.executeCommand('hashistack.setNomadToken', 'deploy-token-123');
    const uri = workspaceFile('whoami.nomad');
    const exit = await runAndWait('hashistack.deployJob', { uri: uri.toString(), jobId: 'whoami' });
    assert.equal(exit, 0);
    const record = records().at(-1)!;
    const running = hashistack.store.store!.nomad.state.data!.jobs.find((job) => job.ID === 'whoami')!;
    assert.deepEqual(record.argv, ['job', 'run', '-check-index', String(running.JobModifyIndex), uri.fsPath], 'checked against the index the plan was made at');
    assert.equal(record.env.NOMAD_ADDR, process.env.NOMAD_ADDR);
    assert.equal(record.env.CONSUL_HTTP_ADDR, process.env.CONSUL_HTTP_ADDR);
    assert.equal(record.env.NOMAD_NAMESPACE, 'default');
    assert.equal(record.env.NOMAD_TOKEN_SHA, createHash('sha256').update('deploy-token-123').digest('hex'));
    await vscode.commands.executeCommand('hashistack.setNomadToken', '');
  });

  it("a jobspec's title-bar and context-menu entries run with the arguments VS Code passes them (the file's URI, then the editor's own object)", async () => {
    const manifest = JSON.parse(readFileSync(vscode.Uri.joinPath(vscode.extensions.getExtension('hashistack.hashistack')!.extensionUri, 'package.json').fsPath, 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const entries = ['editor/title', 'editor/context'].flatMap((menu) => manifest.contributes.menus[menu]!.filter((entry) => entry.when?.includes('resourceFilename')).map((entry) => entry.command));
    assert.deepEqual([...new Set(entries)].sort(), ['hashistack.deployJob', 'hashistack.planJobInTerminal'], 'a new entry gets its case here');
    const uri = workspaceFile('whoami.nomad');
    await vscode.window.showTextDocument(uri);
    const editorContext = { groupId: 0, editorIndex: 0 };
    // The title bar's Deploy: the file's job deployed, as from its lens.
    const before = records().length;
    assert.equal(await runAndWait('hashistack.deployJob', uri, editorContext), 0);
    assert.deepEqual(records().slice(before).at(-1)!.argv.slice(0, 2), ['job', 'run']);
    assert.equal(records().at(-1)!.argv.at(-1), uri.fsPath);
    // The editor context menu's Plan in Terminal.
    const execution = await runCustomAndWait('hashistack.planJobInTerminal', uri, editorContext);
    assert.match(execution.task.name, /^Plan whoami on "/);
  });

  it('Plan shows the cluster\'s plan of the text in the editor as a document, the changed image old → new', async () => {
    const uri = workspaceFile('whoami.nomad');
    const editor = await vscode.window.showTextDocument(uri);
    assert.equal(await vscode.commands.executeCommand('hashistack.bumpImage', { uri: uri.toString(), jobId: 'whoami' }, 'patch'), true);
    // Who saves the file while it is planned, if anything does: said in the failure.
    const saves: string[] = [];
    const saveReasons: vscode.TextDocumentSaveReason[] = [];
    const saving = vscode.workspace.onWillSaveTextDocument((event) => {
      if (event.document.uri.toString() !== uri.toString()) return;
      saveReasons.push(event.reason);
      saves.push(`reason ${event.reason}: ${new Error().stack?.split('\n').slice(2, 6).join(' / ')}`);
    });
    try {
      const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('hashistack.planJob', { uri: uri.toString(), jobId: 'whoami' });
      assert.ok(document, 'a plan document opened');
      assert.equal(document.uri.scheme, 'hashistack-plan');
      assert.equal(document.languageId, 'markdown');
      const text = document.getText();
      assert.match(text, /^# Plan: job "whoami" on "/);
      assert.match(text, /~ Edited `image`: `traefik\/whoami:v1\.10\.3` → `traefik\/whoami:v1\.10\.4`/);
      assert.match(text, /Job Modify Index: \*\*\d+\*\*/);
      // Plan never saves: no save but the editor's own auto-save (AfterDelay, seen twice in CI under load with
      // no auto-save configured by this suite — the workbench's, not the extension's) may have touched it.
      assert.ok(
        saveReasons.every((reason) => reason === vscode.TextDocumentSaveReason.AfterDelay) && (editor.document.isDirty || saveReasons.length > 0),
        `planning does not save the file (saves: ${saves.join(' | ') || 'none seen'})`,
      );
      // Rendered: the Markdown preview of the plan opens beside the jobspec.
      const previewShown = () => vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === 'Preview Plan of whoami.md'));
      await until(previewShown, 'the rendered plan');
      // Planning again updates the same preview, not a second one.
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('hashistack.planJob', { uri: uri.toString(), jobId: 'whoami' });
      assert.equal(vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label === 'Preview Plan of whoami.md').length, 1);
      // An edit after the plan makes it out of date, said in the plan itself.
      assert.equal(hashistack.planDocuments.outdatedReason(document.uri), undefined);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '# edited after the plan\n');
      await vscode.workspace.applyEdit(edit);
      await until(() => /^> \*\*Out of date:\*\* whoami\.nomad changed since this plan was made \(/m.test(document.getText()), 'the plan saying it is out of date');
      assert.match(document.getText(), /^# Plan: job "whoami"/, 'the title stays first');
    } finally {
      saving.dispose();
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('Plan links a parse error of the cluster to its position in the file', async () => {
    const uri = workspaceFile('broken-plan.nomad');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('job "broken" {\n  group "g" {\n    count = \n  }\n}\n'));
    try {
      const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('hashistack.planJob', { uri: uri.toString(), jobId: 'broken' });
      assert.ok(document);
      assert.match(document.getText(), /could not parse `broken-plan\.nomad`/);
      const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri)) ?? [];
      const target = links.map((link) => link.target).find((link) => link?.path === uri.path);
      assert.ok(target, `a link to the jobspec: ${links.map((link) => link.target?.toString()).join(', ')}`);
      assert.match(target.fragment, /^L\d+,\d+$/);
      // The rendered preview links there too: the position is a Markdown link to the file at that line.
      assert.match(document.getText(), /^- \[`broken-plan\.nomad:\d+:\d+`\]\(<file:\/\/\/.*broken-plan\.nomad#L\d+(,|%2C)\d+>\)$/m);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('Plan in Terminal runs nomad job plan, and its exit code 1 (changes) does not fail the task', async () => {
    const uri = workspaceFile('whoami.nomad');
    const terminal = vscode.workspace.getConfiguration('terminal.integrated');
    const env = terminal.get<Record<string, string>>('env.linux') ?? {};
    await terminal.update('env.linux', { ...env, HASHISTACK_STANDIN_EXIT: '1' }, vscode.ConfigurationTarget.Global);
    const ends: { exitCode: number; taskExitCode: number; words: string }[] = [];
    const subscription = hashistack.deployRunner.onDidEndPlan((end) => ends.push(end));
    try {
      const execution = await runCustomAndWait('hashistack.planJobInTerminal', { uri: uri.toString(), jobId: 'whoami' });
      assert.match(execution.task.name, /^Plan whoami on "[^"]+" \(nomad job plan\)$/, 'the tab names the cluster');
      assert.deepEqual(records().at(-1)!.argv, ['job', 'plan', uri.fsPath]);
      assert.equal(ends.length, 1);
      assert.equal(ends[0]!.exitCode, 1, 'nomad job plan exited 1');
      assert.equal(ends[0]!.taskExitCode, 0, 'exit code 1 is "changes": the task ends successfully');
      assert.match(ends[0]!.words, /changes, not a failure/);
    } finally {
      subscription.dispose();
      await terminal.update('env.linux', env, vscode.ConfigurationTarget.Global);
    }
  });

  it("finding a job's jobspec leaves out what files.exclude hides (an editor history copy)", async () => {
    const copy = workspaceFile('.history/whoami_20261201.nomad');
    await vscode.workspace.fs.writeFile(copy, await vscode.workspace.fs.readFile(workspaceFile('whoami.nomad')));
    const files = vscode.workspace.getConfiguration('files');
    try {
      assert.equal((await findJobspecsDefining('whoami')).filter((match) => match.uri.path.includes('/.history/')).length, 1, 'without the exclude, the copy is found');
      await files.update('exclude', { '**/.history': true }, vscode.ConfigurationTarget.Global);
      const matches = await findJobspecsDefining('whoami');
      assert.ok(matches.length > 0);
      assert.deepEqual(matches.filter((match) => match.uri.path.includes('/.history/')), [], 'with it, the copy is not');
    } finally {
      await files.update('exclude', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(copy);
    }
  });

  it('the deploy runner itself refuses to run anything in an untrusted workspace (whatever calls it)', async () => {
    const log = vscode.window.createOutputChannel('Hashistack guard test', { log: true });
    const tokens = { get: async () => undefined } as unknown as ConstructorParameters<typeof DeployRunner>[1];
    const untrusted = new DeployRunner(hashistack.profiles, tokens, log, () => false);
    try {
      const before = records().length;
      const started: string[] = [];
      const subscription = vscode.tasks.onDidStartTask((event) => started.push(event.execution.task.name));
      const execution = await untrusted.run({ kind: 'nomadJob', file: workspaceFile('whoami.nomad').fsPath, jobId: 'whoami' }, 'deploy');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      subscription.dispose();
      assert.equal(execution, undefined, 'no task');
      assert.deepEqual(started, [], 'no task started');
      assert.equal(records().length, before, 'nomad never ran');
    } finally {
      untrusted.dispose();
      log.dispose();
    }
  });

  // Every name of the quoting corpus, through a real VS Code task and the real shell, to the stand-in nomad.
  for (const hostile of ["it's $HOME; `echo pwned` $(id) & ü", ...HOSTILE_NAMES]) {
    const name = hostile.endsWith('.nomad') ? hostile : `${hostile}.nomad`;
    it(`a hostile file name reaches nomad as one argument, unchanged: ${name}`, async () => {
      const uri = workspaceFile(name);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('job "hostile" {\n  group "g" {\n    task "t" {\n      config { image = "busybox:1.36.1" }\n    }\n  }\n}\n'));
      const before = records().length;
      await runAndWait('hashistack.deployJob', { uri: uri.toString(), jobId: 'hostile' });
      assert.equal(records().length, before + 1, 'nomad ran once');
      // A new job: -check-index 0, "register only if it does not exist yet".
      assert.deepEqual(records().at(-1)!.argv, ['job', 'run', '-check-index', '0', uri.fsPath]);
    });
  }

  it('deploys an ECS service with a targeted terraform apply', async () => {
    const uri = workspaceFile('ecs-gallery.tf');
    const titles = await lensTitles(uri);
    assert.ok(titles.includes('$(arrow-up) Bump image (v2.4.1)'), titles.join(' | '));
    await runAndWait('hashistack.deployEcs', { uri: uri.toString(), address: 'module.gallery_ecs' });
    const record = records().at(-1)!;
    assert.deepEqual(record.argv, [`-chdir=${vscode.Uri.joinPath(uri, '..').fsPath}`, 'apply', '-target=module.gallery_ecs']);
  });

  it("works on platform/'s own jobspec, and deploys it through platform/scripts/deploy-nomad.sh", async () => {
    const repository = vscode.Uri.file(join(__dirname, '..', '..', '..'));
    const jobspec = vscode.Uri.joinPath(repository, 'platform', 'nomad', 'whoami.nomad');
    const titles = await waitForLens(jobspec, /running v1\.10\.3/);
    assert.ok(titles.includes('$(arrow-up) Bump image (v1.10.3)'), titles.join(' | '));
    assert.ok(titles.some((title) => title.endsWith('file matches')), titles.join(' | '));
    const config = vscode.workspace.getConfiguration('hashistack.deploy');
    const script = vscode.Uri.joinPath(repository, 'platform', 'scripts', 'deploy-nomad.sh').fsPath;
    await config.update('nomadCommand', [script, '${file}'], vscode.ConfigurationTarget.Global);
    try {
      const before = records().length;
      assert.equal(await runAndWait('hashistack.deployJob', { uri: jobspec.toString(), jobId: 'whoami' }), 0);
      // The script plans first, then runs: two calls of the stand-in nomad.
      assert.deepEqual(records().slice(before).map((record) => record.argv), [
        ['job', 'plan', '--', jobspec.fsPath],
        ['job', 'run', '--', jobspec.fsPath],
      ]);
    } finally {
      await config.update('nomadCommand', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Bump Image from an explorer job opens its jobspec and bumps it', async () => {
    const jobs = (await hashistack.explorer.providers.nomad.getChildren(hashistack.explorer.providers.nomad.rootNodes.find((node) => node.label === 'Jobs'))) ?? [];
    const whoami = jobs.find((job) => job.label === 'whoami');
    assert.ok(whoami);
    assert.equal(await vscode.commands.executeCommand('hashistack.bumpImage', whoami, 'minor'), true);
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.fileName, /whoami\.nomad$/);
    assert.match(editor.document.getText(), /traefik\/whoami:v1\.11\.0/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('Bump Image from a job row asks which file when several declare the job, and does nothing when none is picked', async () => {
    const copy = workspaceFile('whoami.staging.nomad');
    await vscode.workspace.fs.writeFile(copy, await vscode.workspace.fs.readFile(workspaceFile('whoami.nomad')));
    try {
      // Something else in front, to see whether a jobspec got opened.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('ecs-gallery.tf')));
      const bump = vscode.commands.executeCommand('hashistack.bumpImage', { job: { id: 'whoami', namespace: 'default' } }, 'minor');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.notEqual(await bump, true, 'nothing bumped');
      assert.match(vscode.window.activeTextEditor?.document.fileName ?? '', /ecs-gallery\.tf$/, 'no jobspec opened: the user was asked which one, and chose none');
      assert.ok(!vscode.workspace.textDocuments.some((document) => document.isDirty && /whoami/.test(document.fileName)), 'no whoami file changed');
    } finally {
      await vscode.workspace.fs.delete(copy);
    }
  });

  it("a job deployed with too little memory is OOM-killed: a Problem on its memory line with no click, in the Problems panel when closed too; the quick fix deployed clears it", async () => {
    const file = workspaceFile('oom-whoami.nomad');
    const jobspec = (memory: number) => `job "whoami" {\n  datacenters = ["dc1"]\n  type        = "service"\n\n  group "whoami" {\n    count = 3\n\n    task "whoami" {\n      driver = "docker"\n\n      config {\n        image = "traefik/whoami:v1.10.3"\n      }\n\n      resources {\n        cpu    = 50\n        memory = ${memory}\n      }\n    }\n  }\n}\n`;
    const closedFile = workspaceFile('oom-whoami-copy.nomad');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(jobspec(16)));
    await vscode.workspace.fs.writeFile(closedFile, new TextEncoder().encode(`# A copy, never opened.\n${jobspec(16)}`));
    const failures = () => vscode.languages.getDiagnostics(file).filter((diagnostic) => diagnostic.code === 'oom-killed');
    try {
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      // The demo's tasks use 24 MB: 16 is OOM-killed (no update block: no deployment, no auto-revert). The host
      // suite's stand-in nomad only records, so the job is registered as `nomad job run` does, through the API.
      await register(jobspec(16));
      const [problem] = await until(() => failures().length > 0 && failures(), () => `the OOM on the jobspec, with no click (last pass:${hashistack.failures.lastPass})`, 20_000);
      assert.equal(document.lineAt(problem!.range.start.line).text.trim(), 'memory = 16', 'on the memory line');
      assert.match(problem!.message, /^task "whoami" was OOM-killed (once|\d+ times) in the last 1 h \(memory = 16 MB\)/);
      assert.match(String(problem!.source), /^nomad \(/);
      // Nomad gave up restarting it too: that is on the task (this file has no restart block), in Nomad's words.
      const loop = await until(() => vscode.languages.getDiagnostics(file).find((diagnostic) => diagnostic.code === 'restart-loop'), 'the restart loop');
      assert.match(document.lineAt(loop.range.start.line).text, /task "whoami"/);
      assert.match(loop.message, /Nomad gave up: Exceeded allowed attempts 2 in interval 30m0s/);
      // A jobspec of the same job that was never opened has it too: the Problems panel lists what is broken on
      // the cluster without opening anything.
      const closedFailures = () => vscode.languages.getDiagnostics(closedFile).filter((diagnostic) => diagnostic.code === 'oom-killed');
      const [closedProblem] = await until(() => closedFailures().length > 0 && closedFailures(), () => `the OOM on the closed jobspec (last pass:${hashistack.failures.lastPass})`);
      assert.equal(closedProblem!.range.start.line, problem!.range.start.line + 1, 'its own memory line (one comment line lower)');
      assert.ok(!vscode.workspace.textDocuments.some((candidate) => candidate.uri.toString() === closedFile.toString()), 'never opened');
      // The quick fix raises it, and offers to show the allocation that reported it.
      const actions = await until(async () => {
        const offered = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, failures()[0]!.range)) ?? [];
        return offered.some((action) => /^Raise memory to 64 MB/.test(action.title)) && offered;
      }, 'the quick fix');
      const raise = actions.find((action) => /^Raise memory to 64 MB/.test(action.title));
      assert.ok(raise?.edit, `the quick fix: ${actions.map((action) => action.title).join(' | ')}`);
      const show = actions.find((action) => /^Show allocation [0-9a-f]{8} in the Nomad view$/.test(action.title));
      assert.equal(show?.command?.command, 'hashistack.revealAllocation', actions.map((action) => action.title).join(' | '));
      await vscode.workspace.applyEdit(raise.edit);
      assert.match(document.getText(), /memory = 64\n/);
      await document.save();
      // The fix deployed: a version that runs replaces the killed allocations, and the Problems go by themselves.
      await register(document.getText());
      await until(() => vscode.languages.getDiagnostics(file).filter((diagnostic) => /^nomad \(/.test(String(diagnostic.source))).length === 0, 'the Problems cleared once the new version runs', 20_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
      await vscode.workspace.fs.delete(closedFile);
      await resetScenario();
    }
  });

  it('Open Rollout Timeline shows a deployment\'s lanes and keeps them current until its failure is told, the cause first', async () => {
    // The platform's whoami (a canary, auto_revert) with too little memory: the canary is OOM-killed.
    const platform = readFileSync(join(__dirname, '..', '..', '..', 'platform', 'nomad', 'whoami.nomad'), 'utf8');
    const store = hashistack.store.store!;
    try {
      const registered = await register(platform.replace(/memory\s*=\s*\d+/, 'memory = 16'));
      const deployment = await until(() => store.nomad.state.data!.deployments.find((candidate) => candidate.JobID === 'whoami' && candidate.JobModifyIndex === registered.JobModifyIndex), 'the deployment of the new version', 20_000);
      const document = await vscode.commands.executeCommand<vscode.TextDocument>('hashistack.openRolloutTimeline', { deployment: { id: deployment.ID, jobId: 'whoami', namespace: 'default' } });
      assert.equal(document.uri.scheme, 'hashistack-timeline');
      assert.match(document.getText(), new RegExp(`^# Rollout of whoami · job version ${deployment.JobVersion}`));
      // Live: the document follows the deployment to its end without a click.
      const text = await until(() => {
        const current = hashistack.timelines.textOf(document.uri) ?? '';
        return /\*\*failed\*\*/.test(current) && current;
      }, () => `the failure told (${hashistack.timelines.textOf(document.uri)?.split('\n').slice(0, 3).join(' / ')})`, 30_000);
      assert.match(text, /## Cause\n\n- \*\*[0-9a-f]{8} \(canary\)\*\* · whoami\.whoami\\\[\d\\\]: Exit Code: 137 · OOM Killed/);
      assert.match(text, /\| [0-9a-f]{8} \(canary\) \| whoami: terminated — Exit Code: 137/);
      assert.match(text, /\| deployment \| failed: /);
      assert.ok(text.indexOf('## Cause') < text.indexOf('## Timeline'));
      await until(() => document.getText() === text || /\*\*failed\*\*/.test(document.getText()), 'the document has the new text');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await resetScenario();
    }
  });

  it("a plan whose group fits no node puts the scheduler's reason on the memory line it asks for; planning the fix clears it", async () => {
    const file = workspaceFile('too-big.nomad');
    const jobspec = (memory: number) => `job "too-big" {\n  datacenters = ["dc1"]\n  type        = "service"\n\n  group "web" {\n    count = 2\n\n    task "app" {\n      driver = "docker"\n      config {\n        image = "traefik/whoami:v1.10.3"\n      }\n      resources {\n        cpu    = 100\n        memory = ${memory}\n      }\n    }\n  }\n}\n`;
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(jobspec(100_000)));
    const placement = () => vscode.languages.getDiagnostics(file).filter((diagnostic) => diagnostic.code === 'placement-failed');
    try {
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('hashistack.planJob', { uri: file.toString(), jobId: 'too-big' });
      const [problem] = await until(() => placement().length > 0 && placement(), 'the failed placement on the jobspec');
      assert.equal(document.lineAt(problem!.range.start.line).text.trim(), 'memory = 100000');
      assert.match(problem!.message, /^group "web" cannot be placed \(2 allocations\): memory exhausted on 3 nodes of 3 evaluated$/);
      // The fix, planned: nothing fails to place, and the Problem goes.
      const edit = new vscode.WorkspaceEdit();
      edit.replace(file, new vscode.Range(0, 0, document.lineCount, 0), jobspec(64));
      await vscode.workspace.applyEdit(edit);
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('hashistack.planJob', { uri: file.toString(), jobId: 'too-big' });
      await until(() => placement().length === 0, 'the Problem cleared by a plan that places everything');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
    }
  });
});
