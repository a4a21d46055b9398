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
/** Folders never searched for jobspecs. */
export const JOBSPEC_EXCLUDE_GLOB = '**/{node_modules,.git,.terraform}/**';
