// What a `template` block reads from the cluster: Nomad variables and their items, Consul keys and key
// prefixes, Consul and Nomad services — each with the exact span of its name in the template text.
import { Operand, parseTemplate, Pipeline, Span, TemplateNode, TemplateSyntaxError } from './goTemplate';

export type TemplateReference =
  /** `nomadVar "path"` (`path@namespace` names another namespace). */
  | ({ kind: 'variable'; path: string; namespace?: string } & Span)
  /** `.item` under `with nomadVar "path"`, `$v.item` of `$v := nomadVar …`, `(nomadVar "path").item`. */
  | ({ kind: 'variableItem'; path: string; namespace?: string; item: string } & Span)
  /** `key "k"` (waits until the key exists) or `keyOrDefault "k" "default"` (renders the default). */
  | ({ kind: 'key'; key: string; orDefault: boolean } & Span)
  /** `ls "prefix"` / `tree "prefix"`: what is under a prefix (nothing renders nothing). */
  | ({ kind: 'keyPrefix'; prefix: string; function: 'ls' | 'tree' } & Span)
  /** `service "[tag.]name[@dc]"`: a Consul service's healthy instances. */
  | ({ kind: 'service'; name: string; tag?: string } & Span)
  /** `nomadService "name"`: a Nomad-native service. */
  | ({ kind: 'nomadService'; name: string } & Span);

export interface TemplateAnalysis {
  references: TemplateReference[];
  /** Where the template does not parse, as consul-template would refuse it. */
  syntaxError?: { message: string; at: number };
}

/** The functions of consul-template and Nomad that read cluster data, by what they read. */
const READERS = { nomadVar: 'variable', key: 'key', keyOrDefault: 'key', ls: 'keyPrefix', tree: 'keyPrefix', service: 'service', nomadService: 'nomadService' } as const;

/** `path@namespace.region` → path and namespace (Nomad's syntax for another namespace). */
export function variableAddress(value: string): { path: string; namespace?: string } {
  const at = value.indexOf('@');
  if (at < 0) return { path: value };
  return { path: value.slice(0, at), namespace: value.slice(at + 1).split('.')[0] || undefined };
}

/** consul-template's service query `[tag.]name[@dc][~near]` → name and tag. */
export function serviceQuery(value: string): { name: string; tag?: string } {
  const base = value.split('@')[0]!.split('~')[0]!;
  const dot = base.lastIndexOf('.');
  return dot < 0 ? { name: base } : { name: base.slice(dot + 1), tag: base.slice(0, dot) };
}

export function analyzeTemplate(source: string): TemplateAnalysis {
  let nodes: TemplateNode[];
  try {
    nodes = parseTemplate(source);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { references: [], syntaxError: { message: error.message, at: error.at } };
    throw error;
  }
  const references: TemplateReference[] = [];
  /** Template variables bound to a variable's items (`$v := nomadVar "p"`). */
  const variables = new Map<string, { path: string; namespace?: string }>();

  /** The variable a pipeline's value is, when it is exactly `nomadVar "p"` (what `with` makes the dot). */
  const variableOfPipeline = (pipeline: Pipeline): { path: string; namespace?: string } | undefined => {
    const command = pipeline.commands.length === 1 ? pipeline.commands[0]! : undefined;
    const [head, argument] = command?.operands ?? [];
    return head?.kind === 'identifier' && head.name === 'nomadVar' && argument?.kind === 'string' && command!.operands.length === 2 ? variableAddress(argument.value) : undefined;
  };

  const visitOperand = (operand: Operand, dot: { path: string; namespace?: string } | undefined): void => {
    if (operand.kind === 'pipeline') visitPipeline(operand.pipeline, dot);
    if (operand.kind === 'field') {
      const bound = operand.receiver?.kind === 'pipeline' ? variableOfPipeline(operand.receiver.pipeline) : operand.receiver ? undefined : dot;
      if (operand.receiver) visitOperand(operand.receiver, dot);
      if (bound && operand.names[0]) {
        const nameStart = operand.end - operand.names.join('.').length;
        references.push({ kind: 'variableItem', ...bound, item: operand.names[0], start: nameStart, end: nameStart + operand.names[0].length });
      }
    }
    if (operand.kind === 'variable' && operand.fields[0]) {
      const bound = variables.get(operand.name);
      if (bound) {
        const itemStart = operand.start + operand.name.length + 1;
        references.push({ kind: 'variableItem', ...bound, item: operand.fields[0], start: itemStart, end: itemStart + operand.fields[0].length });
      }
    }
  };

  const visitPipeline = (pipeline: Pipeline, dot: { path: string; namespace?: string } | undefined): void => {
    for (const command of pipeline.commands) {
      const [head, argument] = command.operands;
      const reader = head?.kind === 'identifier' ? (READERS as Record<string, (typeof READERS)[keyof typeof READERS]>)[head.name] : undefined;
      if (reader && head?.kind === 'identifier' && argument?.kind === 'string' && Object.hasOwn(READERS, head.name)) {
        const span = { start: argument.start + 1, end: argument.end - 1 };
        if (reader === 'variable') references.push({ kind: 'variable', ...variableAddress(argument.value), ...span });
        else if (reader === 'key') references.push({ kind: 'key', key: argument.value.split('@')[0]!, orDefault: head.name === 'keyOrDefault', ...span });
        else if (reader === 'keyPrefix') references.push({ kind: 'keyPrefix', prefix: argument.value.split('@')[0]!, function: head.name as 'ls' | 'tree', ...span });
        else if (reader === 'service') references.push({ kind: 'service', ...serviceQuery(argument.value), ...span });
        else references.push({ kind: 'nomadService', name: argument.value.split('@')[0]!, ...span });
      }
      for (const operand of command.operands) visitOperand(operand, dot);
    }
    const bound = variableOfPipeline(pipeline);
    if (bound) for (const name of pipeline.declarations) variables.set(name, bound);
  };

  const visit = (list: TemplateNode[], dot: { path: string; namespace?: string } | undefined): void => {
    for (const node of list) {
      if (node.kind === 'action') visitPipeline(node.pipeline, dot);
      if (node.kind === 'if') {
        visitPipeline(node.pipeline, dot);
        visit(node.list, dot);
        visit(node.elseList, dot);
      }
      if (node.kind === 'with' || node.kind === 'range') {
        visitPipeline(node.pipeline, dot);
        // `with nomadVar "p"` makes the dot the variable's items; `range` and any other `with` make it something else.
        visit(node.list, node.kind === 'with' && node.pipeline.declarations.length === 0 ? variableOfPipeline(node.pipeline) : undefined);
        visit(node.elseList, dot);
      }
    }
  };
  visit(nodes, undefined);
  return { references: references.sort((a, b) => a.start - b.start) };
}
