import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('The .vsix stays lean and publishable', function () {
  this.timeout(60_000);

  it('holds the bundle, its .wasm files, media, the README, the changelog and the license: no sources, tests, maps or node_modules', () => {
    // `vsce ls` lists what `vsce package` would put in the .vsix (the bundle step of npm test runs first).
    const files = execFileSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    for (const needed of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/extension.js', 'dist/aws-sdk.js', 'dist/webview/launcher.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-hcl.wasm', 'media/icon.png', 'language-configuration.json', 'syntaxes/nomad.tmLanguage.json', 'syntaxes/hashistack-log.tmLanguage.json']) {
      assert.ok(files.includes(needed), `${needed} is in the .vsix (${files.join(', ')})`);
    }
    for (const file of files) {
      assert.doesNotMatch(file, /^(src|test|demo|bench|tools|scripts|platform|out|node_modules)\/|\.map$|\.ts$|^\.|\.vsix$/, `${file} does not belong in the .vsix`);
    }
  });

  it('has the metadata the Marketplace and Open VSX show', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.icon, 'media/icon.png');
    const png = readFileSync(join(ROOT, 'media', 'icon.png'));
    assert.equal(png.readUInt32BE(16), 128, 'icon width');
    assert.equal(png.readUInt32BE(20), 128, 'icon height');
    for (const key of ['repository', 'bugs', 'homepage', 'galleryBanner', 'categories', 'keywords']) assert.ok(manifest[key], `${key} is set`);
    assert.equal(manifest.pricing, 'Free');
    assert.equal(manifest.preview, true, 'preview until 1.0');
    for (const keyword of ['nomad', 'consul', 'traefik', 'hashicorp', 'jobspec', 'hcl', 'ecs', 'fargate', 'deploy']) assert.ok((manifest.keywords as string[]).includes(keyword), keyword);
    assert.doesNotMatch(String((manifest.scripts as Record<string, string>).package), /allow-missing-repository/);
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, new RegExp(`^## \\[${String(manifest.version).replace(/[.]/g, '\\.')}\\] - \\d{4}-\\d\\d-\\d\\d$`, 'm'), 'the changelog has the version of package.json');
  });
});

describe('The release gate', () => {
  const run = (tag: string) => {
    try {
      return { code: 0, output: execFileSync(process.execPath, [join(ROOT, 'scripts', 'check-release.mjs'), tag], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }) };
    } catch (error) {
      const failed = error as { status: number; stderr: string };
      return { code: failed.status, output: failed.stderr };
    }
  };

  it("passes the tag of package.json's version, which the changelog has, and refuses another", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(run(`v${version}`).code, 0);
    const wrong = run('v9.9.9');
    assert.equal(wrong.code, 1);
    assert.match(wrong.output, new RegExp(`the tag is "v9\\.9\\.9", but package.json's version is ${version.replace(/[.]/g, '\\.')}`));
  });

  it('the workflows parse, have their jobs and OS matrix, and run only commands that exist', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { vscode: string } };
    type Step = { run?: string; uses?: string; if?: string; env?: Record<string, string> };
    type Workflow = { on: unknown; jobs: Record<string, { 'runs-on': string; steps: Step[]; strategy?: { matrix: { os?: string[]; vscode?: string[] } } }> };
    const load = (name: string) => parse(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8')) as Workflow;
    const ci = load('ci.yml');
    const release = load('release.yml');
    assert.deepEqual(Object.keys(ci.jobs).sort(), ['desktop', 'linux', 'package']);
    assert.deepEqual(ci.jobs.desktop!.strategy!.matrix.os, ['ubuntu-latest', 'macos-latest', 'windows-latest']);
    assert.deepEqual(ci.jobs.desktop!.strategy!.matrix.vscode, [manifest.engines.vscode.replace(/^\^/, ''), 'stable'], 'the oldest supported VS Code and stable');
    assert.ok((release.on as { push: { tags: string[] } }).push.tags.includes('v*'));
    const commands = [...Object.values(ci.jobs), ...Object.values(release.jobs)].flatMap((job) => job.steps.map((step) => step.run).filter((run): run is string => Boolean(run)));
    assert.ok(commands.length >= 8);
    for (const command of commands) {
      for (const match of command.matchAll(/npm run ([\w:-]+)/g)) assert.ok(manifest.scripts[match[1]!], `npm run ${match[1]} is a script of package.json`);
      for (const match of command.matchAll(/(?:bash|node) ((?:\.ci|scripts)\/[\w.-]+)/g)) assert.ok(existsSync(join(ROOT, match[1]!)), `${match[1]} exists`);
    }
    assert.ok(commands.some((command) => command.includes('bash .ci/run')), 'Linux runs .ci/run');
    assert.ok(commands.some((command) => /xvfb-run -a npm run test:desktop/.test(command)), 'Linux desktop runs under xvfb');
    const publish = release.jobs.publish!.steps;
    for (const [secret, tool] of [['VSCE_PAT', 'vsce publish'], ['OVSX_PAT', 'ovsx']] as const) {
      const step = publish.find((candidate) => candidate.run?.includes(tool));
      assert.ok(step, `a step runs ${tool}`);
      assert.equal(step.env?.[secret], `\${{ secrets.${secret} }}`);
      assert.match(step.run!, new RegExp(`if \\[ -z "\\$${secret}" \\]; then echo "::notice::`), `a missing ${secret} skips that store with a notice`);
    }
  });
});
