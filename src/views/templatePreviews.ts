// Render Template Preview: a jobspec's template rendered against the active cluster's data, as the allocation
// would render it (core/template/renderTemplate.ts says which functions), variables masked unless asked; and,
// when the job runs, the file its allocation really rendered beside the preview in a diff editor.
import * as vscode from 'vscode';
import { decodeKvValue } from '../core/consul/kv';
import { JobspecTemplate, jobspecTemplates, templateText } from '../core/jobspec/templateBlocks';
import { MASKED_VALUE } from '../core/nomad/variables';
import { ClusterStore } from '../core/store/clusterStore';
import { allocationPathOf } from '../core/template/allocationPaths';
import { RenderData, renderTemplate, RenderResult } from '../core/template/renderTemplate';
import { analyzeTemplate } from '../core/template/templateReferences';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { templateDataRead } from './templateLanguage';
import { JobspecIndex } from '../services/jobspecIndex';

export const TEMPLATE_PREVIEW_SCHEME = 'hashistack-template';

export class TemplatePreviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly index: JobspecIndex,
    private readonly host: ClusterStoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** The `position`-th template of a jobspec, rendered; returns what was rendered (for the tests). */
  async preview(document: vscode.TextDocument, position: number, reveal = false): Promise<{ result: RenderResult; uri: vscode.Uri } | undefined> {
    const template = await this.templateOf(document, position);
    if (!template) return undefined;
    const store = await this.host.ready();
    const result = await this.render(store, template, reveal);
    const uri = this.uriFor(template, reveal ? 'values shown' : 'values masked');
    this.show(uri, result.text);
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    const allocation = this.runningAllocation(store, template);
    const actions = [...(allocation ? [`Compare with Allocation ${allocation.slice(0, 8)}`] : []), ...(reveal ? [] : ['Show Values'])];
    const said = [result.blockedOn ? `It stops at ${result.blockedOn}, which the cluster does not have: the allocation waits there and the task does not start.` : '', ...result.notes].filter(Boolean).join(' ');
    void vscode.window.showInformationMessage(`Hashistack: ${template.destination ?? 'template'} of ${template.jobId}/${template.task} rendered on "${this.host.activeProfile.name}"${reveal ? '' : ', variables masked'}. ${said}`, ...actions).then((choice) => {
      if (choice === 'Show Values') void this.preview(document, position, true);
      else if (choice && allocation) void this.compare(document, position, allocation);
    });
    return { result, uri };
  }

  /**
   * The file the allocation rendered beside the preview (values shown on both sides: the file has them).
   * `rendered`: the file's text when the caller has read it already (through the allocation's file system).
   */
  async compare(document: vscode.TextDocument, position: number, allocationId: string, rendered?: string): Promise<vscode.Uri[] | undefined> {
    const template = await this.templateOf(document, position);
    if (!template?.destination) return undefined;
    const path = allocationPathOf(template.task, template.destination);
    if (!path) {
      void vscode.window.showWarningMessage(`Hashistack: ${template.destination} is not inside the allocation's directory: there is no file to compare.`);
      return undefined;
    }
    const store = await this.host.ready();
    if (rendered === undefined) {
      try {
        rendered = await store.nomad.api.allocationFile(allocationId, path);
      } catch (error) {
        void vscode.window.showErrorMessage(`Hashistack: reading ${path} of allocation ${allocationId.slice(0, 8)} failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    }
    const preview = await this.render(store, template, true);
    const left = vscode.Uri.from({ scheme: TEMPLATE_PREVIEW_SCHEME, path: `/${template.jobId}/allocation-${allocationId.slice(0, 8)}/${path}` });
    const right = this.uriFor(template, 'values shown');
    this.show(left, rendered);
    this.show(right, preview.text);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${template.destination}: allocation ${allocationId.slice(0, 8)} ↔ preview`);
    this.log.info(`Compared ${path} of allocation ${allocationId} with its preview: ${rendered === preview.text ? 'the same' : 'they differ'}`);
    return [left, right];
  }

  /** A running allocation of the template's job and group, from the store. */
  runningAllocation(store: ClusterStore, template: JobspecTemplate): string | undefined {
    return store.nomad.state.data?.allocations.find((allocation) => allocation.JobID === template.jobId && allocation.TaskGroup === template.group && allocation.ClientStatus === 'running' && (allocation.Namespace ?? 'default') === template.namespace)?.ID;
  }

  private async templateOf(document: vscode.TextDocument, position: number): Promise<JobspecTemplate | undefined> {
    return (await this.templatesOf(document))[position];
  }

  /** A jobspec's templates with their data, in the file's order (a template's position is its index here). */
  async templatesOf(document: vscode.TextDocument): Promise<JobspecTemplate[]> {
    const syntax = await this.index.syntax(document);
    return syntax ? jobspecTemplates(syntax.tree, syntax.text) : [];
  }

  private uriFor(template: JobspecTemplate, kind: string): vscode.Uri {
    const name = (template.destination ?? 'template').split('/').pop();
    return vscode.Uri.from({ scheme: TEMPLATE_PREVIEW_SCHEME, path: `/${template.jobId}/${template.group}/${template.task}/${name}`, query: kind });
  }

  private show(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  /** Renders with the store's held reads, holding what they lack (services, values under a prefix) for the render. */
  private async render(store: ClusterStore, template: JobspecTemplate, reveal: boolean): Promise<RenderResult> {
    const source = templateText(template);
    const references = analyzeTemplate(source).references;
    const holds: { dispose(): void; first: Promise<void> }[] = [];
    const prefixes = new Map<string, { key: string; value: string }[]>();
    try {
      for (const reference of references) {
        const read = templateDataRead(store, reference, template.namespace);
        if (read) holds.push(read.hold());
        if (reference.kind === 'service') holds.push(store.consul.watchInstances(reference.name));
        if (reference.kind === 'keyPrefix' && !prefixes.has(reference.prefix)) {
          const base = reference.prefix === '' || reference.prefix.endsWith('/') ? reference.prefix : `${reference.prefix}/`;
          const entries = await store.consul.api.kvEntriesUnder(base);
          prefixes.set(base, entries.map((entry) => ({ key: entry.Key, value: textOf(entry.Value) })));
        }
      }
      await Promise.all(holds.map((hold) => hold.first));
      const data: RenderData = {
        variable: (namespace, path) => store.nomad.variable(namespace, path)?.data?.Items ?? undefined,
        key: (key) => {
          const entry = store.consul.value(key)?.data;
          return entry ? textOf(entry.Value) : undefined;
        },
        keysUnder: (prefix) => prefixes.get(prefix) ?? [],
        service: (name, tag) =>
          (store.consul.instances(name)?.data ?? [])
            .filter((entry) => entry.Checks.every((check) => check.Status === 'passing') && (!tag || (entry.Service.Tags ?? []).includes(tag)))
            .map((entry) => ({ Name: entry.Service.Service, ID: entry.Service.ID, Address: entry.Service.Address || entry.Node.Address, Port: entry.Service.Port, Node: entry.Node.Node, Tags: entry.Service.Tags ?? [] })),
        nomadService: (namespace, name) => (store.nomad.nomadService(namespace, name)?.data ?? []).map((registration) => ({ Address: registration.Address, Port: registration.Port, ID: registration.AllocID, Tags: registration.Tags })),
      };
      return renderTemplate(source, data, { namespace: template.namespace, mask: reveal ? undefined : MASKED_VALUE });
    } finally {
      holds.forEach((hold) => hold.dispose());
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function textOf(base64: string | null): string {
  const value = decodeKvValue(base64);
  return value.kind === 'text' ? value.text : `<${value.bytes} bytes that are not text>`;
}
