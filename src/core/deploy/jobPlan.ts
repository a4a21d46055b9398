// Planning a jobspec on the cluster, as `nomad job plan` does: the file's text goes to Nomad to be parsed
// (`POST /v1/jobs/parse`), and the job it reads is planned with its diff (`POST /v1/job/:id/plan`).
import { ApiError } from '../http/apiError';
import { NomadJobPlanResponse } from '../nomad/nomadApi';
import { NomadClient, ParsedJob } from '../nomad/nomadClient';
import { errorPositions, ErrorPosition } from './planDocument';
import { singleNamespace } from '../tree/nomad/nomadProperties';

export type PlanOutcome =
  | { kind: 'plan'; plan: NomadJobPlanResponse; job: ParsedJob; namespace: string }
  /** Nomad could not read the file: its words, and the positions they name. */
  | { kind: 'parseError'; message: string; positions: ErrorPosition[] }
  | { kind: 'error'; error: Error };

/** The namespace a jobspec without its own `namespace` goes to: the profile's (`*` lists all, so default). */
export function submitNamespace(job: ParsedJob, profileNamespace: string): string {
  return job.Namespace || singleNamespace(profileNamespace);
}

export async function planJobspec(client: NomadClient, text: string, jobId: string, profileNamespace: string, signal?: AbortSignal): Promise<PlanOutcome> {
  let job: ParsedJob;
  try {
    job = await client.parseJob(text, undefined, signal);
  } catch (error) {
    // Nomad answers a file it cannot parse with 400 and HCL's diagnostics as plain text.
    if (error instanceof ApiError && error.status === 400) return { kind: 'parseError', message: error.reason, positions: errorPositions(error.reason) };
    return { kind: 'error', error: error as Error };
  }
  if (job.ID !== jobId) {
    return { kind: 'error', error: new Error(`the file's job is "${job.ID}" as Nomad reads it, not "${jobId}"`) };
  }
  const namespace = submitNamespace(job, profileNamespace);
  job.Namespace = namespace;
  try {
    return { kind: 'plan', plan: await client.planJob(job, signal), job, namespace };
  } catch (error) {
    return { kind: 'error', error: error as Error };
  }
}
