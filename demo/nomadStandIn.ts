// A stand-in `nomad` CLI for the demo only (`npm start` puts demo/bin first on code-server's terminals'
// PATH): `nomad job plan|run [-check-index N] [-detach] <file>` made into the demo cluster's API calls, with
// what the real CLI prints and its exit codes (plan: 0 no changes, 1 changes, 255 error; run: 0 deployed,
// 1 failed or refused, 2 placement failures). It is not Nomad's CLI and says so in `nomad version`.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { planExitCode, failedPlacementReasons } from '../src/core/deploy/planDocument';
import { ApiError } from '../src/core/http/apiError';
import { NomadFieldDiff, NomadJobPlanResponse, NomadObjectDiff } from '../src/core/nomad/nomadApi';
import { NomadClient, ParsedJob } from '../src/core/nomad/nomadClient';
import { NomadCliApi } from './nomadCliApi';

const MARK: Record<string, string> = { Added: '+', Deleted: '-', Edited: '+/-', None: '' };
/** How often `job run` looks at its deployment while it monitors. */
const MONITOR_POLL_MS = 500;
/** The longest `job run` monitors before giving up (Nomad's default progress deadline is 10 min). */
const MONITOR_LIMIT_MS = 15 * 60_000;

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function fields(list: NomadFieldDiff[] | null, indent: string): void {
  const shown = (list ?? []).filter((field) => typeof field === 'object' && field.Type !== 'None');
  const width = Math.max(0, ...shown.map((field) => field.Name.length + 1));
  for (const field of shown) {
    const name = `${field.Name}:`.padEnd(width);
    const value = field.Type === 'Edited' ? `"${field.Old}" => "${field.New}"` : field.Type === 'Added' ? `"${field.New}"` : `"${field.Old}"`;
    out(`${indent}${MARK[field.Type] ?? ''} ${name} ${value}`);
  }
}

function objects(list: NomadObjectDiff[] | null, indent: string): void {
  for (const object of (list ?? []).filter((item) => typeof item === 'object' && item.Type !== 'None')) {
    out(`${indent}${MARK[object.Type] ?? ''} ${object.Name} {`);
    fields(object.Fields, `${indent}  `);
    objects(object.Objects, `${indent}  `);
    out(`${indent}    }`);
  }
}

/** The plan as `nomad job plan` prints it. */
function printPlan(plan: NomadJobPlanResponse, file: string): void {
  const diff = plan.Diff;
  if (diff) {
    out(`${MARK[diff.Type] ?? ''} Job: "${diff.ID}"`.trim());
    fields(diff.Fields, '');
    objects(diff.Objects, '');
    for (const group of diff.TaskGroups ?? []) {
      const updates = Object.entries(group.Updates ?? {}).map(([kind, count]) => `${count} ${kind}`);
      out(`${MARK[group.Type] ?? ''} Task Group: "${group.Name}"${updates.length ? ` (${updates.join(', ')})` : ''}`.trim());
      fields(group.Fields, '  ');
      objects(group.Objects, '  ');
      for (const task of group.Tasks ?? []) {
        if (task.Type === 'None') continue;
        out(`  ${MARK[task.Type] ?? ''} Task: "${task.Name}"${task.Annotations?.length ? ` (${task.Annotations.join(', ')})` : ''}`);
        fields(task.Fields, '    ');
        objects(task.Objects, '    ');
      }
    }
    out();
  }
  out('Scheduler dry-run:');
  const failed = Object.entries(plan.FailedTGAllocs ?? {});
  if (failed.length === 0) out('- All tasks successfully allocated.');
  for (const [group, metric] of failed) {
    out(`- WARNING: Failed to place all allocations.`);
    out(`  Task Group "${group}" (failed to place ${1 + metric.CoalescedFailures} allocation${metric.CoalescedFailures ? 's' : ''}):`);
    for (const reason of failedPlacementReasons(metric)) out(`    * ${reason}`);
  }
  if (plan.Warnings) {
    out();
    out('Job Warnings:');
    out(plan.Warnings);
  }
  out();
  out(`Job Modify Index: ${plan.JobModifyIndex}`);
  out('To submit the job with version verification run:');
  out();
  out(`nomad job run -check-index ${plan.JobModifyIndex} ${file}`);
  out();
  out('When running the job with the check-index flag, the job will only be run if the');
  out('job modify index given matches the server-side version. If the index has');
  out('changed, another user has modified the job and the plan\'s results are');
  out('potentially invalid.');
}

