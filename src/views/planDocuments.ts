import * as vscode from 'vscode';
import type { PlanPresenter } from '../services/jobDeploys';
import { code, type PlanContext } from '../core/deploy/planDocument';
import { itemNamespace } from '../core/tree/nomad/nomadProperties';
import type { ClusterStoreHost } from '../services/clusterStoreHost';

export const PLAN_SCHEME = 'hashistack-plan';

/** Plans kept for their documents: enough for the plans of one session's jobs, the oldest dropped first. */
const MAX_KEPT_PLANS = 50;

interface KeptPlan {
  text: string;
  /** The jobspec the plan was made from: its positions (`file:line:column`) link there. */
  source?: vscode.Uri;
  /** The `file` as the document writes it in positions. */
  sourceLabel: string;
  /** A plan of a job (not a version's diff): what it was made of, to tell when it is out of date. */
  planned?: {
    context: PlanContext;
    /** The jobspec's text that was planned. */
    text: string;
    /** The job's JobModifyIndex on the cluster when the plan was made (undefined: the job did not exist). */
    jobModifyIndex?: number;
  };
  /** Why the plan no longer says what a plan would say now. */
  outdated?: string;
}

/**
 * Plans as read-only Markdown documents (`hashistack-plan:` URIs), shown rendered in the Markdown preview
 * beside the jobspec (the source stays a document: Open Source, links, the tests); made again in place when
 * the same job is planned again; every `file:line:column` a link to the jobspec. A plan says when it was
 * made, and once the file or the job changes after that, it says it is out of date and offers Plan Again.
 */
