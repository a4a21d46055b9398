import * as assert from 'node:assert/strict';
import { parseTemplate, TemplateNode } from '../../src/core/template/goTemplate';
import { analyzeTemplate, serviceQuery, variableAddress } from '../../src/core/template/templateReferences';
import { Held, referenceSummary, TemplateData, templateProblems } from '../../src/core/template/templateProblems';
import { jobspecTemplates, templateText } from '../../src/core/jobspec/templateBlocks';
import { parseHcl } from '../../src/core/jobspec/hclParser';
import { hclParser } from '../support/hcl';

const references = (source: string) => analyzeTemplate(source).references.map((reference) => ({ ...reference, text: source.slice(reference.start, reference.end) }));

describe("Templates: Go's text/template as consul-template reads it", () => {
  it('parses text, actions, trim markers, comments, pipelines, parentheses and the control actions', () => {
    const nodes = parseTemplate('a {{- if eq (env "X") "1" -}} one {{ else if .b }} two {{ else }} three {{ end }}{{/* note */}}{{ .c | printf "%q" }}');
    assert.deepEqual(nodes.map((node) => node.kind), ['text', 'if', 'comment', 'action']);
    const branch = nodes[1] as Extract<TemplateNode, { kind: 'if' | 'range' | 'with' }>;
    assert.equal(branch.elseList[0]!.kind, 'if', '"else if" is an if in the else branch');
    const action = nodes[3] as Extract<TemplateNode, { kind: 'action' }>;
    assert.equal(action.pipeline.commands.length, 2);
  });

  it('refuses what Go refuses, saying where', () => {
    for (const [source, message] of [['{{ if .a }}', /has no \{\{end\}\}/], ['{{ end }}', /unexpected \{\{end\}\}/], ['{{ "open }}', /unterminated quoted string/], ['{{ .a ', /unclosed action/], ['{{ (a }}', /unclosed left paren/], ['{{ "\\q" }}', /unknown escape/]] as const) {
      const analysis = analyzeTemplate(source);
      assert.match(analysis.syntaxError?.message ?? '', message, source);
    }
  });

  it('finds what a template reads, with the span of each name', () => {
    const found = references('{{ with nomadVar "nomad/jobs/api" }}{{ .user }}:{{ .password }}{{ end }} {{ key "app/db" }} {{ keyOrDefault "app/level" "info" }} {{ range ls "app/flags" }}{{ .Key }}{{ end }} {{ range tree `app/all` }}{{ end }} {{ range service "v1.web@dc2" }}{{ .Address }}{{ end }} {{ nomadService "api" }}');
    assert.deepEqual(
      found.map((reference) => `${reference.kind}:${reference.text}`),
      ['variable:nomad/jobs/api', 'variableItem:user', 'variableItem:password', 'key:app/db', 'key:app/level', 'keyPrefix:app/flags', 'keyPrefix:app/all', 'service:v1.web@dc2', 'nomadService:api'],
    );
    assert.equal(found[4]!.kind === 'key' && found[4]!.orDefault, true);
    assert.deepEqual(serviceQuery('v1.web@dc2'), { name: 'web', tag: 'v1' });
    assert.deepEqual(variableAddress('shared/smtp@prod.global'), { path: 'shared/smtp', namespace: 'prod' });
  });

  it('follows the dot: items of `with nomadVar`, of `$v := nomadVar`, of `(nomadVar …).item`; not inside a range', () => {
    const found = references('{{ $v := nomadVar "a/b" }}{{ $v.one }}{{ (nomadVar "c/d").two }}{{ with nomadVar "e/f" }}{{ range .list }}{{ .notAnItem }}{{ end }}{{ if .three }}{{ end }}{{ end }}');
    assert.deepEqual(found.filter((reference) => reference.kind === 'variableItem').map((reference) => `${reference.kind === 'variableItem' ? reference.path : ''}.${reference.text}`), ['a/b.one', 'c/d.two', 'e/f.list', 'e/f.three']);
  });
});

