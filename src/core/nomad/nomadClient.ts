import { ExecSession, ExecSessionOptions } from './execStream';
import { checkList, checkObject, parseJsonBody } from '../http/shapes';
import { conformNomad, NomadShape } from './nomadShapes';
import { HttpClient, HttpClientOptions, QueryValue, StreamResponse } from '../http/httpClient';
import { BlockingOptions, blockingQuery, blockingTimeoutMs, parseIndex } from '../live/blockingQuery';
import { ApiError } from '../http/apiError';
import { AllocationFileInfo } from './allocationFiles';
import { NomadServiceRegistration, NomadVariable, NomadVariableMetadata, VariableWriteResult } from './variables';
import { NomadAllocation, NomadAllocationListStub, NomadDeployment, NomadDeploymentUpdateResponse, NomadEvaluation, NomadJob, NomadJobListStub, NomadJobPlanResponse, NomadJobRevertResponse, NomadNodeListStub, NomadJobVersions, NomadJobScaleStatus, NomadAllocationStats, NomadEvalResponse, NomadValidateResponse } from './nomadApi';

/** `GET /v1/acl/token/self` (test/fixtures/recorded/nomad-acl/README.md). The secret is never kept from it. */
export interface NomadAclToken {
  AccessorID: string;
  Name: string;
  /** `client` or `management`. */
  Type: string;
  Policies: string[] | null;
  Roles?: { ID: string; Name: string }[] | null;
  /** RFC 3339, or absent/null: no expiry. */
  ExpirationTime?: string | null;
  CreateTime?: string;
}

export interface NomadAclPolicy {
  Name: string;
  Rules: string;
  Description?: string;
}

export interface NomadAclRole {
  ID: string;
  Name: string;
  Policies: { Name: string }[] | null;
}

export interface ActionRequest {
  jobId: string;
  namespace: string;
  allocationId: string;
  group: string;
  task: string;
  action: string;
  /** A terminal (true) gets the command's output as a terminal would; stdout and stderr then come as one. */
  tty: boolean;
}

/**
 * The largest exec-stream message taken: Nomad sends output in chunks of a few KiB (base64 of at most 32 KiB
 * reads), so 1 MiB is far past any real one and still a bound.
 */
const EXEC_MAX_MESSAGE_BYTES = 1024 * 1024;

export interface NomadClientOptions extends Omit<HttpClientOptions, 'product' | 'headers'> {
  token?: string;
  /** `*` lists every namespace the token may see. */
  namespace?: string;
  region?: string;
}

/**
 * How a list is read. Always whole: without `per_page` Nomad answers the whole list in one response (so a
 * refresh costs the same number of requests at any cluster size), and a page token it did not ask for is
 * not followed.
 */
export interface NomadListOptions {
  signal?: AbortSignal;
  filter?: string;
  /** Make it a blocking query: answer when the list's index passes `blocking.index`, or after the wait. */
  blocking?: BlockingOptions;
}

/** A list and the `X-Nomad-Index` it was read at (undefined when the server sent none). */
export interface NomadIndexedList<T> {
  items: T[];
  index: number | undefined;
}

export interface NomadLists {
  jobs: NomadJobListStub;
  allocations: NomadAllocationListStub;
  deployments: NomadDeployment;
  nodes: NomadNodeListStub;
  /** Only the open ones (OPEN_EVALUATIONS_FILTER): what a job waits on. Closed ones arrive as events. */
  evaluations: NomadEvaluation;
}
export type NomadListKind = keyof NomadLists;

/** The topics the explorer follows; `*` is every key, and a token needs read-job and node:read for them. */
export const NOMAD_EVENT_TOPICS = ['Job', 'Allocation', 'Deployment', 'Node', 'Evaluation'] as const;

/**
 * The evaluations the store reads as a list: those still waiting (blocked for room on the cluster, pending
 * for a scheduler). The cluster keeps up to an hour of finished ones, which nobody needs to list.
 */
export const OPEN_EVALUATIONS_FILTER = 'Status == "blocked" or Status == "pending"';

