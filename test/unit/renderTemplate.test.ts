import * as assert from 'node:assert/strict';
import { allocationPathOf } from '../../src/core/template/allocationPaths';
import { RenderData, renderTemplate } from '../../src/core/template/renderTemplate';

const data: RenderData = {
  variable: (namespace, path): Record<string, string> | undefined => (namespace === 'default' && path === 'nomad/jobs/api' ? { user: 'app', password: 'hunter2' } : namespace === 'prod' && path === 'shared/smtp' ? { host: 'smtp.prod' } : undefined),
  key: (key) => ({ 'app/db': 'postgres://db', 'app/empty': '' })[key],
  keysUnder: (prefix) => (prefix === 'app/flags/' ? [{ key: 'app/flags/a', value: '1' }, { key: 'app/flags/b', value: '2' }, { key: 'app/flags/sub/', value: '' }, { key: 'app/flags/sub/c', value: '3' }] : []),
  service: (name, tag) => (name === 'web' ? [{ Name: 'web', ID: 'web-1', Address: '10.0.1.10', Port: 8080, Node: 'a', Tags: ['v1'] }, { Name: 'web', ID: 'web-2', Address: '10.0.2.10', Port: 8080, Node: 'b', Tags: ['v2'] }].filter((instance) => !tag || instance.Tags.includes(tag)) : []),
  nomadService: () => [{ Address: '10.0.3.10', Port: 9000 }],
};

/** Each case: the template, and the text consul-template renders from `data` (Go's text/template semantics). */
const CASES: [string, string, string][] = [
  ['plain text', 'a\nb\n', 'a\nb\n'],
  ['a key', 'DB={{ key "app/db" }}', 'DB=postgres://db'],
  ['keyOrDefault of a missing key', 'L={{ keyOrDefault "app/level" "info" }}', 'L=info'],
  ['keyOrDefault of an empty key is the empty value', 'E=[{{ keyOrDefault "app/empty" "x" }}]', 'E=[]'],
  ['with nomadVar: items by the dot', '{{ with nomadVar "nomad/jobs/api" }}{{ .user }}:{{ .password }}{{ end }}', 'app:hunter2'],
  ['a missing item prints <no value>', '{{ with nomadVar "nomad/jobs/api" }}{{ .nope }}{{ end }}', '<no value>'],
  ['another namespace with @', '{{ with nomadVar "shared/smtp@prod" }}{{ .host }}{{ end }}', 'smtp.prod'],
  ['a declared variable', '{{ $v := nomadVar "nomad/jobs/api" }}{{ $v.user }}', 'app'],
  ['range over a variable: keys in order', '{{ range $k, $v := nomadVar "nomad/jobs/api" }}{{ $k }} {{ end }}', 'password user '],
  ['ls: the keys right under a prefix', '{{ range ls "app/flags" }}{{ .Key }}={{ .Value }};{{ end }}', 'a=1;b=2;'],
  ['tree: every key under it', '{{ range tree "app/flags/" }}{{ .Key }};{{ end }}', 'a;b;sub/c;'],
  ['range else when empty', '{{ range ls "app/none" }}x{{ else }}none{{ end }}', 'none'],
  ['service instances, tag filter', '{{ range service "v2.web" }}{{ .Address }}:{{ .Port }}{{ end }}', '10.0.2.10:8080'],
  ['if / else if / else', '{{ if eq (len (service "web")) 3 }}three{{ else if gt (len (service "web")) 1 }}many{{ else }}one{{ end }}', 'many'],
  ['trim markers', 'a  {{- " b " -}}  c', 'a b c'],
  ['comments render nothing', 'a{{/* hidden */}}b', 'ab'],
  ['pipes pass the value last', '{{ "hello" | toUpper }} {{ "a,b" | split "," | join "+" }}', 'HELLO a+b'],
  ['printf', '{{ printf "%s:%d %q" "port" 80 "x" }}', 'port:80 "x"'],
  ['nomadService', '{{ range nomadService "api" }}{{ .Address }}:{{ .Port }}{{ end }}', '10.0.3.10:9000'],
  ['not / and / or', '{{ if and (not false) (or "" "x") }}yes{{ end }}', 'yes'],
];

describe('The template preview renders as consul-template does', () => {
  for (const [name, source, expected] of CASES) {
    it(name, () => {
      const result = renderTemplate(source, data, { namespace: 'default' });
      assert.equal(result.blockedOn, undefined);
      assert.deepEqual(result.notes, []);
      assert.equal(result.text, expected);
    });
  }

  it('masks every item of a variable unless asked', () => {
    assert.equal(renderTemplate('{{ with nomadVar "nomad/jobs/api" }}{{ .user }} {{ .password }}{{ end }}', data, { namespace: 'default', mask: '••' }).text, '•• ••');
  });

  it('stops where the allocation would wait: a missing key or variable', () => {
    const result = renderTemplate('A={{ key "app/db" }}\nB={{ key "app/missing" }}\nC', data, { namespace: 'default' });
    assert.equal(result.text, 'A=postgres://db\nB=');
    assert.equal(result.blockedOn, 'key app/missing');
    assert.equal(renderTemplate('{{ with nomadVar "nomad/jobs/gone" }}x{{ end }}', data, { namespace: 'default' }).blockedOn, 'variable nomad/jobs/gone (namespace default)');
  });

  it('marks what it does not render, with a note, instead of guessing', () => {
    const result = renderTemplate('{{ sprig_date "x" }} {{ env "NOMAD_ALLOC_ID" }}', data, { namespace: 'default' });
    assert.equal(result.text, '«sprig_date …» ${NOMAD_ALLOC_ID}');
    assert.equal(result.notes.length, 2);
    assert.match(result.notes[0]!, /^sprig_date: not rendered by the preview/);
  });

  it('finds a destination in the allocation directory as Nomad does', () => {
    assert.equal(allocationPathOf('web', 'local/app.env'), 'web/local/app.env');
    assert.equal(allocationPathOf('web', 'secrets/db.env'), 'web/secrets/db.env');
    assert.equal(allocationPathOf('web', '${NOMAD_ALLOC_DIR}/shared.conf'), 'alloc/shared.conf');
    assert.equal(allocationPathOf('web', '${NOMAD_SECRETS_DIR}/x'), 'web/secrets/x');
    assert.equal(allocationPathOf('web', '/etc/passwd'), undefined);
    assert.equal(allocationPathOf('web', '../../etc/passwd'), undefined);
  });
});
