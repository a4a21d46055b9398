import * as vscode from 'vscode';
import { FollowState, FollowTarget, followHeadline, followOutcome, followRollout, groupProgressWords } from '../core/deploy/rolloutFollow';
import { itemNamespace, jobEvaluations } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from './clusterStoreHost';

/** The longest a rollout is followed; past it the follow says so and stops (the deployment goes on). */
const FOLLOW_LIMIT_MS = 30 * 60_000;
/** After `nomad job run` exits 0, how long the store may take to show the new version before the follow gives up. */
const AFTER_EXIT_GRACE_MS = 20_000;
const RESTORE_RUNNING_TAG = 'Restore the Running Tag';
const ROLLOUT_TIMELINE = 'Rollout Timeline';
/** How long the status-bar item keeps showing how a rollout ended. */
const OUTCOME_SHOWN_MS = 15_000;

/** `nomad job run`'s exit codes in words (command/monitor.go). */
export function runExitWords(code: number | undefined): string {
  switch (code) {
    case 0:
      return 'nomad job run exited 0: submitted, and the deployment (if any) succeeded';
    case 1:
      return 'nomad job run exited 1: the deployment failed, or Nomad refused the job (with -check-index, "Job not updated" means it changed since the plan)';
    case 2:
      return 'nomad job run exited 2: the scheduler could not place some allocations';
    case 127:
      return 'the deploy program was not found (exit code 127)';
    case undefined:
      return 'the deploy task ended';
    default:
      return `the deploy command exited ${code}`;
  }
}

/** How a follow ended, for whoever listens (and the tests). */
export interface FollowEnd {
  jobId: string;
  namespace: string;
  state: FollowState;
  message: string;
}

interface Follow {
  key: string;
  target: FollowTarget;
  profileName: string;
  /** The version that ran before the deploy: what Revert goes back to. */
  previousVersion?: number;
  execution?: vscode.TaskExecution;
  exitCode?: number;
  state: FollowState;
  started: number;
  promotionOffered: boolean;
  demand: vscode.Disposable;
  progress?: vscode.Progress<{ message?: string; increment?: number }>;
  reported: number;
  finish: () => void;
  timers: NodeJS.Timeout[];
}

/**
 * Follows a deploy to its end from the cluster store: a progress notification and a status-bar item with
 * each group's placed / healthy / unhealthy / desired and canaries, an offer to promote canaries that wait,
 * and the outcome in words — successful, failed with the failing allocations' reasons (and Revert), or
 * rolled back by auto_revert. It reads the store only; the deploy itself runs in the terminal.
 */
