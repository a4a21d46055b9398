// The cluster's failure facts of a job placed on the lines of a jobspec that govern them: memory for an OOM
// kill, the image for a driver failure, `restart` for a loop, the `template` block that failed to render,
// the `check` of a critical service, and for a blocked evaluation the constraint / cpu / memory /
// datacenters lines the scheduler blames. Pure: the editor turns each into a Problem.
import type { Tree } from 'web-tree-sitter';
import { FailureFact, failureMessage } from '../nomad/clusterFailures';
import { checkPlace, JobspecPlace, restartPlace, taskPlace, templatePlace } from './jobspecPlaces';
import { placementProblems } from '../deploy/placementProblems';

/** The Problems' codes, one per kind of failure. */
export const FAILURE_CODES: Record<FailureFact['kind'], string> = {
  oom: 'oom-killed',
  driver: 'driver-failure',
  restarts: 'restart-loop',
  template: 'template-failed',
  check: 'check-critical',
  placement: 'placement-failed',
};

export interface FailureProblem {
  fact: FailureFact;
  place: JobspecPlace;
  message: string;
  code: string;
}

/** Where each fact of a job goes in this file's syntax tree (none when the file lacks that part of the job). */
export function failureProblems(tree: Tree, jobId: string, facts: readonly FailureFact[]): FailureProblem[] {
  const problems: FailureProblem[] = [];
  for (const fact of facts) {
    if (fact.kind === 'placement') {
      for (const problem of placementProblems(tree, jobId, fact.failed)) {
        problems.push({ fact, place: problem.place, message: `${problem.message} (evaluation ${fact.evaluationId.slice(0, 8)} is blocked: Nomad places it when a node has room)`, code: FAILURE_CODES.placement });
      }
      continue;
    }
    const place = placeOf(tree, jobId, fact);
    if (place) problems.push({ fact, place, message: failureMessage(fact), code: FAILURE_CODES[fact.kind] });
  }
  return problems;
}

function placeOf(tree: Tree, jobId: string, fact: Exclude<FailureFact, { kind: 'placement' }>): JobspecPlace | undefined {
  switch (fact.kind) {
    case 'oom':
      return taskPlace(tree, jobId, fact.group, fact.task, 'resources', 'memory');
    case 'driver':
      return taskPlace(tree, jobId, fact.group, fact.task, 'config', 'image');
    case 'restarts':
      return restartPlace(tree, jobId, fact.group, fact.task);
    case 'template':
      return templatePlace(tree, jobId, fact.group, fact.task, fact.destination);
    case 'check':
      return checkPlace(tree, jobId, fact.group, fact.service, fact.check);
  }
}

/** A jobspec of the workspace and the jobs it declares (its ID and the namespace it runs in). */
export interface JobspecJobs {
  key: string;
  jobs: readonly { id: string; namespace: string }[];
}

export interface PlacedFailureProblem extends FailureProblem {
  jobId: string;
  namespace: string;
}

/**
 * Every jobspec's Problems: for each job it declares that has facts, the facts placed in its syntax tree.
 * A file whose jobs have no facts is not looked at further (no tree asked for): most of a workspace, most of
 * the time, costs a map look-up per job.
 */
export function jobspecFailureProblems(
  jobspecs: readonly JobspecJobs[],
  factsOf: (jobId: string, namespace: string) => readonly FailureFact[] | undefined,
  treeOf: (key: string) => Tree | undefined,
): Map<string, PlacedFailureProblem[]> {
  const result = new Map<string, PlacedFailureProblem[]>();
  for (const jobspec of jobspecs) {
    let tree: Tree | undefined;
    const problems: PlacedFailureProblem[] = [];
    for (const job of jobspec.jobs) {
      const facts = factsOf(job.id, job.namespace);
      if (!facts?.length) continue;
      tree ??= treeOf(jobspec.key);
      if (!tree) break;
      for (const problem of failureProblems(tree, job.id, facts)) problems.push({ ...problem, jobId: job.id, namespace: job.namespace });
    }
    if (problems.length > 0) result.set(jobspec.key, problems);
  }
  return result;
}
