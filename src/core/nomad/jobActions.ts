// Checks of what a user types for a job action, before anything is sent: a scale count within the group's
// scaling policy, and a dispatch's meta against the parameterized job's required and optional keys.

export interface ScalingBounds {
  min?: number;
  max?: number;
}

/** A group's scaling bounds from the job's definition (`TaskGroups[].Scaling`, when a policy is set). */
export function scalingBounds(definition: unknown, group: string): ScalingBounds {
  const groups = (definition as { TaskGroups?: { Name?: string; Scaling?: { Min?: number | null; Max?: number | null } | null }[] | null } | undefined)?.TaskGroups ?? [];
  const scaling = groups.find((candidate) => candidate.Name === group)?.Scaling;
  return { min: typeof scaling?.Min === 'number' ? scaling.Min : undefined, max: typeof scaling?.Max === 'number' ? scaling.Max : undefined };
}

/** Why `text` is not a count for the group (undefined when it is one). */
export function scaleCountProblem(text: string, bounds: ScalingBounds): string | undefined {
  if (!/^\d+$/.test(text.trim())) return 'A whole number of allocations, 0 or more.';
  const count = Number(text.trim());
  if (bounds.min !== undefined && count < bounds.min) return `The group's scaling policy allows at least ${bounds.min}.`;
  if (bounds.max !== undefined && count > bounds.max) return `The group's scaling policy allows at most ${bounds.max}.`;
  return undefined;
}

export interface DispatchSpec {
  required: string[];
  optional: string[];
  payload: 'optional' | 'required' | 'forbidden';
}

/** What a parameterized job takes (`ParameterizedJob` of its definition). */
export function dispatchSpec(definition: unknown): DispatchSpec | undefined {
  const parameterized = (definition as { ParameterizedJob?: { MetaRequired?: string[] | null; MetaOptional?: string[] | null; Payload?: string } | null } | undefined)?.ParameterizedJob;
  if (!parameterized) return undefined;
  const payload = parameterized.Payload === 'required' || parameterized.Payload === 'forbidden' ? parameterized.Payload : 'optional';
  return { required: parameterized.MetaRequired ?? [], optional: parameterized.MetaOptional ?? [], payload };
}

/** `key=value` lines as dispatch meta, or what is wrong with them against the spec. */
export function parseDispatchMeta(text: string, spec: DispatchSpec): { meta: Record<string, string> } | { problem: string } {
  const meta: Record<string, string> = {};
  for (const part of text.split(/[\n,]/).map((piece) => piece.trim()).filter(Boolean)) {
    const equals = part.indexOf('=');
    if (equals <= 0) return { problem: `"${part}" is not key=value.` };
    const key = part.slice(0, equals).trim();
    if (![...spec.required, ...spec.optional].includes(key)) return { problem: `"${key}" is not a meta key of the job (it takes ${[...spec.required, ...spec.optional].join(', ') || 'none'}).` };
    meta[key] = part.slice(equals + 1);
  }
  const missing = spec.required.filter((key) => !(key in meta));
  if (missing.length > 0) return { problem: `Required: ${missing.join(', ')}.` };
  return { meta };
}

/**
 * The fields of a job version that every registration changes (its number, indexes, submit time, status)
 * or the scheduler owns: two versions equal apart from these define the same job.
 */
const PER_REGISTRATION_FIELDS = new Set(['Version', 'ModifyIndex', 'JobModifyIndex', 'CreateIndex', 'SubmitTime', 'Stable', 'Status', 'StatusDescription', 'Dispatched']);

/**
 * Whether two versions of a job define the same job: what a revert from one to the other would change
 * (nothing in its tasks, when they are the same; the plan would be empty).
 */
export function sameJobDefinition(a: unknown, b: unknown): boolean {
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

function strip(job: unknown): unknown {
  if (typeof job !== 'object' || job === null) return job;
  return Object.fromEntries(Object.entries(job).filter(([key]) => !PER_REGISTRATION_FIELDS.has(key)));
}

/** JSON with object keys sorted, so key order (which servers do not promise) does not make a difference. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
