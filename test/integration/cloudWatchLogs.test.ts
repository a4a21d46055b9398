import * as assert from 'node:assert/strict';
import { jsonEvent } from '../../demo/awsEventStream';
import { AwsCluster, loadAwsModules } from '../../src/core/aws/awsCluster';
import { CloudWatchLogEvent, CloudWatchTail } from '../../src/core/aws/cloudWatchTail';
import { Backoff } from '../../src/core/live/backoff';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { recordedJson, recordedText } from '../support/recorded';
import { RecordedRequest, useReplayServer } from '../support/replayServer';
import { until } from '../support/until';

// CloudWatch Logs' recorded answers replayed to the real @aws-sdk/client-cloudwatch-logs: FilterLogEvents as JSON
// 1.1, StartLiveTail as an event stream framed message by message (the SDK's decoder checks every CRC).
const JSON_11 = 'application/x-amz-json-1.1';
const EVENT_STREAM = 'application/vnd.amazon.eventstream';
const GROUP_ARN = 'arn:aws:logs:us-east-1:111111222222:log-group:my-logs';

function logsOperation(request: RecordedRequest): string | undefined {
  const target = request.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith('Logs_20140328.') ? target.slice('Logs_20140328.'.length) : undefined;
}

describe('CloudWatch Logs through the real SDK, against recorded answers', function () {
  this.timeout(30_000);
  isolateAwsEnvironment();
  const replay = useReplayServer({});
  let cluster: AwsCluster | undefined;
  const logs = async () => (cluster = new AwsCluster(await loadAwsModules(), { region: 'us-east-1', endpoint: replay().address, maxAttempts: 1 })).cloudWatchLogs('us-east-1');
  afterEach(() => cluster?.dispose());

  it('FilterLogEvents: the group and stream names go as AWS names them, the recorded events come back with their IDs', async () => {
    replay().use((request) => (logsOperation(request) === 'FilterLogEvents' ? { file: 'aws/logs/filter-log-events.json', contentType: JSON_11 } : undefined));
    const signal = new AbortController().signal;
    const page = await (await logs()).filterLogEvents({ group: 'demo-log-group', streams: { names: ['teststream'] }, startTime: 1712567000000 }, signal);
    assert.deepEqual(JSON.parse(replay().requests[0]!.body), { logGroupName: 'demo-log-group', logStreamNames: ['teststream'], startTime: 1712567000000 });
    assert.deepEqual(page.events[0], { stream: 'teststream', timestamp: 1712567843827, message: 'Test MESSAGE1', id: '00091539120382912324200901570000096855579456010247667712' });
    assert.equal(page.events[1]!.stream, '2024/05/09/[$LATEST]abc1024');
    assert.equal(page.nextToken, undefined, 'the last page');
    await (await logs()).filterLogEvents({ group: 'g', streams: { prefix: 'gallery/gallery/' }, startTime: 0 }, signal);
    assert.equal(JSON.parse(replay().requests[1]!.body).logStreamNamePrefix, 'gallery/gallery/');
  });

  it('StartLiveTail reaches a custom endpoint (no `stream-` host prefix), and its event stream gives the session start and the events', async () => {
    const bytes = Buffer.concat([jsonEvent('sessionStart', recordedJson('aws/logs/live-tail-session-start.json')), jsonEvent('sessionUpdate', recordedJson('aws/logs/live-tail-session-update.json'))]);
    replay().use((request) => (logsOperation(request) === 'StartLiveTail' ? { bytes, contentType: EVENT_STREAM } : undefined));
    const updates: ('started' | CloudWatchLogEvent[])[] = [];
    for await (const update of (await logs()).liveTail({ groupArn: GROUP_ARN, streams: { names: ['my-log-stream-1', 'my-log-stream-2'] } }, new AbortController().signal)) updates.push(update);
    const request = replay().requests[0]!;
    assert.equal(request.headers.host, new URL(replay().address).host, 'the request went to the endpoint as given');
    assert.deepEqual(JSON.parse(request.body), { logGroupIdentifiers: [GROUP_ARN], logStreamNames: ['my-log-stream-1', 'my-log-stream-2'] });
    assert.deepEqual(updates, [
      'started',
      [
        { stream: 'my-log-stream-1', timestamp: 1396035378988, message: 'ERROR Event 1' },
        { stream: 'my-log-stream-2', timestamp: 1396035378988, message: 'ERROR Event 2' },
      ],
    ]);
  });

  it('a tail: the backlog page by page (nextToken), then Live Tail; a refused Live Tail falls back to polling', async () => {
    const page = recordedJson<{ events: unknown[]; nextToken: string }>('aws/logs/filter-log-events-page.json');
    replay().use((request) => {
      if (logsOperation(request) === 'FilterLogEvents') {
        const body = JSON.parse(request.body) as { nextToken?: string };
        // The recorded page (with its nextToken), then the recorded last page.
        return body.nextToken === page.nextToken ? { file: 'aws/logs/filter-log-events.json', contentType: JSON_11 } : { file: 'aws/logs/filter-log-events-page.json', contentType: JSON_11 };
      }
      if (logsOperation(request) === 'StartLiveTail') return { status: 400, body: JSON.stringify({ __type: 'AccessDeniedException', message: `User: arn:aws:sts::111111222222:assumed-role/developer/me is not authorized to perform: logs:StartLiveTail on resource: ${GROUP_ARN}` }), contentType: JSON_11 };
      return undefined;
    });
    const shown: CloudWatchLogEvent[] = [];
    const notes: string[] = [];
    // The recorded events are from 2014 and 2024: a clock at the last of them puts them all in the backlog's window.
    const tail = new CloudWatchTail(await logs(), { group: 'my-logs', groupArn: GROUP_ARN, streams: { prefix: 'my-log-stream-' }, since: 0 }, { onEvents: (events) => shown.push(...events), onNote: (text) => notes.push(text), pollMs: 10, backoff: new Backoff(1, 2, () => 0), clock: () => 1712568068991 });
    void tail.start();
    try {
      await until(() => notes.some((note) => note.includes('Live Tail is not available')), () => `the fallback said: ${notes.join(' / ')}`);
      await until(() => replay().requests.filter((request) => logsOperation(request) === 'FilterLogEvents').length >= 4, 'polled after the fallback');
    } finally {
      tail.stop();
    }
    assert.match(notes.join('\n'), /AccessDeniedException: .*logs:StartLiveTail/);
    const filters = replay().requests.filter((request) => logsOperation(request) === 'FilterLogEvents').map((request) => JSON.parse(request.body) as { nextToken?: string; startTime: number });
    assert.equal(filters[1]!.nextToken, page.nextToken, 'the backlog followed nextToken');
    // Each recorded event once, though every poll answers them again.
    assert.deepEqual(shown.map((event) => event.message).sort(), ['ERROR Event 1', 'ERROR Event 2', 'ERROR Event 3', 'Test MESSAGE1', 'Test MESSAGE2']);
  });

  it('a CloudWatch that does not answer fails after the request timeout (the SDK alone would wait forever)', async () => {
    replay().use(() => ({ delayMs: 10_000, file: 'aws/logs/filter-log-events.json', contentType: JSON_11 }));
    cluster = new AwsCluster(await loadAwsModules(), { region: 'us-east-1', endpoint: replay().address, maxAttempts: 1, requestTimeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(cluster.cloudWatchLogs('us-east-1').filterLogEvents({ group: 'g', streams: { prefix: 'x/' }, startTime: 0 }, new AbortController().signal), (error: Error) => /timeout|timed out/i.test(`${error.name} ${error.message}`));
    assert.ok(Date.now() - started < 5_000, 'well before the answer would have come');
  });

  it('a missing log group is the recorded ResourceNotFoundException, in AWS words', async () => {
    replay().use(() => ({ status: 400, file: 'aws/logs/error-resource-not-found.json', contentType: JSON_11 }));
    await assert.rejects((await logs()).filterLogEvents({ group: '/ecs/nope', streams: { prefix: 'x/' }, startTime: 0 }, new AbortController().signal), (error: Error) => error.name === 'ResourceNotFoundException' && error.message === JSON.parse(recordedText('aws/logs/error-resource-not-found.json')).message);
  });
});
