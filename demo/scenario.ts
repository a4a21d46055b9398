// The demo cluster's scenario: one coherent Hashistack (the platform's own services) in exactly the
// response shapes of the recorded Consul, Nomad and Traefik API samples in test/fixtures/recorded/.
// It is a demo and a test double, not Consul, Nomad or Traefik.

export interface DemoScale {
  /** Extra Consul services ("svc-0001" …), each with `instancesPerService` instances. */
  services: number;
  instancesPerService: number;
  /** Extra Nomad jobs, and allocations spread over them. */
  jobs: number;
  allocations: number;
  /** Extra Traefik routers (each with its own service). */
  routers: number;
}

export const NO_SCALE: DemoScale = { services: 0, instancesPerService: 3, jobs: 0, allocations: 0, routers: 0 };
/** The benchmarks' cluster (`--scale`): 2,000 services × 3, 500 jobs with 10,000 allocations, 1,000 routers. */
export const BENCH_SCALE: DemoScale = { services: 2000, instancesPerService: 3, jobs: 500, allocations: 10_000, routers: 1000 };

export const DEMO_DOMAIN = 'example.com';

/** Where an instance really answers, when the demo runs a stand-in program for it (demo/demoBackends.ts). */
export interface InstanceEndpoint {
  address: string;
  port: number;
}

/**
 * The demo's stand-in programs: an instance of a routed service gets one when it is registered and gives it
 * back when it is deregistered; Consul then lists the instance at that address, so a real Traefik reaches it.
 */
export interface InstanceEndpoints {
  attach(instance: { service: string; node: string; allocationId?: string }): InstanceEndpoint | undefined;
  release(endpoint: InstanceEndpoint): void;
}
const DATACENTER = 'dc1';
/** Fixed clock of the scenario: 2026-11-01T12:00:00Z, in Nomad nanoseconds where Nomad uses them. */
const BASE_TIME_MS = Date.UTC(2026, 10, 1, 12, 0, 0);
const NS_PER_MS = 1_000_000;

export interface DemoServer {
  name: string;
  id: string;
  address: string;
}

/** Three servers of the autoscaling group, running Consul and Nomad (server + client) each. */
export const DEMO_NODES: DemoServer[] = [
  { name: 'hashi-server-a', id: '3f1c2a8e-6b0d-4c5e-9a71-0d6b1e2f3a01', address: '10.0.1.10' },
  { name: 'hashi-server-b', id: '3f1c2a8e-6b0d-4c5e-9a71-0d6b1e2f3a02', address: '10.0.2.10' },
  { name: 'hashi-server-c', id: '3f1c2a8e-6b0d-4c5e-9a71-0d6b1e2f3a03', address: '10.0.3.10' },
];

interface ServiceInstance {
  node: DemoServer;
  /** The Nomad allocation that registered it (a Nomad service): its ID is in the service ID, as Nomad writes it. */
  allocationId?: string;
  port: number;
  status: 'passing' | 'warning' | 'critical';
  output: string;
  /** Where it really answers (a stand-in program on loopback); otherwise its node's address and `port`. */
  endpoint?: InstanceEndpoint;
}

/** The address and port Consul lists the instance at. */
function endpointOf(inst: ServiceInstance): InstanceEndpoint {
  return inst.endpoint ?? { address: inst.node.address, port: inst.port };
}

interface ServiceSpec {
  name: string;
  tags: string[];
  instances: ServiceInstance[];
  /** The Nomad job that runs it, or undefined for services registered by ECS or the agents. */
  job?: string;
  /** Traefik router rule, when Traefik routes to it. */
  rule?: string;
}

function launcherTags(domain: string, name: string, description: string, subDomain: string, tech: string): string[] {
  return [
    'traefik.enable=true',
    `traefik.http.routers.${subDomain || 'launcher'}.rule=Host(\`${subDomain ? `${subDomain}.` : ''}${domain}\`)`,
    `traefik.http.routers.${subDomain || 'launcher'}.entrypoints=websecure`,
    `traefik.http.routers.${subDomain || 'launcher'}.tls.certresolver=letsencrypt`,
    `launcher.name=${name}`,
    `launcher.description=${description}`,
    `launcher.techDetails=${tech}`,
    `launcher.subDomain=${subDomain}`,
  ];
}

function instance(node: number, port: number, status: ServiceInstance['status'] = 'passing', output = 'HTTP GET http://127.0.0.1/: 200 OK Output: ok'): ServiceInstance {
  return { node: DEMO_NODES[node]!, port, status, output };
}

