// `npm run bench` (cluster failures part): what the cluster's failures as Problems add to the store's change
// handling, at 100 Nomad events a second on the large demo cluster (500 jobs, 10,000 allocations) with 200
// jobspecs in the workspace, 20 of whose jobs fail (OOM kills, a blocked evaluation, a critical check).
// A pass is what ClusterFailureDiagnostics does after a change, without its I/O (task states are read only
// when an allocation changed, and asynchronously): every jobspec's jobs, their standing allocations and
// facts, and the failing ones placed on their lines. The editor runs one pass per FAILURES_DEBOUNCE_MS.
import { BENCH_SCALE, buildScenario } from '../demo/scenario';
import { applyNomadEvents, NomadEvent } from '../src/core/nomad/nomadEvents';
import { FailureFact, jobFailureFacts, standingAllocations } from '../src/core/nomad/clusterFailures';
import { jobspecFailureProblems, JobspecJobs } from '../src/core/jobspec/failureProblems';
import { createHclParser, parseHcl } from '../src/core/jobspec/hclParser';
import { NomadEvaluation, NomadJob, NomadTaskState } from '../src/core/nomad/nomadApi';
import { allocationsByJob, jobEvaluations, jobKey, NomadSectionData } from '../src/core/tree/nomad/nomadProperties';
import type { ConsulHealthCheck } from '../src/core/consul/consulApi';
import type { Tree } from 'web-tree-sitter';

const JOBSPECS = 200;
const FAILING_EVERY = 10;
const EVENTS_PER_SECOND = 100;
/** Events arrive in batches as the stream delivers them; a batch every 100 ms at 100 events a second. */
const BATCH = 10;
const SECONDS = 20;
/** The editor's debounce (FAILURES_DEBOUNCE_MS in src/views/clusterFailureDiagnostics.ts). */
const DEBOUNCE_MS = 500;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

function jobspecText(jobId: string): string {
  return `job "${jobId}" {
  datacenters = ["dc1"]
  group "app" {
    count = 20
    constraint {
      attribute = "\${attr.kernel.name}"
      value     = "linux"
    }
    service {
      name = "${jobId}"
      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }
    task "app" {
      driver = "docker"
      config {
        image = "example/app:1.0.0"
      }
      template {
        data        = "KEY={{ key \\"${jobId}/key\\" }}"
        destination = "local/app.env"
      }
      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
`;
}

