// `npm run test:desktop`: the same extension-host suites (test/suite) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code. It cannot run on the project's own
// machines (no download there); code-server runs these suites instead (npm run test:e2e).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from '../../demo/codeServer';
import { DemoCluster } from '../../demo/demoCluster';

async function main(): Promise<void> {
  const demo = await DemoCluster.start({ controlPort: 0 });
  const workspace = mkdtempSync(join(tmpdir(), 'hashistack-workspace-'));
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', mkdtempSync(join(tmpdir(), 'hashistack-vscode-'))],
      extensionTestsEnv: { ...demo.environment(), HASHISTACK_DEMO_CONTROL: demo.controlAddress! },
    });
  } finally {
    await demo.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Desktop VS Code tests failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