/** The platform's services: what platform/nomad and platform/terraform deploy, routed under `domain`. */
function baseServices(domain: string): ServiceSpec[] {
  return [
    { name: 'consul', tags: [], instances: [0, 1, 2].map((n) => instance(n, 8300, 'passing', '')) },
    { name: 'nomad', tags: ['http', 'rpc', 'serf'], instances: [0, 1, 2].map((n) => instance(n, 4646, 'passing', 'HTTP GET http://0.0.0.0:4646/v1/agent/health?type=server: 200 OK')) },
    { name: 'nomad-client', tags: ['http'], instances: [0, 1, 2].map((n) => instance(n, 4646, 'passing', 'HTTP GET http://0.0.0.0:4646/v1/agent/health?type=client: 200 OK')) },
    {
      name: 'traefik',
      // platform/nomad/traefik.nomad's: the dashboard, on websecure, for the admin network only.
      tags: [
        'traefik.enable=true',
        `traefik.http.routers.dashboard.rule=Host(\`traefik.${domain}\`)`,
        'traefik.http.routers.dashboard.service=api@internal',
        'traefik.http.routers.dashboard.entrypoints=websecure',
        'traefik.http.routers.dashboard.tls.certresolver=letsencrypt',
        'traefik.http.routers.dashboard.middlewares=admin-only@file',
      ],
      instances: [0, 1, 2].map((n) => instance(n, 8080, 'passing', 'HTTP GET http://10.0.0.1:8080/ping: 200 OK Output: OK')),
      job: 'traefik',
      rule: `Host(\`traefik.${domain}\`)`,
    },
    {
      name: 'launcher',
      tags: launcherTags(domain, 'Launcher', 'Every service of the cluster, one click away', '', 'Node.js, polls Consul'),
      instances: [instance(0, 24100), instance(2, 24100)],
      job: 'launcher',
      rule: `Host(\`${domain}\`)`,
    },
    {
      name: 'whoami',
      tags: launcherTags(domain, 'Who am I', 'Echoes the request: handy to check routing', 'whoami', 'traefik/whoami'),
      instances: [instance(0, 25011), instance(1, 25012), instance(2, 25013, 'critical', 'Get "http://10.0.3.10:25013/health": dial tcp 10.0.3.10:25013: connect: connection refused')],
      job: 'whoami',
      rule: `Host(\`whoami.${domain}\`)`,
    },
    {
      name: 'gallery',
      tags: launcherTags(domain, 'Gallery', 'Photo gallery (on ECS Fargate)', 'gallery', 'ECS Fargate, registered by consul-ecs'),
      instances: [instance(1, 8080, 'passing', 'ECS health check: HEALTHY')],
      rule: `Host(\`gallery.${domain}\`)`,
    },
  ];
}

function scaledServices(scale: DemoScale, domain: string): ServiceSpec[] {
  const services: ServiceSpec[] = [];
  for (let index = 0; index < scale.services; index++) {
    const name = `svc-${String(index).padStart(4, '0')}`;
    const instances: ServiceInstance[] = [];
    for (let copy = 0; copy < scale.instancesPerService; copy++) {
      instances.push(instance((index + copy) % DEMO_NODES.length, 20000 + ((index * scale.instancesPerService + copy) % 30000), index % 17 === 0 && copy === 0 ? 'critical' : 'passing'));
    }
    services.push({ name, tags: ['traefik.enable=true', `traefik.http.routers.${name}.rule=Host(\`${name}.${domain}\`)`], instances });
  }
  return services;
}

// ---------------------------------------------------------------------------------------------
// Consul

export function consulCatalogServices(services: ServiceSpec[]): Record<string, string[]> {
  const catalog: Record<string, string[]> = {};
  for (const service of services) {
    catalog[service.name] = service.tags;
  }
  return catalog;
}

function consulNodeObject(node: DemoServer) {
  return {
    ID: node.id,
    Node: node.name,
    Address: node.address,
    Datacenter: DATACENTER,
    TaggedAddresses: { lan: node.address, wan: node.address },
    Meta: { instance_type: 't3.medium', 'consul-network-segment': '' },
  };
}

export function consulCatalogNodes() {
  return DEMO_NODES.map(consulNodeObject);
}

/**
 * Nomad registers a task's service as `_nomad-task-<allocID>-<group>-<task>-<service>-<port label>`
 * (the demo's jobs have one group and one task named like the job); others get a name of their own.
 */
function serviceId(service: ServiceSpec, inst: ServiceInstance, index: number): string {
  if (service.job && inst.allocationId) return `_nomad-task-${inst.allocationId}-${service.job}-${service.job}-${service.name}-http`;
  return service.job ? `_nomad-task-${service.name}-${index}-${inst.port}` : `${service.name}-${inst.node.name}-${index}`;
}

function checkObject(service: ServiceSpec, inst: ServiceInstance, index: number) {
  return {
    Node: inst.node.name,
    CheckID: `service:${serviceId(service, inst, index)}`,
    Name: `Service '${service.name}' check`,
    Status: inst.status as string,
    Notes: '',
    Output: inst.output,
    ServiceID: serviceId(service, inst, index),
    ServiceName: service.name,
    ServiceTags: service.tags,
    Namespace: 'default',
  };
}

function serfCheck(node: DemoServer) {
  return {
    Node: node.name,
    CheckID: 'serfHealth',
    Name: 'Serf Health Status',
    Status: 'passing' as string,
    Notes: '',
    Output: 'Agent alive and reachable',
    ServiceID: '',
    ServiceName: '',
    ServiceTags: [] as string[],
    Namespace: 'default',
  };
}