/** The fields the explorer reads from each list's items: an item without them is a malformed answer. */
const NOMAD_LIST_FIELDS: Record<NomadListKind, readonly string[]> = {
  jobs: ['ID', 'Type', 'Status'],
  allocations: ['ID', 'JobID', 'TaskGroup', 'ClientStatus', 'DesiredStatus'],
  deployments: ['ID', 'JobID', 'Status'],
  nodes: ['ID', 'Name', 'Status'],
  evaluations: ['ID', 'JobID', 'Status'],
};

/** A job in API JSON, as `/v1/jobs/parse` returns it and `/plan` and `/v1/jobs` take it. */
export type ParsedJob = { ID: string; Namespace?: string | null; Type?: string | null } & Record<string, unknown>;

/**
 * Nomad's HTTP API as the extension uses it: the lists and objects the store reads (blocking or streamed), and
 * the writes of the deploy loop and the actions (plan, promote, fail, revert, restart, stop, scale, dispatch).
 * Sends the token as `X-Nomad-Token`, to the profile's address only.
 */
export class NomadClient {
  private readonly http: HttpClient;
  readonly namespace: string;
  private readonly region: string | undefined;

  constructor(options: NomadClientOptions) {
    const { token, namespace, region, ...rest } = options;
    this.http = new HttpClient({ ...rest, product: 'Nomad', headers: token ? { 'X-Nomad-Token': token } : {} });
    this.namespace = namespace || 'default';
    this.region = region || undefined;
  }

  get address(): string {
    return this.http.address;
  }

  /** One of the store's lists with its index, the starting point of a blocking query or of the event stream. */
  indexedList<K extends NomadListKind>(kind: K, options: NomadListOptions = {}): Promise<NomadIndexedList<NomadLists[K]>> {
    switch (kind) {
      case 'allocations':
        // Without task states: they are most of the bytes and the list does not need them.
        return this.list('/v1/allocations', options, { task_states: false }, true, NOMAD_LIST_FIELDS.allocations, 'allocations');
      case 'nodes':
        return this.list('/v1/nodes', options, {}, false, NOMAD_LIST_FIELDS.nodes, 'nodes');
      case 'evaluations':
        return this.list('/v1/evaluations', { ...options, filter: options.filter ?? OPEN_EVALUATIONS_FILTER }, {}, true, NOMAD_LIST_FIELDS.evaluations, 'evaluations');
      default:
        return this.list(`/v1/${kind}`, options, {}, true, NOMAD_LIST_FIELDS[kind], kind);
    }
  }

  /**
   * Nomad's event stream from `index` on, for the explorer's topics in the client's namespace (Node events
   * have no namespace and always pass). NDJSON: read it with NdjsonDecoder.
   */
  eventStream(options: { index: number; signal?: AbortSignal; timeoutMs?: number }): Promise<StreamResponse> {
    return this.http.stream('/v1/event/stream', {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      query: { index: options.index, namespace: this.namespace, region: this.region, topic: NOMAD_EVENT_TOPICS.map((topic) => `${topic}:*`) },
    });
  }

  /**
   * A task's log, framed and followed (`GET /v1/client/fs/logs/:alloc`), from `offset` bytes before the end
   * (`origin: 'end'`) or after the start. Read the body with LogFrameDecoder.
   */
  streamLogs(allocationId: string, options: { task: string; type: 'stdout' | 'stderr'; origin: 'start' | 'end'; offset: number; signal?: AbortSignal }): Promise<StreamResponse> {
    return this.http.stream(`/v1/client/fs/logs/${encodeURIComponent(allocationId)}`, {
      signal: options.signal,
      query: { task: options.task, type: options.type, follow: true, origin: options.origin, offset: options.offset, plain: false, region: this.region },
    });
  }

  /** One allocation with its task states and their events. */
  async allocation(id: string, signal?: AbortSignal): Promise<NomadAllocation> {
    const response = await this.http.requestJson<NomadAllocation>(`/v1/allocation/${encodeURIComponent(id)}`, { signal, query: { region: this.region } });
    const allocation = response.data as unknown as Record<string, unknown> | null;
    if (typeof allocation?.ID !== 'string' || (allocation.TaskStates !== null && allocation.TaskStates !== undefined && (typeof allocation.TaskStates !== 'object' || Array.isArray(allocation.TaskStates)))) {
      throw new ApiError({ kind: 'malformed', product: 'Nomad', address: this.address, path: `/v1/allocation/${id}`, reason: 'not an allocation with task states' });
    }
    return response.data;
  }

