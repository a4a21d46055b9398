import * as assert from 'node:assert/strict';
import { DemoCluster } from '../../demo/demoCluster';
import { ConsulClient } from '../../src/core/consul/consulClient';
import { decodeKvValue } from '../../src/core/consul/kv';
import { ApiError } from '../../src/core/http/apiError';
import { NomadClient } from '../../src/core/nomad/nomadClient';
import { CONSUL_HEADERS, NOMAD_HEADERS, PLAIN_TEXT, ReplayServer, useReplayServer } from '../support/replayServer';

describe('Nomad Variables and Consul KV clients against recorded responses', () => {
  const replay = useReplayServer({
    'GET /v1/vars': { file: 'nomad-variables/vars-list.json', headers: NOMAD_HEADERS },
    'GET /v1/var/example/first': { file: 'nomad-variables/var-read.json', headers: NOMAD_HEADERS },
    'GET /v1/kv/zip': { file: 'consul-kv/kv-read.json', headers: CONSUL_HEADERS },
    'GET /v1/kv/web/': { file: 'consul-kv/kv-keys-separator.json', headers: CONSUL_HEADERS },
  });
  let server: ReplayServer;
  beforeEach(() => (server = replay()));
  const nomad = () => new NomadClient({ address: server.address, timeoutMs: 2000, token: 'secret-token' });
  const consul = () => new ConsulClient({ address: server.address, timeoutMs: 2000 });

  it("lists variables' metadata under a prefix in a namespace, with the index to block on", async () => {
    const listed = await nomad().variables('example', 'prod');
    assert.deepEqual(listed.items.map((variable) => `${variable.Namespace}/${variable.Path}@${variable.ModifyIndex}`), ['prod/example/first@1457', 'prod/example/second@1000']);
    assert.equal(listed.index, 96);
    assert.equal(server.requests[0]!.query.get('prefix'), 'example');
    assert.equal(server.requests[0]!.query.get('namespace'), 'prod');
    assert.equal(server.requests[0]!.headers['x-nomad-token'], 'secret-token');
  });

  it('reads a variable with its items, and a missing one as undefined (Nomad: 404 "variable not found")', async () => {
    const variable = await nomad().variable('example/first', 'prod');
    assert.deepEqual(variable?.Items, { user: 'me', password: 'passw0rd1' });
    server.on('GET /v1/var/nothing/here', { status: 404, body: 'variable not found', contentType: PLAIN_TEXT });
    assert.equal(await nomad().variable('nothing/here', 'prod'), undefined);
  });

  it('writes with cas and reads a 409 as the variable that won; a 409 in words is an error that says so', async () => {
    server.on('PUT /v1/var/example/first', { status: 409, file: 'nomad-variables/var-put-conflict-409.json', headers: NOMAD_HEADERS });
    const result = await nomad().putVariable('example/first', 'prod', { user: 'you' }, 1400);
    assert.equal(result.kind, 'conflict');
    assert.equal(result.kind === 'conflict' && result.current.ModifyIndex, 1457);
    const sent = server.requests.at(-1)!;
    assert.equal(sent.query.get('cas'), '1400');
    assert.deepEqual(JSON.parse(sent.body), { Namespace: 'prod', Path: 'example/first', Items: { user: 'you' } });
    server.on('PUT /v1/var/example/first', { status: 409, body: 'cas error: variable not found', contentType: PLAIN_TEXT });
    await assert.rejects(nomad().putVariable('example/first', 'prod', { user: 'you' }, 1400), (error: unknown) => error instanceof ApiError && error.status === 409 && /cas error/.test(error.message));
    server.on('PUT /v1/var/example/first', { file: 'nomad-variables/var-put.json', headers: NOMAD_HEADERS });
    const written = await nomad().putVariable('example/first', 'prod', { user: 'me', password: 'passw0rd1' }, 1457);
    assert.equal(written.kind === 'written' && written.variable?.ModifyIndex, 1457);
  });

  it('deletes (204, no body), and reads a delete conflict without read access as metadata only', async () => {
    server.on('DELETE /v1/var/example/first', { status: 204, body: '' });
    assert.deepEqual(await nomad().deleteVariable('example/first', 'prod', 1457), { kind: 'written' });
    server.on('DELETE /v1/var/example/first', { status: 409, file: 'nomad-variables/var-delete-conflict-409-metadata-only.json' });
    const conflict = await nomad().deleteVariable('example/first', 'prod', 1);
    assert.equal(conflict.kind, 'conflict');
    assert.equal(conflict.kind === 'conflict' && conflict.current.Items, undefined);
  });

  it("reads a key's entry and decodes its value; lists a folder's keys; a missing prefix is empty, not an error", async () => {
    const entry = await consul().kvEntry('zip');
    assert.equal(entry?.ModifyIndex, 200);
    assert.deepEqual(decodeKvValue(entry!.Value), { kind: 'text', text: 'test', bytes: 4 });
    const keys = await consul().kvKeys('web/');
    assert.deepEqual(keys.data, ['/web/bar', '/web/foo', '/web/subdir/']);
    assert.equal(keys.meta.index, 8421);
    assert.ok(server.requests.at(-1)!.query.has('keys') && server.requests.at(-1)!.query.get('separator') === '/');
    server.on('GET /v1/kv/empty/', { status: 404, body: '', headers: CONSUL_HEADERS });
    const empty = await consul().kvKeys('empty/');
    assert.deepEqual(empty.data, []);
    assert.equal(empty.meta.index, 8421, 'the index of a 404 is kept: a blocking query waits for the first key');
    assert.equal(await consul().kvEntry('empty/nothing'), undefined);
  });

  it("sends a key's bytes as they are, and reads Consul's false as a write that lost", async () => {
    server.on('PUT /v1/kv/a/b', { file: 'consul-kv/kv-put-cas-failed.json' });
    assert.equal(await consul().kvPut('a/b', Buffer.from('héllo'), { cas: 5, flags: 42 }), false);
    const sent = server.requests.at(-1)!;
    assert.equal(sent.body, 'héllo');
    assert.equal(sent.query.get('cas'), '5');
    assert.equal(sent.query.get('flags'), '42');
    server.on('PUT /v1/kv/a/b', { file: 'consul-kv/kv-put.json' });
    assert.equal(await consul().kvPut('a/b', Buffer.from('x'), { cas: 6 }), true);
  });
});

