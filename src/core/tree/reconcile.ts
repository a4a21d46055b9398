// Updates in place: a new build of a section's rows is folded into the rows the view already has, so
// that only what changed is redrawn and expansion, selection and scroll position stay as they are.
import { childrenOf, ExplorerNode } from './explorerNode';

export interface Reconciled {
  nodes: ExplorerNode[];
  /** The root's rows were added, removed or reordered: the whole view must be asked again. */
  rootChanged: boolean;
  /** Rows (kept objects) whose own rendering or list of children changed. */
  changed: ExplorerNode[];
}

function sameIcon(a: ExplorerNode['icon'], b: ExplorerNode['icon']): boolean {
  return a?.id === b?.id && a?.color === b?.color;
}

/** What the view draws of a row itself (a lazy tooltip is resolved again whenever the row is redrawn). */
export function sameRow(a: ExplorerNode, b: ExplorerNode): boolean {
  return (
    a.label === b.label &&
    a.description === b.description &&
    a.contextValue === b.contextValue &&
    a.collapsible === b.collapsible &&
    a.url === b.url &&
    sameIcon(a.icon, b.icon) &&
    (typeof a.tooltip === 'function' || typeof b.tooltip === 'function' ? true : a.tooltip === b.tooltip)
  );
}

function reconcileList(previous: ExplorerNode[], next: ExplorerNode[], changed: ExplorerNode[]): { nodes: ExplorerNode[]; structural: boolean } {
  const byId = new Map(previous.map((node) => [node.id, node]));
  let structural = previous.length !== next.length;
  const nodes = next.map((fresh, position) => {
    const kept = byId.get(fresh.id);
    if (!kept) {
      structural = true;
      return fresh;
    }
    if (previous[position] !== kept) structural = true;
    const rowChanged = !sameRow(kept, fresh);
    const computed = kept.children;
    // The kept row takes the fresh row's fields, and loses those the fresh row no longer has.
    const fields: Partial<ExplorerNode> = { ...fresh };
    delete fields.children;
    delete fields.computeChildren;
    for (const key of Object.keys(kept) as (keyof ExplorerNode)[]) {
      if (!(key in fresh) && key !== 'children' && key !== 'computeChildren') delete kept[key];
    }
    Object.assign(kept, fields);
    let childrenChanged = false;
    if (computed) {
      // The view has seen these children (the row was expanded, or they are built eagerly): fold them in too.
      const result = reconcileList(computed, childrenOf(fresh) ?? [], changed);
      kept.children = result.nodes;
      kept.computeChildren = undefined;
      childrenChanged = result.structural;
    } else {
      // Never expanded: the view has not asked for them, so nothing to redraw; take the new ones as they are.
      kept.children = fresh.children;
      kept.computeChildren = fresh.computeChildren;
    }
    if (rowChanged || childrenChanged) changed.push(kept);
    return kept;
  });
  return { nodes, structural };
}

/** Folds `next` into `previous` (mutating kept rows), and says what the view must redraw. */
export function reconcileNodes(previous: ExplorerNode[], next: ExplorerNode[]): Reconciled {
  const changed: ExplorerNode[] = [];
  const result = reconcileList(previous, next, changed);
  return { nodes: result.nodes, rootChanged: result.structural, changed };
}