  /** One job as submitted, with its task configs (the images that run). */
  async job(id: string, namespace: string, signal?: AbortSignal): Promise<NomadJob> {
    const path = `/v1/job/${encodeURIComponent(id)}`;
    const response = await this.http.requestJson<unknown>(path, { signal, query: { namespace, region: this.region } });
    return conformNomad('job', checkObject<NomadJob>(response.data, this.where(path), { ID: 'string' }));
  }

  /**
   * The jobspec's HCL as Nomad reads it (`POST /v1/jobs/parse`), in API JSON. Not canonicalized, so a job
   * without its own `namespace` stays without one (the caller decides, as the CLI does).
   */
  async parseJob(hcl: string, variables?: string, signal?: AbortSignal): Promise<ParsedJob> {
    const path = '/v1/jobs/parse';
    return this.object<ParsedJob>(path, { ID: 'string' }, { method: 'POST', body: { JobHCL: hcl, Canonicalize: false, ...(variables ? { Variables: variables } : {}) }, signal });
  }

  /** A job's evaluations, newest first as Nomad lists them (`GET /v1/job/:id/evaluations`; the CLI monitors its registration with it). */
  async jobEvaluations(jobId: string, namespace: string, signal?: AbortSignal): Promise<NomadEvaluation[]> {
    const path = `/v1/job/${encodeURIComponent(jobId)}/evaluations`;
    const response = await this.http.requestJson<unknown>(path, { signal, query: { namespace, region: this.region } });
    return checkList<NomadEvaluation>(response.data, this.where(path), ['ID', 'Status']).map((evaluation) => conformNomad('evaluations', evaluation));
  }

  /** Nomad's validation of a job (`POST /v1/validate/job`): a 200 that lists what is wrong. */
  async validateJob(job: ParsedJob, signal?: AbortSignal): Promise<NomadValidateResponse> {
    const path = '/v1/validate/job';
    const checked = await this.object<NomadValidateResponse>(path, {}, { method: 'POST', query: { namespace: job.Namespace || undefined }, body: { Job: job }, signal });
    if (checked.ValidationErrors !== null && checked.ValidationErrors !== undefined && !Array.isArray(checked.ValidationErrors)) {
      throw new ApiError({ kind: 'malformed', product: 'Nomad', address: this.address, path, reason: '"ValidationErrors" is not a list' });
    }
    return { ValidationErrors: checked.ValidationErrors ?? [], Error: checked.Error ?? '', Warnings: checked.Warnings ?? '', DriverConfigValidated: checked.DriverConfigValidated };
  }

  /** A dry run of the job with its diff (`POST /v1/job/:id/plan`, `Diff: true`), as `nomad job plan` asks. */
  async planJob(job: ParsedJob, signal?: AbortSignal): Promise<NomadJobPlanResponse> {
    const path = `/v1/job/${encodeURIComponent(job.ID)}/plan`;
    const plan = await this.object<NomadJobPlanResponse>(path, { JobModifyIndex: 'number', Diff: 'object', Annotations: 'object', FailedTGAllocs: 'object' }, { method: 'POST', query: { namespace: job.Namespace || undefined }, body: { Job: job, Diff: true, PolicyOverride: false }, signal });
    // Warnings is a string (a multierror's text) and may be absent on old servers.
    if (plan.Warnings !== undefined && plan.Warnings !== null && typeof plan.Warnings !== 'string') {
      throw new ApiError({ kind: 'malformed', product: 'Nomad', address: this.address, path, reason: '"Warnings" is not a string' });
    }
    return { ...plan, Warnings: plan.Warnings ?? '' };
  }

