// Nomad's validation of a jobspec (`POST /v1/jobs/parse`, then `POST /v1/validate/job`) as problems at
// their place in the file: parse errors carry HCL's `input.hcl:line,col`; validation errors name the task
// group and the task ("Task group cache validation failed: … Task redis validation failed: …").
import { JobspecSymbol, Span } from '../jobspec/jobspecOutline';
import { errorPositions } from './planDocument';
import { NomadValidateResponse } from '../nomad/nomadApi';

export type { NomadValidateResponse } from '../nomad/nomadApi';

export interface ValidationProblem {
  range: Span;
  severity: 'error' | 'warning';
  message: string;
}

/** The innermost point of a multierror text: its last `* …` item (or the text when it has none). */
export function innermost(message: string): string {
  const items = message.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('* ')).map((line) => line.slice(2));
  const last = items.at(-1) ?? message.trim();
  return last.replace(/^\d+ (?:error|warning)\(s\) occurred:?$/, message.trim());
}

function find(symbols: readonly JobspecSymbol[], kind: JobspecSymbol['kind'], name: string): JobspecSymbol | undefined {
  for (const symbol of symbols) {
    if (symbol.kind === kind && symbol.name === name) return symbol;
    const inner = find(symbol.children, kind, name);
    if (inner) return inner;
  }
  return undefined;
}

/** Where a validation message points: the task it names, else its group, else the job. */
function placeOf(message: string, symbols: readonly JobspecSymbol[], jobId: string): { span: Span; where: string } {
  const job = find(symbols, 'job', jobId) ?? symbols.find((symbol) => symbol.kind === 'job');
  const group = /Task group (\S+) validation failed|Group "([^"]+)" has warnings/.exec(message);
  const groupName = group?.[1] ?? group?.[2];
  const groupSymbol = groupName ? find(job?.children ?? [], 'group', groupName) : undefined;
  const task = /Task (\S+) validation failed/.exec(message)?.[1];
  const taskSymbol = task ? find(groupSymbol?.children ?? job?.children ?? [], 'task', task) : undefined;
  const symbol = taskSymbol ?? groupSymbol ?? job;
  const where = taskSymbol ? `task ${task}` : groupSymbol ? `group ${groupName}` : `job ${jobId}`;
  return { span: symbol?.selection ?? { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 }, where };
}

/** A parse error of Nomad's at its positions (HCL lines and columns are 1-based). */
export function parseErrorProblems(message: string): ValidationProblem[] {
  const positions = errorPositions(message);
  const text = message.replace(/^Failed to parse job:\s*/i, '');
  if (positions.length === 0) return [{ range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 }, severity: 'error', message: `Nomad: ${text}` }];
  return positions.map((position, index) => {
    const next = positions[index + 1];
    const own = message.slice(position.offset + position.text.length, next ? next.offset : undefined).replace(/^:\s*/, '').replace(/,\s*and \d+ other diagnostic\(s\)$/, '').trim();
    return { range: { startLine: position.line - 1, startCharacter: position.column - 1, endLine: position.line - 1, endCharacter: position.column }, severity: 'error', message: `Nomad: ${own || text}` };
  });
}

/** Validation errors and warnings at the task, group or job they name. */
export function validationProblems(response: NomadValidateResponse, symbols: readonly JobspecSymbol[], jobId: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const error of response.ValidationErrors ?? []) {
    const { span, where } = placeOf(error, symbols, jobId);
    problems.push({ range: span, severity: 'error', message: `Nomad: ${where}: ${innermost(error)}` });
  }
  if (response.Warnings) {
    // Several warnings come as one multierror: each `* Group "x" has warnings: …` item is one.
    const items = response.Warnings.split(/\n\* (?=Group ")/).slice(1);
    for (const item of items.length ? items : [response.Warnings]) {
      const { span, where } = placeOf(item, symbols, jobId);
      problems.push({ range: span, severity: 'warning', message: `Nomad: ${where}: ${innermost(item)}` });
    }
  }
  return problems;
}
