// Nomad Variables from the explorer and the palette: open, create, rename (copy + delete) and delete, each
// write confirmed by a modal that names the cluster, the namespace and the path, and checked-and-set at the
// index the explorer listed or the command read.
import * as vscode from 'vscode';
import { isApiError } from '../core/http/apiError';
import { variablePathProblem } from '../core/nomad/variables';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { NEW_VARIABLE_TEMPLATE, VariableDocuments } from '../views/variableDocuments';
import { confirmAction, refuseLacking } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

interface VariableRef {
  namespace: string;
  path: string;
  modifyIndex?: number;
}

export function registerVariableCommands(host: ClusterStoreHost, documents: VariableDocuments, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('hashistack.openVariable', async (argument?: { variable?: VariableRef }) => {
      const variable = argument?.variable?.path ? argument.variable : await pickVariable(host);
      if (!variable) return undefined;
      return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(documents.uri(variable.namespace, variable.path)), { preview: false });
    }),
    registerTrustedCommand('hashistack.createVariable', 'Creating a Nomad variable', async (argument?: { variable?: VariableRef }) => {
      const namespace = await namespaceFor(host, argument?.variable?.namespace);
      if (!namespace) return undefined;
      const path = await vscode.window.showInputBox({
        title: `New variable in namespace ${namespace} on "${host.activeProfile.name}"`,
        prompt: 'Its path (a job reads nomad/jobs/<job> without any policy of its own)',
        value: argument?.variable?.path ?? 'nomad/jobs/',
        validateInput: variablePathProblem,
      });
      if (!path) return undefined;
      try {
        if (await (await host.ready()).nomad.api.variable(path, namespace)) {
          void vscode.window.showWarningMessage(`Hashistack: variable ${path} already exists in namespace ${namespace}: opening it.`);
          return vscode.commands.executeCommand('hashistack.openVariable', { variable: { namespace, path } });
        }
      } catch (error) {
        return reportVariableError(`Creating ${path}`, error, 'read', path, namespace);
      }
      if (!(await confirmAction(host, `Create variable ${path}?`, namespace, 'It opens as a document of its items (JSON); it is written when you save it, and only if no one created it meanwhile.', 'Create Variable', { product: 'nomad', namespace, variablePath: path, operation: 'write' }))) return undefined;
      await documents.openDraft(documents.uri(namespace, path), NEW_VARIABLE_TEMPLATE);
      return path;
    }),
    registerTrustedCommand('hashistack.deleteVariable', 'Deleting a Nomad variable', async (argument?: { variable?: VariableRef }) => {
      const variable = argument?.variable?.path ? argument.variable : await pickVariable(host);
      if (!variable) return undefined;
      if (!(await confirmAction(host, `Delete variable ${variable.path}?`, variable.namespace, 'Its items are gone for good; jobs whose templates read it stop rendering.', 'Delete Variable', { product: 'nomad', namespace: variable.namespace, variablePath: variable.path, operation: 'destroy' }))) return undefined;
      try {
        const api = (await host.ready()).nomad.api;
        const index = variable.modifyIndex ?? (await api.variable(variable.path, variable.namespace))?.ModifyIndex;
        const result = await api.deleteVariable(variable.path, variable.namespace, index);
        if (result.kind === 'conflict') {
          void vscode.window.showWarningMessage(`Hashistack: variable ${variable.path} changed since it was listed (now index ${result.current.ModifyIndex}): not deleted. Look at it again first.`);
          return undefined;
        }
        log.info(`Deleted variable ${variable.path} in namespace ${variable.namespace} on "${host.activeProfile.name}"`);
        void vscode.window.showInformationMessage(`Hashistack: deleted variable ${variable.path}.`);
        return variable.path;
      } catch (error) {
        return reportVariableError(`Deleting ${variable.path}`, error, 'destroy', variable.path, variable.namespace);
      }
    }),
    registerTrustedCommand('hashistack.renameVariable', 'Renaming a Nomad variable', async (argument?: { variable?: VariableRef }) => {
      const variable = argument?.variable?.path ? argument.variable : await pickVariable(host);
      if (!variable) return undefined;
      const target = await vscode.window.showInputBox({ title: `Rename ${variable.path}`, prompt: 'The new path', value: variable.path, validateInput: (value) => (value === variable.path ? 'That is its path now.' : variablePathProblem(value)) });
      if (!target) return undefined;
      // A rename writes the new path and destroys the old one: the token needs both.
      if (refuseLacking(host, 'Rename Variable', { product: 'nomad', namespace: variable.namespace, variablePath: target, operation: 'write' })) return undefined;
      if (!(await confirmAction(host, `Rename variable ${variable.path} to ${target}?`, variable.namespace, `Nomad has no rename: its items are written to ${target} (only if that path is free), then ${variable.path} is deleted (only if it did not change meanwhile). Jobs that read the old path stop rendering.`, 'Rename Variable', { product: 'nomad', namespace: variable.namespace, variablePath: variable.path, operation: 'destroy' }))) return undefined;
      try {
        const api = (await host.ready()).nomad.api;
        const current = await api.variable(variable.path, variable.namespace);
        if (!current?.Items) {
          void vscode.window.showWarningMessage(`Hashistack: variable ${variable.path} is gone from namespace ${variable.namespace}: nothing to rename.`);
          return undefined;
        }
        const copied = await api.putVariable(target, variable.namespace, current.Items, 0);
        if (copied.kind === 'conflict') {
          void vscode.window.showWarningMessage(`Hashistack: ${target} already exists in namespace ${variable.namespace}: nothing was renamed.`);
          return undefined;
        }
        const removed = await api.deleteVariable(variable.path, variable.namespace, current.ModifyIndex);
        if (removed.kind === 'conflict') {
          void vscode.window.showWarningMessage(`Hashistack: copied to ${target}, but ${variable.path} changed meanwhile and was kept: compare the two and delete one.`);
          return target;
        }
        log.info(`Renamed variable ${variable.path} to ${target} in namespace ${variable.namespace} on "${host.activeProfile.name}"`);
        void vscode.window.showInformationMessage(`Hashistack: renamed ${variable.path} to ${target}.`);
        return target;
      } catch (error) {
        return reportVariableError(`Renaming ${variable.path}`, error, 'write', variable.path, variable.namespace);
      }
    }),
  );
}

