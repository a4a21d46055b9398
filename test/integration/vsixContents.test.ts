import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    for (const needed of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/extension.js', 'dist/aws-sdk.js', 'dist/webview/launcher.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-hcl.wasm', 'media/icon.png']) {
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

  it('the workflows run the suites, the desktop matrix and the publishing steps', () => {
    const ci = readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8');
    const release = readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8');
    assert.match(ci, /bash \.ci\/run/);
    assert.match(ci, /os: \[ubuntu-latest, macos-latest, windows-latest\]/);
    assert.match(ci, /xvfb-run -a npm run test:desktop/);
    assert.match(ci, /npm run package/);
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } }).engines.vscode.replace(/^\^/, '');
    assert.match(ci, new RegExp(`vscode: \\['${engines.replace(/[.]/g, '\\.')}', 'stable'\\]`), 'the oldest supported VS Code and stable');
    assert.match(release, /check-release\.mjs/);
    assert.match(release, /vsce publish --packagePath hashistack\.vsix/);
    assert.match(release, /ovsx@[\d.]+ publish hashistack\.vsix/);
    assert.match(release, /secrets\.VSCE_PAT/);
    assert.match(release, /secrets\.OVSX_PAT/);
  });
});
