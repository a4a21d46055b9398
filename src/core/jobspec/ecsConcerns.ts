// Where in an ecs-*.tf file the part of a service that an ECS event or a stopped task is about is written: the
// task definition's `cpu`/`memory` (a placement with no room, an out-of-memory kill), its container's health check,
// its image. By the text's lines: the Terraform of an ECS service names these attributes plainly.
import type { EcsConcern } from '../tree/aws/awsProperties';

const CONCERN_PATTERNS: Record<EcsConcern, RegExp[]> = {
  // The task definition's size first, else a container's.
  resources: [/^\s*memory\s*=/, /^\s*cpu\s*=/, /"?memory"?\s*[=:]/, /"?cpu"?\s*[=:]/],
  healthCheck: [/"?healthCheck"?\s*[=:]/, /health_check\b/],
  image: [/"?image"?\s*[=:]/],
};

/** The 0-based line of the first place the concern is written, or undefined when the file does not say it. */
export function ecsConcernLine(text: string, concern: EcsConcern): number | undefined {
  const lines = text.split('\n');
  for (const pattern of CONCERN_PATTERNS[concern]) {
    const index = lines.findIndex((line) => pattern.test(line) && !/^\s*(#|\/\/)/.test(line));
    if (index >= 0) return index;
  }
  return undefined;
}
