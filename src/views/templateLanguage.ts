// Templates that know the data: in the `template` blocks of open jobspecs, what they read from the active
// cluster (Nomad variables and their items, Consul keys and prefixes, services) is held by the store while the
// document is open, and shown as hovers, definitions (the variable's or key's document) and Problems that
// follow the data as it changes. Values of variables never leave their document: hovers mask them.
import * as vscode from 'vscode';
import { decodeKvValue } from '../core/consul/kv';
import { JobspecTemplate, jobspecTemplates } from '../core/jobspec/templateBlocks';
import { fileKind } from '../core/jobspec/jobspecDocument';
import { debounce } from '../core/live/debounce';
import { MASKED_VALUE } from '../core/nomad/variables';
import { ClusterStore } from '../core/store/clusterStore';
import { HeldRead } from '../core/store/heldReads';
import { analyzeTemplate, TemplateAnalysis, TemplateReference } from '../core/template/templateReferences';
import { Held, referenceSummary, TemplateData, templateProblems } from '../core/template/templateProblems';
import { summarizeServiceHealth } from '../core/tree/consul/consulProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { JobspecIndex } from '../services/jobspecIndex';
import { KvDocuments } from './kvDocuments';
import { VariableDocuments } from './variableDocuments';

/** Problems are computed this long after the last keystroke or data change. */
const TEMPLATE_DEBOUNCE_MS = 300;
/** A key's value in a hover is cut here: a hover is not a document. */
const HOVER_VALUE_CHARS = 400;

interface AnalyzedTemplate {
  template: JobspecTemplate;
  analysis: TemplateAnalysis;
}

export const PREVIEW_TEMPLATE_COMMAND = 'hashistack.previewTemplate';