describe('Nomad Variables and Consul KV on the demo: check-and-set as the servers do it', () => {
  let demo: DemoCluster;
  before(async () => (demo = await DemoCluster.start()));
  after(() => demo.close());
  const nomad = () => new NomadClient({ address: demo.address('nomad'), timeoutMs: 5000 });
  const consul = () => new ConsulClient({ address: demo.address('consul'), timeoutMs: 5000 });

  it('a write at the index read wins; a write at an older index gets the current variable back and changes nothing', async () => {
    const read = (await nomad().variable('nomad/jobs/whoami', 'default'))!;
    const first = await nomad().putVariable('nomad/jobs/whoami', 'default', { ...read.Items, name: 'mine' }, read.ModifyIndex);
    assert.equal(first.kind, 'written');
    const stale = await nomad().putVariable('nomad/jobs/whoami', 'default', { ...read.Items, name: 'theirs' }, read.ModifyIndex);
    assert.equal(stale.kind, 'conflict');
    assert.equal(stale.kind === 'conflict' && stale.current.Items?.name, 'mine');
    assert.equal(demo.configData.variableItems('default', 'nomad/jobs/whoami')?.name, 'mine');
    // cas=0 creates only a path that is free.
    assert.equal((await nomad().putVariable('nomad/jobs/whoami', 'default', { a: 'b' }, 0)).kind, 'conflict');
    assert.equal((await nomad().putVariable('nomad/jobs/new', 'default', { a: 'b' }, 0)).kind, 'written');
    const listed = await nomad().variables('nomad/jobs/', 'default');
    assert.ok(listed.items.some((variable) => variable.Path === 'nomad/jobs/new'));
    assert.deepEqual(await nomad().deleteVariable('nomad/jobs/new', 'default', (await nomad().variable('nomad/jobs/new', 'default'))!.ModifyIndex), { kind: 'written' });
    assert.equal(await nomad().variable('nomad/jobs/new', 'default'), undefined);
  });

  it('a key written at its index is taken, at an older one refused with false; a binary value reads as binary; folders list', async () => {
    const entry = (await consul().kvEntry('config/whoami/greeting'))!;
    assert.equal(await consul().kvPut('config/whoami/greeting', Buffer.from('Bonjour'), { cas: entry.ModifyIndex, flags: entry.Flags }), true);
    assert.equal(await consul().kvPut('config/whoami/greeting', Buffer.from('Hallo'), { cas: entry.ModifyIndex }), false);
    assert.equal(demo.configData.keyValue('config/whoami/greeting')?.toString(), 'Bonjour');
    const binary = (await consul().kvEntry('certs/legacy.der'))!;
    assert.equal(decodeKvValue(binary.Value).kind, 'binary');
    assert.deepEqual((await consul().kvKeys('config/')).data, ['config/launcher/', 'config/whoami/']);
    assert.equal((await consul().kvEntry('config/launcher/features/search'))!.Flags, 42);
    assert.deepEqual((await consul().kvKeysUnder('config/launcher/')).sort(), ['config/launcher/features/', 'config/launcher/features/search', 'config/launcher/title']);
  });

  it('holds a blocking query on a prefix until a key under it changes', async () => {
    const before = await consul().kvKeys('config/');
    const held = consul().kvKeys('config/', undefined, { index: before.meta.index!, waitSeconds: 30 });
    demo.configData.setKey('config/billing/db_url', 'postgres://db');
    const after = await held;
    assert.ok(after.meta.index! > before.meta.index!);
    assert.ok(after.data.includes('config/billing/'));
  });
});
