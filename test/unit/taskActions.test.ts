import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/http/apiError';
import { parseExecFrame, stdinFrame, STDIN_CLOSE_FRAME, ttySizeFrame } from '../../src/core/nomad/execStream';
import { NomadAllocation, NomadAllocationListStub } from '../../src/core/nomad/nomadApi';
import { actionAllocations, actionCommandLine, actionEndWords, jobTaskActions } from '../../src/core/nomad/taskActions';
import { allocationTaskNodes } from '../../src/core/tree/nomad/allocationTasks';
import { recordedText } from '../support/recorded';

/** A job as `GET /v1/job/:id` has it (api/tasks.go `Action`: Name, Command, Args), trimmed to what is read. */
const JOB = {
  ID: 'traefik',
  TaskGroups: [
    {
      Name: 'traefik',
      Tasks: [
        {
          Name: 'traefik',
          Actions: [
            { Name: 'ping', Command: 'traefik', Args: ['healthcheck', '--configFile=/local/traefik.yaml'] },
            { Name: 'routes', Command: '/bin/sh', Args: ['-c', "wget -qO- localhost:8080/api/http/routers | head -c 200; echo 'done'"] },
          ],
        },
        { Name: 'sidecar', Actions: null },
      ],
    },
    { Name: 'empty', Tasks: null },
  ],
};

