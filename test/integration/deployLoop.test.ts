import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoCluster } from '../../demo/demoCluster';
import { planJobspec } from '../../src/core/deploy/jobPlan';
import { planExitCode, planSummary, renderPlanDocument } from '../../src/core/deploy/planDocument';
import { followOutcome, followRollout, FollowState, FollowTarget } from '../../src/core/deploy/rolloutFollow';
import { allocationFailureReason } from '../../src/core/tree/nomad/allocationTasks';
import { ApiError } from '../../src/core/http/apiError';
import { NomadClient, ParsedJob } from '../../src/core/nomad/nomadClient';
import { NomadCliApi } from '../../demo/nomadCliApi';
import { ClusterStore } from '../../src/core/store/clusterStore';
import { NOMAD_HEADERS, PLAIN_TEXT, ReplayServer, useReplayServer } from '../support/replayServer';
import { until } from '../support/until';
import { DemoStore, startDemoStore } from '../support/demoStore';
import { summarizeServiceHealth } from '../../src/core/tree/consul/consulProperties';
import { nomadAllocationOfService } from '../../src/core/tree/links';
import { routeChain } from '../../src/core/tree/traefik/routeChain';
import { jobEvaluations, nomadSectionNodes } from '../../src/core/tree/nomad/nomadProperties';

const REPO = join(__dirname, '..', '..', '..');
const WHOAMI = readFileSync(join(REPO, 'platform', 'nomad', 'whoami.nomad'), 'utf8');

