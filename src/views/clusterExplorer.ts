import * as vscode from 'vscode';
import { ClusterClients, createClusterClients } from '../core/explorer/clusterClients';
import { loadConsulInstances, loadConsulSection, loadNomadSection, loadTraefikSection, SectionSnapshot } from '../core/explorer/sectionLoaders';
import { formatRequestLog } from '../core/http/requestLog';
import { ClusterProfile } from '../core/profiles/clusterProfile';
import { ExplorerNode, SectionId } from '../core/tree/explorerNode';
import { UiAddresses } from '../core/tree/links';
import { NomadSectionData } from '../core/tree/nomad/nomadProperties';
import { ConsulSectionData } from '../core/tree/consul/consulProperties';
import { TraefikSectionData } from '../core/tree/traefik/traefikProperties';
import { NomadJob } from '../core/nomad/nomadApi';
import { ProfileStore } from '../services/profileStore';
import { TokenStore } from '../services/tokenStore';
import { RefreshManager } from './refreshManager';
import { SectionTreeProvider } from './sectionTreeProvider';
import { ClusterStatusBar } from './statusBar';

const VIEW_IDS: Record<SectionId, string> = { consul: 'hashistack.consul', nomad: 'hashistack.nomad', traefik: 'hashistack.traefik' };
const NO_CLUSTER_CONTEXT_KEY = 'hashistack.noClusterAnswers';

/**
 * The cluster explorer: one tree view and provider per product, fed by the active profile's clients.
 * It keeps the last Nomad snapshot, which later features read instead of asking the cluster again.
 */
export class ClusterExplorer implements vscode.Disposable {
  readonly providers: Record<SectionId, SectionTreeProvider>;
  readonly refreshManager: RefreshManager;
  private readonly views: Record<SectionId, vscode.TreeView<ExplorerNode>>;
  private clients: ClusterClients | undefined;
  private clientsProfile: ClusterProfile | undefined;
  private nomadSnapshotValue: SectionSnapshot<NomadSectionData> | undefined;
  private readonly nomadChanged = new vscode.EventEmitter<SectionSnapshot<NomadSectionData> | undefined>();
  readonly onDidChangeNomad = this.nomadChanged.event;
  private consulSnapshotValue: SectionSnapshot<ConsulSectionData> | undefined;
  private traefikSnapshotValue: SectionSnapshot<TraefikSectionData> | undefined;
  /** Any section loaded or failed: views built from the explorer's data (the Launcher) follow this. */
  private readonly snapshotsChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeSnapshots = this.snapshotsChanged.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Submitted job definitions (their images) fetched for open jobspecs; emptied on every Nomad refresh. */
  private readonly jobDefinitions = new Map<string, NomadJob | 'loading' | 'missing'>();

