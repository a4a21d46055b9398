import * as vscode from 'vscode';
import { VersionRowCommand } from '../core/tree/nomad/jobVersions';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { PlanDocuments } from '../views/planDocuments';

/** A version row's diff to the version before, as a document like the plan's. */
export function registerShowVersionDiff(host: ClusterStoreHost, plans: PlanDocuments): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.showVersionDiff', (version?: VersionRowCommand) => {
    if (!version) {
      void vscode.window.showInformationMessage('Hashistack: open a job\'s Versions in the Nomad view and pick a version.');
      return undefined;
    }
    return plans.show(PlanDocuments.versionUri(host.activeProfile.name, version.namespace, version.jobId, version.version), version.text);
  });
}