export function consulHealthChecks(services: ServiceSpec[]) {
  const checks: ReturnType<typeof checkObject>[] = DEMO_NODES.map(serfCheck);
  for (const service of services) {
    service.instances.forEach((inst, index) => checks.push(checkObject(service, inst, index)));
  }
  return checks;
}

export function consulServiceHealth(service: ServiceSpec) {
  return service.instances.map((inst, index) => ({
    Node: consulNodeObject(inst.node),
    Service: {
      ID: serviceId(service, inst, index),
      Service: service.name,
      Tags: service.tags,
      Address: endpointOf(inst).address,
      TaggedAddresses: { lan: endpointOf(inst), wan: endpointOf(inst) },
      Meta: service.job ? { 'external-source': 'nomad' } : {},
      Port: endpointOf(inst).port,
      Weights: { Passing: 1, Warning: 1 },
      Namespace: 'default',
    },
    Checks: [checkObject(service, inst, index), serfCheck(inst.node)],
  }));
}

// ---------------------------------------------------------------------------------------------
// Nomad

interface JobSpec {
  id: string;
  /** `service`, `system`, `batch`, `sysbatch`. */
  type: string;
  /** `running`, `pending`, `dead`. */
  status: string;
  version: number;
  group: string;
  allocations: { node: number; client: string; desired: string; version: number; healthy: boolean | null }[];
  deployment?: { status: string; description: string; healthy: number; desired: number; version: number };
  /** The tasks of its one group and the image each runs (what `GET /v1/job/:id` shows). */
  tasks: { name: string; image: string }[];
}

