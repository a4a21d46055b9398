// `npm start`: VS Code in the browser (code-server) with the packaged extension installed, on the demo
// cluster — or on a real cluster when NOMAD_ADDR / CONSUL_HTTP_ADDR are set. Open the printed URL.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { packageVsix, REPO_ROOT, startCodeServer } from './codeServer';
import { DemoCluster } from './demoCluster';

const DEFAULT_PORT = 8765;

async function main(): Promise<void> {
  const realCluster = Boolean(process.env.NOMAD_ADDR || process.env.CONSUL_HTTP_ADDR);
  const demo = realCluster ? undefined : await DemoCluster.start({ controlPort: 0, autonomous: true });
  const env: Record<string, string> = demo ? { ...demo.environment(), HASHISTACK_DEMO_CONTROL: demo.controlAddress! } : {};

  // code-server's user data lives outside the workspace, so the workspace holds only the platform's files.
  const home = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hashistack-demo', 'code-server');
  mkdirSync(home, { recursive: true });
  const vsix = packageVsix(join(home, 'hashistack.vsix'));

  // The workspace: the platform (its jobspecs, Terraform and Packer), not the repository with its test fixtures.
  const workspace = join(REPO_ROOT, 'platform');
  // On the demo, `nomad` in the terminals is the demo's stand-in CLI (demo/bin/nomad): VS Code's terminals take
  // PATH from terminal.integrated.env (code-server reads the rest from a login shell).
  const standIn = join(REPO_ROOT, 'demo', 'bin');
  const settings: Record<string, unknown> = { 'git.openRepositoryInParentFolders': 'never' };
  if (demo) settings['terminal.integrated.env.linux'] = { PATH: `${standIn}${delimiter}\${env:PATH}` };
  const port = Number(process.env.PORT ?? DEFAULT_PORT);
  const server = await startCodeServer({ root: home, vsix, env: demo ? { ...env, PATH: `${standIn}${delimiter}${process.env.PATH ?? ''}` } : env, port, settings, seedSettings: true });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log('\nHashistack for VS Code is running in code-server (VS Code 1.100 in the browser).');
  console.log(`  Open: ${url}`);
  if (demo) {
    console.log(`  Cluster: the demo cluster (a demo and test double, not Consul, Nomad or Traefik)`);
    for (const [name, value] of Object.entries(env)) console.log(`    ${name}=${value}`);
    console.log(`  nomad in the terminals: the demo's stand-in CLI (${join(standIn, 'nomad')}), not Nomad: job plan and job run only`);
    console.log(`  Break Nomad: curl -X PUT ${demo.controlAddress}/faults/nomad -d '{"kind":"refused"}'; heal: curl -X DELETE ${demo.controlAddress}/faults`);
  } else {
    console.log(`  Cluster: NOMAD_ADDR=${process.env.NOMAD_ADDR ?? '(unset)'} CONSUL_HTTP_ADDR=${process.env.CONSUL_HTTP_ADDR ?? '(unset)'}`);
  }
  console.log(`  Workspace: ${workspace}\n  User data: ${home}`);
  console.log(`  Logs: ${server.logFile}\n  Stop: Ctrl+C`);

  const stop = async () => {
    await server.stop();
    await demo?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
