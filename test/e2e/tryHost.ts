import { DemoCluster } from '../../demo/demoCluster';
import { launchChromium } from './browser';
import { REPO_ROOT, startCodeServer } from './codeServer';
import { runHostSuite } from './hostSuite';
import { join } from 'node:path';

async function main() {
  const demo = await DemoCluster.start({ controlPort: 0 });
  const server = await startCodeServer({ env: { ...demo.environment(), HASHISTACK_DEMO_CONTROL: demo.controlAddress! } });
  const browser = await launchChromium();
  try {
    const result = await runHostSuite(browser, server, join(REPO_ROOT, 'test', 'fixtures', 'workspace'), 120_000);
    console.log('RESULT', result.exitCode, result.passed, result.failed, server.logFile);
  } finally {
    await browser.close();
    await server.stop();
    await demo.close();
  }
}
void main();
