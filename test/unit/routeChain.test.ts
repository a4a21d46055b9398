import * as assert from 'node:assert/strict';
import { buildScenario } from '../../demo/scenario';
import { ConsulSectionData } from '../../src/core/tree/consul/consulProperties';
import { consulInstanceNodes } from '../../src/core/tree/consul/consulProperties';
import { nomadAllocationOfService } from '../../src/core/tree/links';
import { NomadSectionData } from '../../src/core/tree/nomad/nomadProperties';
import { consulServiceOf, routeChain, unroutedConsulServices } from '../../src/core/tree/traefik/routeChain';
import { traefikSectionNodes, TraefikSectionData } from '../../src/core/tree/traefik/traefikProperties';
import { ConsulServiceEntry } from '../../src/core/consul/consulApi';

function scenario() {
  const data = buildScenario();
  const consul: ConsulSectionData = { services: data.consul.catalogServices, checks: data.consul.healthChecks as ConsulSectionData['checks'], nodes: data.consul.catalogNodes as ConsulSectionData['nodes'] };
  const nomad = { jobs: data.nomad.jobs, allocations: data.nomad.allocations, deployments: data.nomad.deployments, nodes: data.nomad.nodes, namespace: 'default' } as unknown as NomadSectionData;
  const traefik = { routers: data.traefik.routers, services: data.traefik.services, middlewares: data.traefik.middlewares, entryPoints: data.traefik.entryPoints } as unknown as TraefikSectionData;
  return { data, consul, nomad, traefik };
}

describe("A router's chain across Traefik, Consul and Nomad", () => {
  it("reads Nomad's service IDs, and consulCatalog's service names", () => {
    assert.equal(nomadAllocationOfService('_nomad-task-8418f600-0000-4000-a000-000000000001-web-server-web-http'), '8418f600-0000-4000-a000-000000000001');
    assert.equal(nomadAllocationOfService('gallery-hashi-server-b-0'), undefined);
    assert.equal(nomadAllocationOfService('_nomad-task-short-web'), undefined, 'not an allocation ID');
    assert.equal(consulServiceOf('whoami@consulcatalog'), 'whoami');
    assert.equal(consulServiceOf('api@file'), undefined);
  });

  it('follows whoami from its rule to its Consul health and its Nomad allocations', () => {
    const { consul, nomad, traefik } = scenario();
    const router = traefik.routers.find((candidate) => candidate.name === 'whoami@consulcatalog')!;
    const service = traefik.services.find((candidate) => candidate.name === 'whoami@consulcatalog');
    const chain = routeChain(router, 'whoami@consulcatalog', service, { consul, nomad });
    assert.deepEqual(chain.links.slice(1), ['service whoami@consulcatalog: 2 servers', 'Consul whoami: 2 passing · 1 critical', 'Nomad: 2 running allocations (1 not running) of whoami']);
    assert.deepEqual(chain.problems, []);
    assert.equal(chain.allocationIds.length, 3);
    assert.ok(chain.allocationIds.every((id) => nomad.allocations.some((allocation) => allocation.ID === id)), 'the IDs are allocations Nomad has');
  });

  it('ends a route to a service on ECS at its tasks', () => {
    const { consul, nomad, traefik } = scenario();
    const router = traefik.routers.find((candidate) => candidate.name === 'gallery@consulcatalog')!;
    const service = traefik.services.find((candidate) => candidate.name === 'gallery@consulcatalog');
    const running = routeChain(router, 'gallery@consulcatalog', service, { consul, nomad, ecs: [{ name: 'gallery', running: 1, desired: 1, rollout: { state: 'COMPLETED' } }] });
    assert.equal(running.links.at(-1), 'ECS: 1/1 tasks running (gallery) · completed');
    assert.deepEqual(running.problems, []);
    const none = routeChain(router, 'gallery@consulcatalog', service, { consul, nomad, ecs: [{ name: 'gallery', running: 0, desired: 2 }] });
    assert.deepEqual(none.problems, ['no ECS task of gallery runs']);
  });

  it('flags each broken link on the router row, with its reason', () => {
    const { consul, nomad, traefik } = scenario();
    const critical = { ...consul, checks: consul.checks.map((check) => (check.ServiceName === 'whoami' ? { ...check, Status: 'critical' } : check)) };
    const rows = traefikSectionNodes(traefik, { consul: critical, nomad })[0]!.children!;
    const whoami = rows.find((row) => row.label === 'whoami@consulcatalog')!;
    assert.match(whoami.description!, /· every server is critical in Consul \(whoami\)$/);
    assert.equal(whoami.children![0]!.label, 'every server is critical in Consul (whoami)');
    assert.match(whoami.contextValue, /\broutedToNomad\b/);
    assert.equal(whoami.routeAllocations?.length, 3);

    const router = traefik.routers.find((candidate) => candidate.name === 'whoami@consulcatalog')!;
    assert.deepEqual(routeChain(router, 'whoami@consulcatalog', undefined, { consul, nomad }).problems, ["the router's service whoami@consulcatalog is missing"]);
    assert.deepEqual(routeChain(router, 'api@internal', undefined, { consul, nomad }).problems, [], "Traefik's own services are always there");
    // The real Traefik lists them, with no servers (found by test/traefik/consulCatalog.test.ts): still no problem.
    const listed = { name: 'api@internal', provider: 'internal', status: 'enabled', usedBy: ['dashboard@consulcatalog'] };
    assert.deepEqual(routeChain(router, 'api@internal', listed, { consul, nomad }), { links: [`rule ${router.rule}`, "service api@internal: Traefik's own"], problems: [], allocationIds: [] });
    const empty = { ...traefik.services.find((candidate) => candidate.name === 'whoami@consulcatalog')!, loadBalancer: { servers: [] } };
    assert.ok(routeChain(router, 'whoami@consulcatalog', empty as never, { consul, nomad }).problems.includes('no server is behind whoami@consulcatalog'));
  });

  it('lists Consul services that ask for a route Traefik does not have', () => {
    const { consul, traefik } = scenario();
    assert.deepEqual(unroutedConsulServices(consul, traefik.routers), []);
    const withoutWhoami = traefik.routers.filter((router) => router.name !== 'whoami@consulcatalog');
    assert.deepEqual(unroutedConsulServices(consul, withoutWhoami), ['whoami']);
    const rows = traefikSectionNodes({ ...traefik, routers: withoutWhoami }, { consul })[0]!.children!;
    assert.equal(rows.at(-1)!.description, 'traefik.enable=true in Consul, but no router');
  });

  it("links a Consul instance that Nomad registered to its allocation, from the demo's service IDs", () => {
    const { data } = scenario();
    const rows = consulInstanceNodes('whoami', data.consul.serviceHealth('whoami') as unknown as ConsulServiceEntry[]);
    assert.ok(rows.every((row) => row.linkedAllocation && data.nomad.allocations.some((allocation) => allocation.ID === row.linkedAllocation)));
    assert.ok(rows.every((row) => /\bnomadRegistered\b/.test(row.contextValue)));
    const gallery = consulInstanceNodes('gallery', data.consul.serviceHealth('gallery') as unknown as ConsulServiceEntry[]);
    assert.equal(gallery[0]!.linkedAllocation, undefined, 'registered by ECS, not Nomad');
  });
});
