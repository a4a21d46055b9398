import * as vscode from 'vscode';
import { childrenOf, errorNode, ExplorerNode, SectionId, staleNode, tooltipText } from '../core/tree/explorerNode';
import { reconcileNodes } from '../core/tree/reconcile';
import { toTreeItem } from './treeItems';

export type ChildrenLoader = (node: ExplorerNode, signal: AbortSignal) => Promise<ExplorerNode[]>;

/** What a section view shows, from the store's state of that section. */
export type SectionView =
  | { kind: 'loading' }
  | { kind: 'rows'; nodes: ExplorerNode[]; stale?: { error: unknown; since: number } }
  | { kind: 'error'; error: unknown }
  | { kind: 'empty' };

/**
 * One view of the explorer. It only reads: the explorer hands it what the store holds, and it redraws
 * the rows that changed (new rows are folded into the old ones by id), so expansion and selection stay.
 * The loading indicator shows on the first load only.
 */
/**
 * How many expansions' loaded children a view keeps (for Reveal, which needs a row's parent). Enough for
 * everything a person has open; the oldest go first, so a view left open all day does not grow.
 */
export const MAX_LAZY_LOADED = 200;

export class SectionTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | ExplorerNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private nodes: ExplorerNode[] = [];
  private header: ExplorerNode | undefined;
  private firstLoad: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Rows shown under the section's error row (the next steps, when no part of the cluster answers). */
  private footer: ExplorerNode[] = [];
  private viewKind: SectionView['kind'] = 'empty';

  constructor(
    readonly section: SectionId,
    private readonly childrenLoader: ChildrenLoader,
    /** Called before the root rows are read: draws what the store holds if not drawn yet, loads a resting section. */
    private readonly beforeRead: () => void = () => undefined,
    /** More for a row's tooltip that needs a request (a running allocation's usage), asked when the tooltip shows. */
    private readonly tooltipExtra: (node: ExplorerNode) => Promise<string | undefined> = async () => undefined,
    /** Markers appended to a row's context value when it is drawn (the actions its token may take there). */
    private readonly markers: (node: ExplorerNode) => string[] = () => [],
  ) {}

  /** Whether the view shows rows of data (possibly under a stale row), an error alone, or nothing yet. */
  get kind(): SectionView['kind'] {
    return this.viewKind;
  }

  /** Rows under an error row, e.g. what to do when no part of the cluster answers; [] for none. */
  setFooter(rows: ExplorerNode[]): void {
    if (rows.length === 0 && this.footer.length === 0) return;
    this.footer = rows;
    this.changed.fire(undefined);
  }

  /** Takes a new picture of the section and redraws what differs from the one shown. */
  show(view: SectionView): void {
    const previousKind = this.viewKind;
    this.viewKind = view.kind;
    if (view.kind === 'loading') {
      if (!this.firstLoad && this.nodes.length === 0) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.firstLoad = { promise, resolve };
        this.changed.fire(undefined);
      }
      return;
    }
    const settleFirstLoad = () => {
      const first = this.firstLoad;
      this.firstLoad = undefined;
      first?.resolve();
    };
    if (view.kind !== 'rows') {
      // No rows, no parents: what their expansions loaded goes too (a new store, another cluster).
      this.lazyLoaded.clear();
      this.nodes = view.kind === 'error' ? [errorNode(this.section, view.error)] : [];
      this.header = undefined;
      settleFirstLoad();
      this.changed.fire(undefined);
      return;
    }
    const header = view.stale ? staleNode(this.section, view.stale.error, view.stale.since) : undefined;
    const headerChanged = header?.label !== this.header?.label || header?.contextValue !== this.header?.contextValue;
    this.header = header;
    const result = reconcileNodes(previousKind === 'rows' ? this.nodes : [], view.nodes);
    this.nodes = result.nodes;
    const waiting = this.firstLoad !== undefined;
    settleFirstLoad();
    if (waiting || headerChanged || result.rootChanged || previousKind !== 'rows') {
      this.changed.fire(undefined);
    } else if (result.changed.length > 0) {
      this.changed.fire(result.changed);
    }
  }

  /** Redraws one row and its children (a Consul service whose instances changed). */
  redraw(id: string): void {
    const node = this.find(id);
    if (node) this.changed.fire(node);
  }

  /** Asks the view for everything again (it keeps expansion by id), e.g. when it comes back into sight. */
  redrawAll(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const item = toTreeItem(node);
    const markers = this.markers(node);
    if (markers.length) item.contextValue = `${node.contextValue} ${markers.join(' ')}`;
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): Promise<vscode.TreeItem> {
    item.tooltip ??= tooltipText(node);
    const extra = await this.tooltipExtra(node).catch((error: unknown) => `(usage not available: ${error instanceof Error ? error.message : String(error)})`);
    if (extra) item.tooltip = `${typeof item.tooltip === 'string' ? item.tooltip : (tooltipText(node) ?? '')}\n\n${extra}`;
    return item;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      this.beforeRead();
      // Awaiting the first load makes the view show its progress bar instead of an empty tree.
      await this.firstLoad?.promise;
      const rows = this.header ? [this.header, ...this.nodes] : this.nodes;
      return this.viewKind === 'error' ? [...rows, ...this.footer] : rows;
    }
    let computed: ExplorerNode[] | undefined;
    try {
      computed = childrenOf(node);
    } catch (error) {
      // Rows built from odd data may throw when expanded: an error row under that row, as for a section.
      return [{ ...errorNode(this.section, error), id: `${node.id}/error` }];
    }
    if (computed) {
      return computed;
    }
    if (node.lazyChildren) {
      const controller = new AbortController();
      try {
        const loaded = await this.childrenLoader(node, controller.signal);
        // Kept so rows loaded on expand can be found again and revealed (their parent is known).
        this.lazyLoaded.delete(node.id);
        this.lazyLoaded.set(node.id, loaded);
        // The latest expansions only: rows collected or closed long ago must not be kept all day.
        for (const id of this.lazyLoaded.keys()) {
          if (this.lazyLoaded.size <= MAX_LAZY_LOADED) break;
          this.lazyLoaded.delete(id);
        }
        return loaded;
      } catch (error) {
        return [{ ...errorNode(this.section, error), id: `${node.id}/error` }];
      }
    }
    return [];
  }

  /** The children a row loaded on expand, if it has been expanded. */
  findLoaded(parentId: string): ExplorerNode[] | undefined {
    return this.lazyLoaded.get(parentId);
  }

  /** Children loaded on expand, by their parent's id (the latest load of each). */
  private readonly lazyLoaded = new Map<string, ExplorerNode[]>();

  /** The parent of a row among the loaded ones (TreeView.reveal needs it). */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    const search = (nodes: readonly ExplorerNode[], parent: ExplorerNode | undefined): ExplorerNode | undefined | null => {
      for (const candidate of nodes) {
        if (candidate.id === node.id) return parent ?? null;
        const children = candidate.children ?? this.lazyLoaded.get(candidate.id);
        const found = children ? search(children, candidate) : undefined;
        if (found !== undefined) return found;
      }
      return undefined;
    };
    return search(this.nodes, undefined) ?? undefined;
  }

  private find(id: string, nodes: readonly ExplorerNode[] = this.nodes): ExplorerNode | undefined {
    for (const node of nodes) {
      if (node.id === id) return node;
      const found = node.children ? this.find(id, node.children) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /**
   * A loaded row by id, building the rows computed on expand (a job's allocations) on the way, so that a
   * row nobody has opened yet can still be revealed. Lazily loaded children (requests) are not searched.
   */
  findComputed(id: string, nodes: readonly ExplorerNode[] = this.nodes): ExplorerNode | undefined {
    for (const node of nodes) {
      if (node.id === id) return node;
      const children = node.children ?? (node.computeChildren ? childrenOf(node) : this.lazyLoaded.get(node.id));
      const found = children ? this.findComputed(id, children) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The rows now shown at the root, the stale row first when there is one (no request is made). */
  get rootNodes(): readonly ExplorerNode[] {
    return this.header ? [this.header, ...this.nodes] : this.nodes;
  }

  dispose(): void {
    this.firstLoad?.resolve();
    this.changed.dispose();
  }
}
