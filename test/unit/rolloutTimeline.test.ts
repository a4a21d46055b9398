import * as assert from 'node:assert/strict';
import { markdownText, renderRolloutTimeline } from '../../src/core/deploy/rolloutTimeline';
import { NomadAllocation, NomadAllocationListStub, NomadDeployment, NomadTaskState } from '../../src/core/nomad/nomadApi';
import { recordedJson } from '../support/recorded';

describe('Rollout timeline', () => {
  const deployment = recordedJson<NomadDeployment>('nomad/deployment.json');
  const recorded = recordedJson<NomadAllocation>('nomad/allocation.json');
  const stub = recordedJson<NomadAllocationListStub[]>('nomad/allocations.json')[0]!;
  // The recorded allocation (a running redis task, three events) as the canary of the recorded deployment's version.
  const canary = { ...stub, ID: recorded.ID, Name: recorded.Name, JobVersion: deployment.JobVersion, CreateTime: 1495747371795703800, DeploymentStatus: { Healthy: true, Canary: true, Timestamp: '2017-05-25T21:23:05Z' } };
  const ns = (ms: number) => ms * 1_000_000;
  const failedStates: Record<string, NomadTaskState> = {
    redis: {
      State: 'dead',
      Failed: true,
      Restarts: 1,
      StartedAt: null,
      FinishedAt: null,
      Events: [
        { Type: 'Received', Time: ns(1_495_747_400_000), DisplayMessage: 'Task received by client' },
        { Type: 'Started', Time: ns(1_495_747_402_000), DisplayMessage: 'Task started by client' },
        { Type: 'Terminated', Time: ns(1_495_747_460_000), DisplayMessage: 'Exit Code: 137, Exit Message: "OOM Killed"', Details: { oom_killed: 'true', exit_code: '137' }, ExitCode: 137 },
        { Type: 'Not Restarting', Time: ns(1_495_747_461_000), DisplayMessage: 'Exceeded allowed attempts 1 | in <b>interval</b>' },
      ] as never,
    },
  };
  const failed = { ...stub, ID: 'f0000000-0000-4000-8000-000000000002', Name: 'example.cache[1]', JobVersion: deployment.JobVersion, ClientStatus: 'failed', CreateTime: ns(1_495_747_399_000), CreateIndex: stub.CreateIndex + 1, DeploymentStatus: { Healthy: false, Canary: false, Timestamp: '2017-05-25T21:24:30Z' } };

  it('puts the cause first, linked to the jobspec line, then every lane event in time order, canary marked', () => {
    const text = renderRolloutTimeline({
      deployment: { ...deployment, Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations', TaskGroups: { cache: { ...deployment.TaskGroups!.cache!, PlacedCanaries: [recorded.ID] } } },
      allocations: [
        { allocation: failed, taskStates: failedStates },
        { allocation: canary, taskStates: recorded.TaskStates },
      ],
      changes: [
        { at: 1_495_747_390_000, status: 'running', description: 'Deployment is running' },
        { at: 1_495_747_470_000, status: 'failed', description: 'Failed due to unhealthy allocations' },
      ],
      causes: [{ allocationIds: [failed.ID], message: 'task "redis" was OOM-killed once', label: 'example.nomad:17', target: 'file:///work/example.nomad#L17' }],
      profileName: 'staging',
    });
    const lines = text.split('\n');
    assert.match(lines[0]!, /^# Rollout of example · job version 1$/);
    assert.ok(text.includes('**failed** — Failed due to unhealthy allocations'));
    const cause = lines.find((line) => line.startsWith('- **f0000000**'))!;
    assert.ok(lines.indexOf(cause) < lines.indexOf('## Timeline'), 'the cause comes before the timeline');
    assert.match(cause, /Exit Code: 137 · OOM Killed → \[`example\.nomad:17`\]\(<file:\/\/\/work\/example\.nomad#L17>\): task "redis" was OOM-killed once$/);
    const rows = lines.slice(lines.indexOf('## Timeline') + 4, lines.indexOf('## Lanes') - 1);
    const times = rows.map((row) => row.split(' | ')[0]!.slice(2));
    assert.deepEqual(times, [...times].sort(), 'in time order');
    assert.ok(rows.some((row) => /\| a8198d79 \(canary\) \| redis: started/.test(row)), 'the canary is marked in its lane');
    assert.ok(rows.some((row) => /\*\*redis: terminated — Exit Code: 137, Exit Message: "OOM Killed"\*\* \(the cause\)/.test(row)), rows.join('\n'));
    assert.ok(rows.some((row) => /\| deployment \| running: Deployment is running \(when this timeline opened\) \|/.test(row)));
    assert.ok(rows.every((row) => row.split(/(?<!\\)\|/).length === 5), 'no cluster text breaks a table row');
    assert.ok(!text.includes('<b>'), 'no HTML from the cluster');
    assert.match(lines.find((line) => line.startsWith('- **a8198d79 (canary)**'))!, /received → pulling image → started → healthy$/);
  });

  it('escapes Markdown, HTML and table breaks in cluster text', () => {
    assert.equal(markdownText('a|b <script>*x*</script> [l](u)\nnext'), 'a\\|b \\<script\\>\\*x\\*\\</script\\> \\[l\\](u) next');
  });
});
