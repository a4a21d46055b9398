import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortForward, reachable, sshTunnelArgs } from '../../src/core/forward/portForward';
import { allocationPorts } from '../../src/core/nomad/allocationPorts';
import { recordedJson } from '../support/recorded';
import { until } from '../support/until';
import { exchange } from '../support/tcp';

const SSH_STAND_IN = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'stand-ins', 'ssh');

/** The "allocation": answers each chunk with "echo:" and the chunk. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.on('data', (chunk: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), chunk]))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port };
}


function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Forward Port: a local port that reaches an allocation', function () {
  this.timeout(30_000);
  let target: { server: Server; port: number };
  let dir: string;
  beforeEach(async () => {
    target = await echoServer();
    dir = mkdtempSync(join(tmpdir(), 'hashistack-forward-'));
  });
  afterEach(async () => {
    await new Promise((resolve) => target.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the ports of an allocation in both of Nomad\'s shapes', () => {
    assert.deepEqual(allocationPorts(recordedJson('nomad/allocation.json')), [{ label: 'db', hostIp: '127.0.0.1', port: 23116, task: 'redis' }]);
    assert.deepEqual(allocationPorts({ AllocatedResources: { Shared: { Ports: [{ Label: 'http', Value: 25011, To: 80, HostIP: '10.0.1.10' }], Networks: [{ IP: '10.0.1.10', DynamicPorts: [{ Label: 'http', Value: 25011, To: 80 }] }] } } }), [{ label: 'http', hostIp: '10.0.1.10', port: 25011, to: 80 }]);
    assert.deepEqual(allocationPorts(null), []);
  });

  it('forwards directly when the address answers, counting the bytes each way, and stops listening on Stop', async () => {
    assert.equal(await reachable({ host: '127.0.0.1', port: target.port }), true);
    const forward = await PortForward.start(0, { host: '127.0.0.1', port: target.port });
    assert.deepEqual(forward.path, { kind: 'direct' });
    assert.equal(await exchange(forward.localPort, 'hello'), 'echo:hello');
    await until(() => forward.bytesOut === 5 && forward.bytesIn === 10, () => `bytes out 5 and in 10 (now ${forward.bytesOut} / ${forward.bytesIn})`);
    let why = '';
    forward.onDidEnd((reason) => (why = reason));
    await forward.stop('the allocation stopped');
    assert.equal(why, 'the allocation stopped');
    assert.equal(await reachable({ host: '127.0.0.1', port: forward.localPort }, 500), false);
  });

  it('says a local port that is taken, and sends nothing', async () => {
    const forward = await PortForward.start(0, { host: '127.0.0.1', port: target.port });
    await assert.rejects(PortForward.start(forward.localPort, { host: '127.0.0.1', port: target.port }), /local port \d+ is in use: choose another/);
    await forward.stop();
  });

  it('goes through an SSH tunnel to a node: ssh started with an argument list, bytes both ways, no process left after Stop', async () => {
    const record = join(dir, 'ssh.jsonl');
    process.env.HASHISTACK_SSH_RECORD = record;
    try {
      const forward = await PortForward.start(0, { host: '127.0.0.1', port: target.port }, { program: SSH_STAND_IN, user: 'ubuntu', host: '203.0.113.20', key: '/home/me/.ssh/cluster key' });
      const [call] = readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { args: string[]; pid: number });
      const tunnelPort = Number(/^127\.0\.0\.1:(\d+):/.exec(call!.args[6]!)![1]);
      assert.deepEqual(call!.args, sshTunnelArgs({ user: 'ubuntu', host: '203.0.113.20', key: '/home/me/.ssh/cluster key' }, tunnelPort, { host: '127.0.0.1', port: target.port }));
      assert.deepEqual(call!.args.slice(-3), ['-i', '/home/me/.ssh/cluster key', 'ubuntu@203.0.113.20'], 'a key with a space is one argument');
      assert.deepEqual(forward.path, { kind: 'tunnel', through: 'ubuntu@203.0.113.20' });
      assert.equal(await exchange(forward.localPort, 'ping'), 'echo:ping');
      await until(() => forward.bytesOut === 4 && forward.bytesIn === 9, 'the tunnel\'s bytes counted');
      assert.ok(alive(call!.pid));
      await forward.stop();
      assert.equal(alive(call!.pid), false, 'the ssh process is gone');
    } finally {
      delete process.env.HASHISTACK_SSH_RECORD;
    }
  });

  it("fails with ssh's own words when the tunnel cannot start", async () => {
    process.env.HASHISTACK_SSH_REFUSE = '1';
    try {
      await assert.rejects(PortForward.start(0, { host: '10.0.1.10', port: 25011 }, { program: SSH_STAND_IN, user: 'ubuntu', host: '203.0.113.20' }), /exited \(255\): ubuntu@203\.0\.113\.20: Permission denied \(publickey\)\./);
    } finally {
      delete process.env.HASHISTACK_SSH_REFUSE;
    }
  });
});
