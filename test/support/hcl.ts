import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { createHclParser, parseHcl } from '../../src/core/jobspec/hclParser';
import { EcsScan, JobspecScan, scanEcsFile, scanJobspec } from '../../src/core/jobspec/imageScanner';

let parser: Promise<Parser> | undefined;

export function hclParser(): Promise<Parser> {
  parser ??= createHclParser();
  return parser;
}

export const JOBSPEC_FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'jobspecs');

export function fixture(name: string): string {
  return readFileSync(join(JOBSPEC_FIXTURES, name), 'utf8');
}

export async function scanJobspecText(text: string): Promise<JobspecScan> {
  return scanJobspec(parseHcl(await hclParser(), text), text);
}

export async function scanEcsText(text: string): Promise<EcsScan> {
  return scanEcsFile(parseHcl(await hclParser(), text), text);
}
