import * as vscode from 'vscode';
import { ExplorerNode } from '../core/tree/explorerNode';

const COLLAPSIBLE: Record<ExplorerNode['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/** The VS Code rendering of a pure explorer node. Tooltips stay plain strings: cluster text is never markdown. */
export function toTreeItem(node: ExplorerNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
  item.id = node.id;
  item.description = node.description;
  // A lazy tooltip is filled in by resolveTreeItem when the user hovers the row.
  item.tooltip = typeof node.tooltip === 'function' ? undefined : node.tooltip;
  item.contextValue = node.contextValue;
  if (node.icon) {
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  }
  if (node.contextValue.split(' ').includes('error')) {
    item.command = { command: 'hashistack.retrySection', title: 'Retry', arguments: [node] };
  } else if (node.command) {
    item.command = { command: node.command.id, title: node.command.title, arguments: node.command.arguments };
  }
  return item;
}
