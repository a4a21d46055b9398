import * as assert from 'node:assert/strict';
import { applyEdits, bumpEdit, explicitTagEdit, notBumpableMessage } from '../../src/core/jobspec/bumpEdit';
import { fixture, scanEcsText, scanJobspecText } from '../support/hcl';

describe('jobspec scanning (tree-sitter HCL)', () => {
  it("reads a job's own literal namespace (where its plans and deploys really go), and nothing else as one", async () => {
    const scan = await scanJobspecText('job "api" {\n  namespace = "prod"\n  group "g" {\n    task "t" {\n      config { image = "a:1.0.0" }\n    }\n  }\n}\njob "other" {\n  namespace = "${var.ns}"\n  group "g" { namespace = "not-the-job" }\n}\njob "plain" {}\n');
    assert.deepEqual(scan.jobs.map((job) => [job.id, job.namespace]), [['api', 'prod'], ['other', undefined], ['plain', undefined]]);
  });

  it('finds the job, its groups and tasks, and the image tag in launcher.nomad', async () => {
    const text = fixture('launcher.nomad');
    const scan = await scanJobspecText(text);
    assert.equal(scan.jobs.length, 1);
    const job = scan.jobs[0]!;
    assert.equal(job.id, 'launcher');
    assert.equal(text.split('\n')[job.line], 'job "launcher" {');
    assert.deepEqual(job.groups, [{ name: 'launcher', tasks: ['launcher'] }]);
    const image = scan.images[0]!;
    assert.equal(image.text, '${var.registry}/launcher:0.3.10');
    assert.equal(image.bumpable, true, 'interpolation before the tag does not stop a bump');
    assert.equal(text.slice(image.tag!.start, image.tag!.end), '0.3.10');
    assert.equal(image.owner, 'job "launcher" › group "launcher" › task "launcher"');
  });

  it('bumps only the tag characters; everything else stays byte-identical', async () => {
    const text = fixture('launcher.nomad');
    const site = (await scanJobspecText(text)).images[0]!;
    const bumped = applyEdits(text, [bumpEdit(site, 'patch')]);
    assert.equal(bumped, text.replace('launcher:0.3.10" # bumped', 'launcher:0.3.11" # bumped'));
    assert.equal(applyEdits(text, [bumpEdit(site, 'minor')]).includes('launcher:0.4.0"'), true);
  });

  it('reads every awkward image reference the way it really is', async () => {
    const text = fixture('awkward.nomad');
    const scan = await scanJobspecText(text);
    const byTask = new Map(scan.images.map((image) => [image.owner.split('task ')[1]!.replaceAll('"', ''), image]));
    assert.equal(byTask.get('port-registry')!.tag!.text, '1.2.3');
    assert.equal(byTask.get('port-registry')!.bumpable, true);
    assert.equal(byTask.get('v-prefix')!.tag!.text, 'v3.1.4');
    assert.equal(byTask.get('pre-release')!.bumpable, true);
    assert.equal(byTask.get('no-tag')!.reason, 'noTag');
    assert.equal(byTask.get('digest')!.reason, 'digest');
    assert.equal(byTask.get('variable')!.reason, 'interpolation');
    assert.equal(byTask.get('variable')!.variable, 'var.tag');
    assert.equal(byTask.get('whole-variable')!.reason, 'interpolation');
    assert.equal(byTask.get('whole-variable')!.variable, 'var.image');
    assert.equal(byTask.get('latest')!.reason, 'notVersion');
    const unicode = byTask.get('unicode')!;
    assert.equal(text.slice(unicode.tag!.start, unicode.tag!.end), '0.9.9', 'offsets are UTF-16, like VS Code');
  });

  it('says why and where a bump cannot be done exactly', async () => {
    const scan = await scanJobspecText(fixture('awkward.nomad'));
    const find = (task: string) => scan.images.find((image) => image.owner.endsWith(`task "${task}"`))!;
    assert.match(notBumpableMessage(find('variable'))!, /its tag comes from \$\{var\.tag\}\. Change the variable "var\.tag"/);
    assert.match(notBumpableMessage(find('whole-variable'))!, /the whole image comes from \$\{var\.image\}/);
    assert.match(notBumpableMessage(find('digest'))!, /pinned by digest/);
    assert.match(notBumpableMessage(find('no-tag'))!, /has no tag, so Docker pulls "latest"/);
    assert.match(notBumpableMessage(find('latest'))!, /the tag "latest" is not a version/);
    assert.throws(() => bumpEdit(find('digest'), 'patch'), /pinned by digest/);
  });

  it('sets an explicit tag where a bump cannot', async () => {
    const text = fixture('awkward.nomad');
    const scan = await scanJobspecText(text);
    const find = (task: string) => scan.images.find((image) => image.owner.endsWith(`task "${task}"`))!;
    assert.match(applyEdits(text, [explicitTagEdit(find('no-tag'), '7.2.4')]), /image = "redis:7\.2\.4"/);
    assert.match(applyEdits(text, [explicitTagEdit(find('digest'), '1.27.0')]), /image = "nginx:1\.27\.0"/);
    assert.match(applyEdits(text, [explicitTagEdit(find('variable'), '2.0.0')]), /image = "example\/app:2\.0\.0"/);
    assert.throws(() => explicitTagEdit(find('whole-variable'), '1.0.0'), /whole image comes from/);
    assert.throws(() => explicitTagEdit(find('no-tag'), 'bad tag'), /not a valid image tag/);
  });

  it('never throws on half-typed files; skips what it cannot read, keeps what it can', async () => {
    const text = fixture('broken.nomad');
    const scan = await scanJobspecText(text);
    // The unterminated string turns the whole job into an error region: nothing in it is guessed.
    assert.ok(!scan.images.some((image) => image.text.includes('cut')), 'the unterminated string is skipped, not guessed');
    for (let cut = 0; cut <= text.length; cut += 7) {
      await scanJobspecText(text.slice(0, cut));
    }
    // A complete job before a job being typed keeps its image.
    const typing = `${fixture('launcher.nomad')}\njob "next" {\n  group "g" {\n    task "t" {\n      config {\n        image = "exa`;
    const partial = await scanJobspecText(typing);
    assert.deepEqual(partial.images.map((image) => image.tag?.text), ['0.3.10']);
  });
});

