// The Nomad section's Variables: a folder held while expanded, its paths as folders, each variable a row
// that opens as a document. Rows never carry a value: the list has none, and a value is shown only in its
// opened document.
import { formatAge, nanosecondsToDate } from '../../nomad/nomadTime';
import { MASKED_VALUE, NomadVariableMetadata, VariableFolder, variableTree } from '../../nomad/variables';
import { ExplorerNode } from '../explorerNode';

export const OPEN_VARIABLE_COMMAND = 'hashistack.openVariable';

/** The folder under Nomad; `namespace` is the profile's (`*`: every one the token may list). */
export function variablesFolderNode(namespace: string): ExplorerNode {
  return {
    id: 'nomad/variables',
    label: 'Variables',
    description: namespace === '*' ? 'all namespaces' : namespace,
    tooltip: `Nomad Variables${namespace === '*' ? ' of every namespace the token may list' : ` in namespace ${namespace}`}: listed while this folder is open, kept current by a blocking query. Values show only in a variable's opened document.`,
    icon: { id: 'symbol-key' },
    contextValue: 'nomadVariables',
    collapsible: 'collapsed',
    lazyChildren: { kind: 'nomadVariables', namespace },
    variable: { namespace: namespace === '*' ? 'default' : namespace, path: '' },
  };
}

/** The folder's rows: by namespace first when several are listed, then by path. */
export function variableNodes(variables: readonly NomadVariableMetadata[], now: number): ExplorerNode[] {
  const namespaces = [...new Set(variables.map((variable) => variable.Namespace))].sort();
  if (namespaces.length <= 1) return folderRows(variableTree(variables), namespaces[0] ?? 'default', now);
  return namespaces.map((namespace) => {
    const rows = folderRows(variableTree(variables.filter((variable) => variable.Namespace === namespace)), namespace, now);
    return { id: `nomad/variables/${namespace}`, label: namespace, description: 'namespace', icon: { id: 'symbol-namespace' }, contextValue: 'nomadVariableFolder', collapsible: 'collapsed', children: rows, variable: { namespace, path: '' } };
  });
}

function folderRows(folder: VariableFolder, namespace: string, now: number): ExplorerNode[] {
  const folders = folder.folders.map(
    (child): ExplorerNode => ({
      id: `nomad/variables/${namespace}/${child.prefix}`,
      label: child.name,
      icon: { id: 'folder' },
      contextValue: 'nomadVariableFolder',
      collapsible: 'collapsed',
      children: folderRows(child, namespace, now),
      variable: { namespace, path: child.prefix },
    }),
  );
  return [...folders, ...folder.variables.map((variable) => variableNode(variable, now))];
}

export function variableNode(variable: NomadVariableMetadata, now: number): ExplorerNode {
  const modified = nanosecondsToDate(variable.ModifyTime);
  const name = variable.Path.split('/').pop()!;
  return {
    id: `nomad/variables/${variable.Namespace}/${variable.Path}`,
    label: name,
    description: modified ? `modified ${formatAge(modified, now)}` : undefined,
    tooltip: [`${variable.Path}`, `Namespace ${variable.Namespace}`, modified ? `Modified ${modified.toISOString()} (index ${variable.ModifyIndex})` : `Index ${variable.ModifyIndex}`, `Items: ${MASKED_VALUE} (open the variable to see them)`].join('\n'),
    icon: { id: 'symbol-key' },
    contextValue: 'nomadVariable copyId',
    collapsible: 'none',
    variable: { namespace: variable.Namespace, path: variable.Path, modifyIndex: variable.ModifyIndex },
    copy: { id: variable.Path },
    command: { id: OPEN_VARIABLE_COMMAND, title: 'Open Variable', arguments: [{ variable: { namespace: variable.Namespace, path: variable.Path } }] },
  };
}
