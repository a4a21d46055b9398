// The demo cluster's `/v1/jobs/parse`: a jobspec's HCL read with the project's own tree-sitter parser into
// the API JSON Nomad would answer, for the parts the demo's scheduler uses (groups, counts, update blocks,
// tasks, their config and services). It is a demo: it does not know every jobspec block, and it says so
// in the answer's `X-Hashistack-Demo` header. Variables' defaults fill `${var.x}`; runtime interpolations
// (`${attr.…}`, `${NOMAD_…}`) stay as written, as Nomad leaves them for the client.
import type { Node } from 'web-tree-sitter';
import { createHclParser, firstSyntaxError, parseHcl } from '../src/core/jobspec/hclParser';

export const DEMO_PARSER_NOTE = 'parsed by the Hashistack demo cluster (tree-sitter), not by Nomad';

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** A parse error in HCL's own words and range format (`input.hcl:3,5-9: …`), as Nomad answers it with a 400. */
export class DemoParseError extends Error {}

function named(node: Node | null | undefined, type: string): Node | undefined {
  return node?.namedChildren.find((child) => child?.type === type) ?? undefined;
}

function unescape(text: string): string {
  return text.replace(/\\(["\\nrt]|u[0-9a-fA-F]{4})/g, (_whole, code: string) => {
    switch (code[0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        return String.fromCharCode(parseInt(code.slice(1), 16));
      default:
        return code;
    }
  });
}

class Evaluator {
  constructor(private readonly variables: Record<string, Value>) {}

  expression(node: Node): Value {
    const inner = node.type === 'expression' ? node.namedChildren[0] : node;
    if (!inner) return null;
    switch (inner.type) {
      case 'literal_value':
        return this.literal(inner.namedChildren[0]!);
      case 'template_expr':
        return this.template(inner.namedChildren[0]!);
      case 'collection_value':
        return this.collection(inner.namedChildren[0]!);
      case 'operation': {
        const unary = named(inner, 'unary_operation');
        if (unary && unary.text.startsWith('-')) return -Number(this.expression(unary.namedChildren[0]!));
        return inner.text;
      }
      case 'variable_expr':
        return this.reference(node);
      default:
        if (node.namedChildren.some((child) => child?.type === 'get_attr')) return this.reference(node);
        return inner.text;
    }
  }

  private reference(node: Node): Value {
    const match = /^var\.([A-Za-z_][\w-]*)$/.exec(node.text.trim());
    if (match && Object.hasOwn(this.variables, match[1]!)) return this.variables[match[1]!]!;
    return node.text;
  }

  private literal(node: Node): Value {
    switch (node.type) {
      case 'numeric_lit':
        return Number(node.text);
      case 'bool_lit':
        return node.text === 'true';
      case 'null_lit':
        return null;
      case 'string_lit':
        return unescape(named(node, 'template_literal')?.text ?? '');
      default:
        return node.text;
    }
  }

  private template(node: Node): Value {
    const heredoc = node.type === 'heredoc_template';
    const parts: string[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'template_literal') parts.push(heredoc ? child.text : unescape(child.text));
      else if (child.type === 'template_interpolation') {
        const expression = named(child, 'expression');
        const value = expression ? this.expression(expression) : '';
        // What is not a variable the demo knows stays `${…}`, for the client to fill at run time.
        parts.push(expression && value === expression.text ? child.text : String(value));
      }
    }
    let text = parts.join('');
    if (heredoc) {
      // The parser's first literal starts after the first line's indentation: it belongs to the content.
      const first = node.namedChildren.find((child) => child?.type === 'template_literal' || child?.type === 'template_interpolation');
      const contentStart = node.text.indexOf('\n') + 1;
      if (first && contentStart > 0) text = node.text.slice(contentStart, first.startIndex - node.startIndex) + text;
      // …and the last line's newline, before the closing marker's line, is the content's too (HCL keeps it).
      const last = [...node.namedChildren].reverse().find((child) => child?.type === 'template_literal' || child?.type === 'template_interpolation');
      const closingLine = node.text.lastIndexOf('\n') + 1;
      if (last && closingLine > last.endIndex - node.startIndex) text += node.text.slice(last.endIndex - node.startIndex, closingLine);
    }
    if (heredoc && /^<<-/.test(node.text)) {
      const lines = text.split('\n');
      const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^[ \t]*/.exec(line)![0].length));
      text = lines.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
    }
    return text;
  }

  private collection(node: Node): Value {
    if (node.type === 'tuple') return node.namedChildren.filter((child): child is Node => child?.type === 'expression').map((child) => this.expression(child));
    const object: Record<string, Value> = {};
    for (const element of node.namedChildren) {
      if (element?.type !== 'object_elem') continue;
      const key = element.childForFieldName('key');
      const value = element.childForFieldName('val');
      if (!key || !value) continue;
      const keyText = key.text.trim();
      const name = /^[A-Za-z_][\w-]*$/.test(keyText) ? keyText : String(this.expression(key));
      object[name] = this.expression(value);
    }
    return object;
  }
}

