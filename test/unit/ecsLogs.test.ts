import * as assert from 'node:assert/strict';
import { CloudWatchLogEvent, CloudWatchLogsApi, CloudWatchTail, CLOUDWATCH_BACKLOG_MS, CLOUDWATCH_LATE_MS, StreamSelection } from '../../src/core/aws/cloudWatchTail';
import { awsLogsStreamName, ContainerLogDefinition, ecsLogging, elsewhereWords, logGroupArn } from '../../src/core/aws/ecsLogs';
import { Backoff } from '../../src/core/live/backoff';
import { LogRing } from '../../src/core/nomad/logFrames';
import { until } from '../support/until';

describe('Where an ECS task logs (the task definition\'s logConfiguration)', () => {
  // Container definitions as ECS's RegisterTaskDefinition documents them, and as platform/terraform/ecs-gallery.tf writes one.
  const containers: ContainerLogDefinition[] = [
    { name: 'gallery', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/hashistack', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'gallery' } } },
    { name: 'log_router', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/firelens' } } },
    { name: 'app', logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog' } } },
    { name: 'sidecar' },
    { name: 'quiet', logConfiguration: { logDriver: 'none' } },
  ];

  it('splits awslogs containers (group, region, prefix) from those that log elsewhere', () => {
    const logging = ecsLogging(containers);
    assert.deepEqual(logging.awslogs, [
      { container: 'gallery', group: '/ecs/hashistack', region: 'eu-west-1', streamPrefix: 'gallery' },
      { container: 'log_router', group: '/ecs/firelens', region: undefined, streamPrefix: undefined },
    ]);
    assert.deepEqual(logging.elsewhere, [{ container: 'app', driver: 'awsfirelens' }, { container: 'sidecar', driver: undefined }, { container: 'quiet', driver: 'none' }]);
  });

  it('names a task\'s stream as the awslogs driver does: prefix/container/task-id', () => {
    const [gallery, router] = ecsLogging(containers).awslogs;
    assert.equal(awsLogsStreamName(gallery!, '5f1c0e8a9b7d4c3e8f2a1b0c9d8e7f60'), 'gallery/gallery/5f1c0e8a9b7d4c3e8f2a1b0c9d8e7f60');
    assert.equal(awsLogsStreamName(router!, '5f1c'), undefined, 'without a prefix the stream is named by the Docker container ID');
  });

  it('says where each elsewhere container logs, and what to set to tail it', () => {
    const words = elsewhereWords('gallery', ecsLogging(containers).elsewhere);
    assert.match(words, /"app" logs through FireLens/);
    assert.match(words, /"sidecar" has no logConfiguration/);
    assert.match(words, /"quiet" has the log driver none/);
    assert.match(words, /logDriver = "awslogs"/);
  });

  it('makes the log group ARN Live Tail needs from the account and partition of an ECS ARN', () => {
    assert.equal(logGroupArn('arn:aws:ecs:eu-west-1:123456789012:task-definition/gallery:7', 'eu-west-1', '/ecs/hashistack'), 'arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/hashistack');
    assert.equal(logGroupArn('arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/g:1', 'us-gov-west-1', 'g'), 'arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:g');
    assert.equal(logGroupArn('gallery:7', 'eu-west-1', 'g'), undefined, 'not an ARN: no Live Tail (the tail polls)');
  });
});

/** A CloudWatch Logs of events in memory: FilterLogEvents by time and stream, and Live Tail as a script. */
class FakeLogs implements CloudWatchLogsApi {
  events: CloudWatchLogEvent[] = [];
  filterCalls: { startTime: number; streams: StreamSelection }[] = [];
  liveCalls = 0;
  /** What each Live Tail session does: yields these updates, then ends, throws, or stays open until aborted. */
  sessions: { updates: ('started' | CloudWatchLogEvent[])[]; then: 'end' | 'hold' | Error; whileDown?: () => void }[] = [];
  filterError: Error | undefined;
  pageSize = 2;

  async filterLogEvents(request: { group: string; streams: StreamSelection; startTime: number; nextToken?: string }): Promise<{ events: CloudWatchLogEvent[]; nextToken?: string }> {
    this.filterCalls.push({ startTime: request.startTime, streams: request.streams });
    if (this.filterError) throw this.filterError;
    const matching = this.events.filter((event) => event.timestamp >= request.startTime && ('names' in request.streams ? request.streams.names.includes(event.stream) : event.stream.startsWith(request.streams.prefix)));
    const start = Number(request.nextToken ?? 0);
    return { events: matching.slice(start, start + this.pageSize), ...(start + this.pageSize < matching.length ? { nextToken: String(start + this.pageSize) } : {}) };
  }

  async *liveTail(_request: { groupArn: string; streams: StreamSelection }, signal: AbortSignal): AsyncIterable<'started' | CloudWatchLogEvent[]> {
    const session = this.sessions[this.liveCalls++] ?? { updates: [], then: 'hold' as const };
    for (const update of session.updates) yield update;
    session.whileDown?.();
    if (session.then instanceof Error) throw session.then;
    if (session.then === 'hold') await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

describe('Following CloudWatch Logs (CloudWatchTail)', () => {
  const now = Date.parse('2026-12-03T10:00:00Z');
  const at = (secondsAgo: number, message: string, stream = 'gallery/gallery/5f1c', id?: string): CloudWatchLogEvent => ({ stream, timestamp: now - secondsAgo * 1000, message, ...(id ? { id } : {}) });
  const fastBackoff = new Backoff(1, 2, () => 0);
  const tails: CloudWatchTail[] = [];
  afterEach(() => tails.splice(0).forEach((tail) => tail.stop()));

  function follow(api: FakeLogs, target: Partial<{ groupArn: string; since: number; follow: boolean }> = { groupArn: 'arn:aws:logs:eu-west-1:1:log-group:/ecs/hashistack' }) {
    const shown: CloudWatchLogEvent[] = [];
    const notes: string[] = [];
    const tail = new CloudWatchTail(api, { group: '/ecs/hashistack', streams: { prefix: 'gallery/gallery/' }, ...target }, { onEvents: (events) => shown.push(...events), onNote: (text) => notes.push(text), backoff: fastBackoff, pollMs: 5, clock: () => now });
    tails.push(tail);
    void tail.start();
    return { tail, shown, notes };
  }

  it('shows the last ten minutes page by page, then Live Tail\'s events as they come', async () => {
    const api = new FakeLogs();
    api.events = [at(900, 'too old'), at(300, 'one', undefined, 'e1'), at(200, 'two', undefined, 'e2'), at(100, 'three', undefined, 'e3'), at(50, 'other service', 'other/other/9a8b', 'e4')];
    api.sessions = [{ updates: ['started', [at(1, 'live one')], [], [at(0, 'live two')]], then: 'hold' }];
    const { shown } = follow(api);
    await until(() => shown.length === 5, 'backlog and live events shown');
    assert.deepEqual(shown.map((event) => event.message), ['one', 'two', 'three', 'live one', 'live two']);
    assert.equal(api.filterCalls[0]!.startTime, now - CLOUDWATCH_BACKLOG_MS);
    assert.ok(api.filterCalls.length >= 2, 'the backlog followed nextToken');
    assert.deepEqual(api.filterCalls[0]!.streams, { prefix: 'gallery/gallery/' });
  });

  it('falls back to FilterLogEvents on a paced cursor when Live Tail is refused, showing each event once', async () => {
    const api = new FakeLogs();
    api.events = [at(30, 'a', undefined, 'e1'), at(20, 'b', undefined, 'e2')];
    api.sessions = [{ updates: [], then: Object.assign(new Error('User is not authorized to perform: logs:StartLiveTail'), { name: 'AccessDeniedException' }) }];
    const { shown, notes } = follow(api);
    await until(() => notes.some((note) => /Live Tail is not available \(AccessDeniedException: .*logs:StartLiveTail\): following with FilterLogEvents/.test(note)), 'the fallback said');
    const polls = api.filterCalls.length;
    await until(() => api.filterCalls.length >= polls + 2, 'polled again');
    // A later poll starts a late window before the newest event seen: what it repeats is not shown twice.
    assert.equal(api.filterCalls.at(-1)!.startTime, now - 20_000 - CLOUDWATCH_LATE_MS);
    api.events.push(at(10, 'c', undefined, 'e3'));
    await until(() => shown.length === 3, 'the new event shown');
    assert.deepEqual(shown.map((event) => event.message), ['a', 'b', 'c']);
    assert.equal(api.liveCalls, 1, 'Live Tail is not tried again');
  });

  it('a Live Tail session that breaks after it worked: catches up with FilterLogEvents, then starts a new one', async () => {
    const api = new FakeLogs();
    api.sessions = [
      // Live Tail's events have no ID: the catch-up's copy of one (same stream, time and text) is not shown again.
      { updates: ['started', [at(40, 'before the break')]], then: Object.assign(new Error('socket hang up'), { name: 'Error' }), whileDown: () => (api.events = [at(40, 'before the break'), at(30, 'during the break')]) },
      { updates: ['started', [at(5, 'after the break')]], then: 'hold' },
    ];
    const { shown, notes } = follow(api);
    await until(() => shown.length === 3, () => `three events shown: ${JSON.stringify(shown)}`);
    assert.ok(notes.some((note) => /the Live Tail session broke \(socket hang up\); reconnecting/.test(note)), notes.join('\n'));
    assert.ok(api.filterCalls.some((call) => call.startTime === now - 40_000 - CLOUDWATCH_LATE_MS), 'the catch-up read from the newest event seen, less the late window');
    assert.deepEqual(shown.map((event) => event.message), ['before the break', 'during the break', 'after the break']);
    assert.equal(api.liveCalls, 2);
  });

  it('a catch-up after a break with no event seen yet reads from the backlog window, not from the group\'s beginning', async () => {
    const api = new FakeLogs();
    api.sessions = [{ updates: ['started'], then: Object.assign(new Error('socket hang up'), { name: 'Error' }) }, { updates: ['started'], then: 'hold' }];
    follow(api);
    await until(() => api.liveCalls === 2, 'a second session');
    assert.deepEqual(api.filterCalls.map((call) => call.startTime), [now - CLOUDWATCH_BACKLOG_MS, now - CLOUDWATCH_BACKLOG_MS - CLOUDWATCH_LATE_MS]);
  });

  it("an event Live Tail showed (no ID) is not shown again when a catch-up returns it with its ID; equal lines in one millisecond both show", async () => {
    const api = new FakeLogs();
    api.sessions = [
      { updates: ['started', [at(40, 'GET /'), at(40, 'GET /')]], then: Object.assign(new Error('socket hang up'), { name: 'Error' }), whileDown: () => (api.events = [at(40, 'GET /', undefined, 'e1'), at(40, 'GET /', undefined, 'e2'), at(30, 'during', undefined, 'e3')]) },
      { updates: ['started'], then: 'hold' },
    ];
    const { shown } = follow(api);
    await until(() => api.liveCalls === 2, 'a second session');
    await until(() => shown.some((event) => event.message === 'during'), 'the catch-up shown');
    assert.deepEqual(shown.map((event) => event.message), ['GET /', 'GET /', 'during']);
  });

  it('a stopped task\'s streams: read from its start time, nothing followed', async () => {
    const api = new FakeLogs();
    api.events = [at(700, 'killed', 'gallery/gallery/9c8b', 'k1')];
    const { tail, shown } = follow(api, { groupArn: 'arn:aws:logs:eu-west-1:1:log-group:/ecs/hashistack', since: now - 800_000, follow: false });
    await until(() => tail.stopped, 'the tail ended by itself');
    assert.deepEqual(shown.map((event) => event.message), ['killed']);
    assert.equal(api.liveCalls, 0);
  });

  it('a missing log group is said once, and not retried', async () => {
    const api = new FakeLogs();
    api.filterError = Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' });
    const { tail, notes } = follow(api);
    await until(() => tail.stopped, 'the tail gave up');
    assert.equal(api.filterCalls.length, 1);
    assert.match(notes.join('\n'), /\/ecs\/hashistack: ResourceNotFoundException: The specified log group does not exist\.; the log is not followed/);
  });

  it('stop ends a held Live Tail session', async () => {
    const api = new FakeLogs();
    api.sessions = [{ updates: ['started'], then: 'hold' }];
    const { tail } = follow(api);
    await until(() => api.liveCalls === 1, 'the session started');
    tail.stop();
    await tail.start();
    assert.equal(tail.stopped, true);
  });
});

describe('A log view\'s lines of CloudWatch events', () => {
  it('takes each event at its own time, a line per line of its message', () => {
    const ring = new LogRing();
    ring.event('GET / 200\n', 1_000, 'a1b2c3d4 gallery');
    ring.event('Traceback:\r\n  line 1\n', 2_000, 'a1b2c3d4 gallery');
    assert.deepEqual(ring.snapshot().map((line) => [line.text, line.time, line.arrivedAt]), [['GET / 200', 1_000, 1_000], ['Traceback:', 2_000, 2_000], ['  line 1', 2_000, 2_000]]);
  });
});
