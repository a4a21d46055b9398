import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsSectionNodes, ecsEventKind, ecsEventsFolder, ecsStoppedConcern, ecsStoppedTaskNodes, elasticIpTarget } from '../../src/core/tree/aws/awsProperties';
import { ElasticIp } from '../../src/core/aws/eipPairing';
import { EcsServiceEvent, EcsStoppedTask } from '../../src/core/aws/awsCluster';
import { ecsConcernLine } from '../../src/core/jobspec/ecsConcerns';
import { HEALTH_ICONS } from '../../src/core/tree/explorerNode';

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

describe("An ECS service's events and stopped tasks, and the place in its Terraform they are about", () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  // ECS's sentences as its guide's "Amazon ECS service event messages" gives them.
  const events: EcsServiceEvent[] = [
    { id: 'e4', at: new Date(now - 60_000), message: '(service gallery) has reached a steady state.' },
    { id: 'e3', at: new Date(now - 120_000), message: '(service gallery) (task 2a7d1e5c) failed container health checks.' },
    { id: 'e2', at: new Date(now - 180_000), message: '(service gallery) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5a7f) has insufficient memory available.' },
    { id: 'e1', at: new Date(now - 240_000), message: '(service gallery) has started 1 tasks: (task 2a7d1e5c).' },
  ];

  it("classes ECS's sentences and names what a failure is about", () => {
    assert.deepEqual(events.map((event) => ecsEventKind(event.message)), [{ kind: 'steady' }, { kind: 'health', concern: 'healthCheck' }, { kind: 'placement', concern: 'resources' }, { kind: 'info' }]);
    assert.deepEqual(ecsEventKind('(service gallery) (deployment ecs-svc/123) deployment failed: tasks failed to start.'), { kind: 'deploymentFailed' });
    assert.deepEqual(ecsEventKind('(service gallery) was unable to place a task. Reason: Capacity is unavailable at this time.'), { kind: 'placement', concern: 'resources' });
  });

  it('lists the events newest first without the service prefix; a failure links to its part of the ecs-*.tf', () => {
    const folder = ecsEventsFolder('gallery', events, now);
    assert.equal(folder.description, '4 · 2 failing · has reached a steady state.');
    const rows = folder.computeChildren!();
    assert.deepEqual(rows.map((row) => row.label), ['has reached a steady state.', '(task 2a7d1e5c) failed container health checks.', events[2]!.message.slice('(service gallery) '.length), 'has started 1 tasks: (task 2a7d1e5c).']);
    assert.equal(rows[0]!.command, undefined);
    assert.deepEqual(rows[1]!.command?.arguments, [{ ecsConcern: { service: 'gallery', concern: 'healthCheck' } }]);
    assert.deepEqual(rows[2]!.command?.arguments, [{ ecsConcern: { service: 'gallery', concern: 'resources' } }]);
    assert.match(rows[2]!.contextValue, /\becsEventFailure\b/);
    assert.equal(ecsEventsFolder('gallery', [], now).collapsible, 'none');
  });

  it('says why each stopped task stopped, with exit codes, and links an image or memory trouble', () => {
    const pull: EcsStoppedTask = { arn: 'arn:aws:ecs:eu-west-1:1:task/c/2a7d1e5c9f3b', id: '2a7d1e5c9f3b', stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref nginx:1.27.9: not found', stoppedAt: new Date(now - 600_000), containers: [{ name: 'gallery' }] };
    const oom: EcsStoppedTask = { arn: 'arn:aws:ecs:eu-west-1:1:task/c/9c8b7a6f5e4d', id: '9c8b7a6f5e4d', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', stoppedAt: new Date(now - 300_000), containers: [{ name: 'gallery', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] };
    const scaled: EcsStoppedTask = { arn: 'a', id: 'aaaaaaaa', stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)', containers: [{ name: 'gallery', exitCode: 0 }] };
    assert.equal(ecsStoppedConcern(pull), 'image');
    assert.equal(ecsStoppedConcern(oom), 'resources');
    assert.equal(ecsStoppedConcern(scaled), undefined);
    const [first, second] = ecsStoppedTaskNodes('gallery', [pull, oom], now);
    assert.match(first!.description!, /^CannotPullContainerError: .* · 10 min ago$/);
    assert.equal(second!.description, 'Essential container in task exited · gallery exit 137 · 5 min ago');
    assert.deepEqual(second!.command?.arguments, [{ ecsConcern: { service: 'gallery', concern: 'resources' } }]);
    assert.equal(ecsStoppedTaskNodes('gallery', [scaled], now)[0]!.icon, HEALTH_ICONS.neutral, 'a scale-in is not a failure');
    assert.match(ecsStoppedTaskNodes('gallery', [], now)[0]!.label, /None kept/);
  });

  it("finds the task definition's memory, the health check and the image in the platform's ecs-gallery.tf", () => {
    const text = readFileSync(join(__dirname, '..', '..', '..', 'platform', 'terraform', 'ecs-gallery.tf'), 'utf8');
    const lines = text.split('\n');
    assert.match(lines[ecsConcernLine(text, 'resources')!]!, /^\s*memory\s*=\s*512/);
    assert.match(lines[ecsConcernLine(text, 'healthCheck')!]!, /healthCheck\s*=/);
    assert.match(lines[ecsConcernLine(text, 'image')!]!, /image\s*=/);
    assert.equal(ecsConcernLine('resource "aws_ecs_service" "x" {}', 'healthCheck'), undefined);
  });
});
