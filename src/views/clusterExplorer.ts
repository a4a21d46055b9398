import * as vscode from 'vscode';
import { accessMarkers } from '../core/acl/rowAccess';
import { aclDescription, tokenNode } from '../core/acl/tokenRows';
import { SectionState } from '../core/store/liveSection';
import { RENDER_COALESCE_MS } from '../core/tree/renderPolicy';
import { awsSectionNodes, ecsEventsFolder, ecsStoppedFolder, ecsStoppedTaskNodes, ecsTaskNodes } from '../core/tree/aws/awsProperties';
import { consulInstanceNodes, consulSectionNodes, ConsulSectionData } from '../core/tree/consul/consulProperties';
import { ExplorerNode, modeDescription, noClusterRows, SectionId } from '../core/tree/explorerNode';
import { itemNamespace, nomadSectionNodes, NomadSectionData } from '../core/tree/nomad/nomadProperties';
import { allocationStatsLines, allocationTaskNodes } from '../core/tree/nomad/allocationTasks';
import { jobVersionNodes } from '../core/tree/nomad/jobVersions';
import { traefikSectionNodes, TraefikSectionData } from '../core/tree/traefik/traefikProperties';
import { AwsSectionData } from '../core/tree/aws/awsProperties';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { ClusterStore } from '../core/store/clusterStore';
import { HeldRead } from '../core/store/heldReads';
import { variableNodes } from '../core/tree/nomad/variableProperties';
import { kvNodes } from '../core/tree/consul/kvProperties';
import { forwardedPortsFolder } from '../core/forward/forwardRows';
import { PortForwards } from '../services/portForwards';
import { SectionTreeProvider, SectionView } from './sectionTreeProvider';
import { ClusterStatusBar } from './statusBar';

/** How long a reveal waits for the rows it needs to load (a Consul service's instances). */
const REVEAL_LOAD_MS = 5_000;

const VIEW_IDS: Record<SectionId, string> = { consul: 'hashistack.consul', nomad: 'hashistack.nomad', traefik: 'hashistack.traefik', aws: 'hashistack.aws' };
const SECTIONS: SectionId[] = ['consul', 'nomad', 'traefik', 'aws'];
const AWS_CONTEXT_KEY = 'hashistack.awsConfigured';
/** Set once a product of the active cluster has answered with data: the walkthrough's first step is done. */
const CONNECTED_CONTEXT_KEY = 'hashistack.clusterConnected';
/** Set once a view of the explorer has been visible: the walkthrough's second step is done. */
const EXPLORER_SEEN_CONTEXT_KEY = 'hashistack.explorerSeen';
/** The sections whose failure to connect means "no cluster answers" (AWS is reached another way). */
const CLUSTER_SECTIONS: SectionId[] = ['consul', 'nomad', 'traefik'];
/** What each view needs kept current while it is visible (AWS rows link to their Nomad nodes). */
const VIEW_NEEDS: Record<SectionId, SectionId[]> = { consul: ['consul'], nomad: ['nomad'], traefik: ['traefik'], aws: ['aws', 'nomad'] };

/**
 * The cluster explorer: one tree view and provider per product. View wiring only: rows are built from
 * what the cluster store holds, redrawn when it changes, and the store is told what is on screen.
 */
