/** Where a `job "<id>"` block starts in a jobspec. */
export interface JobDeclaration {
  id: string;
  /** 0-based line and UTF-16 column of the `job` keyword. */
  line: number;
  character: number;
}

/**
 * The `job "<id>"` blocks of a jobspec. Only a top-level `job` label counts: the keyword must start a
 * line (after indentation), so `# job "x"` comments and strings are not matched.
 */
export function findJobDeclarations(text: string): JobDeclaration[] {
  const declarations: JobDeclaration[] = [];
  const pattern = /^([ \t]*)job[ \t]+"((?:[^"\\\n]|\\.)*)"[ \t]*\{/gm;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const before = text.slice(0, match.index);
    const line = before.split('\n').length - 1;
    declarations.push({ id: match[2]!.replace(/\\(.)/g, '$1'), line, character: match[1]!.length });
  }
  return declarations;
}

/** Glob of the files the extension treats as jobspecs. */
export const JOBSPEC_GLOB = '**/*.{nomad,nomad.hcl}';
/**
 * One exclude glob from the user's `files.exclude` and `search.exclude` (the patterns set to `true`) and
 * the folders always left out. Passing any exclude to findFiles turns the user's own off, so they are
 * folded in here: editor history copies and tool folders the user hid stay hidden. Patterns with a `when`
 * clause (sibling conditions) cannot be expressed as one glob and are left out.
 */
export function workspaceExcludeGlob(...settings: (Record<string, unknown> | undefined)[]): string {
  const patterns = new Set<string>(['**/node_modules/**', '**/.git/**', '**/.terraform/**']);
  for (const setting of settings) {
    for (const [pattern, enabled] of Object.entries(setting ?? {})) {
      if (enabled !== true || !pattern || /[{}]/.test(pattern)) continue;
      patterns.add(pattern);
      // `**/.history` hides the folder, so its files too; `**/*.bak` names files, not folders.
      const last = pattern.split('/').pop() ?? '';
      if (!pattern.endsWith('/**') && !last.includes('*')) patterns.add(`${pattern}/**`);
    }
  }
  return `{${[...patterns].join(',')}}`;
}
