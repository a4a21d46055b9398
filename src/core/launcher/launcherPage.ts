// The Launcher webview's page and options, without VS Code: one place that says what the page may do,
// so a test can hold the policy to it.

/** Where the Launcher may load resources from, relative to the extension: its stylesheet and its script bundle. */
export const LAUNCHER_RESOURCE_ROOTS = [['media'], ['dist', 'webview']] as const;

/** The webview options: scripts (the bundled one only, by nonce), no command links, nothing outside the roots. */
export const LAUNCHER_WEBVIEW_OPTIONS = { enableScripts: true, enableCommandUris: false } as const;

/**
 * The Content-Security-Policy: nothing by default; scripts only with this page's nonce (no inline, no eval,
 * no other origin); styles and fonts from the extension only.
 */
export function launcherContentSecurityPolicy(nonce: string, cspSource: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource} 'nonce-${nonce}'`, `font-src ${cspSource}`, `img-src ${cspSource}`].join('; ');
}

export function launcherHtml(page: { nonce: string; cspSource: string; scriptUri: string; styleUri: string }): string {
  const { nonce } = page;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${launcherContentSecurityPolicy(nonce, page.cspSource)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${page.styleUri}" nonce="${nonce}">
<title>Hashistack Launcher</title>
</head>
<body>
<p id="status" role="status"></p>
<main id="cards" aria-label="Services"></main>
<script type="module" nonce="${nonce}" src="${page.scriptUri}"></script>
</body>
</html>`;
}
