// Nomad's exec stream, as `nomad alloc exec` and `nomad action` speak it (api/allocations_exec.go): JSON text
// messages over a WebSocket. Out: `{"stdout":{"data":"<base64>"}}`, `{"stderr":…}`, and last
// `{"exited":true,"result":{"exit_code":N}}`. In: `{"stdin":{"data":…}}`, `{"stdin":{"close":true}}`,
// `{"tty_size":{"width":W,"height":H}}` and `{}` as a heartbeat. An error ends the socket with a close frame
// whose text is Nomad's words (command/agent/alloc_endpoint.go: 1008 for a coded error such as "Permission
// denied", 1011 for a 500).
import type WebSocket from 'ws';
import type { ApiError, ApiErrorKind } from '../http/apiError';

export type ExecFrame = { kind: 'stdout' | 'stderr'; data: Buffer } | { kind: 'exited'; exitCode: number } | { kind: 'heartbeat' };

/** What one message from Nomad says; throws on a message that is not the stream's JSON (the caller names where). */
export function parseExecFrame(text: string): ExecFrame {
  const frame = JSON.parse(text) as unknown;
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) throw new Error(`not an object: ${text.slice(0, 80)}`);
  const { stdout, stderr, exited, result } = frame as { stdout?: { data?: unknown }; stderr?: { data?: unknown }; exited?: unknown; result?: { exit_code?: unknown } };
  if (exited === true || exited === 'true') {
    // Go writes a zero exit code out ("exit_code":0); a missing one is 0 too.
    const code = result?.exit_code ?? 0;
    if (typeof code !== 'number' || !Number.isInteger(code)) throw new Error(`an exit code that is not a number: ${JSON.stringify(code)}`);
    return { kind: 'exited', exitCode: code };
  }
  for (const [kind, operation] of [['stdout', stdout], ['stderr', stderr]] as const) {
    if (operation === undefined || operation === null) continue;
    if (typeof operation !== 'object') throw new Error(`${kind} is not an object`);
    const data = operation.data;
    if (data === undefined || data === null || data === '') return { kind: 'heartbeat' };
    if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new Error(`${kind} data that is not base64`);
    return { kind, data: Buffer.from(data, 'base64') };
  }
  return { kind: 'heartbeat' };
}

export const EXEC_HEARTBEAT_FRAME = '{}';

export function stdinFrame(data: Uint8Array): string {
  return JSON.stringify({ stdin: { data: Buffer.from(data).toString('base64') } });
}

export const STDIN_CLOSE_FRAME = JSON.stringify({ stdin: { close: true } });

export function ttySizeFrame(columns: number, rows: number): string {
  return JSON.stringify({ tty_size: { width: Math.max(1, Math.floor(columns)), height: Math.max(1, Math.floor(rows)) } });
}

/** Nomad's words for a token that may not exec in the namespace (structs.ErrPermissionDenied). */
const PERMISSION_DENIED = /permission denied|acl token not found|token expired/i;

export type ExecEnd =
  | { kind: 'exited'; exitCode: number }
  /** Ended by this side (stop), before an exit code. */
  | { kind: 'stopped' }
  /** `error.kind` is `forbidden` when Nomad refused the token (Permission denied, an unknown or expired token). */
  | { kind: 'failed'; error: ApiError };

export interface ExecSessionOptions {
  socket: WebSocket;
  /** Makes an error that names the product, its address and the session's path (and redacts the token). */
  error: (kind: ApiErrorKind, reason: string, cause?: unknown) => ApiError;
  onOutput: (stream: 'stdout' | 'stderr', data: Buffer) => void;
  onEnd: (end: ExecEnd) => void;
  /** Named constants below unless a test shortens them. */
  heartbeatMs?: number;
  pingMs?: number;
}

/** Nomad's CLI sends a heartbeat every 10 s (api/allocations_exec.go heartbeatInterval); so do we. */
const HEARTBEAT_INTERVAL_MS = 10_000;
/**
 * Nomad sends nothing while a command is quiet, so silence is no sign of a dead link: a ping is, when its pong
 * does not come back before the next one (Nomad's WebSocket library answers pings while the session reads).
 */
