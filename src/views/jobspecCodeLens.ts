import * as vscode from 'vscode';
import { jobStatusLens, unknownStatusLens } from '../core/jobspec/deployStatus';
import { formatClock } from '../core/tree/explorerNode';
import { fileKind } from '../core/jobspec/jobspecDocument';
import { singleNamespace } from '../core/tree/nomad/nomadProperties';
import { ImageSite } from '../core/jobspec/imageScanner';
import { actionAllocations } from '../core/nomad/taskActions';
import { nomadActionVerdict } from '../core/acl/rowAccess';
import { JobspecIndex } from '../services/jobspecIndex';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { EcrTags } from '../services/ecrTags';

/** Arguments the lenses pass to the bump and deploy commands. */
export interface LensTarget {
  uri: string;
  jobId?: string;
  /** A Terraform address: the deploy target, or (for Bump) the owner of the images. */
  address?: string;
  /** For ECS deploys: the owner whose images the target deploys. */
  imagesOf?: string;
}

/**
 * Above every `job "<id>"`: Deploy, Plan, Bump image, and what runs now compared with the file; above each
 * `action` block of a job that runs: Run action;
 * above every ECS image owner in `ecs-*.tf`: Deploy (targeted apply) and Bump image.
 * Status comes from the explorer's cache: a lens never waits on the network.
 */
