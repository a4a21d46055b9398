// `npm run test:desktop`: the same extension-host suites (test/suite) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code. It cannot run on the project's own
// machines (no download there); code-server runs these suites instead (npm run test:e2e). Both runners
// give the suites the same environment (test/e2e/environment.ts): demo cluster, demo AWS, record file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from '../../demo/codeServer';
import { AwsDemo } from '../../demo/awsDemo';
import { DemoCluster } from '../../demo/demoCluster';
import { freshWorkspace, HOSTILE_SERVICE, hostSuiteEnvironment, QUIET_SETTINGS, STAND_IN_DIR, STAND_IN_SETTINGS } from '../e2e/environment';

async function main(): Promise<void> {
  const demo = await DemoCluster.start({ controlPort: 0, extraServices: [HOSTILE_SERVICE] });
  const aws = await AwsDemo.start();
  const userData = mkdtempSync(join(tmpdir(), 'hashistack-vscode-'));
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...STAND_IN_SETTINGS }));
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'),
      launchArgs: [freshWorkspace(), '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userData],
      // Desktop terminals inherit the process environment: the stand-ins go first on its PATH as well.
      extensionTestsEnv: { ...hostSuiteEnvironment(demo, aws), PATH: `${STAND_IN_DIR}${delimiter}${process.env.PATH ?? ''}` },
    });
  } finally {
    await demo.close();
    await aws.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Desktop VS Code tests failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
