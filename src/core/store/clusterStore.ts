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

export interface ClusterStoreOptions extends NomadSectionOptions, AwsSectionOptions {
  clients: ClusterClients;
  settings: () => LiveSettings;
  /** The AWS side of the profile, if it has one, and how to connect to it (the SDK loads on first use). */
  aws?: { part: AwsPart; connect: () => Promise<AwsConnection> };
  /** Products whose configured address is unusable: their sections say so and send nothing. */
  problems?: Partial<Record<'consul' | 'nomad' | 'traefik', string>>;
}

export interface StoreChange {
  section: SectionId;
  /** data: what the section holds changed; status: only its mode, error or staleness did. */
  kind: 'data' | 'status' | 'instances';
  service?: string;
}

export class ClusterStore implements Disposable {
  readonly consul: ConsulSection;
  readonly nomad: NomadSection;
  readonly traefik: TraefikSection;
  readonly aws: AwsSection | undefined;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly subscriptions: Disposable[] = [];
  private disposed = false;

  constructor(options: ClusterStoreOptions) {
    const { clients, settings, aws, problems, ...sectionOptions } = options;
    this.consul = new ConsulSection(clients.consul, settings, sectionOptions);
    this.nomad = new NomadSection(clients.nomad, settings, sectionOptions);
    this.traefik = new TraefikSection(clients.traefik, settings, sectionOptions);
    this.aws = aws ? new AwsSection(aws.part, aws.connect, sectionOptions) : undefined;
    for (const [product, problem] of Object.entries(problems ?? {})) {
      if (problem) this.section(product as SectionId)?.refuse(problem);
    }
    for (const id of ['consul', 'nomad', 'traefik', 'aws'] as const) {
      const section = this.section(id);
      if (section) this.subscriptions.push(section.onDidChange((kind) => this.emit({ section: id, kind })));
    }
    this.subscriptions.push(this.consul.onDidChangeInstances((service) => this.emit({ section: 'consul', kind: 'instances', service })));
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

  /** Keeps the named sections current until the handle is disposed (a visible view, the Launcher, a lens). */
  need(sections: readonly SectionId[]): Disposable {
    const handles = sections.map((id) => this.section(id)?.need()).filter((handle): handle is Disposable => Boolean(handle));
    return { dispose: () => handles.forEach((handle) => handle.dispose()) };
  }

  /** Loads one section, or all, again now; resolves when the new data (or error) is in. */
  async refresh(section?: SectionId): Promise<void> {
    const ids: SectionId[] = section ? [section] : ['consul', 'nomad', 'traefik', 'aws'];
    await Promise.all(ids.map((id) => this.section(id)?.refresh()));
  }

  private emit(change: StoreChange): void {
    if (this.disposed) return;
    for (const listener of [...this.listeners]) listener(change);
  }

  /** Ends every watcher, stream and timer of the store. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.consul.dispose();
    this.nomad.dispose();
    this.traefik.dispose();
    this.aws?.dispose();
  }
}
