import * as assert from 'node:assert/strict';
import type { Parser } from 'web-tree-sitter';
import { CONSUL_LABELLED_BLOCKS, ConsulAccess } from '../../src/core/acl/consulAccess';
import { globMatches, NOMAD_LABELLED_BLOCKS, NomadAccess, nomadPolicyRules } from '../../src/core/acl/nomadAccess';
import { accessMarkers, nomadActionVerdict } from '../../src/core/acl/rowAccess';
import { readRules, RuleSyntaxError } from '../../src/core/acl/ruleSyntax';
import { accessVerdict, TokenAccess } from '../../src/core/acl/tokenAccess';
import { createHclParser } from '../../src/core/jobspec/hclParser';
import { recordedText } from '../support/recorded';
import { AccessReads } from '../../src/core/store/accessReads';
import { until } from '../support/until';

let parser: Parser;
const nomad = (...policies: string[]) => NomadAccess.fromPolicies(policies.map((rules) => nomadPolicyRules(readRules(parser, rules, NOMAD_LABELLED_BLOCKS))));

// The examples of Nomad's ACL policy page (test/fixtures/recorded/nomad-acl/README.md), each with requests and what
// the servers answer.
const NOMAD_TABLE: { name: string; policies: string[]; requests: [namespace: string, capability: string, allowed: boolean][] }[] = [
  {
    name: 'the page\'s structure example: "foo" write plus alloc-exec, every other namespace read',
    policies: [`namespace "foo" {\n  policy = "write"\n  capabilities = ["alloc-exec"]\n}\nnamespace "*" {\n  policy = "read"\n}\nnode {\n  policy = "read"\n}`],
    requests: [['foo', 'submit-job', true], ['foo', 'alloc-exec', true], ['foo', 'alloc-node-exec', false], ['bar', 'read-job', true], ['bar', 'submit-job', false], ['bar', 'read-logs', false]],
  },
  {
    name: 'the closest glob wins: "*-web" (deny) over "*" (write) for production-web',
    policies: [`namespace "*-web" {\n  policy = "deny"\n}\n\nnamespace "*" {\n  policy = "write"\n}`],
    requests: [['production-web', 'read-job', false], ['production-web', 'submit-job', false], ['production-api', 'submit-job', true], ['default', 'alloc-lifecycle', true]],
  },
  {
    name: 'read plus submit-job: jobs submitted, logs and files not',
    policies: [`namespace "default" {\n  policy       = "read"\n  capabilities = ["submit-job"]\n}`],
    requests: [['default', 'submit-job', true], ['default', 'list-jobs', true], ['default', 'read-logs', false], ['default', 'read-fs', false], ['prod', 'read-job', false]],
  },
  {
    name: 'capabilities alone, without a policy',
    policies: [`namespace "default" {\n  capabilities = ["submit-job","list-jobs","read-job"]\n}`],
    requests: [['default', 'submit-job', true], ['default', 'parse-job', false]],
  },
  {
    name: 'scale: what the autoscaler needs and nothing to submit',
    policies: [`namespace "default" {\n  policy = "scale"\n}`],
    requests: [['default', 'scale-job', true], ['default', 'read-job', true], ['default', 'submit-job', false], ['default', 'list-jobs', false]],
  },
  {
    name: 'a deny in one policy wipes what another grants for that namespace, in either order',
    policies: [`namespace "prod" {\n  policy = "write"\n}`, `namespace "prod" {\n  policy = "deny"\n}\nnamespace "default" {\n  policy = "write"\n}`],
    requests: [['prod', 'read-job', false], ['default', 'submit-job', true]],
  },
  {
    name: 'the same, the deny first',
    policies: [`namespace "prod" {\n  capabilities = ["deny"]\n}`, `namespace "prod" {\n  policy = "write"\n}`],
    requests: [['prod', 'list-jobs', false]],
  },
  {
    name: 'rules for one namespace merge across policies',
    policies: [`namespace "prod" {\n  policy = "read"\n}`, `namespace "prod" {\n  capabilities = ["alloc-lifecycle"]\n}`],
    requests: [['prod', 'read-job', true], ['prod', 'alloc-lifecycle', true], ['prod', 'submit-job', false]],
  },
  {
    name: 'a namespace rule without a label is the default namespace\'s; host-volume-write brings its lesser capabilities',
    policies: [`namespace {\n  capabilities = ["host-volume-write"]\n}`],
    requests: [['default', 'host-volume-register', true], ['default', 'host-volume-delete', true], ['default', 'host-volume-read', true], ['other', 'host-volume-read', false]],
  },
  {
    name: 'the JSON form of a policy',
    policies: [JSON.stringify({ namespace: { prod: { policy: 'read' }, 'dev-*': { policy: 'write' } } })],
    requests: [['prod', 'read-job', true], ['prod', 'submit-job', false], ['dev-1', 'submit-job', true]],
  },
];

