import * as assert from 'node:assert/strict';
import { ConsulHealthCheck } from '../../src/core/consul/consulApi';
import { consulSectionNodes, formatEndpoint, formatHealthSummary, summarizeServiceHealth, worstStatus } from '../../src/core/tree/consul/consulProperties';
import { HEALTH_ICONS, tooltipText } from '../../src/core/tree/explorerNode';

function check(node: string, serviceId: string, service: string, status: string): ConsulHealthCheck {
  return { Node: node, CheckID: serviceId ? `service:${serviceId}` : 'serfHealth', Name: 'c', Status: status, Notes: '', Output: '', ServiceID: serviceId, ServiceName: service, ServiceTags: [] };
}

const UI = { consul: 'http://127.0.0.1:8500', nomad: 'http://127.0.0.1:4646' };

describe('consulProperties', () => {
  it('counts instances by their worst check: "3 passing · 1 critical"', () => {
    const checks = [
      check('a', 'web-1', 'web', 'passing'),
      check('b', 'web-2', 'web', 'passing'),
      check('c', 'web-3', 'web', 'passing'),
      check('c', 'web-4', 'web', 'passing'),
      check('c', 'web-4', 'web', 'critical'),
    ];
    const summary = summarizeServiceHealth(checks).get('web');
    assert.deepEqual(summary, { passing: 3, warning: 0, critical: 1 });
    assert.equal(formatHealthSummary(summary), '3 passing · 1 critical');
  });

  it("a failing node check (serfHealth) makes every instance on that node critical", () => {
    const checks = [check('a', 'web-1', 'web', 'passing'), check('b', 'web-2', 'web', 'passing'), check('b', '', '', 'critical')];
    assert.deepEqual(summarizeServiceHealth(checks).get('web'), { passing: 1, warning: 0, critical: 1 });
  });

  it('maintenance and unknown statuses count as critical; warning sits between', () => {
    assert.equal(worstStatus(['passing', 'warning']), 'warning');
    assert.equal(worstStatus(['passing', 'maintenance']), 'critical');
    assert.equal(worstStatus(['passing', 'something-new']), 'critical');
    assert.equal(worstStatus([]), undefined);
  });

  it('a service without checks says so and gets the neutral icon', () => {
    const nodes = consulSectionNodes({ services: { quiet: ['a=b'] }, checks: [], nodes: [] }, UI);
    const quiet = nodes[0]!.children![0]!;
    assert.equal(quiet.description, 'no checks');
    assert.deepEqual(quiet.icon, HEALTH_ICONS.neutral);
    assert.deepEqual(quiet.lazyChildren, { kind: 'consulServiceInstances', service: 'quiet' });
  });

  it("colours a service by its worst instance and links it to the Consul UI of the node's datacenter", () => {
    const nodes = consulSectionNodes(
      {
        services: { web: ['traefik.enable=true'] },
        checks: [check('n1', 'web-1', 'web', 'warning')],
        nodes: [{ ID: 'x', Node: 'n1', Address: '10.0.0.1', Datacenter: 'eu 1', TaggedAddresses: null, Meta: null }],
      },
      UI,
    );
    const web = nodes[0]!.children![0]!;
    assert.equal(web.description, '1 warning');
    assert.deepEqual(web.icon, HEALTH_ICONS.warning);
    assert.equal(web.url, 'http://127.0.0.1:8500/ui/eu%201/services/web/instances');
    assert.match(tooltipText(web)!, /Tags:\n {2}traefik\.enable=true/);
  });

  it('formats IPv6 endpoints with brackets', () => {
    assert.equal(formatEndpoint('10.0.0.1', 80), '10.0.0.1:80');
    assert.equal(formatEndpoint('fd00::1', 80), '[fd00::1]:80');
    assert.equal(formatEndpoint('10.0.0.1', 0), '10.0.0.1');
  });
});
