// What `npm start` runs the editor against: the demo cluster with its AWS side, the environment that points
// the extension (and the terminals' stand-in CLI) at them, and the demo's code-server settings.
import { delimiter, join } from 'node:path';
import { AwsDemo } from './awsDemo';
import { REPO_ROOT } from './codeServer';
import { DemoCluster } from './demoCluster';
import { findTraefik, freePort, PLATFORM_CONSUL_CATALOG_FLAGS, RealTraefik } from './realTraefik';
import { DEMO_DOMAIN } from './scenario';

export interface DemoEnvironment {
  cluster: DemoCluster;
  aws: AwsDemo;
  /** The extension host's environment: the CLIs' variables for the demo, its AWS endpoint, its control port. */
  env: Record<string, string>;
  /** Settings merged into the demo's code-server user settings at each start. */
  settings: Record<string, unknown>;
  /** Where the stand-in `nomad` lives (first on the terminals' PATH). */
  standIn: string;
  /** Which Traefik the extension is pointed at: the real program on the demo's Consul, or the demo's imitation (and why). */
  traefik: { kind: 'real'; version: string; program: RealTraefik } | { kind: 'imitation'; why: string };
  close(): Promise<void>;
}

/**
 * The demo's file-provider objects as the real Traefik reads them: the HTTP → HTTPS redirect, the headers
 * middleware, and a router left behind after its service went away (what the imitation serves from "file").
 */
export function demoFileProvider(): string {
  return `http:
  routers:
    legacy-api:
      rule: "Host(\`legacy.${DEMO_DOMAIN}\`)"
      service: legacy-api
      entryPoints: [websecure]
      tls: {}
    http-catchall:
      rule: "HostRegexp(\`.+\`)"
      service: noop@internal
      entryPoints: [web]
      middlewares: [redirect-to-https]
  middlewares:
    security-headers:
      headers:
        stsSeconds: 31536000
        stsIncludeSubdomains: true
        contentTypeNosniff: true
    redirect-to-https:
      redirectScheme:
        scheme: https
        permanent: true
`;
}

/** The real Traefik on the demo's Consul when it is installed (and not turned off), else why the imitation. */
async function demoTraefik(cluster: DemoCluster): Promise<DemoEnvironment['traefik']> {
  if (process.env.HASHISTACK_DEMO_TRAEFIK === 'imitation') return { kind: 'imitation', why: 'HASHISTACK_DEMO_TRAEFIK=imitation' };
  const found = findTraefik();
  if ('missing' in found) return { kind: 'imitation', why: found.missing };
  const program = await RealTraefik.start({
    dynamic: demoFileProvider(),
    consulCatalog: { address: cluster.address('consul'), flags: [...PLATFORM_CONSUL_CATALOG_FLAGS, '--providers.consulcatalog.refreshinterval=2s'] },
    flags: [`--entrypoints.websecure.address=127.0.0.1:${await freePort()}`],
  });
  return { kind: 'real', version: program.version, program };
}

export async function startDemoEnvironment(): Promise<DemoEnvironment> {
  const cluster = await DemoCluster.start({ controlPort: 0, autonomous: true });
  // The demo's AWS side too (EC2 nodes with their Elastic IPs, the gallery on ECS, ECR tags): the explorer
  // shows all four sections, as the README does.
  const aws = await AwsDemo.start();
  const standIn = join(REPO_ROOT, 'demo', 'bin');
  const traefik = await demoTraefik(cluster);
  return {
    cluster,
    aws,
    traefik,
    env: { ...cluster.environment(), ...aws.environment(), HASHISTACK_DEMO_CONTROL: cluster.controlAddress!, ...(traefik.kind === 'real' ? { HASHISTACK_TRAEFIK_ADDR: traefik.program.apiAddress } : {}) },
    settings: {
      'git.openRepositoryInParentFolders': 'never',
      // The demo opens a port per product and per allocation: code-server would offer to forward each one
      // (a Ports badge that climbs, pop-ups during deploys). Nothing of the demo needs forwarding.
      'remote.autoForwardPorts': false,
      // On the demo, `nomad` in the terminals is the demo's stand-in CLI: VS Code's terminals take PATH from
      // terminal.integrated.env (code-server reads the rest from a login shell).
      'terminal.integrated.env.linux': { PATH: `${standIn}${delimiter}\${env:PATH}` },
    },
    standIn,
    async close() {
      if (traefik.kind === 'real') await traefik.program.stop();
      await cluster.close();
      await aws.close();
    },
  };
}
