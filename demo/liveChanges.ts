// The demo cluster's changes over time: what happens to its data when a job is added, an allocation
// fails or restarts, a check turns critical or a router goes away, and the Nomad events each change
// publishes (in the shape of the recorded event stream, test/fixtures/recorded/nomad/event-stream.ndjson).
import type { DemoFailure, DemoTaskDetail } from './demoRollout';
import { DemoData } from './scenario';

/** The changes the control port takes as `POST /changes` with `{"kind": …, …}`. */
export type DemoChange =
  | { kind: 'addJob'; id: string; image?: string }
  | { kind: 'failAllocation'; job: string }
  | { kind: 'restartAllocation'; job: string }
  | { kind: 'setCheck'; service: string; status: 'passing' | 'warning' | 'critical' }
  | { kind: 'removeRouter'; name: string }
  | { kind: 'drainNode'; name: string; drain: boolean }
  /** Nomad's garbage collection: terminal allocations and finished deployments go, and no event says so. */
  | { kind: 'collectGarbage' };

export const DEMO_CHANGE_KINDS: DemoChange['kind'][] = ['addJob', 'failAllocation', 'restartAllocation', 'setCheck', 'removeRouter', 'drainNode', 'collectGarbage'];

export interface DemoEvent {
  Topic: 'Job' | 'Allocation' | 'Deployment' | 'Node' | 'Evaluation';
  Type: string;
  Key: string;
  Namespace: string;
  FilterKeys: string[] | null;
  Index: number;
  Payload: Record<string, unknown>;
}

/** What a change did: which products' data moved (their indexes go up) and the Nomad events to publish. */
export interface AppliedChange {
  consul: boolean;
  traefik: boolean;
  /** Nomad's data moved without an event (a garbage collection): its index goes up all the same. */
  nomadSilently?: boolean;
  nomadEvents: Omit<DemoEvent, 'Index'>[];
}

type Allocation = DemoData['nomad']['allocations'][number];
type Job = DemoData['nomad']['jobs'][number];
type Node = DemoData['nomad']['nodes'][number];

const NS_PER_MS = 1_000_000;

function allocationEvent(allocation: Allocation, type: string, tasks: string[] = [allocation.TaskGroup]): Omit<DemoEvent, 'Index'> {
  // Nomad's Allocation events carry the allocation with its Job set to nil, and its task states.
  return { Topic: 'Allocation', Type: type, Key: allocation.ID, Namespace: allocation.Namespace, FilterKeys: [allocation.JobID, ''], Payload: { Allocation: { ...allocation, Job: null, TaskStates: demoTaskStates(allocation.ClientStatus, tasks, allocation.CreateTime / NS_PER_MS) } } };
}

function jobEvent(job: Job, full: unknown, type = 'JobRegistered'): Omit<DemoEvent, 'Index'> {
  return { Topic: 'Job', Type: type, Key: job.ID, Namespace: job.Namespace, FilterKeys: null, Payload: { Job: full ?? job } };
}

/** A Node event's payload: the full node (as in the recorded NodeRegistration event), from the list stub. */
export function fullNode(node: Node): Record<string, unknown> {
  return {
    ID: node.ID,
    Datacenter: node.Datacenter,
    Name: node.Name,
    HTTPAddr: `${node.Address}:4646`,
    TLSEnabled: false,
    Attributes: { ...node.Attributes, 'unique.network.ip-address': node.Address, 'nomad.version': node.Version },
    NodeResources: { Cpu: { CpuShares: 8000 }, Memory: { MemoryMB: 7680 }, Disk: { DiskMB: 40000 }, Networks: [], NodeNetworks: [], Devices: null },
    ReservedResources: { Cpu: { CpuShares: 0 }, Memory: { MemoryMB: 0 }, Disk: { DiskMB: 0 }, Networks: { ReservedHostPorts: '' } },
    Links: null,
    Meta: {},
    NodeClass: node.NodeClass,
    NodePool: node.NodePool,
    ComputedClass: 'v1:1234567890',
    Drain: node.Drain,
    DrainStrategy: node.Drain ? { Deadline: 3_600_000_000_000, IgnoreSystemJobs: false, ForceDeadline: '0001-01-01T00:00:00Z', StartedAt: '2026-11-01T12:00:00Z' } : null,
    SchedulingEligibility: node.SchedulingEligibility,
    Status: node.Status,
    StatusDescription: node.StatusDescription,
    StatusUpdatedAt: 1_793_534_400,
    Events: [{ Message: 'Node registered', Subsystem: 'Cluster', Details: null, Timestamp: '2026-11-01T12:00:00Z', CreateIndex: 0 }],
    Drivers: node.Drivers,
    CSIControllerPlugins: null,
    CSINodePlugins: null,
    HostVolumes: null,
    CreateIndex: node.CreateIndex,
    ModifyIndex: node.ModifyIndex,
  };
}

