import * as assert from 'node:assert/strict';
import { ColourSlots, LogFrameDecoder, LogFrameError, logFilter, LogRing, MAX_LOG_LINE_CHARS, MAX_LOG_LINES, unseenData } from '../../src/core/nomad/logFrames';
import { recordedText } from '../support/recorded';

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');

describe("Nomad's framed log stream", () => {
  const recorded = recordedText('nomad/client-fs-logs.txt');

  it('reads the recorded frames: data with its offset and file, the heartbeat dropped, the file event', () => {
    const frames = new LogFrameDecoder().push(recorded);
    assert.equal(frames.length, 2);
    assert.equal(text(frames[0]!.data), '531932\n531933\n531934\n531');
    assert.equal(frames[0]!.offset, 3604480);
    assert.equal(frames[0]!.file, 'alloc/logs/redis.stdout.0');
    assert.deepEqual({ file: frames[1]!.file, event: frames[1]!.fileEvent, bytes: frames[1]!.data.length }, { file: 'alloc/logs/redis.stdout.0', event: 'file deleted', bytes: 0 });
  });

  it('gives the same frames however the body is split, even inside a string or between bytes of a character', () => {
    const body = Buffer.from(recorded + JSON.stringify({ Offset: 9, Data: Buffer.from('é {}"\n').toString('base64'), File: 'alloc/logs/a"}{.stdout.0' }));
    const whole = new LogFrameDecoder().push(body).map((frame) => ({ ...frame, data: text(frame.data) }));
    for (let cut = 1; cut < body.length; cut++) {
      const decoder = new LogFrameDecoder();
      const frames = [...decoder.push(body.subarray(0, cut)), ...decoder.push(body.subarray(cut))].map((frame) => ({ ...frame, data: text(frame.data) }));
      assert.deepEqual(frames, whole, `split at ${cut}`);
    }
    assert.equal(whole[2]!.file, 'alloc/logs/a"}{.stdout.0', 'braces and quotes inside a string do not end the frame');
  });

  it('refuses what is not Nomad framing, saying what it saw', () => {
    assert.throws(() => new LogFrameDecoder().push('<html>502</html>'), (error: unknown) => error instanceof LogFrameError && /text between frames: "<html>/.test(error.message));
    assert.throws(() => new LogFrameDecoder().push('{"Offset": x}'), LogFrameError);
    assert.throws(() => new LogFrameDecoder().push('{"Data": 12}'), /not base64 text/);
    assert.throws(() => new LogFrameDecoder().push('{"Data":"' + 'A'.repeat(1024 * 1024 + 10)), /longer than/);
  });

  it('keeps memory bounded over a stream of 100 MB: the last lines only, each line cut at its limit', function () {
    this.timeout(60_000);
    const decoder = new LogFrameDecoder();
    const ring = new LogRing();
    const line = 'x'.repeat(99) + '\n';
    const data = Buffer.from(line.repeat(655)); // 65,500 bytes: one frame of Nomad's size
    const frame = JSON.stringify({ Offset: 0, Data: data.toString('base64'), File: 'alloc/logs/web.stdout.0' });
    const half = Math.floor(frame.length / 2);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let total = 0;
    for (let index = 0; total < 100 * 1024 * 1024; index++) {
      for (const decoded of [...decoder.push(frame.slice(0, half)), ...decoder.push(frame.slice(half) + '{}')]) {
        ring.append(decoded.data);
        total += decoded.data.length;
      }
    }
    global.gc?.();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(total >= 100 * 1024 * 1024);
    assert.ok(ring.size <= MAX_LOG_LINES, `${ring.size} lines kept`);
    assert.ok(ring.dropped > 1_000_000, 'the rest was dropped, and counted');
    assert.ok(grown < 64 * 1024 * 1024, `the heap grew by ${Math.round(grown / 1024 / 1024)} MiB over 100 MB of log`);
    const endless = new LogRing();
    for (let index = 0; index < 1000; index++) endless.append('y'.repeat(100_000));
    assert.ok(endless.snapshot()[0]!.text.length <= MAX_LOG_LINE_CHARS, 'a line that never ends stays cut');
  });

  it('keeps each stream\'s unfinished line apart in a merged ring', () => {
    const ring = new LogRing();
    ring.append('a1 one\na1 tw', 'a1 web');
    ring.append('b2 one\n', 'b2 web');
    ring.append('o\n', 'a1 web');
    assert.deepEqual(ring.snapshot().map((line) => `${line.source}|${line.text}`), ['a1 web|a1 one', 'b2 web|b2 one', 'a1 web|a1 two']);
  });

  it('skips after a reconnect what was already shown, frame by frame', () => {
    const frame = (offset: number, body: string, file = 'f.0') => ({ offset, data: Buffer.from(body), file });
    assert.equal(text(unseenData(frame(10, 'abcdefghij'), { file: 'f.0', offset: 10 })), '', 'all seen');
    assert.equal(text(unseenData(frame(15, 'fghijklmno'), { file: 'f.0', offset: 10 })), 'klmno', 'straddles: the new part');
    assert.equal(text(unseenData(frame(30, 'uvwxyz1234'), { file: 'f.0', offset: 10 })), 'uvwxyz1234', 'all new');
    assert.equal(text(unseenData(frame(5, 'abcde', 'f.1'), { file: 'f.0', offset: 10 })), 'abcde', 'a rotated file is new');
  });

  it('filters by text or /regex/', () => {
    const text = logFilter('GET')!;
    assert.ok(typeof text === 'function' && text('a get b') && !text('post'));
    const regex = logFilter('/5\\d\\d$/')!;
    assert.ok(typeof regex === 'function' && regex('HTTP 503') && !regex('HTTP 200'));
    assert.deepEqual(logFilter('/(/'), { problem: logFilter('/(/') && (logFilter('/(/') as { problem: string }).problem });
    assert.match((logFilter('/(/') as { problem: string }).problem, /Not a regular expression/);
    assert.equal(logFilter('  '), undefined);
  });

  it('gives each stream of a view its own colour while there are colours left, and keeps it', () => {
    const slots = new ColourSlots(6);
    // Keys whose hashes collide would have shared a colour: a palette by arrival cannot.
    const keys = ['a1b2c3d4', '5e6f7a8b', '00ff00ff', 'deadbeef', 'cafebabe', '12345678'];
    assert.equal(new Set(keys.map((key) => slots.slotOf(key))).size, 6);
    assert.equal(slots.slotOf('a1b2c3d4'), slots.slotOf('a1b2c3d4'));
    // A seventh shares the least used; one that leaves frees its colour for the next.
    const seventh = slots.slotOf('77777777');
    slots.release('5e6f7a8b');
    const freed = new ColourSlots(6);
    keys.forEach((key) => freed.slotOf(key));
    freed.release('5e6f7a8b');
    assert.equal(freed.slotOf('99999999'), 1);
    assert.ok(seventh >= 0 && seventh < 6);
  });
});
