import * as vscode from 'vscode';
import type { Tree } from 'web-tree-sitter';
import { FailureFact, jobFailureFacts, raisedMemory, standingAllocations } from '../core/nomad/clusterFailures';
import { NomadAllocMetric } from '../core/nomad/nomadApi';
import { TaskStateCache } from '../core/nomad/taskStateCache';
import { DocumentScan, fileKind, JobspecDocument } from '../core/jobspec/jobspecDocument';
import { JobspecPlace } from '../core/jobspec/jobspecPlaces';
import { Span } from '../core/jobspec/jobspecOutline';
import { FAILURE_CODES, JobspecJobs, jobspecFailureProblems } from '../core/jobspec/failureProblems';
import { JOBSPEC_GLOB } from '../core/jobspec/jobLocator';
import { allocationsByJob, itemNamespace, jobEvaluations, jobKey, singleNamespace } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import type { PlacementReporter } from '../services/jobDeploys';
import { placementProblems } from '../core/deploy/placementProblems';
import { JobspecIndex } from '../services/jobspecIndex';
import { findWorkspaceFiles } from '../services/workspaceFiles';

/** The cluster's Problems' collection. */
export const CLUSTER_DIAGNOSTICS_NAME = 'hashistack-cluster';
/** The Problems are recomputed this long after the store's last change: a burst of events is one pass. */
const FAILURES_DEBOUNCE_MS = 500;
/** The workspace's jobspecs looked at for Problems when closed (as many as the Deploy… list reads). */
const CLOSED_JOBSPECS_LIMIT = 1000;

interface ShownProblem {
  fact?: FailureFact;
  place: JobspecPlace;
  diagnostic: vscode.Diagnostic;
  jobId: string;
  namespace: string;
}

/** A jobspec that is not open: its scan, and its syntax tree once a Problem needs one (until the file changes). */
interface ClosedJobspec {
  scan: DocumentScan | undefined;
  document?: JobspecDocument;
}

/**
 * The cluster's failures of a job as Problems on the lines of its jobspecs that govern them — open or closed,
 * so the Problems panel says what is broken on the cluster at a glance: an OOM kill on the task's `memory`
 * line (with a quick fix that raises it), a driver failure on `image`, a restart loop Nomad gave up on on
 * `restart`, a template that failed on its `template` block, a critical Consul check on its `check` block, a
 * blocked evaluation on the constraint / cpu / memory / datacenters lines the scheduler blames. Each offers
 * to show the allocation or evaluation that reported it in the explorer.
 * From the store (allocations, open evaluations, Consul's checks; task states read when an allocation of the
 * job's latest version changes, never on a timer); cleared as soon as the failure no longer stands.
 */
