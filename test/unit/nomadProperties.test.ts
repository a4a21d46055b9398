import * as assert from 'node:assert/strict';
import { NomadAllocationListStub, NomadDeployment, NomadJobListStub } from '../../src/core/nomad/nomadApi';
import { formatAge, nanosecondsToDate } from '../../src/core/nomad/nomadTime';
import { childrenOf, HEALTH_ICONS, tooltipText } from '../../src/core/tree/explorerNode';
import { latestDeployments, nomadAllocationNode, nomadNodeNode, nomadSectionNodes } from '../../src/core/tree/nomad/nomadProperties';
import { recordedJson } from '../support/recorded';

const UI = { consul: 'http://127.0.0.1:8500', nomad: 'https://nomad.example.com' };
const NOW = Date.UTC(2021, 10, 4, 10, 15, 0);

describe('nomadTime', () => {
  it('turns nanoseconds above 2^53 into the right date, not one 50,000 years away', () => {
    const date = nanosecondsToDate(1636017249798459000);
    assert.equal(date?.toISOString(), '2021-11-04T09:14:09.798Z');
  });

  it('ignores zero and missing times', () => {
    assert.equal(nanosecondsToDate(0), undefined);
    assert.equal(nanosecondsToDate(undefined), undefined);
  });

  it('formats ages in words: just now, then seconds, minutes, hours and days ago', () => {
    const now = Date.UTC(2021, 0, 10);
    assert.equal(formatAge(new Date(now - 1_000), now), 'just now');
    assert.equal(formatAge(new Date(now - 12_000), now), '12 s ago');
    assert.equal(formatAge(new Date(now - 5 * 60_000), now), '5 min ago');
    assert.equal(formatAge(new Date(now - 3 * 3_600_000), now), '3 h ago');
    assert.equal(formatAge(new Date(now - 4 * 86_400_000), now), '4 d ago');
    assert.equal(formatAge(new Date(now + 10_000), now), 'just now', 'a clock ahead of ours is no negative age');
  });
});