describe('Templates in jobspecs, judged on the cluster data', () => {
  const data = (overrides: Partial<TemplateData> = {}): TemplateData => ({
    profile: 'demo',
    variable: (namespace, path): Held<{ items?: Record<string, string>; modifyIndex: number }> => (namespace === 'default' && path === 'nomad/jobs/api' ? { state: 'present', value: { items: { user: 'u', password: 'secret-value' }, modifyIndex: 7 } } : { state: 'missing' }),
    key: (key) => (key === 'app/db' ? { state: 'present', value: { value: 'postgres://db', bytes: 13 } } : { state: 'missing' }),
    keysUnder: (prefix) => ({ state: 'present', value: prefix === 'app/flags' ? ['app/flags/a'] : [] }),
    consulService: (name) => ({ known: name === 'web', passing: name === 'web' ? 0 : 0, total: name === 'web' ? 2 : 0 }),
    nomadService: () => ({ state: 'present', value: [] }),
    ...overrides,
  });

  it('says what is missing as consul-template meets it: waits, "<no value>", the default, nothing', () => {
    const source = '{{ with nomadVar "nomad/jobs/api" }}{{ .user }}{{ .missing_key }}{{ end }}{{ nomadVar "nomad/jobs/gone" }}{{ key "app/db" }}{{ key "app/nope" }}{{ keyOrDefault "app/nope" "x" }}{{ ls "app/flags" }}{{ tree "app/empty" }}{{ service "web" }}{{ service "ghost" }}{{ nomadService "api" }}';
    const problems = templateProblems(analyzeTemplate(source), 'default', data());
    assert.deepEqual(
      problems.map((problem) => `${problem.severity} ${problem.code} ${source.slice(problem.start, problem.end)}`),
      [
        'warning variable-item-missing missing_key',
        'error variable-missing nomad/jobs/gone',
        'error key-missing app/nope',
        'information key-default app/nope',
        'warning prefix-empty app/empty',
        'information service-unhealthy web',
        'warning service-missing ghost',
        'warning nomad-service-missing api',
      ],
    );
    assert.match(problems[0]!.message, /^variable nomad\/jobs\/api has no item "missing_key" on "demo": it renders "<no value>". Its items: password, user\.$/);
    assert.ok(!problems.some((problem) => problem.message.includes('secret-value')), 'no value in a message');
  });

  it('says nothing of what it has not read (an unreadable variable, a catalog not loaded)', () => {
    const unknown = data({ variable: () => ({ state: 'unknown' }), key: () => ({ state: 'unknown' }), consulService: () => undefined, nomadService: () => ({ state: 'unknown' }) });
    assert.deepEqual(templateProblems(analyzeTemplate('{{ nomadVar "a" }}{{ key "b" }}{{ service "c" }}{{ nomadService "d" }}'), 'default', unknown), []);
  });

  it('hovers mask every value of a variable, and bound a key\'s value', () => {
    const [variable, item] = analyzeTemplate('{{ with nomadVar "nomad/jobs/api" }}{{ .user }}{{ end }}').references;
    assert.deepEqual(referenceSummary(variable!, 'default', data(), '••', 10), ['variable nomad/jobs/api (namespace default, index 7) on "demo":', '  password = ••', '  user = ••']);
    assert.deepEqual(referenceSummary(item!, 'default', data(), '••', 10), ['variable nomad/jobs/api (namespace default, index 7) on "demo":', '  password = ••', '→ user = ••']);
    const [key] = analyzeTemplate('{{ key "app/db" }}').references;
    assert.deepEqual(referenceSummary(key!, 'default', data(), '••', 8), ['key app/db on "demo":', 'postgres… (13 bytes)']);
  });

  it('reads the template blocks of a jobspec: heredoc and quoted data, the job\'s namespace, offsets into the file', async () => {
    const text = 'job "api" {\n  namespace = "prod"\n  group "g" {\n    task "t" {\n      template {\n        destination = "local/a.env"\n        data = <<-EOT\n          A={{ key "a/b" }}\n            B=${var.x}\n          EOT\n      }\n      template {\n        data = "C={{ key \\"c/d\\" }}\\n"\n      }\n    }\n  }\n}\n';
    const templates = jobspecTemplates(parseHcl(await hclParser(), text), text);
    assert.deepEqual(templates.map((template) => [template.jobId, template.namespace, template.group, template.task, template.destination]), [['api', 'prod', 'g', 't', 'local/a.env'], ['api', 'prod', 'g', 't', undefined]]);
    assert.equal(templateText(templates[0]!), 'A={{ key "a/b" }}\n  B=${var.x}\n');
    assert.equal(templates[1]!.source, 'C={{ key "c/d" }}\n');
    for (const template of templates) {
      for (const reference of analyzeTemplate(template.source).references) {
        assert.equal(text.slice(template.offsets[reference.start], template.offsets[reference.end]), reference.kind === 'key' ? reference.key : '', 'the span lands on the name in the file');
      }
    }
  });
});
