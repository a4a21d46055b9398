// Forward Port: a local port on 127.0.0.1 whose connections reach an allocation's port, counting the bytes
// moved each way. The path is direct (a TCP connection to the allocation's address) when the editor reaches it,
// else through an SSH tunnel to a node of the cluster (`ssh -N -L …`, started with an argument list, never a
// shell): our listener then connects to the tunnel's own local port, so the bytes are counted the same way.
import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

export interface ForwardTarget {
  host: string;
  port: number;
}

/** How long a direct connection may take before the address counts as unreachable from the editor. */
export const DIRECT_PROBE_MS = 1_500;
/** How long an SSH tunnel may take to listen before it counts as failed. */
export const TUNNEL_START_MS = 20_000;

/** Whether the editor reaches an address directly (a TCP connect within DIRECT_PROBE_MS). */
export function reachable(target: ForwardTarget, timeoutMs = DIRECT_PROBE_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: target.host, port: target.port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface SshTunnelOptions {
  /** The ssh program (found on the PATH by the caller's environment). */
  program: string;
  user: string;
  /** The node to tunnel through (its address as the editor reaches it). */
  host: string;
  /** An identity file, when one is set. */
  key?: string;
}

/** `ssh`'s arguments for a tunnel to `target` through a node, listening on `localPort` (platform/scripts/tunnel.sh's). */
export function sshTunnelArgs(options: Pick<SshTunnelOptions, 'user' | 'host' | 'key'>, localPort: number, target: ForwardTarget): string[] {
  return ['-N', '-o', 'ExitOnForwardFailure=yes', '-o', 'BatchMode=yes', '-L', `127.0.0.1:${localPort}:${target.host}:${target.port}`, ...(options.key ? ['-i', options.key] : []), `${options.user}@${options.host}`];
}

/** A free port on 127.0.0.1 (for the tunnel's own end). */
function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type ForwardPath = { kind: 'direct' } | { kind: 'tunnel'; through: string };

export class PortForward {
  bytesIn = 0;
  bytesOut = 0;
  private readonly sockets = new Set<Socket>();
  private readonly endListeners = new Set<(why: string) => void>();
  private ended = false;

  private constructor(
    private readonly server: Server,
    readonly localPort: number,
    readonly target: ForwardTarget,
    readonly path: ForwardPath,
    private readonly tunnel: ChildProcess | undefined,
  ) {
    tunnel?.once('exit', (code) => void this.stop(`the SSH tunnel ended (exit ${code ?? 'signal'})`));
  }

  /**
   * Listens on `localPort` of 127.0.0.1 (0: any free port) and forwards to `target` directly, or through the
   * tunnel when `tunnel` is given. Fails with what went wrong (the port taken, ssh refused).
   */
  static async start(localPort: number, target: ForwardTarget, tunnel?: SshTunnelOptions): Promise<PortForward> {
    let child: ChildProcess | undefined;
    let upstream: ForwardTarget = target;
    if (tunnel) {
      const tunnelPort = await freeLocalPort();
      child = spawn(tunnel.program, sshTunnelArgs(tunnel, tunnelPort, target), { stdio: ['ignore', 'ignore', 'pipe'], shell: false });
      const stderr: string[] = [];
      child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
      upstream = { host: '127.0.0.1', port: tunnelPort };
      const deadline = Date.now() + TUNNEL_START_MS;
      const started = await new Promise<string | undefined>((resolve) => {
        let exited = false;
        child!.once('error', (error) => {
          exited = true;
          resolve(`could not start ${tunnel.program}: ${error.message}`);
        });
        child!.once('exit', (code) => {
          exited = true;
          resolve(`${tunnel.program} exited (${code ?? 'signal'}): ${stderr.join('').trim().slice(-300) || 'no message'}`);
        });
        const probe = async () => {
          while (!exited && Date.now() < deadline) {
            if (await reachable(upstream, 500)) return resolve(undefined);
            await new Promise((wait) => setTimeout(wait, 100));
          }
          if (!exited) resolve(`the SSH tunnel did not listen within ${TUNNEL_START_MS / 1000} s`);
        };
        void probe();
      });
      if (started !== undefined) {
        child.kill();
        throw new Error(started);
      }
    }
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(localPort, '127.0.0.1', () => resolve());
      });
    } catch (error) {
      child?.kill();
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === 'EADDRINUSE' ? `local port ${localPort} is in use: choose another` : `cannot listen on 127.0.0.1:${localPort}: ${(error as Error).message}`);
    }
    const forward = new PortForward(server, (server.address() as AddressInfo).port, target, tunnel ? { kind: 'tunnel', through: `${tunnel.user}@${tunnel.host}` } : { kind: 'direct' }, child);
    server.on('connection', (local) => forward.pipe(local, upstream));
    return forward;
  }

  private pipe(local: Socket, upstream: ForwardTarget): void {
    const remote = createConnection(upstream);
    this.sockets.add(local);
    this.sockets.add(remote);
    local.on('data', (chunk: Buffer) => {
      this.bytesOut += chunk.length;
    });
    remote.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
    });
    local.pipe(remote);
    remote.pipe(local);
    const close = () => {
      local.destroy();
      remote.destroy();
      this.sockets.delete(local);
      this.sockets.delete(remote);
    };
    local.on('error', close).on('close', close);
    remote.on('error', close).on('close', close);
  }

  onDidEnd(listener: (why: string) => void): { dispose(): void } {
    this.endListeners.add(listener);
    return { dispose: () => this.endListeners.delete(listener) };
  }

  get running(): boolean {
    return !this.ended;
  }

  /** Stops listening, cuts every connection and ends the tunnel's process; says why to its listeners. */
  async stop(why = 'stopped'): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.tunnel && this.tunnel.exitCode === null && this.tunnel.signalCode === null) {
      const exited = new Promise((resolve) => this.tunnel!.once('exit', resolve));
      this.tunnel.kill('SIGTERM');
      await exited;
    }
    for (const listener of [...this.endListeners]) listener(why);
  }
}