async function main(): Promise<void> {
  const scenario = buildScenario({ scale: BENCH_SCALE });
  let data: NomadSectionData = { jobs: scenario.nomad.jobs as never, allocations: scenario.nomad.allocations as never, deployments: scenario.nomad.deployments as never, nodes: scenario.nomad.nodes as never, evaluations: [], namespace: 'default' };
  const parser = await createHclParser();
  const jobIds = data.jobs.map((job) => job.ID).filter((id) => id.startsWith('job-')).slice(0, JOBSPECS);
  const trees = new Map<string, Tree>(jobIds.map((id) => [`file:///workspace/${id}.nomad`, parseHcl(parser, jobspecText(id))]));
  const jobspecs: JobspecJobs[] = jobIds.map((id) => ({ key: `file:///workspace/${id}.nomad`, jobs: [{ id, namespace: 'default' }] }));
  const definitions = new Map<string, NomadJob>(data.jobs.map((job) => [job.ID, { ID: job.ID, Name: job.ID, Namespace: 'default', Type: 'service', Status: 'running', Version: job.Version, JobModifyIndex: job.JobModifyIndex, TaskGroups: [{ Name: 'app', Count: 20, Tasks: [{ Name: 'app', Driver: 'docker', Config: { image: 'example/app:1.0.0' }, Resources: { MemoryMB: 128 }, Templates: [{ DestPath: 'local/app.env' }] }] }] }]));
  // Every tenth job fails: OOM kills in its task states, one in three of those also blocked or with a critical check.
  const now = Date.now();
  const failing = new Set(jobIds.filter((_, index) => index % FAILING_EVERY === 0));
  const taskStates = new Map<string, Record<string, NomadTaskState> | null>();
  const oom = { Type: 'Terminated', Time: (now - 60_000) * 1_000_000, Details: { oom_killed: 'true', exit_code: '137' }, DisplayMessage: 'Exit Code: 137, Exit Message: "OOM Killed"' };
  const started = { Type: 'Started', Time: (now - 600_000) * 1_000_000, DisplayMessage: 'Task started by client' };
  for (const allocation of data.allocations) {
    taskStates.set(allocation.ID, { app: { State: 'running', Failed: false, Restarts: failing.has(allocation.JobID) ? 1 : 0, StartedAt: null, FinishedAt: null, Events: (failing.has(allocation.JobID) ? [started, oom, started] : [started]) as never } });
  }
  const checks: ConsulHealthCheck[] = [];
  const evaluations: NomadEvaluation[] = [];
  [...failing].forEach((jobId, index) => {
    const allocation = data.allocations.find((candidate) => candidate.JobID === jobId)!;
    if (index % 3 === 1) checks.push({ Node: 'ip-10-0-1-10', CheckID: `check-${index}`, Name: `service: "${jobId}" check`, Status: 'critical', Notes: '', Output: 'HTTP GET: 503 Service Unavailable', ServiceID: `_nomad-task-${allocation.ID}-app-app-${jobId}-http`, ServiceName: jobId, ServiceTags: [] });
    if (index % 3 === 2) {
      const metric = { NodesEvaluated: 3, NodesFiltered: 0, NodesExhausted: 3, NodesAvailable: { dc1: 3 }, ClassFiltered: null, ConstraintFiltered: null, ClassExhausted: null, DimensionExhausted: { memory: 3 }, QuotaExhausted: null, CoalescedFailures: 4 };
      evaluations.push({ ID: `b10c0000-0000-4000-8000-${String(index).padStart(12, '0')}`, JobID: jobId, Namespace: 'default', TriggeredBy: 'queued-allocs', Status: 'blocked', StatusDescription: 'created to place remaining allocations', FailedTGAllocs: { app: metric as never }, JobModifyIndex: definitions.get(jobId)!.JobModifyIndex, CreateIndex: 900_000 + index, ModifyIndex: 900_000 + index });
    }
  });
  data = { ...data, evaluations };

  /** One pass, as the editor runs it after a change (without the reads of changed allocations' task states). */
  const pass = (): number => {
    const byJob = allocationsByJob(data);
    const facts = new Map<string, FailureFact[]>();
    for (const { id, namespace } of jobspecs.flatMap((jobspec) => jobspec.jobs)) {
      const key = jobKey(namespace, id);
      if (facts.has(key)) continue;
      const definition = definitions.get(id)!;
      const standing = standingAllocations(definition, byJob.get(key) ?? []);
      facts.set(key, jobFailureFacts({ definition, standing, taskStates, checks, evaluations: jobEvaluations(data, id, namespace), now }));
    }
    const placed = jobspecFailureProblems(jobspecs, (id, namespace) => facts.get(jobKey(namespace, id)), (key) => trees.get(key));
    let problems = 0;
    for (const list of placed.values()) problems += list.length;
    return problems;
  };

  // Warm up, and check that the failing jobs' Problems are there.
  let problems = 0;
  for (let run = 0; run < 5; run++) problems = pass();
  const watched = data.allocations.filter((allocation) => jobIds.includes(allocation.JobID));
  const passMs: number[] = [];
  const reducerMs: number[] = [];
  let modifyIndex = 2_000_000;
  const batches = (EVENTS_PER_SECOND / BATCH) * SECONDS;
  for (let batch = 0; batch < batches; batch++) {
    // A batch of allocation updates of the jobspecs' jobs (what makes a pass run at all).
    const events: NomadEvent[] = [];
    for (let index = 0; index < BATCH; index++) {
      const allocation = watched[(batch * BATCH + index) % watched.length]!;
      modifyIndex++;
      events.push({ Topic: 'Allocation', Type: 'AllocationUpdated', Key: allocation.ID, Namespace: 'default', FilterKeys: [allocation.JobID], Index: modifyIndex, Payload: { Allocation: { ...allocation, ModifyIndex: modifyIndex, Job: null } } });
    }
    let started = performance.now();
    data = applyNomadEvents(data, events);
    reducerMs.push(performance.now() - started);
    started = performance.now();
    pass();
    passMs.push(performance.now() - started);
  }
  const median = percentile(passMs, 50);
  const p95 = percentile(passMs, 95);
  const eventsPerPass = (EVENTS_PER_SECOND * DEBOUNCE_MS) / 1000;
  console.log(`Cluster failures benchmark: ${data.jobs.length} jobs, ${data.allocations.length} allocations, ${JOBSPECS} jobspecs, ${failing.size} failing jobs (${problems} Problems); ${EVENTS_PER_SECOND} events/s for ${SECONDS} s in batches of ${BATCH}.\n`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| one pass over ${JOBSPECS} jobspecs (median / p95) | ${median.toFixed(2)} ms / ${p95.toFixed(2)} ms |`);
  console.log(`| the store's reducer per batch of ${BATCH} (median), for comparison | ${percentile(reducerMs, 50).toFixed(2)} ms |`);
  console.log(`| added cost per event, a pass after every batch (worst case) | ${(median / BATCH).toFixed(3)} ms |`);
  console.log(`| added cost per event, one pass per ${DEBOUNCE_MS} ms (the editor's debounce: ${eventsPerPass} events a pass) | ${(median / eventsPerPass).toFixed(3)} ms |`);
  if (median / BATCH >= 1) {
    console.error(`over budget: ${(median / BATCH).toFixed(3)} ms per event (target < 1 ms)`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
