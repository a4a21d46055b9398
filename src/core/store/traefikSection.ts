// Traefik's section of the cluster store: Traefik has no push API, so it is polled while it is needed.
import { TraefikClient } from '../traefik/traefikClient';
import { TraefikSectionData } from '../tree/traefik/traefikProperties';
import { LiveSection, LiveSectionOptions } from './liveSection';
import { fetchTraefikSection } from '../explorer/sectionLoaders';
import { DEFAULT_TRAEFIK_POLL_SECONDS, LiveSettings } from './liveSettings';

export class TraefikSection extends LiveSection<TraefikSectionData> {

  constructor(
    private readonly client: TraefikClient,
    private readonly settings: () => LiveSettings,
    options: LiveSectionOptions = {},
  ) {
    super('Traefik', options);
  }

  protected async start(signal: AbortSignal): Promise<void> {
    const data = await fetchTraefikSection(this.client, signal);
    if (signal.aborted) return;
    const settings = this.settings();
    // Traefik has no push API: while live, poll it; otherwise use the fallback interval, if any.
    const seconds = settings.live ? settings.traefikPollSeconds || DEFAULT_TRAEFIK_POLL_SECONDS : settings.fallbackPollSeconds;
    this.keepPolling(data, seconds, (s) => fetchTraefikSection(this.client, s), signal);
  }
}
