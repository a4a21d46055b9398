import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TraefikClient } from '../../src/core/traefik/traefikClient';
import { fetchTraefikSection } from '../../src/core/explorer/sectionLoaders';
import { traefikSectionNodes } from '../../src/core/tree/traefik/traefikProperties';
import { ExplorerNode } from '../../src/core/tree/explorerNode';
import { RealTraefik } from '../../demo/realTraefik';
import { until } from '../support/until';
import { makeCertificates } from '../support/tls';
import { join } from 'node:path';

/**
 * The dynamic configuration of the contract (file provider): routers with rules, TLS and middlewares, weighted
 * and failover services, a router whose rule Traefik refuses and one whose service does not exist.
 * `UP` is a server that answers its health check; `DOWN` one nothing listens on.
 */
export function contractConfiguration(up: string, down: string, certificate?: { certFile: string; keyFile: string }): string {
  const tls = certificate ? `tls:\n  certificates:\n    - certFile: ${JSON.stringify(certificate.certFile)}\n      keyFile: ${JSON.stringify(certificate.keyFile)}\n` : '';
  return `${tls}http:
  routers:
    shop:
      rule: "Host(\`shop.example.com\`) && PathPrefix(\`/api\`)"
      entryPoints: [web]
      middlewares: [strip-api, secured]
      service: shop
    shop-tls:
      rule: "Host(\`shop.example.com\`)"
      entryPoints: [web]
      service: shop
      tls: {}
    canary:
      rule: "Host(\`canary.example.com\`)"
      entryPoints: [web]
      service: shop-canary
    failover:
      rule: "Host(\`ha.example.com\`)"
      entryPoints: [web]
      service: shop-ha
    refused-rule:
      rule: "Host('shop.example.com')"
      entryPoints: [web]
      service: shop
    orphan:
      rule: "Path(\`/orphan\`)"
      entryPoints: [web]
      service: nowhere
  middlewares:
    strip-api:
      stripPrefix:
        prefixes: ["/api"]
    secured:
      headers:
        frameDeny: true
  services:
    shop:
      loadBalancer:
        healthCheck:
          path: /health
          interval: 500ms
          timeout: 400ms
        servers:
          - url: "${up}"
          - url: "${down}"
    shop-v2:
      loadBalancer:
        servers:
          - url: "${up}"
    shop-canary:
      weighted:
        services:
          - name: shop
            weight: 9
          - name: shop-v2
            weight: 1
    shop-ha:
      failover:
        service: shop
        fallback: shop-v2
`;
}

