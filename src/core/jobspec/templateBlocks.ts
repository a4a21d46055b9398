// The `template` blocks of a jobspec with their `data` as consul-template receives it, and where each of its
// characters is in the file: a heredoc's content is the file's text as it is; a quoted string's escapes
// (`\"`, `\n`, `\\`) are decoded and each decoded character keeps the offset of what it came from.
import type { Node, Tree } from 'web-tree-sitter';
import { child } from './jobspecOutline';
import { attributeIn, blocksOfType, label, literalOf } from './jobspecPlaces';

export interface JobspecTemplate {
  jobId: string;
  /** The job's `namespace` when it is a literal, else `default` (what the CLI registers it in without -namespace). */
  namespace: string;
  group: string;
  task: string;
  destination?: string;
  /** The template block's first line (`template {`), as file offsets: where a preview lens goes. */
  blockStart: number;
  /** The template's text as consul-template gets it (before HCL's own `${…}` are evaluated: those stay as text). */
  source: string;
  /** `<<-` heredocs: consul-template gets the text with the common indentation removed. */
  indented: boolean;
  /** The file offset of each character of `source`, and one past its end. */
  offsets: number[];
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Every template with its data in a file's jobs, in the file's order. */
export function jobspecTemplates(tree: Tree, text: string): JobspecTemplate[] {
  const templates: JobspecTemplate[] = [];
  for (const job of blocksOfType(child(tree.rootNode, 'body') ?? tree.rootNode, 'job')) {
    const jobId = label(job);
    if (jobId === undefined) continue;
    const namespaceValue = literalOf(attributeIn(job, 'namespace'));
    const namespace = namespaceValue && /^[a-zA-Z0-9-]+$/.test(namespaceValue) ? namespaceValue : 'default';
    for (const group of blocksOfType(child(job, 'body'), 'group')) {
      for (const task of blocksOfType(child(group, 'body'), 'task')) {
        for (const block of blocksOfType(child(task, 'body'), 'template')) {
          const data = dataOf(attributeIn(block, 'data'), text);
          if (!data) continue;
          templates.push({ jobId, namespace, group: label(group) ?? '', task: label(task) ?? '', destination: literalOf(attributeIn(block, 'destination')), blockStart: block.startIndex, ...data });
        }
      }
    }
  }
  return templates;
}

function dataOf(attribute: Node | undefined, text: string): Pick<JobspecTemplate, 'source' | 'offsets' | 'indented'> | undefined {
  const expression = attribute && child(attribute, 'expression');
  if (!expression || expression.hasError) return undefined;
  const heredoc = expression.descendantsOfType('heredoc_template')[0];
  if (heredoc) {
    const identifiers = heredoc.namedChildren.filter((part) => part?.type === 'heredoc_identifier');
    const open = identifiers[0];
    const close = identifiers.at(-1);
    if (!open || !close || open.id === close.id) return undefined;
    const start = text.indexOf('\n', open.endIndex) + 1;
    const end = text.lastIndexOf('\n', close.startIndex) + 1;
    if (start <= 0 || end < start) return undefined;
    const offsets = Array.from({ length: end - start + 1 }, (_, index) => start + index);
    return { source: text.slice(start, end), offsets, indented: heredoc.child(0)?.text === '<<-' };
  }
  const quoted = expression.descendantsOfType('string_lit')[0];
  // Only a string that is the whole value (not one inside a function call or a list).
  if (!quoted || quoted.parent?.parent?.id !== expression.id) return undefined;
  const opening = quoted.firstChild;
  const closing = quoted.lastChild;
  if (opening?.type !== 'quoted_template_start' || closing?.type !== 'quoted_template_end') return undefined;
  let source = '';
  const offsets: number[] = [];
  for (let at = opening.endIndex; at < closing.startIndex; at++) {
    const char = text[at]!;
    if (char === '\\' && at + 1 < closing.startIndex && text[at + 1]! in ESCAPES) {
      source += ESCAPES[text[at + 1]!];
      offsets.push(at);
      at++;
      continue;
    }
    source += char;
    offsets.push(at);
  }
  offsets.push(closing.startIndex);
  return { source, offsets, indented: false };
}

/** `<<-`: consul-template gets the lines without the indentation they all share (blank lines aside). */
export function templateText(template: Pick<JobspecTemplate, 'source' | 'indented'>): string {
  if (!template.indented) return template.source;
  const lines = template.source.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(Math.min(common, /^[ \t]*/.exec(line)![0].length))).join('\n');
}