  /** Promotes a deployment's canaries (`POST /v1/deployment/promote/:id`): all groups, or the ones named. */
  async promoteDeployment(id: string, namespace: string, groups?: string[], signal?: AbortSignal): Promise<NomadDeploymentUpdateResponse> {
    const path = `/v1/deployment/promote/${encodeURIComponent(id)}`;
    const body = groups && groups.length > 0 ? { DeploymentID: id, Groups: groups } : { DeploymentID: id, All: true };
    return this.object<NomadDeploymentUpdateResponse>(path, { EvalID: 'string' }, { method: 'POST', query: { namespace }, body, signal });
  }

  /** Marks a running deployment failed (`POST /v1/deployment/fail/:id`); with auto_revert the job rolls back. */
  async failDeployment(id: string, namespace: string, signal?: AbortSignal): Promise<NomadDeploymentUpdateResponse> {
    const path = `/v1/deployment/fail/${encodeURIComponent(id)}`;
    return this.object<NomadDeploymentUpdateResponse>(path, { EvalID: 'string' }, { method: 'POST', query: { namespace }, signal });
  }

  /**
   * Reverts a job to `version` (`POST /v1/job/:id/revert`). With `priorVersion`, Nomad refuses when the job
   * is no longer at that version (someone deployed in between).
   */
  async revertJob(jobId: string, namespace: string, version: number, priorVersion?: number, signal?: AbortSignal): Promise<NomadJobRevertResponse> {
    const path = `/v1/job/${encodeURIComponent(jobId)}/revert`;
    const body = { JobID: jobId, JobVersion: version, ...(priorVersion !== undefined ? { EnforcePriorVersion: priorVersion } : {}) };
    return this.object<NomadJobRevertResponse>(path, { EvalID: 'string' }, { method: 'POST', query: { namespace }, body, signal });
  }

  /** Restarts an allocation's tasks in place (`POST /v1/client/allocation/:id/restart`): one task, all, or the running ones. */
  async restartAllocation(id: string, task: { name: string } | 'all' | 'running', signal?: AbortSignal): Promise<void> {
    const body = task === 'all' ? { AllTasks: true } : task === 'running' ? {} : { TaskName: task.name };
    // The answer is `{}` (or `{"Index":0}`): any 2xx is success, as Nomad's own client reads it.
    await this.http.requestText(`/v1/client/allocation/${encodeURIComponent(id)}/restart`, { method: 'POST', signal, query: { region: this.region }, body: JSON.stringify(body) });
  }

  /** Stops an allocation (`POST /v1/allocation/:id/stop`); Nomad places a replacement. */
  async stopAllocation(id: string, signal?: AbortSignal): Promise<NomadEvalResponse> {
    const path = `/v1/allocation/${encodeURIComponent(id)}/stop`;
    return this.object<NomadEvalResponse>(path, { EvalID: 'string' }, { method: 'POST', signal });
  }

  /** Stops a job (`DELETE /v1/job/:id`); with `purge`, Nomad forgets it at once. */
  async stopJob(jobId: string, namespace: string, purge: boolean, signal?: AbortSignal): Promise<NomadEvalResponse> {
    const path = `/v1/job/${encodeURIComponent(jobId)}`;
    return this.object<NomadEvalResponse>(path, { EvalID: 'string' }, { method: 'DELETE', query: { namespace, purge: purge || undefined }, signal });
  }

  /** The job's groups' counts (`GET /v1/job/:id/scale`). */
  async jobScaleStatus(jobId: string, namespace: string, signal?: AbortSignal): Promise<NomadJobScaleStatus> {
    const path = `/v1/job/${encodeURIComponent(jobId)}/scale`;
    return this.object<NomadJobScaleStatus>(path, { JobID: 'string', TaskGroups: 'object' }, { query: { namespace }, signal });
  }

  /** Sets a task group's count (`POST /v1/job/:id/scale`). */
  async scaleTaskGroup(jobId: string, namespace: string, group: string, count: number, message: string, signal?: AbortSignal): Promise<NomadEvalResponse> {
    const path = `/v1/job/${encodeURIComponent(jobId)}/scale`;
    const body = { Count: count, Target: { Job: jobId, Group: group }, Message: message, PolicyOverride: false };
    return this.object<NomadEvalResponse>(path, {}, { method: 'POST', query: { namespace }, body, signal });
  }

