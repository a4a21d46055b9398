import * as assert from 'node:assert/strict';
import { resolveProfiles } from '../../src/core/profiles/clusterProfile';
import { addressAnswerProblem, nameProblem, namespaceProblem, profileEntry } from '../../src/core/profiles/newProfile';

describe('Add Cluster: the guided input', () => {
  it('checks each answer as it is typed, saying what to write', () => {
    assert.match(nameProblem('  ', [])!, /Give the cluster a name/);
    assert.match(nameProblem('Prod', ['prod'])!, /exists already/);
    assert.equal(nameProblem('staging', ['prod']), undefined);
    assert.equal(addressAnswerProblem('nomadAddress', 'https://nomad.prod:4646'), undefined);
    assert.equal(addressAnswerProblem('consulAddress', ''), undefined, 'empty: the default');
    assert.match(addressAnswerProblem('nomadAddress', 'ftp://x')!, /The nomad address is "ftp:\/\/x", which is not an http:\/\/ or https:\/\/ address/);
    assert.match(addressAnswerProblem('traefikAddress', 'http://127.0.0.1:6666')!, /port 6666 is one the Fetch standard blocks/);
    assert.equal(namespaceProblem('*'), undefined);
    assert.match(namespaceProblem('no spaces')!, /not a Nomad namespace name/);
  });

  it('makes the settings entry the profiles read back: normalized addresses, only what was answered', () => {
    const entry = profileEntry({ name: ' prod ', nomadAddress: 'nomad.prod:4646', consulAddress: '', traefikAddress: 'https://traefik.prod:8080/', nomadNamespace: 'default', nomadRegion: 'eu', caFile: '/etc/ca.pem', tlsServerName: '' });
    assert.deepEqual(entry, { name: 'prod', nomadAddress: 'http://nomad.prod:4646', consulAddress: 'http://127.0.0.1:8500', traefikAddress: 'https://traefik.prod:8080', nomadRegion: 'eu', caFile: '/etc/ca.pem' });
    const { profiles, problems } = resolveProfiles([entry], {});
    assert.deepEqual(problems, []);
    assert.equal(profiles[0]!.nomad.address, 'http://nomad.prod:4646');
    assert.equal(profiles[0]!.nomad.caFile, '/etc/ca.pem');
    assert.throws(() => profileEntry({ name: 'x', nomadAddress: 'unix:///var/run/nomad.sock', consulAddress: '', traefikAddress: '' }), /Unix sockets are not supported/);
  });
});