interface Block {
  type: string;
  labels: string[];
  attributes: Record<string, Value>;
  blocks: Block[];
}

function readBlock(node: Node, evaluator: Evaluator): Block {
  const labels = node.namedChildren.filter((child): child is Node => child?.type === 'string_lit').map((label) => named(label, 'template_literal')?.text ?? '');
  return { type: named(node, 'identifier')?.text ?? '', labels, ...readBody(named(node, 'body'), evaluator) };
}

function readBody(body: Node | undefined, evaluator: Evaluator): { attributes: Record<string, Value>; blocks: Block[] } {
  const attributes: Record<string, Value> = {};
  const blocks: Block[] = [];
  for (const child of body?.namedChildren ?? []) {
    if (child?.type === 'attribute') {
      const name = named(child, 'identifier')?.text;
      const expression = named(child, 'expression');
      if (name && expression) attributes[name] = evaluator.expression(expression);
    } else if (child?.type === 'block') {
      blocks.push(readBlock(child, evaluator));
    }
  }
  return { attributes, blocks };
}

function nanoseconds(duration: Value | undefined): number | undefined {
  if (typeof duration !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(duration);
  if (!match) return undefined;
  const scale: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  return Math.round(Number(match[1]) * scale[match[2]!]!);
}

function update(block: Block | undefined, inherited?: Record<string, unknown>): Record<string, unknown> | null {
  if (!block) return inherited ? { ...inherited } : null;
  const a = block.attributes;
  return {
    ...inherited,
    ...(a.max_parallel !== undefined ? { MaxParallel: Number(a.max_parallel) } : {}),
    ...(a.canary !== undefined ? { Canary: Number(a.canary) } : {}),
    ...(a.auto_revert !== undefined ? { AutoRevert: Boolean(a.auto_revert) } : {}),
    ...(a.auto_promote !== undefined ? { AutoPromote: Boolean(a.auto_promote) } : {}),
    ...(a.health_check !== undefined ? { HealthCheck: String(a.health_check) } : {}),
    ...(a.min_healthy_time !== undefined ? { MinHealthyTime: nanoseconds(a.min_healthy_time) } : {}),
    ...(a.healthy_deadline !== undefined ? { HealthyDeadline: nanoseconds(a.healthy_deadline) } : {}),
  };
}

function services(blocks: Block[]): Record<string, unknown>[] | null {
  const found = blocks.filter((block) => block.type === 'service');
  if (found.length === 0) return null;
  return found.map((service) => ({
    Name: service.attributes.name ?? '',
    PortLabel: service.attributes.port ?? '',
    Tags: service.attributes.tags ?? null,
    Provider: service.attributes.provider ?? 'consul',
    Checks: service.blocks.filter((block) => block.type === 'check').map((check) => ({ Type: check.attributes.type, Path: check.attributes.path ?? '', Interval: nanoseconds(check.attributes.interval), Timeout: nanoseconds(check.attributes.timeout) })),
  }));
}

/** A task's `template` blocks as Nomad's API has them (what the allocation renders). */
function templates(blocks: Block[]): Record<string, unknown>[] | null {
  const found = blocks.filter((block) => block.type === 'template');
  if (found.length === 0) return null;
  return found.map((template) => ({
    DestPath: template.attributes.destination ?? '',
    EmbeddedTmpl: template.attributes.data ?? '',
    ChangeMode: template.attributes.change_mode ?? 'restart',
    Envvars: template.attributes.env ?? false,
  }));
}

/** A task's `action` blocks as Nomad's API has them (Nomad 1.7+: what `nomad action` runs). */
function actions(blocks: Block[]): Record<string, unknown>[] | null {
  const found = blocks.filter((block) => block.type === 'action');
  if (found.length === 0) return null;
  return found.map((action) => ({ Name: action.labels[0] ?? '', Command: action.attributes.command ?? '', Args: action.attributes.args ?? null }));
}

let parserLoading: ReturnType<typeof createHclParser> | undefined;

/** The jobspec as `/v1/jobs/parse` answers (not canonicalized), or a DemoParseError with HCL's range. */
export async function parseDemoJobspec(hcl: string, variableValues: Record<string, string> = {}): Promise<Record<string, unknown>> {
  parserLoading ??= createHclParser();
  const parser = await parserLoading;
  const tree = parseHcl(parser, hcl);
  try {
    const error = firstSyntaxError(tree.rootNode);
    if (error) {
      const start = error.startPosition;
      const end = error.endPosition;
      const range = start.row === end.row ? `${start.row + 1},${start.column + 1}-${end.column + 1}` : `${start.row + 1},${start.column + 1}-${end.row + 1},${end.column + 1}`;
      throw new DemoParseError(`input.hcl:${range}: ${error.isMissing ? `Missing ${error.type}` : 'Invalid syntax'}; the text here is not valid HCL (${DEMO_PARSER_NOTE}).`);
    }
    const variables: Record<string, Value> = {};
    const topLevel = readBody(named(tree.rootNode, 'body'), new Evaluator({}));
    for (const block of topLevel.blocks.filter((candidate) => candidate.type === 'variable')) {
      const name = block.labels[0];
      if (name) variables[name] = variableValues[name] ?? block.attributes.default ?? null;
    }
    const { blocks } = readBody(named(tree.rootNode, 'body'), new Evaluator(variables));
    const jobs = blocks.filter((block) => block.type === 'job');
    if (jobs.length !== 1) throw new DemoParseError(`input.hcl:1,1-1: ${jobs.length === 0 ? 'Missing job block; a jobspec needs one job "<id>" block' : 'Duplicate job block; only one job block is allowed'} (${DEMO_PARSER_NOTE}).`);
    const job = jobs[0]!;
    const a = job.attributes;
    const jobUpdate = update(job.blocks.find((block) => block.type === 'update'));
    return {
      ID: job.labels[0] ?? '',
      Name: a.name ?? job.labels[0] ?? '',
      Namespace: a.namespace ?? null,
      Region: a.region ?? null,
      Type: a.type ?? null,
      Priority: a.priority ?? null,
      Datacenters: a.datacenters ?? null,
      NodePool: a.node_pool ?? null,
      Meta: job.blocks.find((block) => block.type === 'meta')?.attributes ?? null,
      Update: jobUpdate,
      TaskGroups: job.blocks
        .filter((block) => block.type === 'group')
        .map((group) => ({
          Name: group.labels[0] ?? '',
          Count: group.attributes.count ?? null,
          Update: update(group.blocks.find((block) => block.type === 'update'), jobUpdate ?? undefined),
          Services: services(group.blocks),
          Tasks: group.blocks
            .filter((block) => block.type === 'task')
            .map((task) => {
              const resources = task.blocks.find((block) => block.type === 'resources')?.attributes;
              return {
                Name: task.labels[0] ?? '',
                Driver: task.attributes.driver ?? '',
                Config: task.blocks.find((block) => block.type === 'config')?.attributes ?? null,
                Env: task.blocks.find((block) => block.type === 'env')?.attributes ?? null,
                Resources: resources ? { CPU: resources.cpu ?? null, MemoryMB: resources.memory ?? null } : null,
                Services: services(task.blocks),
                Templates: templates(task.blocks),
                Actions: actions(task.blocks),
              };
            }),
        })),
    };
  } finally {
    tree.delete();
  }
}