/** A variable picked among those of the profile's namespace, from the store's held list (read, then let go). */
async function pickVariable(host: ClusterStoreHost): Promise<VariableRef | undefined> {
  const store = await host.ready();
  const namespace = store.nomad.api.namespace;
  const handle = store.nomad.watchVariables(namespace);
  try {
    await handle.first;
    const read = store.nomad.variables(namespace);
    if (read?.error !== undefined && !read.data) {
      reportVariableError('Listing variables', read.error, 'list', '*', namespace);
      return undefined;
    }
    const variables = read?.data ?? [];
    if (variables.length === 0) {
      void vscode.window.showInformationMessage(`Hashistack: no variable in ${namespace === '*' ? 'any namespace' : `namespace ${namespace}`} on "${host.activeProfile.name}" (or none the token may list).`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      variables.map((variable) => ({ label: variable.Path, description: variable.Namespace, variable: { namespace: variable.Namespace, path: variable.Path, modifyIndex: variable.ModifyIndex } })),
      { title: `Variables on "${host.activeProfile.name}"` },
    );
    return picked?.variable;
  } finally {
    handle.dispose();
  }
}

/** The namespace a new variable goes to: the row's, the profile's, or asked when the profile lists all (`*`). */
async function namespaceFor(host: ClusterStoreHost, fromRow: string | undefined): Promise<string | undefined> {
  if (fromRow) return fromRow;
  const configured = (await host.ready()).nomad.api.namespace;
  if (configured !== '*') return configured;
  return vscode.window.showInputBox({ title: 'Namespace of the new variable', value: 'default', validateInput: (value) => (/^[a-zA-Z0-9-]{1,128}$/.test(value) ? undefined : 'A namespace name: letters, digits and -') });
}

/** A variable operation's failure in Nomad's words; a 403 names the capability and the path. */
function reportVariableError(what: string, error: unknown, capability: 'list' | 'read' | 'write' | 'destroy', path: string, namespace: string): undefined {
  const reason = error instanceof Error ? error.message : String(error);
  const forbidden = isApiError(error) && error.kind === 'forbidden' ? ` The Nomad token needs "variables: ${capability}" on path ${path} in namespace ${namespace}.` : '';
  void vscode.window.showErrorMessage(`Hashistack: ${what} failed: ${reason}${forbidden}`);
  return undefined;
}
