import * as assert from 'node:assert/strict';
import { checkFacts, failureFacts, failureMessage, jobFailureFacts, OOM_WINDOW_MS, oomFacts, oomMessage, placementFacts, raisedMemory, standingAllocations, templateFacts } from '../../src/core/nomad/clusterFailures';
import { failureProblems, jobspecFailureProblems } from '../../src/core/jobspec/failureProblems';
import { placementProblems } from '../../src/core/deploy/placementProblems';
import type { ConsulHealthCheck } from '../../src/core/consul/consulApi';
import { restartPlace, taskPlace } from '../../src/core/jobspec/jobspecPlaces';
import { NomadAllocationListStub, NomadEvaluation, NomadJob, NomadTaskState } from '../../src/core/nomad/nomadApi';
import { parseHcl } from '../../src/core/jobspec/hclParser';
import { hclParser } from '../support/hcl';
import { recordedJson } from '../support/recorded';

const JOBSPEC = `job "api" {
  group "web" {
    task "app" {
      driver = "docker"
      config { image = "api:1.0.0" }
      resources {
        cpu    = 100
        memory = 256
      }
    }
    task "sidecar" {
      resources { cpu = 10 }
    }
    task "bare" {}
  }
}
`;

describe("The cluster's failures as facts about the jobspec", () => {
  it("finds a task's memory line, else its resources block, else its label; nothing for a job the file lacks", async () => {
    const tree = parseHcl(await hclParser(), JOBSPEC);
    const lines = JOBSPEC.split('\n');
    const memory = taskPlace(tree, 'api', 'web', 'app', 'resources', 'memory')!;
    assert.equal(memory.found, 'attribute');
    assert.equal(lines[memory.span.startLine]!.trim(), 'memory = 256');
    assert.equal(memory.value, '256');
    const resources = taskPlace(tree, 'api', 'web', 'sidecar', 'resources', 'memory')!;
    assert.equal(resources.found, 'block');
    assert.match(lines[resources.span.startLine]!, /resources \{/);
    const bare = taskPlace(tree, 'api', 'web', 'bare', 'resources', 'memory')!;
    assert.equal(bare.found, 'label');
    assert.match(lines[bare.span.startLine]!, /task "bare"/);
    assert.equal(taskPlace(tree, 'other', 'web', 'app', 'resources', 'memory'), undefined);
  });

  it("counts OOM kills of the latest version's standing allocations within the window, with what the task asks for", () => {
    const stub = recordedJson<NomadAllocationListStub[]>('nomad/allocations.json')[0]!;
    const now = Date.UTC(2026, 11, 3, 12);
    const at = (ms: number) => ms * 1_000_000;
    const allocation = (id: string, slot: number, version: number, createIndex: number) => ({ ...stub, ID: id, JobID: 'api', Name: `api.web[${slot}]`, TaskGroup: 'web', JobVersion: version, CreateIndex: createIndex });
    const definition = { ID: 'api', Version: 4, TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'app', Driver: 'docker', Config: null, Resources: { MemoryMB: 256 } }] }] } as unknown as NomadJob;
    const stubs = [allocation('old-slot0', 0, 4, 10), allocation('new-slot0', 0, 4, 20), allocation('slot1', 1, 4, 11), allocation('v3-slot2', 2, 3, 12)];
    const standing = standingAllocations(definition, stubs);
    assert.deepEqual(standing.map((a) => a.ID), ['new-slot0', 'slot1'], 'the newest of each slot, of the latest version');
    const oom = { Type: 'Terminated', Time: at(now - 60_000), Details: { oom_killed: 'true', exit_code: '137' } };
    const states = new Map<string, Record<string, NomadTaskState>>([
      ['new-slot0', { app: { State: 'running', Failed: false, Restarts: 2, StartedAt: null, FinishedAt: null, Events: [oom, { ...oom, Time: at(now - 120_000) }, { ...oom, Time: at(now - OOM_WINDOW_MS - 1_000) }] as never } }],
      ['slot1', { app: { State: 'dead', Failed: true, Restarts: 0, StartedAt: null, FinishedAt: null, Events: [{ Type: 'Terminated', Time: at(now - 5_000), Details: { exit_code: '1' } }] as never } }],
    ]);
    const facts = oomFacts(definition, standing, states, now);
    assert.deepEqual(facts, [{ kind: 'oom', group: 'web', task: 'app', count: 2, memoryMb: 256, allocationIds: ['new-slot0'] }]);
    assert.equal(oomMessage(facts[0]!), 'task "app" was OOM-killed 2 times in the last 1 h (memory = 256 MB): it needs more memory than it asks for');
    // A newer version: the old version's kills no longer stand.
    assert.deepEqual(oomFacts({ ...definition, Version: 5 } as NomadJob, standingAllocations({ ...definition, Version: 5 } as NomadJob, stubs), states, now), []);
    assert.equal(raisedMemory(256), 384);
    assert.equal(raisedMemory(32), 64);
  });

  it('puts a driver failure on the image line and a restart loop on the restart block, in the cluster\'s words', async () => {
    const text = `job "api" {\n  group "web" {\n    restart {\n      attempts = 2\n    }\n    task "app" {\n      config {\n        image = "api:9.9.9"\n      }\n    }\n    task "own" {\n      restart {\n        attempts = 1\n      }\n    }\n  }\n  group "plain" {\n    task "t" {}\n  }\n}\n`;
    const tree = parseHcl(await hclParser(), text);
    const lines = text.split('\n');
    assert.equal(lines[taskPlace(tree, 'api', 'web', 'app', 'config', 'image')!.span.startLine]!.trim(), 'image = "api:9.9.9"');
    assert.match(lines[restartPlace(tree, 'api', 'web', 'own')!.span.startLine]!, /^ {6}restart \{/, "the task's own restart block first");
    assert.match(lines[restartPlace(tree, 'api', 'web', 'app')!.span.startLine]!, /^ {4}restart \{/, "else its group's");
    assert.equal(restartPlace(tree, 'api', 'plain', 't')!.found, 'label');

    const stub = recordedJson<NomadAllocationListStub[]>('nomad/allocations.json')[0]!;
    const now = Date.UTC(2026, 11, 3, 12);
    const at = (ms: number) => ms * 1_000_000;
    const definition = { ID: 'api', Version: 1, TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'app', Driver: 'docker', Config: null }] }] } as unknown as NomadJob;
    const standing = [{ ...stub, ID: 'a1', JobID: 'api', Name: 'api.web[0]', TaskGroup: 'web', JobVersion: 1, CreateIndex: 5 }];
    const states = new Map<string, Record<string, NomadTaskState>>([
      ['a1', { app: { State: 'dead', Failed: true, Restarts: 2, StartedAt: null, FinishedAt: null, Events: [
        { Type: 'Driver Failure', Time: at(now - 30_000), DisplayMessage: 'Failed to pull `api:9.9.9`: manifest unknown' },
        { Type: 'Restarting', Time: at(now - 20_000), DisplayMessage: 'Task restarting in 15s' },
        { Type: 'Not Restarting', Time: at(now - 10_000), DisplayMessage: 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"' },
      ] as never } }],
    ]);
    const facts = failureFacts(definition, standing, states, now);
    assert.deepEqual(facts.map(failureMessage), [
      'task "app": Driver Failure: Failed to pull `api:9.9.9`: manifest unknown',
      'task "app" restarted 2 times and Nomad gave up: Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"',
    ]);
    // Older than the window: nothing stands.
    assert.deepEqual(failureFacts(definition, standing, states, now + OOM_WINDOW_MS + 60_000), []);
  });
});