describe('ECS file scanning', () => {
  it('finds container images with the Terraform address that owns them', async () => {
    const text = fixture('ecs-gallery.tf');
    const scan = await scanEcsText(text);
    assert.deepEqual(scan.owners.map((owner) => owner.address), ['module.gallery_ecs', 'aws_ecs_task_definition.thumbnailer', 'aws_ecs_task_definition.legacy']);
    const [gallery, thumbnailer, legacy] = scan.owners;
    assert.equal(gallery!.images[0]!.tag!.text, 'v2.4.1');
    assert.equal(text.split('\n')[gallery!.line], 'module "gallery_ecs" {');
    assert.deepEqual(thumbnailer!.images.map((image) => [image.tag?.text, image.bumpable, image.reason]), [
      ['1.8.0-alpine', true, undefined],
      [undefined, false, 'digest'],
    ]);
    assert.equal(legacy!.images[0]!.text, '${var.registry}/legacy:3.2.1');
    assert.equal(legacy!.images[0]!.bumpable, true, 'JSON heredoc with interpolation before a literal tag');
    assert.equal(text.slice(legacy!.images[0]!.tag!.start, legacy!.images[0]!.tag!.end), '3.2.1');
    assert.equal(legacy!.images[0]!.container, 'legacy', 'a JSON heredoc image gets its container name, as jsonencode ones do');
  });

  it("names heredoc containers from their own object, never a nested port mapping's name", async () => {
    const text = `resource "aws_ecs_task_definition" "two" {
  family                = "two"
  container_definitions = <<-JSON
    [
      { "portMappings": [{ "name": "http", "containerPort": 80 }], "image": "nginx:1.25.3", "name": "web" },
      { "image": "\${var.registry}/worker:2.0.0", "essential": true }
    ]
  JSON
}
`;
    const images = (await scanEcsText(text)).owners[0]!.images;
    assert.deepEqual(images.map((image) => [image.tag?.text, image.container]), [['1.25.3', 'web'], ['2.0.0', undefined]]);
  });

  it('bumps an ECS image in a heredoc, touching only its tag', async () => {
    const text = fixture('ecs-gallery.tf');
    const site = (await scanEcsText(text)).owners[2]!.images[0]!;
    assert.equal(applyEdits(text, [bumpEdit(site, 'major')]), text.replace('legacy:3.2.1', 'legacy:4.0.0'));
  });
});

describe('error recovery never pairs image with another string', () => {
  const jobspec = `job "web" {
  group "app" {
    task "server" {
      driver = "docker"
      config {
        image = "nginx:1.25.3"
        ports = ["http"]
      }
      env {
        UPSTREAM_IMAGE = "decoy-env:7.7.7"
      }
    }
  }
}
`;

  it('a one-character typo in the task (8orts for ports) makes the scanner skip, never take the decoy', async () => {
    const scan = await scanJobspecText(jobspec.replace('ports = ["http"]', '8orts = ["http"]'));
    assert.deepEqual(scan.images.map((site) => site.text).filter((text) => text.includes('decoy')), []);
  });

  it('a half-typed `image =` does not take the next line\'s string', async () => {
    const scan = await scanJobspecText(jobspec.replace('image = "nginx:1.25.3"', 'image ='));
    assert.deepEqual(scan.images.map((site) => site.text), []);
  });

  it('the intact file still finds its image', async () => {
    const scan = await scanJobspecText(jobspec);
    assert.deepEqual(scan.images.map((site) => [site.text, site.bumpable]), [['nginx:1.25.3', true]]);
  });
});

describe('Restore the Running Tag', () => {
  it("puts back the running tag of each task's image, leaving other repositories, matching tags and other tasks alone", async () => {
    const { restoreTagEdits } = await import('../../src/core/jobspec/bumpEdit');
    const text = [
      'job "web" {',
      '  group "g" {',
      '    task "app" {',
      '      config { image = "registry.example.com:5000/team/app:v2.0.0-bad" } # the failed tag',
      '    }',
      '    task "proxy" {',
      '      config { image = "traefik/whoami:v1.10.4" }',
      '    }',
      '    task "moved" {',
      '      config { image = "ghcr.io/other/app:v9" }',
      '    }',
      '    task "new" {',
      '      config { image = "busybox:1.36" }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const sites = (await scanJobspecText(text)).images;
    const running = new Map([
      ['app', 'registry.example.com:5000/team/app:v1.9.3'],
      ['proxy', 'traefik/whoami:v1.10.4'],
      ['moved', 'docker.io/team/app:v8'],
    ]);
    const restored = restoreTagEdits(sites, running);
    assert.deepEqual(restored.map(({ task, from, to }) => ({ task, from, to })), [{ task: 'app', from: 'v2.0.0-bad', to: 'v1.9.3' }]);
    assert.equal(applyEdits(text, restored.map((entry) => entry.edit)), text.replace('app:v2.0.0-bad"', 'app:v1.9.3"'));
    assert.deepEqual(restoreTagEdits(sites, new Map()), [], 'nothing runs: nothing to restore');
  });
});
