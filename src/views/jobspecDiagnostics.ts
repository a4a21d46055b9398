import * as vscode from 'vscode';
import { parseErrorProblems, ValidationProblem, validationProblems } from '../core/deploy/jobValidation';
import { submitNamespace } from '../core/deploy/jobPlan';
import { ApiError } from '../core/http/apiError';
import { parseHcl } from '../core/jobspec/hclParser';
import { JOBSPEC_GLOB } from '../core/jobspec/jobLocator';
import { fileKind } from '../core/jobspec/jobspecDocument';
import { jobspecSymbols, Span } from '../core/jobspec/jobspecOutline';
import { JobspecDiagnostic, jobspecDiagnostics, routerDefinitions, tagSites, TraefikFacts } from '../core/jobspec/tagDiagnostics';
import { qualifiedName } from '../core/tree/traefik/traefikProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { JobspecIndex } from '../services/jobspecIndex';
import { findWorkspaceFiles } from '../services/workspaceFiles';
import { debounce } from '../core/live/debounce';

/** Problems are computed this long after the last keystroke: never on the keystroke itself. */
const DIAGNOSTICS_DEBOUNCE_MS = 300;
/** The workspace's router names are read again this long after a jobspec is saved, created or deleted. */
const ROUTER_INDEX_DEBOUNCE_MS = 1_000;
/**
 * A save that auto-save made (after a delay, on focus change) is validated by the cluster only once the
 * saves stop for this long: with `files.autoSave: afterDelay` every pause in typing saves, and each save
 * would be a request to Nomad. A save the user asked for (Ctrl+S) is validated at once.
 */
const AUTO_SAVE_VALIDATION_DEBOUNCE_MS = 2_000;
/** At most this many workspace jobspecs are read for router names. */
const MAX_ROUTER_INDEX_FILES = 2_000;

/**
 * Problems of the open jobspecs and ecs-*.tf files in the Problems panel: traefik.* and launcher.* tags
 * and images as you type (debounced), Nomad's own parse and validation on save; quick fixes where the fix
 * is certain.
 */
