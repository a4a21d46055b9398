import * as assert from 'node:assert/strict';
import { DemoCluster } from '../../demo/demoCluster';
import { TraefikClient } from '../../src/core/traefik/traefikClient';
import { freePort, PLATFORM_CONSUL_CATALOG_FLAGS, RealTraefik } from '../../demo/realTraefik';
import { demoFileProvider } from '../../demo/demoEnvironment';
import { until } from '../support/until';
import { createClusterClients } from '../../src/core/explorer/clusterClients';
import { environmentProfile } from '../../src/core/profiles/clusterProfile';
import { fetchConsulSection, fetchNomadSection, fetchTraefikSection } from '../../src/core/explorer/sectionLoaders';
import { traefikSectionNodes, TraefikSectionData } from '../../src/core/tree/traefik/traefikProperties';
import { buildLauncherCards } from '../../src/core/launcher/launcherCards';
import { summarizeServiceHealth } from '../../src/core/tree/consul/consulProperties';

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
    // As npm start runs it: the platform's catalog settings, the demo's file objects, a websecure entry point.
    traefik = await RealTraefik.start({
      dynamic: demoFileProvider(),
      consulCatalog: { address: demo.address('consul'), flags: [...PLATFORM_CONSUL_CATALOG_FLAGS, '--providers.consulcatalog.refreshinterval=1s'] },
      flags: [`--entrypoints.websecure.address=127.0.0.1:${await freePort()}`],
    });
  });
  after(async () => {
    await traefik?.stop();
    await demo?.close();
  });

  it('the same routers (name, rule, service, status, entry points, TLS resolver, middlewares), the same services with the same servers, the same middlewares', async () => {
    const real = new TraefikClient({ address: traefik.apiAddress, timeoutMs: 10_000 });
    const imitation = new TraefikClient({ address: demo.address('traefik'), timeoutMs: 10_000 });
    const routersOf = async (client: TraefikClient) =>
      (await client.httpRouters())
        .filter((router) => router.provider === 'consulcatalog')
        .map((router) => `${router.name} ${router.rule} → ${router.service} (${router.status}) on ${(router.entryPoints ?? []).join(',')} tls ${router.tls?.certResolver ?? (router.tls ? 'default' : 'none')} through [${(router.middlewares ?? []).join(',')}]`)
        .sort();
    // Traefik's own (the dashboard's redirect and strip-prefix, provider internal) are left out, as the imitation leaves out its internal routers.
    const middlewaresOf = async (client: TraefikClient) => (await client.httpMiddlewares()).filter((middleware) => middleware.provider !== 'internal').map((middleware) => `${middleware.name} ${middleware.type} (${middleware.status}) used by ${[...(middleware.usedBy ?? [])].sort().join(',')}`).sort();
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
    assert.deepEqual(await middlewaresOf(real), await middlewaresOf(imitation));
  });

  it("gives each router the same chain (rule → service → servers → Consul health → Nomad allocations) and the Launcher the same cards", async () => {
    const clients = createClusterClients(environmentProfile(demo.environment()), { tokens: {}, timeoutMs: 10_000 });
    const [consul, nomad] = await Promise.all([fetchConsulSection(clients.consul), fetchNomadSection(clients.nomad)]);
    const real = await fetchTraefikSection(new TraefikClient({ address: traefik.apiAddress, timeoutMs: 10_000 }));
    const imitation = await fetchTraefikSection(new TraefikClient({ address: demo.address('traefik'), timeoutMs: 10_000 }));
    const chains = (data: TraefikSectionData) =>
      traefikSectionNodes(data, { consul: consul.data, nomad: nomad.data })[0]!.children!
        .filter((row) => row.label.endsWith('@consulcatalog'))
        .map((row) => `${row.label}: ${row.description} | ${String(row.tooltip).split('\n').filter((line) => line.startsWith('  → ') || line.startsWith('Broken: ')).join(' ')} | ${(row.routeAllocations ?? []).length} allocations`)
        .sort();
    assert.deepEqual(chains(real), chains(imitation));
    assert.ok(chains(real).some((chain) => /^whoami@consulcatalog: .*Nomad: \d+ running allocation/.test(chain)), chains(real).join('\n'));
    const cards = (data: TraefikSectionData) =>
      buildLauncherCards({ services: consul.data.services, health: summarizeServiceHealth(consul.data.checks), routers: data.routers, nomadJobs: nomad.data.jobs, domain: 'example.com' }).map((card) => JSON.stringify(card));
    assert.deepEqual(cards(real), cards(imitation));
    assert.ok(cards(real).length >= 2);
  });
});