  constructor(
    private readonly profiles: ProfileStore,
    private readonly tokens: TokenStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly statusBar: ClusterStatusBar,
  ) {
    const childrenLoader = async (node: ExplorerNode, signal: AbortSignal) => {
      if (node.lazyChildren?.kind === 'consulServiceInstances') {
        return loadConsulInstances((await this.currentClients()).consul, node.lazyChildren.service, signal);
      }
      return [];
    };
    this.providers = {
      consul: new SectionTreeProvider('consul', (signal) => this.loadConsul(signal), childrenLoader),
      nomad: new SectionTreeProvider('nomad', (signal) => this.loadNomad(signal), childrenLoader),
      traefik: new SectionTreeProvider('traefik', (signal) => this.loadTraefik(signal), childrenLoader),
    };
    this.views = {
      consul: vscode.window.createTreeView(VIEW_IDS.consul, { treeDataProvider: this.providers.consul, showCollapseAll: true }),
      nomad: vscode.window.createTreeView(VIEW_IDS.nomad, { treeDataProvider: this.providers.nomad, showCollapseAll: true }),
      traefik: vscode.window.createTreeView(VIEW_IDS.traefik, { treeDataProvider: this.providers.traefik, showCollapseAll: true }),
    };
    this.refreshManager = new RefreshManager(
      new Map(
        (Object.keys(this.providers) as SectionId[]).map((section) => [section, { provider: this.providers[section], view: this.views[section] as vscode.TreeView<unknown> }]),
      ),
    );
    for (const provider of Object.values(this.providers)) {
      this.subscriptions.push(provider.onDidChangeStatus(() => this.updateNoClusterContext()));
    }
    this.subscriptions.push(
      profiles.onDidChangeActive(() => this.resetClients()),
      tokens.onDidChange(() => this.resetClients()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('hashistack.requestTimeoutSeconds') || event.affectsConfiguration('hashistack.uiAddresses')) {
          this.resetClients();
        }
      }),
    );
    this.showProfile();
  }

  get activeProfile(): ClusterProfile {
    return this.profiles.active;
  }

  /** The Nomad section's last successful load (jobs, allocations, deployments, nodes), if any. */
  get nomadSnapshot(): SectionSnapshot<NomadSectionData> | undefined {
    return this.nomadSnapshotValue;
  }

  /**
   * The submitted definition of a job, if already fetched; otherwise undefined, and a fetch starts in the
   * background (one per job per Nomad refresh) whose arrival fires onDidChangeNomad. Never waits.
   */
  jobDefinition(namespace: string, jobId: string): NomadJob | undefined {
    const key = `${namespace}\u0000${jobId}`;
    const cached = this.jobDefinitions.get(key);
    if (cached !== undefined) {
      return typeof cached === 'string' ? undefined : cached;
    }
    if (!this.nomadSnapshotValue) {
      return undefined;
    }
    this.jobDefinitions.set(key, 'loading');
    const generation = this.nomadSnapshotValue;
    void this.currentClients()
      .then((clients) => clients.nomad.job(jobId, namespace))
      .then(
        (job) => {
          if (this.nomadSnapshotValue !== generation) return;
          this.jobDefinitions.set(key, job);
          this.nomadChanged.fire(this.nomadSnapshotValue);
        },
        () => {
          if (this.nomadSnapshotValue === generation) this.jobDefinitions.set(key, 'missing');
        },
      );
    return undefined;
  }

  /** Shows a Consul service in the explorer (from the Launcher's "Show in Explorer"). */
  async revealConsulService(service: string): Promise<void> {
    const folder = this.providers.consul.rootNodes.find((node) => node.id === 'consul/services');
    const row = folder?.children?.find((node) => node.id === `consul/service/${service}`);
    if (!row) {
      void vscode.window.showInformationMessage(`Hashistack: the Consul section does not list "${service}" (refresh it?).`);
      return;
    }
    await this.views.consul.reveal(row, { select: true, focus: true, expand: false });
  }

  view(section: SectionId): vscode.TreeView<ExplorerNode> {
    return this.views[section];
  }

  uiAddresses(profile: ClusterProfile = this.profiles.active): UiAddresses {
    const configured = vscode.workspace.getConfiguration('hashistack').get<{ nomad?: string; consul?: string }>('uiAddresses', {});
    return { nomad: configured.nomad || profile.nomad.address, consul: configured.consul || profile.consul.address };
  }

  private async currentClients(): Promise<ClusterClients> {
    const profile = this.profiles.active;
    if (!this.clients || this.clientsProfile !== profile) {
      const [consulToken, nomadToken] = await Promise.all([this.tokens.get(profile, 'consul'), this.tokens.get(profile, 'nomad')]);
      const timeoutSeconds = vscode.workspace.getConfiguration('hashistack').get<number>('requestTimeoutSeconds', 10);
      this.clients = createClusterClients(profile, {
        tokens: { consul: consulToken, nomad: nomadToken },
        timeoutMs: Math.max(1, timeoutSeconds) * 1000,
        onRequest: (entry) => {
          const line = formatRequestLog(entry);
          if (typeof entry.outcome === 'number' && entry.outcome < 400) {
            this.log.info(line);
          } else {
            this.log.warn(line);
          }
        },
      });
      this.clientsProfile = profile;
    }
    return this.clients;
  }

  get consulSnapshot(): SectionSnapshot<ConsulSectionData> | undefined {
    return this.consulSnapshotValue;
  }

  get traefikSnapshot(): SectionSnapshot<TraefikSectionData> | undefined {
    return this.traefikSnapshotValue;
  }

  /** Keeps a section's last good data (undefined after a failure) and tells the views built on it. */
  private async keep<T>(load: () => Promise<SectionSnapshot<T>>, store: (snapshot: SectionSnapshot<T> | undefined) => void, signal: AbortSignal): Promise<SectionSnapshot<T>> {
    try {
      const snapshot = await load();
      if (!signal.aborted) {
        store(snapshot);
        this.snapshotsChanged.fire();
      }
      return snapshot;
    } catch (error) {
      if (!signal.aborted) {
        store(undefined);
        this.snapshotsChanged.fire();
      }
      throw error;
    }
  }

  private async loadConsul(signal: AbortSignal): Promise<ExplorerNode[]> {
    const clients = await this.currentClients();
    const snapshot = await this.keep(() => loadConsulSection(clients.consul, this.uiAddresses(), signal), (value) => (this.consulSnapshotValue = value), signal);
    return snapshot.nodes;
  }

  private async loadNomad(signal: AbortSignal): Promise<ExplorerNode[]> {
    const clients = await this.currentClients();
    const snapshot = await this.keep(
      () => loadNomadSection(clients.nomad, this.uiAddresses(), signal),
      (value) => {
        this.nomadSnapshotValue = value;
        this.jobDefinitions.clear();
        this.nomadChanged.fire(value);
      },
      signal,
    );
    return snapshot.nodes;
  }

  private async loadTraefik(signal: AbortSignal): Promise<ExplorerNode[]> {
    const clients = await this.currentClients();
    const snapshot = await this.keep(() => loadTraefikSection(clients.traefik, signal), (value) => (this.traefikSnapshotValue = value), signal);
    return snapshot.nodes;
  }

  private resetClients(): void {
    this.clients = undefined;
    this.clientsProfile = undefined;
    this.showProfile();
    // The loaders build new clients on their next call; a refresh cancels what the old ones were loading.
    void this.refreshManager.refresh();
  }

  private showProfile(): void {
    this.statusBar.show(this.profiles.active, this.profiles.configurationProblems[0]);
  }

  /** Every section failed to connect: show the welcome content (how to point at a cluster) instead. */
  private updateNoClusterContext(): void {
    const statuses = Object.values(this.providers).map((provider) => provider.status);
    const noneAnswers = statuses.every((status) => {
      if (status.kind !== 'error') return false;
      const kind = (status.error as { kind?: string }).kind;
      return kind === 'unreachable' || kind === 'timeout';
    });
    for (const provider of Object.values(this.providers)) {
      provider.setHidden(noneAnswers);
    }
    void vscode.commands.executeCommand('setContext', NO_CLUSTER_CONTEXT_KEY, noneAnswers);
  }

  dispose(): void {
    this.refreshManager.dispose();
    for (const disposable of [...Object.values(this.providers), ...Object.values(this.views), ...this.subscriptions, this.nomadChanged, this.snapshotsChanged]) {
      disposable.dispose();
    }
  }
}
