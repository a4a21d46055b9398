import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, bumpEdit } from '../../src/core/jobspec/bumpEdit';
import { bumpTag } from '../../src/core/jobspec/versionBump';
import { formatFinding } from '../../tools/lint-platform/rules';
import { lintPlatform } from '../../tools/lint-platform/main';
import { scanEcsText, scanJobspecText } from '../support/hcl';

const REPO = join(__dirname, '..', '..', '..');
const PLATFORM = join(REPO, 'platform');

function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

describe('lint:platform', function () {
  this.timeout(120_000);

  it('passes on platform/ and says which checks ran', async () => {
    const report = await lintPlatform(PLATFORM, REPO);
    assert.deepEqual(report.findings.map(formatFinding), []);
    assert.ok(report.ran.some((check) => check.startsWith('HCL syntax and project rules')));
    // shellcheck and packer come from Debian (scripts/setup.sh installs both): their checks must run, never skip.
    // terraform cannot be installed from the registries this project reaches; its fmt check may say it skipped.
    assert.deepEqual(report.skipped.filter((check) => /shellcheck|packer/.test(check)), [], 'run bash scripts/setup.sh to install shellcheck and packer');
    assert.ok(report.ran.some((check) => /shellcheck/.test(check)) && report.ran.some((check) => /packer/.test(check)), `ran: ${report.ran.join('; ')}`);
  });

  it('fails on a broken copy, naming the file, the line and the reason', async () => {
    const copyParent = mkdtempSync(join(tmpdir(), 'hashistack-platform-'));
    const root = join(copyParent, 'platform');
    cpSync(PLATFORM, root, { recursive: true });
    edit(root, 'terraform/outputs.tf', (text) => text.replace('output "vpc_id" {', 'output "vpc_id" {\n  value = [\n'));
    edit(root, 'nomad/whoami.nomad', (text) => text.replace('image = "traefik/whoami:v1.10.3"', 'image = "traefik/whoami"'));
    edit(root, 'nomad/launcher.nomad', (text) => text.replace('"traefik.http.routers.launcher.rule=Host(`${var.domain}`)",\n', ''));
    edit(root, 'nomad/traefik.nomad', (text) => text.replace('      config {\n        image', '      config {\n        auth {\n          username = "AWS"\n          password = "eyJwYXlsb2FkIjoiZXhhbXBsZSJ9"\n        }\n        image'));
    edit(root, 'nomad/whoami.nomad', (text) => text.replace(/ {2}update \{[^}]*\}\n/, ''));
    edit(root, 'terraform/ecs-gallery.tf', (text) => text.replace('public.ecr.aws/nginx/nginx:1.27.5', 'public.ecr.aws/nginx/nginx:latest'));
    edit(root, 'scripts/tunnel.sh', (text) => text.replace('exec ssh "${ssh_args[@]}"', 'exec ssh ${ssh_args[@]}'));
    edit(root, 'packer/variables.pkr.hcl', (text) => text.replace('  type        = string\n  description = "AWS region', '  type = string\n  description = "AWS region'));

    const report = await lintPlatform(root, copyParent);
    const lines = report.findings.map(formatFinding);
    const expect = (pattern: RegExp) => assert.ok(lines.some((line) => pattern.test(line)), `expected ${pattern} among:\n${lines.join('\n')}`);
    expect(/^platform\/terraform\/outputs\.tf:\d+: HCL syntax: .*(Unclosed|Missing|Invalid)/);
    expect(/^platform\/nomad\/whoami\.nomad:\d+: image "traefik\/whoami" \(job "whoami" › group "whoami" › task "whoami"\) has no tag/);
    expect(/^platform\/nomad\/launcher\.nomad:\d+: a service with launcher\.\* tags needs a Traefik router rule/);
    expect(/^platform\/nomad\/traefik\.nomad:\d+: a literal password is in the file/);
    expect(/^platform\/nomad\/whoami\.nomad:\d+: job "whoami" has no update block/);
    expect(/^platform\/terraform\/ecs-gallery\.tf:\d+: image "public\.ecr\.aws\/nginx\/nginx:latest" \(module\.gallery_ecs\) uses the "latest" tag, which moves/);
    if (report.ran.some((check) => check.startsWith('shellcheck'))) expect(/^platform\/scripts\/tunnel\.sh:\d+: shellcheck: .*SC2068/);
    if (report.ran.some((check) => check.startsWith('packer'))) expect(/^platform\/packer\/variables\.pkr\.hcl:1: packer fmt -check: not formatted/);

    const whoamiTag = lines.find((line) => line.includes('has no tag'))!;
    const whoami = readFileSync(join(root, 'nomad/whoami.nomad'), 'utf8').split('\n');
    assert.match(whoami[Number(whoamiTag.split(':')[1]) - 1]!, /image = "traefik\/whoami"/, 'the line number points at the image');
  });
});

describe("the extension's jobspec features on platform/'s own files", () => {
  it('finds and bumps every Nomad job image of platform/nomad', async () => {
    const expected: Record<string, string> = { 'traefik.nomad': 'v3.5.3', 'launcher.nomad': '0.3.10', 'whoami.nomad': 'v1.10.3' };
    for (const [file, tag] of Object.entries(expected)) {
      const text = readFileSync(join(PLATFORM, 'nomad', file), 'utf8');
      const scan = await scanJobspecText(text);
      assert.equal(scan.jobs.length, 1, file);
      const image = scan.images[0]!;
      assert.equal(image.tag?.text, tag, file);
      assert.ok(image.bumpable, file);
      const change = bumpEdit(image, 'patch');
      const bumped = applyEdits(text, [change]);
      assert.equal(bumped, text.slice(0, image.tag!.start) + bumpTag(tag, 'patch') + text.slice(image.tag!.end), `${file}: only the tag changes`);
    }
  });

  it('finds the ECS image of ecs-gallery.tf and deploys it through its service', async () => {
    const text = readFileSync(join(PLATFORM, 'terraform', 'ecs-gallery.tf'), 'utf8');
    const scan = await scanEcsText(text);
    assert.equal(scan.owners.length, 1);
    const owner = scan.owners[0]!;
    assert.equal(owner.address, 'module.gallery_ecs');
    assert.equal(owner.deployTarget, 'aws_ecs_service.gallery', 'a targeted apply of the service rolls out the new task definition');
    assert.equal(owner.images[0]!.tag?.text, '1.27.5');
  });
});
