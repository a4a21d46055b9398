import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/http/apiError';
import { jobStatusLens, unknownStatusLens } from '../../src/core/jobspec/deployStatus';
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
    assert.equal(lens.title, 'deploying v1 · 0/3 healthy · file matches');
    assert.equal(lens.rolling, true);
  });

  it('says the canary waits for promotion, and goes back to what runs once the deployment ended', () => {
    const waiting = recordedJson<NomadDeployment>('nomad/deployment.json');
    waiting.TaskGroups!.cache = { ...waiting.TaskGroups!.cache!, PlacedCanaries: ['a8198d79'], HealthyAllocs: 1 };
    assert.match(jobStatusLens('example', 'default', [], snapshot(waiting), definition, 'prod')!.title, /^deploying v1 · 1\/3 healthy · canary waiting for promotion/);
    const done = { ...waiting, Status: 'successful' };
    const lens = jobStatusLens('example', 'default', [], snapshot(done), definition, 'prod')!;
    // The recorded job stub is "pending": what the job says again, once nothing rolls.
    assert.equal(lens.title, 'pending · 1/3 healthy · file matches');
    assert.equal(lens.rolling, false);
  });
});