export class TemplateLanguageFeatures implements vscode.HoverProvider, vscode.DefinitionProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('hashistack-templates');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Each open jobspec's templates, as last analyzed. */
  private readonly analyzed = new Map<string, AnalyzedTemplate[]>();
  /** The store's held reads the open documents' templates need, by read key, with the store they are on. */
  private holds = new Map<string, { dispose(): void }>();
  private holdsStore: ClusterStore | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly index: JobspecIndex,
    private readonly host: ClusterStoreHost,
    private readonly variables: VariableDocuments,
    private readonly kv: KvDocuments,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      this.diagnostics,
      vscode.languages.registerHoverProvider({ language: 'nomad' }, this),
      vscode.languages.registerDefinitionProvider({ language: 'nomad' }, this),
      vscode.languages.registerCodeLensProvider({ language: 'nomad' }, this),
      this.lensesChanged,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.diagnostics.delete(document.uri);
        this.analyzed.delete(document.uri.toString());
        this.updateHolds();
      }),
      // The data of one profile judges its documents: another profile's problems go with it.
      host.onWillReplaceStore(() => {
        this.diagnostics.clear();
        this.releaseHolds();
        // Judged again on the new store (another profile, a new token), with reads of its own.
        this.scheduleAll();
      }),
      host.onDidChangeHeld((change) => {
        if (change.kind === 'templateData') this.scheduleAll();
      }),
      host.onDidChange((change) => {
        // Consul's catalog judges `service` references, and only them: Consul's data moves with every check.
        if (change.section !== 'consul' || change.kind !== 'data') return;
        for (const document of vscode.workspace.textDocuments) {
          if ((this.analyzed.get(document.uri.toString()) ?? []).some(({ analysis }) => analysis.references.some((reference) => reference.kind === 'service'))) this.schedule(document);
        }
      }),
    ];
    this.scheduleAll();
  }

  private scheduleAll(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (fileKind(document.uri.path) !== 'jobspec' || (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled')) return;
    debounce(this.timers, document.uri.toString(), TEMPLATE_DEBOUNCE_MS, () => {
      void this.update(document).catch((error: unknown) => this.log.warn(`Checking the templates of ${vscode.workspace.asRelativePath(document.uri)}: ${error instanceof Error ? error.message : String(error)}`));
    });
  }

  /** Recomputes a document's template problems now (the tests call this to skip the debounce). */
  async update(document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    const syntax = await this.index.syntax(document);
    if (!syntax || document.isClosed) return [];
    const templates = jobspecTemplates(syntax.tree, syntax.text).map((template) => ({ template, analysis: analyzeTemplate(template.source) }));
    this.analyzed.set(document.uri.toString(), templates);
    this.lensesChanged.fire();
    const store = await this.updateHolds();
    if (!store || document.isClosed) return [];
    const data = this.data(store);
    const diagnostics: vscode.Diagnostic[] = [];
    for (const { template, analysis } of templates) {
      for (const problem of templateProblems(analysis, template.namespace, data)) {
        const range = new vscode.Range(document.positionAt(template.offsets[problem.start] ?? template.offsets.at(-1)!), document.positionAt(template.offsets[Math.min(problem.end, template.offsets.length - 1)]!));
        const diagnostic = new vscode.Diagnostic(range, problem.message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : problem.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
        diagnostic.source = `template (${this.host.activeProfile.name})`;
        diagnostic.code = problem.code;
        diagnostics.push(diagnostic);
      }
    }
    if (!document.isClosed) this.diagnostics.set(document.uri, diagnostics);
    return diagnostics;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const found = this.referenceAt(document, position);
    const store = this.host.store;
    if (!found || !store) return undefined;
    const lines = referenceSummary(found.reference, found.template.namespace, this.data(store), MASKED_VALUE, HOVER_VALUE_CHARS);
    const markdown = new vscode.MarkdownString();
    // The cluster's words as text: never markup.
    markdown.appendCodeblock(lines.join('\n'), 'text');
    if (found.reference.kind === 'variable' || found.reference.kind === 'variableItem' || found.reference.kind === 'key') markdown.appendText('Go to Definition opens it.');
    return new vscode.Hover(markdown, found.range);
  }

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const found = this.referenceAt(document, position);
    if (!found) return undefined;
    const reference = found.reference;
    if (reference.kind === 'variable' || reference.kind === 'variableItem') return new vscode.Location(this.variables.uri(reference.namespace ?? found.template.namespace, reference.path), new vscode.Position(0, 0));
    if (reference.kind === 'key') return new vscode.Location(this.kv.uri(reference.key), new vscode.Position(0, 0));
    return undefined;
  }

  /** "Preview Template" on each template block with data. */
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return (this.analyzed.get(document.uri.toString()) ?? []).map(({ template }, position) => {
      const at = document.positionAt(template.blockStart);
      return new vscode.CodeLens(new vscode.Range(at, at), { title: 'Preview Template', tooltip: `Render ${template.destination ?? 'this template'} with the data of the active cluster${template.destination ? ', and compare it with what a running allocation rendered' : ''}`, command: PREVIEW_TEMPLATE_COMMAND, arguments: [document.uri.toString(), position] });
    });
  }

  private referenceAt(document: vscode.TextDocument, position: vscode.Position): { template: JobspecTemplate; reference: TemplateReference; range: vscode.Range } | undefined {
    const offset = document.offsetAt(position);
    for (const { template, analysis } of this.analyzed.get(document.uri.toString()) ?? []) {
      for (const reference of analysis.references) {
        const start = template.offsets[reference.start]!;
        const end = template.offsets[reference.end]!;
        if (offset >= start && offset <= end) return { template, reference, range: new vscode.Range(document.positionAt(start), document.positionAt(end)) };
      }
    }
    return undefined;
  }

  /**
   * Holds what the open documents' templates read, and lets go of what no open template reads any more.
   * Resolves with the store once every new read has its first answer.
   */
  private async updateHolds(): Promise<ClusterStore | undefined> {
    const store = this.host.store ?? (await this.host.ready().catch(() => undefined));
    if (!store) return undefined;
    if (this.holdsStore !== store) {
      this.releaseHolds();
      this.holdsStore = store;
    }
    const needed = new Map<string, () => { dispose(): void; first: Promise<void> }>();
    for (const templates of this.analyzed.values()) {
      for (const { template, analysis } of templates) {
        for (const reference of analysis.references) {
          const read = templateDataRead(store, reference, template.namespace);
          if (read) needed.set(read.key, read.hold);
          else if (reference.kind === 'keyPrefix') needed.set(`prefix ${reference.prefix}`, () => store.consul.watchKeysUnder(reference.prefix));
        }
      }
    }
    for (const [key, handle] of [...this.holds]) {
      if (!needed.has(key)) {
        handle.dispose();
        this.holds.delete(key);
      }
    }
    const firsts: Promise<void>[] = [];
    for (const [key, hold] of needed) {
      if (this.holds.has(key)) continue;
      const handle = hold();
      this.holds.set(key, handle);
      firsts.push(handle.first);
    }
    await Promise.all(firsts);
    return store;
  }

  private releaseHolds(): void {
    this.holds.forEach((handle) => handle.dispose());
    this.holds.clear();
    this.holdsStore = undefined;
  }

  /** The store's held reads, as the core judges templates on them. */
  private data(store: ClusterStore): TemplateData {
    const consul = store.consul.state.data;
    const health = consul ? summarizeServiceHealth(consul.checks) : undefined;
    return {
      profile: this.host.activeProfile.name,
      variable: (namespace, path) => held(store.nomad.variable(namespace, path), (variable) => ({ items: variable.Items, modifyIndex: variable.ModifyIndex })),
      key: (key) =>
        held(store.consul.value(key), (entry) => {
          const value = decodeKvValue(entry.Value);
          return { value: value.kind === 'text' ? value.text : undefined, bytes: value.bytes };
        }),
      keysUnder: (prefix) => held(store.consul.keysUnder(prefix), (keys) => keys),
      consulService: (name) => {
        if (!consul || !health) return undefined;
        const summary = health.get(name);
        return { known: Object.hasOwn(consul.services, name), passing: summary?.passing ?? 0, total: summary ? summary.passing + summary.warning + summary.critical : 0 };
      },
      nomadService: (namespace, name) => held(store.nomad.nomadService(namespace, name), (registrations) => registrations.map((registration) => ({ address: registration.Address, port: registration.Port }))),
    };
  }

  dispose(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.releaseHolds();
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}

/**
 * The store's held read of one thing a template reads — a variable (with items), a key, a Nomad service — with a
 * key that names it (two templates reading the same thing share one read). Undefined for what each caller
 * reads its own way: prefixes (the Problems need the keys, the preview their values) and Consul services.
 */
export function templateDataRead(store: ClusterStore, reference: TemplateReference, namespace: string): { key: string; hold: () => { dispose(): void; first: Promise<void> } } | undefined {
  switch (reference.kind) {
    case 'variable':
    case 'variableItem': {
      const ns = reference.namespace ?? namespace;
      return { key: `var ${ns} ${reference.path}`, hold: () => store.nomad.watchVariable(ns, reference.path) };
    }
    case 'key':
      return { key: `key ${reference.key}`, hold: () => store.consul.watchValue(reference.key) };
    case 'nomadService':
      return { key: `nomadService ${namespace} ${reference.name}`, hold: () => store.nomad.watchNomadService(namespace, reference.name) };
    default:
      return undefined;
  }
}

/** A held read as the core's three states: null data is "missing"; not read (or unreadable) is "unknown". */
function held<T, U>(read: HeldRead<T | null> | undefined, convert: (value: T) => U): Held<U> {
  if (!read || read.data === undefined) return { state: 'unknown' };
  if (read.data === null) return { state: 'missing' };
  return { state: 'present', value: convert(read.data) };
}