describe("NomadClient's deploy endpoints against recorded Nomad responses", () => {
  const replay = useReplayServer({
    'POST /v1/jobs/parse': { file: 'nomad/jobs-parse.json', headers: NOMAD_HEADERS },
    'POST /v1/job/my-job/plan': { file: 'nomad/job-plan.json', headers: NOMAD_HEADERS },
    'POST /v1/jobs': { file: 'nomad/jobs-register.json', headers: NOMAD_HEADERS },
    'POST /v1/deployment/promote/5456bd7a-9fc0-c0dd-6131-cbee77f57577': { file: 'nomad/deployment-promote.json', headers: NOMAD_HEADERS },
    'POST /v1/deployment/fail/5456bd7a-9fc0-c0dd-6131-cbee77f57577': { file: 'nomad/deployment-fail.json', headers: NOMAD_HEADERS },
    'POST /v1/job/example/revert': { file: 'nomad/job-revert.json', headers: NOMAD_HEADERS },
    'GET /v1/job/example/evaluations': { file: 'nomad/job-evaluations.json', headers: NOMAD_HEADERS },
    'GET /v1/deployment/70638f62-5c19-193e-30d6-f9d6e689ab8e': { file: 'nomad/deployment.json', headers: NOMAD_HEADERS },
    'POST /v1/validate/job': { file: 'nomad/validate-job.json', headers: NOMAD_HEADERS },
  });
  let server: ReplayServer;
  beforeEach(() => (server = replay()));
  const client = () => new NomadClient({ address: server.address, timeoutMs: 2000, token: 'deploy-secret', namespace: 'apps' });
  // What the demo's stand-in nomad CLI sends to register a job and to monitor its deployment.
  const cli = () => new NomadCliApi({ address: server.address, timeoutMs: 2000, token: 'deploy-secret' });

  it('parses the file on the cluster and plans it with its diff, as nomad job plan does', async () => {
    const outcome = await planJobspec(client(), 'job "my-job" {}\n', 'my-job', 'apps');
    assert.equal(outcome.kind, 'plan');
    const [parse, plan] = server.requests;
    assert.deepEqual(JSON.parse(parse!.body), { JobHCL: 'job "my-job" {}\n', Canonicalize: false });
    assert.equal(parse!.headers['x-nomad-token'], 'deploy-secret');
    assert.equal(parse!.headers['content-type'], 'application/json');
    const body = JSON.parse(plan!.body) as { Job: { ID: string; Namespace: string }; Diff: boolean };
    assert.equal(body.Diff, true);
    assert.equal(body.Job.ID, 'my-job');
    assert.equal(body.Job.Namespace, 'default', "the job's own namespace (the recorded parse has one) wins over the profile's");
    assert.equal(plan!.query.get('namespace'), 'default');
    if (outcome.kind === 'plan') assert.equal(planExitCode(outcome.plan), 1);
  });

  it('turns a 400 from the parse into a parse error with its positions', async () => {
    server.on('POST /v1/jobs/parse', { status: 400, body: 'input.hcl:4,3-8: Unsupported argument; An argument named "imgae" is not expected here.', contentType: PLAIN_TEXT });
    const outcome = await planJobspec(client(), 'job "my-job" { imgae = 1 }', 'my-job', 'apps');
    assert.equal(outcome.kind, 'parseError');
    if (outcome.kind === 'parseError') assert.deepEqual(outcome.positions.map(({ line, column }) => [line, column]), [[4, 3]]);
  });

  it('refuses a job whose ID is not the one asked for, and a plan that is not a plan', async () => {
    const other = await planJobspec(client(), 'job "x" {}', 'whoami', 'apps');
    assert.equal(other.kind, 'error');
    server.on('POST /v1/job/my-job/plan', { body: '{"Diff": "yes"}', headers: NOMAD_HEADERS });
    const broken = await planJobspec(client(), 'job "my-job" {}', 'my-job', 'apps');
    assert.equal(broken.kind, 'error');
    if (broken.kind === 'error') {
      assert.ok(broken.error instanceof ApiError && broken.error.kind === 'malformed');
      assert.match(broken.error.message, /\/v1\/job\/my-job\/plan/, 'the error names where it came from');
    }
  });

  it("the stand-in CLI registers with EnforceIndex and the planned JobModifyIndex (index 0: only if the job is new), as nomad job run -check-index does", async () => {
    const job = { ID: 'my-job', Namespace: 'default' };
    const answer = await cli().registerJob(job, 42);
    assert.equal(answer.JobModifyIndex, 109);
    assert.deepEqual(JSON.parse(server.requests[0]!.body), { Job: job, EnforceIndex: true, JobModifyIndex: 42 });
    await cli().registerJob(job, 0);
    assert.deepEqual(JSON.parse(server.requests[1]!.body), { Job: job, EnforceIndex: true }, 'omitempty, as the CLI sends -check-index 0');
    await cli().registerJob(job);
    assert.deepEqual(JSON.parse(server.requests[2]!.body), { Job: job });
  });

  it('promotes, fails and reverts with the bodies Nomad checks', async () => {
    const id = '5456bd7a-9fc0-c0dd-6131-cbee77f57577';
    assert.equal((await client().promoteDeployment(id, 'default')).EvalID, '0d834913-58a0-81ac-6e33-e452d83a0c66');
    assert.deepEqual(JSON.parse(server.requests[0]!.body), { DeploymentID: id, All: true });
    await client().promoteDeployment(id, 'default', ['cache']);
    assert.deepEqual(JSON.parse(server.requests[1]!.body), { DeploymentID: id, Groups: ['cache'] });
    assert.equal((await client().failDeployment(id, 'default')).RevertedJobVersion, 1);
    assert.equal(server.requests[2]!.body, '', 'fail takes no body');
    await client().revertJob('example', 'default', 1, 2);
    assert.deepEqual(JSON.parse(server.requests[3]!.body), { JobID: 'example', JobVersion: 1, EnforcePriorVersion: 2 });
    assert.equal((await client().jobEvaluations('example', 'default'))[0]!.Status, 'complete');
    assert.equal((await cli().deployment('70638f62-5c19-193e-30d6-f9d6e689ab8e')).JobVersion, 1);
  });

  it('validates a job: the recorded 200 with its errors and warnings', async () => {
    const answer = await client().validateJob({ ID: 'example', Namespace: 'default' });
    assert.deepEqual(JSON.parse(server.requests[0]!.body), { Job: { ID: 'example', Namespace: 'default' } });
    assert.equal(answer.ValidationErrors!.length, 1);
    assert.match(answer.Warnings, /max parallel count/);
  });

  it("keeps Nomad's words when it refuses, with the status", async () => {
    server.on('POST /v1/jobs', { status: 500, body: 'Enforcing job modify index 42: job exists with conflicting job modify index: 43', contentType: PLAIN_TEXT });
    await assert.rejects(cli().registerJob({ ID: 'my-job' }, 42), (error: unknown) => error instanceof ApiError && error.status === 500 && /conflicting job modify index: 43/.test(error.message));
    server.on('POST /v1/job/example/revert', { status: 403, body: 'Permission denied', contentType: PLAIN_TEXT });
    await assert.rejects(client().revertJob('example', 'default', 1), (error: unknown) => error instanceof ApiError && error.kind === 'forbidden');
  });
});


