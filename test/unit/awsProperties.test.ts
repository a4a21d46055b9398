import * as assert from 'node:assert/strict';
import { awsSectionNodes, elasticIpTarget } from '../../src/core/tree/aws/awsProperties';
import { ElasticIp } from '../../src/core/aws/eipPairing';

describe('AWS section rows', () => {
  const names = new Map([['i-0a', 'hashi-server-a']]);
  const eip = (extra: Partial<ElasticIp>): ElasticIp => ({ allocationId: 'eipalloc-1', publicIp: '198.51.100.1', ...extra });

  it('words what an Elastic IP is on, for every kind of association, never with only an account number', () => {
    const cases: [Partial<ElasticIp>, string][] = [
      [{}, 'free'],
      [{ instanceId: 'i-0a', associationId: 'a' }, 'hashi-server-a'],
      [{ instanceId: 'i-0b', associationId: 'a' }, 'instance i-0b (not a cluster node)'],
      [{ associationId: 'a', networkInterface: { id: 'eni-1', ownerId: '210987654321', description: 'Interface for NAT Gateway nat-0abc123', type: 'nat_gateway' } }, 'NAT gateway nat-0abc123'],
      [{ associationId: 'a', networkInterface: { id: 'eni-1', type: 'nat_gateway' } }, 'NAT gateway eni-1'],
      [{ associationId: 'a', networkInterface: { id: 'eni-2', ownerId: 'amazon-elb', description: 'ELB app/web/50dc6c495c0c9188' } }, 'ELB app/web/50dc6c495c0c9188'],
      [{ associationId: 'a', networkInterface: { id: 'eni-2', ownerId: 'amazon-elb' } }, 'ELB eni-2'],
      [{ associationId: 'a', networkInterface: { id: 'eni-3', serviceManaged: 'nlb' } }, 'Network Load Balancer eni-3'],
      [{ associationId: 'a', networkInterface: { id: 'eni-4', type: 'vpc_endpoint' } }, 'VPC endpoint eni-4'],
      [{ associationId: 'a', networkInterface: { id: 'eni-5', ownerId: '210987654321' } }, 'network interface eni-5'],
    ];
    for (const [extra, expected] of cases) {
      const words = elasticIpTarget(eip(extra), names);
      assert.equal(words, expected, JSON.stringify(extra));
      assert.ok(!words.includes('210987654321'));
    }
  });

  it('shows a failed part as its own error row and keeps the parts that loaded', () => {
    const rows = awsSectionNodes(
      {
        region: 'eu-west-1',
        ecsCluster: 'hashistack',
        instances: [{ instanceId: 'i-0a', name: 'hashi-server-a', state: 'running', tags: {}, privateIp: '10.0.1.10' }],
        addresses: [eip({ instanceId: 'i-0a', associationId: 'a' })],
        services: undefined,
        errors: { services: new Error('ECS ListServices failed: ClusterNotFoundException: Cluster not found.') },
      },
      Date.now(),
    );
    assert.deepEqual(rows.map((row) => row.id).sort(), ['aws/ecs', 'aws/eips', 'aws/nodes']);
    const ecs = rows.find((row) => row.id === 'aws/ecs')!;
    assert.equal(ecs.children![0]!.label, 'ECS ListServices failed: ClusterNotFoundException: Cluster not found.');
    assert.match(ecs.children![0]!.contextValue, /\berror\b/);
    assert.equal(rows.find((row) => row.id === 'aws/eips')!.children![0]!.description, '→ hashi-server-a');
    const addressesFailed = awsSectionNodes({ region: 'r', instances: [], addresses: undefined, errors: { addresses: new Error('no ec2:DescribeAddresses') } }, Date.now());
    assert.deepEqual(addressesFailed.map((row) => row.id), ['aws/eips', 'aws/nodes'], 'one Elastic IPs folder: the error one');
  });
});
