import * as assert from 'node:assert/strict';
import { DEFAULT_CONSUL_ADDRESS, DEFAULT_NOMAD_ADDRESS, DEFAULT_TRAEFIK_ADDRESS, environmentProfile, normalizeAddress, redactAddress, resolveProfiles } from '../../src/core/profiles/clusterProfile';

describe('cluster profiles', () => {
  it('with nothing configured, uses the dev-agent defaults', () => {
    const { profiles, problems } = resolveProfiles([], {});
    assert.deepEqual(problems, []);
    assert.equal(profiles.length, 1);
    assert.equal(profiles[0]!.source, 'environment');
    assert.equal(profiles[0]!.consul.address, DEFAULT_CONSUL_ADDRESS);
    assert.equal(profiles[0]!.nomad.address, DEFAULT_NOMAD_ADDRESS);
    assert.equal(profiles[0]!.traefik.address, DEFAULT_TRAEFIK_ADDRESS);
    assert.equal(profiles[0]!.nomad.namespace, 'default');
  });

  it('reads the variables the CLIs read', () => {
    const { profiles } = resolveProfiles(undefined, {
      CONSUL_HTTP_ADDR: '10.0.0.5:8501',
      CONSUL_HTTP_SSL: 'true',
      CONSUL_HTTP_TOKEN: 'c-token',
      CONSUL_CACERT: '/etc/consul/ca.pem',
      NOMAD_ADDR: 'https://nomad.service.consul:4646/',
      NOMAD_TOKEN: 'n-token',
      NOMAD_CACERT: '/etc/nomad/ca.pem',
      NOMAD_NAMESPACE: '*',
      NOMAD_REGION: 'eu',
      HASHISTACK_TRAEFIK_ADDR: 'http://127.0.0.1:18080',
    });
    const profile = profiles[0]!;
    assert.equal(profile.consul.address, 'https://10.0.0.5:8501');
    assert.equal(profile.consul.caFile, '/etc/consul/ca.pem');
    assert.equal(profile.nomad.address, 'https://nomad.service.consul:4646');
    assert.equal(profile.nomad.caFile, '/etc/nomad/ca.pem');
    assert.equal(profile.nomad.namespace, '*');
    assert.equal(profile.nomad.region, 'eu');
    assert.equal(profile.traefik.address, 'http://127.0.0.1:18080');
    assert.deepEqual(profile.environmentTokens, { consul: 'c-token', nomad: 'n-token' });
  });

  it('takes profiles from settings, and keeps the environment beside them when its variables are set', () => {
    const { profiles, problems } = resolveProfiles([{ name: 'prod', nomadAddress: 'https://nomad.prod:4646', caFile: '/ca.pem', tlsServerName: 'server.global.nomad' }], { NOMAD_ADDR: 'http://elsewhere:4646', NOMAD_TOKEN: 'x' });
    assert.deepEqual(problems, []);
    assert.deepEqual(profiles.map((profile) => profile.name), ['prod', 'Environment']);
    assert.equal(profiles[0]!.nomad.address, 'https://nomad.prod:4646');
    assert.equal(profiles[0]!.nomad.tlsServerName, 'server.global.nomad');
    assert.equal(profiles[0]!.consul.address, DEFAULT_CONSUL_ADDRESS);
    assert.deepEqual(profiles[0]!.environmentTokens, {}, 'an environment token is never sent to a configured profile');
    assert.equal(profiles[1]!.nomad.address, 'http://elsewhere:4646');
    assert.equal(profiles[1]!.environmentTokens.nomad, 'x');
    // No CLI variable set: only the named profiles (the dev-agent defaults are no profile of their own then).
    assert.deepEqual(resolveProfiles([{ name: 'prod' }], { NOMAD_TOKEN: 'x' }).profiles.map((profile) => profile.name), ['prod']);
    // A named profile called Environment wins the name.
    assert.deepEqual(resolveProfiles([{ name: 'Environment', nomadAddress: 'http://mine:4646' }], { NOMAD_ADDR: 'http://elsewhere:4646' }).profiles.map((profile) => profile.nomad.address), ['http://mine:4646']);
  });

  it('explains an address on a port that fetch refuses, naming the profile and the setting it came from', () => {
    const { problems } = resolveProfiles([{ name: 'tunnel', nomadAddress: 'http://127.0.0.1:1' }, { name: 'x11', consulAddress: 'localhost:6000' }], {});
    assert.match(problems[0]!, /^Profile "tunnel" \(setting "hashistack.clusters"\): "nomadAddress" is "http:\/\/127.0.0.1:1": port 1 is one the Fetch standard blocks .* refuses it before sending anything/);
    assert.match(problems[1]!, /^Profile "x11" .*"consulAddress" is "localhost:6000": port 6000 is one the Fetch standard blocks/);
    const environment = environmentProfile({ NOMAD_ADDR: 'http://127.0.0.1:10080' });
    assert.match(environment.nomad.problem!, /^Profile "Environment" \(from the environment\): NOMAD_ADDR is "http:\/\/127.0.0.1:10080": port 10080 is one the Fetch standard blocks/);
    for (const port of [1, 6665, 6669, 10080]) assert.equal(normalizeAddress(`http://127.0.0.1:${port}`), undefined, `port ${port}`);
    for (const port of [4646, 8500, 8080, 6670]) assert.ok(normalizeAddress(`http://127.0.0.1:${port}`), `port ${port}`);
  });

  it('has no AWS part unless a cluster tag or an ECS cluster is named', () => {
    assert.equal(resolveProfiles([], { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'prod' }).profiles[0]!.aws, undefined);
    assert.equal(resolveProfiles([{ name: 'p', awsRegion: 'eu-west-1' }], {}).profiles[0]!.aws, undefined);
    assert.deepEqual(resolveProfiles([], { AWS_REGION: 'eu-west-1', HASHISTACK_CLUSTER_TAG: 'hashistack' }).profiles[0]!.aws, { region: 'eu-west-1', clusterTag: { key: 'hashistack-cluster', value: 'hashistack' } });
    assert.deepEqual(resolveProfiles([{ name: 'p', awsRegion: 'us-east-2', awsProfile: 'ops', clusterTagKey: 'k', clusterTagValue: 'v', ecsCluster: 'c' }], {}).profiles[0]!.aws, { region: 'us-east-2', profile: 'ops', clusterTag: { key: 'k', value: 'v' }, ecsCluster: 'c' });
  });

  it('reports bad entries by name and keeps the good ones', () => {
    const { profiles, problems } = resolveProfiles([{ name: 'a' }, { name: 'a' }, { nomadAddress: 'http://x' }, { name: 'b', nomadAddress: 'ftp://x' }, 'junk'], {});
    assert.deepEqual(profiles.map((p) => p.name), ['a']);
    assert.equal(problems.length, 4);
    assert.match(problems[0]!, /"a" is used twice/);
    assert.match(problems[1]!, /entry 3 has no "name"/);
    assert.match(problems[2]!, /Profile "b" \(setting "hashistack.clusters"\): "nomadAddress" is "ftp:\/\/x", which is not an http:\/\/ or https:\/\/ address/);
    assert.match(problems[3]!, /entry 5 is not an object/);
  });

  it('normalizes addresses and refuses credentials or queries in them', () => {
    assert.equal(normalizeAddress('127.0.0.1:8500'), 'http://127.0.0.1:8500');
    assert.equal(normalizeAddress('https://a.b/'), 'https://a.b');
    assert.equal(normalizeAddress('https://user:pw@a.b'), undefined);
    assert.equal(normalizeAddress('http://a.b/?token=x'), undefined);
    assert.equal(normalizeAddress('javascript:alert(1)'), undefined);
    assert.equal(normalizeAddress('  '), undefined);
  });
});

