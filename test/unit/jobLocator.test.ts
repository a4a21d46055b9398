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

describe('workspace search honours the user excludes', () => {
  it("folds files.exclude and search.exclude (patterns set to true) into one glob, with the folders always left out", async () => {
    const { workspaceExcludeGlob } = await import('../../src/core/jobspec/jobLocator');
    const glob = workspaceExcludeGlob({ '**/.history': true, '**/.git': true, '**/*.bak': true, '**/off': false }, { '**/.code-server': true, '**/*.{js,map}': true });
    const patterns = glob.slice(1, -1).split(',');
    for (const expected of ['**/node_modules/**', '**/.git/**', '**/.terraform/**', '**/.history', '**/.history/**', '**/*.bak', '**/.code-server/**']) {
      assert.ok(patterns.includes(expected), `${expected} in ${glob}`);
    }
    assert.ok(!patterns.some((pattern) => pattern.includes('off')), 'a pattern set to false is not excluded');
    assert.ok(!glob.slice(1, -1).includes('{'), 'no nested brace group (findFiles cannot read one)');
  });
});
