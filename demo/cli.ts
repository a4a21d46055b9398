// `npm run demo`: the demo cluster on fixed local ports, for trying the extension by hand.
// Options: --consul-port, --nomad-port, --traefik-port, --control-port, --scale (2,000 services, 500 jobs
// with 10,000 allocations, 1,000 routers), --json (print the addresses as one JSON line, for scripts).
import { DemoCluster } from './demoCluster';
import { BENCH_SCALE } from './scenario';


function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main(): Promise<void> {
  const demo = await DemoCluster.start({
    ports: { consul: option('consul-port', 18500), nomad: option('nomad-port', 14646), traefik: option('traefik-port', 18080) },
    controlPort: option('control-port', 18099),
    scale: process.argv.includes('--scale') ? BENCH_SCALE : undefined,
  });
  const addresses = { ...demo.environment(), HASHISTACK_DEMO_CONTROL: demo.controlAddress! };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(addresses));
  } else {
    console.log('Hashistack demo cluster (a demo and test double; not Consul, Nomad or Traefik):');
    for (const [name, value] of Object.entries(addresses)) {
      console.log(`  ${name}=${value}`);
    }
    console.log(`Inject a fault: curl -X PUT ${demo.controlAddress}/faults/nomad -d '{"kind":"refused"}'   (refused, slow, forbidden, error, invalidJson, truncated)`);
    console.log(`Clear faults:   curl -X DELETE ${demo.controlAddress}/faults`);
  }
  const stop = () => void demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`The demo cluster could not start: ${error instanceof Error ? error.message : String(error)}. Another process may hold its ports; pass --nomad-port etc.`);
  process.exit(1);
});
