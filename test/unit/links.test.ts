import * as assert from 'node:assert/strict';
import { isWebUrl, nomadJobUrl, parsePublicPorts, routerPublicUrl, routerUrl } from '../../src/core/tree/links';

describe('links', () => {
  it('turns Traefik Host rules into URLs', () => {
    assert.equal(routerUrl('Host(`gallery.example.com`)', true), 'https://gallery.example.com');
    assert.equal(routerUrl('Host(`Example.COM`)', false), 'http://example.com');
    assert.equal(routerUrl('Host(`a.example.com`) && PathPrefix(`/api`)', true), 'https://a.example.com/api');
    assert.equal(routerUrl('PathPrefix(`/x`) && Host("b.example.com")', false), 'http://b.example.com/x');
    assert.equal(routerUrl('Host(`a.example.com`, `b.example.com`)', false), 'http://a.example.com');
  });

  it("puts the port users reach the router's entry point on into its URL, unless it is the scheme's own", () => {
    const router = { rule: 'Host(`whoami.localhost`) && PathPrefix(`/api`)', tls: { certResolver: 'le' }, entryPoints: ['web', 'websecure'] };
    assert.equal(routerPublicUrl(router), 'https://whoami.localhost/api', 'no setting: a load balancer on 443');
    assert.equal(routerPublicUrl(router, { websecure: 8443 }), 'https://whoami.localhost:8443/api');
    // The first of the router's entry points that has a port wins.
    assert.equal(routerPublicUrl(router, { web: 8000, websecure: 8443 }), 'https://whoami.localhost:8000/api');
    assert.equal(routerPublicUrl(router, { websecure: 443 }), 'https://whoami.localhost/api');
    assert.equal(routerPublicUrl({ ...router, tls: null }, { web: 80 }), 'http://whoami.localhost/api');
    assert.equal(routerPublicUrl({ ...router, entryPoints: ['other'] }, { websecure: 8443 }), 'https://whoami.localhost/api');
    assert.equal(routerPublicUrl({ ...router, rule: 'HostRegexp(`.+`)' }, { websecure: 8443 }), undefined);
  });

  it('reads the publicPorts setting, naming each entry that is not a port', () => {
    assert.deepEqual(parsePublicPorts(undefined), { ports: {}, problems: [] });
    assert.deepEqual(parsePublicPorts({ websecure: 8443, web: 0, api: '8080', odd: 1.5 }).ports, { websecure: 8443 });
    assert.deepEqual(
      parsePublicPorts({ websecure: 8443, web: 0, api: '8080' }).problems,
      ['"hashistack.traefik.publicPorts": the port of entry point "web" must be a whole number from 1 to 65535', '"hashistack.traefik.publicPorts": the port of entry point "api" must be a whole number from 1 to 65535'],
    );
    assert.match(parsePublicPorts([8443]).problems[0]!, /must be an object of entry point names to ports/);
  });

  it('makes no URL from rules without a plain host, or with hostile text', () => {
    assert.equal(routerUrl('HostRegexp(`{sub:.+}.example.com`)', false), undefined);
    assert.equal(routerUrl('HostSNI(`*`)', false), undefined);
    assert.equal(routerUrl('Host(`javascript:alert(1)`)', false), undefined);
    assert.equal(routerUrl('Host(`evil.com/@x`)', false), undefined);
    assert.equal(routerUrl('Host(`a.example.com`) && PathPrefix(`/"><script>`)', false), 'http://a.example.com');
  });

  it('accepts only http(s) URLs for opening', () => {
    assert.ok(isWebUrl('https://a.example.com'));
    assert.ok(!isWebUrl('javascript:alert(1)'));
    assert.ok(!isWebUrl('file:///etc/passwd'));
    assert.ok(!isWebUrl('command:workbench.action.terminal.new'));
  });

  it("escapes a job's ID and namespace in the Nomad UI URL", () => {
    assert.equal(nomadJobUrl({ nomad: 'http://n:4646/', consul: '' }, 'my job/1', 'default'), 'http://n:4646/ui/jobs/my%20job%2F1%40default');
  });
});

describe('negated matchers never become links', () => {
  it('skips a negated Host or Path, alone or in a negated group, and takes the one that is not', () => {
    assert.equal(routerUrl('!Host(`internal.example.com`)', true), undefined);
    assert.equal(routerUrl('! Host(`internal.example.com`) && PathPrefix(`/x`)', true), undefined);
    assert.equal(routerUrl('!(Host(`a.example.com`) || Host(`b.example.com`))', true), undefined);
    assert.equal(routerUrl('!Host(`old.example.com`) && Host(`new.example.com`)', true), 'https://new.example.com');
    assert.equal(routerUrl('Host(`a.example.com`) && !PathPrefix(`/admin`)', true), 'https://a.example.com');
    assert.equal(routerUrl('!!Host(`a.example.com`)', false), 'http://a.example.com', 'a double negation is no negation');
    assert.equal(routerUrl('(Host(`a.example.com`) && !Path(`/x`)) || Host(`b.example.com`)', true), 'https://a.example.com');
  });
});