  /** Runs a periodic job now (`POST /v1/job/:id/periodic/force`). */
  async forcePeriodic(jobId: string, namespace: string, signal?: AbortSignal): Promise<NomadEvalResponse> {
    const path = `/v1/job/${encodeURIComponent(jobId)}/periodic/force`;
    return this.object<NomadEvalResponse>(path, { EvalID: 'string' }, { method: 'POST', query: { namespace }, signal });
  }

  /** Dispatches a parameterized job (`POST /v1/job/:id/dispatch`) with its meta and payload (sent base64, as Nomad takes it). */
  async dispatchJob(jobId: string, namespace: string, meta: Record<string, string>, payload: Uint8Array | undefined, signal?: AbortSignal): Promise<NomadEvalResponse> {
    const path = `/v1/job/${encodeURIComponent(jobId)}/dispatch`;
    const body = { JobID: jobId, Meta: meta, ...(payload && payload.length > 0 ? { Payload: Buffer.from(payload).toString('base64') } : {}) };
    return this.object<NomadEvalResponse>(path, { DispatchedJobID: 'string' }, { method: 'POST', query: { namespace }, body, signal });
  }

  /** Every version of a job with its diff to the one before (`GET /v1/job/:id/versions?diffs=true`). */
  async jobVersions(jobId: string, namespace: string, signal?: AbortSignal): Promise<NomadJobVersions> {
    const path = `/v1/job/${encodeURIComponent(jobId)}/versions`;
    const versions = await this.object<NomadJobVersions>(path, {}, { query: { namespace, diffs: true }, signal });
    checkList(versions.Versions, this.where(path), ['ID']);
    if (versions.Diffs !== null && versions.Diffs !== undefined) checkList(versions.Diffs, this.where(path), ['Type']);
    return versions;
  }

  /** What an allocation uses now (`GET /v1/client/allocation/:id/stats`, answered by its node). */
  async allocationStats(id: string, signal?: AbortSignal): Promise<NomadAllocationStats> {
    const path = `/v1/client/allocation/${encodeURIComponent(id)}/stats`;
    return this.object<NomadAllocationStats>(path, { ResourceUsage: 'object', Tasks: 'object' }, { signal });
  }

  /**
   * One request answered by one object with these fields (a write's answer, or a single object read): `body`
   * is sent as JSON when given, and the region always goes in the query.
   */
  /**
   * Variables' metadata under a prefix in a namespace (`*`: every one the token may list). A blocking query when
   * `blocking` is given: it answers when a variable under the prefix changes.
   */
  variables(prefix: string, namespace: string, options: NomadListOptions = {}): Promise<NomadIndexedList<NomadVariableMetadata>> {
    return this.list<NomadVariableMetadata>('/v1/vars', options, { prefix: prefix || undefined, namespace }, false, ['Namespace', 'Path']);
  }

