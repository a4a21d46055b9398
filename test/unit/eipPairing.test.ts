import * as assert from 'node:assert/strict';
import { ClusterNode, describePlan, ElasticIp, planElasticIpPairing } from '../../src/core/aws/eipPairing';

const node = (id: string, minutesAgo: number): ClusterNode => ({ instanceId: id, launchTime: new Date(Date.UTC(2026, 10, 1) - minutesAgo * 60_000) });
const free = (id: string, ip: string): ElasticIp => ({ allocationId: id, publicIp: ip });
const attached = (id: string, ip: string, instanceId: string): ElasticIp => ({ allocationId: id, publicIp: ip, instanceId, associationId: `eipassoc-${id}` });

describe('Elastic IP pairing', () => {
  it('pairs free addresses with the nodes, oldest node first, addresses in order', () => {
    const plan = planElasticIpPairing([node('i-new', 1), node('i-old', 60)], [free('eipalloc-b', '198.51.100.20'), free('eipalloc-a', '198.51.100.3')]);
    assert.deepEqual(plan.associate, [
      { allocationId: 'eipalloc-a', publicIp: '198.51.100.3', instanceId: 'i-old' },
      { allocationId: 'eipalloc-b', publicIp: '198.51.100.20', instanceId: 'i-new' },
    ]);
    assert.deepEqual(plan.nodesWithoutAddress, []);
    assert.deepEqual(plan.unusedAddresses, []);
  });

  it('more nodes than addresses: the newest nodes go without, and the plan says so', () => {
    const plan = planElasticIpPairing([node('i-1', 30), node('i-2', 20), node('i-3', 10)], [free('eipalloc-a', '198.51.100.1')]);
    assert.deepEqual(plan.associate.map((a) => a.instanceId), ['i-1']);
    assert.deepEqual(plan.nodesWithoutAddress, ['i-2', 'i-3']);
    assert.match(describePlan(plan).at(-1)!, /No address left for: i-2, i-3/);
  });

  it('more addresses than nodes: the rest stay unused', () => {
    const plan = planElasticIpPairing([node('i-1', 5)], [free('eipalloc-a', '198.51.100.1'), free('eipalloc-b', '198.51.100.2')]);
    assert.deepEqual(plan.unusedAddresses, ['198.51.100.2']);
  });

  it('takes an address still attached to a replaced (terminated) cluster instance, and says what it detaches', () => {
    const plan = planElasticIpPairing([node('i-replacement', 1), node('i-kept', 90)], [attached('eipalloc-a', '203.0.113.41', 'i-kept'), attached('eipalloc-b', '203.0.113.42', 'i-terminated')], undefined, new Set(['i-terminated', 'i-kept', 'i-replacement']));
    assert.deepEqual(plan.alreadyPaired, [{ instanceId: 'i-kept', publicIp: '203.0.113.41' }]);
    assert.deepEqual(plan.associate, [{ allocationId: 'eipalloc-b', publicIp: '203.0.113.42', instanceId: 'i-replacement', detachesFrom: 'i-terminated', associationId: 'eipassoc-eipalloc-b' }]);
    assert.match(describePlan(plan)[0]!, /203\.0\.113\.42 → i-replacement \(detached from i-terminated\)/);
  });

  it('never takes an address from a foreign instance or a network interface unless chosen', () => {
    const foreign = attached('eipalloc-f', '203.0.113.9', 'i-someone-else');
    const nat: ElasticIp = { allocationId: 'eipalloc-nat', publicIp: '203.0.113.10', associationId: 'eipassoc-nat', networkInterfaceOwner: 'nat gateway' };
    assert.deepEqual(planElasticIpPairing([node('i-1', 1)], [foreign, nat]).associate, []);
    const chosen = planElasticIpPairing([node('i-1', 1)], [foreign, nat], ['eipalloc-f', 'eipalloc-nat']);
    assert.deepEqual(chosen.associate.map((a) => [a.publicIp, a.detachesFrom]), [['203.0.113.9', 'i-someone-else']]);
  });

  it('is idempotent: after the plan is carried out, a second run plans nothing', () => {
    const nodes = [node('i-1', 10), node('i-2', 5)];
    const addresses = [free('eipalloc-a', '198.51.100.1'), free('eipalloc-b', '198.51.100.2')];
    const first = planElasticIpPairing(nodes, addresses);
    const after = addresses.map((address) => {
      const association = first.associate.find((a) => a.allocationId === address.allocationId);
      return association ? attached(address.allocationId, address.publicIp, association.instanceId) : address;
    });
    const second = planElasticIpPairing(nodes, after);
    assert.deepEqual(second.associate, []);
    assert.equal(second.alreadyPaired.length, 2);
  });

  it('nothing to do with no nodes, or no addresses', () => {
    assert.deepEqual(planElasticIpPairing([], [free('eipalloc-a', '198.51.100.1')]), { associate: [], alreadyPaired: [], nodesWithoutAddress: [], unusedAddresses: ['198.51.100.1'] });
    assert.deepEqual(planElasticIpPairing([node('i-1', 1)], []).nodesWithoutAddress, ['i-1']);
  });
});
