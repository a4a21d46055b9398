// The cluster's AWS side through the AWS SDK v3. The SDK modules are passed in (loadAwsModules imports
// them on first use), so nothing AWS is loaded for a profile without an AWS part.
import type * as Ec2 from '@aws-sdk/client-ec2';
import type * as Ecs from '@aws-sdk/client-ecs';
import type * as Ecr from '@aws-sdk/client-ecr';
import type * as Ssm from '@aws-sdk/client-ssm';
import type * as Logs from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchLogEvent, CloudWatchLogsApi, StreamSelection } from './cloudWatchTail';
import { ClusterNode, ElasticIp } from './eipPairing';
import { ecsLogging, EcsLogging } from './ecsLogs';

export interface AwsModules {
  ec2: typeof Ec2;
  ecs: typeof Ecs;
  ecr: typeof Ecr;
  ssm: typeof Ssm;
  logs: typeof Logs;
}

/** Imports the EC2 and ECS clients: the first time the AWS section is used, never on activation. */
export async function loadAwsModules(): Promise<AwsModules> {
  const [ec2, ecs, ecr, ssm, logs] = await Promise.all([import('@aws-sdk/client-ec2'), import('@aws-sdk/client-ecs'), import('@aws-sdk/client-ecr'), import('@aws-sdk/client-ssm'), import('@aws-sdk/client-cloudwatch-logs')]);
  return { ec2, ecs, ecr, ssm, logs };
}

export interface AwsSettings {
  region: string;
  /** A named profile of ~/.aws/config (SSO included); unset: the SDK's default credential chain. */
  profile?: string;
  /** For tests: where the SDK sends requests. */
  endpoint?: string;
  maxAttempts?: number;
  /**
   * How long a connection may take to open, and a request may stay silent, before it fails (the SDK would wait
   * minutes). A Live Tail stream is not silent: CloudWatch sends an update every second.
   */
  requestTimeoutMs?: number;
  /** Called after every AWS call: operation, milliseconds, outcome (an error name). Never parameters or credentials. */
  onCall?: (operation: string, milliseconds: number, outcome: string) => void;
}

export interface ClusterInstance extends ClusterNode {
  name?: string;
  state: string;
  instanceType?: string;
  availabilityZone?: string;
  tags: Record<string, string>;
}

export interface EcsServiceSummary {
  name: string;
  arn: string;
  status: string;
  desired: number;
  running: number;
  pending: number;
  launchType?: string;
  taskDefinition: string;
  /** `family:revision` of the task definition. */
  revision?: string;
  images: { container: string; image: string }[];
  rollout?: { state: string; reason?: string; id?: string };
  /** The service's events (ECS keeps the last 100), newest first: steady states, placement failures, health checks. */
  events: EcsServiceEvent[];
  /** The task definition's `cpu` and `memory` (what a placement failure is about). */
  cpu?: string;
  memory?: string;
  /** Where its containers log (the task definition's logConfiguration): what Show Logs tails. */
  logging: EcsLogging;
}

export interface EcsServiceEvent {
  id: string;
  at: Date | undefined;
  message: string;
}

/** A task ECS stopped (it keeps them about an hour): why, and how each container ended. */
export interface EcsStoppedTask {
  arn: string;
  id: string;
  stoppedReason?: string;
  /** `EssentialContainerExited`, `TaskFailedToStart`, `ServiceSchedulerInitiated`, … */
  stopCode?: string;
  stoppedAt?: Date;
  taskDefinition?: string;
  containers: { name: string; exitCode?: number; reason?: string; image?: string }[];
}

export interface ServiceRollout {
  running: number;
  desired: number;
  pending: number;
  taskDefinition: string;
  /** The PRIMARY deployment's rollout state: IN_PROGRESS, COMPLETED or FAILED. */
  rolloutState?: string;
  rolloutReason?: string;
  deployments: number;
}