describe('nomadProperties', () => {
  const allocation = recordedJson<NomadAllocationListStub[]>('nomad/allocations.json')[0]!;

  it('describes an allocation: short id, client status, node, version, age', () => {
    const node = nomadAllocationNode(allocation, { ui: UI, now: NOW });
    assert.equal(node.label, '5457f16d');
    assert.equal(node.description, 'running · linux · v0 · 1 h ago');
    assert.equal(node.url, 'https://nomad.example.com/ui/allocations/5457f16d-0f87-8e6b-5e91-0c7da3a41eb7');
    assert.match(tooltipText(node)!, /Created: 2021-11-04T09:14:09\.798Z/);
    assert.deepEqual(node.icon, HEALTH_ICONS.passing);
  });

  it('shows the desired status when it is not run', () => {
    const node = nomadAllocationNode({ ...allocation, ClientStatus: 'complete', DesiredStatus: 'stop' }, { ui: UI, now: NOW });
    assert.match(node.description!, /^complete \(desired stop\)/);
    assert.deepEqual(node.icon, HEALTH_ICONS.neutral);
  });

  it('marks a job with a failed allocation that should run', () => {
    const job = recordedJson<NomadJobListStub[]>('nomad/jobs.json')[0]!;
    const nodes = nomadSectionNodes(
      { jobs: [job], allocations: [allocation, { ...allocation, ID: 'ffffffff-0000', ClientStatus: 'failed', CreateIndex: 99 }], deployments: [], nodes: [], namespace: 'default' },
      { ui: UI, now: NOW },
    );
    const row = nodes[0]!.children![0]!;
    // The docs' job is pending: a job that is not running with a failed allocation has failed.
    assert.equal(job.Status, 'pending');
    assert.deepEqual(row.icon, HEALTH_ICONS.critical);
    assert.match(row.description!, / · 1 failed$/);
    const running = nomadSectionNodes(
      { jobs: [{ ...job, Status: 'running' }], allocations: [allocation, { ...allocation, ID: 'ffffffff-0000', ClientStatus: 'failed', CreateIndex: 99 }], deployments: [], nodes: [], namespace: 'default' },
      { ui: UI, now: NOW },
    )[0]!.children![0]!;
    assert.deepEqual(running.icon, HEALTH_ICONS.warning, 'a running job with a failed allocation is degraded, not failed');
    assert.match(running.description!, /^service · running · .* · 1 failed$/);
    // A newer allocation of the same slot (a rollout's new version, a reschedule) replaced the failed one.
    const replaced = nomadSectionNodes(
      { jobs: [{ ...job, Status: 'running' }], allocations: [{ ...allocation, ID: 'ffffffff-0000', ClientStatus: 'failed', CreateIndex: 99 }, { ...allocation, ID: 'eeeeeeee-0000', ClientStatus: 'running', CreateIndex: 120 }], deployments: [], nodes: [], namespace: 'default' },
      { ui: UI, now: NOW },
    )[0]!.children![0]!;
    assert.doesNotMatch(replaced.description!, /failed/, 'a failed allocation that was replaced no longer degrades its job');
    assert.notDeepEqual(replaced.icon, HEALTH_ICONS.warning);
    // Newest allocation first.
    assert.equal(row.children, undefined, 'allocation rows are built on first expand');
    const children = childrenOf(row)!;
    assert.equal(children[0]!.label, 'Versions', 'the job\'s versions come first (no deployment here), loaded on expand');
    assert.deepEqual(children[0]!.lazyChildren, { kind: 'jobVersions', jobId: 'example', namespace: 'default' });
    assert.equal(children[1]!.label, 'ffffffff');
    assert.equal(row.url, 'https://nomad.example.com/ui/jobs/example%40default');
    assert.deepEqual(row.job, { id: 'example', namespace: 'default' });
  });

  it('keeps jobs of the same ID in two namespaces apart when listing every namespace', () => {
    const job = recordedJson<NomadJobListStub[]>('nomad/jobs.json')[0]!;
    const nodes = nomadSectionNodes(
      {
        jobs: [{ ...job, Namespace: 'default' }, { ...job, Namespace: 'platform' }],
        allocations: [{ ...allocation, Namespace: 'platform' }],
        deployments: [],
        nodes: [],
        namespace: '*',
      },
      { ui: UI, now: NOW },
    );
    const [first, second] = nodes[0]!.children!;
    assert.notEqual(first!.id, second!.id);
    assert.deepEqual(childrenOf(first!)!.map((child) => child.label), ['Versions', 'No allocations']);
    assert.deepEqual(childrenOf(second!)!.map((child) => child.label), ['Versions', '5457f16d']);
    assert.deepEqual(childrenOf(second!)![0]!.lazyChildren, { kind: 'jobVersions', jobId: 'example', namespace: 'platform' });
    assert.match(second!.description!, / · platform$/);
  });

  it('picks the newest deployment of each job', () => {
    const deployments = recordedJson<NomadDeployment[]>('nomad/job-my-job-deployments.json');
    const latest = latestDeployments([...deployments].reverse(), 'default');
    assert.equal(latest.size, 1);
    assert.equal([...latest.values()][0]!.ID, '85ee4a9a-339f-a921-a9ef-0550d20b2c61');
  });

  it('shows node status, eligibility and drain', () => {
    const node = recordedJson<Parameters<typeof nomadNodeNode>[0][]>('nomad/nodes.json')[0]!;
    assert.equal(nomadNodeNode(node, UI).description, 'ready · eligible');
    const draining = nomadNodeNode({ ...node, Drain: true, SchedulingEligibility: 'ineligible' }, UI);
    assert.equal(draining.description, 'ready · ineligible · draining');
    assert.deepEqual(draining.icon, HEALTH_ICONS.warning);
    assert.deepEqual(nomadNodeNode({ ...node, Status: 'down' }, UI).icon, HEALTH_ICONS.critical);
  });
});
