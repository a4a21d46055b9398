import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { ExplorerNode, tooltipText } from '../../src/core/tree/explorerNode';
import { MASKED_VALUE } from '../../src/core/nomad/variables';
import { clearFaults, resetScenario, setFault, writeKeyElsewhere, writeVariableElsewhere } from './demoControl';
import { until } from '../support/until';


/** What the demo's Nomad holds for a variable now (read as any client would). */
async function variableOnCluster(path: string): Promise<Record<string, string> | undefined> {
  const response = await fetch(`${process.env.NOMAD_ADDR}/v1/var/${path}?namespace=default`);
  return response.status === 404 ? undefined : ((await response.json()) as { Items: Record<string, string> }).Items;
}

async function keyOnCluster(key: string): Promise<string | undefined> {
  const response = await fetch(`${process.env.CONSUL_HTTP_ADDR}/v1/kv/${key}?raw`);
  return response.status === 404 ? undefined : response.text();
}

async function replaceText(editor: vscode.TextEditor, text: string): Promise<void> {
  const document = editor.document;
  await editor.edit((edit) => edit.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text));
}

describe('Nomad Variables and Consul KV as documents', function () {
  this.timeout(60_000);
  let hashistack: HashistackApi;

  before(async () => {
    hashistack = await api();
    await resetScenario();
    // Every section loaded once: a view that was never shown has not read its section yet.
    await vscode.commands.executeCommand('hashistack.refreshAll');
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => resetScenario());

  it("lists variables under Nomad (values masked) and keys under Consul, and a write elsewhere shows up while they are expanded", async () => {
    const nomadRoot = (await hashistack.explorer.providers.nomad.getChildren()) ?? [];
    const folder = nomadRoot.find((node) => node.id === 'nomad/variables');
    assert.ok(folder, nomadRoot.map((node) => node.id).join(', '));
    const rows = async (parent: ExplorerNode, section: 'nomad' | 'consul') => (await hashistack.explorer.providers[section].getChildren(parent)) ?? [];
    const all = async (nodes: ExplorerNode[], section: 'nomad' | 'consul'): Promise<ExplorerNode[]> => (await Promise.all(nodes.map(async (node) => [node, ...(node.children ? await all(node.children, section) : [])]))).flat();
    const variables = await all(await rows(folder, 'nomad'), 'nomad');
    const whoami = variables.find((node) => node.variable?.path === 'nomad/jobs/whoami');
    assert.ok(whoami, variables.map((node) => node.id).join(', '));
    assert.match(tooltipText(whoami) ?? "", new RegExp(MASKED_VALUE));
    assert.ok(!variables.some((node) => `${node.label} ${node.description ?? ''} ${tooltipText(node) ?? ''}`.includes('s3cr3t')), 'no value in any row');
    await writeVariableElsewhere('default', 'nomad/jobs/added-elsewhere', { a: 'b' });
    await until(async () => (await all(await rows(folder, 'nomad'), 'nomad')).some((node) => node.variable?.path === 'nomad/jobs/added-elsewhere'), 'the new variable in the held list', 20_000);

    const kvRoot = ((await hashistack.explorer.providers.consul.getChildren()) ?? []).find((node) => node.id === 'consul/kv')!;
    const top = await rows(kvRoot, 'consul');
    assert.deepEqual(top.map((node) => node.label), ['certs', 'config']);
    const config = await rows(top.find((node) => node.label === 'config')!, 'consul');
    assert.deepEqual(config.map((node) => node.label), ['launcher', 'whoami']);
    await writeKeyElsewhere('config/added/elsewhere', 'x');
    await until(async () => (await rows(top.find((node) => node.label === 'config')!, 'consul')).some((node) => node.label === 'added'), 'the new folder in the held listing', 20_000);
  });

  it('opens a variable as JSON, saves it with check-and-set, and the cluster has the new items', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.openVariable', { variable: { namespace: 'default', path: 'nomad/jobs/whoami' } });
    assert.deepEqual(JSON.parse(editor.document.getText()), { api_token: 's3cr3t-demo-token', name: 'demo-whoami' });
    await replaceText(editor, JSON.stringify({ api_token: 's3cr3t-demo-token', name: 'edited-in-vscode' }, null, 2));
    assert.ok(await editor.document.save(), 'the save went through');
    assert.equal((await variableOnCluster('nomad/jobs/whoami'))?.name, 'edited-in-vscode');
  });

  it("refuses a save over someone else's change: nothing is written, the text stays, and Compare shows theirs", async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.openVariable', { variable: { namespace: 'default', path: 'shared/smtp' } });
    await replaceText(editor, JSON.stringify({ host: 'smtp.example.com', password: 'mine', port: '587' }, null, 2));
    await writeVariableElsewhere('default', 'shared/smtp', { host: 'smtp.example.com', password: 'theirs', port: '2525' });
    // Refused: by VS Code's own check (the entry's index is its mtime) or, when the change came after VS Code
    // last looked, by the check-and-set.
    assert.equal(await editor.document.save(), false, 'the save was refused');
    assert.equal((await variableOnCluster('shared/smtp'))?.password, 'theirs');
    assert.ok(editor.document.isDirty);
    assert.match(editor.document.getText(), /"mine"/);
    // A write that races past that check meets the check-and-set: refused too, with their version to compare.
    await writeVariableElsewhere('default', 'shared/smtp', { host: 'smtp.example.com', password: 'theirs-again', port: '2525' });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(editor.document.uri, Buffer.from(editor.document.getText()))), /changed on the cluster meanwhile/);
    assert.equal((await variableOnCluster('shared/smtp'))?.password, 'theirs-again');
    await hashistack.variables.compare(editor.document.uri);
    const theirs = vscode.workspace.textDocuments.find((document) => document.uri.query.includes('theirs=1'));
    assert.ok(theirs, 'their version is open beside');
    assert.equal((JSON.parse(theirs.getText()) as Record<string, string>).password, 'theirs-again');
    // Merged and saved again: it is written over theirs, knowingly.
    await vscode.workspace.fs.writeFile(editor.document.uri, Buffer.from(JSON.stringify({ host: 'smtp.example.com', password: 'merged', port: '2525' })));
    assert.equal((await variableOnCluster('shared/smtp'))?.password, 'merged');
  });

  it('refuses items that are not what Nomad takes, saying what to write, and sends nothing', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.openVariable', { variable: { namespace: 'default', path: 'nomad/jobs/launcher' } });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(editor.document.uri, Buffer.from('{"port": 5432}'))), /Item "port" is a number/);
    assert.equal((await variableOnCluster('nomad/jobs/launcher'))?.consul_token, 'demo-launcher-token');
  });

  it('opens a Consul key as text, saves it keeping its flags; a binary value opens read-only with its size and first bytes', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.openKvKey', { kv: { key: 'config/launcher/features/search' } });
    assert.equal(editor.document.getText(), 'on');
    await replaceText(editor, 'off');
    assert.ok(await editor.document.save());
    assert.equal(await keyOnCluster('config/launcher/features/search'), 'off');
    const entry = (await (await fetch(`${process.env.CONSUL_HTTP_ADDR}/v1/kv/config/launcher/features/search`)).json()) as { Flags: number }[];
    assert.equal(entry[0]!.Flags, 42, 'the flags are kept');
    await writeKeyElsewhere('config/launcher/features/search', 'theirs');
    await replaceText(editor, 'mine');
    assert.equal(await editor.document.save(), false);
    assert.equal(await keyOnCluster('config/launcher/features/search'), 'theirs');

    const binary = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.openKvKey', { kv: { key: 'certs/legacy.der' } });
    assert.match(binary.document.getText(), /13 bytes that are not UTF-8 text/);
    assert.match(binary.document.getText(), /00000000 {2}30 82 01 0a/);
    const stat = await vscode.workspace.fs.stat(binary.document.uri);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
  });

  it('creates a key through a draft that is written on its first save, only if no one created it meanwhile', async () => {
    const uri = hashistack.kv.uri('config/created/in-vscode');
    await hashistack.kv.openDraft(uri, '');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), uri.toString());
    await replaceText(editor, 'hello');
    assert.ok(await editor.document.save());
    assert.equal(await keyOnCluster('config/created/in-vscode'), 'hello');
  });

  it("flags what a jobspec's template reads that the cluster lacks; the Problem clears once the key is created through its document", async () => {
    const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'template-data.nomad');
    const text = [
      'job "whoami" {',
      '  group "whoami" {',
      '    task "whoami" {',
      '      template {',
      '        destination = "secrets/app.env"',
      '        data        = <<-EOT',
      '          {{ with nomadVar "nomad/jobs/whoami" }}NAME={{ .name }} TOKEN={{ .no_such_item }}{{ end }}',
      '          FLAG={{ key "config/whoami/brand_new" }}',
      '        EOT',
      '      }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(file, Buffer.from(text));
    try {
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      const problems = async () => (await hashistack.templates.update(document)).map((diagnostic) => `${String(diagnostic.code)} ${document.getText(diagnostic.range)}`);
      await until(async () => {
        const now = await problems();
        return now.includes('key-missing config/whoami/brand_new') && now.includes('variable-item-missing no_such_item') && now;
      }, 'the missing key and item as Problems on their names', 20_000);
      // The hover says what the cluster has, values masked; Go to Definition opens the variable's document.
      const at = document.positionAt(text.indexOf('nomad/jobs/whoami') + 3);
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file, at)) ?? [];
      const hoverText = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
      assert.match(hoverText, /name = ••••••/);
      assert.ok(!hoverText.includes('demo-whoami') && !hoverText.includes('s3cr3t'), hoverText);
      const definitions = (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', file, at)) ?? [];
      assert.ok(definitions.some((location) => location.uri.scheme === 'nomad-var' && location.uri.path === '/default/nomad/jobs/whoami'), JSON.stringify(definitions.map((location) => location.uri.toString())));
      // The key is created through its document: the held read sees it, and the Problem goes.
      const key = hashistack.kv.uri('config/whoami/brand_new');
      await hashistack.kv.openDraft(key, '');
      await replaceText(vscode.window.activeTextEditor!, 'on');
      assert.ok(await vscode.window.activeTextEditor!.document.save());
      await until(async () => !(await problems()).some((problem) => problem.startsWith('key-missing')), 'the key-missing Problem to clear', 20_000);
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it("previews the platform's whoami template with variables masked, and it equals the file the running allocation rendered", async () => {
    const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'preview-whoami.nomad');
    await vscode.workspace.fs.writeFile(file, readFileSync(join(__dirname, '..', '..', '..', 'platform', 'nomad', 'whoami.nomad')));
    try {
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(document);
      const lenses = await until(async () => {
        const found = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file)) ?? []).filter((lens) => lens.command?.title === 'Preview Template');
        return found.length > 0 && found;
      }, 'the Preview Template lens on the template block', 20_000);
      assert.equal(document.lineAt(lenses[0]!.range.start.line).text.trim(), 'template {');
      const shown = await hashistack.templatePreviews.preview(document, 0);
      assert.ok(shown);
      assert.equal(shown.result.text, `WHOAMI_NAME=${MASKED_VALUE}\nGREETING=Hello from Consul KV\n`);
      assert.equal((await vscode.workspace.openTextDocument(shown.uri)).getText(), shown.result.text);
      const store = hashistack.store.store!;
      const allocation = await until(async () => {
        const syntax = await hashistack.jobspecs.syntax(document);
        const template = syntax && (await import('../../src/core/jobspec/templateBlocks')).jobspecTemplates(syntax.tree, syntax.text)[0];
        return template && hashistack.templatePreviews.runningAllocation(store, template);
      }, 'a running whoami allocation in the store', 20_000);
      const sides = await hashistack.templatePreviews.compare(document, 0, allocation);
      assert.ok(sides);
      const [rendered, preview] = await Promise.all(sides.map(async (uri) => (await vscode.workspace.openTextDocument(uri)).getText()));
      // The variable's value as it is now (an earlier test saved it): shown, not masked, on both sides.
      const name = (await variableOnCluster('nomad/jobs/whoami'))?.name;
      assert.equal(rendered, `WHOAMI_NAME=${name}\nGREETING=Hello from Consul KV\n`, 'the allocation rendered the values');
      assert.equal(preview, rendered, 'the preview with values shown is what the allocation rendered');
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  it('says which capability a 403 lacks, for a variable and for a key', async () => {
    await setFault('nomad', 'forbidden');
    await setFault('consul', 'forbidden');
    try {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(hashistack.variables.uri('default', 'nomad/jobs/forbidden-here'))), /needs "variables: read" on path nomad\/jobs\/forbidden-here in namespace default/);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(hashistack.kv.uri('config/forbidden-here'))), /needs "key:read" on config\/forbidden-here/);
    } finally {
      await clearFaults();
    }
  });

  it('never reads or writes a document on another profile than the one it was opened on', async () => {
    const other = vscode.Uri.from({ scheme: 'nomad-var', path: '/default/nomad/jobs/whoami', query: 'profile=somewhere-else' });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(other)), /on cluster "somewhere-else"/);
  });
});
