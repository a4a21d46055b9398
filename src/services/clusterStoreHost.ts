import * as vscode from 'vscode';
import { AwsCluster, AwsModules, loadAwsModules } from '../core/aws/awsCluster';
import { createClusterClients } from '../core/explorer/clusterClients';
import { formatRequestLog } from '../core/http/requestLog';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../core/http/httpClient';
import { requestTimeoutSeconds } from '../core/profiles/settings';
import { ClusterProfile } from '../core/profiles/clusterProfile';
import { ClusterStore, HeldChange, StoreChange } from '../core/store/clusterStore';
import { AwsConnection } from '../core/store/awsSection';
import { DEFAULT_TRAEFIK_POLL_SECONDS, LiveSettings } from '../core/store/liveSettings';
import { SectionId } from '../core/tree/explorerNode';
import { parsePublicPorts, PublicPorts, UiAddresses } from '../core/tree/links';
import { ProfileStore } from './profileStore';
import { TokenStore } from './tokenStore';

/** Auto-refresh (the fallback's polling) intervals below this are raised to it, so `1` cannot hammer a server. */
export const MIN_POLL_SECONDS = 5;

/** The live-update settings in force. */
export function liveSettings(): LiveSettings {
  const configuration = vscode.workspace.getConfiguration('hashistack');
  const poll = configuration.get<number>('autoRefreshSeconds', 0);
  const traefik = configuration.get<number>('traefikPollSeconds', DEFAULT_TRAEFIK_POLL_SECONDS);
  return {
    live: configuration.get<boolean>('live', true),
    fallbackPollSeconds: typeof poll === 'number' && poll > 0 ? Math.max(MIN_POLL_SECONDS, poll) : 0,
    traefikPollSeconds: typeof traefik === 'number' && traefik > 0 ? Math.max(1, traefik) : DEFAULT_TRAEFIK_POLL_SECONDS,
  };
}

/**
 * Holds the cluster store of the active profile: builds it with the profile's tokens, replaces it when
 * the profile, a token or a setting that shapes it changes, and carries the demand of the views over.
 */
export class ClusterStoreHost implements vscode.Disposable {
  private storeValue: ClusterStore | undefined;
  /** The profile the store was built for (the active one may already be another while it is replaced). */
  private storeProfileName: string | undefined;
  private building: Promise<ClusterStore> | undefined;
  private generation = 0;
  private readonly demands = new Map<number, { sections: readonly SectionId[]; handle?: { dispose(): void } }>();
  private nextDemand = 0;
  private readonly changed = new vscode.EventEmitter<StoreChange>();
  /** Every change of the store's data or status, and a `data` change of every section when the store is replaced. */
  readonly onDidChange = this.changed.event;
  private readonly heldChanged = new vscode.EventEmitter<HeldChange>();
  /** What an expanded row shows changed (instances, variables, keys): the explorer redraws that row. */
  readonly onDidChangeHeld = this.heldChanged.event;
  private readonly replaced = new vscode.EventEmitter<{ profileName: string }>();
  /**
   * The store is going (another profile, a new token, new settings): whatever still holds its clients — a
   * log tail, a rollout follow — must end, so that no request reaches a cluster that is no longer active
   * and no token outlives its store.
   */
  readonly onWillReplaceStore = this.replaced.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private awsModules: Promise<AwsModules> | undefined;
  private awsClusters: AwsCluster[] = [];

