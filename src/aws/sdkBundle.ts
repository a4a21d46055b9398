// Entry point of dist/aws-sdk.js, a bundle of its own: the AWS SDK clients are loaded from it the first
// time the AWS section is used, so they are neither parsed nor run on activation.
export * as ec2 from '@aws-sdk/client-ec2';
export * as ecs from '@aws-sdk/client-ecs';
export * as ecr from '@aws-sdk/client-ecr';
export * as ssm from '@aws-sdk/client-ssm';
export * as logs from '@aws-sdk/client-cloudwatch-logs';
