// The AWS section of the cluster store: EC2 nodes, Elastic IPs and ECS services, read on request.
import { AwsCluster, EcsStoppedTask, EcsTaskSummary, rolloutOutcome, ServiceRollout } from '../aws/awsCluster';
import { Backoff, sleep } from '../live/backoff';
import { CloudWatchLogsApi } from '../aws/cloudWatchTail';
import { describeAwsError } from '../aws/awsErrors';
import { AwsPart } from '../profiles/clusterProfile';
import { AwsSectionData } from '../tree/aws/awsProperties';
import { Disposable, LiveSection, LiveSectionOptions } from './liveSection';
import { SharedWatches } from './sharedWatches';

/** ECS moves a deployment along every few seconds; reading it faster only spends API calls. */
export const ECS_ROLLOUT_POLL_MS = 5_000;
/** A rollout that cannot be read this many times in a row (with a growing wait between) is given up on. */
export const ECS_ROLLOUT_MAX_FAILURES = 3;

/** Where a followed ECS rollout stands, as the store last read it. */
export interface EcsRolloutState {
  rollout?: ServiceRollout;
  outcome?: 'completed' | 'failed';
  /** The last read's failure; with `gaveUp`, the watch has stopped. */
  error?: unknown;
  gaveUp?: boolean;
}

export interface AwsConnection {
  cluster: AwsCluster;
  aws: AwsPart;
}

/** One AWS call, its failure put in words that say what to do. */
export async function awsStep<T>(aws: AwsPart | undefined, action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Error(describeAwsError(error, { action, region: aws?.region ?? '', profile: aws?.profile }), { cause: error });
  }
}

/**
 * The AWS section: EC2 nodes, Elastic IPs and ECS services, each loaded and failing on its own, on the
 * first need and on Refresh (AWS has no change feed that this extension reads).
 */
export interface AwsSectionOptions extends LiveSectionOptions {
  ecsRolloutPollMs?: number;
}

export class AwsSection extends LiveSection<AwsSectionData> {
  constructor(
    readonly aws: AwsPart,
    private readonly connect: () => Promise<AwsConnection>,
    protected override readonly options: AwsSectionOptions = {},
  ) {
    super('AWS', options);
  }

  step<T>(action: string, work: () => Promise<T>): Promise<T> {
    return awsStep(this.aws, action, work);
  }

  connection(): Promise<AwsConnection> {
    return this.step('loading the AWS SDK', () => this.connect());
  }

  protected async start(signal: AbortSignal): Promise<void> {
    const { cluster, aws } = await this.connection();
    if (signal.aborted) return;
    const tag = aws.clusterTag;
    const part = async <T>(enabled: boolean, action: string, work: () => Promise<T>): Promise<{ value?: T; error?: unknown }> => {
      if (!enabled) return {};
      try {
        return { value: await this.step(action, work) };
      } catch (error) {
        return { error };
      }
    };
    const [instances, addresses, services] = await Promise.all([
      part(Boolean(tag), 'ec2:DescribeInstances', () => cluster.clusterInstances(tag!.key, tag!.value)),
      part(Boolean(tag), 'ec2:DescribeAddresses', () => cluster.elasticIps()),
      part(Boolean(aws.ecsCluster), 'ecs:ListServices / ecs:DescribeServices', () => cluster.ecsServices(aws.ecsCluster!)),
    ]);
    if (signal.aborted) return;
    const errors = { instances: instances.error, addresses: addresses.error, services: services.error };
    this.setData(
      { region: aws.region, ecsCluster: aws.ecsCluster, instances: instances.value, addresses: addresses.value, services: services.value, errors },
      { mode: 'manual', source: undefined },
    );
  }

  private readonly rolloutWatches = new SharedWatches<{ state: EcsRolloutState; controller: AbortController }>((watch) => watch.controller.abort());

  /**
   * Reads an ECS service's deployment every ECS_ROLLOUT_POLL_MS until it completes or fails, while the
   * handle lives: each read updates that service's row (no reload of the section), and its end reloads the
   * section once (the new revision and images). Failed reads back off; ECS_ROLLOUT_MAX_FAILURES give up.
   */
  watchRollout(service: string): Disposable & { state: EcsRolloutState } {
    const handle = this.rolloutWatches.acquire(service, () => {
      const watch = { state: {} as EcsRolloutState, controller: new AbortController() };
      void this.followRollout(service, watch.state, watch.controller.signal);
      return watch;
    });
    return { state: handle.watch.state, dispose: () => handle.dispose() };
  }