/** Applies a change to the demo's data in place, at Nomad index `index`, and says what moved. */
export function applyDemoChange(data: DemoData, change: DemoChange, index: number, nowMs: number): AppliedChange {
  const nomad = data.nomad;
  switch (change.kind) {
    case 'addJob': {
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(change.id ?? '')) throw new Error('addJob needs an "id" of lower-case letters, digits and dashes');
      if (nomad.jobs.some((job) => job.ID === change.id)) throw new Error(`job "${change.id}" exists already`);
      const job: Job = {
        ...nomad.jobs[0]!,
        ID: change.id,
        Name: change.id,
        Type: 'service',
        Status: 'running',
        Version: 0,
        SubmitTime: nowMs * NS_PER_MS,
        JobSummary: { JobID: change.id, Namespace: 'default', Summary: { web: { Queued: 0, Complete: 0, Failed: 0, Running: 1, Starting: 0, Lost: 0 } }, Children: { Pending: 0, Running: 0, Dead: 0 }, CreateIndex: index, ModifyIndex: index },
        CreateIndex: index,
        ModifyIndex: index,
        JobModifyIndex: index,
      };
      nomad.jobs.push(job);
      const template = nomad.allocations[0]!;
      const allocation: Allocation = {
        ...template,
        ID: `${index.toString(16).padStart(8, '0')}-0000-4000-a000-${String(index).padStart(12, '0')}`,
        JobID: change.id,
        JobVersion: 0,
        Name: `${change.id}.web[0]`,
        TaskGroup: 'web',
        ClientStatus: 'running',
        ClientDescription: 'Tasks are running',
        DesiredStatus: 'run',
        DesiredDescription: '',
        DeploymentStatus: { Canary: false, Healthy: true, ModifyIndex: index, Timestamp: new Date(nowMs).toISOString() },
        CreateIndex: index,
        ModifyIndex: index,
        CreateTime: nowMs * NS_PER_MS,
        ModifyTime: nowMs * NS_PER_MS,
      };
      nomad.allocations.push(allocation);
      const full = { ID: job.ID, Name: job.Name, Namespace: job.Namespace, Type: job.Type, Priority: job.Priority, Status: job.Status, StatusDescription: '', Version: 0, Stop: false, Datacenters: job.Datacenters, CreateIndex: index, ModifyIndex: index, JobModifyIndex: index, SubmitTime: job.SubmitTime, TaskGroups: [{ Name: 'web', Count: 1, Tasks: [{ Name: 'web', Driver: 'docker', Config: { image: change.image ?? 'traefik/whoami:v1.10.3' } }] }] };
      data.nomad.extraJobs.set(job.ID, full);
      return { consul: false, traefik: false, nomadEvents: [jobEvent(job, full), allocationEvent(allocation, 'PlanResult')] };
    }
    case 'failAllocation':
    case 'restartAllocation': {
      const allocation = nomad.allocations.find((candidate) => candidate.JobID === change.job && candidate.DesiredStatus === 'run' && (change.kind === 'restartAllocation' || candidate.ClientStatus === 'running'));
      if (!allocation) throw new Error(`job "${change.job}" has no ${change.kind === 'failAllocation' ? 'running ' : ''}allocation`);
      allocation.ClientStatus = change.kind === 'failAllocation' ? 'failed' : allocation.ClientStatus === 'pending' ? 'running' : 'pending';
      allocation.ClientDescription = allocation.ClientStatus === 'failed' ? 'Failed tasks' : allocation.ClientStatus === 'pending' ? 'Tasks are restarting' : 'Tasks are running';
      allocation.ModifyIndex = index;
      allocation.ModifyTime = nowMs * NS_PER_MS;
      const job = nomad.jobs.find((candidate) => candidate.ID === change.job);
      const counts = job?.JobSummary.Summary[allocation.TaskGroup];
      if (counts) {
        const all = nomad.allocations.filter((candidate) => candidate.JobID === change.job && candidate.TaskGroup === allocation.TaskGroup);
        counts.Running = all.filter((candidate) => candidate.ClientStatus === 'running').length;
        counts.Failed = all.filter((candidate) => candidate.ClientStatus === 'failed').length;
        counts.Starting = all.filter((candidate) => candidate.ClientStatus === 'pending').length;
      }
      return { consul: false, traefik: false, nomadEvents: [allocationEvent(allocation, 'AllocationUpdated')] };
    }
    case 'setCheck': {
      const check = data.consul.healthChecks.find((candidate) => candidate.ServiceName === change.service);
      if (!check) throw new Error(`no Consul check of service "${change.service}"`);
      if (!['passing', 'warning', 'critical'].includes(change.status)) throw new Error('setCheck needs "status": passing, warning or critical');
      check.Status = change.status;
      check.Output = change.status === 'passing' ? 'HTTP GET: 200 OK' : 'HTTP GET: 503 Service Unavailable';
      data.consul.setInstanceStatus(change.service, check.ServiceID, change.status, check.Output);
      return { consul: true, traefik: false, nomadEvents: [] };
    }
    case 'removeRouter': {
      const position = data.traefik.routers.findIndex((router) => router.name === change.name);
      if (position < 0) throw new Error(`no Traefik router "${change.name}"`);
      data.traefik.routers.splice(position, 1);
      for (const service of data.traefik.services) if ('usedBy' in service) service.usedBy = service.usedBy.filter((name) => name !== change.name);
      for (const middleware of data.traefik.middlewares) middleware.usedBy = middleware.usedBy.filter((name: string) => name !== change.name);
      return { consul: false, traefik: true, nomadEvents: [] };
    }
    case 'drainNode': {
      const node = nomad.nodes.find((candidate) => candidate.Name === change.name);
      if (!node) throw new Error(`no Nomad node "${change.name}"`);
      node.Drain = Boolean(change.drain);
      node.SchedulingEligibility = change.drain ? 'ineligible' : 'eligible';
      node.ModifyIndex = index;
      return { consul: false, traefik: false, nomadEvents: [{ Topic: 'Node', Type: change.drain ? 'NodeDrain' : 'NodeEligibility', Key: node.ID, Namespace: '', FilterKeys: null, Payload: { Node: fullNode(node) } }] };
    }
    case 'collectGarbage': {
      const terminal = (allocation: Allocation) => ['failed', 'complete', 'lost'].includes(allocation.ClientStatus) || allocation.DesiredStatus !== 'run';
      const before = nomad.allocations.length + nomad.deployments.length;
      nomad.allocations = nomad.allocations.filter((allocation) => !terminal(allocation));
      const latest = new Map<string, number>();
      for (const deployment of nomad.deployments) latest.set(deployment.JobID, Math.max(latest.get(deployment.JobID) ?? -1, deployment.CreateIndex));
      nomad.deployments = nomad.deployments.filter((deployment) => deployment.Status === 'running' || latest.get(deployment.JobID) === deployment.CreateIndex);
      return { consul: false, traefik: false, nomadSilently: nomad.allocations.length + nomad.deployments.length < before, nomadEvents: [] };
    }
  }
  throw new Error(`unknown change kind; one of ${DEMO_CHANGE_KINDS.join(', ')}`);
}