const PING_INTERVAL_MS = 30_000;

/** A message past the session's bound: ws reports it as an error, then closes with 1009 — whichever comes first. */
const TOO_LARGE = 'a message larger than the limit; the session was closed';

/** A socket's error in the classes users act on: ws names its protocol errors `WS_ERR_*`. */
function socketError(error: ExecSessionOptions['error'], cause: Error & { code?: string }): ApiError {
  if (cause.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return error('tooLarge', TOO_LARGE, cause);
  if (cause.code?.startsWith('WS_ERR_')) return error('malformed', `not a WebSocket stream Nomad sends (${cause.message})`, cause);
  return error('unreachable', `the session broke: ${cause.message}`, cause);
}

/** One exec or action session on an open socket: output out, input and terminal size in, one end. */
export class ExecSession {
  private ended = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private awaitingPong = false;

  constructor(private readonly options: ExecSessionOptions) {
    const socket = options.socket;
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', (code, reason) => this.closed(code, reason.toString('utf8')));
    socket.on('error', (error: Error & { code?: string }) => this.end({ kind: 'failed', error: socketError(options.error, error) }));
    socket.on('pong', () => (this.awaitingPong = false));
    this.timers.push(setInterval(() => this.send(EXEC_HEARTBEAT_FRAME), options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS));
    this.timers.push(
      setInterval(() => {
        if (this.awaitingPong) {
          this.end({ kind: 'failed', error: options.error('timeout', `no answer to a ping in ${Math.round((options.pingMs ?? PING_INTERVAL_MS) / 1000)} s: the connection is gone`) });
          return;
        }
        this.awaitingPong = true;
        socket.ping();
      }, options.pingMs ?? PING_INTERVAL_MS),
    );
  }

  input(data: Uint8Array): void {
    this.send(stdinFrame(data));
  }

  resize(columns: number, rows: number): void {
    this.send(ttySizeFrame(columns, rows));
  }

  /** Ends the session from this side: Nomad stops the command when its socket closes. */
  stop(): void {
    this.end({ kind: 'stopped' });
  }

  private send(frame: string): void {
    if (!this.ended && this.options.socket.readyState === this.options.socket.OPEN) this.options.socket.send(frame);
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.ended) return;
    let frame: ExecFrame;
    try {
      if (isBinary) throw new Error('a binary message');
      frame = parseExecFrame(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'));
    } catch (error) {
      this.end({ kind: 'failed', error: this.options.error('malformed', `a message that is not Nomad's exec stream (${(error as Error).message})`, error) });
      return;
    }
    if (frame.kind === 'exited') this.end({ kind: 'exited', exitCode: frame.exitCode });
    else if (frame.kind !== 'heartbeat') this.options.onOutput(frame.kind, frame.data);
  }

  private closed(code: number, reason: string): void {
    if (this.ended) return;
    if (code === 1009) {
      this.end({ kind: 'failed', error: this.options.error('tooLarge', TOO_LARGE) });
      return;
    }
    // Nomad's error words travel as the close frame's text; a close without them came before the exit code.
    const words = reason.trim();
    const kind: ApiErrorKind = PERMISSION_DENIED.test(words) ? 'forbidden' : words ? 'http' : 'unreachable';
    this.end({ kind: 'failed', error: this.options.error(kind, words || `the session closed before an exit code (WebSocket close ${code})`) });
  }

  private end(end: ExecEnd): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers) clearInterval(timer);
    const socket = this.options.socket;
    if (socket.readyState === socket.OPEN) socket.close(1000);
    else if (socket.readyState === socket.CONNECTING) socket.terminate();
    // A peer that never completes the closing handshake is not waited for.
    const kill = setTimeout(() => socket.terminate(), 2000);
    kill.unref();
    socket.once('close', () => clearTimeout(kill));
    this.options.onEnd(end);
  }
}