export class JobspecCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Held while a jobspec is on screen: its lenses show what runs now, so Nomad is kept current. */
  private demand: vscode.Disposable | undefined;

  constructor(
    private readonly index: JobspecIndex,
    private readonly host: ClusterStoreHost,
    private readonly ecr?: EcrTags,
  ) {
    this.subscriptions = [
      ...(ecr ? [ecr.onDidChange(() => this.changed.fire())] : []),
      index.onDidChange(() => this.changed.fire()),
      host.onDidChange((change) => {
        if (change.section === 'nomad') this.changed.fire();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateDemand()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('hashistack.codeLens')) this.changed.fire();
      }),
    ];
    this.updateDemand();
  }

  private updateDemand(): void {
    // Jobspec lenses say what runs (ecs-*.tf lenses do not).
    const jobspecOnScreen = vscode.window.visibleTextEditors.some((editor) => fileKind(editor.document.uri.path) === 'jobspec');
    if (jobspecOnScreen && !this.demand) this.demand = this.host.need(['nomad']);
    if (!jobspecOnScreen && this.demand) {
      this.demand.dispose();
      this.demand = undefined;
    }
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.getConfiguration('hashistack').get<boolean>('codeLens.enabled', true)) {
      return [];
    }
    const result = await this.index.scan(document);
    if (!result) return [];
    const trusted = vscode.workspace.isTrusted;
    const lenses: vscode.CodeLens[] = [];
    const at = (line: number) => new vscode.Range(line, 0, line, 0);
    const restricted = (range: vscode.Range) => new vscode.CodeLens(range, { title: '$(shield) Deploy, Plan and Bump need a trusted workspace', command: 'workbench.trust.manage' });

    if (result.kind === 'jobspec') {
      const profile = this.host.activeProfile;
      const nomad = this.host.store?.nomad;
      // What the token may do: an action it lacks says so in its lens, and the lens sends nothing.
      const access = this.host.store?.access.current ?? {};
      for (const job of result.scan.jobs) {
        const range = at(job.line);
        const target: LensTarget = { uri: document.uri.toString(), jobId: job.id };
        if (!trusted) {
          lenses.push(restricted(range));
        } else {
          // Where the request goes: the file's own namespace, else the profile's.
          const namespace = job.namespace ?? singleNamespace(profile.nomad.namespace);
          const where = `on "${profile.name}", namespace ${namespace}`;
          const lens = (title: string, action: 'deploy' | 'plan', tooltip: string, command: string) => {
            const verdict = nomadActionVerdict(access, action, namespace);
            return verdict.allowed === false
              ? new vscode.CodeLens(range, { title: `$(circle-slash) ${title} — ${verdict.lacks}`, tooltip: `${title} ${where} would be refused: ${verdict.lacks}. Nothing is sent; the Token row of the Nomad view says what the token may do.`, command: '' })
              : new vscode.CodeLens(range, { title: `${action === 'deploy' ? '$(rocket)' : '$(diff)'} ${title}`, tooltip, command, arguments: [target] });
          };
          lenses.push(lens('Deploy', 'deploy', `nomad job run ${where}`, 'hashistack.deployJob'), lens('Plan', 'plan', `nomad job plan ${where}`, 'hashistack.planJob'));
          if (job.images.length > 0) {
            lenses.push(new vscode.CodeLens(range, { title: bumpTitle(job.images), command: 'hashistack.bumpImage', arguments: [target] }));
          }
          lenses.push(...this.ecrLenses(range, job.images, target));
        }
        const data = nomad?.state.data;
        if (!data && nomad?.state.mode === 'failed') {
          const unknown = unknownStatusLens(nomad.state.error);
          lenses.push(new vscode.CodeLens(range, { title: `$(question) ${unknown.title}`, tooltip: unknown.tooltip, command: '' }));
        }
        if (data) {
          // The job's own namespace, when the file names one: where it really runs.
          const namespace = job.namespace ?? singleNamespace(profile.nomad.namespace);
          const status = jobStatusLens(job.id, namespace, job.images, data, nomad.jobDefinition(namespace, job.id), profile.name);
          if (status) {
            // Nomad's source failed: this is what it last said, and the lens says since when.
            const stale = nomad.state.mode === 'failed' && nomad.state.staleSince !== undefined ? ` · stale since ${formatClock(nomad.state.staleSince)}` : '';
            lenses.push(new vscode.CodeLens(range, { title: `${status.differs ? '$(warning)' : '$(check)'} ${status.title}${stale}`, tooltip: status.tooltip, command: '' }));
          }
          // An `action` block of a job that runs here: Run action (Nomad runs the running version's action).
          for (const action of trusted ? job.actions : []) {
            const running = actionAllocations(data.allocations, job.id, namespace, action.group, data.namespace);
            if (running.length === 0) continue;
            const verdict = nomadActionVerdict(access, 'exec', namespace);
            if (verdict.allowed === false) {
              lenses.push(new vscode.CodeLens(at(action.line), { title: `$(circle-slash) Run action — ${verdict.lacks}`, tooltip: `Running "${action.name}" would be refused on "${profile.name}".`, command: '' }));
              continue;
            }
            lenses.push(
              new vscode.CodeLens(at(action.line), {
                title: '$(play) Run action',
                tooltip: `Runs "${action.name}" of task ${action.task} in ${running.length === 1 ? 'the running allocation' : `one or all of the ${running.length} running allocations`} of group "${action.group}" on "${profile.name}"`,
                command: 'hashistack.runAction',
                arguments: [{ action: { jobId: job.id, namespace, group: action.group, task: action.task, name: action.name } }],
              }),
            );
          }
        }
      }
    } else {
      for (const owner of result.scan.owners) {
        const range = at(owner.line);
        const target: LensTarget = { uri: document.uri.toString(), address: owner.deployTarget, imagesOf: owner.address };
        if (!trusted) {
          lenses.push(restricted(range));
          continue;
        }
        lenses.push(
          new vscode.CodeLens(range, { title: '$(rocket) Deploy', tooltip: `terraform apply -target=${owner.deployTarget}`, command: 'hashistack.deployEcs', arguments: [target] }),
          new vscode.CodeLens(range, { title: '$(diff) Plan', tooltip: `terraform plan -target=${owner.deployTarget}`, command: 'hashistack.planEcs', arguments: [target] }),
          new vscode.CodeLens(range, { title: bumpTitle(owner.images), command: 'hashistack.bumpImage', arguments: [{ uri: target.uri, address: owner.address }] }),
          ...this.ecrLenses(range, owner.images, { uri: target.uri, address: owner.address }),
        );
      }
    }
    return lenses;
  }

  /** `1.1.9 available`: a newer tag of the same kind in the image's ECR repository (known, or being read). */
  private ecrLenses(range: vscode.Range, images: ImageSite[], target: LensTarget): vscode.CodeLens[] {
    if (!this.ecr) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const site of images) {
      const newer = this.ecr.newerTag(site);
      if (newer) lenses.push(new vscode.CodeLens(range, { title: `$(arrow-circle-up) ${newer} available`, tooltip: `ECR has ${site.reference.repository}:${newer} (the file has ${site.tag?.text})`, command: 'hashistack.bumpImage', arguments: [target, { tag: newer }] }));
    }
    return lenses;
  }

  dispose(): void {
    this.demand?.dispose();
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** "Bump image (0.3.10)", or "Bump image…" when a block has several. */
function bumpTitle(images: ImageSite[]): string {
  if (images.length === 1) {
    const image = images[0]!;
    return `$(arrow-up) Bump image (${image.tag?.text ?? (image.reference.digest ? 'digest' : 'no tag')})`;
  }
  return `$(arrow-up) Bump image… (${images.length})`;
}
