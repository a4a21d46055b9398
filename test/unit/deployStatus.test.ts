import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/http/apiError';
import { unknownStatusLens } from '../../src/core/jobspec/deployStatus';

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
