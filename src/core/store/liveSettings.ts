// How the store keeps its sections current: the user's settings and the defaults behind them.
export interface LiveSettings {
  /** `hashistack.live`: event stream and blocking queries; off, sections load once and on Refresh. */
  live: boolean;
  /** Seconds between two reads when a source cannot be watched (`hashistack.autoRefreshSeconds`); 0: never. */
  fallbackPollSeconds: number;
  /** Seconds between two reads of Traefik, which has no push API. */
  traefikPollSeconds: number;
}

/** Polls with nothing set still poll: a source that cannot be watched must not freeze silently. */
export const DEFAULT_FALLBACK_POLL_SECONDS = 10;
/** Traefik is read this often while a Traefik view or the Launcher is visible. */
export const DEFAULT_TRAEFIK_POLL_SECONDS = 5;

export function fallbackSeconds(settings: LiveSettings): number {
  return settings.fallbackPollSeconds > 0 ? settings.fallbackPollSeconds : DEFAULT_FALLBACK_POLL_SECONDS;
}
