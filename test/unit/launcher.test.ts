import * as assert from 'node:assert/strict';
import { buildLauncherCards, validateLauncherMessage } from '../../src/core/launcher/launcherCards';
import { MAX_FIELD_LENGTH, parseLauncherTags } from '../../src/core/launcher/launcherTags';
import { TraefikHttpRouter } from '../../src/core/traefik/traefikApi';

describe('launcher tags', () => {
  it('splits on the first "=" only: a description may hold more', () => {
    const parsed = parseLauncherTags(['launcher.name=Grafana', 'launcher.description=Dashboards: a=b, c=d', 'traefik.enable=true']);
    assert.equal(parsed.isLauncher, true);
    assert.deepEqual(parsed.fields, { name: 'Grafana', description: 'Dashboards: a=b, c=d' });
    assert.deepEqual(parsed.warnings, []);
  });

  it('keeps unicode, ignores unknown launcher keys, and warns about a malformed tag on this service only', () => {
    const parsed = parseLauncherTags(['launcher.name=Фото 📷', 'launcher.colour=blue', 'launcher.description', 'launcher.subDomain=photos']);
    assert.deepEqual(parsed.fields, { name: 'Фото 📷', subDomain: 'photos' });
    assert.deepEqual(parsed.warnings, ['tag "launcher.description" has no "=": write launcher.<key>=<value>']);
  });

  it('handles empty and duplicate tags', () => {
    assert.deepEqual(parseLauncherTags([]), { isLauncher: false, fields: {}, warnings: [] });
    assert.deepEqual(parseLauncherTags(null), { isLauncher: false, fields: {}, warnings: [] });
    const duplicate = parseLauncherTags(['launcher.name=A', 'launcher.name=B', 'launcher.subDomain=']);
    assert.equal(duplicate.fields.name, 'B');
    assert.equal(duplicate.fields.subDomain, '');
    assert.deepEqual(duplicate.warnings, ['launcher.name is set twice; the last one is used']);
  });

  it('cuts a very long value', () => {
    const parsed = parseLauncherTags([`launcher.description=${'x'.repeat(10_000)}`]);
    assert.equal(parsed.fields.description!.length, MAX_FIELD_LENGTH + 1);
    assert.match(parsed.warnings[0]!, /longer than 500 characters/);
  });
});

describe('launcher cards', () => {
  const router = (service: string, rule: string, tls = true): TraefikHttpRouter => ({ name: `${service}@consulcatalog`, provider: 'consulcatalog', service, rule, status: 'enabled', tls: tls ? {} : null });
  const health = new Map([['whoami', { passing: 2, warning: 0, critical: 1 }]]);

  it('takes the URL from the Traefik router whose service is the Consul service', () => {
    const cards = buildLauncherCards({
      services: { whoami: ['launcher.name=Who am I', 'launcher.subDomain=ignored'], consul: [] },
      health,
      routers: [router('whoami', 'Host(`whoami.example.com`)')],
      nomadJobs: [{ ID: 'whoami' } as never],
      domain: 'example.org',
    });
    assert.equal(cards.length, 1, 'only services with launcher.* tags get a card');
    assert.deepEqual({ ...cards[0], warnings: cards[0]!.warnings }, {
      id: 'whoami',
      name: 'Who am I',
      description: '',
      techDetails: '',
      health: { text: '2/3 passing', state: 'critical' },
      runsOn: 'Nomad job whoami',
      url: 'https://whoami.example.com',
      urlSource: 'router',
      warnings: [],
    });
  });

  it('falls back to launcher.subDomain and the domain setting, the apex for an empty one', () => {
    const cards = buildLauncherCards({ services: { photos: ['launcher.subDomain=photos'], home: ['launcher.name=Home', 'launcher.subDomain='] }, health: new Map(), domain: 'example.com' });
    assert.deepEqual(cards.map((c) => [c.id, c.url, c.urlSource, c.runsOn]), [
      ['home', 'https://example.com', 'subDomain', 'outside Nomad (e.g. ECS)'],
      ['photos', 'https://photos.example.com', 'subDomain', 'outside Nomad (e.g. ECS)'],
    ]);
  });

  it('makes no link from hostile tags, says why on that card only, and keeps the others', () => {
    const cards = buildLauncherCards({
      services: {
        evil: ['launcher.name=<img src=x onerror=alert(1)>', 'launcher.subDomain=javascript:alert(1)//', 'launcher.description=<script>alert(2)</script>'],
        good: ['launcher.name=Good', 'launcher.subDomain=good'],
      },
      health: new Map(),
      routers: [router('evil', 'Host(`javascript:alert(1)`)')],
      domain: 'example.com',
    });
    const evil = cards.find((card) => card.id === 'evil')!;
    assert.equal(evil.url, undefined);
    assert.equal(evil.name, '<img src=x onerror=alert(1)>', 'kept as text, for textContent');
    assert.ok(evil.warnings.some((warning) => warning.includes('is not a DNS name')));
    assert.equal(cards.find((card) => card.id === 'good')!.url, 'https://good.example.com');
  });

  it('accepts only open/reveal messages naming a known card', () => {
    const cards = buildLauncherCards({ services: { a: ['launcher.name=A'] }, health: new Map(), domain: '' });
    assert.deepEqual(validateLauncherMessage({ type: 'open', id: 'a' }, cards), { type: 'open', id: 'a' });
    assert.equal(validateLauncherMessage({ type: 'open', id: 'b' }, cards), undefined);
    assert.equal(validateLauncherMessage({ type: 'open', url: 'javascript:alert(1)' }, cards), undefined);
    assert.equal(validateLauncherMessage({ type: 'run', id: 'a' }, cards), undefined);
    assert.equal(validateLauncherMessage('open a', cards), undefined);
  });
});

describe('Launcher warnings in the log', () => {
  it('logs each warning once, and none about a missing router before Traefik has answered', async () => {
    const { buildLauncherCards, cardWarningsToLog } = await import('../../src/core/launcher/launcherCards');
    const services = { whoami: ['launcher.name=Who am I', 'launcher.broken'] };
    const before = buildLauncherCards({ services, health: new Map(), routers: undefined, nomadJobs: undefined, domain: '' });
    const logged = new Set<string>();
    const first = cardWarningsToLog(before, false, logged);
    assert.ok(first.length > 0, 'the broken tag is worth a line');
    assert.ok(first.every((line) => !/Traefik router rule/.test(line)), 'no router warning before Traefik answered');
    assert.deepEqual(cardWarningsToLog(before, false, logged), [], 'a rebuild logs nothing new');
    const after = buildLauncherCards({ services, health: new Map(), routers: [], nomadJobs: undefined, domain: '' });
    assert.ok(cardWarningsToLog(after, true, logged).some((line) => /Traefik router rule/.test(line)), 'once Traefik answered with no router, it is said');
  });
});
