import * as assert from 'node:assert/strict';
import { DemoCluster } from '../../demo/demoCluster';
import { TraefikClient } from '../../src/core/traefik/traefikClient';
import { RealTraefik } from '../support/realTraefik';
import { until } from '../support/until';

/**
 * The real Traefik reading the demo's Consul with the platform's own Consul catalog settings
 * (platform/nomad/traefik.nomad: exposedByDefault false, prefix traefik): a real client of the demo's Consul
 * (its blocking queries and health endpoints), and the reference for the demo's Traefik imitation.
 */
describe("The real Traefik on the demo's Consul builds what the demo's Traefik imitation serves", function () {
  this.timeout(60_000);
  let demo: DemoCluster;
  let traefik: RealTraefik;

  before(async () => {
    demo = await DemoCluster.start();
    traefik = await RealTraefik.start({ consulCatalog: { address: demo.address('consul'), flags: ['--providers.consulcatalog.exposedbydefault=false', '--providers.consulcatalog.prefix=traefik', '--providers.consulcatalog.refreshinterval=1s'] } });
  });
  after(async () => {
    await traefik?.stop();
    await demo?.close();
  });

  it('the same routers (name, rule, service, status) and the same services with the same servers, from the Consul catalog', async () => {
    const real = new TraefikClient({ address: traefik.apiAddress, timeoutMs: 10_000 });
    const imitation = new TraefikClient({ address: demo.address('traefik'), timeoutMs: 10_000 });
    const routersOf = async (client: TraefikClient) => (await client.httpRouters()).filter((router) => router.provider === 'consulcatalog').map((router) => `${router.name} ${router.rule} → ${router.service} (${router.status})`).sort();
    const servicesOf = async (client: TraefikClient) =>
      (await client.httpServices())
        .filter((service) => service.provider === 'consulcatalog')
        .map((service) => `${service.name}: ${(service.loadBalancer?.servers ?? []).map((server) => server.url).sort().join(', ')}`)
        .sort();
    const expected = await routersOf(imitation);
    assert.ok(expected.length >= 4, expected.join('\n'));
    // The provider reads the catalog once a second: wait until the real program has built as many routers.
    const routers = await until(async () => {
      const built = await routersOf(real);
      return built.length >= expected.length && built;
    }, () => `the real Traefik to build the routers from the demo's Consul (${traefik.log.slice(-400)})`, 30_000);
    assert.deepEqual(routers, expected);
    assert.deepEqual(await servicesOf(real), await servicesOf(imitation));
  });
});
