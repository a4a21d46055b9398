import * as vscode from 'vscode';
import { childrenOf, errorNode, ExplorerNode, SectionId, tooltipText } from '../core/tree/explorerNode';
import { isApiError } from '../core/http/apiError';
import { toTreeItem } from './treeItems';

export type SectionLoader = (signal: AbortSignal) => Promise<ExplorerNode[]>;
export type ChildrenLoader = (node: ExplorerNode, signal: AbortSignal) => Promise<ExplorerNode[]>;

export type SectionStatus = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; loadedAt: number } | { kind: 'error'; error: unknown; loadedAt: number };

/**
 * One view of the explorer (Consul, Nomad or Traefik). It loads and fails on its own: a failure becomes
 * one error row under this section only. A new refresh cancels the one in flight, so the newest wins.
 */
export class SectionTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly statusChanged = new vscode.EventEmitter<SectionStatus>();
  readonly onDidChangeStatus = this.statusChanged.event;

  private nodes: ExplorerNode[] = [];
  private currentStatus: SectionStatus = { kind: 'idle' };
  private inFlight: { controller: AbortController; done: Promise<void> } | undefined;
  private hidden = false;

  constructor(
    readonly section: SectionId,
    private readonly loader: SectionLoader,
    private readonly childrenLoader: ChildrenLoader,
  ) {}

  get status(): SectionStatus {
    return this.currentStatus;
  }

  /** When no part of the cluster answers, the views show their welcome content instead of rows. */
  setHidden(hidden: boolean): void {
    if (this.hidden !== hidden) {
      this.hidden = hidden;
      this.changed.fire(undefined);
    }
  }

  /** Load the section again; resolves when the new rows are ready (or the error row is). */
  refresh(): Promise<void> {
    this.inFlight?.controller.abort();
    const controller = new AbortController();
    this.setStatus({ kind: 'loading' });
    const done = this.loader(controller.signal).then(
      (nodes) => {
        if (controller.signal.aborted) return;
        this.nodes = nodes;
        this.setStatus({ kind: 'ready', loadedAt: Date.now() });
      },
      (error: unknown) => {
        if (controller.signal.aborted || (isApiError(error) && error.kind === 'cancelled')) return;
        this.nodes = [errorNode(this.section, error)];
        this.setStatus({ kind: 'error', error, loadedAt: Date.now() });
      },
    );
    const entry = { controller, done };
    this.inFlight = entry;
    void done.finally(() => {
      if (this.inFlight === entry) {
        this.inFlight = undefined;
        this.changed.fire(undefined);
      }
    });
    this.changed.fire(undefined);
    return done;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): vscode.TreeItem {
    item.tooltip ??= tooltipText(node);
    return item;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      if (this.currentStatus.kind === 'idle') {
        void this.refresh();
      }
      // Awaiting the load in flight makes the view show its progress bar instead of stale rows.
      await this.inFlight?.done;
      return this.hidden ? [] : this.nodes;
    }
    const computed = childrenOf(node);
    if (computed) {
      return computed;
    }
    if (node.lazyChildren) {
      const controller = new AbortController();
      try {
        return await this.childrenLoader(node, controller.signal);
      } catch (error) {
        return [{ ...errorNode(this.section, error), id: `${node.id}/error` }];
      }
    }
    return [];
  }

  /** The parent of a row among the loaded ones (TreeView.reveal needs it). */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    const search = (nodes: readonly ExplorerNode[], parent: ExplorerNode | undefined): ExplorerNode | undefined | null => {
      for (const candidate of nodes) {
        if (candidate.id === node.id) return parent ?? null;
        const found = candidate.children ? search(candidate.children, candidate) : undefined;
        if (found !== undefined) return found;
      }
      return undefined;
    };
    return search(this.nodes, undefined) ?? undefined;
  }

  /** The rows now shown at the root (for tests and the API; no request is made). */
  get rootNodes(): readonly ExplorerNode[] {
    return this.nodes;
  }

  private setStatus(status: SectionStatus): void {
    this.currentStatus = status;
    this.statusChanged.fire(status);
  }

  dispose(): void {
    this.inFlight?.controller.abort();
    this.changed.dispose();
    this.statusChanged.dispose();
  }
}