/** Task states as a modern Nomad reports them (DisplayMessage, Details), for a running or a failed allocation. */
/** A task that failed before it ever started (an image not pulled, a template not rendered). */
function neverStarted(finishedMs: number, events: unknown[]): Record<string, unknown> {
  return { State: 'dead', Failed: true, Restarts: 0, StartedAt: null, FinishedAt: new Date(finishedMs).toISOString(), Events: events };
}

export function demoTaskStates(clientStatus: string, tasks: string[], createdMs: number, failure: DemoFailure = 'oom', restartedMs?: number, details: Record<string, DemoTaskDetail> = {}): Record<string, unknown> {
  const ns = (ms: number) => ms * NS_PER_MS;
  const event = (type: string, ms: number, message: string, details: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({ Type: type, Time: ns(ms), DisplayMessage: message, Details: details, FailsTask: false, ExitCode: 0, Message: '', ...extra });
  const states: Record<string, unknown> = {};
  for (const task of tasks) {
    const common = [event('Received', createdMs, 'Task received by client'), event('Task Setup', createdMs + 200, 'Building Task Directory', { message: 'Building Task Directory' }), event('Driver', createdMs + 900, 'Downloading image', { image: 'demo' })];
    if (clientStatus === 'failed' && failure === 'unhealthy') {
      // The demo's `bad` tags: the task starts, its check fails, and the health check gives up on it.
      states[task] = {
        State: 'dead',
        Failed: true,
        Restarts: 0,
        StartedAt: new Date(createdMs + 300).toISOString(),
        FinishedAt: new Date(createdMs + 900).toISOString(),
        Events: [
          ...common.map((entry) => ({ ...entry, Time: ns(createdMs) })),
          event('Started', createdMs + 300, 'Task started by client'),
          event('Restart Signaled', createdMs + 900, `healthcheck: check "service: \\"${task}\\" check" unhealthy`, { restart_reason: `healthcheck: check "service: \\"${task}\\" check" unhealthy` }, { FailsTask: true }),
        ],
      };
    } else if (clientStatus === 'failed' && failure === 'image') {
      // The demo's `missing` tags: the driver cannot pull the image, and Nomad gives up after its attempts.
      const image = details[task]?.image || 'the image';
      const pull = `Failed to pull \`${image}\`: Error response from daemon: manifest for ${image} not found: manifest unknown: manifest unknown`;
      states[task] = neverStarted(createdMs + 3_000, [...common, event('Driver Failure', createdMs + 2_000, pull, {}, { DriverError: pull, FailsTask: true }), event('Not Restarting', createdMs + 3_000, 'Error was unrecoverable', { fails_task: 'true' }, { FailsTask: true })]);
    } else if (clientStatus === 'failed' && failure === 'template') {
      // A template that reads a key Consul does not have: the task never starts, and Nomad kills it.
      const destination = details[task]?.template || 'local/template';
      const missing = `Template failed: ${destination}: missing key: kv.block(app/missing/db_password)`;
      states[task] = neverStarted(createdMs + 5_000, [...common, event('Template', createdMs + 2_000, 'Missing: kv.block(app/missing/db_password)'), event('Killing', createdMs + 5_000, missing, { kill_reason: missing }, { KillReason: missing, FailsTask: true })]);
    } else if (clientStatus === 'failed') {
      states[task] = {
        State: 'dead',
        Failed: true,
        Restarts: 2,
        StartedAt: new Date(createdMs + 2_000).toISOString(),
        FinishedAt: new Date(createdMs + 95_000).toISOString(),
        Events: [
          ...common,
          event('Started', createdMs + 2_000, 'Task started by client'),
          event('Terminated', createdMs + 60_000, 'Exit Code: 137, Exit Message: "OOM Killed"', { exit_code: '137', oom_killed: 'true', signal: '0' }, { ExitCode: 137 }),
          event('Restarting', createdMs + 61_000, 'Task restarting in 15s', { restart_reason: 'Restart within policy' }),
          event('Terminated', createdMs + 94_000, 'Exit Code: 137, Exit Message: "OOM Killed"', { exit_code: '137', oom_killed: 'true', signal: '0' }, { ExitCode: 137 }),
          event('Not Restarting', createdMs + 95_000, 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"', { fails_task: 'true' }, { FailsTask: true }),
        ],
      };
    } else if (restartedMs !== undefined && (clientStatus === 'running' || clientStatus === 'pending')) {
      // Restarted by a user (POST /v1/client/allocation/:id/restart): signalled, restarting, started again once running.
      const running = clientStatus === 'running';
      const restart = [event('Started', createdMs + 2_000, 'Task started by client'), event('Restart Signaled', restartedMs, 'User requested task to restart', { restart_reason: 'User requested task to restart' }), event('Terminated', restartedMs + 5, 'Exit Code: 0', { exit_code: '0' }), event('Restarting', restartedMs + 10, 'Task restarting in 0s', { restart_reason: 'User requested task to restart' })];
      states[task] = { State: running ? 'running' : 'pending', Failed: false, Restarts: 1, LastRestart: new Date(restartedMs).toISOString(), StartedAt: new Date(running ? restartedMs + 20 : createdMs + 2_000).toISOString(), FinishedAt: null, Events: [...common, ...restart, ...(running ? [event('Started', restartedMs + 20, 'Task started by client')] : [])] };
    } else {
      const running = clientStatus === 'running';
      states[task] = { State: running ? 'running' : clientStatus === 'pending' ? 'pending' : 'dead', Failed: false, Restarts: 0, LastRestart: '0001-01-01T00:00:00Z', StartedAt: running ? new Date(createdMs + 2_000).toISOString() : null, FinishedAt: null, Events: running ? [...common, event('Started', createdMs + 2_000, 'Task started by client')] : common };
    }
  }
  return states;
}