  private async followRollout(service: string, state: EcsRolloutState, signal: AbortSignal): Promise<void> {
    const backoff = this.options.backoff ?? new Backoff();
    let failures = 0;
    while (!signal.aborted) {
      try {
        const { cluster, aws } = await this.connection();
        if (!aws.ecsCluster) throw new Error('the cluster profile names no ECS cluster ("ecsCluster")');
        const rollout = await this.step('ecs:DescribeServices', () => cluster.serviceRollout(aws.ecsCluster!, service));
        if (signal.aborted) return;
        failures = 0;
        state.rollout = rollout;
        state.error = undefined;
        this.patchService(service, rollout);
        const outcome = rolloutOutcome(rollout);
        if (outcome !== 'inProgress') {
          state.outcome = outcome;
          // The end: read the section again for the service's new revision and images.
          void this.refresh();
          this.announce();
          return;
        }
        this.announce();
        if (!(await sleep(this.options.ecsRolloutPollMs ?? ECS_ROLLOUT_POLL_MS, signal))) return;
      } catch (error) {
        if (signal.aborted) return;
        state.error = error;
        state.gaveUp = ++failures >= ECS_ROLLOUT_MAX_FAILURES;
        this.announce();
        if (state.gaveUp || !(await sleep(backoff.delayMs(failures - 1), signal))) return;
      }
    }
  }

  /** A service row's counts and rollout from one DescribeServices, without reading the rest again. */
  private patchService(name: string, rollout: ServiceRollout): void {
    const data = this.state.data;
    const services = data?.services;
    if (!data || !services) return;
    const next = services.map((service) =>
      service.name === name
        ? { ...service, running: rollout.running, desired: rollout.desired, pending: rollout.pending, rollout: rollout.rolloutState ? { ...service.rollout, state: rollout.rolloutState, reason: rollout.rolloutReason } : service.rollout }
        : service,
    );
    this.setData({ ...data, services: next });
  }

  override dispose(): void {
    this.rolloutWatches.stopAll();
    super.dispose();
  }

  /** The tasks of one ECS service (on expand: one call, not kept current). */
  async ecsTasks(service: string): Promise<EcsTaskSummary[]> {
    const { cluster, aws } = await this.connection();
    if (!aws.ecsCluster) return [];
    return this.step('ecs:ListTasks / ecs:DescribeTasks', () => cluster.ecsTasks(aws.ecsCluster!, service));
  }

  /** The tasks ECS stopped for a service, with why (read when the Stopped tasks folder opens). */
  async ecsStoppedTasks(service: string): Promise<EcsStoppedTask[]> {
    const { cluster, aws } = await this.connection();
    if (!aws.ecsCluster) return [];
    return this.step('ecs:ListTasks / ecs:DescribeTasks', () => cluster.ecsStoppedTasks(aws.ecsCluster!, service));
  }

  /** ECS Exec into a task's container: the session, and what its Session Manager target is made of. */
  async ecsExecute(taskArn: string, container: string, command: string): Promise<{ session: Record<string, string>; clusterArn: string; taskArn: string; runtimeId: string }> {
    const { cluster, aws } = await this.connection();
    if (!aws.ecsCluster) throw new Error('The profile names no ECS cluster ("ecsCluster").');
    return this.step('ecs:ExecuteCommand', () => cluster.ecsExecuteCommand(aws.ecsCluster!, taskArn, container, command));
  }

  /** CloudWatch Logs in a container's awslogs region, for Show Logs. */
  async cloudWatchLogs(region: string): Promise<CloudWatchLogsApi> {
    const { cluster } = await this.connection();
    return cluster.cloudWatchLogs(region);
  }

  /** A Session Manager session to an EC2 node (ssm:StartSession). */
  async startSession(instanceId: string): Promise<Record<string, string>> {
    const { cluster } = await this.connection();
    return this.step('ssm:StartSession', () => cluster.ssmStartSession(instanceId));
  }

  /** Replaces the service's tasks with its task definition as it is (UpdateService forceNewDeployment). */
  async forceNewDeployment(service: string): Promise<string | undefined> {
    const { cluster, aws } = await this.connection();
    if (!aws.ecsCluster) throw new Error('The profile names no ECS cluster ("aws.ecsCluster").');
    return this.step('ecs:UpdateService', () => cluster.forceNewDeployment(aws.ecsCluster!, service));
  }
}