describe('bad addresses are reported, and the token never goes to a default', () => {
  const cases: [string, RegExp][] = [
    ['ftp://nomad.example:4646', /not an http:\/\/ or https:\/\/ address/],
    ['http://nomad example:4646', /not an http:\/\/ or https:\/\/ address/],
    ['http://127.0.0.1:99999', /not an http:\/\/ or https:\/\/ address/],
    ['unix:///var/run/nomad.sock', /Unix sockets are not supported/],
    ['https://admin:hunter2@nomad.example:4646', /not an http:\/\/ or https:\/\/ address/],
  ];
  for (const [value, reason] of cases) {
    it(`NOMAD_ADDR=${value.replace('hunter2', '…')}: a problem that says why, and no fallback address`, () => {
      const profile = environmentProfile({ NOMAD_ADDR: value, NOMAD_TOKEN: 'secret-token' });
      assert.match(profile.nomad.problem ?? '', reason);
      assert.match(profile.nomad.problem!, /^Profile "Environment" \(from the environment\): NOMAD_ADDR is /);
      assert.notEqual(profile.nomad.address, DEFAULT_NOMAD_ADDRESS, 'not the dev-agent default');
      assert.doesNotMatch(`${profile.nomad.problem} ${profile.nomad.address}`, /hunter2/, 'a password is never shown');
      const { problems } = resolveProfiles(undefined, { NOMAD_ADDR: value });
      assert.ok(problems.includes(profile.nomad.problem!), 'the problem reaches the status bar');
    });
  }

  it('shows credentials in an address as user:***', () => {
    assert.equal(redactAddress('http://user:pass@host:8500'), 'http://user:***@host:8500');
    assert.equal(redactAddress('http://host:8500'), 'http://host:8500');
    const { problems } = resolveProfiles([{ name: 'p', consulAddress: 'http://ops:s3cret@consul:8500' }], {});
    assert.ok(problems.some((problem) => problem.includes('http://ops:***@consul:8500')), problems.join(' | '));
    assert.ok(problems.every((problem) => !problem.includes('s3cret')));
  });

  it('an address without a scheme is still taken, as the CLIs take it', () => {
    const profile = environmentProfile({ CONSUL_HTTP_ADDR: '10.0.0.5:8500' });
    assert.equal(profile.consul.address, 'http://10.0.0.5:8500');
    assert.equal(profile.consul.problem, undefined);
  });
});

describe('hashistack.requestTimeoutSeconds', () => {
  it('is clamped to 1–300 and reported when out of range or not a number', async () => {
    const { requestTimeoutSeconds } = await import('../../src/core/profiles/settings');
    assert.deepEqual(requestTimeoutSeconds(undefined), { seconds: 10 });
    assert.deepEqual(requestTimeoutSeconds(30), { seconds: 30 });
    assert.equal(requestTimeoutSeconds(0).seconds, 1);
    assert.match(requestTimeoutSeconds(0).problem!, /outside 1–300; using 1/);
    assert.equal(requestTimeoutSeconds(10_000).seconds, 300);
    assert.equal(requestTimeoutSeconds('fast').seconds, 10);
    assert.match(requestTimeoutSeconds('fast').problem!, /"fast", not a number of seconds/);
    assert.match(requestTimeoutSeconds(Number.NaN).problem!, /not a number/);
  });
});
