// The cluster store: the single owner of one profile's cluster data. Views, lenses, the Launcher and
// commands read it and subscribe to it; none of them fetch lists on their own.
import { ClusterClients } from '../explorer/clusterClients';
import { SectionId } from '../tree/explorerNode';
import { Disposable, LiveSection, SectionState } from './liveSection';
import { AwsConnection, AwsSection, AwsSectionOptions } from './awsSection';
import { ConsulSection } from './consulSection';
import { LiveSettings } from './liveSettings';
import { NomadSection, NomadSectionOptions } from './nomadSection';
import { TraefikSection } from './traefikSection';
import { AwsPart } from '../profiles/clusterProfile';
import type { Parser } from 'web-tree-sitter';
import { createHclParser } from '../jobspec/hclParser';
import { AccessReads } from './accessReads';

export interface ClusterStoreOptions extends NomadSectionOptions, AwsSectionOptions {
  clients: ClusterClients;
  settings: () => LiveSettings;
  /** The AWS side of the profile, if it has one, and how to connect to it (the SDK loads on first use). */
  aws?: { part: AwsPart; connect: () => Promise<AwsConnection> };
  /** Products whose configured address is unusable: their sections say so and send nothing. */
  problems?: Partial<Record<'consul' | 'nomad' | 'traefik', string>>;
  /** The HCL parser ACL policies are read with (tree-sitter; made on first use). */
  hclParser?: () => Promise<Parser>;
}

export interface StoreChange {
  section: SectionId;
  /** data: what the section holds changed; status: only its mode, error or staleness did; access: what its token may do. */
  kind: 'data' | 'status' | 'access';
}

/**
 * A held read changed (what an expanded row shows, read while it is expanded): a Consul service's instances,
 * a namespace's variables, the keys under a KV prefix. Apart from StoreChange: only the explorer redraws on it.
 */
export interface HeldChange {
  /** templateData: a variable, key, prefix or Nomad service that a jobspec's template reads. */
  kind: 'instances' | 'variables' | 'keys' | 'templateData';
  /** The service, the namespace, the prefix; for templateData, the read's own key. */
  key: string;
}

export class ClusterStore implements Disposable {
  readonly consul: ConsulSection;
  readonly nomad: NomadSection;
  readonly traefik: TraefikSection;
  readonly aws: AwsSection | undefined;
  /** What the profile's Nomad and Consul tokens may do. */
  readonly access: AccessReads;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly heldListeners = new Set<(change: HeldChange) => void>();
  private readonly subscriptions: Disposable[] = [];
  private disposed = false;

  constructor(options: ClusterStoreOptions) {
    const { clients, settings, aws, problems, hclParser, ...sectionOptions } = options;
    this.consul = new ConsulSection(clients.consul, settings, sectionOptions);
    this.nomad = new NomadSection(clients.nomad, settings, sectionOptions);
    this.traefik = new TraefikSection(clients.traefik, settings, sectionOptions);
    this.aws = aws ? new AwsSection(aws.part, aws.connect, sectionOptions) : undefined;
    for (const [product, problem] of Object.entries(problems ?? {})) {
      if (problem) this.section(product as SectionId)?.refuse(problem);
    }
    let parser: Promise<Parser> | undefined;
    this.access = new AccessReads({ nomad: clients.nomad, consul: clients.consul }, () => (parser ??= (hclParser ?? createHclParser)()), (product) => this.emit({ section: product, kind: 'access' }));
    for (const id of ['consul', 'nomad', 'traefik', 'aws'] as const) {
      const section = this.section(id);
      if (!section) continue;
      this.subscriptions.push(
        section.onDidChange((kind) => {
          // A section with data reaches its product with this token: what the token may do there is read once.
          if (kind === 'data' && (id === 'nomad' || id === 'consul') && section.state.data !== undefined) this.access.ensure(id);
          this.emit({ section: id, kind });
        }),
      );
    }
    const held = (kind: HeldChange['kind']) => (key: string) => {
      if (!this.disposed) for (const listener of [...this.heldListeners]) listener({ kind, key });
    };
    this.subscriptions.push(this.consul.onDidChangeInstances(held('instances')), this.consul.onDidChangeKeys(held('keys')), this.nomad.onDidChangeVariables(held('variables')), this.nomad.onDidChangeTemplateData(held('templateData')), this.consul.onDidChangeTemplateData(held('templateData')));
  }

  section(id: SectionId): LiveSection<unknown> | undefined {
    switch (id) {
      case 'consul':
        return this.consul as LiveSection<unknown>;
      case 'nomad':
        return this.nomad as LiveSection<unknown>;
      case 'traefik':
        return this.traefik as LiveSection<unknown>;
      case 'aws':
        return this.aws as LiveSection<unknown> | undefined;
    }
  }

  state(id: SectionId): SectionState<unknown> | undefined {
    return this.section(id)?.state;
  }

  onDidChange(listener: (change: StoreChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  onDidChangeHeld(listener: (change: HeldChange) => void): Disposable {
    this.heldListeners.add(listener);
    return { dispose: () => this.heldListeners.delete(listener) };
  }

  /** Keeps the named sections current until the handle is disposed (a visible view, the Launcher, a lens). */
  need(sections: readonly SectionId[]): Disposable {
    const handles = sections.map((id) => this.section(id)?.need()).filter((handle): handle is Disposable => Boolean(handle));
    return { dispose: () => handles.forEach((handle) => handle.dispose()) };
  }

  /** Loads one section, or all, again now; resolves when the new data (or error) is in. */
  async refresh(section?: SectionId): Promise<void> {
    const ids: SectionId[] = section ? [section] : ['consul', 'nomad', 'traefik', 'aws'];
    await Promise.all([
      ...ids.map((id) => this.section(id)?.refresh()),
      // Refresh reads the token again too: its policies may have changed since.
      ...ids.filter((id): id is 'nomad' | 'consul' => (id === 'nomad' || id === 'consul') && this.access.current[id] !== undefined).map((id) => this.access.reload(id)),
    ]);
  }

  private emit(change: StoreChange): void {
    if (this.disposed) return;
    for (const listener of [...this.listeners]) listener(change);
  }

  /** Ends every watcher, stream and timer of the store. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.heldListeners.clear();
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.access.dispose();
    this.consul.dispose();
    this.nomad.dispose();
    this.traefik.dispose();
    this.aws?.dispose();
  }
}
