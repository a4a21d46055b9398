// Bundles the extension into dist/extension.js with esbuild: one file, `vscode` left external,
// Node's `node` export conditions (the AWS SDK's endpoint variables only work there).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

const watch = process.argv.includes('--watch');
const production = process.env.NODE_ENV === 'production' || process.argv.includes('--production');

const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  // The AWS SDK is bundled on its own (dist/aws-sdk.js) and required on first use of the AWS section.
  external: ['vscode', '@aws-sdk/*'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  metafile: true,
  // web-tree-sitter locates its files from import.meta.url, which a CommonJS bundle does not have:
  // give it this file's URL.
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__bundleUrl' },
};

// The tree-sitter runtime and the HCL grammar are WebAssembly files loaded at run time: ship them beside the bundle.
mkdirSync('dist', { recursive: true });
copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'), 'dist/tree-sitter.wasm');
copyFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'), 'dist/tree-sitter-hcl.wasm');

const awsOptions = {
  entryPoints: ['src/aws/sdkBundle.ts'],
  bundle: true,
  outfile: 'dist/aws-sdk.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minify: production,
  logLevel: 'info',
};

// The Launcher webview's script: a browser bundle of its own, never part of the extension bundle.
const webviewOptions = {
  entryPoints: ['src/webview/launcher.ts'],
  bundle: true,
  outfile: 'dist/webview/launcher.js',
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  const webviewContext = await esbuild.context(webviewOptions);
  await webviewContext.watch();
} else {
  await esbuild.build(webviewOptions);
  await esbuild.build(awsOptions);
  const result = await esbuild.build(options);
  const inputs = Object.keys(result.metafile.inputs);
  const leaked = inputs.filter((file) => /(^|\/)test\/|\.test\.ts$|(^|\/)demo\/|@aws-sdk\//.test(file));
  if (leaked.length > 0) {
    console.error(`Test code, demo code or the AWS SDK reached the extension bundle: ${leaked.join(', ')}`);
    process.exit(1);
  }
}