  /** A variable with its items, or undefined when the path has none (404 "variable not found"). */
  async variable(path: string, namespace: string, signal?: AbortSignal): Promise<NomadVariable | undefined> {
    try {
      return await this.object<NomadVariable>(variablePath(path), VARIABLE_FIELDS, { query: { namespace }, signal });
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'notFound') return undefined;
      throw error;
    }
  }

  /**
   * A variable as a held read: null while the path has none, with the index to block on either way (Nomad's 404
   * carries it too), so a template's missing variable is noticed the moment someone creates it.
   */
  async variableIndexed(path: string, namespace: string, options: NomadListOptions = {}): Promise<{ data: NomadVariable | null; index: number | undefined }> {
    const response = await this.http.requestText(variablePath(path), { signal: options.signal, timeoutMs: options.blocking ? blockingTimeoutMs(options.blocking) : undefined, query: { namespace, region: this.region, ...blockingQuery(options.blocking) }, answerStatuses: [404] });
    const index = parseIndex(response.headers.get('X-Nomad-Index'));
    if (response.status === 404) return { data: null, index };
    const where = this.where(variablePath(path));
    return { data: checkObject<NomadVariable>(parseJsonBody(response.data, where), where, VARIABLE_FIELDS), index };
  }

  /** A Nomad-native service's registrations (`nomadService` in templates); `[]` when it has none. */
  serviceRegistrations(name: string, namespace: string, options: NomadListOptions = {}): Promise<NomadIndexedList<NomadServiceRegistration>> {
    return this.list<NomadServiceRegistration>(`/v1/service/${encodeURIComponent(name)}`, options, { namespace }, false, ['ServiceName']);
  }

  /**
   * A file of an allocation (`GET /v1/client/fs/cat/:alloc?path=`), as text; `path` is relative to the allocation
   * directory (`<task>/secrets/app.env`). Bounded like every read (maxResponseMegabytes).
   */
  async allocationFile(allocationId: string, path: string, signal?: AbortSignal): Promise<string> {
    return (await this.http.requestText(`/v1/client/fs/cat/${encodeURIComponent(allocationId)}`, { signal, query: { path, region: this.region } })).data;
  }

  /** The token's own record (`GET /v1/acl/token/self`): name, type, policies, roles, expiry. */
  aclTokenSelf(signal?: AbortSignal): Promise<NomadAclToken> {
    return this.object<NomadAclToken>('/v1/acl/token/self', { AccessorID: 'string', Type: 'string' }, { signal });
  }

  /** An ACL policy with its rules (a client token may read the policies it has). */
  aclPolicy(name: string, signal?: AbortSignal): Promise<NomadAclPolicy> {
    return this.object<NomadAclPolicy>(`/v1/acl/policy/${encodeURIComponent(name)}`, { Name: 'string', Rules: 'string' }, { signal });
  }

  /** An ACL role with the policies it links (readable by a token linked to it). */
  aclRole(id: string, signal?: AbortSignal): Promise<NomadAclRole> {
    return this.object<NomadAclRole>(`/v1/acl/role/${encodeURIComponent(id)}`, { ID: 'string', Name: 'string' }, { signal });
  }

  /**
   * Runs a job's action (`action` block of a task, Nomad 1.7+) in one allocation, as `nomad action` does: a
   * WebSocket on `/v1/job/:id/action` carrying Nomad's exec stream. Resolves once Nomad accepted the session;
   * its output and end come through the handlers. Needs `alloc-exec` (and `alloc-node-exec` for raw_exec).
   */
  runAction(request: ActionRequest, handlers: Pick<ExecSessionOptions, 'onOutput' | 'onEnd' | 'heartbeatMs' | 'pingMs'>, signal?: AbortSignal): Promise<ExecSession> {
    return this.http.webSocket(`/v1/job/${encodeURIComponent(request.jobId)}/action`, {
      signal,
      maxMessageBytes: EXEC_MAX_MESSAGE_BYTES,
      query: {
        namespace: request.namespace,
        region: this.region,
        action: request.action,
        allocID: request.allocationId,
        group: request.group,
        task: request.task,
        tty: request.tty,
        // The CLI sends an empty command with an action: the action names what runs.
        command: '[]',
      },
    }, (open) => new ExecSession({ socket: open.socket, error: open.error, ...handlers }));
  }

  /** The entries of a directory of an allocation (`/v1/client/fs/ls`), `path` relative to the allocation directory. */
  async allocationDirectory(allocationId: string, path: string, signal?: AbortSignal): Promise<AllocationFileInfo[]> {
    const where = `/v1/client/fs/ls/${encodeURIComponent(allocationId)}`;
    const response = await this.http.requestJson<unknown>(where, { signal, query: { path: path || '/', region: this.region } });
    return checkList<AllocationFileInfo>(response.data, this.where(where), ['Name', 'ModTime']);
  }

  /** One entry of an allocation's directory (`/v1/client/fs/stat`). */
  async allocationStat(allocationId: string, path: string, signal?: AbortSignal): Promise<AllocationFileInfo> {
    return this.object<AllocationFileInfo>(`/v1/client/fs/stat/${encodeURIComponent(allocationId)}`, { Name: 'string', Size: 'number', ModTime: 'string' }, { query: { path: path || '/' }, signal });
  }

  /** `limit` bytes of an allocation's file from `offset` (`/v1/client/fs/readat`), as text. */
  async allocationFileRange(allocationId: string, path: string, offset: number, limit: number, signal?: AbortSignal): Promise<string> {
    return (await this.http.requestText(`/v1/client/fs/readat/${encodeURIComponent(allocationId)}`, { signal, query: { path, offset, limit, region: this.region } })).data;
  }

  /**
   * Writes a variable's items. `cas`: the ModifyIndex it was read at (0: only if the path is free); a write that
   * lost to another answers 409 with the variable as it is now, which comes back as a conflict.
   */
  putVariable(path: string, namespace: string, items: Record<string, string>, cas: number | undefined, signal?: AbortSignal): Promise<VariableWriteResult> {
    return this.variableWrite('PUT', path, namespace, cas, signal, { Namespace: namespace, Path: path, Items: items });
  }

  /** Deletes a variable, only if it is still at `cas` when one is given. */
  deleteVariable(path: string, namespace: string, cas: number | undefined, signal?: AbortSignal): Promise<VariableWriteResult> {
    return this.variableWrite('DELETE', path, namespace, cas, signal);
  }

  private async variableWrite(method: 'PUT' | 'DELETE', path: string, namespace: string, cas: number | undefined, signal: AbortSignal | undefined, body?: unknown): Promise<VariableWriteResult> {
    const where = this.where(variablePath(path));
    const response = await this.http.requestText(variablePath(path), { method, signal, query: { namespace, cas, region: this.region }, body: body === undefined ? undefined : JSON.stringify(body), answerStatuses: [409] });
    if (response.status === 409) {
      let current: unknown;
      try {
        current = JSON.parse(response.data);
      } catch {
        // A CAS error the server could not describe with the variable: a text body (`cas error: …`).
        throw new ApiError({ kind: 'http', ...where, status: 409, reason: response.data.trim() || 'check-and-set conflict' });
      }
      return { kind: 'conflict', current: checkObject<NomadVariable>(current, where, VARIABLE_FIELDS) };
    }
    // A delete answers 204 with no body; a write answers the variable it wrote.
    if (response.data.trim() === '') return { kind: 'written' };
    const written = parseJsonBody(response.data, where);
    return { kind: 'written', variable: method === 'PUT' ? checkObject<NomadVariable>(written, where, VARIABLE_FIELDS) : undefined };
  }

  private async object<T>(path: string, fields: Record<string, 'string' | 'number' | 'object'>, options: { method?: 'GET' | 'POST' | 'DELETE'; query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const response = await this.http.requestJson<unknown>(path, { method: options.method, signal: options.signal, query: { ...options.query, region: this.region }, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    return checkObject<T>(response.data, this.where(path), fields);
  }

  private where(path: string) {
    return { product: 'Nomad' as const, address: this.address, path };
  }

  private async list<T>(path: string, options: NomadListOptions, extra: Record<string, QueryValue> = {}, namespaced = true, fields: readonly string[] = ['ID'], shape?: NomadShape): Promise<NomadIndexedList<T>> {
    const response = await this.http.requestJson<T[] | null>(path, {
      signal: options.signal,
      timeoutMs: options.blocking ? blockingTimeoutMs(options.blocking) : undefined,
      query: {
        namespace: namespaced ? this.namespace : undefined,
        region: this.region,
        filter: options.filter,
        ...blockingQuery(options.blocking),
        ...extra,
      },
    });
    const items = checkList<T>(response.data, this.where(path), fields).map((item) => (shape ? conformNomad(shape, item) : item));
    return { items, index: parseIndex(response.headers.get('X-Nomad-Index')) };
  }
}

/** The fields of a variable the editor relies on (Items is optional: a 409 without read has none). */
const VARIABLE_FIELDS = { Namespace: 'string', Path: 'string', ModifyIndex: 'number', Items: 'object' } as const;

/** `/v1/var/<path>`, each segment escaped (Nomad's paths are URL-safe already; a bad one is refused before). */
function variablePath(path: string): string {
  return `/v1/var/${path.split('/').map(encodeURIComponent).join('/')}`;
}
