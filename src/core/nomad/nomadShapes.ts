// Nested shapes of Nomad's answers, made safe where they enter: the edge checks (http/shapes.ts) refuse a
// list that is not a list of objects, and these conform what lies inside each object to the types the tree,
// the lenses and the follow read. A value of the wrong type becomes that type's empty value (a null group
// summary is no group, a `TaskGroups` that is not a list is none), so nothing past here throws on it.

type Schema =
  | 'string'
  | 'number'
  | 'boolean'
  /** A boolean or null (Nomad's tri-state health). */
  | 'tristate'
  | 'unknown'
  | { object: Record<string, Schema>; nullable?: boolean }
  | { list: Schema; nullable?: boolean }
  | { map: Schema; nullable?: boolean };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value` in the shape of `schema`: fields the schema names are made of their type (or left out when missing
 * and optional by being absent); fields it does not name are kept as they are; a container of the wrong type
 * is null when `nullable`, else empty. Objects that already conform are returned as they are.
 */
export function conform(value: unknown, schema: Schema): unknown {
  switch (schema) {
    case 'string':
      return typeof value === 'string' ? value : '';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : 0;
    case 'boolean':
      return value === true;
    case 'tristate':
      return typeof value === 'boolean' ? value : null;
    case 'unknown':
      return value;
  }
  if ('object' in schema) {
    if (!isObject(value)) return schema.nullable ? null : conformObject({}, schema.object);
    return conformObject(value, schema.object);
  }
  if ('list' in schema) {
    if (!Array.isArray(value)) return schema.nullable ? null : [];
    let changed = false;
    const items: unknown[] = [];
    for (const item of value) {
      // A list item of the wrong kind is left out rather than made up.
      if (typeof schema.list === 'object' && 'object' in schema.list && !isObject(item)) {
        changed = true;
        continue;
      }
      const next = conform(item, schema.list);
      if (next !== item) changed = true;
      items.push(next);
    }
    return changed ? items : value;
  }
  if (!isObject(value)) return schema.nullable ? null : {};
  let changed = false;
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    if (typeof schema.map === 'object' && 'object' in schema.map && !isObject(item)) {
      changed = true;
      continue;
    }
    const next = conform(item, schema.map);
    if (next !== item) changed = true;
    entries.push([key, next]);
  }
  return changed ? Object.fromEntries(entries) : value;
}

function conformObject(value: Record<string, unknown>, fields: Record<string, Schema>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [field, schema] of Object.entries(fields)) {
    const current = value[field];
    // A missing field stays missing (the readers take undefined as "not sent"); a present one conforms.
    if (current === undefined) continue;
    const next = conform(current, schema);
    if (next !== current) (copy ??= { ...value })[field] = next;
  }
  return copy ?? value;
}

const COUNTS: Schema = { object: { Queued: 'number', Complete: 'number', Failed: 'number', Running: 'number', Starting: 'number', Lost: 'number' } };
const UPDATE: Schema = { object: { MaxParallel: 'number', Canary: 'number', AutoRevert: 'boolean', AutoPromote: 'boolean' }, nullable: true };
const TASK_STATE: Schema = { object: { State: 'string', Failed: 'boolean', Restarts: 'number', Events: { list: { object: { Type: 'string', Time: 'number', DisplayMessage: 'string', Message: 'string', Details: { map: 'string', nullable: true } } }, nullable: true } } };

/** What the explorer and the follow read of each list's items and of the objects they fetch. */
export const NOMAD_SHAPES = {
  jobs: {
    object: {
      Version: 'number',
      ModifyIndex: 'number',
      JobModifyIndex: 'number',
      CreateIndex: 'number',
      JobSummary: { object: { Summary: { map: COUNTS }, Children: { object: { Pending: 'number', Running: 'number', Dead: 'number' }, nullable: true } }, nullable: true },
    },
  },
  allocations: {
    object: {
      JobVersion: 'number',
      ModifyIndex: 'number',
      CreateIndex: 'number',
      CreateTime: 'number',
      ModifyTime: 'number',
      TaskGroup: 'string',
      JobID: 'string',
      ClientStatus: 'string',
      DesiredStatus: 'string',
      DeploymentStatus: { object: { Healthy: 'tristate', Canary: 'boolean' }, nullable: true },
      TaskStates: { map: TASK_STATE, nullable: true },
    },
  },
  deployments: {
    object: {
      JobID: 'string',
      JobVersion: 'number',
      JobModifyIndex: 'number',
      ModifyIndex: 'number',
      CreateIndex: 'number',
      Status: 'string',
      StatusDescription: 'string',
      TaskGroups: {
        map: { object: { PlacedAllocs: 'number', DesiredTotal: 'number', HealthyAllocs: 'number', UnhealthyAllocs: 'number', DesiredCanaries: 'number', PlacedCanaries: { list: 'string', nullable: true }, Promoted: 'boolean', AutoRevert: 'boolean', AutoPromote: 'boolean' } },
        nullable: true,
      },
    },
  },
  nodes: { object: { Name: 'string', Status: 'string', Drain: 'boolean', ModifyIndex: 'number', CreateIndex: 'number' } },
  job: {
    object: {
      Version: 'number',
      Update: UPDATE,
      TaskGroups: {
        list: { object: { Name: 'string', Count: 'number', Update: UPDATE, Tasks: { list: { object: { Name: 'string', Driver: 'string', Config: { map: 'unknown', nullable: true } } }, nullable: true } } },
        nullable: true,
      },
    },
  },
  evaluations: {
    object: {
      CreateIndex: 'number',
      ModifyIndex: 'number',
      FailedTGAllocs: { map: { object: { NodesEvaluated: 'number', NodesFiltered: 'number', NodesExhausted: 'number', ConstraintFiltered: { map: 'number', nullable: true }, DimensionExhausted: { map: 'number', nullable: true }, ClassExhausted: { map: 'number', nullable: true } } }, nullable: true },
    },
  },
} satisfies Record<string, Schema>;

export type NomadShape = keyof typeof NOMAD_SHAPES;

/** One item of Nomad's, conformed to what is read of it. */
export function conformNomad<T>(shape: NomadShape, value: T): T {
  return conform(value, NOMAD_SHAPES[shape]) as T;
}
