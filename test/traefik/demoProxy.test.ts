import * as assert from 'node:assert/strict';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { DemoEnvironment, REAL_PROXY_DOMAIN, startDemoEnvironment } from '../../demo/demoEnvironment';
import { createClusterClients } from '../../src/core/explorer/clusterClients';
import { fetchConsulSection, fetchNomadSection, fetchTraefikSection } from '../../src/core/explorer/sectionLoaders';
import { buildLauncherCards } from '../../src/core/launcher/launcherCards';
import { environmentProfile } from '../../src/core/profiles/clusterProfile';
import { summarizeServiceHealth } from '../../src/core/tree/consul/consulProperties';
import { parsePublicPorts } from '../../src/core/tree/links';
import { traefikSectionNodes } from '../../src/core/tree/traefik/traefikProperties';
import { until } from '../support/until';

/**
 * What a browser does with `https://<name>.localhost:<port>`: `*.localhost` is the loopback address (RFC 6761),
 * resolved by the browser itself. Node's resolver may not know that, so the test resolves it the same way.
 * The certificate is Traefik's default one (the demo has no ACME), which a browser asks the user to accept.
 */
function getThroughProxy(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const lookup = (hostname: string, options: { all?: boolean }, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
      if (hostname === REAL_PROXY_DOMAIN || hostname.endsWith(`.${REAL_PROXY_DOMAIN}`)) {
        if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
        return;
      }
      dnsLookup(hostname, options as never, callback as never);
    };
    const sent = request(url, { lookup: lookup as never, rejectUnauthorized: false, agent: false, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    sent.on('timeout', () => sent.destroy(new Error(`no answer from ${url} in 10 s`)));
    sent.on('error', reject);
    sent.end();
  });
}

/**
 * `npm start` with the real Traefik: the routed services' instances are the demo's stand-in programs on
 * 127.0.0.1, and the URLs the extension shows (the Launcher's cards, the routers' rows) reach them through the
 * real proxy — the test fetches each one and checks which program answered, and that Traefik was in between.
 */