/** Where a rollout stands: done when the new deployment completed (or alone and at its count), failed, or still going. */
export function rolloutOutcome(rollout: ServiceRollout): 'completed' | 'failed' | 'inProgress' {
  if (rollout.rolloutState === 'FAILED') return 'failed';
  if (rollout.rolloutState === 'COMPLETED') return 'completed';
  // Services without the deployment circuit breaker report no rollout state: one deployment at its count is done.
  if (!rollout.rolloutState && rollout.deployments <= 1 && rollout.running === rollout.desired && rollout.pending === 0) return 'completed';
  return 'inProgress';
}

export interface EcsTaskSummary {
  arn: string;
  id: string;
  lastStatus: string;
  health?: string;
  privateIp?: string;
  startedAt?: Date;
  taskDefinition?: string;
}

/** ECS limits: DescribeServices takes 10 services, DescribeTasks 100 tasks per call. */
const DESCRIBE_SERVICES_BATCH = 10;
const DESCRIBE_TASKS_BATCH = 100;
/** Upper bound on pages followed, against an endpoint whose NextToken never ends. */
const MAX_PAGES = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

export class AwsCluster {
  private readonly ec2: Ec2.EC2Client;
  private readonly ecs: Ecs.ECSClient;

  private readonly onCall: AwsSettings['onCall'];
  /** Made on the first Start Session (most profiles never open one). */
  private ssm: Ssm.SSMClient | undefined;
  /** ECR clients by region: an image's registry may be in another region than the cluster. */
  private readonly ecrClients = new Map<string, Ecr.ECRClient>();
  /** CloudWatch Logs clients by region (a container's awslogs-region may differ from the cluster's), made on the first Show Logs. */
  private readonly logsClients = new Map<string, Logs.CloudWatchLogsClient>();
  /** Whether requests go to a custom endpoint (tests, LocalStack): then StartLiveTail's `stream-` host prefix is not added. */
  private readonly customEndpoint: boolean;
  private readonly common: Record<string, unknown>;

