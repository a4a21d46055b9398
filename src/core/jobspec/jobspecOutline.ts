// A jobspec's structure from its tree-sitter parse: symbols for the Outline view, breadcrumbs and Go to
// Symbol (jobs, groups, tasks, services), and semantic tokens that make block types and labels stand out.
import type { Node, Tree } from 'web-tree-sitter';

export type JobspecSymbolKind = 'job' | 'group' | 'task' | 'service' | 'variable';

export interface Span {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export interface JobspecSymbol {
  kind: JobspecSymbolKind;
  name: string;
  /** `job`, `group "web"`: what the Outline shows beside the name. */
  detail: string;
  range: Span;
  /** The label (or the block type when there is none): what Go to Symbol selects. */
  selection: Span;
  children: JobspecSymbol[];
}

const SYMBOL_BLOCKS: ReadonlySet<string> = new Set(['job', 'group', 'task', 'service', 'variable']);

export function span(node: Node): Span {
  return { startLine: node.startPosition.row, startCharacter: node.startPosition.column, endLine: node.endPosition.row, endCharacter: node.endPosition.column };
}

export function child(node: Node, type: string): Node | undefined {
  return node.namedChildren.find((candidate) => candidate?.type === type) ?? undefined;
}

export function blocksOf(body: Node | undefined): Node[] {
  const blocks: Node[] = [];
  for (const candidate of body?.namedChildren ?? []) {
    if (!candidate) continue;
    if (candidate.type === 'block') blocks.push(candidate);
    // Complete blocks that error recovery left under an ERROR still count.
    else if (candidate.type === 'ERROR' || candidate.type === 'body') blocks.push(...blocksOf(candidate));
  }
  return blocks;
}

/** A service's name: its `name = "…"` attribute when literal, else the service block itself. */
function serviceName(block: Node): { name: string; node: Node } | undefined {
  for (const attribute of child(block, 'body')?.namedChildren ?? []) {
    if (attribute?.type !== 'attribute' || child(attribute, 'identifier')?.text !== 'name') continue;
    const literal = attribute.descendantsOfType('template_literal')[0];
    if (literal && literal.startPosition.row === literal.endPosition.row) return { name: literal.text, node: literal };
  }
  return undefined;
}

/** Jobs with their groups, tasks and services (and top-level variables), nested as in the file. */
export function jobspecSymbols(tree: Tree): JobspecSymbol[] {
  const visit = (body: Node | undefined): JobspecSymbol[] => {
    const symbols: JobspecSymbol[] = [];
    for (const block of blocksOf(body)) {
      const type = child(block, 'identifier');
      if (!type) continue;
      const kind = type.text;
      const inner = visit(child(block, 'body'));
      if (!SYMBOL_BLOCKS.has(kind)) {
        // update, network, config…: not symbols, but what they hold may be (a service in a task).
        symbols.push(...inner);
        continue;
      }
      const label = block.namedChildren.find((candidate) => candidate?.type === 'string_lit') ?? undefined;
      const labelText = label ? (child(label, 'template_literal')?.text ?? '') : undefined;
      const named = kind === 'service' && labelText === undefined ? serviceName(block) : undefined;
      const name = labelText ?? named?.name ?? kind;
      const labelLiteral = label ? child(label, 'template_literal') : undefined;
      symbols.push({ kind: kind as JobspecSymbolKind, name: name || kind, detail: kind, range: span(block), selection: span(labelLiteral ?? label ?? named?.node ?? type), children: inner });
    }
    return symbols;
  };
  return visit(child(tree.rootNode, 'body') ?? tree.rootNode);
}

export const SEMANTIC_TOKEN_TYPES = ['keyword', 'type', 'class', 'property'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration'] as const;
export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];

/** The jobspec's structural blocks: coloured as keywords; other block types (update, config…) as types. */
const STRUCTURE_BLOCKS: ReadonlySet<string> = new Set(['job', 'group', 'task', 'service']);

export interface SemanticToken {
  line: number;
  character: number;
  length: number;
  type: SemanticTokenType;
  declaration: boolean;
}

/**
 * Tokens in document order: block types (`job`, `group`, `task`, `service` as keywords, the rest as types),
 * block labels (classes, declared), attribute names (properties). Single-line only, as VS Code requires.
 */
export function semanticTokens(tree: Tree, text: string): SemanticToken[] {
  const tokens: SemanticToken[] = [];
  const cursor = tree.walk();
  // One cursor, depth first, with the ancestors' types on a stack: no node objects for the many nodes it
  // passes, and expressions (most of a file) are not entered at all.
  const ancestors: string[] = [];
  for (;;) {
    const type = cursor.nodeType;
    const parent = ancestors[ancestors.length - 1];
    const kind: SemanticTokenType | 'block' | undefined =
      type === 'identifier' ? (parent === 'block' ? 'block' : parent === 'attribute' ? 'property' : undefined) : type === 'template_literal' && parent === 'string_lit' && ancestors[ancestors.length - 2] === 'block' ? 'class' : undefined;
    if (kind) {
      // Positions are read only for the nodes that become tokens.
      const start = cursor.startPosition;
      const end = cursor.endPosition;
      if (start.row === end.row && end.column > start.column) {
        const tokenType = kind === 'block' ? (STRUCTURE_BLOCKS.has(text.slice(cursor.startIndex, cursor.endIndex)) ? 'keyword' : 'type') : kind;
        tokens.push({ line: start.row, character: start.column, length: end.column - start.column, type: tokenType, declaration: kind !== 'block' });
      }
    }
    if (type !== 'expression' && cursor.gotoFirstChild()) {
      ancestors.push(type);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return tokens;
      }
      ancestors.pop();
    }
  }
}