interface Arguments {
  verb: string;
  file: string;
  checkIndex?: number;
  detach: boolean;
  namespace?: string;
}

function parseArguments(argv: string[]): Arguments | string {
  if (argv[0] === 'version' || argv[0] === '-version' || argv[0] === '--version') return 'version';
  if (argv[0] !== 'job' || (argv[1] !== 'run' && argv[1] !== 'plan')) {
    return `This is the Hashistack demo's stand-in for the nomad CLI: it knows "nomad job plan <file>" and "nomad job run [-check-index N] <file>" only.`;
  }
  const result: Partial<Arguments> = { verb: argv[1], detach: false };
  const rest = argv.slice(2);
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--') {
      result.file = rest[index + 1];
      break;
    } else if (flag === '-check-index' || flag === '--check-index') {
      const value = inline ?? rest[++index] ?? '';
      if (value !== '') {
        if (!/^\d+$/.test(value)) return `Error parsing check-index value "${value}": strconv.ParseUint: parsing "${value}": invalid syntax`;
        result.checkIndex = Number(value);
      }
    } else if (flag === '-detach' || flag === '--detach') {
      result.detach = true;
    } else if (flag === '-namespace' || flag === '--namespace') {
      result.namespace = inline ?? rest[++index];
    } else if (flag === '-diff' || flag === '-verbose') {
      // Accepted and ignored: the stand-in always prints the diff.
    } else if (flag.startsWith('-') && flag.length > 1) {
      return `flag provided but not defined: ${flag}`;
    } else {
      result.file = arg;
    }
  }
  if (!result.file) return 'This command takes one argument: <path>';
  return result as Arguments;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArguments(argv);
  if (args === 'version') {
    out('Nomad v1.10.3 (Hashistack demo stand-in: not the real Nomad CLI)');
    return 0;
  }
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return args.startsWith('This is') ? 1 : 255;
  }
  const address = process.env.NOMAD_ADDR || 'http://127.0.0.1:4646';
  const namespace = args.namespace || process.env.NOMAD_NAMESPACE || undefined;
  const client = new NomadClient({ address, token: process.env.NOMAD_TOKEN, namespace, region: process.env.NOMAD_REGION, timeoutMs: 30_000 });
  let hcl: string;
  try {
    hcl = readFileSync(args.file, 'utf8');
  } catch (error) {
    process.stderr.write(`Error getting job struct: Error reading job file from ${args.file}: ${(error as Error).message}\n`);
    return args.verb === 'plan' ? 255 : 1;
  }
  let job: ParsedJob;
  try {
    job = await client.parseJob(hcl);
    // The job's own namespace wins; else the CLI's, as the real CLI does.
    if (!job.Namespace && namespace) job.Namespace = namespace;
  } catch (error) {
    process.stderr.write(`Error getting job struct: Error parsing job file from ${args.file}:\n${error instanceof ApiError ? error.reason : (error as Error).message}\n`);
    return args.verb === 'plan' ? 255 : 1;
  }
  if (args.verb === 'plan') {
    try {
      const plan = await client.planJob(job);
      printPlan(plan, args.file);
      return planExitCode(plan);
    } catch (error) {
      process.stderr.write(`Error during plan: ${error instanceof ApiError ? `Unexpected response code: ${error.status ?? ''} (${error.reason})` : (error as Error).message}\n`);
      return 255;
    }
  }
  return run(client, new NomadCliApi({ address, token: process.env.NOMAD_TOKEN, region: process.env.NOMAD_REGION, timeoutMs: 30_000 }), job, args);
}

