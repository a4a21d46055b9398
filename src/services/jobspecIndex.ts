import * as vscode from 'vscode';
import type { Parser } from 'web-tree-sitter';
import { createHclParser, defaultWasmLocations } from '../core/jobspec/hclParser';
import { DocumentScan, fileKind, JobspecDocument } from '../core/jobspec/jobspecDocument';

/**
 * Syntax trees of the open jobspecs and ECS files, kept in step with every edit (incremental reparse),
 * and scans of files that are not open, for the workspace-wide Deploy… list.
 */
export class JobspecIndex implements vscode.Disposable {
  private parser: Promise<Parser> | undefined;
  private readonly documents = new Map<string, { version: number; document: JobspecDocument }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly wasmDirectory: string) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        const entry = this.documents.get(event.document.uri.toString());
        if (!entry || event.contentChanges.length === 0) return;
        entry.document.applyChanges(event.contentChanges, event.document.getText());
        entry.version = event.document.version;
        this.changed.fire(event.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        const key = document.uri.toString();
        this.documents.get(key)?.document.dispose();
        this.documents.delete(key);
      }),
    );
  }

  /** The one HCL parser of the extension (for reading files that are not open, too). */
  getParser(): Promise<Parser> {
    this.parser ??= createHclParser(defaultWasmLocations(this.wasmDirectory));
    return this.parser;
  }

  /** The scan of an open document; parses on first use, then reuses the edited tree. */
  async scan(document: vscode.TextDocument): Promise<DocumentScan | undefined> {
    const kind = fileKind(document.uri.path);
    if (!kind) return undefined;
    const parser = await this.getParser();
    const key = document.uri.toString();
    let entry = this.documents.get(key);
    if (!entry) {
      entry = { version: document.version, document: new JobspecDocument(parser, kind, document.getText()) };
      this.documents.set(key, entry);
    } else if (entry.version !== document.version) {
      // Changed without our change event (e.g. reverted): start over from the current text.
      entry.document.reset(document.getText());
      entry.version = document.version;
    }
    return entry.document.scan;
  }

  /** An open document's syntax tree and text, kept in step with its edits (for outline, colours and diagnostics). */
  async syntax(document: vscode.TextDocument): Promise<{ tree: import('web-tree-sitter').Tree; text: string } | undefined> {
    if (!(await this.scan(document))) return undefined;
    const entry = this.documents.get(document.uri.toString())!;
    return { tree: entry.document.syntaxTree, text: entry.document.currentText };
  }

  /** The scan of a file on disk (or its open document): for lists over the whole workspace. */
  async scanUri(uri: vscode.Uri): Promise<DocumentScan | undefined> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) return this.scan(open);
    const kind = fileKind(uri.path);
    if (!kind) return undefined;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const document = new JobspecDocument(await this.getParser(), kind, text);
    try {
      return document.scan;
    } finally {
      document.dispose();
    }
  }

  dispose(): void {
    for (const entry of this.documents.values()) entry.document.dispose();
    this.documents.clear();
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
