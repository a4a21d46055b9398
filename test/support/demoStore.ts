// A demo cluster and a live cluster store on it, as the deploy-loop and cluster-failure tests use them: quick
// rollout steps, a short backoff, and the sections the test asks for kept current.
import { DemoCluster, DemoClusterOptions } from '../../demo/demoCluster';
import { createClusterClients } from '../../src/core/explorer/clusterClients';
import { Backoff } from '../../src/core/live/backoff';
import { environmentProfile } from '../../src/core/profiles/clusterProfile';
import { ClusterStore } from '../../src/core/store/clusterStore';

export interface DemoStore {
  demo: DemoCluster;
  store: ClusterStore;
  /** Ends the store's demand and closes both. */
  close(): Promise<void>;
}

export async function startDemoStore(sections: Parameters<ClusterStore['need']>[0], options: DemoClusterOptions = {}): Promise<DemoStore> {
  const demo = await DemoCluster.start({ heartbeatMs: 200, rolloutStepMs: 60, ...options });
  const profile = environmentProfile({ NOMAD_ADDR: demo.address('nomad'), CONSUL_HTTP_ADDR: demo.address('consul'), HASHISTACK_TRAEFIK_ADDR: demo.address('traefik') });
  const store = new ClusterStore({ clients: createClusterClients(profile, { tokens: {}, timeoutMs: 2000 }), settings: () => ({ live: true, fallbackPollSeconds: 0, traefikPollSeconds: 5 }), backoff: new Backoff(50, 200) });
  const handle = store.need(sections);
  return {
    demo,
    store,
    async close() {
      handle.dispose();
      store.dispose();
      await demo.close();
    },
  };
}