export class ClusterExplorer implements vscode.Disposable {
  readonly providers: Record<SectionId, SectionTreeProvider>;
  private readonly views: Record<SectionId, vscode.TreeView<ExplorerNode>>;
  private readonly demand = new Map<SectionId, vscode.Disposable>();
  private readonly renderTimers = new Map<SectionId, NodeJS.Timeout>();
  /**
   * Expanded rows whose children are held reads of the store (a service's instances, the Variables folder, a KV
   * folder), by row id, each with its watch: blocking while expanded and visible, released on collapse.
   */
  private readonly heldRows = new Map<string, { dispose(): void }>();
  private heldStore: unknown;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The store state version each view last drew. */
  private readonly drawn = new Map<SectionId, number>();

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly statusBar: ClusterStatusBar,
    private readonly forwards?: PortForwards,
  ) {
    const childrenLoader = async (node: ExplorerNode) => {
      const lazy = node.lazyChildren;
      if (lazy?.kind === 'consulServiceInstances') {
        return this.heldChildren(node.id, (store) => store.consul.watchInstances(lazy.service), (store) => store.consul.instances(lazy.service), (entries) => consulInstanceNodes(lazy.service, entries ?? []));
      }
      if (lazy?.kind === 'nomadVariables') {
        return this.heldChildren(node.id, (store) => store.nomad.watchVariables(lazy.namespace), (store) => store.nomad.variables(lazy.namespace), (variables) => variableNodes(variables ?? [], Date.now()));
      }
      if (lazy?.kind === 'consulKv') {
        return this.heldChildren(node.id, (store) => store.consul.watchKeys(lazy.prefix), (store) => store.consul.keys(lazy.prefix), (keys) => kvNodes(lazy.prefix, keys ?? []));
      }
      if (node.lazyChildren?.kind === 'allocationTasks') {
        return allocationTaskNodes(await (await host.ready()).nomad.allocation(node.lazyChildren.allocationId), Date.now());
      }
      if (node.lazyChildren?.kind === 'jobVersions') {
        const { jobId, namespace } = node.lazyChildren;
        return jobVersionNodes(jobId, namespace, await (await host.ready()).nomad.api.jobVersions(jobId, namespace), host.activeProfile.name, Date.now());
      }
      if (node.lazyChildren?.kind === 'ecsTasks') {
        const aws = (await host.ready()).aws;
        if (!aws) return [];
        const service = node.lazyChildren.service;
        // What ECS said of the service came with the section's DescribeServices; its tasks are read now.
        const events = aws.state.data?.services?.find((candidate) => candidate.name === service)?.events ?? [];
        return [ecsEventsFolder(service, events, Date.now()), ecsStoppedFolder(service), ...ecsTaskNodes(service, await aws.ecsTasks(service), Date.now())];
      }
      if (node.lazyChildren?.kind === 'ecsStoppedTasks') {
        const aws = (await host.ready()).aws;
        return aws ? ecsStoppedTaskNodes(node.lazyChildren.service, await aws.ecsStoppedTasks(node.lazyChildren.service), Date.now()) : [];
      }
      return [];
    };
    // A running allocation's tooltip adds what it uses against what it reserved (one request, when it shows).
    const tooltipExtra = async (node: ExplorerNode) => {
      if (!node.allocation?.running || node.allocation.task) return undefined;
      const store = await host.ready();
      const stats = await store.nomad.api.allocationStats(node.allocation.id);
      const lines = allocationStatsLines(stats, store.nomad.jobDefinition(node.allocation.namespace, node.allocation.jobId), node.allocation.group);
      return lines.length ? `Usage now:\n${lines.map((line) => `  ${line}`).join('\n')}` : undefined;
    };
    // A row's menus show the actions its token may take there (markers on its context value; all when unknown).
    const markers = (node: ExplorerNode) => accessMarkers(node, host.store?.access.current ?? {});
    const provider = (section: SectionId) => new SectionTreeProvider(section, childrenLoader, () => this.beforeRead(section), tooltipExtra, markers);
    this.providers = { consul: provider('consul'), nomad: provider('nomad'), traefik: provider('traefik'), aws: provider('aws') };
    this.views = {
      consul: vscode.window.createTreeView(VIEW_IDS.consul, { treeDataProvider: this.providers.consul, showCollapseAll: true }),
      nomad: vscode.window.createTreeView(VIEW_IDS.nomad, { treeDataProvider: this.providers.nomad, showCollapseAll: true }),
      traefik: vscode.window.createTreeView(VIEW_IDS.traefik, { treeDataProvider: this.providers.traefik, showCollapseAll: true }),
      aws: vscode.window.createTreeView(VIEW_IDS.aws, { treeDataProvider: this.providers.aws, showCollapseAll: true }),
    };
    for (const section of SECTIONS) {
      const view = this.views[section];
      this.subscriptions.push(view.onDidChangeVisibility(() => {
        this.updateDemand(section);
        this.markSeen();
      }));
      this.updateDemand(section);
    }
    this.markSeen();
    this.subscriptions.push(
      ...(['consul', 'nomad'] as const).map((section) => this.views[section].onDidCollapseElement((event) => this.release(event.element.id))),
      host.onDidChange(() => this.updateConnected()),
      host.onDidChange((change) => {
        // What the token may do changed: every row's menus (their markers) are drawn again, not only changed rows.
        if (change.kind === 'access') {
          this.render(change.section);
          this.providers[change.section].redrawAll();
          return;
        }
        this.scheduleRender(change.section);
        // Traefik's routers show their chain through Consul and Nomad: redrawn when those move.
        if (change.kind === 'data' && (change.section === 'consul' || change.section === 'nomad' || change.section === 'aws')) this.scheduleRender('traefik');
      }),
      host.onDidChangeHeld((change) => {
        // The row whose children the read is: redrawn where it shows.
        if (change.kind === 'instances') this.providers.consul.redraw(`consul/service/${change.key}`);
        else if (change.kind === 'keys') this.providers.consul.redraw(change.key ? `consul/kv/${change.key}` : 'consul/kv');
        else if (change.kind === 'variables') this.providers.nomad.redraw('nomad/variables');
      }),
      host.profiles.onDidChangeActive(() => this.showProfile()),
      // The Forwarded Ports rows (their counters move while a forward runs).
      ...(forwards ? [forwards.onDidChange(() => this.render('nomad'))] : []),
      // The routers' URLs follow where users reach Traefik; nothing is asked of the cluster again.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('hashistack.traefik.publicPorts')) this.render('traefik');
      }),
    );
    this.showProfile();
    for (const section of SECTIONS) this.render(section);
  }

  view(section: SectionId): vscode.TreeView<ExplorerNode> {
    return this.views[section];
  }

  /** Shows a Consul service in the explorer (from the Launcher's "Show in Explorer"). */
  async revealConsulService(service: string): Promise<void> {
    const folder = this.providers.consul.rootNodes.find((node) => node.id === 'consul/services');
    const row = folder?.children?.find((node) => node.id === `consul/service/${service}`);
    if (!row) {
      void vscode.window.showInformationMessage(`Hashistack: the Consul section does not list "${service}".`);
      return;
    }
    await this.views.consul.reveal(row, { select: true, focus: true, expand: false });
  }

  /** Shows an allocation's row in the Nomad view (from a rollout's failure, or a Consul instance). */
  revealNomadAllocation(allocationId: string): Promise<boolean> {
    return this.revealNomadRow(`nomad/allocation/${allocationId}`, `allocation ${allocationId.slice(0, 8)} (it may have been garbage-collected)`);
  }

  /** A job's open evaluation under its row (a blocked one: why the job waits). */
  revealNomadEvaluation(jobId: string, namespace: string, evaluationId: string): Promise<boolean> {
    return this.revealNomadRow(`nomad/job/${namespace}/${jobId}/evaluation/${evaluationId}`, `evaluation ${evaluationId.slice(0, 8)} of ${jobId} (it is no longer blocked or pending)`);
  }

  private async revealNomadRow(id: string, missing: string): Promise<boolean> {
    const row = this.providers.nomad.findComputed(id);
    if (!row) {
      void vscode.window.showInformationMessage(`Hashistack: the Nomad section does not list ${missing}.`);
      return false;
    }
    await this.views.nomad.reveal(row, { select: true, focus: true, expand: true });
    return true;
  }

  /**
   * Shows a Consul service's instance row (its instances load on expand): the service is revealed expanded,
   * then the instance once its row has loaded.
   */
  async revealConsulInstance(service: string, serviceId: string): Promise<boolean> {
    return this.revealConsulInstanceWhere(service, (node) => node.id.endsWith(`/${serviceId}`));
  }

  /** A Consul service's instance row whose address is `address` (`10.0.1.12:24310`, a Traefik server's). */
  revealConsulInstanceAt(service: string, address: string): Promise<boolean> {
    return this.revealConsulInstanceWhere(service, (node) => node.copy?.address === address);
  }

  private async revealConsulInstanceWhere(service: string, matches: (node: ExplorerNode) => boolean): Promise<boolean> {
    const folder = this.providers.consul.rootNodes.find((node) => node.id === 'consul/services');
    const row = folder?.children?.find((node) => node.id === `consul/service/${service}`);
    if (!row) return false;
    await this.views.consul.reveal(row, { select: false, focus: false, expand: true });
    const deadline = Date.now() + REVEAL_LOAD_MS;
    for (;;) {
      const instance = this.providers.consul.findLoaded(row.id)?.find(matches);
      if (instance) {
        await this.views.consul.reveal(instance, { select: true, focus: true, expand: false });
        return true;
      }
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A visible view keeps its section current; a hidden one lets it go idle (and its instance watches stop). */
  private updateDemand(section: SectionId): void {
    const visible = this.views[section].visible;
    if (visible && !this.demand.has(section)) {
      this.demand.set(section, this.host.need(VIEW_NEEDS[section]));
      // Expanded rows were not watched while hidden: ask the view again, which re-reads what is expanded.
      this.providers[section].redrawAll();
    } else if (!visible && this.demand.has(section)) {
      this.demand.get(section)!.dispose();
      this.demand.delete(section);
      this.releaseAll(section);
    }
  }

  /**
   * The children of an expanded row that are a held read: held from the first expand until the row collapses,
   * its view hides or the store is replaced; redrawn by onDidChangeHeld. A read that failed with nothing in hand
   * is the row's error.
   */
  private async heldChildren<T>(rowId: string, hold: (store: ClusterStore) => { dispose(): void; first: Promise<void> }, read: (store: ClusterStore) => HeldRead<T> | undefined, rows: (data: T | undefined) => ExplorerNode[]): Promise<ExplorerNode[]> {
    const store = await this.host.ready();
    // A new store (another profile, a new token) has none of the old one's watches.
    if (this.heldStore !== store) {
      this.releaseAll();
      this.heldStore = store;
    }
    if (!this.heldRows.has(rowId)) {
      const handle = hold(store);
      this.heldRows.set(rowId, handle);
      await handle.first;
    }
    const held = read(store);
    if (held?.error !== undefined && held.data === undefined) throw held.error;
    return rows(held?.data);
  }

  /** Lets go of a row's held read and of those of the rows under it (a collapsed folder's open subfolders). */
  private release(rowId: string): void {
    for (const [id, handle] of [...this.heldRows]) {
      if (id === rowId || id.startsWith(`${rowId}/`)) {
        handle.dispose();
        this.heldRows.delete(id);
      }
    }
  }

  /** Lets go of every held read, or of one section's (its view was hidden, or its data went). */
  private releaseAll(section?: SectionId): void {
    for (const id of [...this.heldRows.keys()]) if (!section || id.startsWith(`${section}/`)) this.release(id);
  }

  private scheduleRender(section: SectionId): void {
    if (this.renderTimers.has(section)) return;
    this.renderTimers.set(
      section,
      setTimeout(() => {
        this.renderTimers.delete(section);
        this.render(section);
        // AWS rows show each instance's Nomad node.
        if (section === 'nomad' && this.host.store?.aws) this.render('aws');
      }, RENDER_COALESCE_MS),
    );
  }

  /** A view reads its rows: draw what the store holds now, and load a section nothing has loaded yet. */
  private beforeRead(section: SectionId): void {
    const store = this.host.store;
    if (!store) {
      void this.host.ready().then(() => this.render(section));
      return;
    }
    const live = store.section(section);
    if (live?.resting && (live.state.mode === 'idle' || live.state.mode === 'paused')) void live.refresh();
    if (this.drawn.get(section) !== store.state(section)?.version) this.render(section);
  }

  /** Draws one section from the store's state of it now. */
  private render(section: SectionId): void {
    const store = this.host.store;
    const state = store?.state(section);
    this.drawn.set(section, state?.version ?? -1);
    this.providers[section].show(this.sectionView(section, state));
    this.views[section].description = modeDescription(state) + (section === 'nomad' || section === 'consul' ? aclDescription(store?.access.current[section]) : '');
    if ((section === 'consul' || section === 'nomad') && state?.data === undefined) this.releaseAll(section);
    if (CLUSTER_SECTIONS.includes(section)) this.updateNoClusterContext();
    this.statusBar.showStaleness(CLUSTER_SECTIONS.filter((id) => store?.state(id)?.mode === 'failed'));
  }

  private sectionView(section: SectionId, state: SectionState<unknown> | undefined): SectionView {
    if (!state || state.mode === 'idle' || (state.mode === 'loading' && state.data === undefined)) {
      return section === 'aws' && !this.host.activeProfile.aws ? { kind: 'empty' } : { kind: 'loading' };
    }
    if (state.data === undefined) {
      return state.error !== undefined ? { kind: 'error', error: state.error } : { kind: 'loading' };
    }
    let nodes: ExplorerNode[];
    try {
      nodes = this.buildRows(section, state.data);
    } catch (error) {
      // The shapes are conformed where they enter; should something still slip through, the view says so
      // in an error row and keeps drawing on the next change, instead of freezing in the render timer.
      return { kind: 'error', error: new Error(`the data of this section could not be drawn (${error instanceof Error ? error.message : String(error)}); Refresh reads it again`) };
    }
    const stale = state.mode === 'failed' && state.error !== undefined ? { error: state.error, since: state.staleSince ?? Date.now() } : undefined;
    return { kind: 'rows', nodes, stale };
  }

  private buildRows(section: SectionId, data: unknown): ExplorerNode[] {
    const ui = this.host.uiAddresses();
    switch (section) {
      case 'consul': {
        const token = tokenNode('consul', this.host.store?.access.current.consul, [], Date.now());
        return [...(token ? [token] : []), ...consulSectionNodes(data as ConsulSectionData, ui)];
      }
      case 'nomad': {
        const forwarded = forwardedPortsFolder(this.forwards?.summaries() ?? []);
        const nomad = data as NomadSectionData;
        const namespaces = [...new Set(nomad.jobs.map((job) => itemNamespace(job.Namespace, nomad.namespace)))].sort();
        const token = tokenNode('nomad', this.host.store?.access.current.nomad, namespaces, Date.now());
        return [...(token ? [token] : []), ...nomadSectionNodes(nomad, { ui, now: Date.now() }), ...(forwarded ? [forwarded] : [])];
      }
      case 'traefik':
        // A router's chain reads what the store holds of Consul and Nomad (no request of its own).
        return traefikSectionNodes(data as TraefikSectionData, { consul: this.host.store?.consul.state.data, nomad: this.host.store?.nomad.state.data, ecs: this.host.store?.aws?.state.data?.services }, this.host.traefikPublicPorts());
      case 'aws':
        return awsSectionNodes({ ...(data as AwsSectionData), nomadNodes: this.host.store?.nomad.state.data?.nodes }, Date.now());
    }
  }

  private showProfile(): void {
    this.statusBar.show(this.host.profiles.active, this.host.profiles.configurationProblems[0]);
    void vscode.commands.executeCommand('setContext', AWS_CONTEXT_KEY, Boolean(this.host.profiles.active.aws));
  }

  /**
   * Every section failed to connect and has nothing to show: each keeps its error row (its address and
   * error), and the first also lists the next steps as rows.
   */
  private updateNoClusterContext(): void {
    const store = this.host.store;
    const noneAnswers = CLUSTER_SECTIONS.every((section) => {
      const state = store?.state(section);
      if (!state || state.data !== undefined || state.mode !== 'failed') return false;
      const kind = (state.error as { kind?: string } | undefined)?.kind;
      return kind === 'unreachable' || kind === 'timeout';
    });
    this.providers.consul.setFooter(noneAnswers ? noClusterRows() : []);
    this.updateConnected();
  }

  /** Whether any product of the active cluster has answered with data (drawn or not: a lens reads Nomad too). */
  private updateConnected(): void {
    const store = this.host.store;
    const connected = CLUSTER_SECTIONS.some((section) => store?.state(section)?.data !== undefined);
    if (connected !== this.connected) {
      this.connected = connected;
      void vscode.commands.executeCommand('setContext', CONNECTED_CONTEXT_KEY, connected);
    }
  }

  private connected = false;
  private seen = false;

  /** Once a view of the explorer has been on screen: the walkthrough's "Open the cluster explorer" is done. */
  private markSeen(): void {
    if (this.seen || !Object.values(this.views).some((view) => view.visible)) return;
    this.seen = true;
    void vscode.commands.executeCommand('setContext', EXPLORER_SEEN_CONTEXT_KEY, true);
  }

  dispose(): void {
    this.renderTimers.forEach((timer) => clearTimeout(timer));
    this.renderTimers.clear();
    this.demand.forEach((handle) => handle.dispose());
    this.demand.clear();
    this.releaseAll();
    for (const disposable of [...Object.values(this.providers), ...Object.values(this.views), ...this.subscriptions]) {
      disposable.dispose();
    }
  }
}
