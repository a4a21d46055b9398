import * as vscode from 'vscode';
import { refuseLacking } from '../commands/nomadActions';
import { planJobspec, PlanOutcome } from '../core/deploy/jobPlan';
import { PlanContext, planSummary, renderParseErrorDocument, renderPlanDocument } from '../core/deploy/planDocument';
import { itemNamespace, singleNamespace } from '../core/tree/nomad/nomadProperties';
import { NomadAllocMetric } from '../core/nomad/nomadApi';
import { ClusterStoreHost } from './clusterStoreHost';
import { JobspecIndex } from './jobspecIndex';
import { DeployRunner } from './deployRunner';
import { RolloutFollower } from './rolloutFollower';
import { markWalkthroughStep } from './walkthroughProgress';

/**
 * Where a plan is shown: a read-only document beside the jobspec (views/planDocuments.ts implements it; the
 * service names only what it needs, so that services never import views).
 */
export interface PlanPresenter {
  showPlan(context: PlanContext, text: string, jobspec: vscode.Uri): Promise<vscode.TextDocument>;
}

/** Where a plan's failed placements are shown on the jobspec (views/clusterFailureDiagnostics.ts). */
export interface PlacementReporter {
  /** The plan of `jobId` in `uri` just made; `failed` empty or null: nothing fails to place. */
  showPlacement(uri: vscode.Uri, jobId: string, profileName: string, failed: Record<string, NomadAllocMetric> | null, jobModifyIndex: number): void;
}

export interface PlannedJob {
  outcome: PlanOutcome;
  context: PlanContext;
}

/**
 * The deploy loop of a Nomad job: Plan (the cluster's plan of the file, as a document), Deploy (the plan's
 * summary in a confirmation, then `nomad job run -check-index` in the terminal) and the rollout followed
 * to its end.
 */
export class JobDeploys {
  constructor(
    private readonly runner: DeployRunner,
    private readonly host: ClusterStoreHost,
    private readonly plans: PlanPresenter,
    private readonly follower: RolloutFollower,
    private readonly log: vscode.LogOutputChannel,
    private readonly index: JobspecIndex,
    private readonly placement?: PlacementReporter,
  ) {}

