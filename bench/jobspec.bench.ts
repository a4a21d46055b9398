// Jobspec scanning on a 5,000-line jobspec: full parse, incremental reparse after a one-character
// edit (what typing costs), the scan that finds every job and image, and a bump.
import { bumpEdit } from '../src/core/jobspec/bumpEdit';
import { createHclParser, parseHcl } from '../src/core/jobspec/hclParser';
import { scanJobspec } from '../src/core/jobspec/imageScanner';
import { JobspecDocument, TextChange } from '../src/core/jobspec/jobspecDocument';
import { jobspecSymbols, semanticTokens } from '../src/core/jobspec/jobspecOutline';
import { jobspecDiagnostics } from '../src/core/jobspec/tagDiagnostics';

const RUNS = 15;

/** A jobspec of `lines` lines: jobs of one group with three tasks, each with an image. */
export function largeJobspec(lines: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let job = 0; count < lines; job++) {
    const block = [
      `job "service-${job}" {`,
      '  datacenters = ["dc1"]',
      '  type        = "service"',
      '',
      '  update {',
      '    max_parallel = 1',
      '    auto_revert  = true',
      '  }',
      '',
      `  group "app-${job}" {`,
      '    count = 2',
      ...[0, 1, 2].flatMap((task) => [
        `    task "task-${task}" {`,
        '      driver = "docker"',
        '      config {',
        `        image = "registry.example.com:5000/team/app-${job}-${task}:1.${job % 10}.${task}" # pinned`,
        '        ports = ["http"]',
        '      }',
        '      resources {',
        '        cpu    = 100',
        '        memory = 128',
        '      }',
        '    }',
      ]),
      '  }',
      '}',
      '',
    ];
    parts.push(...block);
    count += block.length;
  }
  return parts.slice(0, lines).join('\n') + '\n';
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function time(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const parser = await createHclParser();
  let text = largeJobspec(5000);
  // Cut at the last complete job so the file is valid.
  text = text.slice(0, text.lastIndexOf('\n}\n') + 3);
  const lineCount = text.split('\n').length - 1;
  const fullParse: number[] = [];
  const scans: number[] = [];
  const incremental: number[] = [];
  const bumps: number[] = [];
  const outlines: number[] = [];
  const colours: number[] = [];
  const checks: number[] = [];
  let images = 0;
  for (let run = 0; run < RUNS + 2; run++) {
    let tree = parseHcl(parser, text);
    const parseMs = time(() => {
      tree.delete();
      tree = parseHcl(parser, text);
    });
    let scan = scanJobspec(tree, text);
    const scanMs = time(() => {
      scan = scanJobspec(tree, text);
    });
    images = scan.images.length;
    const outlineMs = time(() => void jobspecSymbols(tree));
    const coloursMs = time(() => void semanticTokens(tree, text));
    // The editor checks with the scan it already keeps for the lenses.
    const checksMs = time(() => void jobspecDiagnostics(tree, text, 'jobspec', {}, scan.images));
    // Type one character in the middle of the file, then reparse and rescan incrementally.
    const document = new JobspecDocument(parser, 'jobspec', text);
    void document.scan;
    const offset = scan.images[Math.floor(scan.images.length / 2)]!.tag!.start;
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    const character = offset - (before.lastIndexOf('\n') + 1);
    const change: TextChange = { rangeOffset: offset, rangeLength: 0, text: '9', range: { start: { line, character }, end: { line, character } } };
    const edited = text.slice(0, offset) + '9' + text.slice(offset);
    const incrementalMs = time(() => {
      document.applyChanges([change], edited);
      void document.scan;
    });
    document.dispose();
    const site = scan.images[scan.images.length - 1]!;
    const bumpMs = time(() => {
      bumpEdit(site, 'patch');
    });
    tree.delete();
    if (run >= 2) {
      fullParse.push(parseMs);
      scans.push(scanMs);
      incremental.push(incrementalMs);
      bumps.push(bumpMs);
      outlines.push(outlineMs);
      colours.push(coloursMs);
      checks.push(checksMs);
    }
  }
  console.log(`Jobspec benchmark: ${lineCount} lines, ${images} images; median of ${RUNS} runs (after 2 warm-ups).\n`);
  console.log('| step | ms |');
  console.log('|---|---|');
  console.log(`| full parse (tree-sitter) | ${median(fullParse).toFixed(2)} |`);
  console.log(`| scan: every job, group, task and image | ${median(scans).toFixed(2)} |`);
  console.log(`| one keystroke: incremental reparse + rescan | ${median(incremental).toFixed(2)} |`);
  console.log(`| bump edit of one image | ${median(bumps).toFixed(3)} |`);
  console.log(`| outline: every job, group, task and service | ${median(outlines).toFixed(2)} |`);
  console.log(`| semantic tokens of the whole file | ${median(colours).toFixed(2)} |`);
  console.log(`| diagnostics of the whole file (tags, images) | ${median(checks).toFixed(2)} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