export class RolloutFollower implements vscode.Disposable {
  private readonly follows = new Map<string, Follow>();
  private readonly item = vscode.window.createStatusBarItem('hashistack.rollout', vscode.StatusBarAlignment.Left, 49);
  private readonly ended = new vscode.EventEmitter<FollowEnd>();
  /** Every follow's end, in words. */
  readonly onDidEnd = this.ended.event;
  private readonly subscriptions: vscode.Disposable[];
  private outcomeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly log: vscode.LogOutputChannel,
    private readonly openAllocation: (allocationId: string) => Thenable<unknown>,
  ) {
    this.item.name = 'Hashistack Rollout';
    this.subscriptions = [
      host.onDidChange((change) => {
        if (change.section === 'nomad') for (const follow of this.follows.values()) this.update(follow);
      }),
      // A follow belongs to the cluster it started on: another cluster's job with the same ID is not its version.
      host.onWillReplaceStore(({ profileName }) => {
        for (const follow of [...this.follows.values()]) {
          this.end(follow, `${follow.target.jobId} on "${follow.profileName}": no longer followed here: the cluster profile "${profileName}" was switched away from, or its token changed (see the Nomad view of that cluster).`, true, true);
        }
      }),
      vscode.tasks.onDidEndTaskProcess((event) => {
        for (const follow of this.follows.values()) {
          if (follow.execution && event.execution === follow.execution) this.taskEnded(follow, event.exitCode);
        }
      }),
    ];
  }

  /** Where a followed rollout of this job is, while it is followed. */
  state(jobId: string, namespace: string): FollowState | undefined {
    return this.follows.get(`${namespace}\u0000${jobId}`)?.state;
  }

  /** Follows the next version of a job: from its submission (by `execution`, or by someone else) to its end. */
  follow(target: FollowTarget, execution?: vscode.TaskExecution): void {
    const key = `${target.namespace}\u0000${target.jobId}`;
    this.follows.get(key)?.finish();
    const data = this.host.store?.nomad.state.data;
    const stub = data?.jobs.find((job) => job.ID === target.jobId && itemNamespace(job.Namespace, data.namespace) === target.namespace);
    const follow: Follow = {
      key,
      target: { ...target },
      profileName: this.host.activeProfile.name,
      previousVersion: stub?.Version,
      execution,
      state: { phase: 'waiting', ended: false, groups: [], awaitingPromotion: false, failingAllocations: [], placementFailures: [] },
      started: Date.now(),
      promotionOffered: false,
      demand: this.host.need(['nomad']),
      reported: 0,
      finish: () => undefined,
      timers: [],
    };
    this.follows.set(key, follow);
    follow.timers.push(setTimeout(() => this.end(follow, `${target.jobId} on "${follow.profileName}": still rolling out after ${FOLLOW_LIMIT_MS / 60_000} minutes; no longer followed here (see the Nomad view).`), FOLLOW_LIMIT_MS));
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deploying ${target.jobId} (namespace ${target.namespace}) on "${follow.profileName}"`, cancellable: true }, (progress, token) => {
      follow.progress = progress;
      return new Promise<void>((resolve) => {
        // Ended before the notification came up (a refused deploy): nothing to show.
        if (this.follows.get(key) !== follow) {
          resolve();
          return;
        }
        const previous = follow.finish;
        follow.finish = () => {
          previous();
          resolve();
        };
        token.onCancellationRequested(() => this.end(follow, undefined));
        this.update(follow);
      });
    });
    this.log.info(`Following the rollout of ${target.jobId} (namespace ${target.namespace}) on "${follow.profileName}" from JobModifyIndex ${target.baselineJobModifyIndex ?? '(new job)'}`);
  }

  private update(follow: Follow): void {
    const nomad = this.host.store?.nomad;
    const snapshot = nomad?.state.data;
    if (!nomad || !snapshot || !this.follows.has(follow.key)) return;
    const definition = nomad.jobDefinition(follow.target.namespace, follow.target.jobId);
    const state = followRollout(follow.target, { snapshot, definition, evaluations: jobEvaluations(snapshot, follow.target.jobId, follow.target.namespace), previous: follow.state });
    if (state.version !== undefined && follow.target.version === undefined) follow.target.version = state.version;
    follow.state = state;
    const headline = `${follow.target.jobId}: ${followHeadline(state)}`;
    const groups = state.groups.map(groupProgressWords);
    const desired = state.groups.reduce((sum, group) => sum + group.desired, 0);
    const healthy = state.groups.reduce((sum, group) => sum + group.healthy, 0);
    const percent = desired > 0 ? Math.min(100, Math.round((healthy / desired) * 100)) : 0;
    follow.progress?.report({ message: [followHeadline(state), ...groups].join(' — '), increment: Math.max(0, percent - follow.reported) });
    follow.reported = Math.max(follow.reported, percent);
    this.showItem(`$(sync~spin) ${headline}`, [`Rollout of ${follow.target.jobId} on "${follow.profileName}"`, ...groups, state.description ?? ''].filter(Boolean).join('\n'));
    if (state.awaitingPromotion && !follow.promotionOffered && state.deploymentId) {
      follow.promotionOffered = true;
      const deployment = { id: state.deploymentId, jobId: follow.target.jobId, namespace: follow.target.namespace };
      void vscode.window.showInformationMessage(`${follow.target.jobId} job version ${state.version ?? '?'} on "${follow.profileName}": the canaries are healthy and wait for promotion.`, 'Promote Canaries', 'Fail Deployment').then((choice) => {
        if (choice === 'Promote Canaries') void vscode.commands.executeCommand('hashistack.promoteDeployment', { deployment });
        if (choice === 'Fail Deployment') void vscode.commands.executeCommand('hashistack.failDeployment', { deployment });
      });
    }
    if (!state.awaitingPromotion) follow.promotionOffered = false;
    if (state.ended) this.end(follow, followOutcome(state, follow.target.jobId, follow.profileName));
  }

  private taskEnded(follow: Follow, exitCode: number | undefined): void {
    follow.exitCode = exitCode;
    this.log.info(`Deploy of ${follow.target.jobId} on "${follow.profileName}": ${runExitWords(exitCode)}`);
    if (follow.state.version !== undefined) return;
    if (exitCode !== 0) {
      this.end(follow, `${follow.target.jobId} on "${follow.profileName}" was not deployed: ${runExitWords(exitCode)}. See the terminal.`, true);
      return;
    }
    follow.timers.push(
      setTimeout(() => {
        if (this.follows.get(follow.key) === follow && follow.state.version === undefined) {
          this.end(follow, `${follow.target.jobId} on "${follow.profileName}": nomad job run succeeded, but no new version of the job appeared (the file may match what runs).`);
        }
      }, AFTER_EXIT_GRACE_MS),
    );
  }

  /** Ends a follow; `message` undefined means the user stopped following. */
  private end(follow: Follow, message: string | undefined, failed = false, leftCluster = false): void {
    if (this.follows.get(follow.key) !== follow) return;
    this.follows.delete(follow.key);
    follow.demand.dispose();
    follow.timers.forEach((timer) => clearTimeout(timer));
    follow.finish();
    const state = follow.state;
    if (message === undefined) {
      this.item.hide();
      return;
    }
    const withExit = follow.exitCode !== undefined && follow.exitCode !== 0 && !failed && state.phase !== 'failed' ? `${message} (${runExitWords(follow.exitCode)})` : message;
    this.log.info(`Rollout: ${withExit}`);
    this.ended.fire({ jobId: follow.target.jobId, namespace: follow.target.namespace, state, message: withExit });
    if (leftCluster) {
      // No outcome is known, and no action may be offered: they would go to the cluster now active.
      this.showItem(`$(debug-disconnect) ${follow.target.jobId}: not followed`, withExit);
      clearTimeout(this.outcomeTimer);
      this.outcomeTimer = setTimeout(() => this.item.hide(), OUTCOME_SHOWN_MS);
      void vscode.window.showWarningMessage(`Hashistack: ${withExit}`);
      return;
    }
    const good = state.phase === 'successful';
    this.showItem(`${good ? '$(pass)' : '$(error)'} ${follow.target.jobId}: ${followHeadline(state)}`, withExit, !good);
    clearTimeout(this.outcomeTimer);
    this.outcomeTimer = setTimeout(() => this.item.hide(), OUTCOME_SHOWN_MS);
    if (good) {
      void vscode.window.showInformationMessage(`Hashistack: ${withExit}`);
      return;
    }
    const actions: string[] = [];
    const failing = state.failingAllocations[0];
    if (failing) actions.push('Open Allocation', 'Show Logs');
    const revertTo = state.rolledBackTo === undefined && follow.previousVersion !== undefined && state.version !== undefined && state.version !== follow.previousVersion ? follow.previousVersion : undefined;
    if (revertTo !== undefined) actions.push(`Revert to job version ${revertTo}`);
    // The file still has the tag that failed: offer to put back the one that runs.
    if (follow.target.file && state.phase === 'failed') actions.push(RESTORE_RUNNING_TAG);
    if (state.deploymentId) actions.push(ROLLOUT_TIMELINE);
    void vscode.window.showErrorMessage(`Hashistack: ${withExit}`, ...actions).then((choice) => {
      if (choice === 'Open Allocation' && failing) void this.openAllocation(failing.id);
      if (choice === 'Show Logs' && failing) {
        const stub = this.host.store?.nomad.state.data?.allocations.find((allocation) => allocation.ID === failing.id);
        void vscode.commands.executeCommand('hashistack.showLogs', { allocation: { id: failing.id, jobId: follow.target.jobId, namespace: follow.target.namespace, group: stub?.TaskGroup ?? '', running: false } }, 'stderr');
      }
      if (choice === ROLLOUT_TIMELINE && state.deploymentId) void vscode.commands.executeCommand('hashistack.openRolloutTimeline', { deployment: { id: state.deploymentId, jobId: follow.target.jobId, namespace: follow.target.namespace } });
      if (choice === RESTORE_RUNNING_TAG) void vscode.commands.executeCommand('hashistack.restoreRunningTag', { file: follow.target.file, jobId: follow.target.jobId, namespace: follow.target.namespace });
      if (choice?.startsWith('Revert') && revertTo !== undefined) {
        void vscode.commands.executeCommand('hashistack.revertJob', { job: { id: follow.target.jobId, namespace: follow.target.namespace }, version: revertTo, priorVersion: state.version });
      }
    });
  }

  private showItem(text: string, tooltip: string, error = false): void {
    clearTimeout(this.outcomeTimer);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = 'hashistack.nomad.focus';
    this.item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const follow of [...this.follows.values()]) this.end(follow, undefined);
    clearTimeout(this.outcomeTimer);
    this.item.dispose();
    this.ended.dispose();
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