describe('The deploy loop on the demo cluster: plan, register with -check-index, follow to the end', function () {
  this.timeout(40_000);
  let demo: DemoCluster;
  let store: ClusterStore;
  let running: DemoStore;

  beforeEach(async () => {
    running = await startDemoStore(['nomad']);
    ({ demo, store } = running);
    await until(() => store.nomad.state.mode === 'live', 'Nomad live');
  });
  afterEach(() => running.close());

  /** Registers a job as the stand-in CLI (as `nomad job run -check-index`) does. */
  const register = (job: ParsedJob, checkIndex?: number) => new NomadCliApi({ address: demo.address('nomad'), timeoutMs: 2000 }).registerJob(job, checkIndex);

  /** Deploys `text` as the extension does and follows it from the store until the follow ends. */
  async function deploy(text: string): Promise<{ state: FollowState; seen: Set<string> }> {
    const outcome = await planJobspec(store.nomad.api, text, 'whoami', 'default');
    assert.equal(outcome.kind, 'plan');
    if (outcome.kind !== 'plan') throw new Error('no plan');
    await register(outcome.job, outcome.plan.JobModifyIndex);
    const target: FollowTarget = { jobId: 'whoami', namespace: 'default', baselineJobModifyIndex: outcome.plan.JobModifyIndex };
    const seen = new Set<string>();
    let state: FollowState | undefined;
    await until(() => {
      state = followRollout(target, { snapshot: store.nomad.state.data!, definition: store.nomad.jobDefinition('default', 'whoami'), previous: state });
      if (state.version !== undefined) target.version ??= state.version;
      seen.add(state.phase + (state.awaitingPromotion ? '+promotion' : ''));
      if (state.awaitingPromotion && state.deploymentId) void store.nomad.api.promoteDeployment(state.deploymentId, 'default').catch(() => undefined);
      return state.ended;
    }, 'the rollout to end');
    return { state: state!, seen };
  }

  it('plans a patch bump of platform/nomad/whoami.nomad as one canary with the image change', async () => {
    const outcome = await planJobspec(store.nomad.api, WHOAMI.replace('v1.10.3', 'v1.10.4'), 'whoami', 'default');
    assert.equal(outcome.kind, 'plan');
    if (outcome.kind !== 'plan') return;
    assert.equal(planSummary(outcome.plan, 'whoami', 'demo'), 'whoami on "demo": 1 to place, 1 canary, image v1.10.3 → v1.10.4', 'the failed allocation is replaced, and the update starts with its canary');
    assert.match(renderPlanDocument(outcome.plan, { jobId: 'whoami', profileName: 'demo', namespace: 'default', file: 'platform/nomad/whoami.nomad', at: 0 }), /~ Edited `image`: `traefik\/whoami:v1.10.3` → `traefik\/whoami:v1.10.4`/);
    const unchanged = await planJobspec(store.nomad.api, WHOAMI, 'whoami', 'default');
    assert.ok(unchanged.kind === 'plan' && planExitCode(unchanged.plan) === 0, 'the file as it runs: nothing to do');
  });

  it('follows a good tag to successful, and the store then runs the new image', async () => {
    const { state, seen } = await deploy(WHOAMI.replace('v1.10.3', 'v1.10.4'));
    assert.equal(state.phase, 'successful', followOutcome(state, 'whoami', 'demo'));
    assert.ok(seen.has('deploying'), 'the deployment was seen rolling');
    assert.match(followOutcome(state, 'whoami', 'demo'), new RegExp(`^whoami job version ${state.version}( \\(image v1\\.10\\.4\\))? on "demo": successful, 3/3 healthy\\.$`));
    await until(() => JSON.stringify(store.nomad.jobDefinition('default', 'whoami')?.TaskGroups ?? '').includes('v1.10.4'), 'the new definition');
    // With the version's definition in the store, the version is named with its image.
    const named = followRollout({ jobId: 'whoami', namespace: 'default', version: state.version }, { snapshot: store.nomad.state.data!, definition: store.nomad.jobDefinition('default', 'whoami') });
    assert.equal(followOutcome(named, 'whoami', 'demo'), `whoami job version ${state.version} (image v1.10.4) on "demo": successful, 3/3 healthy.`);
  });

  it('after a rollout, Nomad, Consul, the route chain and the job row agree on what runs, within 10 s', async () => {
    const more = store.need(['consul', 'traefik']);
    try {
      await until(() => store.consul.state.mode === 'live' && store.traefik.state.data !== undefined, 'Consul and Traefik loaded');
      const { state } = await deploy(WHOAMI.replace('v1.10.3', 'v1.10.4'));
      assert.equal(state.phase, 'successful');
      let picture = '';
      await until(() => {
        const nomad = store.nomad.state.data!;
        const consul = store.consul.state.data!;
        const traefik = store.traefik.state.data!;
        const running = new Set(nomad.allocations.filter((allocation) => allocation.JobID === 'whoami' && allocation.DesiredStatus === 'run' && allocation.ClientStatus === 'running').map((allocation) => allocation.ID));
        const health = summarizeServiceHealth(consul.checks).get('whoami');
        const registered = new Set(consul.checks.filter((check) => check.ServiceName === 'whoami').map((check) => nomadAllocationOfService(check.ServiceID)).filter(Boolean));
        const router = traefik.routers.find((candidate) => candidate.service === 'whoami' || candidate.service === 'whoami@consulcatalog')!;
        const service = traefik.services.find((candidate) => candidate.name === 'whoami@consulcatalog');
        const chain = routeChain(router, 'whoami@consulcatalog', service, { consul, nomad });
        const job = nomadSectionNodes(nomad, { ui: { nomad: '', consul: '' }, now: Date.now() }).find((node) => node.label === 'Jobs')?.children?.find((node) => node.label === 'whoami');
        picture = JSON.stringify({ running: [...running], registered: [...registered], health, chain: chain.links, job: job?.description });
        return (
          running.size === 3 &&
          registered.size === 3 &&
          [...registered].every((id) => running.has(id as string)) &&
          health?.passing === 3 &&
          health.critical === 0 &&
          chain.links.includes('Nomad: 3 running allocations of whoami') &&
          chain.problems.length === 0 &&
          !/failed/.test(job?.description ?? 'failed')
        );
      }, 'every product to agree on the new allocations', 10_000).catch((error: Error) => {
        throw new Error(`${error.message}: ${picture}`);
      });
    } finally {
      more.dispose();
    }
  });

  it('follows a bad tag to failed, naming the OOM kill first as every reader of the allocation sees it, and the auto-revert', async () => {
    const { state } = await deploy(WHOAMI.replace('v1.10.3', 'v1.10.4-bad'));
    assert.equal(state.phase, 'failed');
    assert.equal(state.rolledBackTo, 2);
    assert.equal(state.failingAllocations[0]?.reason, 'Exit Code: 137 · OOM Killed');
    // One story: the allocation read by itself says what its events said.
    const read = await store.nomad.api.allocation(state.failingAllocations[0]!.id);
    assert.equal(allocationFailureReason(read.TaskStates), state.failingAllocations[0]!.reason);
    const outcome = followOutcome(state, 'whoami', 'demo');
    assert.match(outcome, /^whoami job version \d+ \(image v1\.10\.4-bad\) on "demo": failed — Exit Code: 137 · OOM Killed \(allocations? [0-9a-f]{8}/);
    assert.ok(outcome.indexOf('OOM Killed') < outcome.indexOf('The deployment: Failed due to unhealthy allocations'), 'the task event before the deployment\'s words');
    assert.match(outcome, /Rolled back to job version 2 \(auto_revert\)\.$/);
    // The rollback is a new version, rolled out in its turn.
    await until(() => store.nomad.state.data!.deployments.some((d) => d.JobID === 'whoami' && d.JobVersion === state.version! + 1 && d.Status === 'successful'), 'the rollback to succeed');
  });

  it('names the health check when that is what failed, its name unescaped', async () => {
    const { state } = await deploy(WHOAMI.replace('v1.10.3', 'v1.10.5-unhealthy'));
    assert.equal(state.phase, 'failed');
    assert.equal(state.failingAllocations[0]?.reason, 'Restart Signaled: healthcheck: check “service: "whoami" check” unhealthy');
    const read = await store.nomad.api.allocation(state.failingAllocations[0]!.id);
    assert.equal(allocationFailureReason(read.TaskStates), state.failingAllocations[0]!.reason);
    await until(() => store.nomad.state.data!.deployments.some((d) => d.JobID === 'whoami' && d.JobVersion === state.version! + 1 && d.Status === 'successful'), 'the rollback to succeed');
  });

  it('waits for promotion when the canary is not auto-promoted, and finishes once promoted', async () => {
    const { state, seen } = await deploy(WHOAMI.replace('v1.10.3', 'v1.10.4').replace('auto_promote     = true', 'auto_promote     = false'));
    assert.ok(seen.has('deploying+promotion'), [...seen].join(', '));
    assert.equal(state.phase, 'successful');
  });

  it('follows a batch job, which gets no deployment, through its allocations and its evaluation to the end', async () => {
    const text = 'job "report" {\n  type = "batch"\n  group "report" {\n    task "report" {\n      driver = "docker"\n      config { image = "busybox:1.36.1" }\n    }\n  }\n}\n';
    const outcome = await planJobspec(store.nomad.api, text, 'report', 'default');
    if (outcome.kind !== 'plan') throw new Error('no plan');
    assert.equal(outcome.plan.JobModifyIndex, 0, 'a new job');
    await register(outcome.job, 0);
    const target: FollowTarget = { jobId: 'report', namespace: 'default', baselineJobModifyIndex: 0 };
    let state: FollowState | undefined;
    const phases = new Set<string>();
    // As the follower does: the job's evaluations are the store's, brought by the event stream.
    let evaluationSeen = false;
    await until(() => {
      const definition = store.nomad.jobDefinition('default', 'report');
      const evaluations = jobEvaluations(store.nomad.state.data!, 'report', 'default');
      evaluationSeen ||= evaluations.some((evaluation) => evaluation.Status === 'complete' && evaluation.JobModifyIndex! > 0);
      state = followRollout(target, { snapshot: store.nomad.state.data!, definition, evaluations });
      phases.add(state.phase);
      return state.ended;
    }, 'the batch job to run');
    assert.ok(evaluationSeen, 'the registration\'s evaluation came through the event stream');
    assert.ok(!demo.requests.some((request) => request.path === '/v1/job/report/evaluations'), 'no per-job evaluation reads: the store holds them');
    assert.equal(state!.phase, 'successful', followOutcome(state!, 'report', 'demo'));
    assert.ok(phases.has('placing'), [...phases].join(', '));
    assert.equal(state!.deploymentId, undefined);
  });

  it('validates jobspecs: the platform\'s pass, a bad CPU and a max_parallel above the count do not', async () => {
    const good = await store.nomad.api.parseJob(WHOAMI);
    assert.deepEqual((await store.nomad.api.validateJob(good)).ValidationErrors, []);
    const bad = await store.nomad.api.parseJob(WHOAMI.replace('cpu    = 50', 'cpu    = 0').replace('count = 3', 'count = 1').replace('max_parallel     = 1', 'max_parallel     = 2'));
    const answer = await store.nomad.api.validateJob(bad);
    assert.match(answer.ValidationErrors![0]!, /^Task group whoami validation failed: .*\n\n\* Task whoami validation failed: .*minimum CPU value is 1; got 0/s);
    assert.match(answer.Warnings, /Group "whoami" has warnings: .*max parallel count is greater than task group count \(2 > 1\)/s);
  });

  it('refuses a register whose -check-index is stale, in Nomad\'s words', async () => {
    const outcome = await planJobspec(store.nomad.api, WHOAMI.replace('v1.10.3', 'v1.10.4'), 'whoami', 'default');
    if (outcome.kind !== 'plan') throw new Error('no plan');
    await register(outcome.job, outcome.plan.JobModifyIndex);
    await assert.rejects(register(outcome.job, outcome.plan.JobModifyIndex), /Enforcing job modify index \d+: job exists with conflicting job modify index: \d+/);
  });

  it("runs the demo's stand-in nomad CLI with the real CLI's exit codes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashistack-cli-'));
    const file = join(dir, 'whoami.nomad');
    writeFileSync(file, WHOAMI.replace('v1.10.3', 'v1.10.4'));
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [join(REPO, 'out', 'demo', 'nomadStandIn.js'), ...args], { env: { ...process.env, NOMAD_ADDR: demo.address('nomad') } });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    const plan = await run('job', 'plan', file);
    assert.equal(plan.code, 1, 'changes: exit 1');
    assert.match(plan.out, /\+\/- image: "traefik\/whoami:v1.10.3" => "traefik\/whoami:v1.10.4"/);
    const index = /nomad job run -check-index (\d+)/.exec(plan.out)![1]!;
    const stale = await run('job', 'run', '-check-index', '1', file);
    assert.equal(stale.code, 1);
    assert.match(stale.out, /Enforcing job modify index 1: job exists with conflicting job modify index: \d+\nJob not updated/);
    const deployed = await run('job', 'run', '-check-index', index, file);
    assert.equal(deployed.code, 0, deployed.out);
    assert.match(deployed.out, /Deployment "[0-9a-f]{8}" successful/);
    assert.equal((await run('job', 'plan', file)).code, 0, 'nothing left to change: exit 0');
    assert.equal((await run('alloc', 'logs', 'x')).code, 1, 'what the stand-in does not know, it says so');
  });
});
