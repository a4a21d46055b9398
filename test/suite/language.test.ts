import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { until } from '../support/until';

function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, name);
}

const JOBSPEC = (rule: string, cpu = 100) => `job "rules" {\n  group "web" {\n    service {\n      name = "rules"\n      tags = [\n        "traefik.enable=true",\n        "traefik.http.routers.rules.rule=${rule}",\n      ]\n    }\n    task "web" {\n      driver = "docker"\n      config { image = "traefik/whoami:v1.10.3" }\n      resources {\n        cpu    = ${cpu}\n        memory = 32\n      }\n    }\n  }\n}\n`;

describe('Jobspecs as a language', () => {
  let hashistack: HashistackApi;
  const uri = workspaceFile('rules.nomad');
  before(async () => {
    hashistack = await api();
    await vscode.commands.executeCommand('hashistack.refreshNomad');
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('opens *.nomad as the nomad language, with an outline and semantic tokens', async () => {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JOBSPEC('Host(`rules.example.com`)')));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'nomad');
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
    assert.deepEqual(symbols.map((symbol) => symbol.name), ['rules']);
    assert.deepEqual(symbols[0]!.children.map((symbol) => symbol.name), ['web']);
    assert.deepEqual(symbols[0]!.children[0]!.children.map((symbol) => `${symbol.detail} ${symbol.name}`), ['service rules', 'task web']);
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', uri);
    assert.ok(tokens && tokens.data.length >= 5 * 6, 'block types, labels and attributes are tokens');
  });

  it('shows a broken Traefik rule in the Problems panel, and the quick fix repairs it', async () => {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JOBSPEC("Host('rules.example.com')")));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const problem = await until(() => vscode.languages.getDiagnostics(uri).find((diagnostic) => diagnostic.code === 'traefik-rule'), 'the rule problem');
    assert.match(problem.message, /single quotes/);
    assert.equal(document.getText(problem.range), "'rules.example.com'");
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problem.range)) ?? [];
    const fix = actions.find((action) => action.title.startsWith('Use backticks'));
    assert.ok(fix?.edit, actions.map((action) => action.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /rule=Host\(`rules\.example\.com`\)/);
    await until(() => !vscode.languages.getDiagnostics(uri).some((diagnostic) => diagnostic.code === 'traefik-rule') || undefined, 'the problem to go');
  });

  it('the hover on an image says what runs on the demo cluster', async () => {
    // A file of its own: whoami.nomad is bumped and undone by other tests, and may still be open with their text.
    const whoami = workspaceFile('hover-whoami.nomad');
    await vscode.workspace.fs.writeFile(whoami, new TextEncoder().encode('job "whoami" {\n  group "whoami" {\n    count = 3\n    task "whoami" {\n      driver = "docker"\n      config {\n        image = "traefik/whoami:v1.10.3"\n      }\n    }\n  }\n}\n'));
    const document = await vscode.workspace.openTextDocument(whoami);
    assert.ok(document.getText().includes('traefik/whoami:v1.10.3'), document.getText());
    const position = document.positionAt(document.getText().indexOf('traefik/whoami:v1.10.3') + 5);
    // The hover needs the document's parse, the job's stub, its definition and its deployment: wait for
    // the hover's own text, since any of them may still be on its way on a busy machine.
    const hoverText = async () => {
      hashistack.store.store?.nomad.jobDefinition('default', 'whoami');
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', whoami, position)) ?? [];
      return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
        .join('\n')
        // appendText keeps cluster text as text: spaces come as &nbsp;.
        .replace(/&nbsp;/g, ' ');
    };
    let last = '';
    const text = await until(async () => {
      last = await hoverText();
      // The definition (what the task runs) arrives on its own after the stub and the deployment.
      return /healthy · deployment of v\d+/.test(last) && /task whoami runs/.test(last) && last;
    }, 'a hover that says what runs on the cluster', 20_000).catch((error: Error) => {
      throw new Error(`${error.message}; the last hover said: ${JSON.stringify(last)}; the store's whoami deployments: ${JSON.stringify(hashistack.store.store?.nomad.state.data?.deployments.filter((d) => d.JobID === 'whoami').map((d) => `v${d.JobVersion} ${d.Status}`))}`);
    });
    await vscode.workspace.fs.delete(whoami).then(undefined, () => undefined);
    assert.match(text, /whoami on "[^"]+": running v\d+ · task whoami runs traefik\/whoami:v1\.10\.3/);
    assert.match(text, /\d\/3 healthy · deployment of v\d+/);
  });

  it('says which newer tag ECR has, on the lens, which bumps to it', async () => {
    const gallery = workspaceFile('ecs-gallery.tf');
    await vscode.workspace.openTextDocument(gallery);
    const titles = await until(async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gallery)) ?? [];
      const found = lenses.map((lens) => lens.command?.title ?? '');
      return found.some((title) => title.includes('available')) && found;
    }, 'the ECR lens (the demo AWS answers DescribeImages)');
    assert.ok(titles.includes('$(arrow-circle-up) v2.5.0 available'), titles.join(' | '));
    const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gallery)) ?? []).find((candidate) => candidate.command?.title.includes('v2.5.0 available'))!;
    const editor = await vscode.window.showTextDocument(gallery);
    assert.equal(await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? [])), true);
    assert.match(editor.document.getText(), /gallery:v2\.5\.0"/, 'the lens bumps to the newest tag in ECR');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    const document = await vscode.workspace.openTextDocument(gallery);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', gallery, document.positionAt(document.getText().indexOf('gallery:v2.4.1') + 3))) ?? [];
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n').replace(/&nbsp;/g, ' ');
    assert.match(text, /v2\.5\.0 available in ECR/, 'the hover says it too');
  });

  it('on save, the cluster validates the file and its error lands on the task', async () => {
    // A file of its own: a document just closed may still hold the text of the one before.
    const file = workspaceFile('validate-me.nomad');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JOBSPEC('Host(`rules.example.com`)', 0)));
    const document = await vscode.workspace.openTextDocument(file);
    const shown = await hashistack.diagnostics.validateOnCluster(document);
    assert.ok(typeof shown !== 'string', `validated (the demo cluster answers): ${String(shown)}`);
    const error = shown.find((diagnostic) => /minimum CPU value is 1; got 0/.test(diagnostic.message));
    assert.ok(error, `messages: ${shown.map((diagnostic) => diagnostic.message).join(' | ')}`);
    assert.equal(document.getText(error.range), 'web', 'at the task that has it');
    assert.match(String(error.source), /^Nomad \(/);
    await vscode.workspace.fs.delete(file);
  });

  it("with auto-save, the cluster validates once the saves stop, not on each one; a switch of profile takes the old profile's problems away", async () => {
    const file = workspaceFile('autosave-me.nomad');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JOBSPEC('Host(`rules.example.com`)', 0)));
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const nomadProblems = () => vscode.languages.getDiagnostics(file).filter((diagnostic) => /^Nomad \(/.test(String(diagnostic.source)));
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
    await files.update('autoSaveDelay', 50, vscode.ConfigurationTarget.Global);
    try {
      // Validations that earlier tests left waiting (a store replaced validates the open jobspecs again) first.
      await until(() => hashistack.diagnostics.pendingValidations === 0, 'no validation waiting from before');
      // This file's validations (other open jobspecs are auto-saved too, and validated in their turn).
      const sentBefore = hashistack.diagnostics.validationsOf(file);
      // Typing: each pause auto-saves; the validation waits for the saves to stop.
      const saved: number[] = [];
      const watching = vscode.workspace.onDidSaveTextDocument((saving) => saving.uri.toString() === file.toString() && saved.push(Date.now()));
      for (let index = 0; index < 4; index++) {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(file, document.positionAt(document.getText().length), `# edit ${index}\n`);
        await vscode.workspace.applyEdit(edit);
        await until(() => !document.isDirty && saved.length > index, 'the auto-save');
      }
      watching.dispose();
      const validations = async () => hashistack.diagnostics.validationsOf(file) - sentBefore;
      // Saves closer together than the debounce (2 s) make no request; a slow machine's longer pause may.
      const pauses = saved.slice(1).filter((at, index) => at - saved[index]! >= 2_000).length;
      assert.ok((await validations()) <= pauses, `nothing validated while saving (${await validations()} validations, ${pauses} pauses of 2 s or more between ${saved.length} saves)`);
      assert.equal(hashistack.diagnostics.pendingValidations >= 1, true, 'a validation waits for the saves to stop');
      await until(async () => (await validations()) === pauses + 1 && nomadProblems().length > 0, 'one validation once the saves stopped');
    } finally {
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
      await files.update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
    }
    // The problems were the active profile's: replacing its store (a new token, another profile) clears them
    // before the cluster now active validates the file again.
    const before = hashistack.store.store;
    await vscode.commands.executeCommand('hashistack.clearTokens');
    await until(() => hashistack.store.store !== before, 'the new store');
    assert.equal(nomadProblems().length, 0, "the old store's problems are gone");
    await until(() => nomadProblems().length > 0, 'validated again on the cluster now active');
    await vscode.workspace.fs.delete(file);
  });
});