describe("Job actions: the exec stream's frames (recorded) and the actions of a definition", () => {
  it("reads the recorded action's frames: stdout bytes in order, a close that is no output, then the exit code", () => {
    const frames = recordedText('nomad-action/action-version.jsonl').trim().split('\n').map((line) => parseExecFrame(line));
    const output = Buffer.concat(frames.flatMap((frame) => (frame.kind === 'stdout' ? [frame.data] : []))).toString('utf8');
    assert.equal(output.split('\r\n')[0], 'Version:      3.5.3');
    assert.equal(output.split('\r\n').length, 6, 'five lines, each ending in CR LF as a tty writes them');
    assert.deepEqual(frames.at(-2), { kind: 'heartbeat' }, '{"stdout":{"close":true}} carries nothing to show');
    assert.deepEqual(frames.at(-1), { kind: 'exited', exitCode: 0 });
  });

  it("decodes the Nomad UI test's own frame (UTF-8 beyond ASCII)", () => {
    const frame = parseExecFrame(recordedText('nomad-action/ui-exec-stdout.json'));
    assert.equal(frame.kind, 'stdout');
    assert.equal(frame.kind === 'stdout' && frame.data.toString('utf8'), 'sh-3.2 🥳$');
  });

  it('treats an empty object as a heartbeat, reads stderr and non-zero exits, and refuses what is not the stream', () => {
    assert.deepEqual(parseExecFrame('{}'), { kind: 'heartbeat' });
    const stderr = parseExecFrame(JSON.stringify({ stderr: { data: Buffer.from('oops\n').toString('base64') } }));
    assert.equal(stderr.kind === 'stderr' && stderr.data.toString(), 'oops\n');
    assert.deepEqual(parseExecFrame('{"exited":true,"result":{"exit_code":137}}'), { kind: 'exited', exitCode: 137 });
    assert.deepEqual(parseExecFrame('{"exited":true}'), { kind: 'exited', exitCode: 0 }, 'Go omits nothing here, but a missing code is 0');
    assert.throws(() => parseExecFrame('not json'));
    assert.throws(() => parseExecFrame('[1]'), /not an object/);
    assert.throws(() => parseExecFrame('{"stdout":{"data":"%%%"}}'), /not base64/);
    assert.throws(() => parseExecFrame('{"exited":true,"result":{"exit_code":"x"}}'), /not a number/);
  });

  it('writes input, close and terminal size as the CLI does', () => {
    assert.equal(stdinFrame(Buffer.from('\r')), '{"stdin":{"data":"DQ=="}}', "the Nomad UI test's Enter key");
    assert.equal(STDIN_CLOSE_FRAME, '{"stdin":{"close":true}}');
    assert.equal(ttySizeFrame(120.7, 30), '{"tty_size":{"width":120,"height":30}}');
  });

  it("lists a definition's actions with their group and task, skipping tasks and groups without any", () => {
    assert.deepEqual(
      jobTaskActions(JOB).map((action) => `${action.group}/${action.task}/${action.name}`),
      ['traefik/traefik/ping', 'traefik/traefik/routes'],
    );
    assert.deepEqual(jobTaskActions(undefined), []);
    assert.deepEqual(jobTaskActions({ TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't', Actions: [{ Name: 'x' }] }] }] }), [], 'an action without a command is not one');
  });

  it('shows what an action runs with the words a shell would read back', () => {
    const [ping, routes] = jobTaskActions(JOB);
    assert.equal(actionCommandLine(ping!), 'traefik healthcheck --configFile=/local/traefik.yaml');
    assert.equal(actionCommandLine(routes!), `/bin/sh -c 'wget -qO- localhost:8080/api/http/routers | head -c 200; echo '\\''done'\\'''`);
    assert.equal(actionCommandLine({ command: 'echo', args: [''] }), "echo ''");
  });

  it("picks the running allocations of the action's group, in name order", () => {
    const stub = (id: string, name: string, group: string, status: string, desired = 'run', namespace = 'default') => ({ ID: id, Name: name, JobID: 'traefik', Namespace: namespace, TaskGroup: group, ClientStatus: status, DesiredStatus: desired }) as NomadAllocationListStub;
    const allocations = [stub('c', 'traefik.traefik[10]', 'traefik', 'running'), stub('a', 'traefik.traefik[2]', 'traefik', 'running'), stub('b', 'traefik.traefik[1]', 'traefik', 'complete'), stub('d', 'traefik.other[0]', 'other', 'running'), stub('e', 'traefik.traefik[3]', 'traefik', 'running', 'stop'), stub('f', 'traefik.traefik[4]', 'traefik', 'running', 'run', 'prod')];
    assert.deepEqual(actionAllocations(allocations, 'traefik', 'default', 'traefik', 'default').map((allocation) => allocation.ID), ['a', 'c']);
  });

  it("words each end; a refusal names the capability and the namespace", () => {
    const error = new ApiError({ kind: 'forbidden', product: 'Nomad', address: 'http://127.0.0.1:4646', path: '/v1/job/traefik/action', reason: 'Permission denied' });
    assert.equal(actionEndWords({ kind: 'exited', exitCode: 0 }, 'default'), 'exited with code 0');
    assert.equal(actionEndWords({ kind: 'stopped' }, 'default', 'the terminal was closed'), 'stopped: the terminal was closed');
    assert.match(actionEndWords({ kind: 'failed', error }, 'prod'), /^Nomad refused: Permission denied — the token needs "alloc-exec" in namespace "prod"/);
  });

  it("lists a task's actions under it in the allocation's rows, runnable while the task runs", () => {
    const allocation = {
      ID: '5c9a1f5e-0000-4000-8000-000000000001',
      Name: 'traefik.traefik[0]',
      JobID: 'traefik',
      TaskGroup: 'traefik',
      ClientStatus: 'running',
      DesiredStatus: 'run',
      Job: JOB,
      TaskStates: {
        traefik: { State: 'running', Failed: false, Restarts: 0, StartedAt: '2026-12-03T10:00:00Z', FinishedAt: null, Events: [{ Type: 'Started', Time: 1, DisplayMessage: 'Task started by client' }] },
        sidecar: { State: 'dead', Failed: false, Restarts: 0, StartedAt: null, FinishedAt: null, Events: null },
      },
    } as unknown as NomadAllocation;
    const [sidecar, traefik] = allocationTaskNodes(allocation, Date.now());
    assert.equal(sidecar!.collapsible, 'none', 'no action and no event: nothing to open');
    const children = traefik!.computeChildren!();
    assert.deepEqual(children.map((child) => child.label), ['ping', 'routes', 'Started']);
    assert.equal(children[0]!.contextValue, 'nomadTaskAction actionRunnable');
    assert.deepEqual(children[0]!.taskAction, { name: 'ping', command: 'traefik healthcheck --configFile=/local/traefik.yaml' });
    assert.equal(children[0]!.allocation?.task, 'traefik');
    const stopped = allocationTaskNodes({ ...allocation, TaskStates: { traefik: { ...allocation.TaskStates!.traefik!, State: 'dead' } } }, Date.now());
    assert.equal(stopped[0]!.computeChildren!()[0]!.contextValue, 'nomadTaskAction', 'a dead task offers no Run');
  });
});
