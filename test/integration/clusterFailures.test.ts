import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoCluster } from '../../demo/demoCluster';
import { DemoFailureOnDemand } from '../../demo/demoRollout';
import { NomadCliApi } from '../../demo/nomadCliApi';
import { ClusterStore } from '../../src/core/store/clusterStore';
import { FailureFact, jobFailureFacts, standingAllocations } from '../../src/core/nomad/clusterFailures';
import { failureProblems } from '../../src/core/jobspec/failureProblems';
import { parseHcl } from '../../src/core/jobspec/hclParser';
import { NomadTaskState } from '../../src/core/nomad/nomadApi';
import { jobEvaluations, nomadSectionNodes } from '../../src/core/tree/nomad/nomadProperties';
import { childrenOf } from '../../src/core/tree/explorerNode';
import { hclParser } from '../support/hcl';
import { until } from '../support/until';
import { DemoStore, startDemoStore } from '../support/demoStore';

const WHOAMI = readFileSync(join(__dirname, '..', '..', '..', 'platform', 'nomad', 'whoami.nomad'), 'utf8');

describe("The demo's failures on demand, through the store, on the lines of the platform's jobspec", function () {
  this.timeout(40_000);
  let demo: DemoCluster;
  let store: ClusterStore;
  let running: DemoStore;

  beforeEach(async () => {
    running = await startDemoStore(['nomad', 'consul'], { controlPort: 0 });
    ({ demo, store } = running);
    await until(() => store.nomad.state.mode === 'live' && store.consul.state.data !== undefined, 'Nomad live and Consul read');
    // Without its update block: no deployment, so no auto-revert replaces a failing version before it is seen.
    const job = await store.nomad.api.parseJob(WHOAMI.replace(/ {2}update \{[^}]*\}\n/, ''));
    const registered = await new NomadCliApi({ address: demo.address('nomad'), timeoutMs: 2000 }).registerJob(job);
    await until(() => store.nomad.jobDefinition('default', 'whoami')?.JobModifyIndex === registered.JobModifyIndex, 'the job without its update block in the store');
  });
  afterEach(() => running.close());

  async function failOnDemand(kind: DemoFailureOnDemand): Promise<{ Index?: number }> {
    const response = await fetch(`${demo.controlAddress}/failures/whoami`, { method: 'POST', body: JSON.stringify({ kind }) });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { Index?: number };
  }

  /** The whoami job's facts as the editor computes them, once the store has its newest version. */
  async function factsOf(version: number): Promise<FailureFact[]> {
    const definition = store.nomad.jobDefinition('default', 'whoami');
    if (!definition || definition.Version !== version) return [];
    const data = store.nomad.state.data!;
    const standing = standingAllocations(definition, data.allocations);
    const states = new Map<string, Record<string, NomadTaskState> | null>();
    for (const allocation of standing) states.set(allocation.ID, (await store.nomad.allocation(allocation.ID)).TaskStates);
    return jobFailureFacts({ definition, standing, taskStates: states, checks: store.consul.state.data?.checks ?? [], evaluations: jobEvaluations(data, 'whoami', 'default'), now: Date.now() });
  }

  const cases: { kind: DemoFailureOnDemand; code: string; line: RegExp; message: RegExp }[] = [
    { kind: 'oom', code: 'oom-killed', line: /^memory = 32$/, message: /^task "whoami" was OOM-killed/ },
    { kind: 'image', code: 'driver-failure', line: /^image = "traefik\/whoami:v1\.10\.3"$/, message: /^task "whoami": Driver Failure: Failed to pull `traefik\/whoami:missing`: .*manifest unknown/ },
    { kind: 'template', code: 'template-failed', line: /^task "whoami" \{$/, message: /^task "whoami": template "secrets\/db\.env" failed: Template failed: secrets\/db\.env: missing key/ },
    { kind: 'check', code: 'check-critical', line: /^check \{$/, message: /^service "whoami": check "service: "whoami" check" failed and Nomad restarted task\(s\): Restart Signaled: healthcheck: check “service: "whoami" check” unhealthy$/ },
    { kind: 'memory', code: 'placement-failed', line: /^memory = 32$/, message: /^group "whoami" cannot be placed \(3 allocations\): memory exhausted on 3 nodes of 3 evaluated \(evaluation [0-9a-f]{8} is blocked/ },
    { kind: 'constraint', code: 'placement-failed', line: /^task "whoami" \{$|^group "whoami" \{$/, message: /constraint \$\{attr\.kernel\.name\} = windows filtered 3 nodes of 3 evaluated/ },
  ];
  for (const { kind, code, line, message } of cases) {
    it(`"${kind}" is a ${code} Problem on the line that governs it, in the cluster's words`, async () => {
      const tree = parseHcl(await hclParser(), WHOAMI);
      const before = store.nomad.jobDefinition('default', 'whoami')!;
      await failOnDemand(kind);
      let problems: ReturnType<typeof failureProblems> = [];
      await until(async () => {
        problems = failureProblems(tree, 'whoami', await factsOf(before.Version! + 1)).filter((problem) => problem.code === code);
        return problems.length > 0;
      }, () => `a ${code} Problem (facts seen: ${problems.map((problem) => problem.message).join(' | ')})`, 20_000);
      const [problem] = problems;
      assert.match(WHOAMI.split('\n')[problem!.place.span.startLine]!.trim(), line);
      assert.match(problem!.message, message);
    });
  }

  it('a blocked evaluation shows under its job with each reason, and leaves when a version that fits is registered', async () => {
    await failOnDemand('memory');
    const job = () => nomadSectionNodes(store.nomad.state.data!, { ui: { consul: '', nomad: '' }, now: Date.now() })[0]!.children!.find((node) => node.label === 'whoami')!;
    await until(() => /waiting for room \(blocked evaluation\)/.test(job().description ?? ''), () => `the job row says it waits (${job().description})`);
    const evaluation = childrenOf(job())!.find((node) => node.id.includes('/evaluation/'))!;
    assert.match(evaluation.description!, /^blocked · whoami: 3 allocations not placed · queued-allocs/);
    assert.deepEqual(evaluation.children!.map((reason) => reason.description), ['resources exhausted on 3 nodes: memory on 3 nodes', '2 more allocations of the group failed the same way']);
    assert.deepEqual(evaluation.children![0]!.command?.arguments, [{ jobId: 'whoami', group: 'whoami', reason: 'resources exhausted on 3 nodes: memory on 3 nodes' }]);
    // The version before fits: registering it again cancels the blocked evaluation (an Evaluation event).
    await failOnDemand('oom');
    await until(() => !/waiting for room/.test(job().description ?? '') && !(store.nomad.state.data!.evaluations ?? []).some((candidate) => candidate.Status === 'blocked'), 'the blocked evaluation gone from the store and the row');
  });
});
