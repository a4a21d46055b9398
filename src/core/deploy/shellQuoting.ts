// How arguments reach the program unchanged through the shell a VS Code task runs in.
// VS Code builds the command line itself (ShellExecution with ShellQuotedString arguments); we choose
// the quoting rules it applies (ShellExecutionOptions.shellQuoting) and refuse what no rule can carry.

export type ShellKind = 'bash' | 'zsh' | 'sh' | 'fish' | 'pwsh' | 'cmd';

/** The shape of vscode.ShellQuotingOptions. */
export interface ShellQuotingOptions {
  escape?: { escapeChar: string; charsToEscape: string };
  strong?: string;
  weak?: string;
}

/** Which of VS Code's quoting modes the arguments use: escape every special character, or strong quotes. */
export type QuotingMode = 'escape' | 'strong';

export function shellKind(shellPath: string | undefined, platform: NodeJS.Platform): ShellKind {
  const name = (shellPath ?? '').split(/[\\/]/).pop()?.toLowerCase().replace(/\.exe$/, '') ?? '';
  if (name === 'zsh') return 'zsh';
  if (name === 'fish') return 'fish';
  if (name === 'pwsh' || name === 'powershell') return 'pwsh';
  if (name === 'cmd') return 'cmd';
  if (name === 'sh' || name === 'dash' || name === 'ash') return 'sh';
  if (name === 'bash') return 'bash';
  return platform === 'win32' ? 'pwsh' : 'bash';
}

/** Every character that means something to a POSIX shell (or zsh's globbing) outside quotes. */
const POSIX_SPECIALS = ` \t"'$\`\\;&|<>()*?[]{}!#~^`;
/** PowerShell: the backtick escapes, and these start syntax when bare. */
const POWERSHELL_SPECIALS = ` \t"'$\`;&|<>(){}[]@#,%~`;

export function quotingOptions(kind: ShellKind): ShellQuotingOptions {
  switch (kind) {
    case 'bash':
    case 'zsh':
    case 'sh':
    case 'fish':
      // fish reads a backslash before any of these as the character itself, like the POSIX shells.
      return { escape: { escapeChar: '\\', charsToEscape: POSIX_SPECIALS }, strong: "'", weak: '"' };
    case 'pwsh':
      return { escape: { escapeChar: '`', charsToEscape: POWERSHELL_SPECIALS }, strong: "'", weak: '"' };
    case 'cmd':
      return { strong: '"' };
  }
}

/** The arguments that make each shell run one command line (VS Code's own defaults for tasks). */
export function shellArguments(kind: ShellKind): string[] {
  switch (kind) {
    case 'pwsh':
      return ['-Command'];
    case 'cmd':
      return ['/d', '/c'];
    default:
      return ['-c'];
  }
}

export function quotingMode(kind: ShellKind): QuotingMode {
  return kind === 'cmd' ? 'strong' : 'escape';
}

/**
 * Why a value cannot be passed as one unchanged argument through this shell, or undefined when it can.
 * Line breaks and control characters end a command in every shell; cmd.exe has no way to quote `"`,
 * and expands `%…%` and `!…!` even inside quotes.
 */
export function unsafeArgumentReason(kind: ShellKind, value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return 'it contains a line break or a control character';
  }
  if (kind === 'cmd' && /["%!]/.test(value)) {
    return 'cmd.exe cannot pass ", % or ! unchanged; use PowerShell or rename it';
  }
  return undefined;
}

/**
 * The command line VS Code 1.100 builds from ShellQuotedString arguments (a mirror of
 * terminalTaskSystem._buildShellCommandLine, as shipped in code-server 4.100.3), so that tests can run
 * exactly that line through real shells. The extension itself never builds command lines.
 */
export function vscodeCommandLine(kind: ShellKind, options: ShellQuotingOptions, mode: QuotingMode, command: string, args: string[]): string {
  const quote = (value: string): [string, boolean] => {
    if (mode === 'strong' && options.strong) {
      return [options.strong + value + options.strong, true];
    }
    if (mode === 'escape' && options.escape) {
      const buffer = [...options.escape.charsToEscape].map((ch) => `\\${ch}`);
      const regexp = new RegExp(`[${buffer.join(',')}]`, 'g');
      return [value.replace(regexp, (match) => options.escape!.escapeChar + match), true];
    }
    return [value, false];
  };
  const [quotedCommand, commandQuoted] = quote(command);
  let argQuoted = false;
  const parts = [quotedCommand];
  for (const arg of args) {
    const [value, quoted] = quote(arg);
    parts.push(value);
    argQuoted ||= quoted;
  }
  let line = parts.join(' ');
  if (kind === 'cmd' && commandQuoted && argQuoted) {
    line = `"${line}"`;
  } else if (kind === 'pwsh' && commandQuoted) {
    line = `& ${line}`;
  }
  return line;
}
