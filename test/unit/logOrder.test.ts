import * as assert from 'node:assert/strict';
import { LogRing } from '../../src/core/nomad/logFrames';
import { lineTime, mergeByTime } from '../../src/core/nomad/logOrder';

const at = (iso: string) => Date.parse(iso);

describe('Ordering a job-wide log by time', () => {
  it('reads the time a line states in the common formats, and none where it states none', () => {
    const now = at('2026-12-03T12:00:00Z');
    assert.equal(lineTime('2026-12-03T10:43:43.123Z GET /', now), at('2026-12-03T10:43:43.123Z'));
    assert.equal(lineTime('2026-12-03T11:43:43+01:00 level=info', now), at('2026-12-03T10:43:43Z'));
    assert.equal(lineTime('2026-12-03 10:43:43,250 INFO worker started', now), at('2026-12-03T10:43:43.250Z'), 'Python logging, no zone: UTC');
    assert.equal(lineTime('2026/12/03 10:43:43 http: TLS handshake error', now), at('2026-12-03T10:43:43Z'), "Go's log");
    assert.equal(lineTime('10.0.0.1 - - [03/Dec/2026:10:43:43 +0000] "GET / HTTP/1.1" 200 12', now), at('2026-12-03T10:43:43Z'), 'Common Log Format');
    assert.equal(lineTime('Dec  3 10:43:43 node-1 sshd[12]: accepted', now), at('2026-12-03T10:43:43Z'), 'syslog, this year');
    assert.equal(lineTime('Dec 31 23:59:59 node-1 cron: ran', at('2027-01-01T00:00:10Z')), at('2026-12-31T23:59:59Z'), 'syslog, last year');
    assert.equal(lineTime('{"level":"info","ts":1764758623.5,"msg":"ready"}', now), 1764758623500, 'zap JSON');
    assert.equal(lineTime('level=info time=1764758623000 msg=ready', now), 1764758623000, 'logfmt, epoch ms');
    assert.equal(lineTime('time="2026-12-03T10:43:43Z" level=info msg="Configuration loaded"', now), at('2026-12-03T10:43:43Z'), 'Traefik');
    for (const none of ['GET /health 200 3ms', '    at Object.<anonymous> (index.js:1:1)', 'version 2026-13-45 is not a date', 'port 1764758623 open', '']) assert.equal(lineTime(none, now), undefined, none);
  });

  it('merges streams by their stated times, each keeping its own order, continuation lines with their line', () => {
    let clock = at('2026-12-03T12:00:00Z');
    const ring = new LogRing(100, () => clock);
    ring.note('— bbbbbbbb web joined', 'bbbbbbbb web');
    ring.append('2026-12-03T10:00:01Z a one\n2026-12-03T10:00:04Z a two\n  a two, continued\n', 'aaaaaaaa web');
    ring.append('2026-12-03T10:00:02Z b one\n2026-12-03T10:00:03Z b two\n2026-12-03T10:00:05Z b three\n', 'bbbbbbbb web');
    const merged = mergeByTime(ring.snapshot());
    // A stream's note stands before its next line: it does not hold that stream's older lines back.
    assert.deepEqual(merged.map((line) => line.text.replace(/^\S+ /, '')), ['a one', 'bbbbbbbb web joined', 'b one', 'b two', 'a two', '  a two, continued', 'b three']);
    assert.ok(merged.every((line) => !line.separator), 'every line has a time: nothing is a guess');
    // A stream whose clock went back keeps its order: a merge never reorders one allocation's lines.
    clock += 5_000;
    ring.append('2026-12-03T09:00:00Z a late clock\n', 'aaaaaaaa web');
    const again = mergeByTime(ring.snapshot()).filter((line) => line.source === 'aaaaaaaa web').map((line) => line.text);
    assert.equal(again.at(-1), '2026-12-03T09:00:00Z a late clock');
  });

  it('places lines with no time by arrival, and says where the order is a guess: backlog lines without times', () => {
    let clock = at('2026-12-03T12:00:00Z');
    const ring = new LogRing(100, () => clock);
    ring.append('GET /a\nGET /b\n', 'aaaaaaaa web');
    ring.append('GET /c\n', 'bbbbbbbb web');
    clock += 10_000;
    ring.append('GET /d live\n', 'bbbbbbbb web');
    clock += 1_000;
    ring.append('GET /e live\n', 'aaaaaaaa web');
    const merged = mergeByTime(ring.snapshot());
    const separators = merged.filter((line) => line.separator);
    assert.equal(separators.length, 2, merged.map((line) => line.text).join('\n'));
    assert.match(separators[0]!.text, /aaaaaaaa web: earlier lines with no time of their own.*a guess/);
    assert.deepEqual(merged.filter((line) => !line.separator).map((line) => line.text), ['GET /a', 'GET /b', 'GET /c', 'GET /d live', 'GET /e live']);
    // Lines that came live are ordered by arrival with no separator before them.
    const live = merged.findIndex((line) => line.text === 'GET /d live');
    assert.ok(!merged[live - 1]!.separator);
  });
});