describe('ACL: what a token may do, resolved as the servers resolve it', () => {
  before(async function () {
    this.timeout(30_000);
    parser = await createHclParser();
  });

  describe('Nomad namespace rules (the policy page\'s examples)', () => {
    for (const row of NOMAD_TABLE) {
      it(row.name, () => {
        const access = nomad(...row.policies);
        for (const [namespace, capability, allowed] of row.requests) assert.equal(access.allows(namespace, capability), allowed, `${capability} in "${namespace}"`);
      });
    }

    it('a management token may do everything; no policy, nothing', () => {
      assert.ok(NomadAccess.management().allows('anything', 'submit-job'));
      assert.equal(NomadAccess.fromPolicies([]).allows('default', 'read-job'), false);
    });

    it("the fine-grained capabilities count where the endpoint accepts them (Deploy: submit-job or register-job)", () => {
      const access = nomad(`namespace "prod" {\n  capabilities = ["read-job", "register-job", "promote-deployment"]\n}`);
      const profile = { nomad: { kind: 'token', token: { name: 'ci', accessor: 'a', type: 'client', policies: [], roles: [], identities: [], expiresAt: undefined, anonymous: false }, nomad: access } as TokenAccess };
      assert.deepEqual(nomadActionVerdict(profile, 'deploy', 'prod'), { allowed: true });
      assert.deepEqual(nomadActionVerdict(profile, 'promote', 'prod'), { allowed: true });
      assert.deepEqual(nomadActionVerdict(profile, 'plan', 'prod'), { allowed: false, lacks: 'token lacks submit-job in "prod"' });
      assert.deepEqual(nomadActionVerdict(profile, 'lifecycle', 'prod'), { allowed: false, lacks: 'token lacks alloc-lifecycle in "prod"' });
    });

    it("variables: the page's dev example, exact before glob, deny wins, read brings list", () => {
      const access = nomad(`namespace "dev" {\n  variables {\n    path "project/*" {\n      capabilities = ["write", "read", "destroy", "list"]\n    }\n    path "system/*" {\n      capabilities = ["read"]\n    }\n    path "project/secret" {\n      capabilities = ["deny"]\n    }\n  }\n}`);
      assert.ok(access.variable('dev', 'project/app', 'write'));
      assert.ok(access.variable('dev', 'system/config', 'read'));
      assert.ok(access.variable('dev', 'system/config', 'list'), 'read brings list');
      assert.equal(access.variable('dev', 'system/config', 'write'), false);
      assert.equal(access.variable('dev', 'system', 'read'), false, 'the glob needs the slash: "system" is not "system/*"');
      assert.equal(access.variable('dev', 'project/secret', 'read'), false, 'the exact rule (deny) wins over the glob');
      assert.equal(access.variable('prod', 'project/app', 'read'), false);
      assert.equal(access.allows('dev', 'read-job'), false, 'a variables block grants no namespace capability');
    });

    it('globs match as go-glob does', () => {
      assert.ok(globMatches('*', ''));
      assert.ok(globMatches('*-web', 'production-web'));
      assert.ok(globMatches('dev-*-eu', 'dev-a-b-eu'));
      assert.equal(globMatches('dev-*-eu', 'dev-eu'), false);
      assert.equal(globMatches('prod', 'production'), false);
    });

    it('rules that do not parse are an error naming the line', () => {
      assert.throws(() => readRules(parser, 'namespace "x" {\n  policy = \n}', NOMAD_LABELLED_BLOCKS), (error: unknown) => error instanceof RuleSyntaxError && /line 2|line 3/.test(error.message));
    });
  });

  describe('Consul rules (the rules page\'s example)', () => {
    const example = () => ConsulAccess.fromPolicies([readRules(parser, recordedText('consul-acl/rules-docs-example.hcl'), CONSUL_LABELLED_BLOCKS)], { services: [], nodes: [] });

    it('the longest prefix wins, an exact key beats every prefix, and no rule means the default policy', () => {
      const access = example();
      assert.ok(access.allows('key', 'anything', 'read'));
      assert.equal(access.allows('key', 'anything', 'write'), false);
      assert.ok(access.allows('key', 'foo/bar', 'write'));
      assert.equal(access.allows('key', 'foo/private/x', 'read'), false);
      assert.equal(access.allows('key', 'foo/bar/secret', 'read'), false);
      assert.equal(access.allows('service', 'web', 'read'), false, 'no service rule: the default policy (deny)');
      assert.ok(ConsulAccess.fromPolicies([], { services: [], nodes: [] }, 'allow').allows('service', 'web', 'write'), 'default allow');
      assert.equal(access.global.get('operator'), 'read');
    });

    it("the JSON twin on the same page resolves the same", () => {
      const json = ConsulAccess.fromPolicies([readRules(parser, JSON.stringify({ key_prefix: { '': { policy: 'read' }, 'foo/': { policy: 'write' }, 'foo/private/': { policy: 'deny' } }, key: { 'foo/bar/secret': { policy: 'deny' } }, operator: 'read' }), CONSUL_LABELLED_BLOCKS)], { services: [], nodes: [] });
      for (const key of ['anything', 'foo/bar', 'foo/private/x', 'foo/bar/secret']) assert.equal(json.allows('key', key, 'write'), example().allows('key', key, 'write'), key);
    });

    it('the same rule in two policies: deny over write over read', () => {
      const access = ConsulAccess.fromPolicies([readRules(parser, 'key_prefix "app/" { policy = "read" }', CONSUL_LABELLED_BLOCKS), readRules(parser, 'key_prefix "app/" { policy = "write" }', CONSUL_LABELLED_BLOCKS)], { services: [], nodes: [] });
      assert.ok(access.allows('key', 'app/x', 'write'));
      const denied = ConsulAccess.fromPolicies([readRules(parser, 'key_prefix "app/" { policy = "write" }', CONSUL_LABELLED_BLOCKS), readRules(parser, 'key_prefix "app/" { policy = "deny" }', CONSUL_LABELLED_BLOCKS)], { services: [], nodes: [] });
      assert.equal(denied.allows('key', 'app/x', 'read'), false);
    });

    it('service and node identities stand for the rules Consul synthesizes', () => {
      const access = ConsulAccess.fromPolicies([], { services: ['web'], nodes: ['node-1'] });
      assert.ok(access.allows('service', 'web', 'write'));
      assert.ok(access.allows('service', 'web-sidecar-proxy', 'write'));
      assert.ok(access.allows('service', 'db', 'read'));
      assert.equal(access.allows('service', 'db', 'write'), false);
      assert.ok(access.allows('node', 'node-1', 'write'));
      assert.equal(access.allows('key', 'x', 'read'), false);
    });
  });

  describe('verdicts and row markers', () => {
    it('unknown access offers everything; ACLs off allows; a refused token refuses with its reason', () => {
      assert.deepEqual(accessVerdict(undefined, { product: 'nomad', namespace: 'prod', anyOf: ['submit-job'] }), { allowed: undefined });
      assert.deepEqual(accessVerdict({ kind: 'aclDisabled' }, { product: 'nomad', namespace: 'prod', anyOf: ['submit-job'] }), { allowed: true });
      assert.match(accessVerdict({ kind: 'invalid', reason: 'ACL token expired' }, { product: 'consul', key: 'x', operation: 'write' }).lacks!, /Consul token is refused by the cluster \(ACL token expired\)/);
    });

    it('marks the rows with the actions the token may take in their namespace', () => {
      const access = nomad(`namespace "default" {\n  policy = "write"\n}\nnamespace "prod" {\n  policy = "read"\n}`);
      const profile = { nomad: { kind: 'token', token: { name: 'dev', accessor: 'a', type: 'client', policies: ['dev'], roles: [], identities: [], expiresAt: undefined, anonymous: false }, nomad: access } as TokenAccess };
      const allocation = (namespace: string) => ({ id: 'x', label: 'x', contextValue: 'nomadAllocation', collapsible: 'none' as const, allocation: { id: 'a', jobId: 'j', namespace, group: 'g', running: true } });
      assert.deepEqual(accessMarkers(allocation('default'), profile), ['mayLifecycle', 'mayExec', 'mayLogs', 'mayFiles']);
      assert.deepEqual(accessMarkers(allocation('prod'), profile), [], 'read: no restart, no shell, no logs, no files');
      assert.deepEqual(accessMarkers(allocation('prod'), {}), ['mayLifecycle', 'mayExec', 'mayLogs', 'mayFiles'], 'nothing known: everything offered, tried, and a 403 named');
    });
  });
});

