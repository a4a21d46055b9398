import * as assert from 'node:assert/strict';
import { expectsDeployment, followHeadline, followOutcome, followRollout, FollowTarget, groupProgressWords } from '../../src/core/deploy/rolloutFollow';
import { NomadAllocationListStub, NomadDeployment, NomadEvaluation, NomadJob, NomadJobListStub } from '../../src/core/nomad/nomadApi';
import { applyNomadEvents, NomadEvent } from '../../src/core/nomad/nomadEvents';
import { NomadSectionData } from '../../src/core/tree/nomad/nomadProperties';
import { recordedJson } from '../support/recorded';

// The recorded deployment is job "example" version 1 (JobModifyIndex 17), group "cache": 1 canary of 3 placed.
const recordedDeployment = (): NomadDeployment => recordedJson<NomadDeployment>('nomad/deployment.json');
const recordedJob = (): NomadJobListStub => ({ ...recordedJson<NomadJobListStub[]>('nomad/jobs.json')[0]!, Version: 1, JobModifyIndex: 17 });
const recordedAllocation = (): NomadAllocationListStub => recordedJson<NomadAllocationListStub[]>('nomad/allocations.json')[0]!;

function snapshot(parts: Partial<NomadSectionData> = {}): NomadSectionData {
  return { jobs: [recordedJob()], allocations: [], deployments: [], nodes: [], namespace: 'default', ...parts };
}

function event(topic: string, type: string, key: string, payload: Record<string, unknown>, index: number): NomadEvent {
  return { Topic: topic, Type: type, Key: key, Namespace: 'default', FilterKeys: null, Index: index, Payload: payload } as NomadEvent;
}

const TARGET: FollowTarget = { jobId: 'example', namespace: 'default', baselineJobModifyIndex: 10 };

