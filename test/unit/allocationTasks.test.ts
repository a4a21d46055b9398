import * as assert from 'node:assert/strict';
import { NomadAllocation, NomadTaskState } from '../../src/core/nomad/nomadApi';
import { applyNomadEvents } from '../../src/core/nomad/nomadEvents';
import { childrenOf } from '../../src/core/tree/explorerNode';
import { allocationFailureReason, allocationTaskNodes, readableQuotes, taskEventMessage } from '../../src/core/tree/nomad/allocationTasks';
import { recordedJson } from '../support/recorded';

const NS = 1_000_000;

function failedStates(): Record<string, NomadTaskState> {
  const at = Date.UTC(2026, 10, 1, 12) * NS;
  return {
    web: {
      State: 'dead',
      Failed: true,
      Restarts: 1,
      StartedAt: '2026-11-01T12:00:02Z',
      FinishedAt: '2026-11-01T12:01:35Z',
      Events: [
        { Type: 'Started', Time: at, DisplayMessage: 'Task started by client' },
        { Type: 'Terminated', Time: at + 60_000 * NS, DisplayMessage: 'Exit Code: 137, Exit Message: "OOM Killed"', Details: { exit_code: '137', oom_killed: 'true' }, ExitCode: 137 },
        { Type: 'Restarting', Time: at + 61_000 * NS, DisplayMessage: 'Task restarting in 15s' },
      ],
    },
  };
}

describe('Inside an allocation: tasks, events and why it failed', () => {
  const recorded = recordedJson<NomadAllocation>('nomad/allocation.json');

  it("shows the recorded allocation's task with its state and last event, and its events newest first", () => {
    const [redis] = allocationTaskNodes(recorded, Date.UTC(2017, 6, 26));
    assert.equal(redis!.label, 'redis');
    assert.equal(redis!.description, 'running · Started');
    assert.equal(redis!.collapsible, 'collapsed');
    const events = childrenOf(redis!)!;
    assert.deepEqual(events.map((event) => event.label), ['Started', 'Driver', 'Received']);
    assert.match(events[1]!.description!, /Downloading image redis:7$/, "an older Nomad's DriverMessage");
    assert.equal(allocationFailureReason(recorded.TaskStates), undefined, 'nothing failed');
  });

  it('says why in words: exit code and OOM, a driver failure with its message', () => {
    assert.equal(allocationFailureReason(failedStates()), 'Exit Code: 137 · OOM Killed');
    const pull: Record<string, NomadTaskState> = { web: { State: 'pending', Failed: false, Restarts: 0, StartedAt: null, FinishedAt: null, Events: [{ Type: 'Driver Failure', Time: 5, DisplayMessage: 'failed to pull image "registry.example.com/web:1.2.3": manifest unknown' }] } };
    assert.equal(allocationFailureReason(pull), 'Driver Failure: failed to pull image "registry.example.com/web:1.2.3": manifest unknown');
    assert.equal(taskEventMessage({ Type: 'Driver Failure', Time: 1, DriverError: 'no such image' }), 'no such image', 'older Nomad: the error field');
    const cleanExit: Record<string, NomadTaskState> = { web: { State: 'dead', Failed: false, Restarts: 0, StartedAt: null, FinishedAt: null, Events: [{ Type: 'Terminated', Time: 1, ExitCode: 0, Details: { exit_code: '0' } }] } };
    assert.equal(allocationFailureReason(cleanExit), undefined, 'exit 0 is no failure');
  });

  it("an Allocation event's task states give the row its reason", () => {
    const allocations = recordedJson<{ ID: string; ModifyIndex: number }[]>('nomad/allocations.json');
    const data = { jobs: recordedJson('nomad/jobs.json'), allocations, deployments: [], nodes: [], namespace: 'default' } as never;
    const first = allocations[0]!;
    const next = applyNomadEvents(data, [{ Topic: 'Allocation', Type: 'AllocationUpdated', Key: first.ID, Namespace: 'default', FilterKeys: null, Index: 9999, Payload: { Allocation: { ...first, ClientStatus: 'failed', ModifyIndex: first.ModifyIndex + 1, TaskStates: failedStates() } } }]);
    assert.equal(next.allocations[0]!.FailureReason, 'Exit Code: 137 · OOM Killed');
  });
});

describe("Nomad's quoted names in task events", () => {
  it('shows a %q-quoted name unescaped, and leaves plain quotes as written', () => {
    assert.equal(readableQuotes('healthcheck: check "service: \\"whoami\\" check" unhealthy'), 'healthcheck: check “service: "whoami" check” unhealthy');
    assert.equal(readableQuotes('failed to pull image "redis:bad"'), 'failed to pull image "redis:bad"');
    assert.equal(readableQuotes('a "broken \\" quote'), 'a "broken \\" quote');
    const reason = allocationFailureReason({ web: { State: 'dead', Failed: true, Restarts: 0, Events: [{ Type: 'Restart Signaled', Time: 1, DisplayMessage: 'healthcheck: check "service: \\"web\\" check" unhealthy', Details: {} }] } } as never);
    assert.equal(reason, 'Restart Signaled: healthcheck: check “service: "web" check” unhealthy');
  });
});
