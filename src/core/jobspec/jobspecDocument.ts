import type { Edit, Parser, Point, Tree } from 'web-tree-sitter';
import { parseHcl } from './hclParser';
import { EcsScan, JobspecScan, rescanJobspec, scanEcsFile, scanJobspec, TextSplice } from './imageScanner';

export type FileKind = 'jobspec' | 'ecs';

/** `*.nomad`, `*.nomad.hcl` → jobspec; `ecs-*.tf` → ecs; anything else: not ours. */
export function fileKind(path: string): FileKind | undefined {
  const name = path.split(/[\\/]/).pop() ?? '';
  if (/\.nomad(\.hcl)?$/.test(name)) return 'jobspec';
  if (/^ecs-.*\.tf$/.test(name)) return 'ecs';
  return undefined;
}

/** A text change as VS Code reports it (TextDocumentContentChangeEvent), in UTF-16 offsets. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export type DocumentScan = { kind: 'jobspec'; scan: JobspecScan } | { kind: 'ecs'; scan: EcsScan };

/**
 * One open jobspec or ECS file: its syntax tree, edited in place on every change and reparsed
 * incrementally (only what changed) the next time its scan is asked for.
 */
export class JobspecDocument {
  private tree: Tree | undefined;
  private text: string;
  private cached: DocumentScan | undefined;
  /** The last jobspec scan and the edits since, for a scan that redoes only the jobs they touched. */
  private previousScan: JobspecScan | undefined;
  private splices: TextSplice[] | undefined = [];

  constructor(
    private readonly parser: Parser,
    readonly kind: FileKind,
    text: string,
  ) {
    this.text = text;
  }

  /** Records edits (tree.edit) so the next parse reuses the unchanged parts of the old tree. */
  applyChanges(changes: readonly TextChange[], newText: string): void {
    if (this.tree) {
      for (const change of changes) {
        this.tree.edit(toEdit(change));
      }
    }
    this.text = newText;
    if (this.cached?.kind === 'jobspec') this.previousScan = this.cached.scan;
    // One change at a time is followed; several at once (multi-cursor) are scanned again in full.
    this.splices = changes.length === 1 && this.splices ? [...this.splices, { start: changes[0]!.rangeOffset, oldLength: changes[0]!.rangeLength, newLength: changes[0]!.text.length }] : undefined;
    this.cached = undefined;
  }

  /** Replaces the whole text (a file changed on disk, or a document reopened): a full parse next time. */
  reset(text: string): void {
    this.tree?.delete();
    this.tree = undefined;
    this.text = text;
    this.cached = undefined;
    this.previousScan = undefined;
    this.splices = [];
  }

  get scan(): DocumentScan {
    if (!this.cached) {
      const previous = this.tree;
      this.tree = parseHcl(this.parser, this.text, previous);
      previous?.delete();
      if (this.kind === 'jobspec') {
        const scan = this.previousScan && this.splices ? rescanJobspec(this.tree, this.text, this.previousScan, this.splices) : scanJobspec(this.tree, this.text);
        this.cached = { kind: 'jobspec', scan };
      } else {
        this.cached = { kind: 'ecs', scan: scanEcsFile(this.tree, this.text) };
      }
      this.previousScan = undefined;
      this.splices = [];
    }
    return this.cached;
  }

  /** The syntax tree of the text now (parsed, incrementally, if an edit came since). */
  get syntaxTree(): Tree {
    void this.scan;
    return this.tree!;
  }

  /** The text the tree is of. */
  get currentText(): string {
    return this.text;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}

/** tree-sitter's Edit for a VS Code change: rows and UTF-16 columns, the same units web-tree-sitter uses. */
export function toEdit(change: TextChange): Edit {
  const startPosition: Point = { row: change.range.start.line, column: change.range.start.character };
  const oldEndPosition: Point = { row: change.range.end.line, column: change.range.end.character };
  const lines = change.text.split('\n');
  const newEndPosition: Point =
    lines.length === 1 ? { row: startPosition.row, column: startPosition.column + change.text.length } : { row: startPosition.row + lines.length - 1, column: lines[lines.length - 1]!.length };
  return {
    startIndex: change.rangeOffset,
    oldEndIndex: change.rangeOffset + change.rangeLength,
    newEndIndex: change.rangeOffset + change.text.length,
    startPosition,
    oldEndPosition,
    newEndPosition,
  };
}
