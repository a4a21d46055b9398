import * as assert from 'node:assert/strict';
import { bumpTag, isValidTag, parseTagVersion } from '../../src/core/jobspec/versionBump';
import { parseImageReference } from '../../src/core/jobspec/imageReference';

describe('image references', () => {
  const cases: [string, { registry?: string; repository: string; tag?: string; digest?: string }][] = [
    ['redis', { repository: 'redis' }],
    ['traefik:v3.1.4', { repository: 'traefik', tag: 'v3.1.4' }],
    ['registry.local:5000/team/app:1.2.3', { registry: 'registry.local:5000', repository: 'team/app', tag: '1.2.3' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app' }],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/gallery:v2.4.1', { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'gallery', tag: 'v2.4.1' }],
    ['nginx@sha256:abc', { repository: 'nginx', digest: 'sha256:abc' }],
    ['nginx:1.25@sha256:abc', { repository: 'nginx', tag: '1.25', digest: 'sha256:abc' }],
    ['${var.registry}/launcher:0.3.10', { registry: '${var.registry}', repository: 'launcher', tag: '0.3.10' }],
    ['library/ubuntu:24.04', { repository: 'library/ubuntu', tag: '24.04' }],
  ];
  for (const [text, expected] of cases) {
    it(`splits ${text}`, () => {
      const reference = parseImageReference(text);
      assert.equal(reference.registry, expected.registry);
      assert.equal(reference.repository, expected.repository);
      assert.equal(reference.tag?.text, expected.tag);
      assert.equal(reference.digest, expected.digest);
      if (reference.tag) {
        assert.equal(text.slice(reference.tag.start, reference.tag.end), expected.tag);
      }
    });
  }
});

describe('version bumps keep the tag form', () => {
  const cases: [string, 'patch' | 'minor' | 'major', string][] = [
    ['1.2.3', 'patch', '1.2.4'],
    ['v1.2.3', 'patch', 'v1.2.4'],
    ['v1.2.3', 'minor', 'v1.3.0'],
    ['v1.2.3', 'major', 'v2.0.0'],
    ['0.3.10', 'patch', '0.3.11'],
    ['1.9.9', 'minor', '1.10.0'],
    ['v3.1', 'minor', 'v3.2'],
    ['16', 'major', '17'],
    ['1.25.3-alpine', 'patch', '1.25.4-alpine'],
    ['1.25.3-bookworm-slim', 'minor', '1.26.0-bookworm-slim'],
    ['2.0.0-rc.1', 'patch', '2.0.0'],
    ['2.0.0-rc.1', 'major', '2.0.0'],
    ['2.0.1-beta', 'minor', '2.1.0'],
    ['1.2.3+build.7', 'patch', '1.2.4'],
  ];
  for (const [tag, kind, expected] of cases) {
    it(`${tag} ${kind} → ${expected}`, () => assert.equal(bumpTag(tag, kind), expected));
  }

  it('refuses a part the tag does not have, and tags that are not versions', () => {
    assert.throws(() => bumpTag('v3.1', 'patch'), /"v3\.1" has no patch part \(it has 2 numbers\)/);
    assert.throws(() => bumpTag('16', 'minor'), /has no minor part/);
    assert.throws(() => bumpTag('latest', 'patch'), /"latest" is not a version/);
    assert.equal(parseTagVersion('2024-01-01'), undefined);
    assert.equal(parseTagVersion('sha-abc123'), undefined);
  });

  it('knows a valid Docker tag', () => {
    assert.ok(isValidTag('v1.2.3-rc_1'));
    assert.ok(!isValidTag('-x'));
    assert.ok(!isValidTag('a b'));
    assert.ok(!isValidTag('x'.repeat(129)));
    assert.ok(!isValidTag('"; rm -rf /'));
  });
});

describe('explicit tags that are not versions', () => {
  it('warns on latest and on tags that are not versions, saying why; a version passes', async () => {
    const { explicitTagWarning } = await import('../../src/core/jobspec/bumpEdit');
    assert.match(explicitTagWarning('latest')!, /"latest" moves: what runs changes with no change in the file.*lint:platform refuses it/);
    assert.match(explicitTagWarning('LATEST')!, /moves/);
    assert.match(explicitTagWarning('feature-x')!, /"feature-x" is not a version: the next bump cannot compute a new tag/);
    assert.equal(explicitTagWarning('1.2.3'), undefined);
    assert.equal(explicitTagWarning('v1.10.4'), undefined);
    assert.equal(explicitTagWarning('1.25.3-alpine'), undefined);
  });
});
