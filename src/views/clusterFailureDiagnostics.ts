import * as vscode from 'vscode';
import { FailureFact, failureFacts, failureMessage, raisedMemory, standingAllocations } from '../core/nomad/clusterFailures';
import { NomadTaskState } from '../core/nomad/nomadApi';
import { fileKind } from '../core/jobspec/jobspecDocument';
import { JobspecPlace, restartPlace, taskPlace } from '../core/jobspec/jobspecPlaces';
import type { Tree } from 'web-tree-sitter';
import { Span } from '../core/jobspec/jobspecOutline';
import { itemNamespace, singleNamespace } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import type { PlacementReporter } from '../services/jobDeploys';
import { NomadAllocMetric } from '../core/nomad/nomadApi';
import { placementProblems } from '../core/deploy/placementProblems';
import { JobspecIndex } from '../services/jobspecIndex';

/** The Problems are recomputed this long after the store's last change: a burst of events is one pass. */
const FAILURES_DEBOUNCE_MS = 500;
/** The Problems' codes, one per kind of failure. */
export const FAILURE_CODES: Record<FailureFact['kind'] | 'placement', string> = { oom: 'oom-killed', driver: 'driver-failure', restarts: 'restart-loop', placement: 'placement-failed' };

interface FailureProblem {
  fact?: FailureFact;
  place: JobspecPlace;
  diagnostic: vscode.Diagnostic;
}

/**
 * The cluster's failures of a job as Problems on the lines of its open jobspecs that govern them: a task
 * OOM-killed lands on its `memory` line (else `resources`, else the task), with a quick fix that raises it;
 * a driver failure (an image it could not pull) on the `image` line; a restart loop Nomad gave up on on the
 * `restart` block (the task's, else the group's, else the task).
 * From the store's allocations (their task states read when an allocation of the job's latest version
 * changes, never on a timer); cleared as soon as the failure no longer stands, and with the store.
 */
export class ClusterFailureDiagnostics implements vscode.CodeActionProvider, PlacementReporter, vscode.Disposable {
  /** The last plan of each jobspec's jobs, with its failed placements, while it still says what would happen. */
  private readonly plans = new Map<string, { jobId: string; profileName: string; failed: Record<string, NomadAllocMetric>; jobModifyIndex: number }[]>();
  private readonly collection = vscode.languages.createDiagnosticCollection('hashistack-cluster');
  private readonly problems = new Map<string, FailureProblem[]>();
  /** Task states read, by allocation, with the ModifyIndex they were read at. */
  private readonly taskStates = new Map<string, { modifyIndex: number; states: Record<string, NomadTaskState> | null }>();
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly index: JobspecIndex,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      this.collection,
      vscode.languages.registerCodeActionsProvider({ language: 'nomad' }, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      host.onDidChange((change) => {
        if (change.section === 'nomad') this.schedule();
      }),
      host.onWillReplaceStore(() => {
        this.plans.clear();
        this.collection.clear();
        this.problems.clear();
        this.taskStates.clear();
      }),
      vscode.workspace.onDidOpenTextDocument(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((event) => fileKind(event.document.uri.path) === 'jobspec' && this.schedule()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.collection.delete(document.uri);
        this.problems.delete(document.uri.toString());
        this.plans.delete(document.uri.toString());
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

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), FAILURES_DEBOUNCE_MS);
  }

  /** Recomputes every open jobspec's cluster Problems now (one pass at a time; a change meanwhile runs another). */
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