export class PlanDocuments implements PlanPresenter, vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly plans = new Map<string, KeptPlan>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly host: ClusterStoreHost) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: PLAN_SCHEME }, this),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        for (const [key, plan] of this.plans) {
          if (plan.planned && !plan.outdated && plan.source?.toString() === event.document.uri.toString() && event.document.getText() !== plan.planned.text) {
            this.outdate(key, plan, `${plan.sourceLabel} changed`);
          }
        }
      }),
      host.onDidChange((change) => {
        if (change.section === 'nomad') this.checkJobs();
      }),
    ];
  }

  /** A plan whose job was registered again on its cluster since (a deploy, a revert, someone else) is out of date. */
  private checkJobs(): void {
    const data = this.host.store?.nomad.state.data;
    if (!data) return;
    for (const [key, plan] of this.plans) {
      const planned = plan.planned;
      if (!planned || plan.outdated || planned.context.profileName !== this.host.activeProfile.name) continue;
      const job = data.jobs.find((candidate) => candidate.ID === planned.context.jobId && itemNamespace(candidate.Namespace, data.namespace) === planned.context.namespace);
      if (job && (planned.jobModifyIndex === undefined || job.JobModifyIndex > planned.jobModifyIndex)) this.outdate(key, plan, `job "${planned.context.jobId}" changed on "${planned.context.profileName}" (now job version ${job.Version})`);
    }
  }

  private outdate(key: string, plan: KeptPlan, why: string): void {
    plan.outdated = why;
    const uri = vscode.Uri.parse(key);
    this.changed.fire(uri);
    const planned = plan.planned!;
    // Said once, while the plan is on screen: a plan nobody looks at does not interrupt.
    if (!this.isShown(uri)) return;
    void vscode.window.showInformationMessage(`Hashistack: the plan of ${planned.context.jobId} on "${planned.context.profileName}" is out of date: ${why} since it was made.`, PLAN_AGAIN).then((choice) => {
      if (choice === PLAN_AGAIN && plan.source) void vscode.commands.executeCommand('hashistack.planJob', { uri: plan.source.toString(), jobId: planned.context.jobId });
    });
  }

  /** Whether a plan's document or its preview has a tab. */
  private isShown(uri: vscode.Uri): boolean {
    return previewOpen(uri) || vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()));
  }

  /** Whether a plan says it is out of date, and why (for the tests). */
  outdatedReason(uri: vscode.Uri): string | undefined {
    return this.plans.get(uri.toString())?.outdated;
  }

  /** The document URI of a job's plan on a cluster: one per job and cluster, so planning again updates it. */
  static uriFor(profileName: string, namespace: string, jobId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${encodeURIComponent(profileName)}/${encodeURIComponent(namespace)}/Plan of ${jobId.replace(/[/\\]/g, '_')}.md` });
  }

  /** The document URI of a version's diff to the one before. */
  static versionUri(profileName: string, namespace: string, jobId: string, version: number): vscode.Uri {
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${encodeURIComponent(profileName)}/${encodeURIComponent(namespace)}/${jobId.replace(/[/\\]/g, '_')} v${version}.md` });
  }

  /** A plan of a job, under a name that says which cluster, namespace and job it is of. */
  async showPlan(context: PlanContext, text: string, jobspec: vscode.Uri): Promise<vscode.TextDocument> {
    const source = vscode.workspace.textDocuments.find((document) => document.uri.toString() === jobspec.toString());
    const data = this.host.store?.nomad.state.data;
    const job = data?.jobs.find((candidate) => candidate.ID === context.jobId && itemNamespace(candidate.Namespace, data.namespace) === context.namespace);
    const planned = source ? { context, text: source.getText(), jobModifyIndex: job?.JobModifyIndex } : undefined;
    return this.show(PlanDocuments.uriFor(context.profileName, context.namespace, context.jobId), text, jobspec, context.file, planned);
  }

  /** Shows `text` as the document `uri`, rendered in the Markdown preview beside the active editor, and returns its source. */
  async show(uri: vscode.Uri, text: string, source?: vscode.Uri, sourceLabel = '', planned?: KeptPlan['planned']): Promise<vscode.TextDocument> {
    this.plans.delete(uri.toString());
    this.plans.set(uri.toString(), { text, source, sourceLabel, planned });
    while (this.plans.size > MAX_KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    // A preview of this document that is open already follows the document's new text by itself.
    if (vscode.workspace.getConfiguration('hashistack').get<boolean>('plans.openRendered', true)) {
      if (!previewOpen(uri)) await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } else {
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
    }
    return document;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const plan = this.plans.get(uri.toString());
    if (!plan) return 'This plan is no longer kept: run Plan again.\n';
    const text = plan.source ? linkPositions(plan.text, plan.sourceLabel, plan.source) : plan.text;
    if (!plan.outdated || !plan.planned) return text;
    const made = new Date(plan.planned.context.at).toISOString().replace('T', ' ').slice(0, 19);
    // The banner goes under the title: the title stays the first line, what the document is.
    const [title, ...rest] = text.split('\n');
    return [title, '', `> **Out of date:** ${plan.outdated.replace(/[\\`*_[\]<>#|]/g, '\\$&')} since this plan was made (${made} UTC). Run **Plan** again for what the cluster would do now.`, ...rest].join('\n');
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const plan = this.plans.get(document.uri.toString());
    if (!plan?.source) return [];
    const source = plan.source;
    const links: vscode.DocumentLink[] = [];
    const text = document.getText();
    const label = plan.sourceLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // The document's own `file:line:column` positions, and Nomad's `input.hcl:line,column` in its message.
    const pattern = new RegExp(`(?:${label}:(\\d+):(\\d+))|(?:input\\.hcl:(\\d+),(\\d+)(?:-\\d+(?:,\\d+)?)?)`, 'g');
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const line = Number(match[1] ?? match[3]);
      const column = Number(match[2] ?? match[4]);
      const range = new vscode.Range(document.positionAt(match.index), document.positionAt(match.index + match[0].length));
      const link = new vscode.DocumentLink(range, source.with({ fragment: `L${line},${column}` }));
      link.tooltip = `Go to line ${line}, column ${column} of ${plan.sourceLabel}`;
      links.push(link);
    }
    return links;
  }

  dispose(): void {
    this.changed.dispose();
    this.plans.clear();
    for (const registration of this.registrations) registration.dispose();
  }
}

const PLAN_AGAIN = 'Plan Again';

/** Whether the Markdown preview of a document has a tab (found by the title VS Code gives it). */
function previewOpen(uri: vscode.Uri): boolean {
  const label = `Preview ${uri.path.split('/').pop()}`;
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === label));
}

/**
 * The document's `- file:line:column` lines (where Nomad's parse error points) as Markdown links to the
 * jobspec at that line, so that the rendered preview links there too (the source has its document links).
 */
function linkPositions(text: string, label: string, source: vscode.Uri): string {
  if (!label) return text;
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`^- (${escaped}):(\\d+):(\\d+)$`, 'gm'), (_whole, _file: string, line: string, column: string) => `- [${code(`${label}:${line}:${column}`)}](<${source.with({ fragment: `L${line},${column}` }).toString()}>)`);
}