  constructor(
    readonly profiles: ProfileStore,
    private readonly tokens: TokenStore,
    private readonly log: vscode.LogOutputChannel,
    /** Imports the AWS SDK (from its own bundle); called at most once, on first use of the AWS section. */
    private readonly importAwsSdk: () => Promise<AwsModules> = loadAwsModules,
  ) {
    this.subscriptions.push(
      profiles.onDidChangeActive(() => this.rebuild()),
      tokens.onDidChange(() => this.rebuild()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['hashistack.requestTimeoutSeconds', 'hashistack.maxResponseMegabytes', 'hashistack.uiAddresses', 'hashistack.live', 'hashistack.autoRefreshSeconds', 'hashistack.traefikPollSeconds'].some((key) => event.affectsConfiguration(key))) {
          this.rebuild();
        }
      }),
    );
    void this.ready();
  }

  get activeProfile(): ClusterProfile {
    return this.profiles.active;
  }

  /** The store, once built (building reads the tokens from SecretStorage). */
  get store(): ClusterStore | undefined {
    return this.storeValue;
  }

  ready(): Promise<ClusterStore> {
    if (this.storeValue) return Promise.resolve(this.storeValue);
    this.building ??= this.build();
    return this.building;
  }

  private async build(): Promise<ClusterStore> {
    const generation = this.generation;
    const profile = this.profiles.active;
    const [consulToken, nomadToken] = await Promise.all([this.tokens.get(profile, 'consul'), this.tokens.get(profile, 'nomad')]);
    if (generation !== this.generation) return this.ready();
    const timeout = requestTimeoutSeconds(vscode.workspace.getConfiguration('hashistack').get<unknown>('requestTimeoutSeconds'));
    if (timeout.problem) {
      this.log.warn(timeout.problem);
      void vscode.window.showWarningMessage(`Hashistack: ${timeout.problem}`);
    }
    const maxMegabytes = vscode.workspace.getConfiguration('hashistack').get<number>('maxResponseMegabytes', DEFAULT_MAX_RESPONSE_BYTES / 1024 / 1024);
    const clients = createClusterClients(profile, {
      tokens: { consul: consulToken, nomad: nomadToken },
      timeoutMs: timeout.seconds * 1000,
      maxResponseBytes: typeof maxMegabytes === 'number' && maxMegabytes >= 1 ? Math.round(maxMegabytes * 1024 * 1024) : DEFAULT_MAX_RESPONSE_BYTES,
      onRequest: (entry) => {
        const line = formatRequestLog(entry);
        if (typeof entry.outcome === 'number' && entry.outcome < 400) this.log.info(line);
        else this.log.warn(line);
        // A refusal may mean the token or its policies changed: what it may do is read again.
        if (entry.outcome === 403 && (entry.product === 'Nomad' || entry.product === 'Consul')) built.store?.access.noteRefusal(entry.product === 'Nomad' ? 'nomad' : 'consul', entry.path);
      },
    });
    // The store these clients serve, once it is made (a refusal tells it to read its token again).
    const built: { store?: ClusterStore } = {};
    // One set of AWS clients per store: every load, expand, ECR read and follow shares it (and its caches).
    let awsConnection: Promise<AwsConnection> | undefined;
    const connect = () =>
      (awsConnection ??= this.connectAws(profile, timeout.seconds * 1000).catch((error: unknown) => {
        awsConnection = undefined;
        throw error;
      }));
    const store = new ClusterStore({
      clients,
      settings: liveSettings,
      log: (line) => this.log.warn(line),
      aws: profile.aws ? { part: profile.aws, connect } : undefined,
      problems: { consul: profile.consul.problem ?? clients.problems?.consul, nomad: profile.nomad.problem ?? clients.problems?.nomad, traefik: profile.traefik.problem ?? clients.problems?.traefik },
    });
    built.store = store;
    store.onDidChange((change) => this.changed.fire(change));
    store.onDidChangeHeld((change) => this.heldChanged.fire(change));
    this.storeValue = store;
    this.storeProfileName = profile.name;
    this.building = undefined;
    for (const demand of this.demands.values()) demand.handle = store.need(demand.sections);
    for (const section of ['consul', 'nomad', 'traefik', 'aws'] as const) this.changed.fire({ section, kind: 'data' });
    return store;
  }

  private async connectAws(profile: ClusterProfile, requestTimeoutMs: number): Promise<AwsConnection> {
    const aws = profile.aws!;
    if (!aws.region) throw new Error('No AWS region: set "awsRegion" in the cluster profile (or AWS_REGION).');
    this.awsModules ??= this.importAwsSdk();
    const modules = await this.awsModules;
    const cluster = new AwsCluster(modules, { region: aws.region, profile: aws.profile, requestTimeoutMs, onCall: (operation, milliseconds, outcome) => this.log.info(`AWS ${operation} (${aws.region}) → ${outcome} (${milliseconds} ms)`) });
    this.awsClusters.push(cluster);
    return { cluster, aws };
  }

  /** Keeps these sections current while the handle lives, across store replacements. */
  need(sections: readonly SectionId[]): vscode.Disposable {
    const id = this.nextDemand++;
    const demand: { sections: readonly SectionId[]; handle?: { dispose(): void } } = { sections, handle: this.storeValue?.need(sections) };
    this.demands.set(id, demand);
    return new vscode.Disposable(() => {
      demand.handle?.dispose();
      this.demands.delete(id);
    });
  }

  /** Loads one section, or every section, again now. */
  async refresh(section?: SectionId): Promise<void> {
    await (await this.ready()).refresh(section);
  }

  uiAddresses(profile: ClusterProfile = this.profiles.active): UiAddresses {
    const configured = vscode.workspace.getConfiguration('hashistack').get<{ nomad?: string; consul?: string }>('uiAddresses', {});
    return { nomad: configured.nomad || profile.nomad.address, consul: configured.consul || profile.consul.address };
  }

  /** Where users reach Traefik's entry points, for routers' URLs; a value that is not a port is logged, once. */
  traefikPublicPorts(): PublicPorts {
    const { ports, problems } = parsePublicPorts(vscode.workspace.getConfiguration('hashistack').get<unknown>('traefik.publicPorts'));
    for (const problem of problems) {
      if (this.loggedSettingProblems.has(problem)) continue;
      this.loggedSettingProblems.add(problem);
      this.log.warn(`${problem}; that entry is ignored.`);
    }
    return ports;
  }

  private readonly loggedSettingProblems = new Set<string>();

  private disposeStore(): void {
    if (this.storeValue) this.replaced.fire({ profileName: this.storeProfileName ?? this.profiles.active.name });
    for (const demand of this.demands.values()) {
      demand.handle?.dispose();
      demand.handle = undefined;
    }
    this.storeValue?.dispose();
    this.storeValue = undefined;
    this.awsClusters.forEach((cluster) => cluster.dispose());
    this.awsClusters = [];
  }

  private rebuild(): void {
    this.generation++;
    this.building = undefined;
    this.disposeStore();
    void this.ready();
  }

  dispose(): void {
    this.generation++;
    this.disposeStore();
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.changed.dispose();
    this.heldChanged.dispose();
    this.replaced.dispose();
  }
}
