import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRule } from '../../src/core/traefik/ruleSyntax';
import { TraefikClient } from '../../src/core/traefik/traefikClient';
import { RealTraefik } from '../../demo/realTraefik';
import { until } from '../support/until';

/** The corpus: one JSON string per line, each a router rule (valid, invalid, unusual). */
const CORPUS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'traefik', 'rules.jsonl');

export function ruleCorpus(): string[] {
  return readFileSync(CORPUS, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as string);
}

/** The file provider runs its files through Go templates first: `{{` and `}}` are written as template strings. */
function fileProviderText(text: string): string {
  return text.replace(/\{\{|\}\}/g, (braces) => `{{"${braces}"}}`);
}

describe("Rule diagnostics agree with the real Traefik's parser on every rule of the corpus", function () {
  this.timeout(60_000);
  let traefik: RealTraefik;
  const rules = ruleCorpus();

  before(async () => {
    // Every rule a router of the file provider (JSON strings are YAML strings), all on one service.
    const routers = rules.map((rule, index) => `    r${index}:\n      rule: ${fileProviderText(JSON.stringify(rule))}\n      service: s\n      entryPoints: [web]\n`).join('');
    traefik = await RealTraefik.start({ dynamic: `http:\n  routers:\n${routers}  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.0.1:9"\n` });
  });
  after(() => traefik?.stop());

  it(`judges each of the corpus's rules as Traefik does (${rules.length} rules)`, async () => {
    assert.ok(rules.length >= 300, `the corpus has ${rules.length} rules`);
    const client = new TraefikClient({ address: traefik.apiAddress, timeoutMs: 10_000 });
    const routers = await until(async () => {
      const listed = (await client.httpRouters({ perPage: 1000 })).filter((router) => router.provider === 'file');
      return listed.length === rules.length && listed;
    }, () => `Traefik to load the ${rules.length} routers (${traefik.log.slice(-500)})`, 30_000);
    const byName = new Map(routers.map((router) => [router.name, router]));
    const disagreements: string[] = [];
    rules.forEach((rule, index) => {
      const router = byName.get(`r${index}@file`)!;
      const traefikAccepts = router.status === 'enabled';
      // Warnings are about rules Traefik takes (a matcher's case): only errors say it refuses the router.
      const problems = checkRule(rule).filter((problem) => (problem.severity ?? 'error') === 'error');
      if (traefikAccepts !== (problems.length === 0)) {
        disagreements.push(`${JSON.stringify(rule)}: Traefik ${traefikAccepts ? 'accepts' : `rejects (${(router.error ?? []).join('; ')})`}, the extension ${problems.length === 0 ? 'accepts' : `rejects (${problems.map((problem) => problem.message).join('; ')})`}`);
      }
    });
    const agreement = ((rules.length - disagreements.length) / rules.length) * 100;
    console.log(`      Traefik ${traefik.version}: the extension agrees on ${rules.length - disagreements.length} of ${rules.length} rules (${agreement.toFixed(1)} %)`);
    assert.deepEqual(disagreements, [], `${disagreements.length} disagreements`);
  });
});