  private async compute(): Promise<void> {
    const store = this.host.store;
    const data = store?.nomad.state.data;
    this.lastPass = !store ? 'no store' : !data ? 'no Nomad data' : '';
    if (!store || !data) return;
    const profile = this.host.activeProfile;
    // Allocations the cluster no longer lists (collected, or another job's) leave the cache: it stays bounded.
    const listed = new Set(data.allocations.map((allocation) => allocation.ID));
    for (const id of this.taskStates.keys()) if (!listed.has(id)) this.taskStates.delete(id);
    for (const document of vscode.workspace.textDocuments) {
      if (fileKind(document.uri.path) !== 'jobspec' || document.isClosed) continue;
      const scanned = await this.index.scan(document);
      const syntax = await this.index.syntax(document);
      if (scanned?.kind !== 'jobspec' || !syntax) continue;
      const found: FailureProblem[] = [];
      for (const job of scanned.scan.jobs) {
        const namespace = job.namespace ?? singleNamespace(profile.nomad.namespace);
        const running = data.jobs.find((candidate) => candidate.ID === job.id && itemNamespace(candidate.Namespace, data.namespace) === namespace);
        const definition = running && store.nomad.jobDefinition(namespace, job.id);
        if (!definition) {
          this.lastPass += ` ${job.id}: ${running ? 'definition not read yet' : 'not on the cluster'};`;
          continue;
        }
        const standing = standingAllocations(definition, data.allocations.filter((allocation) => itemNamespace(allocation.Namespace, data.namespace) === namespace));
        this.lastPass += ` ${job.id} v${definition.Version}: ${standing.length} standing (${standing.map((allocation) => allocation.ClientStatus).join(',')});`;
        const states = new Map<string, Record<string, NomadTaskState> | null>();
        for (const allocation of standing) {
          let read = this.taskStates.get(allocation.ID);
          if (!read || read.modifyIndex !== allocation.ModifyIndex) {
            const full = await store.nomad.allocation(allocation.ID).catch(() => undefined);
            if (this.host.store !== store) return;
            read = { modifyIndex: allocation.ModifyIndex, states: full?.TaskStates ?? null };
            this.taskStates.set(allocation.ID, read);
          }
          states.set(allocation.ID, read.states);
        }
        for (const fact of failureFacts(definition, standing, states, Date.now())) {
          const place = placeOf(syntax.tree, job.id, fact);
          if (!place) continue;
          const diagnostic = new vscode.Diagnostic(range(place.span), failureMessage(fact), vscode.DiagnosticSeverity.Error);
          diagnostic.source = `nomad (${profile.name})`;
          diagnostic.code = FAILURE_CODES[fact.kind];
          found.push({ fact, place, diagnostic });
        }
      }
      // The last plan's failed placements, while the job on the cluster is still the one it was planned against.
      const plans = (this.plans.get(document.uri.toString()) ?? []).filter((plan) => {
        const running = data.jobs.find((candidate) => candidate.ID === plan.jobId);
        return plan.profileName === profile.name && (running?.JobModifyIndex ?? 0) <= plan.jobModifyIndex;
      });
      this.plans.set(document.uri.toString(), plans);
      for (const plan of plans) {
        for (const problem of placementProblems(syntax.tree, plan.jobId, plan.failed)) {
          const diagnostic = new vscode.Diagnostic(range(problem.place.span), problem.message, vscode.DiagnosticSeverity.Error);
          diagnostic.source = `nomad (${profile.name}, plan)`;
          diagnostic.code = FAILURE_CODES.placement;
          found.push({ place: problem.place, diagnostic });
        }
      }
      if (document.isClosed) continue;
      this.problems.set(document.uri.toString(), found);
      this.collection.set(document.uri, found.map((problem) => problem.diagnostic));
    }
  }

  /** The quick fix of an OOM on a `memory = N` line: half as much again (the task's usage cannot be read once it was killed). */
  provideCodeActions(document: vscode.TextDocument, rangeAsked: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const { fact, place, diagnostic } of this.problems.get(document.uri.toString()) ?? []) {
      if (fact?.kind !== 'oom' || !diagnostic.range.intersection(rangeAsked) || place.found !== 'attribute' || !place.valueSpan || !/^\d+$/.test(place.value ?? '')) continue;
      const raised = raisedMemory(Number(place.value));
      const action = new vscode.CodeAction(`Raise memory to ${raised} MB (task "${fact.task}" was OOM-killed)`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, range(place.valueSpan), String(raised));
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}

/** The line that governs a failure: memory for an OOM kill, the image for a driver failure, `restart` for a loop. */
function placeOf(tree: Tree, jobId: string, fact: FailureFact): JobspecPlace | undefined {
  switch (fact.kind) {
    case 'oom':
      return taskPlace(tree, jobId, fact.group, fact.task, 'resources', 'memory');
    case 'driver':
      return taskPlace(tree, jobId, fact.group, fact.task, 'config', 'image');
    case 'restarts':
      return restartPlace(tree, jobId, fact.group, fact.task);
  }
}

function range(span: Span): vscode.Range {
  return new vscode.Range(span.startLine, span.startCharacter, span.endLine, span.endCharacter);
}
