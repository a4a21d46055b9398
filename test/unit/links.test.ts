import * as assert from 'node:assert/strict';
import { isWebUrl, nomadJobUrl, routerUrl } from '../../src/core/tree/links';

describe('links', () => {
  it('turns Traefik Host rules into URLs', () => {
    assert.equal(routerUrl('Host(`gallery.example.com`)', true), 'https://gallery.example.com');
    assert.equal(routerUrl('Host(`Example.COM`)', false), 'http://example.com');
    assert.equal(routerUrl('Host(`a.example.com`) && PathPrefix(`/api`)', true), 'https://a.example.com/api');
    assert.equal(routerUrl('PathPrefix(`/x`) && Host("b.example.com")', false), 'http://b.example.com/x');
    assert.equal(routerUrl('Host(`a.example.com`, `b.example.com`)', false), 'http://a.example.com');
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
