import * as vscode from 'vscode';
import { PREVIEW_TEMPLATE_COMMAND } from '../views/templateLanguage';
import { TemplatePreviews } from '../views/templatePreviews';

/** Render Template Preview: from the lens on a template block (its document and position), else the active editor's first template. */
export function registerPreviewTemplate(previews: TemplatePreviews): vscode.Disposable {
  return vscode.commands.registerCommand(PREVIEW_TEMPLATE_COMMAND, async (uri?: string, position?: number) => {
    const document = uri ? vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'nomad') {
      void vscode.window.showInformationMessage('Hashistack: open a jobspec with a template block to preview it.');
      return undefined;
    }
    const shown = await previews.preview(document, position ?? 0);
    if (!shown) void vscode.window.showInformationMessage('Hashistack: this jobspec has no template block with data to preview.');
    return shown;
  });
}
