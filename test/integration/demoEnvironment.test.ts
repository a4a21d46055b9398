import * as assert from 'node:assert/strict';
import { environmentProfile } from '../../src/core/profiles/clusterProfile';
import { DemoEnvironment, startDemoEnvironment } from '../../demo/demoEnvironment';

describe('What npm start runs the editor against', () => {
  let demo: DemoEnvironment;
  before(async () => (demo = await startDemoEnvironment()));
  after(() => demo.close());

  it('starts the demo with its AWS side: the profile the extension makes from its environment has every section', async () => {
    const profile = environmentProfile(demo.env);
    assert.equal(profile.nomad.address, demo.cluster.address('nomad'));
    assert.deepEqual(profile.aws, { region: 'eu-west-1', clusterTag: { key: 'hashistack-cluster', value: 'hashistack' }, ecsCluster: 'hashistack' });
    assert.equal(demo.env.AWS_ENDPOINT_URL_ECS, demo.aws.address);
    // The AWS side answers as ECS does (JSON 1.1, by X-Amz-Target).
    const response = await fetch(`${demo.aws.address}/`, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.ListServices' }, body: JSON.stringify({ cluster: 'hashistack' }) });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /gallery/);
  });

  it("turns code-server's automatic port forwarding off, and puts the stand-in nomad first on the terminals' PATH", () => {
    assert.equal(demo.settings['remote.autoForwardPorts'], false);
    assert.match(String((demo.settings['terminal.integrated.env.linux'] as { PATH: string }).PATH), new RegExp(`^${demo.standIn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});
