import * as assert from 'node:assert/strict';
import { innermost, parseErrorProblems, validationProblems } from '../../src/core/deploy/jobValidation';
import { createHclParser, parseHcl } from '../../src/core/jobspec/hclParser';
import { jobspecSymbols } from '../../src/core/jobspec/jobspecOutline';
import { NomadValidateResponse } from '../../src/core/nomad/nomadApi';
import { recordedJson } from '../support/recorded';

const EXAMPLE = 'job "example" {\n  group "cache" {\n    count = 1\n    task "redis" {\n      driver = "docker"\n      resources { cpu = 1 }\n    }\n  }\n}\n';

describe("Nomad's validation of a jobspec, at its place in the file", () => {
  it('puts the recorded validation error on the task and the warning on the group it names', async () => {
    const parser = await createHclParser();
    const tree = parseHcl(parser, EXAMPLE);
    const problems = validationProblems(recordedJson<NomadValidateResponse>('nomad/validate-job.json'), jobspecSymbols(tree), 'example');
    tree.delete();
    assert.deepEqual(problems, [
      { range: { startLine: 3, startCharacter: 10, endLine: 3, endCharacter: 15 }, severity: 'error', message: 'Nomad: task redis: minimum CPU value is 20; got 1' },
      { range: { startLine: 1, startCharacter: 9, endLine: 1, endCharacter: 14 }, severity: 'warning', message: 'Nomad: group cache: Update max parallel count is greater than task group count (13 > 1). A destructive change would result in the simultaneous replacement of all allocations.' },
    ]);
  });

  it('puts each parse error at its line and column (HCL counts from 1)', () => {
    const problems = parseErrorProblems('input.hcl:3,13-14: Invalid expression; Expected the start of an expression, but found an invalid expression token., and 1 other diagnostic(s)');
    assert.deepEqual(problems, [{ range: { startLine: 2, startCharacter: 12, endLine: 2, endCharacter: 13 }, severity: 'error', message: 'Nomad: Invalid expression; Expected the start of an expression, but found an invalid expression token.' }]);
    assert.equal(parseErrorProblems('error parsing: no position')[0]!.range.startLine, 0, 'without a position: the top of the file');
  });

  it('reads a multierror down to its point', () => {
    assert.equal(innermost('1 error(s) occurred:\n\n* Task redis validation failed: 1 error(s) occurred:\n\n* Missing task driver'), 'Missing task driver');
    assert.equal(innermost('Missing job task groups'), 'Missing job task groups');
  });
});