  /** The cluster's plan of the jobspec's text as it is in the editor (saved or not). */
  async plan(uri: vscode.Uri, jobId: string): Promise<PlannedJob | undefined> {
    const profile = this.host.activeProfile;
    if (profile.nomad.problem) {
      void vscode.window.showErrorMessage(`Hashistack: cannot plan: ${profile.nomad.problem}`);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const store = await this.host.ready();
    // A plan that succeeds says the namespace for sure (Nomad's parse); one that fails still names the file's.
    const context: PlanContext = { jobId, profileName: profile.name, namespace: await this.jobNamespace(document, jobId), file: vscode.workspace.asRelativePath(uri), at: Date.now() };
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Planning ${jobId} on "${profile.name}"…` }, () => planJobspec(store.nomad.api, document.getText(), jobId, profile.nomad.namespace));
    if (outcome.kind === 'plan') {
      context.namespace = outcome.namespace;
      this.placement?.showPlacement(uri, jobId, profile.name, outcome.plan.FailedTGAllocs, outcome.plan.JobModifyIndex);
    }
    this.log.info(`Plan of ${jobId} on "${profile.name}": ${outcome.kind === 'plan' ? planSummary(outcome.plan, jobId, profile.name) : outcome.kind === 'parseError' ? `Nomad could not parse the file: ${outcome.message}` : outcome.error.message}`);
    return { outcome, context };
  }

  /** Where the file's job really goes: its own `namespace`, when the file names one, else the profile's. */
  private async jobNamespace(document: vscode.TextDocument, jobId: string): Promise<string> {
    const scanned = await this.index.scan(document);
    const own = scanned?.kind === 'jobspec' ? scanned.scan.jobs.find((job) => job.id === jobId)?.namespace : undefined;
    return own ?? singleNamespace(this.host.activeProfile.nomad.namespace);
  }

  /** Whether the token may do `action` for the file's job in its namespace; says so when not. */
  private async refused(uri: vscode.Uri, jobId: string, action: 'plan' | 'deploy', what: string): Promise<boolean> {
    return refuseLacking(this.host, what, { action, namespace: await this.jobNamespace(await vscode.workspace.openTextDocument(uri), jobId) });
  }

  /** Plan: the plan as a document beside the jobspec (or Nomad's parse error, linked to its position). */
  async showPlan(uri: vscode.Uri, jobId: string): Promise<vscode.TextDocument | undefined> {
    if (await this.refused(uri, jobId, 'plan', `Plan ${jobId}`)) return undefined;
    const planned = await this.plan(uri, jobId);
    if (!planned) return undefined;
    return this.showPlanned(uri, planned);
  }

  private async showPlanned(uri: vscode.Uri, { outcome, context }: PlannedJob): Promise<vscode.TextDocument | undefined> {
    if (outcome.kind === 'error') {
      void vscode.window.showErrorMessage(`Hashistack: the plan of ${context.jobId} on "${context.profileName}" could not be made: ${outcome.error.message}`);
      return undefined;
    }
    const text = outcome.kind === 'plan' ? renderPlanDocument(outcome.plan, context) : renderParseErrorDocument(outcome.message, context);
    markWalkthroughStep('planned');
    return this.plans.showPlan(context, text, uri);
  }

  /** Deploy: plan, confirm (unless hashistack.deploy.confirm is off), run what was planned, follow it. */
  async deploy(uri: vscode.Uri, jobId: string): Promise<vscode.TaskExecution | undefined> {
    const target = { kind: 'nomadJob' as const, file: uri.fsPath, jobId };
    // The runner refuses (and says why) in Restricted Mode or with a broken profile: nothing is planned then either.
    if (!vscode.workspace.isTrusted || this.host.activeProfile.nomad.problem) return this.runner.run(target, 'deploy');
    if (await this.refused(uri, jobId, 'deploy', `Deploy ${jobId}`)) return undefined;
    // The plan is of the editor's text; the runner saves that same text before it runs.
    const planned = await this.plan(uri, jobId);
    if (!planned) return undefined;
    const { outcome, context } = planned;
    const confirm = vscode.workspace.getConfiguration('hashistack.deploy').get<boolean>('confirm', true);
    for (;;) {
      if (!confirm) break;
      const where = `Deploy ${jobId} to "${context.profileName}" (namespace ${context.namespace})?`;
      const detail =
        outcome.kind === 'plan'
          ? `${planSummary(outcome.plan, jobId, context.profileName)}.\n\nRuns nomad job run -check-index ${outcome.plan.JobModifyIndex}: Nomad refuses the run if the job changed since this plan.`
          : `The plan could not be made: ${outcome.kind === 'parseError' ? `Nomad could not parse the file: ${outcome.message}` : outcome.error.message}\n\nDeploying anyway runs nomad job run without -check-index.`;
      const deployLabel = outcome.kind === 'plan' ? 'Deploy' : 'Deploy Anyway';
      const choices = outcome.kind === 'error' ? [deployLabel] : [deployLabel, 'Show Plan'];
      const choice = await vscode.window.showWarningMessage(where, { modal: true, detail }, ...choices);
      if (choice === 'Show Plan') {
        await this.showPlanned(uri, planned);
        continue;
      }
      if (choice !== deployLabel) return undefined;
      break;
    }
    const checkIndex = outcome.kind === 'plan' ? outcome.plan.JobModifyIndex : undefined;
    const namespace = outcome.kind === 'plan' ? outcome.namespace : context.namespace;
    const execution = await this.runner.run(target, 'deploy', { checkIndex, namespace });
    if (!execution) return undefined;
    markWalkthroughStep('deployed');
    this.follower.follow({ jobId, namespace, baselineJobModifyIndex: checkIndex ?? this.runningIndex(jobId, namespace), file: uri.toString() }, execution);
    return execution;
  }

  /** The job's JobModifyIndex as the store last saw it (the follow's baseline when no plan gave one). */
  private runningIndex(jobId: string, namespace: string): number | undefined {
    const data = this.host.store?.nomad.state.data;
    return data?.jobs.find((job) => job.ID === jobId && itemNamespace(job.Namespace, data.namespace) === namespace)?.JobModifyIndex;
  }

  /** Plan in Terminal: `nomad job plan` in a task (its exit code 1 is "changes", not a failure). */
  async planInTerminal(uri: vscode.Uri, jobId: string): Promise<vscode.TaskExecution | undefined> {
    if (vscode.workspace.isTrusted && (await this.refused(uri, jobId, 'plan', `Plan ${jobId}`))) return undefined;
    return this.runner.run({ kind: 'nomadJob', file: uri.fsPath, jobId }, 'plan');
  }
}
