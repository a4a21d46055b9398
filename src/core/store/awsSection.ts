// The AWS section of the cluster store: EC2 nodes, Elastic IPs and ECS services, read on request.
import { AwsCluster, EcsTaskSummary } from '../aws/awsCluster';
import { describeAwsError } from '../aws/awsErrors';
import { AwsPart } from '../profiles/clusterProfile';
import { AwsSectionData } from '../tree/aws/awsProperties';
import { LiveSection, LiveSectionOptions } from './liveSection';

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
export class AwsSection extends LiveSection<AwsSectionData> {
  constructor(
    readonly aws: AwsPart,
    private readonly connect: () => Promise<AwsConnection>,
    options: LiveSectionOptions = {},
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

  /** The tasks of one ECS service (on expand: one call, not kept current). */
  async ecsTasks(service: string): Promise<EcsTaskSummary[]> {
    const { cluster, aws } = await this.connection();
    if (!aws.ecsCluster) return [];
    return this.step('ecs:ListTasks / ecs:DescribeTasks', () => cluster.ecsTasks(aws.ecsCluster!, service));
  }
}
