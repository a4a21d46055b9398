import * as assert from 'node:assert/strict';
import { TraefikHttpRouter } from '../../src/core/traefik/traefikApi';
import { HEALTH_ICONS, tooltipText } from '../../src/core/tree/explorerNode';
import { qualifiedName, traefikRouterNode, traefikSectionNodes } from '../../src/core/tree/traefik/traefikProperties';

const router: TraefikHttpRouter = { name: 'whoami@consulcatalog', provider: 'consulcatalog', service: 'whoami', rule: 'Host(`whoami.example.com`)', status: 'enabled', tls: { certResolver: 'le' }, entryPoints: ['websecure'] };

describe('traefikProperties', () => {
  it('qualifies a service name with the router provider', () => {
    assert.equal(qualifiedName('whoami', 'consulcatalog'), 'whoami@consulcatalog');
    assert.equal(qualifiedName('api@internal', 'consulcatalog'), 'api@internal');
  });

  it('links a TLS router to its https URL and nests its service with servers', () => {
    const services = new Map([['whoami@consulcatalog', { name: 'whoami@consulcatalog', provider: 'consulcatalog', status: 'enabled', loadBalancer: { servers: [{ url: 'http://10.0.0.1:8080' }, { url: 'http://10.0.0.2:8080' }] }, serverStatus: { 'http://10.0.0.1:8080': 'UP', 'http://10.0.0.2:8080': 'DOWN' } }]]);
    const node = traefikRouterNode(router, services);
    assert.equal(node.url, 'https://whoami.example.com');
    assert.match(node.contextValue, /\bbrowsable\b/);
    const service = node.children![0]!;
    assert.equal(service.description, 'loadbalancer · 1/2 up');
    assert.deepEqual(service.icon, HEALTH_ICONS.warning);
    assert.deepEqual(service.children!.map((s) => `${s.label} ${s.description}`), ['http://10.0.0.1:8080 UP', 'http://10.0.0.2:8080 DOWN']);
  });

  it('shows a disabled router with its errors as rows and in the tooltip', () => {
    const node = traefikRouterNode({ ...router, status: 'disabled', error: ['the service "whoami@consulcatalog" does not exist'] }, new Map());
    assert.deepEqual(node.icon, HEALTH_ICONS.critical);
    assert.equal(node.children![0]!.label, 'the service "whoami@consulcatalog" does not exist');
    assert.match(tooltipText(node)!, /Error: the service/);
  });

  it('a router whose rule names no plain host is not browsable', () => {
    const node = traefikRouterNode({ ...router, rule: 'HostRegexp(`{sub:[a-z]+}.example.com`)' }, new Map());
    assert.equal(node.url, undefined);
    assert.doesNotMatch(node.contextValue, /browsable/);
  });

  it('sorts every folder by name and counts its rows', () => {
    const nodes = traefikSectionNodes({ routers: [{ ...router, name: 'b@x' }, { ...router, name: 'a@x' }], services: [], middlewares: [], entryPoints: [] });
    assert.deepEqual(nodes.map((n) => `${n.label} ${n.description}`), ['HTTP Routers 2', 'Services 0', 'Middlewares 0', 'Entrypoints 0']);
    assert.deepEqual(nodes[0]!.children!.map((r) => r.label), ['a@x', 'b@x']);
  });
});
