import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Node, Parser, Tree } from 'web-tree-sitter';

/**
 * HCL parsing with tree-sitter (web-tree-sitter + the grammar of @tree-sitter-grammars/tree-sitter-hcl):
 * exact positions in UTF-16 code units, like VS Code's offsets, error recovery for half-typed files,
 * and incremental reparsing. The two .wasm files ship next to the bundle (dist/) and are found in
 * node_modules when the core runs from source (tests, benchmarks).
 */
export const RUNTIME_WASM = 'tree-sitter.wasm';
export const HCL_WASM = 'tree-sitter-hcl.wasm';

export interface WasmLocations {
  runtime: string;
  grammar: string;
}

export function defaultWasmLocations(bundleDir: string = __dirname): WasmLocations {
  const bundled = { runtime: join(bundleDir, RUNTIME_WASM), grammar: join(bundleDir, HCL_WASM) };
  if (existsSync(bundled.runtime) && existsSync(bundled.grammar)) {
    return bundled;
  }
  return {
    runtime: join(require.resolve('web-tree-sitter'), '..', RUNTIME_WASM),
    grammar: require.resolve(`@tree-sitter-grammars/tree-sitter-hcl/${HCL_WASM}`),
  };
}

let loading: Promise<Language> | undefined;

/** Loads the runtime and the HCL grammar once per process. */
export function loadHclLanguage(locations: WasmLocations = defaultWasmLocations()): Promise<Language> {
  loading ??= (async () => {
    await Parser.init({ locateFile: (name: string) => (name.endsWith('.wasm') ? locations.runtime : name) });
    return Language.load(locations.grammar);
  })();
  return loading;
}

export async function createHclParser(locations?: WasmLocations): Promise<Parser> {
  const language = await loadHclLanguage(locations);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Parses `text`; with `previous` (already edited with Tree.edit) only the changed parts are reparsed. */
export function parseHcl(parser: Parser, text: string, previous?: Tree): Tree {
  const tree = parser.parse(text, previous ?? null);
  if (!tree) {
    throw new Error('tree-sitter returned no tree (the parser has no language set)');
  }
  return tree;
}

/** The first node error recovery made (an ERROR or a MISSING node), or the node under which one hides. */
export function firstSyntaxError(root: Node): Node | undefined {
  if (root.isError || root.isMissing) return root;
  if (!root.hasError) return undefined;
  for (const candidate of root.children) {
    const found = candidate ? firstSyntaxError(candidate) : undefined;
    if (found) return found;
  }
  return root;
}

export type { Tree } from 'web-tree-sitter';
