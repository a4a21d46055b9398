// `nomad alloc exec` for "Open Shell": program and arguments as a list (no shell line is built), the
// command inside the task from a setting, so bash or another shell can be chosen.

/** What runs inside the task when the setting is not set. */
export const DEFAULT_EXEC_COMMAND = ['/bin/sh'];

export function execArguments(allocationId: string, task: string, command: readonly string[]): string[] {
  if (command.length === 0 || !command[0]) throw new Error('"hashistack.exec.command" is empty: give the program to run in the task, e.g. ["/bin/bash"].');
  // -i and -t: an interactive terminal, as a shell needs.
  return ['alloc', 'exec', '-i', '-t', '-task', task, allocationId, ...command];
}
