// What `npm start` runs the editor against: the demo cluster with its AWS side, the environment that points
// the extension (and the terminals' stand-in CLI) at them, and the demo's code-server settings.
import { delimiter, join } from 'node:path';
import { AwsDemo } from './awsDemo';
import { REPO_ROOT } from './codeServer';
import { DemoCluster } from './demoCluster';
import { findTraefik, freePort, PLATFORM_CONSUL_CATALOG_FLAGS, RealTraefik } from './realTraefik';
import { ADMIN_SOURCE_RANGE, DEMO_DOMAIN } from './scenario';
import { DEMO_TOKENS, DemoTokenName } from './demoAcl';

/**
 * The domain the demo's routers serve when the real Traefik runs: browsers resolve every `*.localhost` name to
 * the loopback address by themselves (RFC 6761), so `https://whoami.localhost:<port>` reaches the demo's
 * Traefik with no DNS or hosts-file change.
 */
export const REAL_PROXY_DOMAIN = 'localhost';

export interface DemoEnvironment {
  cluster: DemoCluster;
  aws: AwsDemo;
  /** The extension host's environment: the CLIs' variables for the demo, its AWS endpoint, its control port. */
  env: Record<string, string>;
  /** Settings merged into the demo's code-server user settings at each start. */
  settings: Record<string, unknown>;
  /** Where the stand-in `nomad` lives (first on the terminals' PATH). */
  standIn: string;
  /**
   * Which Traefik the extension is pointed at: the real program on the demo's Consul, proxying
   * `https://<service>.localhost:<websecure>` to the demo's stand-in programs, or the demo's imitation (and why).
   */
  traefik: { kind: 'real'; version: string; program: RealTraefik; websecurePort: number } | { kind: 'imitation'; why: string };
  /** With ACLs on: the token the editor starts with (NOMAD_TOKEN / CONSUL_HTTP_TOKEN). */
  acl?: DemoTokenName;
  close(): Promise<void>;
}

/**
 * The demo's file-provider objects as the real Traefik reads them: the platform's admin-only middleware (the
 * dashboard's), the HTTP → HTTPS redirect, the headers middleware, and a router left behind after its service
 * went away (what the imitation serves from "file").
 */
export function demoFileProvider(domain = DEMO_DOMAIN): string {
  return `http:
  routers:
    legacy-api:
      rule: "Host(\`legacy.${domain}\`)"
      service: legacy-api
      entryPoints: [websecure]
      tls: {}
    http-catchall:
      rule: "HostRegexp(\`.+\`)"
      service: noop@internal
      entryPoints: [web]
      middlewares: [redirect-to-https]
  middlewares:
    admin-only:
      ipAllowList:
        sourceRange: ${JSON.stringify(ADMIN_SOURCE_RANGE)}
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

/** Why the demo runs the imitation, or undefined when the real Traefik is installed and not turned off. */
function imitationReason(): string | undefined {
  if (process.env.HASHISTACK_DEMO_TRAEFIK === 'imitation') return 'HASHISTACK_DEMO_TRAEFIK=imitation';
  const found = findTraefik();
  return 'missing' in found ? found.missing : undefined;
}

/** The real Traefik on the demo's Consul, its websecure entry point on a free port of 127.0.0.1. */
async function demoRealTraefik(cluster: DemoCluster): Promise<DemoEnvironment['traefik']> {
  const websecurePort = await freePort();
  const program = await RealTraefik.start({
    dynamic: demoFileProvider(REAL_PROXY_DOMAIN),
    consulCatalog: { address: cluster.address('consul'), flags: [...PLATFORM_CONSUL_CATALOG_FLAGS, '--providers.consulcatalog.refreshinterval=2s'] },
    flags: [`--entrypoints.websecure.address=127.0.0.1:${websecurePort}`],
  });
  return { kind: 'real', version: program.version, program, websecurePort };
}

/** The demo token named by HASHISTACK_DEMO_ACL (`readonly`, `developer`, `expiring`, `management`), if any. */
export function demoAclFromEnvironment(value = process.env.HASHISTACK_DEMO_ACL): DemoTokenName | undefined {
  if (!value) return undefined;
  if (!(value in DEMO_TOKENS)) throw new Error(`HASHISTACK_DEMO_ACL=${value}: use one of ${Object.keys(DEMO_TOKENS).join(', ')} (the token the editor starts with), or leave it unset for ACLs off.`);
  return value as DemoTokenName;
}

/**
 * `autonomous`: the scenario changes by itself, as under npm start (tests that check answers turn it off).
 * `acl`: ACLs on, the editor starting with that demo token.
 */
export async function startDemoEnvironment(options: { autonomous?: boolean; acl?: DemoTokenName } = {}): Promise<DemoEnvironment> {
  const imitation = imitationReason();
  // With the real Traefik, the routed services' instances are stand-in programs on 127.0.0.1 and the routers
  // serve *.localhost: the Launcher's Open and a router's URL go through the real proxy to them.
  const cluster = await DemoCluster.start({ controlPort: 0, autonomous: options.autonomous ?? true, acl: options.acl !== undefined, ...(imitation ? {} : { domain: REAL_PROXY_DOMAIN, backends: true }) });
  // The demo's AWS side too (EC2 nodes with their Elastic IPs, the gallery on ECS, ECR tags): the explorer
  // shows all four sections, as the README does.
  const aws = await AwsDemo.start();
  const standIn = join(REPO_ROOT, 'demo', 'bin');
  const traefik: DemoEnvironment['traefik'] = imitation ? { kind: 'imitation', why: imitation } : await demoRealTraefik(cluster);
  return {
    cluster,
    aws,
    traefik,
    env: {
      ...cluster.environment(),
      ...aws.environment(),
      HASHISTACK_DEMO_CONTROL: cluster.controlAddress!,
      ...(traefik.kind === 'real' ? { HASHISTACK_TRAEFIK_ADDR: traefik.program.apiAddress } : {}),
      ...(options.acl ? { NOMAD_TOKEN: DEMO_TOKENS[options.acl].nomad, CONSUL_HTTP_TOKEN: DEMO_TOKENS[options.acl].consul } : {}),
    },
    acl: options.acl,
    settings: {
      'git.openRepositoryInParentFolders': 'never',
      // The demo opens a port per product and per allocation: code-server would offer to forward each one
      // (a Ports badge that climbs, pop-ups during deploys). Nothing of the demo needs forwarding.
      'remote.autoForwardPorts': false,
      // On the demo, `nomad` in the terminals is the demo's stand-in CLI: VS Code's terminals take PATH from
      // terminal.integrated.env (code-server reads the rest from a login shell).
      'terminal.integrated.env.linux': { PATH: `${standIn}${delimiter}\${env:PATH}` },
      // The real Traefik's websecure entry point is on a port of its own (a load balancer on 443 fronts a real one).
      'hashistack.traefik.publicPorts': traefik.kind === 'real' ? { websecure: traefik.websecurePort } : {},
    },
    standIn,
    async close() {
      if (traefik.kind === 'real') await traefik.program.stop();
      await cluster.close();
      await aws.close();
    },
  };
}
