import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { until } from '../support/until';
import type { HashistackApi } from '../../src/extension';
import { api } from './extensionApi';
import { ExplorerNode } from '../../src/core/tree/explorerNode';

// Runs before any other suite that uses AWS (files run in name order): the AWS SDK must not be loaded before the AWS
// section is used.
const SDK_BUNDLE = join(__dirname, '..', '..', '..', 'dist', 'aws-sdk.js');

describe('The AWS section on the demo AWS endpoint', () => {
  let hashistack: HashistackApi;
  const root = async () => (await hashistack.explorer.providers.aws.getChildren()) ?? [];
  const children = async (node: ExplorerNode) => (await hashistack.explorer.providers.aws.getChildren(node)) ?? [];
  const find = (nodes: ExplorerNode[], label: string) => {
    const node = nodes.find((candidate) => candidate.label === label);
    assert.ok(node, `a row "${label}" among ${nodes.map((n) => n.label).join(', ')}`);
    return node;
  };

  before(async () => {
    hashistack = await api();
  });

  it('loads the AWS SDK only when the AWS section is first used, from its own bundle', async () => {
    assert.equal(require.cache[SDK_BUNDLE], undefined, 'not loaded on activation');
    assert.deepEqual(hashistack.profiles.active.aws, { region: 'eu-west-1', clusterTag: { key: 'hashistack-cluster', value: 'hashistack' }, ecsCluster: 'hashistack' });
    await vscode.commands.executeCommand('hashistack.refreshNomad');
    await vscode.commands.executeCommand('hashistack.refreshAws');
    assert.ok(require.cache[SDK_BUNDLE], 'loaded once the AWS section refreshed');
  });

  it('shows the tagged nodes with their Elastic IP and their Nomad node', async () => {
    const nodes = await children(find(await root(), 'Nodes'));
    assert.deepEqual(nodes.map((node) => node.label), ['hashi-server-a', 'hashi-server-b', 'hashi-server-c']);
    assert.equal(find(nodes, 'hashi-server-a').description, 'running · t3.medium · eu-west-1a · 10.0.1.10 · EIP 198.51.100.10 · Nomad ready');
    assert.equal(find(nodes, 'hashi-server-c').description, 'running · t3.medium · eu-west-1c · 10.0.3.10 · 203.0.113.22 · Nomad ready (ineligible)');
  });

  it('shows the Elastic IPs, attached and free', async () => {
    const addresses = await children(find(await root(), 'Elastic IPs'));
    assert.deepEqual(addresses.map((address) => `${address.label} ${address.description}`), ['198.51.100.10 → hashi-server-a', '198.51.100.11 free']);
  });

  it('with ECS failing, still shows the nodes and Elastic IPs; the ECS part says what AWS said', async () => {
    const fault = `${process.env.AWS_ENDPOINT_URL_ECS}/_demo/ecs-fault`;
    await fetch(fault, { method: 'PUT' });
    try {
      await vscode.commands.executeCommand('hashistack.refreshAws');
      const rows = await root();
      assert.deepEqual((await children(find(rows, 'Nodes'))).map((node) => node.label), ['hashi-server-a', 'hashi-server-b', 'hashi-server-c']);
      assert.equal((await children(find(rows, 'Elastic IPs'))).length, 2);
      const ecs = await children(find(rows, 'ECS: hashistack'));
      assert.equal(ecs.length, 1);
      assert.match(ecs[0]!.label, /ClusterNotFoundException|Cluster not found/);
      assert.match(ecs[0]!.contextValue, /\berror\b/);
    } finally {
      await fetch(fault, { method: 'DELETE' });
      await vscode.commands.executeCommand('hashistack.refreshAws');
    }
    assert.ok((await children(find(await root(), 'ECS: hashistack'))).some((node) => node.label === 'gallery'), 'back once ECS answers');
  });

  it('shows the ECS services with counts, revision, rollout and images, and their tasks', async () => {
    const services = await children(find(await root(), 'ECS: hashistack'));
    const gallery = find(services, 'gallery');
    assert.equal(gallery.description, '1/1 running · FARGATE · gallery:7 · completed');
    assert.deepEqual(gallery.ecsImages, [{ container: 'gallery', image: 'public.ecr.aws/nginx/nginx:1.27.5' }]);
    assert.match(gallery.url!, /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/ecs\/v2\/clusters\/hashistack\/services\/gallery\//);
    const [events, stopped, ...tasks] = await children(gallery);
    assert.equal(tasks.length, 1);
    assert.match(tasks[0]!.description!, /^running · healthy · 10\.0\.101\.23/);
    // What ECS said of it, newest first: back to steady after a failed health check and a placement with no room.
    assert.equal(events!.label, 'Events');
    const eventRows = await children(events!);
    assert.deepEqual(eventRows.map((row) => row.label.split(' ').slice(0, 4).join(' ')), ['has reached a steady', '(task 2a7d1e5c9f3b4e6a8c0d1f2e3a4b5c6d) failed container', 'was unable to place']);
    assert.deepEqual(eventRows[2]!.command?.arguments, [{ ecsConcern: { service: 'gallery', concern: 'resources' } }]);
    // The tasks ECS stopped, read when the folder opens: an image it could not pull, a container out of memory.
    const stoppedRows = await children(stopped!);
    assert.deepEqual(stoppedRows.map((row) => row.description!.replace(/ · \S+ (min|h|d) ago$|· \d+ \w+ ago$/, '').split(':')[0]), ['CannotPullContainerError', 'Essential container in task exited · gallery exit 137'], 'newest first');
  });

  it("Show Logs on an ECS service tails its container's CloudWatch Logs: the last minutes, then Live Tail, each line prefixed by task and container, at its own time; closing the view ends the session", async () => {
    const demoControl = (path: string, method = 'GET') => fetch(`${process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS}/_demo/${path}`, { method }).then((response) => response.json() as Promise<Record<string, unknown>>);
    const gallery = find(await children(find(await root(), 'ECS: hashistack')), 'gallery');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.ecsShowLogs', gallery);
    try {
      assert.equal(editor.document.uri.scheme, 'hashistack-logs');
      const access = () => editor.document.getText().split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} 5f1c0e8a gallery │ 10\.0\.101\.\d+ - - \[/.test(line));
      // The backlog: ten minutes of an access line every 3 s.
      await until(() => access().length >= 150, () => `the backlog shown: ${editor.document.getText().slice(0, 400)}`, 20_000);
      await until(async () => (await demoControl('live-tails')).liveTails === 1, 'a Live Tail session open');
      const count = access().length;
      await until(() => access().length > count, 'a new line through Live Tail', 20_000);
      assert.match(editor.document.lineAt(0).text, /^ECS gallery · every task · CloudWatch Logs/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    await until(async () => (await demoControl('live-tails')).liveTails === 0 && hashistack.logs.openStreams === 0, 'the session ended with its view');

    // Live Tail refused (a role without logs:StartLiveTail): the view says so and follows by FilterLogEvents.
    await demoControl('live-tail-refused', 'PUT');
    try {
      const polled = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.ecsShowLogs', gallery);
      await until(() => /Live Tail is not available \(AccessDeniedException: .*logs:StartLiveTail.*\): following with FilterLogEvents every 2 s/.test(polled.document.getText()), () => `the fallback said: ${polled.document.getText().slice(0, 600)}`, 20_000);
    } finally {
      await demoControl('live-tail-refused', 'DELETE');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }

    // A task ECS stopped: the minutes before it was killed, and nothing followed.
    const stopped = await children((await children(gallery))[1]!);
    const oom = stopped.find((row) => /exit 137/.test(row.description ?? ''))!;
    const last = await vscode.commands.executeCommand<vscode.TextEditor>('hashistack.ecsShowLogs', oom);
    try {
      await until(() => last.document.getText().includes('worker process 31 exited on signal 9'), () => `the stopped task's last lines: ${last.document.getText()}`, 20_000);
      assert.match(last.document.getText(), /the 10 minutes before it stopped/);
      await until(() => hashistack.logs.openStreams === 0, 'nothing followed for a stopped task');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('opens a shell in an ECS task (ECS Exec) and a session on a node (SSM) through the session-manager-plugin, the token in its environment only', async () => {
    const record = process.env.HASHISTACK_RECORD_FILE!;
    const sessions = () => (existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { tool?: string; args: string[]; sessionFromEnvironment: boolean; sessionId: string; tokenSet: boolean }).filter((line) => line.tool === 'session-manager-plugin') : []);
    const before = sessions().length;
    const gallery = find(await children(find(await root(), 'ECS: hashistack')), 'gallery');
    const task = (await children(gallery)).find((row) => row.ecsTask?.running)!;
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('hashistack.ecsOpenShell', task);
    assert.ok(terminal, 'a terminal opened');
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.ok(!JSON.stringify(options.shellArgs).includes('demo-exec-token'), 'the token is not in the arguments');
    assert.match(options.env?.AWS_SSM_START_SESSION_RESPONSE ?? '', /"tokenValue":"demo-exec-token"/);
    const exec = await until(() => sessions()[before], 'the plugin started for ECS Exec', 20_000);
    assert.deepEqual(exec.args, ['AWS_SSM_START_SESSION_RESPONSE', 'eu-west-1', 'StartSession', '', '{"Target":"ecs:hashistack_5f1c0e8a9b7d4c3e8f2a1b0c9d8e7f60_5f1c0e8a9b7d4c3e8f2a1b0c9d8e7f60-2531612879"}', process.env.AWS_ENDPOINT_URL_ECS]);
    assert.deepEqual([exec.sessionFromEnvironment, exec.sessionId, exec.tokenSet], [true, 'ecs-execute-command-0a1b2c3d4e5f', true]);
    terminal.dispose();

    const nodes = await children(find(await root(), 'Nodes'));
    const first = nodes.find((row) => row.awsInstance?.id === 'i-0hashi00000000a')!;
    const session = await vscode.commands.executeCommand<vscode.Terminal>('hashistack.startSession', first);
    assert.ok(session);
    const ssm = await until(() => sessions()[before + 1], 'the plugin started for Start Session', 20_000);
    assert.deepEqual(ssm.args, ['AWS_SSM_START_SESSION_RESPONSE', 'eu-west-1', 'StartSession', '', '{"Target":"i-0hashi00000000a"}', process.env.AWS_ENDPOINT_URL_SSM]);
    session.dispose();
    // A node without the SSM agent or its role: said, and nothing started.
    const third = nodes.find((row) => row.awsInstance?.id === 'i-0hashi00000000c')!;
    assert.equal(await vscode.commands.executeCommand('hashistack.startSession', third), undefined);
    assert.equal(sessions().length, before + 2);
  });

  it('copies a service image and reveals the ecs-*.tf that defines the service', async () => {
    const gallery = find(await children(find(await root(), 'ECS: hashistack')), 'gallery');
    await vscode.commands.executeCommand('hashistack.copyImage', gallery);
    assert.equal(await vscode.env.clipboard.readText(), 'public.ecr.aws/nginx/nginx:1.27.5');
    // The workspace's ecs-gallery.tf (a test fixture) has no aws_ecs_service "gallery": nothing opens, it says so.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('hashistack.revealEcsDefinition', gallery);
    // A function: TypeScript would otherwise keep the narrowing below across the await.
    const activeEditor = (): vscode.TextEditor | undefined => vscode.window.activeTextEditor;
    assert.equal(activeEditor(), undefined);
    // With platform/terraform's ecs-gallery.tf in the workspace, the service is found there.
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const platformFile = vscode.Uri.file(join(__dirname, '..', '..', '..', 'platform', 'terraform', 'ecs-gallery.tf'));
    const copy = vscode.Uri.joinPath(folder, 'infra', 'ecs-gallery.tf');
    await vscode.workspace.fs.copy(platformFile, copy, { overwrite: true });
    try {
      await vscode.commands.executeCommand('hashistack.revealEcsDefinition', gallery);
      const editor = activeEditor();
      assert.ok(editor, 'the defining file is open');
      assert.equal(editor.document.uri.fsPath, copy.fsPath);
      assert.match(editor.document.lineAt(editor.selection.active.line).text, /^module "gallery_ecs" \{/);
      // An event about the task's size opens the task definition's memory; one about health, its health check.
      await vscode.commands.executeCommand('hashistack.revealEcsDefinition', { ecsConcern: { service: 'gallery', concern: 'resources' } });
      assert.match(activeEditor()!.document.lineAt(activeEditor()!.selection.active.line).text, /^\s*memory\s*=/);
      await vscode.commands.executeCommand('hashistack.revealEcsDefinition', { ecsConcern: { service: 'gallery', concern: 'healthCheck' } });
      assert.match(activeEditor()!.document.lineAt(activeEditor()!.selection.active.line).text, /healthCheck\s*=/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'infra'), { recursive: true });
    }
  });

  it('deploys an ECS service directly (new task definition revision, UpdateService) and follows it', async () => {
    const config = vscode.workspace.getConfiguration('hashistack.ecs');
    await config.update('deployMode', 'direct', vscode.ConfigurationTarget.Global);
    // The modal that confirms a direct deploy cannot be clicked from here: it is driven in the UI scenarios.
    await vscode.workspace.getConfiguration('hashistack.deploy').update('confirm', false, vscode.ConfigurationTarget.Global);
    try {
      const file = vscode.Uri.file(join(__dirname, '..', '..', '..', 'platform', 'terraform', 'ecs-gallery.tf'));
      const outcome = await vscode.commands.executeCommand('hashistack.deployEcs', { uri: file.toString(), address: 'aws_ecs_service.gallery', imagesOf: 'module.gallery_ecs' });
      assert.equal(outcome, 'completed');
      await vscode.commands.executeCommand('hashistack.refreshAws');
      const gallery = find(await children(find(await root(), 'ECS: hashistack')), 'gallery');
      assert.match(gallery.description!, / · gallery:8 · /, 'the service runs the new revision');
    } finally {
      await config.update('deployMode', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('hashistack.deploy').update('confirm', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('one set of AWS clients serves the store: loads, expands, refreshes and a followed rollout share it', async () => {
    const clusters = () => (hashistack.store as unknown as { awsClusters: unknown[] }).awsClusters.length;
    await vscode.commands.executeCommand('hashistack.refreshAws');
    const services = await children(find(await root(), 'ECS: hashistack'));
    await children(find(services, 'gallery'));
    await vscode.commands.executeCommand('hashistack.refreshAws');
    await children(find(await children(find(await root(), 'ECS: hashistack')), 'gallery'));
    assert.equal(clusters(), 1, 'one AwsCluster (EC2, ECS and ECR clients) for the store');
  });
});
