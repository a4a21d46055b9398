import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const REPO = join(__dirname, '..', '..', '..');

/** The grammar as VS Code runs it: vscode-textmate with the Oniguruma regex engine (WebAssembly). */
async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(join(REPO, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns), createOnigString: (text) => new oniguruma.OnigString(text) }),
    loadGrammar: async (scope) => (scope === 'source.nomad' ? textmate.parseRawGrammar(readFileSync(join(REPO, 'syntaxes', 'nomad.tmLanguage.json'), 'utf8'), 'nomad.tmLanguage.json') : null),
  });
  const grammar = await registry.loadGrammar('source.nomad');
  assert.ok(grammar);
  return grammar;
}

/** Every token of a text as `text => innermost scope`, line by line, keeping the rule stack across lines. */
function tokenize(grammar: textmate.IGrammar, text: string): { text: string; scopes: string[] }[] {
  const tokens: { text: string; scopes: string[] }[] = [];
  let stack = textmate.INITIAL;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, stack);
    for (const token of result.tokens) tokens.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    stack = result.ruleStack;
  }
  return tokens;
}

function scopeOf(tokens: { text: string; scopes: string[] }[], text: string, nth = 0): string[] {
  const found = tokens.filter((token) => token.text === text)[nth];
  assert.ok(found, `a token "${text}"`);
  return found.scopes;
}

describe('The Nomad TextMate grammar (vscode-textmate + vscode-oniguruma)', () => {
  let grammar: textmate.IGrammar;
  before(async () => (grammar = await loadGrammar()));

  it('colours the platform\'s whoami.nomad: blocks and labels, attributes, strings with templates, numbers, booleans, comments', () => {
    const tokens = tokenize(grammar, readFileSync(join(REPO, 'platform', 'nomad', 'whoami.nomad'), 'utf8'));
    assert.ok(scopeOf(tokens, 'job').includes('entity.name.type.block.nomad'));
    assert.ok(scopeOf(tokens, '"whoami"').includes('entity.name.label.nomad'), 'the job\'s label');
    assert.ok(scopeOf(tokens, 'group').includes('entity.name.type.block.nomad'));
    assert.ok(scopeOf(tokens, 'datacenters').includes('variable.other.property.nomad'));
    assert.ok(scopeOf(tokens, '3').includes('constant.numeric.nomad'));
    assert.ok(scopeOf(tokens, 'true').includes('constant.language.boolean.nomad'));
    assert.ok(scopeOf(tokens, '${').includes('punctuation.section.interpolation.begin.nomad'));
    assert.ok(scopeOf(tokens, 'var').includes('variable.language.nomad'));
    assert.ok(tokens[0]!.scopes.includes('comment.line.number-sign.nomad'), 'the leading # comment');
    assert.ok(scopeOf(tokens, 'traefik/whoami:v1.10.3').includes('string.quoted.double.nomad'));
  });

  it('reads heredocs (<<EOF and <<-EOF) to their closing line, with templates inside, and comments of every kind', () => {
    const text = ['task "t" {', '  template {', '    data = <<-EOF', '      host = "${NOMAD_IP_http}" // not a comment here', '      EOF', '    env = true', '  }', '  /* a', '  block */', '  // line', '}'].join('\n');
    const tokens = tokenize(grammar, text);
    assert.ok(scopeOf(tokens, '<<-').includes('keyword.operator.heredoc.nomad'));
    assert.ok(scopeOf(tokens, 'NOMAD_IP_http').includes('variable.language.nomad'), 'an interpolation inside a heredoc');
    const inside = tokens.find((token) => token.text.includes('// not a comment here'))!;
    assert.ok(inside.scopes.includes('string.unquoted.heredoc.nomad') && !inside.scopes.some((scope) => scope.startsWith('comment')));
    assert.ok(scopeOf(tokens, 'env').includes('variable.other.property.nomad'), 'after the heredoc, attributes again');
    assert.ok(tokens.find((token) => token.text.includes('block'))!.scopes.includes('comment.block.nomad'));
    assert.ok(tokens.find((token) => token.text === '// line')!.scopes.includes('comment.line.double-slash.nomad'));
  });

  it('knows escapes, %{…} directives, null, functions and numbers with exponents in strings and expressions', () => {
    const tokens = tokenize(grammar, 'x = "a\\n\\"b\\" $${literal} %{ if true }y%{ endif }"\ny = null\nz = upper("a") + 1.5e3');
    assert.ok(scopeOf(tokens, '\\n').includes('constant.character.escape.nomad'));
    assert.ok(scopeOf(tokens, '$${').includes('constant.character.escape.template.nomad'), '$${ is a literal ${');
    assert.ok(scopeOf(tokens, '%{').includes('keyword.control.directive.begin.nomad'));
    assert.ok(scopeOf(tokens, 'if').includes('keyword.control.nomad'));
    assert.ok(scopeOf(tokens, 'null').includes('constant.language.null.nomad'));
    assert.ok(scopeOf(tokens, 'upper').includes('support.function.nomad'));
    assert.ok(scopeOf(tokens, '1.5e3').includes('constant.numeric.nomad'));
  });
});
