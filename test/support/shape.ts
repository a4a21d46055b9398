/** Rules for comparing a demo response with a recorded one. Paths: `a.b`, `[]` for array items, `*` for map values. */
export interface ShapeRules {
  /** Objects whose keys are data (service names, task groups, drivers): their values are compared, not their keys. */
  maps?: string[];
  /** Keys the real server leaves out when empty (Go `omitempty`). */
  optional?: string[];
  /** Where the demo may send null for a recorded object (e.g. TaskStates with task_states=false). */
  nullable?: string[];
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Every key of the recorded body must be in the demo body with the same JSON type, recursively.
 * The demo may add keys (real servers send more than the docs' samples show). Returns the differences.
 */
export function shapeDifferences(recorded: unknown, demo: unknown, rules: ShapeRules = {}, path = ''): string[] {
  const here = path || '(root)';
  const recordedType = typeOf(recorded);
  const demoType = typeOf(demo);
  if (recordedType === 'null') {
    return [];
  }
  if (demoType === 'null' && rules.nullable?.includes(path)) {
    return [];
  }
  if (recordedType !== demoType) {
    return [`${here}: recorded ${recordedType}, demo ${demoType}`];
  }
  if (recordedType === 'array') {
    const recordedItems = recorded as unknown[];
    const demoItems = demo as unknown[];
    if (recordedItems.length === 0 || demoItems.length === 0) {
      return [];
    }
    const problems: string[] = [];
    for (const item of demoItems) {
      // Against the recorded item of the same `type` (Traefik lists mix service kinds), else the first.
      const type = (item as { type?: unknown } | null)?.type;
      const template = recordedItems.find((candidate) => type !== undefined && (candidate as { type?: unknown } | null)?.type === type) ?? recordedItems[0];
      problems.push(...shapeDifferences(template, item, rules, `${path}[]`));
      if (problems.length > 20) break;
    }
    return [...new Set(problems)];
  }
  if (recordedType === 'object') {
    const recordedObject = recorded as Record<string, unknown>;
    const demoObject = demo as Record<string, unknown>;
    if (rules.maps?.includes(path)) {
      const template = Object.values(recordedObject)[0];
      return [...new Set(Object.values(demoObject).flatMap((value) => shapeDifferences(template, value, rules, `${path}.*`)))];
    }
    const problems: string[] = [];
    for (const key of Object.keys(recordedObject)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!(key in demoObject)) {
        if (!rules.optional?.includes(childPath)) {
          problems.push(`${childPath}: missing in the demo`);
        }
        continue;
      }
      problems.push(...shapeDifferences(recordedObject[key], demoObject[key], rules, childPath));
    }
    return problems;
  }
  return [];
}
