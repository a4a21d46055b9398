import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HashistackApi } from '../../src/extension';

/** The extension's parts, as it returns them to its own tests (activating it if it is not yet). */
export async function api(): Promise<HashistackApi> {
  const extension = vscode.extensions.getExtension<HashistackApi>('hashistack.hashistack');
  assert.ok(extension, 'the extension is installed');
  return extension.activate();
}