describe('Following a rollout', () => {
  it('waits until the job\'s new version is in the store', () => {
    const state = followRollout(TARGET, { snapshot: snapshot({ jobs: [{ ...recordedJob(), JobModifyIndex: 10 }] }) });
    assert.equal(state.phase, 'waiting');
    assert.equal(state.ended, false);
    assert.equal(followHeadline(state), 'submitting…');
    assert.equal(followRollout({ ...TARGET, jobId: 'other' }, { snapshot: snapshot() }).phase, 'waiting', 'a job not in the store yet');
  });

  it('follows the recorded deployment as its events arrive: canary placed, healthy, waiting for promotion, promoted, successful', () => {
    let data = snapshot();
    data = applyNomadEvents(data, [event('Deployment', 'DeploymentStatusUpdate', recordedDeployment().ID, { Deployment: recordedDeployment() }, 19)]);
    let state = followRollout(TARGET, { snapshot: data });
    assert.equal(state.phase, 'deploying');
    assert.equal(state.version, 1);
    assert.equal(state.deploymentId, '70638f62-5c19-193e-30d6-f9d6e689ab8e');
    assert.equal(groupProgressWords(state.groups[0]!), 'cache: 1 placed · 0 healthy · 0 unhealthy of 3 · canary 0/1');
    assert.equal(followHeadline(state), 'deploying job version 1 · 0/3 healthy');
    assert.equal(state.awaitingPromotion, false, 'the canary is not healthy yet');

    const healthy = recordedDeployment();
    healthy.TaskGroups!.cache = { ...healthy.TaskGroups!.cache!, PlacedCanaries: ['a8198d79-cfdb-6593-a999-1e9adabcba2e'], HealthyAllocs: 1 };
    healthy.ModifyIndex = 20;
    data = applyNomadEvents(data, [event('Deployment', 'DeploymentStatusUpdate', healthy.ID, { Deployment: healthy }, 20)]);
    state = followRollout(TARGET, { snapshot: data });
    assert.equal(state.awaitingPromotion, true, 'a healthy canary, no auto_promote: someone must promote it');
    assert.equal(followHeadline(state), 'deploying job version 1 · 1/3 healthy · canary waiting for promotion');

    const autoPromoted = { ...healthy, TaskGroups: { cache: { ...healthy.TaskGroups!.cache!, AutoPromote: true } } };
    assert.equal(followRollout(TARGET, { snapshot: applyNomadEvents(data, [event('Deployment', 'DeploymentStatusUpdate', healthy.ID, { Deployment: autoPromoted }, 21)]) }).awaitingPromotion, false, 'auto_promote: Nomad promotes it');

    const done = { ...healthy, Status: 'successful', StatusDescription: 'Deployment completed successfully', TaskGroups: { cache: { ...healthy.TaskGroups!.cache!, Promoted: true, PlacedAllocs: 3, HealthyAllocs: 3 } } };
    data = applyNomadEvents(data, [event('Deployment', 'DeploymentStatusUpdate', healthy.ID, { Deployment: done }, 22)]);
    state = followRollout(TARGET, { snapshot: data });
    assert.equal(state.phase, 'successful');
    assert.equal(state.ended, true);
    assert.equal(followOutcome(state, 'example', 'prod'), 'example job version 1 on "prod": successful, 3/3 healthy.');
  });

  it('names the failing allocations and their reason, and says an auto-revert in words', () => {
    const failed = { ...recordedDeployment(), Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations - rolling back to job version 0' };
    const allocation = { ...recordedAllocation(), JobID: 'example', JobVersion: 1, ClientStatus: 'failed', FailureReason: 'Driver Failure: failed to pull image "redis:bad"' };
    // The rollback registers version 2: the follow stays on the version it deployed.
    const rolledBack = { ...recordedJob(), Version: 2, JobModifyIndex: 30 };
    const state = followRollout({ ...TARGET, version: 1 }, { snapshot: snapshot({ jobs: [rolledBack], deployments: [failed], allocations: [allocation] }) });
    assert.equal(state.phase, 'failed');
    assert.equal(state.version, 1);
    assert.equal(state.rolledBackTo, 0);
    assert.deepEqual(state.failingAllocations.map((a) => a.reason), ['Driver Failure: failed to pull image "redis:bad"']);
    assert.equal(followHeadline(state), 'failed job version 1 · rolled back to job version 0 (auto_revert)');
    const outcome = followOutcome(state, 'example', 'prod');
    // The task's failure first, in the cluster's words; the deployment's description (it only says
    // "unhealthy") after it; the rollback last.
    assert.equal(outcome, `example job version 1 on "prod": failed — Driver Failure: failed to pull image "redis:bad" (allocation ${allocation.ID.slice(0, 8)}). The deployment: Failed due to unhealthy allocations - rolling back to job version 0. Rolled back to job version 0 (auto_revert).`);
    // With the version's definition at hand, the version is named with its image: never "v1" beside a tag.
    const definition = { ...recordedJob(), Version: 1, TaskGroups: [{ Name: 'cache', Count: 1, Tasks: [{ Name: 'redis', Driver: 'docker', Config: { image: 'redis:bad' } }] }] };
    const named = followRollout({ ...TARGET, version: 1 }, { snapshot: snapshot({ jobs: [rolledBack], deployments: [failed], allocations: [allocation] }), definition: definition as never });
    assert.match(followOutcome(named, 'example', 'prod'), /^example job version 1 \(image bad\) on "prod": failed — /);
  });

  it('does not take an older deployment of the same version for this one', () => {
    const old = { ...recordedDeployment(), Status: 'successful', CreateIndex: 5 };
    assert.equal(followRollout(TARGET, { snapshot: snapshot({ deployments: [old] }) }).phase, 'waiting', 'created before the deploy');
  });

  it('follows a batch job, which has no deployment, through its allocations and its evaluation', () => {
    const definition = { ID: 'example', Name: 'example', Namespace: 'default', Type: 'batch', Status: 'running', Version: 1, TaskGroups: [{ Name: 'cache', Count: 1, Tasks: [] }] } as NomadJob;
    assert.equal(expectsDeployment(definition, 'batch'), false);
    const job = { ...recordedJob(), Type: 'batch' };
    const pending = { ...recordedAllocation(), JobID: 'example', JobVersion: 1, TaskGroup: 'cache', ClientStatus: 'pending', DesiredStatus: 'run' };
    // job-evaluations.json: the registration's evaluation, complete (its JobModifyIndex 7 is before the baseline here).
    const evaluations = recordedJson<NomadEvaluation[]>('nomad/job-evaluations.json').map((evaluation) => ({ ...evaluation, JobModifyIndex: 17, CreateIndex: 18 }));
    let state = followRollout(TARGET, { snapshot: snapshot({ jobs: [job], allocations: [pending] }), definition, evaluations });
    assert.equal(state.phase, 'placing');
    assert.equal(followHeadline(state), 'placing job version 1 · 0/1 running');
    state = followRollout(TARGET, { snapshot: snapshot({ jobs: [job], allocations: [{ ...pending, ClientStatus: 'complete' }] }), definition, evaluations });
    assert.equal(state.phase, 'successful');
  });

  it('explains a batch job\'s failed placement from the recorded blocked evaluation', () => {
    const definition = { ID: 'example', Name: 'example', Namespace: 'default', Type: 'batch', Status: 'pending', Version: 1, TaskGroups: [{ Name: 'cache', Count: 1, Tasks: [] }] } as NomadJob;
    const blocked = recordedJson<NomadEvaluation>('nomad/evaluation.json');
    const state = followRollout(TARGET, { snapshot: snapshot({ jobs: [{ ...recordedJob(), Type: 'batch' }] }), definition, evaluations: [blocked] });
    assert.equal(state.phase, 'placementFailed');
    assert.equal(state.ended, true);
    assert.deepEqual(state.placementFailures, [{ group: 'cache', reasons: ['no node is available in "dc1"'] }]);
    assert.match(followOutcome(state, 'example', 'prod'), /placement failed\. cache: no node is available in "dc1"/);
  });

  it('knows which jobs get deployments', () => {
    const service = (update: NomadJob['Update'], groupUpdate?: NomadJob['Update']) => ({ ID: 'a', Name: 'a', Namespace: 'default', Type: 'service', Status: 'running', Update: update, TaskGroups: [{ Name: 'g', Count: 1, Update: groupUpdate, Tasks: [] }] }) as NomadJob;
    assert.equal(expectsDeployment(service({ MaxParallel: 1 }), 'service'), true);
    assert.equal(expectsDeployment(service({ MaxParallel: 0 }), 'service'), false, 'no update block');
    assert.equal(expectsDeployment(service({ MaxParallel: 0 }, { MaxParallel: 2 }), 'service'), true, "the group's own update wins");
    assert.equal(expectsDeployment(undefined, 'system'), false);
    assert.equal(expectsDeployment(undefined, 'service'), undefined, 'not known before the definition arrives');
  });
});
