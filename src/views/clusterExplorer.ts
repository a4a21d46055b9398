import * as vscode from 'vscode';
import { ClusterClients, createClusterClients } from '../core/explorer/clusterClients';
import { loadConsulInstances, loadConsulSection, loadNomadSection, loadTraefikSection, SectionSnapshot } from '../core/explorer/sectionLoaders';
import { formatRequestLog } from '../core/http/requestLog';
import { AwsPart, ClusterProfile } from '../core/profiles/clusterProfile';
import { AwsCluster, AwsModules, loadAwsModules } from '../core/aws/awsCluster';
import { describeAwsError } from '../core/aws/awsErrors';
import { AwsSectionData, awsSectionNodes, ecsTaskNodes } from '../core/tree/aws/awsProperties';
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

const VIEW_IDS: Record<SectionId, string> = { consul: 'hashistack.consul', nomad: 'hashistack.nomad', traefik: 'hashistack.traefik', aws: 'hashistack.aws' };
const AWS_CONTEXT_KEY = 'hashistack.awsConfigured';
/** The sections whose failure to connect means "no cluster answers" (AWS is reached another way). */
const CLUSTER_SECTIONS: SectionId[] = ['consul', 'nomad', 'traefik'];
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
  private awsModules: Promise<AwsModules> | undefined;
  private aws: { profile: ClusterProfile; aws: AwsPart; cluster: AwsCluster } | undefined;
  private awsData: AwsSectionData | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Submitted job definitions (their images) fetched for open jobspecs; emptied on every Nomad refresh. */
  private readonly jobDefinitions = new Map<string, NomadJob | 'loading' | 'missing'>();

  constructor(
    private readonly profiles: ProfileStore,
    private readonly tokens: TokenStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly statusBar: ClusterStatusBar,
    /** Imports the AWS SDK (from its own bundle); called at most once, on first use of the AWS section. */
    private readonly importAwsSdk: () => Promise<AwsModules> = loadAwsModules,
  ) {
    const childrenLoader = async (node: ExplorerNode, signal: AbortSignal) => {
      if (node.lazyChildren?.kind === 'consulServiceInstances') {
        return loadConsulInstances((await this.currentClients()).consul, node.lazyChildren.service, signal);
      }
      if (node.lazyChildren?.kind === 'ecsTasks') {
        return this.loadEcsTasks(node.lazyChildren.service);
      }
      return [];
    };
    this.providers = {
      consul: new SectionTreeProvider('consul', (signal) => this.loadConsul(signal), childrenLoader),
      nomad: new SectionTreeProvider('nomad', (signal) => this.loadNomad(signal), childrenLoader),
      traefik: new SectionTreeProvider('traefik', (signal) => this.loadTraefik(signal), childrenLoader),
      aws: new SectionTreeProvider('aws', () => this.loadAws(), childrenLoader),
    };
    this.views = {
      consul: vscode.window.createTreeView(VIEW_IDS.consul, { treeDataProvider: this.providers.consul, showCollapseAll: true }),
      nomad: vscode.window.createTreeView(VIEW_IDS.nomad, { treeDataProvider: this.providers.nomad, showCollapseAll: true }),
      traefik: vscode.window.createTreeView(VIEW_IDS.traefik, { treeDataProvider: this.providers.traefik, showCollapseAll: true }),
      aws: vscode.window.createTreeView(VIEW_IDS.aws, { treeDataProvider: this.providers.aws, showCollapseAll: true }),
    };
    this.refreshManager = new RefreshManager(
      new Map(
        (Object.keys(this.providers) as SectionId[]).map((section) => [section, { provider: this.providers[section], view: this.views[section] as vscode.TreeView<unknown> }]),
      ),
    );
    for (const section of CLUSTER_SECTIONS) {
      this.subscriptions.push(this.providers[section].onDidChangeStatus(() => this.updateNoClusterContext()));
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
    this.aws?.cluster.dispose();
    this.aws = undefined;
    this.showProfile();
    // The loaders build new clients on their next call; a refresh cancels what the old ones were loading.
    void this.refreshManager.refresh();
  }

  private showProfile(): void {
    this.statusBar.show(this.profiles.active, this.profiles.configurationProblems[0]);
    void vscode.commands.executeCommand('setContext', AWS_CONTEXT_KEY, Boolean(this.profiles.active.aws));
  }

  /** The AWS side of the active profile: the SDK is imported the first time this is called, never on activation. */
  async awsCluster(): Promise<{ cluster: AwsCluster; aws: AwsPart } | undefined> {
    const profile = this.profiles.active;
    if (!profile.aws) return undefined;
    if (!profile.aws.region) {
      throw new Error('No AWS region: set "awsRegion" in the cluster profile (or AWS_REGION).');
    }
    if (!this.aws || this.aws.profile !== profile) {
      this.awsModules ??= this.importAwsSdk();
      const modules = await this.awsModules;
      this.aws?.cluster.dispose();
      const aws = profile.aws;
      this.aws = {
        profile,
        aws,
        cluster: new AwsCluster(modules, { region: aws.region, profile: aws.profile, onCall: (operation, milliseconds, outcome) => this.log.info(`AWS ${operation} (${aws.region}) → ${outcome} (${milliseconds} ms)`) }),
      };
    }
    return { cluster: this.aws.cluster, aws: this.aws.aws };
  }

  /** One AWS call of the active profile, its failure put in words that say what to do. */
  async awsStep<T>(action: string, work: () => Promise<T>): Promise<T> {
    const aws = this.profiles.active.aws;
    try {
      return await work();
    } catch (error) {
      throw new Error(describeAwsError(error, { action, region: aws?.region ?? '', profile: aws?.profile }), { cause: error });
    }
  }

  private async loadAws(): Promise<ExplorerNode[]> {
    const connection = await this.awsStep('loading the AWS SDK', () => this.awsCluster());
    if (!connection) return [];
    const { cluster, aws } = connection;
    const [instances, addresses, services] = await Promise.all([
      aws.clusterTag ? this.awsStep('ec2:DescribeInstances', () => cluster.clusterInstances(aws.clusterTag!.key, aws.clusterTag!.value)) : undefined,
      aws.clusterTag ? this.awsStep('ec2:DescribeAddresses', () => cluster.elasticIps()) : undefined,
      aws.ecsCluster ? this.awsStep('ecs:ListServices / ecs:DescribeServices', () => cluster.ecsServices(aws.ecsCluster!)) : undefined,
    ]);
    this.awsData = { region: aws.region, ecsCluster: aws.ecsCluster, instances, addresses, services, nomadNodes: this.nomadSnapshotValue?.data.nodes };
    this.snapshotsChanged.fire();
    return awsSectionNodes(this.awsData, Date.now());
  }

  /** What the AWS section last loaded (for commands such as Attach Elastic IPs). */
  get awsSnapshot(): AwsSectionData | undefined {
    return this.awsData;
  }

  private async loadEcsTasks(service: string): Promise<ExplorerNode[]> {
    const connection = await this.awsCluster();
    if (!connection?.aws.ecsCluster) return [];
    const tasks = await this.awsStep('ecs:ListTasks / ecs:DescribeTasks', () => connection.cluster.ecsTasks(connection.aws.ecsCluster!, service));
    return ecsTaskNodes(service, tasks, Date.now());
  }

  /** Every section failed to connect: show the welcome content (how to point at a cluster) instead. */
  private updateNoClusterContext(): void {
    const statuses = CLUSTER_SECTIONS.map((section) => this.providers[section].status);
    const noneAnswers = statuses.every((status) => {
      if (status.kind !== 'error') return false;
      const kind = (status.error as { kind?: string }).kind;
      return kind === 'unreachable' || kind === 'timeout';
    });
    for (const section of CLUSTER_SECTIONS) {
      this.providers[section].setHidden(noneAnswers);
    }
    void vscode.commands.executeCommand('setContext', NO_CLUSTER_CONTEXT_KEY, noneAnswers);
  }

  dispose(): void {
    this.refreshManager.dispose();
    this.aws?.cluster.dispose();
    for (const disposable of [...Object.values(this.providers), ...Object.values(this.views), ...this.subscriptions, this.nomadChanged, this.snapshotsChanged]) {
      disposable.dispose();
    }
  }
}