describe('The Traefik section against the real Traefik: what it shows of a file-provider configuration', function () {
  this.timeout(60_000);
  let traefik: RealTraefik;
  let backend: Server;
  let up: string;

  before(async () => {
    backend = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    up = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    // A certificate for server.global.nomad that expires in 2 days (a throwaway CA's, as the TLS tests make).
    const certificates = makeCertificates();
    traefik = await RealTraefik.start({ dynamic: contractConfiguration(up, 'http://127.0.0.1:9', { certFile: join(certificates.dir, 'server.pem'), keyFile: join(certificates.dir, 'server.key') }) });
  });
  after(async () => {
    await traefik?.stop();
    backend?.close();
  });

  const client = () => new TraefikClient({ address: traefik.apiAddress, timeoutMs: 10_000 });

  async function section(): Promise<{ nodes: ExplorerNode[]; folder: (label: string) => ExplorerNode[] }> {
    // As the Traefik section loads it (the lists, the certificates, the version).
    const nodes = traefikSectionNodes(await fetchTraefikSection(client()));
    return { nodes, folder: (label) => nodes.find((node) => node.label === label)!.children! };
  }

  it('shows every router with its rule, status, errors, service and servers (health from the checks)', async () => {
    // The health checks mark the server nothing listens on DOWN within a second or so.
    const shown = await until(async () => {
      const current = await section();
      const shop = current.folder('HTTP Routers').find((node) => node.label === 'shop@file');
      return shop?.children?.find((child) => child.label === 'shop@file')?.description === 'loadbalancer · 1/2 up' && current;
    }, () => `the health checks to settle (${traefik.log.slice(-300)})`, 20_000);
    const routers = shown.folder('HTTP Routers');
    const byName = (name: string) => routers.find((node) => node.label === name)!;
    assert.deepEqual(routers.map((node) => node.label).filter((label) => label.endsWith('@file')).sort(), ['canary@file', 'failover@file', 'orphan@file', 'refused-rule@file', 'shop-tls@file', 'shop@file']);
    const shop = byName('shop@file');
    assert.equal(shop.description, 'Host(`shop.example.com`) && PathPrefix(`/api`)');
    assert.equal(shop.url, 'http://shop.example.com/api');
    assert.match(String(shop.tooltip), /Middlewares: strip-api@file, secured@file/);
    const servers = shop.children!.find((child) => child.label === 'shop@file')!.children!;
    assert.deepEqual(servers.map((server) => [server.label, server.description]), [[up, 'UP'], ['http://127.0.0.1:9', 'DOWN']]);
    assert.equal(byName('shop-tls@file').url, 'https://shop.example.com');
    assert.match(String(byName('shop-tls@file').tooltip), /TLS: yes/);
    // A refused rule: disabled, Traefik's own words under it.
    const refused = byName('refused-rule@file');
    assert.equal(refused.icon?.id, 'error');
    assert.match(refused.children![0]!.label, /^error while parsing rule Host\('shop.example.com'\): /);
    // A router whose service does not exist: Traefik's error, and the service row says so.
    const orphan = byName('orphan@file');
    assert.match(orphan.children![0]!.label, /the service "nowhere@file" does not exist/);
    assert.ok(orphan.children!.some((child) => child.label === 'nowhere@file' && child.description === 'service not found'));
    // Weighted and failover services: their parts under them.
    const canary = byName('canary@file').children!.find((child) => child.label === 'shop-canary@file')!;
    assert.deepEqual(canary.children!.map((child) => [child.label, child.tooltip]), [['shop', 'Weighted service, weight 9'], ['shop-v2', 'Weighted service, weight 1']]);
    const ha = byName('failover@file').children!.find((child) => child.label === 'shop-ha@file')!;
    assert.equal(ha.description, 'failover');
    assert.deepEqual(ha.children!.map((child) => [child.label, child.description]), [['shop', 'main'], ['shop-v2', 'fallback']]);
  });

  it('shows the entrypoints and the middlewares as Traefik lists them', async () => {
    const shown = await section();
    assert.deepEqual(shown.folder('Entrypoints').map((node) => node.label), ['traefik', 'web']);
    assert.match(shown.folder('Entrypoints').find((node) => node.label === 'web')!.description!, /^127\.0\.0\.1:\d+$/);
    const middlewares = shown.folder('Middlewares').filter((node) => node.label.endsWith('@file'));
    assert.deepEqual(middlewares.map((node) => [node.label, node.description]), [['secured@file', 'headers · enabled'], ['strip-api@file', 'stripprefix · enabled']]);
  });

  it('follows X-Next-Page through small pages to the same list', async () => {
    const whole = await client().httpRouters();
    const paged = await client().httpRouters({ perPage: 2 });
    assert.ok(whole.length > 4, `${whole.length} routers`);
    assert.deepEqual(paged.map((router) => router.name), whole.map((router) => router.name));
    const response = await fetch(`${traefik.apiAddress}/api/http/routers?per_page=2&page=1`);
    assert.equal(response.headers.get('X-Next-Page'), '2');
    const last = await fetch(`${traefik.apiAddress}/api/http/routers?per_page=1000&page=1`);
    assert.equal(last.headers.get('X-Next-Page'), '1', 'the last page says 1');
  });

  it('shows the certificates Traefik holds (GET /api/certificates), one expiring in 2 days a warning, and its version on the folders', async () => {
    const shown = await section();
    const certificates = shown.folder('TLS Certificates');
    assert.equal(certificates.length, 1);
    assert.equal(certificates[0]!.label, 'server.global.nomad');
    assert.match(certificates[0]!.description!, /^expires in [12] days?$/);
    assert.equal(certificates[0]!.icon?.id, 'warning');
    assert.match(String(certificates[0]!.tooltip), /Issuer: Hashistack Test CA\n/);
    assert.equal(shown.nodes.find((node) => node.label === 'TLS Certificates')!.description, '1 expiring or expired');
    for (const folder of shown.nodes) assert.match(String(folder.tooltip), new RegExp(`Traefik ${traefik.version.replace(/\./g, '\\.')} \\(\\w+\\), started `), folder.label);
  });
});