describe("npm start's real Traefik: the Launcher's and the routers' URLs reach the demo's services through the proxy", function () {
  this.timeout(90_000);
  let demo: DemoEnvironment;

  before(async () => {
    demo = await startDemoEnvironment({ autonomous: false });
  });
  after(() => demo?.close());

  async function sections() {
    const clients = createClusterClients(environmentProfile(demo.env), { tokens: {}, timeoutMs: 10_000 });
    const [consul, nomad] = await Promise.all([fetchConsulSection(clients.consul), fetchNomadSection(clients.nomad)]);
    // The Consul catalog provider reads the catalog every 2 s: wait until it has routed the three services.
    const traefik = await until(async () => {
      const data = await fetchTraefikSection(clients.traefik);
      const routed = ['launcher', 'whoami', 'gallery'].filter((name) => data.routers.some((router) => router.name === `${name}@consulcatalog`) && (data.services.find((service) => service.name === `${name}@consulcatalog`)?.loadBalancer?.servers ?? []).length > 0);
      return routed.length === 3 && data;
    }, () => `the real Traefik to route launcher, whoami and gallery (${demo.traefik.kind === 'real' ? demo.traefik.program.log.slice(-400) : ''})`, 30_000);
    return { consul: consul.data, nomad: nomad.data, traefik };
  }

  it("runs the real program, and the demo's settings say where its websecure entry point is", () => {
    assert.equal(demo.traefik.kind, 'real', 'the real Traefik is installed for this stage (scripts/setup.sh)');
    if (demo.traefik.kind !== 'real') return;
    assert.deepEqual(parsePublicPorts(demo.settings['hashistack.traefik.publicPorts']), { ports: { websecure: demo.traefik.websecurePort }, problems: [] });
  });

  it("opens each Launcher card's URL on the card's own service, through Traefik", async () => {
    const { consul, nomad, traefik } = await sections();
    const publicPorts = parsePublicPorts(demo.settings['hashistack.traefik.publicPorts']).ports;
    const cards = buildLauncherCards({ services: consul.services, health: summarizeServiceHealth(consul.checks), routers: traefik.routers, nomadJobs: nomad.jobs, domain: '', publicPorts });
    assert.deepEqual(cards.map((card) => card.id).sort(), ['gallery', 'launcher', 'whoami']);
    for (const card of cards) {
      assert.equal(card.urlSource, 'router', `${card.id}: ${card.warnings.join('; ')}`);
      const url = new URL(card.url!);
      assert.equal(url.port, String(publicPorts.websecure), card.url);
      const answer = await getThroughProxy(card.url!);
      assert.equal(answer.status, 200, `${card.url}: ${answer.body.slice(0, 300)}`);
      assert.match(answer.body, new RegExp(`^Hashistack demo: the stand-in for service "${card.id}"`), card.url);
      // Traefik was in between: it adds the forwarded headers, with the host and port the browser asked for.
      assert.match(answer.body, new RegExp(`^X-Forwarded-Host: ${url.host.replace(/\./g, '\\.')}$`, 'm'), answer.body);
      assert.match(answer.body, /^X-Forwarded-Proto: https$/m, answer.body);
    }
  });

  it("opens each router's URL from the Traefik section: a service's on its programs, the dashboard's on Traefik itself, the broken one's on Traefik's 404", async () => {
    const { consul, nomad, traefik } = await sections();
    const publicPorts = parsePublicPorts(demo.settings['hashistack.traefik.publicPorts']).ports;
    const routers = traefikSectionNodes(traefik, { consul, nomad }, publicPorts)[0]!.children!.filter((row) => row.url);
    const urls = Object.fromEntries(routers.map((row) => [row.label, row.url!]));
    const port = publicPorts.websecure;
    assert.deepEqual(urls, {
      'dashboard@consulcatalog': `https://traefik.localhost:${port}`,
      'gallery@consulcatalog': `https://gallery.localhost:${port}`,
      'launcher@consulcatalog': `https://localhost:${port}`,
      'legacy-api@file': `https://legacy.localhost:${port}`,
      'whoami@consulcatalog': `https://whoami.localhost:${port}`,
    });
    assert.match((await getThroughProxy(urls['whoami@consulcatalog']!)).body, /^Hashistack demo: the stand-in for service "whoami"/);
    // The dashboard's router goes to api@internal: Traefik's own API answers there.
    const version = await getThroughProxy(`${urls['dashboard@consulcatalog']}/api/version`);
    assert.equal(version.status, 200, version.body);
    assert.equal((JSON.parse(version.body) as { Version: string }).Version, demo.traefik.kind === 'real' ? demo.traefik.version : '');
    // A router whose service is gone is disabled: nothing serves its host.
    assert.equal((await getThroughProxy(urls['legacy-api@file']!)).status, 404);
  });

  it('spreads requests over the passing instances only, and follows a check that turns critical', async () => {
    const hostnamesOf = async (count: number) => {
      const seen = new Set<string>();
      for (let at = 0; at < count; at++) {
        const answer = await getThroughProxy(`https://whoami.${REAL_PROXY_DOMAIN}:${parsePublicPorts(demo.settings['hashistack.traefik.publicPorts']).ports.websecure}/`);
        if (answer.status === 200) seen.add(/^Hostname: (.+)$/m.exec(answer.body)![1]!);
      }
      return [...seen].sort();
    };
    await sections();
    // whoami's instance on hashi-server-c is critical in the scenario: Traefik leaves it out (round robin over the two others).
    assert.deepEqual(await hostnamesOf(6), ['hashi-server-a', 'hashi-server-b']);
    await demo.cluster.applyChange({ kind: 'setCheck', service: 'whoami', status: 'critical' });
    const remaining = await until(async () => {
      const seen = await hostnamesOf(6);
      return seen.length === 1 && seen;
    }, 'Traefik to stop sending to the instance whose check turned critical', 30_000);
    assert.deepEqual(remaining, ['hashi-server-b']);
  });
});
