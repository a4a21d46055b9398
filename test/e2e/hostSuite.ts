// Runs the mocha suites of test/suite inside code-server's extension host (RECIPE.md: the page calls
// codeAutomationLog with mocha's output and codeAutomationExit with 0 or 1 when run() settles).
import { Browser } from 'playwright-core';
import { CodeServer, developmentUrl, REPO_ROOT } from '../../demo/codeServer';
import { join } from 'node:path';
import { format } from 'node:util';

export interface SuiteResult {
  exitCode: number;
  passed: number;
  failed: number;
  output: string;
}

export async function runHostSuite(browser: Browser, server: CodeServer, workspace: string, timeoutMs = 300_000): Promise<SuiteResult> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const lines: string[] = [];
  let settle: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (settle = resolve));
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
    // Mocha's reporter logs printf-style: a format string, then its values.
    const text = format(...(Array.isArray(args) ? args : [args]));
    lines.push(text);
    // The workbench's own start-up chatter (the offline gallery lookup and its stack) is not ours.
    if (!/open-vsx\.org|^\s+at |^(Resolving|Resolved|Creating a socket|Updating additional|ChatSessionStore|\[Service Worker\])/.test(text)) {
      process.stdout.write(`${text}\n`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => settle(code));
  const url = developmentUrl(server, workspace, REPO_ROOT, join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'));
  await page.goto(url);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(124), timeoutMs)));
  const exitCode = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (exitCode === 124) {
    lines.push(`The extension-host suite did not finish within ${timeoutMs / 1000} s.`);
  }
  await page.close();
  const output = lines.join('\n');
  return { exitCode, ...suiteCounts(output, exitCode), output };
}

/**
 * What a host-suite run counts, from mocha's output and the exit code: files that failed to load are
 * failures, a nonzero exit is at least one failure, and a run that ran nothing is a failure too.
 */
export function suiteCounts(output: string, exitCode: number): { passed: number; failed: number } {
  const passed = Number(/(\d+) passing/.exec(output)?.[1] ?? 0);
  let failed = Number(/(\d+) failing/.exec(output)?.[1] ?? 0) + Number(/(\d+) test file\(s\) failed to load/.exec(output)?.[1] ?? 0);
  if (passed + failed === 0 || (exitCode !== 0 && failed === 0)) failed++;
  return { passed, failed };
}