describe('AccessReads: when a token is read again', () => {
  const fakeClients = (answers: (() => Promise<unknown>)[]) => {
    let calls = 0;
    const nomad = { aclTokenSelf: () => answers[Math.min(calls++, answers.length - 1)]!(), aclPolicy: async () => ({ Name: 'p', Rules: 'namespace "default" { policy = "read" }' }), aclRole: async () => ({ ID: 'r', Name: 'r', Policies: [] }) };
    return { clients: { nomad, consul: {} } as never, calls: () => calls };
  };
  const down = () => Promise.reject(new Error('connect ECONNREFUSED'));
  const token = async () => ({ AccessorID: 'a1', Name: 'dev', Type: 'client', Policies: ['p'] });

  it('once with the first data; again after a failed read only past its retry time, and never for the ACL reads\' own refusals', async () => {
    const { clients, calls } = fakeClients([down, token]);
    const changes: string[] = [];
    const slow = new AccessReads(clients, createHclParser, (product) => changes.push(product));
    slow.ensure('nomad');
    await until(() => changes.length === 1 || undefined, 'the first read');
    assert.equal(slow.current.nomad?.kind, 'unknown');
    slow.ensure('nomad');
    assert.equal(calls(), 1, 'within the retry time, not read again');
    const quick = fakeClients([down, token]);
    const retrying = new AccessReads(quick.clients, createHclParser, (product) => changes.push(product), { unknownRetryMs: 0, refusalReloadMinMs: 60_000 });
    retrying.ensure('nomad');
    await until(() => retrying.current.nomad?.kind === 'unknown' || undefined, 'the failed read');
    retrying.ensure('nomad');
    await until(() => retrying.current.nomad?.kind === 'token' || undefined, 'read again, now with the token');
    retrying.noteRefusal('nomad', '/v1/acl/policy/p');
    retrying.noteRefusal('nomad', '/v1/client/allocation/x/restart');
    retrying.noteRefusal('nomad', '/v1/client/allocation/y/restart');
    await until(() => quick.calls() === 3 || undefined, 'one reload for the refusals');
    assert.equal(quick.calls(), 3, 'the ACL read\'s refusal is ignored, the second refusal is within the throttle');
    slow.dispose();
    retrying.dispose();
  });
});
