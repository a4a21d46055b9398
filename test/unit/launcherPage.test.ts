import * as assert from 'node:assert/strict';
import { LAUNCHER_RESOURCE_ROOTS, LAUNCHER_WEBVIEW_OPTIONS, launcherContentSecurityPolicy, launcherHtml } from '../../src/core/launcher/launcherPage';

/** The policy as directive → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('The Launcher page and its Content-Security-Policy', () => {
  const nonce = 'bm9uY2Utbm9uY2Utbm9uY2U=';
  const cspSource = 'https://*.vscode-cdn.net';
  const html = launcherHtml({ nonce, cspSource, scriptUri: 'https://file.vscode-cdn.net/ext/dist/webview/launcher.js', styleUri: 'https://file.vscode-cdn.net/ext/media/launcher.css' });

  it('allows nothing by default and scripts only by this page nonce: no inline, no eval, no other origin', () => {
    const policy = directives(launcherContentSecurityPolicy(nonce, cspSource));
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
    assert.deepEqual(policy.get('script-src'), [`'nonce-${nonce}'`]);
    for (const [name, sources] of policy) {
      for (const weak of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
        assert.ok(!sources.includes(weak), `${name} must not allow ${weak}`);
      }
    }
    assert.deepEqual(policy.get('style-src'), [cspSource, `'nonce-${nonce}'`], 'no inline styles');
  });

  it('puts that policy in the page, and every script of the page is the bundled one, with the nonce', () => {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(meta, 'the page declares its policy');
    assert.equal(meta[1], launcherContentSecurityPolicy(nonce, cspSource));
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
    assert.match(scripts[0]![1]!, /src="https:\/\/file\.vscode-cdn\.net\/ext\/dist\/webview\/launcher\.js"/);
    assert.equal(scripts[0]![2]!.trim(), '', 'no inline script');
    assert.doesNotMatch(html, /\son\w+=|style="/, 'no inline handlers or styles');
  });

  it('turns command links off and loads resources only from media/ and the webview bundle', () => {
    assert.equal(LAUNCHER_WEBVIEW_OPTIONS.enableCommandUris, false);
    assert.equal(LAUNCHER_WEBVIEW_OPTIONS.enableScripts, true);
    assert.deepEqual(LAUNCHER_RESOURCE_ROOTS.map((parts) => parts.join('/')), ['media', 'dist/webview']);
  });
});
