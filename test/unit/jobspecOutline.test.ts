import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHclParser, parseHcl } from '../../src/core/jobspec/hclParser';
import { jobspecSymbols, semanticTokens } from '../../src/core/jobspec/jobspecOutline';

const REPO = join(__dirname, '..', '..', '..');

describe("A jobspec's outline and semantic tokens, from its tree-sitter parse", () => {
  it('gives jobs, groups, tasks and services, nested, with the label selected', async () => {
    const parser = await createHclParser();
    const text = readFileSync(join(REPO, 'platform', 'nomad', 'whoami.nomad'), 'utf8');
    const tree = parseHcl(parser, text);
    const symbols = jobspecSymbols(tree);
    assert.deepEqual(symbols.map((symbol) => `${symbol.kind} ${symbol.name}`), ['variable domain', 'job whoami']);
    const job = symbols[1]!;
    const group = job.children[0]!;
    assert.deepEqual([group.kind, group.name], ['group', 'whoami']);
    assert.deepEqual(group.children.map((symbol) => `${symbol.kind} ${symbol.name}`), ['service whoami', 'task whoami'], 'the service takes its name attribute');
    const line = text.split('\n').findIndex((candidate) => candidate.startsWith('job "whoami"'));
    assert.deepEqual(job.selection, { startLine: line, startCharacter: 5, endLine: line, endCharacter: 11 });
    assert.equal(job.range.startLine, line);
    tree.delete();
  });

  it('keeps the complete jobs of a half-typed file in the outline', async () => {
    const parser = await createHclParser();
    const tree = parseHcl(parser, 'job "a" {\n  group "g" {\n    task "t" {}\n  }\n}\n\njob "b" {\n  group "h" {\n    count = \n');
    assert.ok(jobspecSymbols(tree).some((symbol) => symbol.name === 'a' && symbol.children[0]?.children[0]?.name === 't'));
    tree.delete();
  });

  it('colours block types (job, group, task, service as keywords), labels and attribute names, in order', async () => {
    const parser = await createHclParser();
    const text = 'job "web" {\n  update { max_parallel = 1 }\n  group "g" {\n    service {\n      name = "api"\n    }\n  }\n}\n';
    const tree = parseHcl(parser, text);
    const tokens = semanticTokens(tree, text).map((token) => `${token.line}:${token.character} ${text.split('\n')[token.line]!.slice(token.character, token.character + token.length)} ${token.type}${token.declaration ? '.declaration' : ''}`);
    assert.deepEqual(tokens, ['0:0 job keyword', '0:5 web class.declaration', '1:2 update type', '1:11 max_parallel property.declaration', '2:2 group keyword', '2:9 g class.declaration', '3:4 service keyword', '4:6 name property.declaration']);
    tree.delete();
  });
});
