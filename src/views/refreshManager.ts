import * as vscode from 'vscode';
import { SectionId } from '../core/tree/explorerNode';
import { SectionTreeProvider } from './sectionTreeProvider';

// Refresh policies. Live updates through blocking queries come later; until then these are the rules.

/** Auto-refresh intervals below this are raised to it, so a mistaken `1` cannot hammer the servers. */
export const MIN_AUTO_REFRESH_SECONDS = 5;
/** A view that becomes visible again refreshes if what it shows is older than this. */
export const STALE_WHEN_SHOWN_MS = 60_000;
/** Auto refresh skips a section whose last load is younger than this (it was just refreshed by hand). */
export const AUTO_REFRESH_SKIP_IF_YOUNGER_MS = 2_000;

interface Section {
  provider: SectionTreeProvider;
  view: vscode.TreeView<unknown>;
}

/**
 * Decides when sections refresh: on demand, on a timer only while a view is visible, and when a view
 * comes back into sight with stale data. It never refreshes a hidden view on a timer.
 */
export class RefreshManager implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly sections: Map<SectionId, Section>) {
    for (const section of sections.values()) {
      this.subscriptions.push(
        section.view.onDidChangeVisibility((event) => {
          if (event.visible && isStale(section.provider)) {
            void section.provider.refresh();
          }
          this.schedule();
        }),
      );
    }
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('hashistack.autoRefreshSeconds')) {
          this.schedule();
        }
      }),
    );
    this.schedule();
  }

  /** Refresh one section, or every section when none is named. */
  async refresh(section?: SectionId): Promise<void> {
    const targets = section ? [this.sections.get(section)!] : [...this.sections.values()];
    await Promise.all(targets.map((target) => target.provider.refresh()));
  }

  /** The interval in force, in seconds; 0 when auto refresh is off. */
  get intervalSeconds(): number {
    const configured = vscode.workspace.getConfiguration('hashistack').get<number>('autoRefreshSeconds', 0);
    if (!configured || configured <= 0) {
      return 0;
    }
    return Math.max(MIN_AUTO_REFRESH_SECONDS, configured);
  }

  private schedule(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    const seconds = this.intervalSeconds;
    const anyVisible = [...this.sections.values()].some((section) => section.view.visible);
    if (seconds === 0 || !anyVisible) {
      return;
    }
    this.timer = setInterval(() => {
      for (const section of this.sections.values()) {
        const status = section.provider.status;
        const young = (status.kind === 'ready' || status.kind === 'error') && Date.now() - status.loadedAt < AUTO_REFRESH_SKIP_IF_YOUNGER_MS;
        if (section.view.visible && status.kind !== 'loading' && !young) {
          void section.provider.refresh();
        }
      }
    }, seconds * 1000);
  }

  dispose(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}

function isStale(provider: SectionTreeProvider): boolean {
  const status = provider.status;
  return (status.kind === 'ready' || status.kind === 'error') && Date.now() - status.loadedAt > STALE_WHEN_SHOWN_MS;
}
