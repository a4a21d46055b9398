// Where an ECS task's containers log: read from the task definition's `logConfiguration`, as the awslogs
// driver names its streams (`<prefix>/<container>/<task id>`, the only naming Fargate allows).

/** What a task definition's container says of its logs (a subset of ECS's ContainerDefinition). */
export interface ContainerLogDefinition {
  name?: string;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
}

/** A container whose logs go to CloudWatch Logs through the awslogs driver. */
export interface AwsLogsContainer {
  container: string;
  group: string;
  region?: string;
  /** `awslogs-stream-prefix`; without one (EC2 launch type only) the stream is named by the Docker container ID. */
  streamPrefix?: string;
}

/** A container whose logs are elsewhere: FireLens, splunk, none, or no logConfiguration at all. */
export interface ElsewhereContainer {
  container: string;
  /** The driver, or undefined when the container declares no logConfiguration (its output is lost on Fargate). */
  driver?: string;
}

export interface EcsLogging {
  awslogs: AwsLogsContainer[];
  elsewhere: ElsewhereContainer[];
}

/** Splits a task definition's containers by where their logs go. */
export function ecsLogging(containers: readonly ContainerLogDefinition[]): EcsLogging {
  const logging: EcsLogging = { awslogs: [], elsewhere: [] };
  for (const definition of containers) {
    const container = definition.name ?? '';
    const configuration = definition.logConfiguration;
    const group = configuration?.options?.['awslogs-group'];
    if (configuration?.logDriver === 'awslogs' && group) {
      logging.awslogs.push({ container, group, region: configuration.options?.['awslogs-region'], streamPrefix: configuration.options?.['awslogs-stream-prefix'] || undefined });
    } else {
      logging.elsewhere.push({ container, driver: configuration?.logDriver });
    }
  }
  return logging;
}

/** The awslogs stream of one container of one task: `prefix/container/task-id`. */
export function awsLogsStreamName(container: AwsLogsContainer, taskId: string): string | undefined {
  return container.streamPrefix ? `${container.streamPrefix}/${container.container}/${taskId}` : undefined;
}

/** What the view says of a service whose containers log elsewhere, and what to change. */
export function elsewhereWords(service: string, elsewhere: readonly ElsewhereContainer[]): string {
  const parts = elsewhere.map((container) => {
    if (!container.driver) return `"${container.container}" has no logConfiguration (its output is not kept)`;
    if (container.driver === 'awsfirelens') return `"${container.container}" logs through FireLens (to wherever its Fluent Bit routes)`;
    if (container.driver === 'none') return `"${container.container}" has the log driver none (its output is not kept)`;
    if (container.driver === 'awslogs') return `"${container.container}" uses awslogs without an awslogs-group`;
    return `"${container.container}" logs with the ${container.driver} driver`;
  });
  return `${service}: ${parts.join('; ')}. Only the awslogs driver (CloudWatch Logs) can be tailed here — set logConfiguration { logDriver = "awslogs", options = { awslogs-group, awslogs-region, awslogs-stream-prefix } } in the service's task definition (its ecs-*.tf).`;
}

/**
 * The ARN of a log group in the account and partition of an ECS resource (StartLiveTail names log groups by
 * ARN only): `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3` → `arn:aws:logs:<region>:123456789012:log-group:<group>`.
 */
export function logGroupArn(ecsArn: string, region: string, group: string): string | undefined {
  const [scheme, partition, , , account] = ecsArn.split(':');
  if (scheme !== 'arn' || !partition || !account) return undefined;
  return `arn:${partition}:logs:${region}:${account}:log-group:${group}`;
}
