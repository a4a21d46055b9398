// The demo cluster's AWS side: an HTTP server on 127.0.0.1 answering the EC2 (Query/XML) and ECS
// (JSON 1.1) calls the extension makes, for the demo scenario's three servers, two Elastic IPs and the
// gallery on ECS. Point the SDK at it with AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_ECS. A demo and test
// double, in the shapes of AWS's recorded responses (test/fixtures/recorded/aws); not AWS.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { jsonEvent } from './awsEventStream';
import { DEMO_NODES } from './scenario';

export const DEMO_REGION = 'eu-west-1';
export const DEMO_ECS_CLUSTER = 'hashistack';
export const DEMO_CLUSTER_TAG = { key: 'hashistack-cluster', value: 'hashistack' };
const ACCOUNT = '123456789012';
const LAUNCH_TIME = '2026-11-01T11:00:00.000Z';

/** The EC2 instance ID of the demo's n-th server. */
export function demoInstanceId(index: number): string {
  return `i-0hashi00000000${'abc'[index]}`;
}

interface DemoAddress {
  allocationId: string;
  publicIp: string;
  instanceId?: string;
  associationId?: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The tags in the demo account's ECR repositories: newer versions than the platform runs, and noise. */
const DEMO_ECR_TAGS: Record<string, string[]> = {
  gallery: ['v2.4.0', 'v2.4.1', 'latest', 'v2.4.2', 'v2.5.0', 'v2.6.0-rc.1'],
  launcher: ['0.3.9', '0.3.10', '0.3.11', 'build-417', '0.4.0-rc.1'],
};

/**
 * Tasks ECS stopped for the gallery (the Task shape of DescribeTasks; `stoppedAfter`: seconds after the start):
 * one whose image could not be pulled, one whose container ran out of memory.
 */
const RUNNING_TASK_ID = '5f1c0e8a9b7d4c3e8f2a1b0c9d8e7f60';
const OOM_TASK_ID = '9c8b7a6f5e4d4c3b8a2f1e0d9c8b7a6f';
/** When the demo's tasks started (DescribeTasks' startedAt). */
const TASKS_STARTED_MS = Date.parse('2026-11-01T11:30:00Z');

const STOPPED_TASKS = [
  {
    taskArn: `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:task/${DEMO_ECS_CLUSTER}/2a7d1e5c9f3b4e6a8c0d1f2e3a4b5c6d`,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    launchType: 'FARGATE',
    stopCode: 'TaskFailedToStart',
    stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref public.ecr.aws/nginx/nginx:1.27.9: not found',
    stoppedAfter: 480,
    containers: [{ name: 'gallery', lastStatus: 'STOPPED', image: 'public.ecr.aws/nginx/nginx:1.27.9' }],
  },
  {
    taskArn: `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:task/${DEMO_ECS_CLUSTER}/${OOM_TASK_ID}`,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    launchType: 'FARGATE',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    stoppedAfter: 240,
    containers: [{ name: 'gallery', lastStatus: 'STOPPED', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage', image: 'public.ecr.aws/nginx/nginx:1.27.5' }],
  },
];

/** The gallery's awslogs group, as platform/terraform/ecs.tf names it (`/ecs/<name>`), and its ARN. */
const DEMO_LOG_GROUP = `/ecs/${DEMO_ECS_CLUSTER}`;
const DEMO_LOG_GROUP_ARN = `arn:aws:logs:${DEMO_REGION}:${ACCOUNT}:log-group:${DEMO_LOG_GROUP}`;
/** The awslogs-stream-prefix of ecs-gallery.tf: streams are `gallery/gallery/<task id>`. */
const DEMO_STREAM_PREFIX = 'gallery';
/** The running gallery task logs an access line this often. */
const DEMO_LOG_EVERY_MS = 3_000;
/** FilterLogEvents pages are this small, so paging is exercised. */
const DEMO_LOG_PAGE = 50;

function demoStreamName(taskId: string): string {
  return `${DEMO_STREAM_PREFIX}/gallery/${taskId}`;
}

function streamFilter(names: string[] | undefined, prefixes: string[] | undefined): (stream: string) => boolean {
  if (names) return (stream) => names.includes(stream);
  if (prefixes) return (stream) => prefixes.some((prefix) => stream.startsWith(prefix));
  return () => true;
}

interface DemoLogEvent {
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

/**
 * The gallery's log events between two times, oldest first: the running task's nginx access lines (one every
 * DEMO_LOG_EVERY_MS, the same for the same time), and the out-of-memory task's last lines before it was killed.
 */
function demoLogEvents(from: number, to: number, accept: (stream: string) => boolean): DemoLogEvent[] {
  const events: DemoLogEvent[] = [];
  const event = (taskId: string, timestamp: number, message: string): DemoLogEvent => ({ logStreamName: demoStreamName(taskId), timestamp, ingestionTime: timestamp + 412, message, eventId: `${timestamp.toString().padStart(20, '0')}${taskId.slice(0, 8)}0000000000000000000000000000` });
  const oomStopped = TASKS_STARTED_MS + STOPPED_TASKS.find((task) => task.taskArn.endsWith(OOM_TASK_ID))!.stoppedAfter * 1000;
  if (accept(demoStreamName(OOM_TASK_ID))) {
    const lines: [number, string][] = [
      [-240_000, '/docker-entrypoint.sh: Configuration complete; ready for start up'],
      [-239_000, '2026/11/01 11:30:01 [notice] 1#1: start worker processes'],
      [-60_000, '2026/11/01 11:33:00 [warn] 31#31: *412 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream'],
      [-2_000, '2026/11/01 11:33:58 [alert] 1#1: worker process 31 exited on signal 9'],
    ];
    for (const [offset, message] of lines) if (oomStopped + offset >= from && oomStopped + offset <= to) events.push(event(OOM_TASK_ID, oomStopped + offset, message));
  }
  if (accept(demoStreamName(RUNNING_TASK_ID))) {
    const paths = ['/', '/images/harbour.jpg', '/images/lighthouse.jpg', '/healthz', '/images/dunes.jpg', '/favicon.ico'];
    for (let at = Math.ceil(Math.max(from, TASKS_STARTED_MS) / DEMO_LOG_EVERY_MS) * DEMO_LOG_EVERY_MS; at <= to; at += DEMO_LOG_EVERY_MS) {
      const index = at / DEMO_LOG_EVERY_MS;
      const path = paths[index % paths.length]!;
      const status = path === '/favicon.ico' ? 404 : 200;
      const stamp = new Date(at).toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
      events.push(event(RUNNING_TASK_ID, at, `10.0.101.${10 + (index % 40)} - - [${stamp}] "GET ${path} HTTP/1.1" ${status} ${status === 200 ? 1024 + (index % 97) * 37 : 153} "-" "ELB-HealthChecker/2.0"`));
    }
  }
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

export class AwsDemo {
  private server!: Server;
  readonly calls: { service: 'ec2' | 'ecs' | 'ssm' | 'logs'; operation: string; body: string }[] = [];
  /** `PUT /_demo/live-tail-refused`: StartLiveTail answers AccessDeniedException (a role without logs:StartLiveTail). */
  private liveTailRefused = false;
  /** Live Tail sessions open now (the tests check a closed view ends its session). */
  liveTails = 0;
  /** Two addresses: one on the first server, one free (for Attach Elastic IPs). */
  readonly addresses: DemoAddress[] = [
    { allocationId: 'eipalloc-0a1b2c3d4e5f60001', publicIp: '198.51.100.10', instanceId: demoInstanceId(0), associationId: 'eipassoc-0a1b2c3d4e5f60001' },
    { allocationId: 'eipalloc-0a1b2c3d4e5f60002', publicIp: '198.51.100.11' },
  ];
  private associations = 1;
  /** `PUT /_demo/ecs-fault`: every ECS call answers ClusterNotFoundException (the recorded error); DELETE heals. */
  private ecsFault = false;
  /** The gallery service's task definition revisions (the direct deploy registers new ones). */
  private revisions: { revision: number; image: string }[] = [{ revision: 7, image: 'public.ecr.aws/nginx/nginx:1.27.5' }];
  private current = 7;
  /** The gallery's current deployment (Force New Deployment starts another). */
  private deploymentId = 'ecs-svc/1234567890123456789';
  /** Events of the deployments forced since the start, newest first. */
  private readonly forcedEvents: { id: string; createdAt: number; message: string }[] = [];

  static async start(port = 0): Promise<AwsDemo> {
    const demo = new AwsDemo();
    demo.server = createServer((request, response) => {
      void demo.read(request).then((body) => {
        // Not an AWS path (the SDK always posts to /): the tests' switch for a failing ECS.
        if (request.url === '/_demo/ecs-fault') {
          demo.ecsFault = request.method === 'PUT';
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ ecsFault: demo.ecsFault }));
          return;
        }
        if (request.url === '/_demo/live-tails') {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ liveTails: demo.liveTails }));
          return;
        }
        if (request.url === '/_demo/live-tail-refused') {
          demo.liveTailRefused = request.method === 'PUT';
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ liveTailRefused: demo.liveTailRefused }));
          return;
        }
        const target = request.headers['x-amz-target'];
        const operation = typeof target === 'string' ? (target.split('.').pop() ?? '') : '';
        if (typeof target === 'string' && target.startsWith('Logs_20140328.')) {
          demo.logs(operation, body, request, response);
          return;
        }
        const answer = typeof target === 'string' ? (target.startsWith('AmazonEC2ContainerRegistry') ? demo.ecr(operation, body) : target.startsWith('AmazonSSM') ? demo.ssm(operation, body) : demo.ecs(operation, body)) : demo.ec2(new URLSearchParams(body));
        response.writeHead(answer.status, { 'Content-Type': typeof target === 'string' ? 'application/x-amz-json-1.1' : 'text/xml;charset=UTF-8', 'x-amzn-RequestId': '8f7724cf-496f-496e-8fe3-000000000000' });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => demo.server.listen(port, '127.0.0.1', resolve));
    return demo;
  }

  /**
   * ECR `DescribeImages` of the demo's repositories (the account's images of the platform), in pages of two
   * images so paging is exercised, in the shape of the recorded aws/ecr/describe-images.json.
   */
  ecr(operation: string, body: string): { status: number; body: string } {
    if (operation !== 'DescribeImages') return { status: 400, body: JSON.stringify({ __type: 'UnknownOperationException', message: `Unknown operation ${operation}` }) };
    const request = JSON.parse(body || '{}') as { repositoryName?: string; registryId?: string; nextToken?: string };
    const tags = DEMO_ECR_TAGS[request.repositoryName ?? ''];
    if (!tags) return { status: 400, body: JSON.stringify({ __type: 'RepositoryNotFoundException', message: `The repository with name '${request.repositoryName}' does not exist in the registry with id '${request.registryId ?? ACCOUNT}'` }) };
    const start = Number(request.nextToken ?? '0') || 0;
    const page = tags.slice(start, start + 2);
    const pushed = Date.parse('2026-10-01T12:00:00Z') / 1000;
    return {
      status: 200,
      body: JSON.stringify({
        imageDetails: page.map((tag, index) => ({ registryId: request.registryId ?? ACCOUNT, repositoryName: request.repositoryName, imageDigest: `sha256:${(start + index).toString(16).padStart(64, '0')}`, imageTags: [tag], imageSizeInBytes: 28_447_648, imagePushedAt: pushed + (start + index) * 86_400, imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json' })),
        ...(start + 2 < tags.length ? { nextToken: String(start + 2) } : {}),
      }),
    };
  }

  /**
   * SSM `StartSession` (Start Session on a node): a session for the demo's first two servers; the third has no
   * SSM agent connected (TargetNotConnected, as AWS answers an instance without the agent or its role).
   */
  ssm(operation: string, body: string): { status: number; body: string } {
    this.calls.push({ service: 'ssm', operation, body });
    if (operation !== 'StartSession') return { status: 400, body: JSON.stringify({ __type: 'UnknownOperationException', message: `Unknown operation ${operation}` }) };
    const target = (JSON.parse(body || '{}') as { Target?: string }).Target ?? '';
    if (target === demoInstanceId(2)) return { status: 400, body: JSON.stringify({ __type: 'TargetNotConnected', Message: `${target} is not connected.` }) };
    if (!DEMO_NODES.some((_, index) => demoInstanceId(index) === target)) return { status: 400, body: JSON.stringify({ __type: 'InvalidTarget', Message: `${target} is not a valid target.` }) };
    return { status: 200, body: JSON.stringify({ SessionId: `demo-user-0a1b2c3d4e5f${target.slice(-1)}`, TokenValue: 'demo-session-token', StreamUrl: `wss://ssmmessages.${DEMO_REGION}.amazonaws.com/v1/data-channel/demo-user-0a1b2c3d4e5f?role=publish_subscribe` }) };
  }

  /**
   * CloudWatch Logs for the gallery's awslogs group: FilterLogEvents (pages of DEMO_LOG_PAGE events, by stream
   * names or a name prefix, from startTime to now) and StartLiveTail (a sessionStart, then each second a
   * sessionUpdate with the events logged in it), in the shapes of AWS's API reference.
   */
  logs(operation: string, body: string, request: IncomingMessage, response: ServerResponse): void {
    this.calls.push({ service: 'logs', operation, body });
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': '8f7724cf-496f-496e-8fe3-000000000001' });
      response.end(JSON.stringify(value));
    };
    const input = JSON.parse(body || '{}') as { logGroupName?: string; logGroupIdentifiers?: string[]; logStreamNames?: string[]; logStreamNamePrefix?: string; logStreamNamePrefixes?: string[]; startTime?: number; nextToken?: string };
    const missingGroup = { __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' };
    if (operation === 'FilterLogEvents') {
      if (input.logGroupName !== DEMO_LOG_GROUP) return json(400, missingGroup);
      const start = Number(input.nextToken ?? '0') || 0;
      const events = demoLogEvents(input.startTime ?? 0, Date.now(), streamFilter(input.logStreamNames, input.logStreamNamePrefix ? [input.logStreamNamePrefix] : undefined));
      const page = events.slice(start, start + DEMO_LOG_PAGE);
      return json(200, { events: page, searchedLogStreams: [], ...(start + DEMO_LOG_PAGE < events.length ? { nextToken: String(start + DEMO_LOG_PAGE) } : {}) });
    }
    if (operation === 'StartLiveTail') {
      if (this.liveTailRefused) return json(400, { __type: 'AccessDeniedException', message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/developer/demo is not authorized to perform: logs:StartLiveTail on resource: ${DEMO_LOG_GROUP_ARN}` });
      if (input.logGroupIdentifiers?.[0] !== DEMO_LOG_GROUP_ARN) return json(400, missingGroup);
      const accept = streamFilter(input.logStreamNames, input.logStreamNamePrefixes);
      response.writeHead(200, { 'Content-Type': 'application/vnd.amazon.eventstream', 'x-amzn-RequestId': '8f7724cf-496f-496e-8fe3-000000000002' });
      response.write(jsonEvent('sessionStart', { requestId: '8f7724cf-496f-496e-8fe3-000000000002', sessionId: `demo-live-tail-${Date.now()}`, logGroupIdentifiers: input.logGroupIdentifiers, ...(input.logStreamNames ? { logStreamNames: input.logStreamNames } : {}), ...(input.logStreamNamePrefixes ? { logStreamNamePrefixes: input.logStreamNamePrefixes } : {}), logEventFilterPattern: '' }));
      this.liveTails++;
      let since = Date.now();
      const timer = setInterval(() => {
        const now = Date.now();
        const results = demoLogEvents(since + 1, now, accept).map((event) => ({ logStreamName: event.logStreamName, logGroupIdentifier: DEMO_LOG_GROUP_ARN, message: event.message, timestamp: event.timestamp, ingestionTime: event.ingestionTime }));
        since = now;
        response.write(jsonEvent('sessionUpdate', { sessionMetadata: { sampled: false }, sessionResults: results }));
      }, 1_000);
      const end = () => {
        if (!timer.hasRef()) return;
        clearInterval(timer);
        timer.unref();
        this.liveTails--;
      };
      request.on('close', end);
      response.on('close', end);
      return;
    }
    json(400, { __type: 'UnknownOperationException', message: `Unknown operation ${operation}` });
  }

  get address(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What the SDK needs to talk to this demo and nothing else: endpoints, region, fake credentials. */
  environment(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_EC2: this.address,
      AWS_ENDPOINT_URL_ECS: this.address,
      AWS_ENDPOINT_URL_ECR: this.address,
      AWS_ENDPOINT_URL_SSM: this.address,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: this.address,
      AWS_REGION: DEMO_REGION,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEDEMO',
      AWS_SECRET_ACCESS_KEY: 'demo-secret-not-a-real-key',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/hashistack-demo-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/hashistack-demo-aws-credentials',
      HASHISTACK_CLUSTER_TAG: `${DEMO_CLUSTER_TAG.key}=${DEMO_CLUSTER_TAG.value}`,
      HASHISTACK_ECS_CLUSTER: DEMO_ECS_CLUSTER,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async read(request: IncomingMessage): Promise<string> {
    let body = '';
    for await (const chunk of request) body += (chunk as Buffer).toString('utf8');
    return body;
  }

  private ec2(form: URLSearchParams): { status: number; body: string } {
    const action = form.get('Action') ?? '';
    this.calls.push({ service: 'ec2', operation: action, body: form.toString() });
    const ns = 'http://ec2.amazonaws.com/doc/2016-11-15/';
    switch (action) {
      case 'DescribeInstances': {
        const items = DEMO_NODES.map((node, index) => {
          const id = demoInstanceId(index);
          const eip = this.addresses.find((address) => address.instanceId === id);
          return `<item><instanceId>${id}</instanceId><imageId>ami-0hashistack0001</imageId><instanceState><code>16</code><name>running</name></instanceState><instanceType>t3.medium</instanceType><launchTime>${LAUNCH_TIME}</launchTime><placement><availabilityZone>${DEMO_REGION}${'abc'[index]}</availabilityZone><tenancy>default</tenancy></placement><privateIpAddress>${node.address}</privateIpAddress><ipAddress>${eip?.publicIp ?? `203.0.113.${20 + index}`}</ipAddress><tagSet><item><key>Name</key><value>${escapeXml(node.name)}</value></item><item><key>${DEMO_CLUSTER_TAG.key}</key><value>${DEMO_CLUSTER_TAG.value}</value></item></tagSet></item>`;
        });
        return { status: 200, body: `<DescribeInstancesResponse xmlns="${ns}"><requestId>demo</requestId><reservationSet><item><reservationId>r-0hashistack00001</reservationId><ownerId>${ACCOUNT}</ownerId><groupSet/><instancesSet>${items.join('')}</instancesSet></item></reservationSet></DescribeInstancesResponse>` };
      }
      case 'DescribeAddresses': {
        const items = this.addresses.map((address) => `<item><publicIp>${address.publicIp}</publicIp><allocationId>${address.allocationId}</allocationId><domain>vpc</domain>${address.instanceId ? `<instanceId>${address.instanceId}</instanceId><associationId>${address.associationId}</associationId>` : ''}</item>`);
        return { status: 200, body: `<DescribeAddressesResponse xmlns="${ns}"><requestId>demo</requestId><addressesSet>${items.join('')}</addressesSet></DescribeAddressesResponse>` };
      }
      case 'AssociateAddress': {
        const address = this.addresses.find((candidate) => candidate.allocationId === form.get('AllocationId'));
        if (!address) {
          return { status: 400, body: `<Response><Errors><Error><Code>InvalidAllocationID.NotFound</Code><Message>The allocation ID '${escapeXml(form.get('AllocationId') ?? '')}' does not exist</Message></Error></Errors><RequestID>demo</RequestID></Response>` };
        }
        if (address.instanceId && form.get('AllowReassociation') !== 'true') {
          return { status: 400, body: '<Response><Errors><Error><Code>Resource.AlreadyAssociated</Code><Message>resource is already associated</Message></Error></Errors><RequestID>demo</RequestID></Response>' };
        }
        this.associations++;
        address.instanceId = form.get('InstanceId') ?? undefined;
        address.associationId = `eipassoc-0a1b2c3d4e5f6000${this.associations}`;
        return { status: 200, body: `<AssociateAddressResponse xmlns="${ns}"><requestId>demo</requestId><return>true</return><associationId>${address.associationId}</associationId></AssociateAddressResponse>` };
      }
    }
    return { status: 400, body: `<Response><Errors><Error><Code>InvalidAction</Code><Message>The action ${escapeXml(action)} is not valid for this web service.</Message></Error></Errors><RequestID>demo</RequestID></Response>` };
  }

  private ecs(operation: string, body: string): { status: number; body: string } {
    this.calls.push({ service: 'ecs', operation, body });
    const input = JSON.parse(body || '{}') as { cluster?: string };
    if (this.ecsFault || (input.cluster && input.cluster !== DEMO_ECS_CLUSTER)) {
      return { status: 400, body: '{"__type":"ClusterNotFoundException","message":"Cluster not found."}' };
    }
    const serviceArn = `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:service/${DEMO_ECS_CLUSTER}/gallery`;
    const arnOf = (revision: number) => `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:task-definition/gallery:${revision}`;
    const taskDefinitionArn = arnOf(this.current);
    const definitionOf = (revision: number) => ({ taskDefinitionArn: arnOf(revision), family: 'gallery', revision, status: 'ACTIVE', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'gallery', image: this.revisions.find((r) => r.revision === revision)?.image ?? '', essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }], logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': DEMO_LOG_GROUP, 'awslogs-region': DEMO_REGION, 'awslogs-stream-prefix': DEMO_STREAM_PREFIX } } }] });
    const taskArn = `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:task/${DEMO_ECS_CLUSTER}/${RUNNING_TASK_ID}`;
    const started = TASKS_STARTED_MS / 1000;
    switch (operation) {
      case 'ListServices':
        return { status: 200, body: JSON.stringify({ serviceArns: [serviceArn] }) };
      case 'DescribeServices':
        return {
          status: 200,
          body: JSON.stringify({
            services: [
              {
                serviceArn,
                serviceName: 'gallery',
                clusterArn: `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:cluster/${DEMO_ECS_CLUSTER}`,
                status: 'ACTIVE',
                desiredCount: 1,
                runningCount: 1,
                pendingCount: 0,
                launchType: 'FARGATE',
                taskDefinition: taskDefinitionArn,
                deployments: [{ id: this.deploymentId, status: 'PRIMARY', taskDefinition: taskDefinitionArn, desiredCount: 1, pendingCount: 0, runningCount: 1, createdAt: started, updatedAt: started, launchType: 'FARGATE', rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${this.deploymentId} completed.` }],
                // ECS's own sentences (its guide's "service event messages"), newest first: back to steady after
                // a placement that found no room for the task's size, and a task that failed its health checks.
                events: [
                  ...this.forcedEvents,
                  { id: 'b7e1c2d3-0000-4000-8000-00000000e003', createdAt: started + 900, message: '(service gallery) has reached a steady state.' },
                  { id: 'b7e1c2d3-0000-4000-8000-00000000e002', createdAt: started + 600, message: '(service gallery) (task 2a7d1e5c9f3b4e6a8c0d1f2e3a4b5c6d) failed container health checks.' },
                  { id: 'b7e1c2d3-0000-4000-8000-00000000e001', createdAt: started + 300, message: '(service gallery) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5a7f2b9c0d1e4f3a8b6c2d1e0f9a8b7c) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.' },
                ],
              },
            ],
            failures: [],
          }),
        };
      case 'DescribeTaskDefinition': {
        const wanted = Number(/:(\d+)$/.exec((JSON.parse(body) as { taskDefinition?: string }).taskDefinition ?? '')?.[1] ?? this.current);
        return { status: 200, body: JSON.stringify({ taskDefinition: definitionOf(wanted), tags: [] }) };
      }
      case 'RegisterTaskDefinition': {
        const input = JSON.parse(body) as { family?: string; containerDefinitions?: { name?: string; image?: string }[] };
        const image = input.containerDefinitions?.find((container) => container.name === 'gallery')?.image;
        if (input.family !== 'gallery' || !image) {
          return { status: 400, body: JSON.stringify({ __type: 'ClientException', message: 'Container.image should not be null or empty.' }) };
        }
        const revision = Math.max(...this.revisions.map((r) => r.revision)) + 1;
        this.revisions.push({ revision, image });
        return { status: 200, body: JSON.stringify({ taskDefinition: definitionOf(revision) }) };
      }
      case 'UpdateService': {
        const input = JSON.parse(body) as { service?: string; taskDefinition?: string; forceNewDeployment?: boolean };
        if (input.forceNewDeployment && !input.taskDefinition && input.service === 'gallery') {
          // The same task definition, new tasks: a new deployment, and ECS says it started one.
          this.deploymentId = `ecs-svc/${Date.now()}`;
          this.forcedEvents.unshift({ id: `b7e1c2d3-0000-4000-8000-${String(this.forcedEvents.length).padStart(12, '0')}`, createdAt: Date.now() / 1000, message: `(service gallery) has started 1 tasks: (task ${Date.now().toString(16)}).` });
          return { status: 200, body: JSON.stringify({ service: { serviceName: 'gallery', serviceArn, taskDefinition: taskDefinitionArn, desiredCount: 1, runningCount: 1, pendingCount: 0, status: 'ACTIVE', deployments: [{ id: this.deploymentId, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }] } }) };
        }
        const revision = Number(/:(\d+)$/.exec(input.taskDefinition ?? '')?.[1]);
        if (input.service !== 'gallery' || !this.revisions.some((r) => r.revision === revision)) {
          return { status: 400, body: JSON.stringify({ __type: 'ServiceNotFoundException', message: 'Service not found.' }) };
        }
        this.current = revision;
        return { status: 200, body: JSON.stringify({ service: { serviceName: 'gallery', serviceArn, taskDefinition: arnOf(revision), desiredCount: 1, runningCount: 1, pendingCount: 0, status: 'ACTIVE' } }) };
      }
      case 'ExecuteCommand': {
        const input = JSON.parse(body) as { task?: string; container?: string; interactive?: boolean };
        if (input.task !== taskArn || input.container !== 'gallery') return { status: 400, body: JSON.stringify({ __type: 'InvalidParameterException', message: 'The specified task or container was not found.' }) };
        return { status: 200, body: JSON.stringify({ clusterArn: `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:cluster/${DEMO_ECS_CLUSTER}`, containerArn: `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:container/${DEMO_ECS_CLUSTER}/5f1c0e8a/gallery`, containerName: 'gallery', interactive: true, session: { sessionId: 'ecs-execute-command-0a1b2c3d4e5f', streamUrl: `wss://ssmmessages.${DEMO_REGION}.amazonaws.com/v1/data-channel/ecs-execute-command-0a1b2c3d4e5f?role=publish_subscribe`, tokenValue: 'demo-exec-token' }, taskArn }) };
      }
      case 'ListTasks': {
        const stopped = (JSON.parse(body || '{}') as { desiredStatus?: string }).desiredStatus === 'STOPPED';
        return { status: 200, body: JSON.stringify({ taskArns: stopped ? STOPPED_TASKS.map((task) => task.taskArn) : [taskArn] }) };
      }
      case 'DescribeTasks': {
        const wanted = (JSON.parse(body || '{}') as { tasks?: string[] }).tasks ?? [];
        const running = { taskArn, taskDefinitionArn, clusterArn: `arn:aws:ecs:${DEMO_REGION}:${ACCOUNT}:cluster/${DEMO_ECS_CLUSTER}`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', healthStatus: 'HEALTHY', launchType: 'FARGATE', startedAt: started, enableExecuteCommand: true, containers: [{ name: 'gallery', lastStatus: 'RUNNING', runtimeId: `${RUNNING_TASK_ID}-2531612879`, image: this.revisions.find((r) => r.revision === this.current)?.image }], attachments: [{ type: 'ElasticNetworkInterface', status: 'ATTACHED', details: [{ name: 'privateIPv4Address', value: '10.0.101.23' }] }] };
        const tasks = [running, ...STOPPED_TASKS.map((task) => ({ ...task, taskDefinitionArn, startedAt: started, stoppedAt: started + task.stoppedAfter }))].filter((task) => wanted.includes(task.taskArn));
        return { status: 200, body: JSON.stringify({ tasks: tasks.map((task) => Object.fromEntries(Object.entries(task).filter(([key]) => key !== 'stoppedAfter'))), failures: [] }) };
      }
    }
    return { status: 400, body: JSON.stringify({ __type: 'UnknownOperationException', message: `Unknown operation ${operation}` }) };
  }
}
