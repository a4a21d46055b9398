import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Mocha from 'mocha';
import { loadTestFiles } from '../support/loadMocha';
import { suiteCounts } from '../e2e/hostSuite';
import { hostSuiteEnvironment } from '../e2e/environment';
import { DemoCluster } from '../../demo/demoCluster';
import { AwsDemo } from '../../demo/awsDemo';

describe('The test runner itself', () => {
  it('reports a test file that throws while loading, and still runs the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashistack-runner-'));
    writeFileSync(join(dir, 'a.test.js'), "describe('good', () => { it('passes', () => {}); it('passes too', () => {}); });");
    writeFileSync(join(dir, 'b.test.js'), "throw new Error('broken at load');");
    const mocha = new Mocha({ reporter: function Silent() {} as unknown as Mocha.ReporterConstructor });
    const failures = loadTestFiles(mocha, [join(dir, 'a.test.js'), join(dir, 'b.test.js')]);
    assert.equal(failures.length, 1);
    assert.match(String(failures[0]!.error), /broken at load/);
    const stats = await new Promise<Mocha.Stats>((resolve) => {
      const runner = mocha.run(() => resolve(runner.stats!));
    });
    assert.equal(stats.passes, 2, 'the good file ran');
  });

  it('counts a host-suite run: no silent zero, exit codes count, load failures are failures', () => {
    assert.deepEqual(suiteCounts('  0 passing (1ms)', 0), { passed: 0, failed: 1 }, 'zero tests is a failure');
    assert.deepEqual(suiteCounts('', 1), { passed: 0, failed: 1 }, 'a suite that never reported');
    assert.deepEqual(suiteCounts('  26 passing (9s)', 1), { passed: 26, failed: 1 }, 'a nonzero exit with no failure reported');
    assert.deepEqual(suiteCounts('2 test file(s) failed to load\n  20 passing\n  1 failing', 1), { passed: 20, failed: 3 });
    assert.deepEqual(suiteCounts('  30 passing (18s)', 0), { passed: 30, failed: 0 });
  });

  it('gives the extension-host suites, in either runner, the demo cluster, its control port, the demo AWS and a record file', async () => {
    const demo = await DemoCluster.start({ controlPort: 0 });
    const aws = await AwsDemo.start();
    try {
      const env = hostSuiteEnvironment(demo, aws);
      for (const name of ['NOMAD_ADDR', 'CONSUL_HTTP_ADDR', 'HASHISTACK_TRAEFIK_ADDR', 'HASHISTACK_DEMO_CONTROL', 'HASHISTACK_RECORD_FILE', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_ECS', 'AWS_REGION', 'HASHISTACK_CLUSTER_TAG', 'HASHISTACK_ECS_CLUSTER']) {
        assert.ok(env[name], `${name} is set`);
      }
      assert.equal(env.HASHISTACK_DEMO_CONTROL, demo.controlAddress);
      assert.notEqual(hostSuiteEnvironment(demo, aws).HASHISTACK_RECORD_FILE, env.HASHISTACK_RECORD_FILE, 'a record file of its own per run');
    } finally {
      await demo.close();
      await aws.close();
    }
  });
});
