import * as assert from 'node:assert/strict';
import { decodeKvValue, hexHead, kvChildren, kvKeyProblem } from '../../src/core/consul/kv';
import { MAX_VARIABLE_ITEMS_BYTES, parseVariableDocument, variableDocument, variablePathProblem, variableTree } from '../../src/core/nomad/variables';

describe('Nomad variables as documents', () => {
  it('writes items as one JSON object, keys sorted, and reads it back exactly (multi-line, quotes, unicode)', () => {
    const items = { zeta: 'z', cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', quote: 'say "hi" \\ there', emoji: 'café ☕' };
    const text = variableDocument(items);
    assert.deepEqual(Object.keys(JSON.parse(text) as object), ['cert', 'emoji', 'quote', 'zeta']);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(parseVariableDocument(text), { items });
  });

  it('refuses what Nomad would refuse, saying what to write instead', () => {
    assert.match((parseVariableDocument('{"a": "b",}') as { problem: string }).problem, /not valid JSON .*\{"user": "me"\}/);
    assert.match((parseVariableDocument('["a"]') as { problem: string }).problem, /one JSON object of items/);
    assert.match((parseVariableDocument('{"port": 5432}') as { problem: string }).problem, /Item "port" is a number: Nomad's items are strings/);
    assert.match((parseVariableDocument('{"a": null}') as { problem: string }).problem, /Item "a" is null/);
    assert.match((parseVariableDocument('{}') as { problem: string }).problem, /no variable without items.*delete/);
    assert.match((parseVariableDocument(JSON.stringify({ big: 'x'.repeat(MAX_VARIABLE_ITEMS_BYTES) })) as { problem: string }).problem, /at most 65536/);
  });

  it("checks a path by Nomad's rule", () => {
    assert.equal(variablePathProblem('nomad/jobs/billing'), undefined);
    assert.equal(variablePathProblem('a-b_c~d'), undefined);
    assert.match(variablePathProblem('has space')!, /1 to 128 of the characters/);
    assert.match(variablePathProblem('a.b')!, /not a variable path/);
    assert.match(variablePathProblem('x'.repeat(129))!, /not a variable path/);
    assert.match(variablePathProblem('/lead')!, /no leading, trailing or double/);
    assert.match(variablePathProblem('')!, /needs a path/);
  });

  it('folds paths into folders', () => {
    const meta = (Path: string) => ({ Namespace: 'default', Path, CreateIndex: 1, ModifyIndex: 1 });
    const root = variableTree([meta('nomad/jobs/b'), meta('nomad/jobs/a'), meta('shared/smtp'), meta('top')]);
    assert.deepEqual(root.variables.map((v) => v.Path), ['top']);
    assert.deepEqual(root.folders.map((f) => f.prefix), ['nomad/', 'shared/']);
    assert.deepEqual(root.folders[0]!.folders[0]!.variables.map((v) => v.Path), ['nomad/jobs/a', 'nomad/jobs/b']);
  });
});

describe('Consul KV values and keys', () => {
  it('decodes UTF-8 as text and anything else as binary with a hex head', () => {
    assert.deepEqual(decodeKvValue(Buffer.from('héllo').toString('base64')), { kind: 'text', text: 'héllo', bytes: 6 });
    assert.deepEqual(decodeKvValue(null), { kind: 'text', text: '', bytes: 0 });
    const binary = decodeKvValue(Buffer.from([0x30, 0x82, 0xff, 0x41]).toString('base64'));
    assert.equal(binary.kind, 'binary');
    assert.equal(binary.kind === 'binary' && binary.hexHead, '00000000  30 82 ff 41                                      |0..A|');
    assert.equal(hexHead(Buffer.alloc(100)).split('\n').length, 4, 'at most 64 bytes');
  });

  it('splits a listing into folders and keys, leaving out the prefix itself', () => {
    assert.deepEqual(kvChildren('config/', ['config/', 'config/b', 'config/a/', 'config/c']), { folders: ['config/a/'], keys: ['config/b', 'config/c'] });
  });

  it('names keys Consul would take differently', () => {
    assert.equal(kvKeyProblem('config/db_url'), undefined);
    assert.match(kvKeyProblem('/config')!, /starts with "\/"/);
    assert.match(kvKeyProblem('config/')!, /folder/);
  });
});
