import * as vscode from 'vscode';
import { bumpEdit, canSetExplicitTag, explicitTagEdit, explicitTagWarning, notBumpableMessage, TextEdit } from '../core/jobspec/bumpEdit';
import { ImageSite } from '../core/jobspec/imageScanner';
import { pickJobspecDefining } from '../services/jobspecFinder';
import { bumpTag, BumpKind, isValidTag } from '../core/jobspec/versionBump';
import { newestTag } from '../core/aws/ecrImages';
import { EcrTags } from '../services/ecrTags';
import { ExplorerNode } from '../core/tree/explorerNode';
import { RESTRICTED_MODE_MESSAGE } from '../services/deployRunner';
import { JobspecIndex } from '../services/jobspecIndex';
import { LensTarget } from '../views/jobspecCodeLens';
import { markWalkthroughStep } from '../services/walkthroughProgress';

/** Arguments: a lens target, an explorer job row, or nothing (the active editor). */
export type BumpArgument = LensTarget | ExplorerNode | undefined;

/**
 * Bump Image Version: patch / minor / major / explicit, in the tag's own form, as one WorkspaceEdit
 * that touches only the tag's characters (one undo restores the file).
 */
export function registerBumpImage(index: JobspecIndex, ecr?: EcrTags): vscode.Disposable {
  return vscode.commands.registerCommand('hashistack.bumpImage', async (argument?: BumpArgument, kind?: BumpKind | { tag: string }) => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(RESTRICTED_MODE_MESSAGE);
      return false;
    }
    const document = await documentFor(argument);
    if (!document) return false;
    const scan = await index.scan(document);
    if (!scan) {
      void vscode.window.showWarningMessage('Hashistack: Bump Image Version works on *.nomad, *.nomad.hcl and ecs-*.tf files.');
      return false;
    }
    let sites: ImageSite[] = scan.kind === 'jobspec' ? scan.scan.images : scan.scan.images;
    const jobId = jobIdOf(argument);
    const address = argument && 'address' in argument ? argument.address : undefined;
    if (jobId) sites = sites.filter((site) => site.jobId === jobId);
    if (address) sites = sites.filter((site) => site.target === address);
    if (sites.length === 0) {
      void vscode.window.showInformationMessage(`Hashistack: no container image found${jobId ? ` in job "${jobId}"` : ''} in ${vscode.workspace.asRelativePath(document.uri)}.`);
      return false;
    }
    const site = sites.length === 1 ? sites[0] : await pickSite(sites);
    if (!site) return false;
    const edit = await chooseEdit(site, kind, ecr);
    if (!edit) return false;
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.newText);
    const applied = await vscode.workspace.applyEdit(workspaceEdit);
    if (applied) {
      markWalkthroughStep('bumped');
      vscode.window.setStatusBarMessage(`$(arrow-up) ${site.owner}: ${site.tag?.text ?? site.text} → ${edit.newText.replace(/^:/, '')}`, 5000);
    }
    return applied;
  });
}

function jobIdOf(argument: BumpArgument): string | undefined {
  if (!argument) return undefined;
  if ('jobId' in argument && argument.jobId) return argument.jobId;
  if ('job' in argument && argument.job) return argument.job.id;
  return undefined;
}

async function documentFor(argument: BumpArgument): Promise<vscode.TextDocument | undefined> {
  if (argument && 'uri' in argument && typeof argument.uri === 'string') {
    return vscode.workspace.openTextDocument(vscode.Uri.parse(argument.uri));
  }
  const jobId = jobIdOf(argument);
  if (jobId) {
    // From the explorer: open the workspace jobspec that defines the job.
    // Several files may declare the job: ask which, as Open Jobspec does.
    const target = await pickJobspecDefining(jobId);
    if (!target) return undefined;
    const document = await vscode.workspace.openTextDocument(target.uri);
    await vscode.window.showTextDocument(document);
    return document;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Hashistack: open a jobspec (*.nomad) or an ecs-*.tf file to bump its image.');
    return undefined;
  }
  return editor.document;
}

async function pickSite(sites: ImageSite[]): Promise<ImageSite | undefined> {
  const picked = await vscode.window.showQuickPick(
    sites.map((site) => ({ label: site.tag?.text ?? '(no tag)', description: site.text, detail: site.owner, site })),
    { title: 'Bump which image?', matchOnDetail: true },
  );
  return picked?.site;
}

async function chooseEdit(site: ImageSite, preset?: BumpKind | { tag: string }, ecr?: EcrTags): Promise<TextEdit | undefined> {
  try {
    if (preset) {
      if (typeof preset === 'string') return bumpEdit(site, preset);
      const warning = explicitTagWarning(preset.tag);
      if (warning) void vscode.window.showWarningMessage(`Hashistack: ${warning}`);
      return explicitTagEdit(site, preset.tag);
    }
    if (!site.bumpable) {
      const message = notBumpableMessage(site)!;
      const choice = canSetExplicitTag(site) ? await vscode.window.showWarningMessage(message, 'Set Explicit Tag…') : await vscode.window.showWarningMessage(message);
      return choice ? askExplicit(site) : undefined;
    }
    const current = site.tag!.text;
    const items: (vscode.QuickPickItem & { bump?: BumpKind })[] = [];
    for (const kind of ['patch', 'minor', 'major'] as const) {
      try {
        items.push({ label: `${kind[0]!.toUpperCase()}${kind.slice(1)}`, description: `${current} → ${bumpTag(current, kind)}`, bump: kind });
      } catch {
        // This tag has no such part (e.g. no patch in v3.1): not offered.
      }
    }
    // An ECR image: the newest tag of its kind in the repository, when the profile has AWS.
    const newest = ecr && EcrTags.repositoryOf(site) ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reading the tags in ECR…' }, async () => {
      const tags = await ecr.tagsOf(site);
      return tags ? newestTag(current, tags) : undefined;
    }) : undefined;
    const ecrItem = newest ? [{ label: 'Newest in ECR', description: `${current} → ${newest}`, ecrTag: newest }] : [];
    const all: (vscode.QuickPickItem & { bump?: BumpKind; ecrTag?: string })[] = [...ecrItem, ...items, { label: 'Explicit tag…', description: `replace ${current}` }];
    const picked = await vscode.window.showQuickPick(all, { title: `Bump ${site.owner}`, placeHolder: site.text });
    if (!picked) return undefined;
    if (picked.ecrTag) return explicitTagEdit(site, picked.ecrTag);
    return picked.bump ? bumpEdit(site, picked.bump) : askExplicit(site);
  } catch (error) {
    void vscode.window.showErrorMessage(`Hashistack: ${(error as Error).message}`);
    return undefined;
  }
}

async function askExplicit(site: ImageSite): Promise<TextEdit | undefined> {
  const tag = await vscode.window.showInputBox({
    title: `Tag for ${site.owner}`,
    value: site.tag?.text,
    prompt: `Image ${site.reference.registry ? `${site.reference.registry}/` : ''}${site.reference.repository}`,
    validateInput: (value) => {
      if (!isValidTag(value)) return 'Letters, digits, "_", "." and "-"; at most 128; not starting with "." or "-".';
      // A valid but poor tag may still be set: said as a warning, not refused.
      const warning = explicitTagWarning(value);
      return warning ? { message: warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
  if (!tag) return undefined;
  const warning = explicitTagWarning(tag);
  if (warning) void vscode.window.showWarningMessage(`Hashistack: set ${tag}. ${warning}`);
  return explicitTagEdit(site, tag);
}