export class ClusterFailureDiagnostics implements vscode.CodeActionProvider, PlacementReporter, vscode.Disposable {
  /** The last plan of each jobspec's jobs, with its failed placements, while it still says what would happen. */
  private readonly plans = new Map<string, { jobId: string; profileName: string; failed: Record<string, NomadAllocMetric>; jobModifyIndex: number }[]>();
  private readonly collection = vscode.languages.createDiagnosticCollection(CLUSTER_DIAGNOSTICS_NAME);
  private readonly problems = new Map<string, ShownProblem[]>();
  private readonly taskStates = new TaskStateCache();
  private readonly closed = new Map<string, ClosedJobspec>();
  private workspaceJobspecs: Thenable<vscode.Uri[]> | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly index: JobspecIndex,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(JOBSPEC_GLOB);
    const forget = (uri: vscode.Uri, listed: boolean) => {
      this.forgetClosed(uri.toString());
      if (listed) this.workspaceJobspecs = undefined;
      this.schedule();
    };
    this.subscriptions = [
      this.collection,
      watcher,
      watcher.onDidCreate((uri) => forget(uri, true)),
      watcher.onDidDelete((uri) => forget(uri, true)),
      watcher.onDidChange((uri) => forget(uri, false)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.workspaceJobspecs = undefined;
        this.schedule();
      }),
      vscode.languages.registerCodeActionsProvider({ language: 'nomad' }, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      host.onDidChange((change) => {
        if (change.section === 'nomad' || change.section === 'consul') this.schedule();
      }),
      host.onWillReplaceStore(() => {
        this.plans.clear();
        this.collection.clear();
        this.problems.clear();
        this.taskStates.clear();
      }),
      vscode.workspace.onDidOpenTextDocument(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((event) => fileKind(event.document.uri.path) === 'jobspec' && this.schedule()),
      // A closed jobspec is read from disk again: the editor's unsaved text is gone with it.
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.forgetClosed(document.uri.toString());
        this.schedule();
      }),
    ];
    this.schedule();
  }

  showPlacement(uri: vscode.Uri, jobId: string, profileName: string, failed: Record<string, NomadAllocMetric> | null, jobModifyIndex: number): void {
    const kept = (this.plans.get(uri.toString()) ?? []).filter((plan) => plan.jobId !== jobId);
    if (failed && Object.keys(failed).length > 0) kept.push({ jobId, profileName, failed, jobModifyIndex });
    this.plans.set(uri.toString(), kept);
    void this.refresh();
  }

  private forgetClosed(key: string): void {
    this.closed.get(key)?.document?.dispose();
    this.closed.delete(key);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), FAILURES_DEBOUNCE_MS);
  }

  /** Recomputes every jobspec's cluster Problems now (one pass at a time; a change meanwhile runs another). */
  async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.compute().catch((error: unknown) => this.log.warn(`Cluster failures as Problems: ${error instanceof Error ? error.message : String(error)}`));
    await this.running;
    this.running = undefined;
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  /** What the last pass saw, in words (for the tests' failure messages). */
  lastPass = '';

  /** The jobspecs to look at: the open ones, and the workspace's files (listed once, again when files come or go). */
  private async jobspecUris(): Promise<{ uri: vscode.Uri; document?: vscode.TextDocument }[]> {
    const open = vscode.workspace.textDocuments.filter((document) => !document.isClosed && fileKind(document.uri.path) === 'jobspec');
    this.workspaceJobspecs ??= findWorkspaceFiles(JOBSPEC_GLOB, CLOSED_JOBSPECS_LIMIT);
    const files = await Promise.resolve(this.workspaceJobspecs).catch(() => [] as vscode.Uri[]);
    const openKeys = new Set(open.map((document) => document.uri.toString()));
    return [...open.map((document) => ({ uri: document.uri, document })), ...files.filter((uri) => !openKeys.has(uri.toString())).map((uri) => ({ uri }))];
  }

  private async closedJobspec(uri: vscode.Uri): Promise<ClosedJobspec> {
    const key = uri.toString();
    let entry = this.closed.get(key);
    if (!entry) {
      entry = { scan: await this.index.scanUri(uri).catch(() => undefined) };
      this.closed.set(key, entry);
    }
    return entry;
  }

  private async closedTree(uri: vscode.Uri, entry: ClosedJobspec): Promise<Tree | undefined> {
    if (!entry.document) {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      entry.document = new JobspecDocument(await this.index.getParser(), 'jobspec', text);
    }
    return entry.document.syntaxTree;
  }

  private async compute(): Promise<void> {
    const store = this.host.store;
    const data = store?.nomad.state.data;
    this.lastPass = !store ? 'no store' : !data ? 'no Nomad data' : '';
    if (!store || !data) return;
    const profile = this.host.activeProfile;
    const checks = store.consul.state.data?.checks ?? [];
    // Allocations the cluster no longer lists (collected, or another job's) leave the cache: it stays bounded.
    this.taskStates.keepOnly(new Set(data.allocations.map((allocation) => allocation.ID)));
    const jobs = new Set(data.jobs.map((job) => jobKey(itemNamespace(job.Namespace, data.namespace), job.ID)));

    // The workspace's jobspecs and the jobs they declare (open ones as edited, closed ones from disk).
    const jobspecs: (JobspecJobs & { uri: vscode.Uri; document?: vscode.TextDocument })[] = [];
    for (const { uri, document } of await this.jobspecUris()) {
      const scanned = document ? await this.index.scan(document) : (await this.closedJobspec(uri)).scan;
      if (scanned?.kind !== 'jobspec') continue;
      jobspecs.push({ key: uri.toString(), uri, document, jobs: scanned.scan.jobs.map((job) => ({ id: job.id, namespace: job.namespace ?? singleNamespace(profile.nomad.namespace) })) });
    }

    // Each declared job on the cluster: its latest version's standing allocations, their task states read when
    // they changed, and its facts — once per pass, however many jobspecs declare it.
    const facts = new Map<string, FailureFact[]>();
    const now = Date.now();
    const byJob = allocationsByJob(data);
    for (const { id, namespace } of jobspecs.flatMap((jobspec) => jobspec.jobs)) {
      const key = jobKey(namespace, id);
      if (facts.has(key)) continue;
      const definition = jobs.has(key) ? store.nomad.jobDefinition(namespace, id) : undefined;
      if (!definition) {
        this.lastPass += ` ${id}: ${jobs.has(key) ? 'definition not read yet' : 'not on the cluster'};`;
        facts.set(key, []);
        continue;
      }
      const standing = standingAllocations(definition, byJob.get(key) ?? []);
      this.lastPass += ` ${id} v${definition.Version}: ${standing.length} standing (${standing.map((allocation) => allocation.ClientStatus).join(',')});`;
      const states = await this.taskStates.statesOf(standing, (allocationId) => store.nomad.allocation(allocationId), () => this.host.store === store);
      if (!states) return;
      facts.set(key, jobFailureFacts({ definition, standing, taskStates: states, checks, evaluations: jobEvaluations(data, id, namespace), now }));
    }

    // Syntax trees only for the files that will show something: the open ones' kept in step, the closed ones' parsed once.
    const trees = new Map<string, Tree>();
    for (const jobspec of jobspecs) {
      const needed = jobspec.jobs.some((job) => facts.get(jobKey(job.namespace, job.id))?.length) || (this.plans.get(jobspec.key)?.length ?? 0) > 0;
      if (!needed) continue;
      const tree = jobspec.document ? (await this.index.syntax(jobspec.document))?.tree : await this.closedTree(jobspec.uri, await this.closedJobspec(jobspec.uri)).catch(() => undefined);
      if (tree) trees.set(jobspec.key, tree);
    }
    const placed = jobspecFailureProblems(jobspecs, (id, namespace) => facts.get(jobKey(namespace, id)), (key) => trees.get(key));

    const shown = new Set<string>();
    for (const jobspec of jobspecs) {
      if (jobspec.document?.isClosed) continue;
      const problems: ShownProblem[] = (placed.get(jobspec.key) ?? []).map((problem) => {
        const diagnostic = new vscode.Diagnostic(range(problem.place.span), problem.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = `nomad (${profile.name})`;
        diagnostic.code = problem.code;
        return { fact: problem.fact, place: problem.place, diagnostic, jobId: problem.jobId, namespace: problem.namespace };
      });
      // The last plan's failed placements, while the job on the cluster is still the one it was planned against.
      const plans = (this.plans.get(jobspec.key) ?? []).filter((plan) => {
        const running = data.jobs.find((candidate) => candidate.ID === plan.jobId);
        return plan.profileName === profile.name && (running?.JobModifyIndex ?? 0) <= plan.jobModifyIndex;
      });
      if (this.plans.has(jobspec.key)) this.plans.set(jobspec.key, plans);
      const tree = trees.get(jobspec.key);
      for (const plan of tree ? plans : []) {
        for (const problem of placementProblems(tree!, plan.jobId, plan.failed)) {
          const diagnostic = new vscode.Diagnostic(range(problem.place.span), problem.message, vscode.DiagnosticSeverity.Error);
          diagnostic.source = `nomad (${profile.name}, plan)`;
          diagnostic.code = FAILURE_CODES.placement;
          problems.push({ place: problem.place, diagnostic, jobId: plan.jobId, namespace: singleNamespace(profile.nomad.namespace) });
        }
      }
      if (problems.length === 0) continue;
      shown.add(jobspec.key);
      this.problems.set(jobspec.key, problems);
      this.collection.set(jobspec.uri, problems.map((problem) => problem.diagnostic));
    }
    // What stood before and no longer does is cleared.
    for (const key of [...this.problems.keys()]) {
      if (shown.has(key)) continue;
      this.problems.delete(key);
      this.collection.delete(vscode.Uri.parse(key));
    }
  }

  /** A job's Problems on the cluster as they stand: where each is, what it says, the allocations that reported it. */
  problemsOf(jobId: string, namespace: string): { uri: vscode.Uri; line: number; message: string; allocationIds: string[] }[] {
    const found = [];
    for (const [key, problems] of this.problems) {
      for (const problem of problems) {
        if (problem.jobId !== jobId || problem.namespace !== namespace || !problem.fact || !('allocationIds' in problem.fact)) continue;
        found.push({ uri: vscode.Uri.parse(key), line: problem.diagnostic.range.start.line, message: problem.diagnostic.message, allocationIds: problem.fact.allocationIds });
      }
    }
    return found;
  }

  /**
   * On a cluster Problem: raise `memory` for an OOM kill (half as much again: the task's usage cannot be read
   * once it was killed), and show the allocation or evaluation that reported it in the Nomad view.
   */
  provideCodeActions(document: vscode.TextDocument, rangeAsked: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const { fact, place, diagnostic, jobId, namespace } of this.problems.get(document.uri.toString()) ?? []) {
      if (!diagnostic.range.intersection(rangeAsked)) continue;
      if (fact?.kind === 'oom' && place.found === 'attribute' && place.valueSpan && /^\d+$/.test(place.value ?? '')) {
        const raised = raisedMemory(Number(place.value));
        const action = new vscode.CodeAction(`Raise memory to ${raised} MB (task "${fact.task}" was OOM-killed)`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, range(place.valueSpan), String(raised));
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
      if (fact && 'allocationIds' in fact && fact.allocationIds.length > 0) {
        const allocationId = fact.allocationIds[0]!;
        const action = new vscode.CodeAction(`Show allocation ${allocationId.slice(0, 8)} in the Nomad view`, vscode.CodeActionKind.QuickFix);
        action.command = { command: 'hashistack.revealAllocation', title: action.title, arguments: [{ linkedAllocation: allocationId }] };
        action.diagnostics = [diagnostic];
        actions.push(action);
      }
      if (fact?.kind === 'placement') {
        const action = new vscode.CodeAction(`Show evaluation ${fact.evaluationId.slice(0, 8)} in the Nomad view`, vscode.CodeActionKind.QuickFix);
        action.command = { command: 'hashistack.revealEvaluation', title: action.title, arguments: [{ evaluation: { id: fact.evaluationId, jobId, namespace } }] };
        action.diagnostics = [diagnostic];
        actions.push(action);
      }
    }
    return actions;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const key of [...this.closed.keys()]) this.forgetClosed(key);
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}

function range(span: Span): vscode.Range {
  return new vscode.Range(span.startLine, span.startCharacter, span.endLine, span.endCharacter);
}