  constructor(
    private readonly modules: AwsModules,
    settings: AwsSettings,
  ) {
    this.onCall = settings.onCall;
    const common = {
      region: settings.region,
      ...(settings.profile ? { profile: settings.profile } : {}),
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.maxAttempts ? { maxAttempts: settings.maxAttempts } : {}),
      // An inactivity bound (socketTimeout), not a total one: a Live Tail stream lives for hours, sending every second.
      ...(settings.requestTimeoutMs ? { requestHandler: { connectionTimeout: settings.requestTimeoutMs, socketTimeout: settings.requestTimeoutMs } } : {}),
    };
    this.common = common;
    this.customEndpoint = Boolean(settings.endpoint || process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS || process.env.AWS_ENDPOINT_URL);
    this.ec2 = new modules.ec2.EC2Client(common);
    this.ecs = new modules.ecs.ECSClient(common);
  }

  /** The instances carrying the cluster tag (any state but terminated), following NextToken. */
  async clusterInstances(tagKey: string, tagValue: string): Promise<ClusterInstance[]> {
    const instances: ClusterInstance[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await this.call<Ec2.DescribeInstancesCommandOutput>(this.ec2, 'DescribeInstances', 
        new this.modules.ec2.DescribeInstancesCommand({
          Filters: [
            { Name: `tag:${tagKey}`, Values: [tagValue] },
            { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
          ],
          MaxResults: 1000,
          NextToken: nextToken,
        }),
      );
      for (const reservation of output.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          const tags = Object.fromEntries((instance.Tags ?? []).filter((tag) => tag.Key).map((tag) => [tag.Key!, tag.Value ?? '']));
          instances.push({
            instanceId: instance.InstanceId ?? '',
            name: tags.Name,
            state: instance.State?.Name ?? 'unknown',
            instanceType: instance.InstanceType,
            availabilityZone: instance.Placement?.AvailabilityZone,
            privateIp: instance.PrivateIpAddress || undefined,
            publicIp: instance.PublicIpAddress || undefined,
            launchTime: instance.LaunchTime,
            tags,
          });
        }
      }
      nextToken = output.NextToken || undefined;
      if (!nextToken) return instances;
    }
    throw new Error(`DescribeInstances returned more than ${MAX_PAGES} pages`);
  }

  /** The account's Elastic IPs in the region (DescribeAddresses has no paging). */
  /**
   * The account's VPC Elastic IPs (EC2-Classic addresses, retired in 2023 and without an allocation ID,
   * are left out). For an address on an interface that no instance owns, the interface's description and
   * type are asked for (ec2:DescribeNetworkInterfaces); without that permission the interface ID is shown.
   */
  async elasticIps(): Promise<ElasticIp[]> {
    const output = await this.call<Ec2.DescribeAddressesCommandOutput>(this.ec2, 'DescribeAddresses', new this.modules.ec2.DescribeAddressesCommand({}));
    const addresses: ElasticIp[] = (output.Addresses ?? [])
      .filter((address) => address.AllocationId && address.PublicIp)
      .map((address) => {
        const onInterface = !address.InstanceId && (address.NetworkInterfaceId || address.AssociationId);
        return {
          allocationId: address.AllocationId!,
          publicIp: address.PublicIp!,
          instanceId: address.InstanceId || undefined,
          associationId: address.AssociationId || undefined,
          networkInterfaceOwner: onInterface ? address.NetworkInterfaceId || address.NetworkInterfaceOwnerId || 'a network interface' : undefined,
          networkInterface: address.NetworkInterfaceId
            ? { id: address.NetworkInterfaceId, ownerId: address.NetworkInterfaceOwnerId || undefined, privateIp: address.PrivateIpAddress || undefined, serviceManaged: address.ServiceManaged || undefined }
            : undefined,
        };
      });
    const interfaceIds = addresses.filter((address) => !address.instanceId && address.networkInterface?.id).map((address) => address.networkInterface!.id!);
    if (interfaceIds.length > 0) {
      try {
        const described = await this.call<Ec2.DescribeNetworkInterfacesCommandOutput>(this.ec2, 'DescribeNetworkInterfaces', new this.modules.ec2.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: interfaceIds }));
        const byId = new Map((described.NetworkInterfaces ?? []).map((entry) => [entry.NetworkInterfaceId, entry]));
        for (const address of addresses) {
          const entry = address.networkInterface?.id ? byId.get(address.networkInterface.id) : undefined;
          if (entry) address.networkInterface = { ...address.networkInterface, description: entry.Description || undefined, type: entry.InterfaceType || undefined };
        }
      } catch {
        // No ec2:DescribeNetworkInterfaces (or the interface is gone): the rows name the interface by its ID.
      }
    }
    return addresses;
  }

  /** Attaches an address; `allowReassociation` moves it from where it is. Returns the association ID. */
  async associate(allocationId: string, instanceId: string, allowReassociation: boolean): Promise<string | undefined> {
    const output = await this.call<Ec2.AssociateAddressCommandOutput>(this.ec2, 'AssociateAddress', new this.modules.ec2.AssociateAddressCommand({ AllocationId: allocationId, InstanceId: instanceId, AllowReassociation: allowReassociation }));
    return output.AssociationId;
  }

  /** The services of an ECS cluster with their task definition's images and latest rollout. */
  async ecsServices(cluster: string): Promise<EcsServiceSummary[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await this.call<Ecs.ListServicesCommandOutput>(this.ecs, 'ListServices', new this.modules.ecs.ListServicesCommand({ cluster, maxResults: 100, nextToken }));
      arns.push(...(output.serviceArns ?? []));
      nextToken = output.nextToken || undefined;
      if (!nextToken) break;
    }
    const services: Ecs.Service[] = [];
    for (const batch of chunks(arns, DESCRIBE_SERVICES_BATCH)) {
      const output = await this.call<Ecs.DescribeServicesCommandOutput>(this.ecs, 'DescribeServices', new this.modules.ecs.DescribeServicesCommand({ cluster, services: batch }));
      services.push(...(output.services ?? []));
    }
    const definitions = new Map<string, Ecs.TaskDefinition | undefined>();
    for (const arn of new Set(services.map((service) => service.taskDefinition).filter((arn): arn is string => Boolean(arn)))) {
      const output = await this.call<Ecs.DescribeTaskDefinitionCommandOutput>(this.ecs, 'DescribeTaskDefinition', new this.modules.ecs.DescribeTaskDefinitionCommand({ taskDefinition: arn }));
      definitions.set(arn, output.taskDefinition);
    }
    return services.map((service) => {
      const definition = service.taskDefinition ? definitions.get(service.taskDefinition) : undefined;
      const primary = service.deployments?.find((deployment) => deployment.status === 'PRIMARY') ?? service.deployments?.[0];
      return {
        name: service.serviceName ?? '',
        arn: service.serviceArn ?? '',
        status: service.status ?? 'UNKNOWN',
        desired: service.desiredCount ?? 0,
        running: service.runningCount ?? 0,
        pending: service.pendingCount ?? 0,
        launchType: service.launchType ?? service.capacityProviderStrategy?.[0]?.capacityProvider,
        taskDefinition: service.taskDefinition ?? '',
        revision: definition ? `${definition.family}:${definition.revision}` : service.taskDefinition?.split('/').pop(),
        images: (definition?.containerDefinitions ?? []).map((container) => ({ container: container.name ?? '', image: container.image ?? '' })),
        rollout: primary ? { state: primary.rolloutState ?? primary.status ?? 'UNKNOWN', reason: primary.rolloutStateReason, id: primary.id } : undefined,
        events: (service.events ?? [])
          .map((event) => ({ id: event.id ?? '', at: event.createdAt, message: event.message ?? '' }))
          .sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0)),
        cpu: definition?.cpu,
        memory: definition?.memory,
        logging: ecsLogging(definition?.containerDefinitions ?? []),
      };
    });
  }

  /** One service's counts and latest rollout (DescribeServices only: what following a deploy polls). */
  async serviceRollout(cluster: string, service: string): Promise<ServiceRollout> {
    const output = await this.call<Ecs.DescribeServicesCommandOutput>(this.ecs, 'DescribeServices', new this.modules.ecs.DescribeServicesCommand({ cluster, services: [service] }));
    const found = output.services?.[0];
    if (!found) {
      // DescribeServices answers 200 with failures: [{reason: "MISSING"}] for an unknown service.
      const reason = output.failures?.[0]?.reason ?? 'MISSING';
      throw Object.assign(new Error(`ECS service "${service}" not found in cluster "${cluster}" (${reason})`), { name: 'ServiceNotFoundException' });
    }
    const primary = found.deployments?.find((deployment) => deployment.status === 'PRIMARY');
    return {
      running: found.runningCount ?? 0,
      desired: found.desiredCount ?? 0,
      pending: found.pendingCount ?? 0,
      taskDefinition: found.taskDefinition ?? '',
      rolloutState: primary?.rolloutState,
      rolloutReason: primary?.rolloutStateReason,
      deployments: found.deployments?.length ?? 0,
    };
  }

  /**
   * The direct deploy for services not in Terraform: a new revision of the service's task definition with
   * the given images (by container name), then UpdateService to it. Returns the new revision's ARN.
   */
  async deployImages(cluster: string, service: string, images: Record<string, string>): Promise<string> {
    const rollout = await this.serviceRollout(cluster, service);
    const described = await this.call<Ecs.DescribeTaskDefinitionCommandOutput>(this.ecs, 'DescribeTaskDefinition', new this.modules.ecs.DescribeTaskDefinitionCommand({ taskDefinition: rollout.taskDefinition, include: ['TAGS'] }));
    const definition = described.taskDefinition;
    if (!definition?.family || !definition.containerDefinitions) {
      throw new Error(`The task definition of "${service}" could not be read`);
    }
    const unknown = Object.keys(images).filter((name) => !definition.containerDefinitions!.some((container) => container.name === name));
    if (unknown.length > 0) {
      throw new Error(`The task definition ${definition.family}:${definition.revision} has no container named ${unknown.join(', ')}`);
    }
    const registered = await this.call<Ecs.RegisterTaskDefinitionCommandOutput>(
      this.ecs,
      'RegisterTaskDefinition',
      new this.modules.ecs.RegisterTaskDefinitionCommand({
        family: definition.family,
        taskRoleArn: definition.taskRoleArn,
        executionRoleArn: definition.executionRoleArn,
        networkMode: definition.networkMode,
        containerDefinitions: definition.containerDefinitions.map((container) => (container.name && images[container.name] ? { ...container, image: images[container.name] } : container)),
        volumes: definition.volumes,
        placementConstraints: definition.placementConstraints,
        requiresCompatibilities: definition.requiresCompatibilities,
        cpu: definition.cpu,
        memory: definition.memory,
        runtimePlatform: definition.runtimePlatform,
        ephemeralStorage: definition.ephemeralStorage,
        tags: described.tags && described.tags.length > 0 ? described.tags : undefined,
      }),
    );
    const arn = registered.taskDefinition?.taskDefinitionArn;
    if (!arn) throw new Error('RegisterTaskDefinition returned no task definition');
    await this.call<Ecs.UpdateServiceCommandOutput>(this.ecs, 'UpdateService', new this.modules.ecs.UpdateServiceCommand({ cluster, service, taskDefinition: arn }));
    return arn;
  }

  /** A service's tasks: ListTasks (paged), then DescribeTasks in batches of 100. */
  async ecsTasks(cluster: string, service: string): Promise<EcsTaskSummary[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await this.call<Ecs.ListTasksCommandOutput>(this.ecs, 'ListTasks', new this.modules.ecs.ListTasksCommand({ cluster, serviceName: service, maxResults: 100, nextToken }));
      arns.push(...(output.taskArns ?? []));
      nextToken = output.nextToken || undefined;
      if (!nextToken) break;
    }
    const tasks: EcsTaskSummary[] = [];
    for (const batch of chunks(arns, DESCRIBE_TASKS_BATCH)) {
      const output = await this.call<Ecs.DescribeTasksCommandOutput>(this.ecs, 'DescribeTasks', new this.modules.ecs.DescribeTasksCommand({ cluster, tasks: batch }));
      for (const task of output.tasks ?? []) {
        const privateIp = task.attachments?.flatMap((attachment) => attachment.details ?? []).find((detail) => detail.name === 'privateIPv4Address')?.value ?? task.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address;
        tasks.push({
          arn: task.taskArn ?? '',
          id: task.taskArn?.split('/').pop() ?? '',
          lastStatus: task.lastStatus ?? 'UNKNOWN',
          health: task.healthStatus,
          privateIp,
          startedAt: task.startedAt,
          taskDefinition: task.taskDefinitionArn,
        });
      }
    }
    return tasks;
  }

  /** The tasks ECS stopped for a service (ListTasks with desiredStatus STOPPED, then DescribeTasks), newest first. */
  async ecsStoppedTasks(cluster: string, service: string): Promise<EcsStoppedTask[]> {
    const output = await this.call<Ecs.ListTasksCommandOutput>(this.ecs, 'ListTasks', new this.modules.ecs.ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 }));
    const arns = output.taskArns ?? [];
    const stopped: EcsStoppedTask[] = [];
    for (const batch of chunks(arns, DESCRIBE_TASKS_BATCH)) {
      const described = await this.call<Ecs.DescribeTasksCommandOutput>(this.ecs, 'DescribeTasks', new this.modules.ecs.DescribeTasksCommand({ cluster, tasks: batch }));
      for (const task of described.tasks ?? []) {
        stopped.push({
          arn: task.taskArn ?? '',
          id: task.taskArn?.split('/').pop() ?? '',
          stoppedReason: task.stoppedReason,
          stopCode: task.stopCode,
          stoppedAt: task.stoppedAt,
          taskDefinition: task.taskDefinitionArn,
          containers: (task.containers ?? []).map((container) => ({ name: container.name ?? '', exitCode: container.exitCode, reason: container.reason, image: container.image })),
        });
      }
    }
    return stopped.sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
  }

  /** Force New Deployment: the service's tasks replaced with the same task definition (UpdateService). */
  async forceNewDeployment(cluster: string, service: string): Promise<string | undefined> {
    const output = await this.call<Ecs.UpdateServiceCommandOutput>(this.ecs, 'UpdateService', new this.modules.ecs.UpdateServiceCommand({ cluster, service, forceNewDeployment: true }));
    return output.service?.deployments?.find((deployment) => deployment.status === 'PRIMARY')?.id;
  }

  /**
   * ECS Exec into a task's container (`ExecuteCommand`, interactive), and the container's runtime ID its Session
   * Manager target needs (`DescribeTasks`). A task without ECS Exec enabled is refused by ECS in its own words.
   */
  async ecsExecuteCommand(cluster: string, taskArn: string, container: string, command: string): Promise<{ session: Record<string, string>; clusterArn: string; taskArn: string; runtimeId: string }> {
    const described = await this.call<Ecs.DescribeTasksCommandOutput>(this.ecs, 'DescribeTasks', new this.modules.ecs.DescribeTasksCommand({ cluster, tasks: [taskArn] }));
    const task = described.tasks?.[0];
    if (!task) throw Object.assign(new Error(`ECS task ${taskArn.split('/').pop()} not found in cluster "${cluster}" (it may have stopped)`), { name: 'TaskNotFound' });
    if (task.enableExecuteCommand === false) throw Object.assign(new Error(`ECS Exec is not enabled for task ${taskArn.split('/').pop()}`), { name: 'ExecuteCommandNotEnabled' });
    const runtimeId = task.containers?.find((candidate) => candidate.name === container)?.runtimeId;
    if (!runtimeId) throw Object.assign(new Error(`container "${container}" of task ${taskArn.split('/').pop()} has no runtime ID yet (is it running?)`), { name: 'ContainerNotRunning' });
    const output = await this.call<Ecs.ExecuteCommandCommandOutput>(this.ecs, 'ExecuteCommand', new this.modules.ecs.ExecuteCommandCommand({ cluster, task: taskArn, container, interactive: true, command }));
    const session = output.session;
    if (!session?.sessionId || !session.streamUrl || !session.tokenValue) throw new Error('ECS ExecuteCommand answered without a session');
    return { session: { sessionId: session.sessionId, streamUrl: session.streamUrl, tokenValue: session.tokenValue }, clusterArn: output.clusterArn ?? task.clusterArn ?? cluster, taskArn: output.taskArn ?? taskArn, runtimeId };
  }

  /** A Session Manager session to an EC2 instance (`ssm:StartSession`). */
  async ssmStartSession(instanceId: string): Promise<Record<string, string>> {
    this.ssm ??= new this.modules.ssm.SSMClient(this.common);
    const output = await this.call<Ssm.StartSessionCommandOutput>(this.ssm, 'StartSession', new this.modules.ssm.StartSessionCommand({ Target: instanceId }));
    if (!output.SessionId || !output.StreamUrl || !output.TokenValue) throw new Error('SSM StartSession answered without a session');
    return { SessionId: output.SessionId, TokenValue: output.TokenValue, StreamUrl: output.StreamUrl };
  }

  /**
   * CloudWatch Logs in `region` for a log tail: FilterLogEvents, and StartLiveTail's event stream. The SDK
   * sends StartLiveTail to the endpoint's host prefixed with `stream-`; a custom endpoint (127.0.0.1, a
   * proxy, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) has no such host, so the prefix is left off there.
   */
  cloudWatchLogs(region: string): CloudWatchLogsApi {
    const logs = this.regional(this.logsClients, region, () => new this.modules.logs.CloudWatchLogsClient({ ...this.common, region, ...(this.customEndpoint ? { disableHostPrefix: true } : {}) }));
    return {
      filterLogEvents: async ({ group, streams, startTime, nextToken }, signal) => {
        const selection = 'names' in streams ? { logStreamNames: streams.names } : { logStreamNamePrefix: streams.prefix };
        const output = await this.call<Logs.FilterLogEventsCommandOutput>(logs, 'FilterLogEvents', new this.modules.logs.FilterLogEventsCommand({ logGroupName: group, ...selection, startTime, nextToken }), signal);
        return {
          events: (output.events ?? []).map((event): CloudWatchLogEvent => ({ stream: event.logStreamName ?? '', timestamp: event.timestamp ?? 0, message: event.message ?? '', ...(event.eventId ? { id: event.eventId } : {}) })),
          ...(output.nextToken ? { nextToken: output.nextToken } : {}),
        };
      },
      liveTail: (request, signal) => this.liveTailUpdates(logs, request, signal),
    };
  }

  /** A Live Tail session's event stream: 'started', then each update's events; it ends with the session. */
  private async *liveTailUpdates(logs: Logs.CloudWatchLogsClient, { groupArn, streams }: { groupArn: string; streams: StreamSelection }, signal: AbortSignal): AsyncIterable<'started' | CloudWatchLogEvent[]> {
    const selection = 'names' in streams ? { logStreamNames: streams.names } : { logStreamNamePrefixes: [streams.prefix] };
    const output = await this.call<Logs.StartLiveTailCommandOutput>(logs, 'StartLiveTail', new this.modules.logs.StartLiveTailCommand({ logGroupIdentifiers: [groupArn], ...selection }), signal);
    if (!output.responseStream) throw new Error('StartLiveTail answered without an event stream');
    for await (const event of output.responseStream) {
      if (event.sessionStart) yield 'started';
      else if (event.sessionUpdate) {
        yield (event.sessionUpdate.sessionResults ?? []).map((result): CloudWatchLogEvent => ({ stream: result.logStreamName ?? '', timestamp: result.timestamp ?? 0, message: result.message ?? '' }));
      } else if (event.SessionTimeoutException) return;
      else if (event.SessionStreamingException) throw Object.assign(new Error(event.SessionStreamingException.message ?? 'the Live Tail stream failed'), { name: 'SessionStreamingException' });
    }
  }

  /** A client of a service in `region`, made on first use (ECR registries and awslogs groups may be in other regions). */
  private regional<Client>(clients: Map<string, Client>, region: string, make: () => Client): Client {
    let client = clients.get(region);
    if (!client) {
      client = make();
      clients.set(region, client);
    }
    return client;
  }

  /** Sends one command, timing it for the log. */
  private async call<Output>(client: { send(command: never, options?: never): Promise<unknown> }, operation: string, command: object, signal?: AbortSignal): Promise<Output> {
    const started = performance.now();
    try {
      const output = (await client.send(command as never, (signal ? { abortSignal: signal } : undefined) as never)) as Output;
      this.onCall?.(operation, Math.round(performance.now() - started), 'ok');
      return output;
    } catch (error) {
      this.onCall?.(operation, Math.round(performance.now() - started), (error as Error).name || 'error');
      throw error;
    }
  }

  /**
   * Every tag of an ECR repository (`DescribeImages`, following nextToken), with when each image was pushed.
   * The client is made for the registry's region on first use.
   */
  async ecrImageTags(registryId: string, region: string, repository: string): Promise<{ tag: string; pushedAt?: Date }[]> {
    const client = this.regional(this.ecrClients, region, () => new this.modules.ecr.ECRClient({ ...this.common, region }));
    const tags: { tag: string; pushedAt?: Date }[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await this.call<Ecr.DescribeImagesCommandOutput>(client, 'DescribeImages', new this.modules.ecr.DescribeImagesCommand({ registryId, repositoryName: repository, filter: { tagStatus: 'TAGGED' }, maxResults: 1000, nextToken }));
      for (const image of output.imageDetails ?? []) {
        for (const tag of image.imageTags ?? []) tags.push({ tag, pushedAt: image.imagePushedAt });
      }
      nextToken = output.nextToken;
      if (!nextToken) return tags;
    }
    throw new Error(`ECR DescribeImages of ${repository}: more than ${MAX_PAGES} pages`);
  }

  dispose(): void {
    this.ec2.destroy();
    this.ecs.destroy();
    this.ssm?.destroy();
    for (const client of this.ecrClients.values()) client.destroy();
    for (const client of this.logsClients.values()) client.destroy();
  }
}