describe("A plan's failed placements on the jobspec lines that govern them", () => {
  it("puts the recorded plan's exhausted cpu on the group's cpu lines, a filtering constraint on its block, and no node on datacenters", async () => {
    const text = `job "example" {\n  datacenters = ["dc1"]\n  constraint {\n    attribute = "\${attr.kernel.name}"\n    value     = "windows"\n  }\n  group "cache" {\n    task "redis" {\n      resources {\n        cpu    = 500\n        memory = 256\n      }\n    }\n  }\n}\n`;
    const tree = parseHcl(await hclParser(), text);
    const lines = text.split('\n');
    const plan = recordedJson<{ FailedTGAllocs: Record<string, import('../../src/core/nomad/nomadApi').NomadAllocMetric> }>('nomad/job-plan.json');
    const cpu = placementProblems(tree, 'example', plan.FailedTGAllocs);
    assert.deepEqual(cpu.map((problem) => [lines[problem.place.span.startLine]!.trim(), problem.message]), [['cpu    = 500', 'group "cache" cannot be placed (4 allocations): cpu exhausted on 1 node of 1 evaluated']]);
    const metric = { ...plan.FailedTGAllocs.cache!, NodesExhausted: 0, DimensionExhausted: null, ConstraintFiltered: { '${attr.kernel.name} = windows': 3 }, NodesEvaluated: 3 };
    const constraint = placementProblems(tree, 'example', { cache: metric });
    assert.deepEqual(constraint.map((problem) => [lines[problem.place.span.startLine]!.trim(), problem.message]), [['constraint {', 'group "cache" cannot be placed (4 allocations): constraint ${attr.kernel.name} = windows filtered 3 nodes of 3 evaluated']]);
    const nowhere = placementProblems(tree, 'example', { cache: { ...metric, ConstraintFiltered: null, NodesEvaluated: 0, NodesAvailable: { dc9: 0 } } });
    assert.deepEqual(nowhere.map((problem) => lines[problem.place.span.startLine]!.trim()), ['datacenters = ["dc1"]']);
    assert.match(nowhere[0]!.message, /no node is available in "dc9"/);
    assert.deepEqual(placementProblems(tree, 'other', plan.FailedTGAllocs), [], 'a job the file lacks');
  });
});

