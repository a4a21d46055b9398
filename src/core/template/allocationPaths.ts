// Where a template's destination is in the allocation's directory, as Nomad resolves it: relative to the
// task's directory, or under one of the runtime directories it names.

/** `local/app.env` of task `web` → `web/local/app.env`; `${NOMAD_ALLOC_DIR}/x` → `alloc/x`. Undefined outside the allocation. */
export function allocationPathOf(task: string, destination: string): string | undefined {
  const named: [RegExp, string][] = [
    [/^\$\{?NOMAD_ALLOC_DIR\}?\/?/, 'alloc/'],
    [/^\$\{?NOMAD_TASK_DIR\}?\/?/, `${task}/local/`],
    [/^\$\{?NOMAD_SECRETS_DIR\}?\/?/, `${task}/secrets/`],
  ];
  for (const [pattern, base] of named) if (pattern.test(destination)) return normalize(base + destination.replace(pattern, ''));
  if (destination.startsWith('/')) return undefined;
  return normalize(`${task}/${destination}`);
}

function normalize(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // Nomad keeps a template inside the allocation: a path that climbs out is not one of its files.
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}
