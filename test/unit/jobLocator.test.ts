import * as assert from 'node:assert/strict';
import { findJobDeclarations } from '../../src/core/jobspec/jobLocator';

describe('findJobDeclarations', () => {
  it('finds job blocks with their line and column', () => {
    const text = '# job "commented" {\nvariable "x" {}\n\njob "traefik" {\n  group "g" {}\n}\n  job "two" {\n}\n';
    assert.deepEqual(findJobDeclarations(text), [
      { id: 'traefik', line: 3, character: 0 },
      { id: 'two', line: 6, character: 2 },
    ]);
  });

  it('ignores a job word inside strings or other blocks on the same line', () => {
    assert.deepEqual(findJobDeclarations('meta { x = "job \\"y\\" {" }\n'), []);
  });
});
