import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHclParser, parseHcl } from '../../src/core/jobspec/hclParser';
import { jobspecDiagnostics, tagSites } from '../../src/core/jobspec/tagDiagnostics';
import { checkRule } from '../../src/core/traefik/ruleSyntax';

const REPO = join(__dirname, '..', '..', '..');

describe('Traefik v3 rule syntax', () => {
  it('takes the rules Traefik takes', () => {
    for (const rule of ['Host(`a.example.com`)', 'Host(`a`) || Host(`b`)', '(Host(`a`) && PathPrefix(`/api`)) || !Method(`POST`)', 'Header(`X-Env`, `prod`)', 'Query(`debug`)', 'Query(`mode`, "fast")', 'HostRegexp(`^.+\\.example\\.com$`)', 'ClientIP(`10.0.0.0/8`)', 'Host("a.example.com")']) {
      assert.deepEqual(checkRule(rule), [], rule);
    }
  });

  it('says what is wrong, where, and fixes what is certain', () => {
    const quoted = checkRule("Host('a.example.com')");
    assert.equal(quoted.length, 1);
    assert.match(quoted[0]!.message, /single quotes .* use backticks/);
    assert.deepEqual(quoted[0]!.fix, { start: 5, end: 20, text: '`a.example.com`', title: 'Use backticks: `a.example.com`' });
    // The real Traefik takes host(`a`) (test/traefik/ruleCorpus.test.ts): a warning with its fix, not an error.
    const cased = checkRule('host(`a`)');
    assert.match(cased[0]!.message, /Traefik reads host as Host/);
    assert.equal(cased[0]!.severity, 'warning');
    assert.equal(cased[0]!.fix?.text, 'Host');
    // What Traefik checks when it adds a rule (each found by the real program on the corpus).
    assert.match(checkRule('Host(``)')[0]!.message, /Host takes no empty value/);
    assert.match(checkRule('Path(`a`)')[0]!.message, /Path takes a path that starts with \//);
    assert.match(checkRule('Host(`bücher.example`)')[0]!.message, /ASCII only/);
    assert.match(checkRule('HostRegexp(`(?=x)`)')[0]!.message, /lookaround/);
    assert.match(checkRule('PathRegexp(`\\1`)')[0]!.message, /backreference/);
    assert.match(checkRule('HostRegexp(`[`)')[0]!.message, /^HostRegexp: /);
    assert.match(checkRule('HostRegexp("^a\\.b$")')[0]!.message, /the escape \\\. is unknown to Go in a double-quoted value/);
    assert.match(checkRule('ClientIP(`10.0.0.0/33`)')[0]!.message, /ClientIP takes an IP address or a CIDR range/);
    assert.deepEqual(checkRule('Host(`a`,)'), [], 'a trailing comma, as Go takes it');
    assert.deepEqual(checkRule('HostRegexp(`(?i)^(?P<sub>[a-z]+)\\.example$`) && QueryRegexp(`q`)'), []);
    assert.match(checkRule('Hots(`a`)')[0]!.message, /Hots is not a Traefik v3 matcher/);
    assert.match(checkRule('Host(`a`, `b`)')[0]!.message, /Host takes 1 value, not 2 \(Traefik v3 dropped/);
    assert.match(checkRule('Header(`X`)')[0]!.message, /Header takes 2 values, not 1/);
    assert.match(checkRule('(Host(`a`)')[0]!.message, /this \( is never closed/);
    assert.match(checkRule('Host(`a`))')[0]!.message, /this \) closes nothing/);
    assert.match(checkRule('Host(`a`) Path(`/`)')[0]!.message, /join matchers with && or \|\|/);
    assert.match(checkRule('Host(`a`) &&')[0]!.message, /ends where a matcher is expected/);
    assert.match(checkRule('Host(`a)')[0]!.message, /never closed/);
    assert.match(checkRule('')[0]!.message, /empty/);
  });
});

describe('Diagnostics of a jobspec', () => {
  const jobspec = (tags: string[], image = 'traefik/whoami:v1.10.3') =>
    `job "web" {\n  group "g" {\n    service {\n      name = "web"\n      tags = [\n${tags.map((tag) => `        ${JSON.stringify(tag)},`).join('\n')}\n      ]\n    }\n    task "t" {\n      config { image = "${image}" }\n    }\n  }\n}\n`;
  const run = async (text: string, context = {}) => {
    const parser = await createHclParser();
    const tree = parseHcl(parser, text);
    try {
      return jobspecDiagnostics(tree, text, 'jobspec', context);
    } finally {
      tree.delete();
    }
  };
  const at = (text: string, diagnostic: { start: number; end: number }) => text.slice(diagnostic.start, diagnostic.end);

  it('has nothing to say about the platform\'s own jobspecs', async () => {
    for (const file of ['whoami.nomad', 'launcher.nomad', 'traefik.nomad']) {
      const text = readFileSync(join(REPO, 'platform', 'nomad', file), 'utf8');
      assert.deepEqual((await run(text)).diagnostics, [], file);
    }
  });

  it('places a rule problem on its characters, through HCL escapes and interpolations, with the quick fix', async () => {
    const text = jobspec(["traefik.http.routers.web.rule=Host('web.${var.domain}') && Path(\"/x\")"]);
    const { diagnostics } = await run(text);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'traefik-rule');
    assert.equal(at(text, diagnostics[0]!), "'web.${var.domain}'");
    assert.equal(at(text, diagnostics[0]!.fix!), "'web.${var.domain}'");
    assert.equal(diagnostics[0]!.fix!.text, '`web.${var.domain}`', 'the interpolation kept as written');
    const fixed = text.slice(0, diagnostics[0]!.fix!.start) + diagnostics[0]!.fix!.text + text.slice(diagnostics[0]!.fix!.end);
    assert.deepEqual((await run(fixed)).diagnostics, [], 'the fixed file has no problem left');
  });

  it('knows the keys of routers and services', async () => {
    const text = jobspec(['traefik.http.routers.web.rules=Host(`a`)', 'traefik.http.routers.web.tls.certresolver=le', 'traefik.http.services.web.loadbalancer.server.port=80', 'traefik.http.services.web.loadbalancer.servers.port=80', 'traefik.http.routers.web.tls.domains[0].main=example.com', 'traefik.enable=true', 'traefik.http.middlewares.x.stripprefix.prefixes=/a']);
    const { diagnostics } = await run(text);
    assert.deepEqual(diagnostics.map((d) => at(text, d)), ['rules', 'loadbalancer.servers.port']);
  });

  it('checks entrypoints and middlewares against what Traefik has, when the explorer has it', async () => {
    const text = jobspec(['traefik.http.routers.web.entrypoints=websecure,webb', 'traefik.http.routers.web.middlewares=auth@file,strip,missing@file', 'traefik.http.middlewares.strip.stripprefix.prefixes=/a']);
    const traefik = { entryPoints: ['web', 'websecure'], middlewares: ['auth@file'] };
    assert.deepEqual((await run(text)).diagnostics, [], 'without Traefik data: nothing to compare with');
    const { diagnostics } = await run(text, { traefik });
    assert.deepEqual(diagnostics.map((d) => `${d.code} ${at(text, d)}`), ['traefik-entrypoint webb', 'traefik-middleware missing@file']);
  });

  it('finds a router name defined twice, in the file or in another jobspec', async () => {
    const two = `${jobspec(['traefik.http.routers.web.rule=Host(`a`)'])}\n${jobspec(['traefik.http.routers.web.rule=Host(`b`)']).replace('job "web"', 'job "other"')}`;
    const { diagnostics, routers } = await run(two);
    assert.equal(routers.length, 2);
    assert.equal(diagnostics.filter((d) => d.code === 'traefik-router-duplicate').length, 2);
    const elsewhere = await run(jobspec(['traefik.http.routers.api.rule=Host(`a`)', 'traefik.http.routers.api.entrypoints=web']), { otherRouters: new Map([['api', ['nomad/api.nomad:12']]]) });
    assert.deepEqual(elsewhere.diagnostics.map((d) => d.message), ['router "api" is also defined by nomad/api.nomad:12: Traefik reports the router in error when two services define it'], 'one router however many tags name it');
  });

  it("reads launcher.* tags with the Launcher's own rules", async () => {
    const text = jobspec(['launcher.name=A = B', 'launcher.broken', 'launcher.colour=red', 'launcher.subDomain=not a name', 'launcher.subDomain=ok-name']);
    const { diagnostics } = await run(text);
    assert.deepEqual(diagnostics.map((d) => d.message), [
      'Launcher: tag "launcher.broken" has no "=": write launcher.<key>=<value>',
      'Launcher: "colour" is not a launcher key (name, description, techDetails, subDomain): the Launcher ignores it',
      'Launcher: launcher.subDomain "not a name" is not a DNS name; no link is made from it',
    ]);
  });

  it('warns about images without a pinned version, with the rule of lint:platform', async () => {
    for (const [image, expected] of [['busybox', /has no tag/], ['busybox:latest', /"latest" tag, which moves/], ['busybox:stable', /not a version/], ['busybox:1.36.1', undefined]] as const) {
      const diagnostics = (await run(jobspec([], image))).diagnostics;
      if (expected) assert.match(diagnostics[0]?.message ?? '', expected, image);
      else assert.deepEqual(diagnostics, [], image);
    }
  });

  it('reads tags of ECS services (consul_service_tags) too', async () => {
    const parser = await createHclParser();
    const text = readFileSync(join(REPO, 'platform', 'terraform', 'ecs-gallery.tf'), 'utf8');
    const tree = parseHcl(parser, text);
    assert.ok(tagSites(tree, text, 'ecs').some((site) => site.value.startsWith('traefik.http.routers.gallery.rule=')));
    assert.deepEqual(jobspecDiagnostics(tree, text, 'ecs').diagnostics, []);
    tree.delete();
  });
});
