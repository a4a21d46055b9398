// Runs of a job's actions: each in a terminal of its own (a pseudoterminal: the output is Nomad's exec stream,
// the keys typed go back as its input, the terminal's size as the tty's), in one allocation or in several in
// turn. A run ends with its command, with its terminal closed, with the profile switch and on deactivate.
import * as vscode from 'vscode';
import type { ApiError } from '../core/http/apiError';
import { ExecEnd, ExecSession } from '../core/nomad/execStream';
import { actionEndWords } from '../core/nomad/taskActions';
import { ClusterStoreHost } from './clusterStoreHost';

/** A run's terminal text is kept this far (for Copy and the tests); the terminal itself keeps its scrollback. */
const ACTION_TRANSCRIPT_CHARS = 64 * 1024;
/** The tty size sent before VS Code says the terminal's own (Nomad's web UI sends a wide one too). */
const DEFAULT_TTY = { columns: 120, rows: 30 };

export interface ActionRunRequest {
  jobId: string;
  namespace: string;
  group: string;
  task: string;
  action: string;
  /** What the action runs, as shown (the allocation's version decides what Nomad really runs). */
  command: string;
  allocations: { id: string; name: string }[];
}

export interface ActionRunResult {
  /** One per allocation tried, in order. */
  outcomes: { allocationId: string; end: ExecEnd }[];
  transcript: string;
  terminal: vscode.Terminal;
}

interface ActiveRun {
  session: ExecSession | undefined;
  stopped: string | undefined;
  stop(reason: string): void;
}

export class ActionRuns implements vscode.Disposable {
  private readonly runs = new Set<ActiveRun>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly host: ClusterStoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // A run belongs to the profile (and token) it started on.
    this.subscriptions = [host.onWillReplaceStore(() => this.stopAll('another cluster (or token) was selected'))];
  }

  /** Runs the action in each allocation in turn, in a new terminal; resolves when the last one ended. */
  async run(request: ActionRunRequest): Promise<ActionRunResult> {
    const store = await this.host.ready();
    const profile = this.host.activeProfile;
    const writeEmitter = new vscode.EventEmitter<string>();
    let transcript = '';
    const write = (text: string) => {
      transcript = (transcript + text).slice(-ACTION_TRANSCRIPT_CHARS);
      writeEmitter.fire(text);
    };
    let size = DEFAULT_TTY;
    let resolveOpened: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (resolveOpened = resolve));
    const run: ActiveRun = {
      session: undefined,
      stopped: undefined,
      stop: (reason) => {
        if (run.stopped) return;
        run.stopped = reason;
        run.session?.stop();
        resolveOpened();
      },
    };
    this.runs.add(run);
    const pty: vscode.Pseudoterminal = {
      onDidWrite: writeEmitter.event,
      open: (dimensions) => {
        if (dimensions) size = { columns: dimensions.columns, rows: dimensions.rows };
        resolveOpened();
      },
      close: () => run.stop('the terminal was closed'),
      handleInput: (data) => run.session?.input(Buffer.from(data, 'utf8')),
      setDimensions: (dimensions) => {
        size = { columns: dimensions.columns, rows: dimensions.rows };
        run.session?.resize(size.columns, size.rows);
      },
    };
    const terminal = vscode.window.createTerminal({ name: `${request.action} · ${request.jobId} on "${profile.name}"`, pty, iconPath: new vscode.ThemeIcon('play') });
    terminal.show(true);
    await opened;
    const outcomes: ActionRunResult['outcomes'] = [];
    try {
      for (const allocation of request.allocations) {
        if (run.stopped) break;
        write(`\x1b[1m▶ ${request.action} in ${allocation.id.slice(0, 8)} (${allocation.name}) on "${profile.name}": ${request.command}\x1b[0m\r\n`);
        this.log.info(`Running action "${request.action}" of ${request.jobId}/${request.group}/${request.task} in ${allocation.id} on "${profile.name}"`);
        const end = await new Promise<ExecEnd>((resolve) => {
          store.nomad.api
            .runAction(
              { jobId: request.jobId, namespace: request.namespace, allocationId: allocation.id, group: request.group, task: request.task, action: request.action, tty: true },
              // With a tty, Nomad's output is the terminal's bytes (CR LF and colours included): written as they come.
              { onOutput: (_stream, data) => write(data.toString('utf8')), onEnd: resolve },
            )
            .then(
              (session) => {
                run.session = session;
                if (run.stopped) session.stop();
                else session.resize(size.columns, size.rows);
              },
              (error: unknown) => resolve({ kind: 'failed', error: error as ApiError }),
            );
        });
        run.session = undefined;
        outcomes.push({ allocationId: allocation.id, end });
        const words = actionEndWords(end, request.namespace, run.stopped);
        write(`\r\n\x1b[${end.kind === 'exited' && end.exitCode === 0 ? '32' : '31'}m■ ${words}\x1b[0m\r\n`);
        this.log.info(`Action "${request.action}" in ${allocation.id}: ${words}`);
        // Nomad refuses the token for every allocation of the namespace alike: the others are not tried.
        if (end.kind === 'failed' && end.error.kind === 'forbidden') break;
      }
      if (!run.stopped) write(`\r\n${outcomes.length === request.allocations.length ? 'Done.' : 'Stopped.'} Close this terminal when you have read it.\r\n`);
    } finally {
      this.runs.delete(run);
    }
    return { outcomes, transcript, terminal };
  }

  stopAll(reason: string): void {
    for (const run of [...this.runs]) run.stop(reason);
  }

  dispose(): void {
    this.stopAll('the extension stopped');
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
