import * as assert from 'node:assert/strict';
import { environmentProfile } from '../../src/core/profiles/clusterProfile';
import { DemoEnvironment, startDemoEnvironment } from '../../demo/demoEnvironment';
import { findTraefik } from '../../demo/realTraefik';
import { until } from '../support/until';

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

  it('points the extension at the real Traefik on the demo\'s Consul when it is installed, else at the imitation, and says which', async () => {
    const found = findTraefik();
    if ('missing' in found) {
      assert.deepEqual(demo.traefik, { kind: 'imitation', why: found.missing });
      assert.equal(demo.env.HASHISTACK_TRAEFIK_ADDR, demo.cluster.address('traefik'));
      return;
    }
    assert.equal(demo.traefik.kind, 'real');
    assert.notEqual(demo.env.HASHISTACK_TRAEFIK_ADDR, demo.cluster.address('traefik'));
    const version = (await (await fetch(`${demo.env.HASHISTACK_TRAEFIK_ADDR}/api/version`)).json()) as { Version: string };
    assert.equal(version.Version, found.version);
    const routers = await until(async () => {
      const listed = (await (await fetch(`${demo.env.HASHISTACK_TRAEFIK_ADDR}/api/http/routers`)).json()) as { name: string; status: string }[];
      return listed.some((router) => router.name === 'whoami@consulcatalog') && listed;
    }, "the real Traefik's routers from the demo's Consul", 20_000);
    assert.ok(routers.some((router) => router.name === 'legacy-api@file' && router.status === 'disabled'), 'and the demo\'s file-provider router');
  });
});
