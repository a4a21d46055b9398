// The demo's job actions: `GET /v1/job/:id/action` upgraded to a WebSocket that speaks Nomad's exec stream
// (test/fixtures/recorded/nomad-action/README.md): the action is looked up in the version the allocation runs,
// its output sent as base64 stdout frames, then the exit code; errors as Nomad sends them, a close frame with
// its words after the upgrade (1008, or 1011 for a server error).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

export interface DemoActionContext {
  /** The allocation's stub, if the demo has it. */
  allocation(id: string): { ID: string; JobID: string; TaskGroup: string; ClientStatus: string; JobVersion: number } | undefined;
  /** The job's definition at a version (the allocation's), else the current one. */
  jobAt(jobId: string, version: number): unknown;
}

/** `forbidden`: the token may not exec here; `error`: Nomad fails. */
export type DemoActionRefusal = 'forbidden' | 'error' | undefined;

/** What the demo's actions print: the programs are not run, their output is the one they give. */
function demoOutput(command: string, args: string[], image: string | undefined): { lines: string[]; exitCode: number } {
  const program = command.split('/').pop();
  if (program === 'traefik' && args[0] === 'version') {
    const version = /:v?(\d+\.\d+\.\d+)/.exec(image ?? '')?.[1] ?? '3.5.3';
    return { lines: [`Version:      ${version}`, 'Codename:     chaource', 'Go version:   go1.24.7', 'Built:        2025-09-26T12:34:56Z', 'OS/Arch:      linux/amd64'], exitCode: 0 };
  }
  if (program === 'traefik' && args[0] === 'healthcheck') return { lines: ['OK: http://:8080/ping'], exitCode: 0 };
  return { lines: [`${[command, ...args].join(' ')}: done (the demo does not run programs; this is its answer)`], exitCode: 0 };
}

export class DemoActions {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  /** How long each output frame waits after the one before: a stream, not one burst. */
  private readonly frameGapMs = 40;

  constructor(private readonly context: DemoActionContext) {}

  /** Takes an upgrade request on Nomad's address; anything but an action is refused as Nomad would (404). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, refusal: DemoActionRefusal): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const job = /^\/v1\/job\/([^/]+)\/action$/.exec(url.pathname);
    if (!job) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nNot Found');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.serve(ws, decodeURIComponent(job[1]!), url.searchParams, refusal));
  }

  private serve(ws: WebSocket, jobId: string, query: URLSearchParams, fault: DemoActionRefusal): void {
    // Nomad checks the token after the upgrade, in the client's exec handler: its refusal is a close frame.
    if (fault === 'forbidden') return ws.close(1008, 'Permission denied');
    if (fault === 'error') return ws.close(1011, 'rpc error: Allocations.Exec: the demo was told to fail');
    const allocationId = query.get('allocID') ?? '';
    const task = query.get('task') ?? '';
    const name = query.get('action') ?? '';
    const allocation = this.context.allocation(allocationId);
    if (!allocation) return ws.close(1008, `Unknown allocation "${allocationId}"`);
    if (allocation.JobID !== jobId) return ws.close(1008, `job ${jobId} does not have allocation ${allocationId}`);
    if (!task) return ws.close(1008, 'missing task name');
    const definition = this.context.jobAt(jobId, allocation.JobVersion) as { TaskGroups?: { Name: string; Tasks?: { Name: string; Config?: { image?: string } | null; Actions?: { Name: string; Command: string; Args: string[] | null }[] | null }[] | null }[] | null } | undefined;
    const taskDefinition = definition?.TaskGroups?.find((group) => group.Name === allocation.TaskGroup)?.Tasks?.find((candidate) => candidate.Name === task);
    if (!taskDefinition) return ws.close(1008, `task ${task} not found in allocation ${allocationId}`);
    const action = taskDefinition.Actions?.find((candidate) => candidate.Name === name);
    if (!action) return ws.close(1008, `action ${name} not found in task ${task}`);
    if (allocation.ClientStatus !== 'running') return ws.close(1008, `task ${task} is not running`);
    // Input is read (and dropped) as Nomad's handler reads it: a message that is not the stream's JSON ends it.
    ws.on('message', (data) => {
      try {
        JSON.parse(data.toString());
      } catch {
        ws.close(1011, 'invalid character in the exec stream input');
      }
    });
    const { lines, exitCode } = demoOutput(action.Command, action.Args ?? [], taskDefinition.Config?.image);
    const frames = [...lines.map((line) => JSON.stringify({ stdout: { data: Buffer.from(`${line}\r\n`).toString('base64') } })), JSON.stringify({ exited: true, result: { exit_code: exitCode } })];
    const next = (index: number) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (index === frames.length) {
        ws.close(1000);
        return;
      }
      ws.send(frames[index]!);
      setTimeout(() => next(index + 1), this.frameGapMs).unref();
    };
    next(0);
  }

  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }
}
