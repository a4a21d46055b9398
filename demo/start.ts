// `npm start`: VS Code in the browser (code-server) with the packaged extension installed, on the demo
// cluster and its AWS side — or on a real cluster when NOMAD_ADDR / CONSUL_HTTP_ADDR are set. Open the printed URL.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { packageVsix, REPO_ROOT, startCodeServer } from './codeServer';
import { demoAclFromEnvironment, startDemoEnvironment } from './demoEnvironment';
import { DEMO_TOKENS } from './demoAcl';

const DEFAULT_PORT = 8765;

async function main(): Promise<void> {
  const realCluster = Boolean(process.env.NOMAD_ADDR || process.env.CONSUL_HTTP_ADDR);
  const demo = realCluster ? undefined : await startDemoEnvironment({ acl: demoAclFromEnvironment() });

  // code-server's user data lives outside the workspace, so the workspace holds only the platform's files.
  const home = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hashistack-demo', 'code-server');
  mkdirSync(home, { recursive: true });
  const vsix = packageVsix(join(home, 'hashistack.vsix'));

  // The workspace: the platform (its jobspecs, Terraform and Packer), not the repository with its test fixtures.
  const workspace = join(REPO_ROOT, 'platform');
  const settings: Record<string, unknown> = demo ? demo.settings : { 'git.openRepositoryInParentFolders': 'never', 'remote.autoForwardPorts': false };
  const port = Number(process.env.PORT ?? DEFAULT_PORT);
  const env = demo ? { ...demo.env, PATH: `${demo.standIn}${delimiter}${process.env.PATH ?? ''}` } : {};
  const server = await startCodeServer({ root: home, vsix, env, port, settings, seedSettings: true });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log('\nHashistack for VS Code is running in code-server (VS Code 1.100 in the browser).');
  console.log(`  Open: ${url}`);
  console.log('  Then: the Get Started with Hashistack walkthrough opens on the first start; the Hashistack icon in the activity bar is the explorer; nomad/whoami.nomad is a jobspec to bump, plan and deploy.');
  if (demo) {
    console.log(`  Cluster: the demo cluster (a demo and test double, not Consul or Nomad), and its AWS side at ${demo.aws.address}`);
    console.log(
      demo.traefik.kind === 'real'
        ? `  Traefik: the real program, Traefik ${demo.traefik.version}, reading the demo's Consul (the platform's catalog settings) and proxying to the demo's stand-in services: https://whoami.localhost:${demo.traefik.websecurePort}/ (its default self-signed certificate: accept it once)`
        : `  Traefik: the demo's imitation (${demo.traefik.why})`,
    );
    for (const [name, value] of Object.entries(demo.env)) console.log(`    ${name}=${value}`);
    console.log(`  nomad in the terminals: the demo's stand-in CLI (${join(demo.standIn, 'nomad')}), not Nomad: job plan and job run only`);
    console.log(`  Break Nomad: curl -X PUT ${demo.cluster.controlAddress}/faults/nomad -d '{"kind":"refused"}'; heal: curl -X DELETE ${demo.cluster.controlAddress}/faults`);
    if (demo.acl) {
      console.log(`  ACLs: on, the editor starts with the "${demo.acl}" token. Switch: Hashistack: Set Nomad Token… / Set Consul Token… with one of`);
      for (const [name, tokens] of Object.entries(DEMO_TOKENS)) console.log(`    ${name.padEnd(10)} Nomad ${tokens.nomad}   Consul ${tokens.consul}`);
    } else {
      console.log('  ACLs: off. With them on: HASHISTACK_DEMO_ACL=readonly npm start (or developer, expiring, management)');
    }
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
