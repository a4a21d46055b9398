import * as vscode from 'vscode';
import { CauseLine, DeploymentChange, renderRolloutTimeline } from '../core/deploy/rolloutTimeline';
import { TaskStateCache } from '../core/nomad/taskStateCache';
import { itemNamespace } from '../core/tree/nomad/nomadProperties';
import type { ClusterStoreHost } from '../services/clusterStoreHost';
import type { ClusterFailureDiagnostics } from './clusterFailureDiagnostics';

export const TIMELINE_SCHEME = 'hashistack-timeline';

/** Timelines kept current at once: the oldest is dropped (its document then says to open it again). */
const MAX_TIMELINES = 10;
/** A burst of the store's changes (a rollout step moves several allocations) redraws a timeline once. */
const TIMELINE_DEBOUNCE_MS = 300;

interface Timeline {
  profileName: string;
  deploymentId: string;
  jobId: string;
  namespace: string;
  changes: DeploymentChange[];
  promoted: Set<string>;
  taskStates: TaskStateCache;
  text: string;
}

export interface DeploymentTarget {
  id: string;
  jobId: string;
  namespace: string;
}

/**
 * Rollout Timeline: a deployment as a Markdown document (`hashistack-timeline:`), rendered in the preview
 * beside the editor — a lane per allocation of its version with its task events over time, canaries, health,
 * the deployment's status changes and promotion as seen, and the cause of a failure first, linked to the
 * jobspec line the cluster's Problems put it on. Kept current from the store while it is open: the
 * allocations' task states are read when an allocation changes, never on a timer.
 */
export class RolloutTimelines implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly timelines = new Map<string, Timeline>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly failures: ClusterFailureDiagnostics,
  ) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(TIMELINE_SCHEME, this),
      host.onDidChange((change) => {
        if (change.section !== 'nomad' || this.timelines.size === 0) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refreshAll(), TIMELINE_DEBOUNCE_MS);
      }),
      // Another cluster's store: its timelines say so and stop (nothing of one cluster is read from another).
      host.onWillReplaceStore(() => {
        for (const [key, timeline] of this.timelines) {
          timeline.text = `# Rollout of ${timeline.jobId}\n\nThis timeline was of cluster "${timeline.profileName}", which is no longer the active one. Open it again from the deployment's row.\n`;
          this.changed.fire(vscode.Uri.parse(key));
        }
        this.timelines.clear();
      }),
      this.changed,
    ];
  }

  static uriFor(profileName: string, deployment: DeploymentTarget): vscode.Uri {
    return vscode.Uri.from({ scheme: TIMELINE_SCHEME, path: `/${encodeURIComponent(profileName)}/${encodeURIComponent(deployment.namespace)}/Rollout of ${deployment.jobId.replace(/[/\\]/g, '_')} ${deployment.id.slice(0, 8)}.md` });
  }

  /** Opens a deployment's timeline rendered beside the editor; returns its document. */
  async open(deployment: DeploymentTarget): Promise<vscode.TextDocument> {
    const profileName = this.host.activeProfile.name;
    const uri = RolloutTimelines.uriFor(profileName, deployment);
    const key = uri.toString();
    if (!this.timelines.has(key)) {
      this.timelines.set(key, { profileName, deploymentId: deployment.id, jobId: deployment.jobId, namespace: deployment.namespace, changes: [], promoted: new Set(), taskStates: new TaskStateCache(), text: '' });
      while (this.timelines.size > MAX_TIMELINES) this.timelines.delete(this.timelines.keys().next().value!);
    }
    await this.refresh(key);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return document;
  }

  /** A timeline's text as it is now (for the tests). */
  textOf(uri: vscode.Uri): string | undefined {
    return this.timelines.get(uri.toString())?.text;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.timelines.get(uri.toString())?.text || '# Rollout timeline\n\nThis timeline is no longer kept: open it again from the deployment\'s row in the Nomad view.\n';
  }

  private async refreshAll(): Promise<void> {
    for (const key of [...this.timelines.keys()]) await this.refresh(key);
  }

  private async refresh(key: string): Promise<void> {
    const timeline = this.timelines.get(key);
    const store = this.host.store;
    const data = store?.nomad.state.data;
    if (!timeline || !store || !data || timeline.profileName !== this.host.activeProfile.name) return;
    const deployment = data.deployments.find((candidate) => candidate.ID === timeline.deploymentId);
    if (!deployment) {
      if (!timeline.text) timeline.text = `# Rollout of ${timeline.jobId}\n\nDeployment ${timeline.deploymentId} is not in the Nomad section (it may have been garbage-collected).\n`;
      return;
    }
    const now = Date.now();
    const last = timeline.changes.at(-1);
    if (!last || last.status !== deployment.Status || last.description !== deployment.StatusDescription) {
      const promoted = Object.entries(deployment.TaskGroups ?? {}).filter(([group, state]) => state.Promoted && !timeline.promoted.has(group)).map(([group]) => group);
      promoted.forEach((group) => timeline.promoted.add(group));
      timeline.changes.push({ at: now, status: deployment.Status, description: deployment.StatusDescription, ...(promoted.length && last ? { promoted } : {}) });
    }
    // The deployment's allocations: of its version, placed or updated in place since it was created (the list
    // stubs carry no DeploymentID).
    const ofVersion = data.allocations.filter((allocation) => allocation.JobID === timeline.jobId && itemNamespace(allocation.Namespace, data.namespace) === timeline.namespace && allocation.JobVersion === deployment.JobVersion && allocation.ModifyIndex >= deployment.CreateIndex);
    const states = await timeline.taskStates.statesOf(ofVersion, (allocationId) => store.nomad.allocation(allocationId), () => this.host.store === store);
    if (!states) return;
    const allocations = ofVersion.map((allocation) => ({ allocation, taskStates: states.get(allocation.ID) }));
    const causes: CauseLine[] = this.failures.problemsOf(timeline.jobId, timeline.namespace).map((problem) => ({
      allocationIds: problem.allocationIds,
      message: problem.message,
      label: `${problem.uri.path.split('/').pop()}:${problem.line + 1}`,
      target: problem.uri.with({ fragment: `L${problem.line + 1}` }).toString(),
    }));
    const definition = store.nomad.jobDefinition(timeline.namespace, timeline.jobId);
    const text = renderRolloutTimeline({ deployment, allocations, changes: timeline.changes, causes, definition, profileName: timeline.profileName });
    if (text === timeline.text) return;
    timeline.text = text;
    this.changed.fire(vscode.Uri.parse(key));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
