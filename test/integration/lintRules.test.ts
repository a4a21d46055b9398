import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..', '..');

describe("The project's lint rule against HTML sinks in webview code", function () {
  this.timeout(30_000);
  const eslint = new ESLint({ cwd: ROOT });
  const flagged = async (code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'src', 'webview', 'sample.ts') });
    return result!.messages.filter((message) => message.ruleId === 'no-restricted-syntax').length;
  };

  for (const sink of [
    "el.innerHTML = card.name;",
    "el['innerHTML'] = card.name;",
    "el.outerHTML = card.name;",
    "el.insertAdjacentHTML('beforeend', card.name);",
    "el['insertAdjacentHTML']('beforeend', card.name);",
    'document.write(card.name);',
    'document.writeln(card.name);',
    "new DOMParser().parseFromString(card.name, 'text/html');",
    'document.createRange().createContextualFragment(card.name);',
  ]) {
    it(`refuses ${sink}`, async () => {
      assert.ok((await flagged(`declare const el: any, card: any; ${sink}`)) > 0);
    });
  }

  it('lets text through', async () => {
    assert.equal(await flagged("declare const el: any, card: any; el.textContent = card.name; el.setAttribute('title', card.name);"), 0);
  });
});
