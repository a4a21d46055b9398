// Bundles the extension into dist/extension.js with esbuild: one file, `vscode` left external,
// Node's `node` export conditions (the AWS SDK's endpoint variables only work there).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.env.NODE_ENV === 'production' || process.argv.includes('--production');

const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  external: ['vscode'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  metafile: true,
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  const result = await esbuild.build(options);
  const inputs = Object.keys(result.metafile.inputs);
  const leaked = inputs.filter((file) => /(^|\/)test\/|\.test\.ts$|(^|\/)demo\//.test(file));
  if (leaked.length > 0) {
    console.error(`Test or demo code reached the bundle: ${leaked.join(', ')}`);
    process.exit(1);
  }
}