export class JobspecDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  private readonly local = vscode.languages.createDiagnosticCollection('hashistack');
  private readonly cluster = vscode.languages.createDiagnosticCollection('hashistack-nomad');
  private readonly fixes = new Map<string, { diagnostic: vscode.Diagnostic; fix: NonNullable<JobspecDiagnostic['fix']> }[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];
  /** Router names of the workspace's jobspecs, by name, with where they are (`nomad/api.nomad:12`). */
  private routerIndex = new Map<string, { uri: string; where: string }[]>();
  private routerIndexTimer: NodeJS.Timeout | undefined;
  /** Why each document is being saved (set before the save, read after it). */
  private readonly saveReasons = new Map<string, vscode.TextDocumentSaveReason>();
  private readonly validationTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly index: JobspecIndex,
    private readonly host: ClusterStoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      this.local,
      this.cluster,
      vscode.languages.registerCodeActionsProvider([{ language: 'nomad' }, { pattern: '**/ecs-*.tf' }], this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.local.delete(document.uri);
        this.cluster.delete(document.uri);
        this.fixes.delete(document.uri.toString());
      }),
      vscode.workspace.onWillSaveTextDocument((event) => this.saveReasons.set(event.document.uri.toString(), event.reason)),
      vscode.workspace.onDidSaveTextDocument((document) => {
        const key = document.uri.toString();
        const reason = this.saveReasons.get(key);
        this.saveReasons.delete(key);
        if (fileKind(document.uri.path) === 'jobspec') {
          // A save whose reason was not told (no will-save event reached the extension) counts as an
          // auto-save whenever auto-save is on: a request per keystroke pause is what must not happen.
          const explicit = reason === undefined ? vscode.workspace.getConfiguration('files', document).get<string>('autoSave', 'off') === 'off' : reason === vscode.TextDocumentSaveReason.Manual;
          this.scheduleValidation(document, explicit ? 0 : AUTO_SAVE_VALIDATION_DEBOUNCE_MS);
          this.scheduleRouterIndex();
        }
      }),
      // The cluster's problems belong to the profile that reported them: they go with it, and the open
      // jobspecs that are saved are validated again by the cluster now active.
      host.onWillReplaceStore(() => {
        this.cluster.clear();
        for (const document of vscode.workspace.textDocuments) {
          if (fileKind(document.uri.path) === 'jobspec' && document.uri.scheme === 'file' && !document.isDirty) this.scheduleValidation(document, AUTO_SAVE_VALIDATION_DEBOUNCE_MS);
        }
      }),
      host.onDidChange((change) => {
        // Entrypoints and middlewares come from Traefik's data: when it moves, look again.
        if (change.section === 'traefik' && change.kind === 'data') for (const document of vscode.workspace.textDocuments) this.schedule(document);
      }),
    ];
    const watcher = vscode.workspace.createFileSystemWatcher(JOBSPEC_GLOB);
    this.subscriptions.push(watcher, watcher.onDidCreate(() => this.scheduleRouterIndex()), watcher.onDidDelete(() => this.scheduleRouterIndex()));
    this.scheduleRouterIndex();
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!fileKind(document.uri.path) || document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return;
    debounce(this.timers, document.uri.toString(), DIAGNOSTICS_DEBOUNCE_MS, () => {
      void this.update(document).catch((error: unknown) => this.log.warn(`Checking ${vscode.workspace.asRelativePath(document.uri)}: ${error instanceof Error ? error.message : String(error)}`));
    });
  }

  private scheduleValidation(document: vscode.TextDocument, delayMs: number): void {
    debounce(this.validationTimers, document.uri.toString(), delayMs, () => {
      if (!document.isClosed) void this.validateOnCluster(document);
    });
  }

  /** How many validations of each document were sent to a cluster (for the tests). */
  private readonly validationsSent = new Map<string, number>();

  validationsOf(uri: vscode.Uri): number {
    return this.validationsSent.get(uri.toString()) ?? 0;
  }

  /** How many validations by the cluster wait for auto-saves to stop (for the tests). */
  get pendingValidations(): number {
    return this.validationTimers.size;
  }

  /** What the explorer holds of Traefik: its entrypoints and every provider's middlewares. */
  private traefikFacts(): TraefikFacts | undefined {
    const data = this.host.store?.traefik.state.data;
    if (!data) return undefined;
    return { entryPoints: data.entryPoints.map((entryPoint) => entryPoint.name), middlewares: data.middlewares.map((middleware) => qualifiedName(middleware.name, middleware.provider)) };
  }

  /** Recomputes a document's problems now (the tests call this to skip the debounce). */
  async update(document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    const kind = fileKind(document.uri.path);
    const syntax = kind ? await this.index.syntax(document) : undefined;
    if (!kind || !syntax || document.isClosed) return [];
    const others = new Map<string, string[]>();
    for (const [name, places] of this.routerIndex) {
      const elsewhere = places.filter((place) => place.uri !== document.uri.toString()).map((place) => place.where);
      if (elsewhere.length) others.set(name, elsewhere);
    }
    const scan = await this.index.scan(document);
    const { diagnostics } = jobspecDiagnostics(syntax.tree, syntax.text, kind, { traefik: this.traefikFacts(), otherRouters: kind === 'jobspec' ? others : undefined }, scan?.scan.images);
    const fixes: { diagnostic: vscode.Diagnostic; fix: NonNullable<JobspecDiagnostic['fix']> }[] = [];
    const converted = diagnostics.map((problem) => {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(document.positionAt(problem.start), document.positionAt(problem.end)), problem.message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'Hashistack';
      diagnostic.code = problem.code;
      if (problem.fix) fixes.push({ diagnostic, fix: problem.fix });
      return diagnostic;
    });
    this.local.set(document.uri, converted);
    this.fixes.set(document.uri.toString(), fixes);
    return converted;
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const { diagnostic, fix } of this.fixes.get(document.uri.toString()) ?? []) {
      if (!context.diagnostics.includes(diagnostic) && !diagnostic.range.intersection(range)) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, new vscode.Range(document.positionAt(fix.start), document.positionAt(fix.end)), fix.text);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  /**
   * On save (hashistack.validateOnSave): the active Nomad parses and validates the file. Silent when no
   * cluster answers (the reason is returned and logged); every request is in the log like any other.
   */
  async validateOnCluster(document: vscode.TextDocument): Promise<vscode.Diagnostic[] | string> {
    if (!vscode.workspace.getConfiguration('hashistack').get<boolean>('validateOnSave', true)) return 'hashistack.validateOnSave is off';
    // In Restricted Mode the workspace's files are not sent to a cluster (with the user's token).
    if (!vscode.workspace.isTrusted) return 'Restricted Mode: validation on the cluster is off until the workspace is trusted';
    const profile = this.host.activeProfile;
    // Nothing is sent to an address that cannot be used; a cluster that does not answer is silent (logged).
    if (profile.nomad.problem) return profile.nomad.problem;
    const store = await this.host.ready();
    const syntax = await this.index.syntax(document);
    if (!syntax) return 'not a jobspec';
    const symbols = jobspecSymbols(syntax.tree);
    const job = symbols.find((symbol) => symbol.kind === 'job');
    if (!job) return 'no job block';
    let problems: ValidationProblem[];
    try {
      this.validationsSent.set(document.uri.toString(), (this.validationsSent.get(document.uri.toString()) ?? 0) + 1);
      const parsed = await store.nomad.api.parseJob(document.getText());
      parsed.Namespace = submitNamespace(parsed, profile.nomad.namespace);
      problems = validationProblems(await store.nomad.api.validateJob(parsed), symbols, parsed.ID);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && /\/v1\/jobs\/parse/.test(error.path)) {
        problems = parseErrorProblems(error.reason);
      } else {
        const reason = `Validation of ${vscode.workspace.asRelativePath(document.uri)} by Nomad skipped: ${error instanceof Error ? error.message : String(error)}`;
        this.log.info(reason);
        return reason;
      }
    }
    // The profile switched while Nomad answered: its problems are not the active cluster's.
    if (this.host.activeProfile.name !== profile.name || this.host.store !== store) return `the cluster profile "${profile.name}" was switched away from during the validation`;
    const range = (span: Span) => new vscode.Range(span.startLine, span.startCharacter, span.endLine, span.endCharacter);
    const diagnostics = problems.map((problem) => {
      const diagnostic = new vscode.Diagnostic(range(problem.range), problem.message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diagnostic.source = `Nomad (${profile.name})`;
      return diagnostic;
    });
    this.cluster.set(document.uri, diagnostics);
    return diagnostics;
  }

  private scheduleRouterIndex(): void {
    clearTimeout(this.routerIndexTimer);
    this.routerIndexTimer = setTimeout(() => void this.buildRouterIndex().catch((error: unknown) => this.log.warn(`Reading the workspace's router names: ${error instanceof Error ? error.message : String(error)}`)), ROUTER_INDEX_DEBOUNCE_MS);
  }

  /** Every router name the workspace's jobspecs define, to find one defined twice across files. */
  async buildRouterIndex(): Promise<void> {
    const parser = await this.index.getParser();
    const index = new Map<string, { uri: string; where: string }[]>();
    for (const uri of await findWorkspaceFiles(JOBSPEC_GLOB, MAX_ROUTER_INDEX_FILES)) {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
      const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const tree = parseHcl(parser, text);
      try {
        for (const router of routerDefinitions(tagSites(tree, text, 'jobspec'))) {
          const line = text.slice(0, router.start).split('\n').length;
          const name = router.name.toLowerCase();
          index.set(name, [...(index.get(name) ?? []), { uri: uri.toString(), where: `${vscode.workspace.asRelativePath(uri)}:${line}` }]);
        }
      } finally {
        tree.delete();
      }
    }
    this.routerIndex = index;
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const timer of this.validationTimers.values()) clearTimeout(timer);
    clearTimeout(this.routerIndexTimer);
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
