import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/http/apiError';
import { imageHoverLines, jobStatusLens, unknownStatusLens } from '../../src/core/jobspec/deployStatus';
import { NomadDeployment, NomadJob, NomadJobListStub } from '../../src/core/nomad/nomadApi';
import { NomadSectionData } from '../../src/core/tree/nomad/nomadProperties';
import { recordedJson } from '../support/recorded';

describe('The status lens when Nomad cannot be asked', () => {
  it('says "status unknown — Nomad unreachable" instead of going silent, with the error in its tooltip', () => {
    const error = new ApiError({ kind: 'unreachable', product: 'Nomad', address: 'http://127.0.0.1:4646', path: '/v1/jobs', reason: 'connection refused' });
    const lens = unknownStatusLens(error);
    assert.equal(lens.title, 'status unknown — Nomad unreachable');
    assert.equal(lens.tooltip, 'Cannot reach Nomad at http://127.0.0.1:4646: connection refused');
    assert.equal(lens.differs, true);
  });

  it('names the other failures in their own words', () => {
    const forbidden = new ApiError({ kind: 'forbidden', product: 'Nomad', address: 'http://n', path: '/v1/jobs', reason: 'Permission denied' });
    assert.equal(unknownStatusLens(forbidden).title, 'status unknown — Nomad refused the token');
    assert.equal(unknownStatusLens(new Error('NOMAD_ADDR is "ftp://x"')).title, 'status unknown — Nomad failed');
  });
});

describe('The status lens while a deployment rolls (this editor\'s or anyone\'s)', () => {
  const job = { ...recordedJson<NomadJobListStub[]>('nomad/jobs.json')[0]!, Version: 1, JobModifyIndex: 17 };
  const definition = recordedJson<NomadJob>('nomad/job-example.json');
  const snapshot = (deployment: NomadDeployment): NomadSectionData => ({ jobs: [job], allocations: [], deployments: [deployment], nodes: [], namespace: 'default' });

  it('says deploying with the version and health from the recorded running deployment', () => {
    const lens = jobStatusLens('example', 'default', [], snapshot(recordedJson<NomadDeployment>('nomad/deployment.json')), definition, 'prod');
    assert.ok(lens);
    assert.equal(lens.title, 'deploying job version 1 · 0/3 healthy · file matches');
    assert.equal(lens.rolling, true);
  });

  it('says the canary waits for promotion, and goes back to what runs once the deployment ended', () => {
    const waiting = recordedJson<NomadDeployment>('nomad/deployment.json');
    waiting.TaskGroups!.cache = { ...waiting.TaskGroups!.cache!, PlacedCanaries: ['a8198d79'], HealthyAllocs: 1 };
    assert.match(jobStatusLens('example', 'default', [], snapshot(waiting), definition, 'prod')!.title, /^deploying job version 1 · 1\/3 healthy · canary waiting for promotion/);
    const done = { ...waiting, Status: 'successful' };
    const lens = jobStatusLens('example', 'default', [], snapshot(done), definition, 'prod')!;
    // The recorded job stub is "pending": what the job says again, once nothing rolls.
    assert.equal(lens.title, 'pending · 1/3 healthy · file matches');
    assert.equal(lens.rolling, false);
  });
});

describe('The hover on an image: what runs now, from the store', () => {
  const job = { ...recordedJson<NomadJobListStub[]>('nomad/jobs.json')[0]!, Version: 2, Status: 'running' };
  const definition = recordedJson<NomadJob>('nomad/job-example.json');
  const site = { owner: 'job "example" › group "cache" › task "redis"', target: '', jobId: 'example', text: 'redis:7.2.4', start: 0, end: 11, reference: { text: 'redis:7.2.4', repository: 'redis' }, bumpable: true, ownerLine: 0 } as unknown as Parameters<typeof imageHoverLines>[2];
  const allocation = recordedJson<NomadSectionData['allocations']>('nomad/allocations.json')[0]!;

  it('says the version, the image the task runs, the health, and a mixed rollout by version', () => {
    const snapshot: NomadSectionData = {
      jobs: [job],
      allocations: [{ ...allocation, JobID: 'example', JobVersion: 2, ClientStatus: 'running', DesiredStatus: 'run' }, { ...allocation, ID: 'b', JobID: 'example', JobVersion: 1, ClientStatus: 'running', DesiredStatus: 'run' }],
      deployments: [recordedJson<NomadDeployment>('nomad/deployment.json')],
      nodes: [],
      namespace: 'default',
    };
    assert.deepEqual(imageHoverLines('example', 'default', site, snapshot, definition, 'prod'), [
      'example on "prod": running v2 · task redis runs redis:latest',
      '0/3 healthy · deployment of v1 running',
      'allocations by version: v2 ×1, v1 ×1 (a rollout is mixed)',
      'the file has redis:7.2.4: not deployed',
    ]);
  });

  it('says when the job is not there, or nothing is loaded yet', () => {
    assert.deepEqual(imageHoverLines('ghost', 'default', site, { jobs: [], allocations: [], deployments: [], nodes: [], namespace: 'default' }, undefined, 'prod'), ['Job "ghost" is not deployed on "prod".']);
    assert.match(imageHoverLines('example', 'default', site, undefined, undefined, 'prod')[0]!, /not known yet/);
  });
});