describe('Templates, checks and blocked evaluations as Problems', () => {
  const SPEC = `job "shop" {
  datacenters = ["dc1"]
  group "web" {
    constraint {
      attribute = "\${attr.kernel.name}"
      value     = "windows"
    }
    service {
      name = "shop-web"
      check {
        name = "alive"
        type = "http"
      }
      check {
        name = "ready"
        type = "http"
      }
    }
    task "app" {
      template {
        data        = "KEY={{ key \\"shop/key\\" }}"
        destination = "local/app.env"
      }
      template {
        data        = "DB={{ with secret \\"db\\" }}{{ .Data.password }}{{ end }}"
        destination = "secrets/db.env"
      }
      resources {
        memory = 9000
      }
    }
  }
}
`;
  const stub = recordedJson<NomadAllocationListStub[]>('nomad/allocations.json')[0]!;
  const allocation = { ...stub, ID: '9a1b2c3d-0000-4000-8000-000000000001', JobID: 'shop', Name: 'shop.web[0]', TaskGroup: 'web', JobVersion: 2, CreateIndex: 50 };
  const definition = {
    ID: 'shop',
    Version: 2,
    JobModifyIndex: 48,
    TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'app', Driver: 'docker', Config: null, Templates: [{ DestPath: 'local/app.env' }, { DestPath: 'secrets/db.env' }] }] }],
  } as unknown as NomadJob;
  const lineOf = (span: { startLine: number }) => SPEC.split('\n')[span.startLine]!.trim();

  it("puts a template's missing key on the template block whose destination the message names", async () => {
    const tree = parseHcl(await hclParser(), SPEC);
    const now = Date.UTC(2026, 11, 3, 12);
    const killing = { Type: 'Killing', Time: (now - 30_000) * 1_000_000, DisplayMessage: 'Template failed: secrets/db.env: execute: template: :1:40: executing "" at <.Data.password>: map has no entry for key "password"' };
    const facts = templateFacts(definition, [allocation], new Map([[allocation.ID, { app: { State: 'dead', Failed: true, Restarts: 0, StartedAt: null, FinishedAt: null, Events: [killing] as never } }]]), now);
    assert.deepEqual(facts.map((fact) => [fact.task, fact.destination]), [['app', 'secrets/db.env']]);
    const [problem] = failureProblems(tree, 'shop', facts);
    assert.equal(problem!.code, 'template-failed');
    assert.equal(lineOf(problem!.place.span), 'template {');
    assert.equal(problem!.place.span.startLine, SPEC.split('\n').findIndex((line, index, lines) => line.includes('template {') && lines[index + 2]!.includes('secrets/db.env')));
    assert.match(problem!.message, /^task "app": template "secrets\/db.env" failed: Template failed: .*no entry for key "password"/);
    assert.equal(templateFacts(definition, [allocation], new Map([[allocation.ID, { app: { State: 'running', Failed: false, Restarts: 0, StartedAt: null, FinishedAt: null, Events: [{ Type: 'Template', Time: (now - 2 * OOM_WINDOW_MS) * 1_000_000, DisplayMessage: 'Missing: kv.block(shop/key)' }] as never } }]]), now).length, 0, 'older than the window: no Problem');
  });

  it("puts a critical Consul check of the allocation's service on its check block, with the check's output", async () => {
    const tree = parseHcl(await hclParser(), SPEC);
    const checks = recordedJson<ConsulHealthCheck[]>('consul/health-state-any.json').map((check) => ({ ...check, Status: 'critical', ServiceName: 'shop-web', Name: 'ready', Output: 'HTTP GET http://10.0.1.12:24310/ready: 503 Service Unavailable\n', ServiceID: `_nomad-task-${allocation.ID}-group-web-shop-web-http` }));
    const facts = checkFacts([allocation], checks);
    assert.equal(facts.length, 1, 'one fact per group, service and check');
    const [problem] = failureProblems(tree, 'shop', facts);
    assert.equal(problem!.code, 'check-critical');
    assert.equal(SPEC.split('\n')[problem!.place.span.startLine + 1]!.trim(), 'name = "ready"');
    assert.equal(problem!.message, 'service "shop-web": check "ready" is critical in Consul: HTTP GET http://10.0.1.12:24310/ready: 503 Service Unavailable');
    assert.deepEqual(checkFacts([allocation], checks.map((check) => ({ ...check, ServiceID: 'web-1' }))), [], "a service Nomad did not register is not the job's");
  });

  it('puts a blocked evaluation of the current registration on the constraint it names, and forgets one from before', async () => {
    const tree = parseHcl(await hclParser(), SPEC);
    const recorded = recordedJson<NomadEvaluation & { RelatedEvals?: unknown }>('nomad/evaluation.json');
    const metric = { ...recorded.FailedTGAllocs!.cache!, NodesEvaluated: 3, NodesFiltered: 3, ConstraintFiltered: { '${attr.kernel.name} = windows': 3 }, NodesAvailable: { dc1: 3 } };
    const blocked = { ...recorded, JobID: 'shop', JobModifyIndex: 48, FailedTGAllocs: { web: metric } };
    const facts = placementFacts(definition, [blocked]);
    assert.equal(facts.length, 1);
    const problems = failureProblems(tree, 'shop', facts);
    assert.deepEqual(problems.map((problem) => lineOf(problem.place.span)), ['constraint {']);
    assert.match(problems[0]!.message, /^group "web" cannot be placed \(1 allocation\): constraint \$\{attr.kernel.name\} = windows filtered 3 nodes of 3 evaluated \(evaluation 2deb5f06 is blocked/);
    assert.deepEqual(placementFacts(definition, [{ ...blocked, JobModifyIndex: 40 }]), [], 'blocked for an earlier registration');
    assert.deepEqual(placementFacts(definition, [{ ...blocked, Status: 'complete' }]), [], 'no longer blocked');
  });

  it('a job that is fine has no facts at all', () => {
    assert.deepEqual(jobFailureFacts({ definition, standing: [allocation], taskStates: new Map([[allocation.ID, { app: { State: 'running', Failed: false, Restarts: 0, StartedAt: null, FinishedAt: null, Events: [{ Type: 'Started', Time: Date.now() * 1_000_000 }] as never } }]]), checks: [], evaluations: [], now: Date.now() }), []);
  });
});

