/**
 * An AWS failure in the AWS words, with what to do: expired SSO sessions, missing credentials, denied
 * actions (with the action), a missing cluster or instance (often the wrong region), throttling.
 */
export function describeAwsError(error: unknown, context: { action: string; region: string; profile?: string }): string {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const message = (error as { message?: string } | undefined)?.message ?? String(error);
  const profile = context.profile ? ` --profile ${context.profile}` : '';
  if (/SSO.*(expired|invalid)|Token is expired|refresh failed/i.test(message) || name === 'TokenProviderError') {
    return `The AWS SSO session has expired: run \`aws sso login${profile}\`, then refresh. (${message})`;
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return `No AWS credentials were found${context.profile ? ` for profile "${context.profile}"` : ''}: run \`aws configure${profile}\` or \`aws sso login${profile}\`, or set the cluster profile's "awsProfile". (${message})`;
  }
  if (/Region is missing/i.test(message)) {
    return 'No AWS region: set "awsRegion" in the cluster profile.';
  }
  if (name === 'UnauthorizedOperation' || name === 'AccessDeniedException' || name === 'AccessDenied') {
    return `AWS denied ${context.action}: ${message} The identity's IAM policy needs ${context.action}.`;
  }
  if (name === 'AuthFailure' || name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId') {
    return `AWS did not accept the credentials (${name}): ${message} Check the profile or refresh the session.`;
  }
  if (name === 'ClusterNotFoundException') {
    return `ECS has no such cluster in ${context.region}: ${message} Check "ecsCluster" and "awsRegion" of the cluster profile.`;
  }
  if (name === 'ServiceNotFoundException') {
    return `ECS has no such service in ${context.region}: ${message}`;
  }
  if (/^Invalid.*NotFound/.test(name)) {
    return `${name} in ${context.region}: ${message} Is the region right?`;
  }
  if (name === 'ThrottlingException' || name === 'RequestLimitExceeded' || name === 'Throttling') {
    return `AWS is throttling ${context.action} (retried already): ${message} Try again in a moment.`;
  }
  return `${context.action} failed${name ? ` (${name})` : ''}: ${message}`;
}
