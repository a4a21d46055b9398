// What `npm start` runs the editor against: the demo cluster with its AWS side, the environment that points
// the extension (and the terminals' stand-in CLI) at them, and the demo's code-server settings.
import { delimiter, join } from 'node:path';
import { AwsDemo } from './awsDemo';
import { REPO_ROOT } from './codeServer';
import { DemoCluster } from './demoCluster';

export interface DemoEnvironment {
  cluster: DemoCluster;
  aws: AwsDemo;
  /** The extension host's environment: the CLIs' variables for the demo, its AWS endpoint, its control port. */
  env: Record<string, string>;
  /** Settings merged into the demo's code-server user settings at each start. */
  settings: Record<string, unknown>;
  /** Where the stand-in `nomad` lives (first on the terminals' PATH). */
  standIn: string;
  close(): Promise<void>;
}

export async function startDemoEnvironment(): Promise<DemoEnvironment> {
  const cluster = await DemoCluster.start({ controlPort: 0, autonomous: true });
  // The demo's AWS side too (EC2 nodes with their Elastic IPs, the gallery on ECS, ECR tags): the explorer
  // shows all four sections, as the README does.
  const aws = await AwsDemo.start();
  const standIn = join(REPO_ROOT, 'demo', 'bin');
  return {
    cluster,
    aws,
    env: { ...cluster.environment(), ...aws.environment(), HASHISTACK_DEMO_CONTROL: cluster.controlAddress! },
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
      await cluster.close();
      await aws.close();
    },
  };
}
