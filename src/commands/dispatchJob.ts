import * as vscode from 'vscode';
import { dispatchSpec, parseDispatchMeta } from '../core/nomad/jobActions';
import { ClusterStoreHost } from '../services/clusterStoreHost';
import { jobFor } from './allocationTarget';
import { confirmAction, reportActionError } from './nomadActions';
import { registerTrustedCommand } from './workspaceTrust';

/** The largest payload Nomad takes for a dispatch (16 KiB, `DispatchPayloadSizeLimit`). */
const DISPATCH_PAYLOAD_LIMIT_BYTES = 16 * 1024;

/** Dispatch a parameterized job (`POST /v1/job/:id/dispatch`), asking for its meta keys and its payload. */
export function registerDispatchJob(host: ClusterStoreHost, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerTrustedCommand('hashistack.dispatchJob', 'Dispatching a job', async (argument?: { job?: { id: string; namespace: string } }, preset?: { meta: string; payload?: string }) => {
    const job = await jobFor(host, argument, 'dispatch', (candidate) => Boolean(candidate.ParameterizedJob) && !candidate.Stop);
    if (!job) return undefined;
    const store = await host.ready();
    try {
      const spec = dispatchSpec(await store.nomad.api.job(job.id, job.namespace));
      if (!spec) {
        void vscode.window.showErrorMessage(`Hashistack: ${job.id} is not a parameterized job.`);
        return undefined;
      }
      const keys = [...spec.required.map((key) => `${key} (required)`), ...spec.optional];
      const metaText = preset?.meta ?? (await vscode.window.showInputBox({ title: `Dispatch ${job.id} on "${host.activeProfile.name}"`, prompt: keys.length ? `Meta as key=value, comma-separated: ${keys.join(', ')}` : 'This job takes no meta: leave empty.', validateInput: (value) => { const parsed = parseDispatchMeta(value, spec); return 'problem' in parsed ? parsed.problem : undefined; } }));
      if (metaText === undefined) return undefined;
      const parsed = parseDispatchMeta(metaText, spec);
      if ('problem' in parsed) {
        void vscode.window.showErrorMessage(`Hashistack: not dispatched: ${parsed.problem}`);
        return undefined;
      }
      let payload: Uint8Array | undefined = preset?.payload !== undefined ? new TextEncoder().encode(preset.payload) : undefined;
      if (!preset && spec.payload !== 'forbidden') {
        const source = await vscode.window.showQuickPick(
          [...(spec.payload === 'optional' ? [{ label: 'No payload', from: 'none' as const }] : []), { label: 'A file…', from: 'file' as const }, ...(vscode.window.activeTextEditor ? [{ label: `The text of ${vscode.workspace.asRelativePath(vscode.window.activeTextEditor.document.uri)}`, from: 'editor' as const }] : [])],
          { title: `Payload of ${job.id} (${spec.payload})` },
        );
        if (!source) return undefined;
        if (source.from === 'file') {
          const file = (await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Payload file' }))?.[0];
          if (!file) return undefined;
          payload = await vscode.workspace.fs.readFile(file);
        } else if (source.from === 'editor') {
          payload = new TextEncoder().encode(vscode.window.activeTextEditor!.document.getText());
        }
      }
      if (payload && payload.length > DISPATCH_PAYLOAD_LIMIT_BYTES) {
        void vscode.window.showErrorMessage(`Hashistack: the payload is ${Math.ceil(payload.length / 1024)} KiB; Nomad takes at most 16 KiB.`);
        return undefined;
      }
      if (spec.payload === 'required' && !payload?.length) {
        void vscode.window.showErrorMessage(`Hashistack: ${job.id} requires a payload.`);
        return undefined;
      }
      const summary = Object.entries(parsed.meta).map(([key, value]) => `${key}=${value}`).join(', ') || 'no meta';
      if (!(await confirmAction(host, `Dispatch ${job.id}?`, job.namespace, `Meta: ${summary}; payload: ${payload?.length ? `${payload.length} bytes` : 'none'}.`, 'Dispatch', { action: 'dispatch', namespace: job.namespace }))) return undefined;
      const answer = await store.nomad.api.dispatchJob(job.id, job.namespace, parsed.meta, payload);
      log.info(`Dispatched ${job.id} on "${host.activeProfile.name}" as ${answer.DispatchedJobID}`);
      void vscode.window.showInformationMessage(`Hashistack: dispatched ${answer.DispatchedJobID}.`);
      return answer;
    } catch (error) {
      reportActionError(`Dispatching ${job.id}`, error, 'dispatch-job', job.namespace);
      return undefined;
    }
  });
}
