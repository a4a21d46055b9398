// Nomad variables as documents: `nomad-var:/<namespace>/<path>?profile=<name>`, the items as one JSON object
// (core/nomad/variables.ts says why JSON), saved with `PUT /v1/var/<path>?cas=<index read>`.
import * as vscode from 'vscode';
import { nanosecondsToDate } from '../core/nomad/nomadTime';
import { NomadVariable, parseVariableDocument, variableDocument, variablePathProblem } from '../core/nomad/variables';
import { ClusterStore } from '../core/store/clusterStore';
import { ClusterDocuments, DocumentEntry, DocumentRefusal, DocumentTarget, DocumentWrite } from './clusterDocuments';

export const VARIABLE_SCHEME = 'nomad-var';
/** What a new variable's document holds until it is saved. */
export const NEW_VARIABLE_TEMPLATE = '{\n  "key": "value"\n}\n';

interface VariableTarget extends DocumentTarget {
  namespace: string;
  path: string;
}

export class VariableDocuments extends ClusterDocuments<VariableTarget> {
  protected readonly product = 'Nomad';

  uri(namespace: string, path: string): vscode.Uri {
    return this.uriOf(`/${namespace}/${path}`);
  }

  protected target(uri: vscode.Uri): VariableTarget {
    const [namespace = '', ...rest] = uri.path.replace(/^\//, '').split('/');
    const path = rest.join('/');
    const problem = variablePathProblem(path);
    if (!namespace || problem) throw vscode.FileSystemError.FileNotFound(problem ?? `${uri.path} names no namespace`);
    return {
      namespace,
      path,
      description: `variable ${path} in namespace ${namespace}`,
      readCapability: `"variables: read" on path ${path} in namespace ${namespace}`,
      writeCapability: `"variables: write" on path ${path} in namespace ${namespace}`,
      writeNeed: { product: 'nomad', namespace, variablePath: path, operation: 'write' },
    };
  }

  protected async read(store: ClusterStore, target: VariableTarget): Promise<DocumentEntry | undefined> {
    const variable = await store.nomad.api.variable(target.path, target.namespace);
    return variable && { text: variableDocument(variable.Items ?? {}), index: variable.ModifyIndex };
  }

  protected async write(store: ClusterStore, target: VariableTarget, text: string, index: number): Promise<DocumentWrite> {
    const parsed = parseVariableDocument(text);
    if ('problem' in parsed) throw new DocumentRefusal(parsed.problem);
    const result = await store.nomad.api.putVariable(target.path, target.namespace, parsed.items, index);
    if (result.kind === 'written') return { kind: 'written', entry: { text: variableDocument(result.variable?.Items ?? parsed.items), index: result.variable?.ModifyIndex ?? 0 } };
    return { kind: 'conflict', theirs: result.current.Items ? { text: variableDocument(result.current.Items), index: result.current.ModifyIndex } : undefined, who: whoWon(result.current) };
  }
}

/** "their version of 14:02:10 (index 1479)": Nomad does not record who wrote a variable, only when. */
function whoWon(current: NomadVariable): string {
  const when = nanosecondsToDate(current.ModifyTime);
  return `their version${when ? ` of ${when.toLocaleString()}` : ''} (index ${current.ModifyIndex})`;
}
