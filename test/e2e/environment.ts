// What every run of the extension-host suites needs, whichever VS Code runs them (code-server here,
// desktop VS Code through @vscode/test-electron elsewhere): one definition, used by both runners.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from '../../demo/codeServer';
import type { AwsDemo } from '../../demo/awsDemo';
import type { DemoCluster } from '../../demo/demoCluster';

/** A service whose tags hold what an attacker who can register a service would write (for the Launcher). */
export const HOSTILE_SERVICE = {
  name: 'hostile-tags',
  tags: [
    `launcher.name=<img src=x onerror="document.title='pwned'">`,
    "launcher.description=<script>document.title='pwned'</script>",
    `launcher.techDetails=${'A very long string. '.repeat(300)}`,
    'launcher.subDomain=javascript:alert(1)//',
    'launcher.broken',
  ],
};

export const QUIET_SETTINGS = { 'git.openRepositoryInParentFolders': 'never', 'git.enabled': false };

export const STAND_IN_DIR = join(REPO_ROOT, 'test', 'e2e', 'stand-in');

/** The stand-in ssh of the Forward Port tests (test/fixtures/stand-ins/ssh). */
export const SSH_STAND_IN = join(REPO_ROOT, 'test', 'fixtures', 'stand-ins', 'ssh');

/**
 * Stand-in nomad and terraform first on the integrated terminal's PATH. code-server resolves the
 * terminal's environment from a login shell (which resets PATH), so it goes through VS Code's own
 * terminal.integrated.env setting, as a user would put a tool on PATH for VS Code's terminals.
 */
export const STAND_IN_SETTINGS = { 'terminal.integrated.env.linux': { PATH: `${STAND_IN_DIR}${delimiter}\${env:PATH}` } };

/** Where the stand-in nomad and terraform record what a deploy task runs them with. */
export function recordEnvironment(): Record<string, string> {
  return { HASHISTACK_RECORD_FILE: join(mkdtempSync(join(tmpdir(), 'hashistack-record-')), 'deploys.ndjson') };
}

/** The extension host's environment for the suites: the demo cluster and its control port, the demo AWS endpoint, the record file. */
export function hostSuiteEnvironment(demo: DemoCluster, aws: AwsDemo): Record<string, string> {
  return { ...demo.environment(), ...aws.environment(), HASHISTACK_DEMO_CONTROL: demo.controlAddress!, ...recordEnvironment() };
}

export function freshWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hashistack-workspace-'));
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'jobspecs', 'ecs-gallery.tf'), join(dir, 'ecs-gallery.tf'));
  return dir;
}
