import { ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { DeployCommand } from '../core/deploy/deployCommand';
import { findExecutable } from '../core/deploy/findExecutable';

/** What `nomad job plan`'s exit codes mean (command/job_plan.go): 1 is "changes", not a failure. */
const PLAN_EXIT_WORDS: Record<number, string> = {
  0: 'No allocations would be created or destroyed (exit code 0).',
  1: 'The plan has changes: allocations would be created or destroyed (exit code 1 — changes, not a failure).',
  255: 'Nomad could not make the plan (exit code 255): see the error above.',
};

export interface PlanEnd {
  label: string;
  exitCode: number;
  taskExitCode: number;
  words: string;
}

/**
 * "Plan in Terminal": `nomad job plan` run by the extension itself, its program and arguments passed as an
 * argument list (no shell, so nothing to quote), its output in the task's terminal, and its exit code said
 * in words. The task ends successfully for exit code 1, which is how the CLI reports changes.
 */
export class PlanTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private child: ChildProcess | undefined;

  constructor(
    private readonly command: DeployCommand,
    private readonly env: Record<string, string | undefined>,
    /** Told how the plan ended: the program's exit code, and the code the task ends with. */
    private readonly onEnd: (end: PlanEnd) => void = () => undefined,
  ) {}

  private write(text: string): void {
    // A pseudoterminal needs CRLF to return to the first column.
    this.written.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  open(): void {
    const program = findExecutable(this.command.command, this.env, this.command.cwd);
    if (!program) {
      this.write(`${this.command.command}: not found on the terminal's PATH.\n`);
      this.closed.fire(127);
      return;
    }
    this.write(`\x1b[2m> ${[this.command.command, ...this.command.args].map((arg) => (/[\s"'$`\\]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}\x1b[0m\n\n`);
    const child = spawn(program, this.command.args, { cwd: this.command.cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.write(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.write(chunk.toString('utf8')));
    child.on('error', (error) => {
      this.write(`\n${error.message}\n`);
      this.closed.fire(1);
    });
    child.on('close', (code, signal) => {
      this.child = undefined;
      const exit = code ?? 1;
      const words = Object.hasOwn(PLAN_EXIT_WORDS, exit) ? PLAN_EXIT_WORDS[exit]! : signal ? `Stopped by ${signal}.` : `nomad job plan exited with code ${exit}.`;
      this.write(`\n\x1b[1m${words}\x1b[0m\n`);
      const taskExitCode = exit === 1 ? 0 : exit;
      this.onEnd({ label: this.command.label, exitCode: exit, taskExitCode, words });
      this.closed.fire(taskExitCode);
    });
  }

  close(): void {
    this.child?.kill();
    this.written.dispose();
  }
}