describe('Which jobspecs get Problems, and where after edits', () => {
  const stub = recordedJson<NomadAllocationListStub[]>('nomad/allocations.json')[0]!;
  const oomFact = { kind: 'oom' as const, group: 'web', task: 'app', count: 1, memoryMb: 256, allocationIds: [stub.ID] };

  it('a jobspec whose job is not on the cluster (or has no facts) gets nothing, and its tree is never asked for', async () => {
    const asked: string[] = [];
    const tree = parseHcl(await hclParser(), JOBSPEC);
    const placed = jobspecFailureProblems(
      [
        { key: 'file:///a.nomad', jobs: [{ id: 'api', namespace: 'default' }] },
        { key: 'file:///b.nomad', jobs: [{ id: 'not-on-cluster', namespace: 'default' }] },
        { key: 'file:///c.nomad', jobs: [{ id: 'api', namespace: 'staging' }] },
      ],
      (id, namespace) => (id === 'api' && namespace === 'default' ? [oomFact] : id === 'api' ? [] : undefined),
      (key) => {
        asked.push(key);
        return tree;
      },
    );
    assert.deepEqual([...placed.keys()], ['file:///a.nomad']);
    assert.deepEqual(asked, ['file:///a.nomad'], 'only the file with something to show is parsed');
    assert.equal(placed.get('file:///a.nomad')![0]!.code, 'oom-killed');
  });

  it('a jobspec edited since the deploy still gets the Problem on its memory line, found by block path', async () => {
    const parser = await hclParser();
    const edited = JOBSPEC.replace('job "api" {\n', 'job "api" {\n  # moved down by a comment\n  meta {\n    owner = "team"\n  }\n').replace('      resources {\n        cpu    = 100\n', '      resources {\n        # more lines\n        cpu    = 100\n');
    for (const text of [JOBSPEC, edited]) {
      const [problem] = failureProblems(parseHcl(parser, text), 'api', [oomFact]);
      assert.equal(text.split('\n')[problem!.place.span.startLine]!.trim(), 'memory = 256');
    }
  });

  it("a node class that filtered every node is on the group's node_pool line, else the group", async () => {
    const parser = await hclParser();
    const metric = { NodesEvaluated: 3, NodesFiltered: 3, NodesExhausted: 0, NodesAvailable: { dc1: 3 }, ClassFiltered: { gpu: 3 }, ConstraintFiltered: null, DimensionExhausted: null, CoalescedFailures: 0 } as never;
    const withPool = JOBSPEC.replace('  group "web" {\n', '  group "web" {\n    node_pool = "gpu"\n');
    const [pooled] = placementProblems(parseHcl(parser, withPool), 'api', { web: metric });
    assert.equal(withPool.split('\n')[pooled!.place.span.startLine]!.trim(), 'node_pool = "gpu"');
    assert.match(pooled!.message, /node class "gpu" filtered 3 nodes/);
    const [plain] = placementProblems(parseHcl(parser, JOBSPEC), 'api', { web: metric });
    assert.equal(JOBSPEC.split('\n')[plain!.place.span.startLine]!.trim(), 'group "web" {');
  });
});
