import * as vscode from 'vscode';
import { imageHoverLines } from '../core/jobspec/deployStatus';
import { singleNamespace } from '../core/tree/nomad/nomadProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { JobspecIndex } from '../services/jobspecIndex';
import { EcrTags } from '../services/ecrTags';

/** Hover on an image of a jobspec: what runs now on the active cluster, from the store (no request of its own). */
export class JobspecHover implements vscode.HoverProvider {
  constructor(
    private readonly index: JobspecIndex,
    private readonly host: ClusterStoreHost,
    private readonly ecr?: EcrTags,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const result = await this.index.scan(document);
    if (!result) return undefined;
    const offset = document.offsetAt(position);
    const site = result.scan.images.find((image) => offset >= image.start && offset <= image.end);
    if (!site) return undefined;
    const range = new vscode.Range(document.positionAt(site.start), document.positionAt(site.end));
    if (result.kind === 'ecs') {
      // An ECS image: what ECR has that is newer (what runs is in the AWS view).
      const newer = this.ecr?.newerTag(site);
      return newer ? new vscode.Hover(new vscode.MarkdownString().appendText(`${newer} available in ECR`), range) : undefined;
    }
    if (!site.jobId) return undefined;
    const profile = this.host.activeProfile;
    const namespace = result.scan.jobs.find((job) => job.id === site.jobId)?.namespace ?? singleNamespace(profile.nomad.namespace);
    const nomad = this.host.store?.nomad;
    const lines = imageHoverLines(site.jobId, namespace, site, nomad?.state.data, nomad?.knownJobDefinition(namespace, site.jobId), profile.name);
    const newer = this.ecr?.newerTag(site);
    if (newer) lines.push(`${newer} available in ECR`);
    const markdown = new vscode.MarkdownString();
    // Cluster text is text: appended as such, never as Markdown.
    lines.forEach((line, index) => {
      if (index > 0) markdown.appendMarkdown('  \n');
      markdown.appendText(line);
    });
    return new vscode.Hover(markdown, range);
  }
}
