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

describe('Following a restart to its end', () => {
  const NEVER = '0001-01-01T00:00:00Z';
  const state = (overrides: Partial<NomadTaskState>): NomadTaskState => ({ State: 'running', Failed: false, Restarts: 0, LastRestart: NEVER, StartedAt: null, FinishedAt: null, Events: [], ...overrides });
  const allocation = (tasks: Record<string, NomadTaskState>, ClientStatus = 'running') => ({ ID: 'a1b2c3d4-0000', ClientStatus, TaskStates: tasks }) as unknown as NomadAllocation;

  it('is running again once LastRestart moved past the one read before and the task runs; failed when it died since', async () => {
    const { restartMarks, restartProgress } = await import('../../src/core/nomad/restartFollow');
    const before = restartMarks({ web: state({}), sidecar: state({ LastRestart: '2026-12-03T10:00:00Z' }) });
    assert.equal(restartProgress(before, allocation({ web: state({}), sidecar: state({ LastRestart: '2026-12-03T10:00:00Z' }) })).phase, 'restarting', 'nothing restarted yet');
    const restarting = restartProgress(before, allocation({ web: state({ State: 'pending', LastRestart: '2026-12-03T11:00:00Z', Events: [{ Type: 'Restarting', Time: 5, DisplayMessage: 'Task restarting in 0s' }] as never }), sidecar: state({ LastRestart: '2026-12-03T10:00:00Z' }) }));
    assert.equal(restarting.phase, 'restarting');
    assert.match(restarting.words, /task "web": Restarting: Task restarting in 0s/);
    const one = restartProgress(before, allocation({ web: state({ LastRestart: '2026-12-03T11:00:00Z' }), sidecar: state({ LastRestart: '2026-12-03T10:00:00Z' }) }), ['web']);
    assert.deepEqual(one, { phase: 'running', words: 'task "web" runs again' });
    const all = restartProgress(before, allocation({ web: state({ LastRestart: '2026-12-03T11:00:00Z' }), sidecar: state({ LastRestart: '2026-12-03T11:00:01Z' }) }));
    assert.deepEqual(all, { phase: 'running', words: 'tasks "web", "sidecar" run again' });
    const died = restartProgress(before, allocation({ web: state({ State: 'dead', Failed: true, LastRestart: '2026-12-03T11:00:00Z', Events: [{ Type: 'Driver Failure', Time: 9, DisplayMessage: 'failed to start: no such image' }] as never }), sidecar: state({}) }, 'failed'), ['web']);
    assert.equal(died.phase, 'failed');
    assert.equal(died.words, 'task "web" did not come back: Driver Failure: failed to start: no such image');
  });
});