async function run(client: NomadClient, cli: NomadCliApi, job: ParsedJob, args: Arguments): Promise<number> {
  let registered;
  try {
    registered = await cli.registerJob(job, args.checkIndex);
  } catch (error) {
    const reason = error instanceof ApiError ? error.reason : (error as Error).message;
    if (/^Enforcing job modify index/.test(reason)) {
      process.stderr.write(`${reason}\nJob not updated\n`);
      return 1;
    }
    process.stderr.write(`Error submitting job: ${error instanceof ApiError ? `Unexpected response code: ${error.status ?? ''} (${reason})` : reason}\n`);
    return 1;
  }
  if (args.detach) {
    out('Job registration successful');
    out(`Evaluation ID: ${registered.EvalID}`);
    return 0;
  }
  const namespace = job.Namespace || client.namespace;
  out(`==> ${now()}: Monitoring evaluation "${registered.EvalID.slice(0, 8)}"`);
  out(`    ${now()}: Evaluation triggered by job "${job.ID}"`);
  const evaluation = (await client.jobEvaluations(job.ID, namespace)).find((candidate) => candidate.ID === registered.EvalID);
  if (evaluation?.DeploymentID) out(`    ${now()}: Evaluation within deployment: "${evaluation.DeploymentID.slice(0, 8)}"`);
  out(`    ${now()}: Evaluation status changed: "pending" -> "${evaluation?.Status ?? 'complete'}"`);
  out(`==> ${now()}: Evaluation "${registered.EvalID.slice(0, 8)}" finished with status "${evaluation?.Status ?? 'complete'}"`);
  const failed = Object.entries(evaluation?.FailedTGAllocs ?? {});
  if (failed.length > 0) {
    out(`==> ${now()}: Evaluation "${registered.EvalID.slice(0, 8)}" has placement failures:`);
    for (const [group, metric] of failed) {
      out(`    Task Group "${group}":`);
      for (const reason of failedPlacementReasons(metric)) out(`      * ${reason}`);
    }
    return 2;
  }
  if (!evaluation?.DeploymentID) return 0;
  out(`==> ${now()}: Monitoring deployment "${evaluation.DeploymentID.slice(0, 8)}"`);
  const deadline = Date.now() + MONITOR_LIMIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const deployment = await cli.deployment(evaluation.DeploymentID);
    const line = `${deployment.Status} ${deployment.StatusDescription}`;
    if (line !== last) {
      last = line;
      const groups = Object.entries(deployment.TaskGroups ?? {});
      out(`    ${now()}: ${deployment.StatusDescription}`);
      for (const [group, state] of groups) {
        out(`      ${group}: canaries ${(state.PlacedCanaries ?? []).length}/${state.DesiredCanaries} · placed ${state.PlacedAllocs} · desired ${state.DesiredTotal} · healthy ${state.HealthyAllocs} · unhealthy ${state.UnhealthyAllocs}`);
      }
    }
    if (!['running', 'pending', 'paused', 'blocked', 'unblocking', 'initializing'].includes(deployment.Status)) {
      out();
      out(`  ${deployment.Status === 'successful' ? '✓' : '!'} Deployment "${deployment.ID.slice(0, 8)}" ${deployment.Status}`);
      out();
      out(`    ID          = ${deployment.ID.slice(0, 8)}`);
      out(`    Job ID      = ${deployment.JobID}`);
      out(`    Job Version = ${deployment.JobVersion}`);
      out(`    Status      = ${deployment.Status}`);
      out(`    Description = ${deployment.StatusDescription}`);
      return deployment.Status === 'successful' ? 0 : 1;
    }
    await new Promise((resolve) => setTimeout(resolve, MONITOR_POLL_MS));
  }
  process.stderr.write('Gave up monitoring the deployment (it is still running; see "nomad job status").\n');
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${basename(process.argv[1] ?? 'nomad')}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

export { main as runNomadStandIn };