function baseJobs(): JobSpec[] {
  return [
    {
      id: 'traefik',
      type: 'system',
      status: 'running',
      version: 3,
      group: 'traefik',
      tasks: [{ name: 'traefik', image: 'traefik:v3.5.3' }],
      allocations: [0, 1, 2].map((node) => ({ node, client: 'running', desired: 'run', version: 3, healthy: true })),
    },
    {
      id: 'launcher',
      type: 'service',
      status: 'running',
      version: 7,
      group: 'launcher',
      tasks: [{ name: 'launcher', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/launcher:0.3.10' }],
      allocations: [
        { node: 0, client: 'running', desired: 'run', version: 7, healthy: true },
        { node: 2, client: 'running', desired: 'run', version: 7, healthy: true },
        { node: 1, client: 'complete', desired: 'stop', version: 6, healthy: true },
      ],
      deployment: { status: 'successful', description: 'Deployment completed successfully', healthy: 2, desired: 2, version: 7 },
    },
    {
      id: 'whoami',
      type: 'service',
      status: 'running',
      version: 2,
      group: 'whoami',
      tasks: [{ name: 'whoami', image: 'traefik/whoami:v1.10.3' }],
      allocations: [
        { node: 0, client: 'running', desired: 'run', version: 2, healthy: true },
        { node: 1, client: 'running', desired: 'run', version: 2, healthy: true },
        { node: 2, client: 'failed', desired: 'run', version: 2, healthy: false },
      ],
      // Done before an allocation failed: a deployment's counts stop at its end.
      deployment: { status: 'successful', description: 'Deployment completed successfully', healthy: 3, desired: 3, version: 2 },
    },
    {
      id: 'db-backup',
      type: 'batch',
      status: 'dead',
      version: 0,
      group: 'backup',
      tasks: [{ name: 'backup', image: 'postgres:16' }],
      allocations: [{ node: 1, client: 'complete', desired: 'run', version: 0, healthy: null }],
    },
  ];
}

function scaledJobs(scale: DemoScale): JobSpec[] {
  const jobs: JobSpec[] = [];
  for (let index = 0; index < scale.jobs; index++) {
    jobs.push({ id: `job-${String(index).padStart(4, '0')}`, type: 'service', status: 'running', version: index % 5, group: 'app', tasks: [{ name: 'app', image: `example/app:1.0.${index % 5}` }], allocations: [] });
  }
  for (let index = 0; index < scale.allocations && jobs.length > 0; index++) {
    const job = jobs[index % jobs.length]!;
    job.allocations.push({ node: index % DEMO_NODES.length, client: index % 50 === 0 ? 'failed' : 'running', desired: 'run', version: job.version, healthy: index % 50 !== 0 });
  }
  for (const job of jobs) {
    const healthy = job.allocations.filter((a) => a.healthy).length;
    job.deployment = { status: 'successful', description: 'Deployment completed successfully', healthy, desired: job.allocations.length, version: job.version };
  }
  return jobs;
}

/** A deterministic UUID-shaped id from a number and a salt, so allocation ids are stable across runs. */
function uuid(salt: number, index: number): string {
  const hex = ((salt * 0x9e3779b1 + index * 0x85ebca6b) >>> 0).toString(16).padStart(8, '0');
  const tail = (index >>> 0).toString(16).padStart(12, '0');
  return `${hex}-${tail.slice(0, 4)}-4${tail.slice(4, 7)}-a${tail.slice(7, 10)}-${hex.slice(0, 4)}${tail}`.slice(0, 36);
}

function jobCreateIndex(jobIndex: number): number {
  return 100 + jobIndex * 10;
}

export function nomadJobStubs(jobs: JobSpec[]) {
  return jobs.map((job, jobIndex) => {
    const counts = { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0 };
    for (const alloc of job.allocations) {
      if (alloc.client === 'running') counts.Running++;
      else if (alloc.client === 'complete') counts.Complete++;
      else if (alloc.client === 'failed') counts.Failed++;
    }
    return {
      ID: job.id,
      ParentID: '',
      Name: job.id,
      Namespace: 'default',
      Datacenters: [DATACENTER],
      Type: job.type,
      Priority: 50,
      Status: job.status,
      StatusDescription: '',
      Version: job.version,
      Stop: false,
      SubmitTime: (BASE_TIME_MS - jobIndex * 60_000) * NS_PER_MS,
      JobSummary: {
        JobID: job.id,
        Namespace: 'default',
        Summary: { [job.group]: counts },
        Children: { Pending: 0, Running: 0, Dead: 0 },
        CreateIndex: jobCreateIndex(jobIndex),
        ModifyIndex: jobCreateIndex(jobIndex) + 5,
      },
      CreateIndex: jobCreateIndex(jobIndex),
      ModifyIndex: jobCreateIndex(jobIndex) + 3,
      JobModifyIndex: jobCreateIndex(jobIndex) + 2,
    };
  });
}

export function nomadAllocationStubs(jobs: JobSpec[]) {
  const allocations = [];
  let serial = 0;
  for (const [jobIndex, job] of jobs.entries()) {
    for (const [index, alloc] of job.allocations.entries()) {
      serial++;
      const node = DEMO_NODES[alloc.node]!;
      const createdMs = BASE_TIME_MS - (jobIndex * 7 + index) * 3_600_000;
      allocations.push({
        ClientDescription: alloc.client === 'running' ? 'Tasks are running' : alloc.client === 'failed' ? 'Failed tasks' : 'All tasks have completed',
        ClientStatus: alloc.client,
        CreateIndex: jobCreateIndex(jobIndex) + index + 1,
        CreateTime: createdMs * NS_PER_MS,
        DeploymentStatus: alloc.healthy === null ? null : { Canary: false, Healthy: alloc.healthy, ModifyIndex: jobCreateIndex(jobIndex) + 4, Timestamp: new Date(createdMs + 30_000).toISOString() },
        DesiredDescription: alloc.desired === 'stop' ? 'alloc is being updated due to job update' : '',
        DesiredStatus: alloc.desired,
        DesiredTransition: { ForceReschedule: null, Migrate: null, Reschedule: null },
        EvalID: uuid(7, serial),
        FollowupEvalID: '',
        ID: uuid(3, serial),
        JobID: job.id,
        JobType: job.type,
        JobVersion: alloc.version,
        ModifyIndex: jobCreateIndex(jobIndex) + index + 4,
        ModifyTime: (createdMs + 45_000) * NS_PER_MS,
        Name: `${job.id}.${job.group}[${index}]`,
        Namespace: 'default',
        NodeID: node.id,
        NodeName: node.name,
        PreemptedAllocations: null,
        PreemptedByAllocation: '',
        RescheduleTracker: null,
        TaskGroup: job.group,
        // Asked for with task_states=false, as the extension does: Nomad then sends null here.
        TaskStates: null,
      });
    }
  }
  return allocations;
}

/** `GET /v1/job/:id`, in the shape of the recorded job-example.json (a service job: no Periodic/Parameterized). */
export function nomadJob(job: JobSpec, jobIndex: number) {
  return {
    Region: 'global',
    Namespace: 'default',
    ID: job.id,
    ParentID: '',
    Name: job.id,
    Type: job.type,
    Priority: 50,
    AllAtOnce: false,
    Datacenters: [DATACENTER],
    NodePool: 'default',
    Constraints: [{ LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' }],
    TaskGroups: [
      {
        Name: job.group,
        Count: job.allocations.filter((a) => a.desired === 'run').length,
        Constraints: [],
        Affinities: [],
        RestartPolicy: { Attempts: 2, Interval: 1800000000000, Delay: 15000000000, Mode: 'fail' },
        Tasks: job.tasks.map((task) => ({ Config: { image: task.image, ports: ['http'] }, Driver: 'docker', Lifecycle: null, Name: task.name, Resources: { CPU: 100, MemoryMB: 128 } })),
        EphemeralDisk: { Sticky: false, SizeMB: 300, Migrate: false },
        Meta: {},
      },
    ],
    Update: { Stagger: 30000000000, MaxParallel: 1 },
    Periodic: null,
    ParameterizedJob: null,
    Payload: null,
    Meta: {},
    Status: job.status,
    StatusDescription: '',
    Version: job.version,
    CreateIndex: jobCreateIndex(jobIndex),
    ModifyIndex: jobCreateIndex(jobIndex) + 3,
    JobModifyIndex: jobCreateIndex(jobIndex) + 2,
  };
}

export function nomadDeployments(jobs: JobSpec[]) {
  const deployments = [];
  for (const [jobIndex, job] of jobs.entries()) {
    if (!job.deployment) continue;
    const d = job.deployment;
    deployments.push({
      ID: uuid(11, jobIndex + 1),
      Namespace: 'default',
      JobID: job.id,
      JobVersion: d.version,
      JobModifyIndex: jobCreateIndex(jobIndex) + 2,
      JobCreateIndex: jobCreateIndex(jobIndex),
      TaskGroups: {
        [job.group]: { AutoRevert: true, AutoPromote: false, Promoted: false, PlacedCanaries: null as string[] | null, DesiredCanaries: 0, DesiredTotal: d.desired, PlacedAllocs: d.desired, HealthyAllocs: d.healthy, UnhealthyAllocs: d.desired - d.healthy },
      },
      Status: d.status,
      StatusDescription: d.description,
      CreateIndex: jobCreateIndex(jobIndex) + 1,
      ModifyIndex: jobCreateIndex(jobIndex) + 6,
    });
  }
  return deployments;
}

export function nomadNodes() {
  return DEMO_NODES.map((node, index) => ({
    Address: node.address,
    Attributes: { 'os.name': 'ubuntu' },
    CreateIndex: 6 + index,
    Datacenter: DATACENTER,
    Drain: false,
    Drivers: {
      docker: {
        Attributes: { 'driver.docker.bridge_ip': '172.17.0.1', 'driver.docker.version': '28.2.2', 'driver.docker.volumes.enabled': '1' },
        Detected: true,
        HealthDescription: 'Healthy',
        Healthy: true,
        UpdateTime: new Date(BASE_TIME_MS).toISOString(),
      },
    },
    ID: node.id,
    LastDrain: null,
    ModifyIndex: 2500 + index,
    Name: node.name,
    NodeClass: '',
    NodePool: 'default',
    SchedulingEligibility: index === 2 ? 'ineligible' : 'eligible',
    Status: 'ready',
    StatusDescription: '',
    Version: '1.10.3',
  }));
}

// ---------------------------------------------------------------------------------------------
// Traefik

interface RouterSpec {
  name: string;
  rule: string;
  service: string;
  servers: { url: string; status: 'UP' | 'DOWN' }[];
  tls: boolean;
  middlewares: string[];
  status: 'enabled' | 'disabled' | 'warning';
  error?: string[];
  /** Default: websecure. */
  entryPoints?: string[];
}

/** The instances Traefik's Consul catalog provider serves: not critical. */
function healthyServers(service: ServiceSpec): { url: string; status: 'UP' }[] {
  return service.instances.filter((inst) => inst.status !== 'critical').map((inst) => ({ url: `http://${endpointOf(inst).address}:${endpointOf(inst).port}`, status: 'UP' as const }));
}

/**
 * Traefik makes a service of every Consul service it is enabled on, used by a router or not (the traefik
 * service, whose router goes to api@internal): without serverStatus, which only a used service has.
 */
export function unusedConsulCatalogServices(services: ServiceSpec[], routers: RouterSpec[]) {
  const used = new Set(routers.map((router) => router.service));
  return services
    .filter((service) => service.tags.includes('traefik.enable=true') && !used.has(service.name))
    .map((service) => ({ loadBalancer: { passHostHeader: true, servers: healthyServers(service).map((server) => ({ url: server.url })) }, name: `${service.name}@consulcatalog`, provider: 'consulcatalog', status: 'enabled', type: 'loadbalancer' }));
}

function routersFor(services: ServiceSpec[], scale: DemoScale, domain: string): RouterSpec[] {
  const routers: RouterSpec[] = [];
  for (const service of services) {
    if (!service.rule) continue;
    // The router Traefik's Consul catalog provider makes is the one the service's tags name.
    const tagged = service.tags.map((tag) => /^traefik\.http\.routers\.([^.]+)\.rule=/.exec(tag)?.[1]).find(Boolean) ?? service.name;
    const option = (key: string) => service.tags.map((tag) => new RegExp(`^traefik\\.http\\.routers\\.${tagged}\\.${key}=(.+)$`).exec(tag)?.[1]).find(Boolean);
    const target = option('service');
    const entryPoints = option('entrypoints');
    const middlewares = option('middlewares');
    routers.push({
      name: `${tagged}@consulcatalog`,
      rule: service.rule,
      service: target ?? service.name,
      // A router to an internal service (api@internal) has no servers of the Consul service's. Traefik's Consul
      // catalog provider leaves critical instances out (its strictChecks: passing and warning), as the real
      // program does on this demo's Consul (test/traefik/consulCatalog.test.ts).
      servers: target?.includes('@') ? [] : healthyServers(service),
      // As the tags say: the real program puts a router without entrypoints on every entry point but its API's.
      tls: service.tags.some((tag) => tag.startsWith(`traefik.http.routers.${tagged}.tls`)),
      middlewares: middlewares ? middlewares.split(',') : [],
      status: 'enabled',
      entryPoints: entryPoints ? entryPoints.split(',') : ['web', 'websecure'],
    });
  }
  // From the file provider: a router left behind after its service went away, and the HTTP → HTTPS redirect.
  routers.push({
    name: 'legacy-api@file',
    rule: `Host(\`legacy.${domain}\`)`,
    service: 'legacy-api',
    servers: [],
    tls: true,
    middlewares: [],
    status: 'disabled',
    error: ['the service "legacy-api@file" does not exist'],
  });
  routers.push({ name: 'http-catchall@file', rule: 'HostRegexp(`.+`)', service: 'noop@internal', servers: [], tls: false, middlewares: ['redirect-to-https@file'], status: 'enabled', entryPoints: ['web'] });
  for (let index = 0; index < scale.routers; index++) {
    const name = `svc-${String(index).padStart(4, '0')}`;
    routers.push({
      name: `${name}@consulcatalog`,
      rule: `Host(\`${name}.${domain}\`)`,
      service: name,
      servers: [0, 1, 2].map((n) => ({ url: `http://${DEMO_NODES[n]!.address}:${20000 + index}`, status: 'UP' as const })),
      tls: true,
      middlewares: [],
      status: 'enabled',
    });
  }
  return routers;
}

export function traefikRouters(routers: RouterSpec[]) {
  return routers.map((router) => ({
    entryPoints: router.entryPoints ?? ['websecure'],
    ...(router.error ? { error: router.error } : {}),
    middlewares: router.middlewares,
    name: router.name,
    provider: router.name.split('@')[1] ?? 'consulcatalog',
    priority: router.rule.length,
    priorityStr: String(router.rule.length),
    rule: router.rule,
    service: router.service,
    status: router.status,
    ...(router.tls ? { tls: { certResolver: 'letsencrypt' } } : {}),
    using: router.entryPoints ?? ['websecure'],
  }));
}

/**
 * The certificates the demo's Traefik holds, in the real program's shape (`GET /api/certificates`, recorded
 * from Traefik 3.7.15): one per host of a TLS router, made by its resolver. They expire relative to `nowMs`
 * — every third in 9 days (a renewal that failed: the explorer warns at 14) — so the demo shows both kinds.
 */
export function traefikCertificates(routers: RouterSpec[], nowMs: number) {
  const hosts = [...new Set(routers.filter((router) => router.tls).flatMap((router) => [...router.rule.matchAll(/Host\(`([^`]+)`\)/g)].map((match) => match[1]!)))].sort();
  return hosts.map((host, index) => {
    const notAfter = nowMs + (index % 3 === 0 ? 9 : 61) * 86_400_000;
    const notBefore = notAfter - 90 * 86_400_000;
    const fingerprint = uuid(11, index).replace(/-/g, '').padEnd(64, '0').slice(0, 64);
    return {
      name: fingerprint,
      sans: [host],
      notAfter: new Date(notAfter).toISOString().replace(/\.\d+Z$/, 'Z'),
      notBefore: new Date(notBefore).toISOString().replace(/\.\d+Z$/, 'Z'),
      serialNumber: String(100000000000 + index),
      commonName: host,
      issuerCN: 'R11',
      version: 'v3',
      keyType: 'ECDSA',
      keySize: 256,
      signatureAlgorithm: 'SHA256-RSA',
      certFingerprint: fingerprint,
      publicKeyFingerprint: fingerprint.split('').reverse().join(''),
      status: index % 3 === 0 ? 'warning' : 'enabled',
    };
  });
}

export function traefikServices(routers: RouterSpec[]) {
  return routers
    .filter((router) => router.servers.length > 0)
    .map((router) => ({
      loadBalancer: { passHostHeader: true, servers: router.servers.map((server) => ({ url: server.url })) },
      name: `${router.service}@consulcatalog`,
      provider: 'consulcatalog',
      serverStatus: Object.fromEntries(router.servers.map((server) => [server.url, server.status])),
      status: 'enabled',
      type: 'loadbalancer',
      usedBy: [router.name],
    }));
}

/**
 * Who may open Traefik's dashboard (platform/nomad/traefik.nomad's admin-only middleware: the VPC), and, on
 * the demo, the loopback address the demo's browser comes from.
 */
export const ADMIN_SOURCE_RANGE = ['10.0.0.0/16', '127.0.0.1/32'];

export function traefikMiddlewares(routers: RouterSpec[]) {
  return [
    {
      headers: { stsSeconds: 31536000, stsIncludeSubdomains: true, contentTypeNosniff: true },
      name: 'security-headers@file',
      provider: 'file',
      status: 'enabled',
      type: 'headers',
      usedBy: routers.filter((r) => r.middlewares.includes('security-headers@file')).map((r) => r.name),
    },
    {
      ipAllowList: { sourceRange: ADMIN_SOURCE_RANGE },
      name: 'admin-only@file',
      provider: 'file',
      status: 'enabled',
      type: 'ipallowlist',
      usedBy: routers.filter((r) => r.middlewares.includes('admin-only@file')).map((r) => r.name),
    },
    {
      name: 'redirect-to-https@file',
      provider: 'file',
      redirectScheme: { permanent: true, scheme: 'https' },
      status: 'enabled',
      type: 'redirectscheme',
      usedBy: ['http-catchall@file'],
    },
  ];
}

export function traefikEntryPoints() {
  const transport = { lifeCycle: { graceTimeOut: '10s', requestAcceptGraceTimeout: '0s' }, respondingTimeouts: { idleTimeout: '3m0s', readTimeout: '1m0s', writeTimeout: '0s' } };
  // Only the load balancer in front of Traefik may set X-Forwarded-* and the PROXY header.
  const forwarded = { insecure: false, trustedIPs: ['10.0.0.0/16'] };
  return [
    { address: ':443', forwardedHeaders: forwarded, http: { tls: {} }, name: 'websecure', proxyProtocol: forwarded, transport },
    { address: ':8080', forwardedHeaders: forwarded, http: {}, name: 'traefik', proxyProtocol: forwarded, transport },
    { address: ':80', forwardedHeaders: forwarded, http: { redirections: { entryPoint: { permanent: true, scheme: 'https', to: 'websecure' } } }, name: 'web', proxyProtocol: forwarded, transport },
  ];
}

// ---------------------------------------------------------------------------------------------

/** Every response body of the demo cluster, computed once per scenario. */
export interface DemoData {
  consul: {
    catalogServices: Record<string, string[]>;
    healthChecks: ReturnType<typeof consulHealthChecks>;
    catalogNodes: ReturnType<typeof consulCatalogNodes>;
    serviceHealth: (name: string) => ReturnType<typeof consulServiceHealth>;
    /** Sets one instance's check (by service ID) as `/v1/health/service/:name` reports it. */
    setInstanceStatus: (service: string, serviceId: string, status: 'passing' | 'warning' | 'critical', output: string) => void;
    /**
     * Registers a job's services as Nomad does: one instance per running allocation (its ID in the service ID),
     * passing once the allocation is healthy, critical before and when it is unhealthy; a stopped allocation's
     * instance is deregistered. Says whether the catalog changed.
     */
    syncJob: (jobId: string, allocations: readonly DemoAllocationStub[]) => boolean;
    /** Where an allocation's service instances listen (its `http` port, as Nomad allocated it). */
    portsOf: (allocationId: string) => { label: string; address: string; port: number }[];
  };
  nomad: {
    job: (id: string) => ReturnType<typeof nomadJob> | Record<string, unknown> | undefined;
    /** Jobs registered after the scenario was built (a change, a deploy, the platform's jobspecs), as `GET /v1/job/:id` answers them. */
    extraJobs: Map<string, Record<string, unknown>>;
    jobs: ReturnType<typeof nomadJobStubs>;
    allocations: ReturnType<typeof nomadAllocationStubs>;
    deployments: ReturnType<typeof nomadDeployments>;
    nodes: ReturnType<typeof nomadNodes>;
  };
  traefik: {
    routers: ReturnType<typeof traefikRouters>;
    services: (ReturnType<typeof traefikServices>[number] | ReturnType<typeof unusedConsulCatalogServices>[number])[];
    middlewares: ReturnType<typeof traefikMiddlewares>;
    entryPoints: ReturnType<typeof traefikEntryPoints>;
    certificates: ReturnType<typeof traefikCertificates>;
  };
}

export type DemoAllocationStub = ReturnType<typeof nomadAllocationStubs>[number];

export interface ScenarioOptions {
  scale?: DemoScale;
  /** Extra Consul services (e.g. one whose tags hold hostile text, for the Launcher's tests). */
  extraServices?: { name: string; tags: string[] }[];
  /** The domain the routers serve `<service>.<domain>` on (DEMO_DOMAIN by default). */
  domain?: string;
  /** Stand-in programs for the routed services' instances (npm start with the real Traefik). */
  endpoints?: InstanceEndpoints;
}

/** Whether the demo runs a stand-in program for a service's instances: it is routed, and not to Traefik's own service. */
function servedByStandIn(service: ServiceSpec): boolean {
  return service.rule !== undefined && !service.tags.some((tag) => /^traefik\.http\.routers\.[^.]+\.service=.*@internal$/.test(tag));
}

export function buildScenario(options: ScenarioOptions = {}): DemoData {
  const scale = options.scale ?? NO_SCALE;
  const domain = options.domain ?? DEMO_DOMAIN;
  const base = baseServices(domain);
  const services = [...base, ...scaledServices(scale, domain)];
  for (const extra of options.extraServices ?? []) {
    services.push({ name: extra.name, tags: extra.tags, instances: [instance(0, 26000)] });
  }
  const byName = new Map(services.map((service) => [service.name, service]));
  const extraJobs = new Map<string, Record<string, unknown>>();
  const jobs = [...baseJobs(), ...scaledJobs(scale)];
  const jobStubs = nomadJobStubs(jobs);
  const allocationStubs = nomadAllocationStubs(jobs);
  for (const service of services) {
    for (const inst of service.instances) {
      inst.allocationId ??= service.job ? allocationStubs.find((allocation) => allocation.JobID === service.job && allocation.NodeName === inst.node.name && allocation.DesiredStatus === 'run')?.ID : undefined;
      if (options.endpoints && servedByStandIn(service)) inst.endpoint = options.endpoints.attach({ service: service.name, node: inst.node.name, allocationId: inst.allocationId });
    }
  }
  // After the instances know their endpoints: the servers of the routers are where they answer.
  const routers = routersFor(base, scale, domain);
  // After the instances know their allocations: their service IDs carry the allocation IDs.
  const healthChecks = consulHealthChecks(services);
  return {
    consul: {
      catalogServices: consulCatalogServices(services),
      healthChecks,
      catalogNodes: consulCatalogNodes(),
      serviceHealth: (name) => {
        const service = byName.get(name);
        return service ? consulServiceHealth(service) : [];
      },
      setInstanceStatus: (name, id, status, output) => {
        const service = byName.get(name);
        service?.instances.forEach((inst, index) => {
          if (serviceId(service, inst, index) === id) {
            inst.status = status;
            inst.output = output;
          }
        });
      },
      portsOf: (allocationId) =>
        services.flatMap((service) => service.instances.filter((inst) => inst.allocationId === allocationId).map((inst) => ({ label: 'http', ...endpointOf(inst) }))),
      syncJob: (jobId, allocations) => {
        let changed = false;
        for (const service of services.filter((candidate) => candidate.job === jobId)) {
          const port = service.instances[0]?.port ?? 8080;
          const running = allocations.filter((allocation) => allocation.JobID === jobId && allocation.DesiredStatus === 'run' && allocation.ClientStatus === 'running');
          const next = running.map((allocation): ServiceInstance => {
            const healthy = allocation.DeploymentStatus?.Healthy;
            const node = DEMO_NODES.find((candidate) => candidate.name === allocation.NodeName) ?? DEMO_NODES[0]!;
            const kept = service.instances.find((inst) => inst.allocationId === allocation.ID);
            // A check set by hand (setCheck) stays while its allocation does; a new one starts as Nomad's health says.
            if (kept && healthy !== false) return kept;
            // The allocation's stand-in program stays with it through health changes.
            const endpoint = kept?.endpoint;
            return healthy === false
              ? { node, port, endpoint, allocationId: allocation.ID, status: 'critical', output: 'HTTP GET: 503 Service Unavailable' }
              : healthy === true || !allocation.DeploymentStatus
                ? { node, port, endpoint, allocationId: allocation.ID, status: 'passing', output: 'HTTP GET http://127.0.0.1/: 200 OK Output: ok' }
                : { node, port, endpoint, allocationId: allocation.ID, status: 'critical', output: 'check not yet run' };
          });
          const print = (list: ServiceInstance[]) => JSON.stringify(list.map((inst) => [inst.allocationId, inst.node.name, inst.status]));
          if (print(next) !== print(service.instances)) {
            // Endpoints change hands only here, when the instances do: a deregistered instance's program is free again.
            for (const gone of service.instances) {
              if (gone.endpoint && !next.some((inst) => inst.endpoint === gone.endpoint)) options.endpoints?.release(gone.endpoint);
            }
            if (options.endpoints && servedByStandIn(service)) {
              for (const inst of next) inst.endpoint ??= options.endpoints.attach({ service: service.name, node: inst.node.name, allocationId: inst.allocationId });
            }
            service.instances = next;
            changed = true;
          }
        }
        if (changed) healthChecks.splice(0, healthChecks.length, ...consulHealthChecks(services));
        return changed;
      },
    },
    nomad: {
      job: (id) => {
        // A purged job is gone; registered definitions (a change, a deploy, the platform's jobspecs) win over the scenario's own.
        if (!jobStubs.some((stub) => stub.ID === id)) return undefined;
        const registered = extraJobs.get(id);
        if (registered) return registered;
        const index = jobs.findIndex((job) => job.id === id);
        return index >= 0 ? nomadJob(jobs[index]!, index) : undefined;
      },
      extraJobs,
      jobs: jobStubs, allocations: allocationStubs, deployments: nomadDeployments(jobs), nodes: nomadNodes() },
    traefik: { routers: traefikRouters(routers), services: [...traefikServices(routers), ...unusedConsulCatalogServices(base, routers)], middlewares: traefikMiddlewares(routers), entryPoints: traefikEntryPoints(), certificates: traefikCertificates(routers, Date.now()) },
  };
}
