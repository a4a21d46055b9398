import * as vscode from 'vscode';
import type { PlanPresenter } from '../services/jobDeploys';
import type { PlanContext } from '../core/deploy/planDocument';

export const PLAN_SCHEME = 'hashistack-plan';

/** Plans kept for their documents: enough for the plans of one session's jobs, the oldest dropped first. */
const MAX_KEPT_PLANS = 50;

interface KeptPlan {
  text: string;
  /** The jobspec the plan was made from: its positions (`file:line:column`) link there. */
  source?: vscode.Uri;
  /** The `file` as the document writes it in positions. */
  sourceLabel: string;
}

/**
 * Plans as read-only Markdown documents (`hashistack-plan:` URIs): opened beside the jobspec, made again
 * in place when the same job is planned again, and with every `file:line:column` linked to the jobspec.
 */
export class PlanDocuments implements PlanPresenter, vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly plans = new Map<string, KeptPlan>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable[];

  constructor() {
    this.registrations = [vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, this), vscode.languages.registerDocumentLinkProvider({ scheme: PLAN_SCHEME }, this)];
  }

  /** The document URI of a job's plan on a cluster: one per job and cluster, so planning again updates it. */
  static uriFor(profileName: string, namespace: string, jobId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${encodeURIComponent(profileName)}/${encodeURIComponent(namespace)}/Plan of ${jobId.replace(/[/\\]/g, '_')}.md` });
  }

  /** The document URI of a version's diff to the one before. */
  static versionUri(profileName: string, namespace: string, jobId: string, version: number): vscode.Uri {
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${encodeURIComponent(profileName)}/${encodeURIComponent(namespace)}/${jobId.replace(/[/\\]/g, '_')} v${version}.md` });
  }

  /** Shows `text` as the document `uri`, beside the active editor, and returns it. */
  /** A plan of a job, under a name that says which cluster, namespace and job it is of. */
  showPlan(context: PlanContext, text: string, jobspec: vscode.Uri): Promise<vscode.TextDocument> {
    return this.show(PlanDocuments.uriFor(context.profileName, context.namespace, context.jobId), text, jobspec, context.file);
  }

  async show(uri: vscode.Uri, text: string, source?: vscode.Uri, sourceLabel = ''): Promise<vscode.TextDocument> {
    this.plans.delete(uri.toString());
    this.plans.set(uri.toString(), { text, source, sourceLabel });
    while (this.plans.size > MAX_KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
    return document;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.plans.get(uri.toString())?.text ?? 'This plan is no longer kept: run Plan again.\n';
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
    for (const registration of this.registrations) registration.dispose();
  }
}
