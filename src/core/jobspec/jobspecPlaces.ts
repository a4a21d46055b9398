// Where in a jobspec a part of a job is written: a block path (`job "api"` › `group "web"` › `task "app"` ›
// `resources`) and an attribute in it (`memory`), found in the tree-sitter parse — so a fact about the job
// on the cluster lands on the line that governs it, wherever edits since the deploy moved that line.
import type { Node, Tree } from 'web-tree-sitter';
import { blocksOf, child, span, Span } from './jobspecOutline';

export interface JobspecPlace {
  /** What was found: the attribute asked for, else the deepest block of the path, else the task's label. */
  found: 'attribute' | 'block' | 'label';
  span: Span;
  /** The attribute's value as written (`256`), when the attribute was found. */
  value?: string;
  valueSpan?: Span;
}

export function label(block: Node): string | undefined {
  const literal = block.namedChildren.find((candidate) => candidate?.type === 'string_lit');
  return literal ? (child(literal, 'template_literal')?.text ?? '') : undefined;
}

/** The blocks of one type in a body (`task`, `constraint`, `service`…), in the file's order. */
export function blocksOfType(body: Node | undefined, type: string): Node[] {
  return blocksOf(body).filter((block) => child(block, 'identifier')?.text === type);
}

function blockNamed(body: Node | undefined, type: string, name?: string): Node | undefined {
  return blocksOfType(body, type).find((block) => name === undefined || label(block) === name);
}

/** The first line of a block: its type and labels (a diagnostic on a whole block would cover its body). */
function blockHead(block: Node): Span {
  const type = child(block, 'identifier')!;
  const labels = block.namedChildren.filter((candidate) => candidate?.type === 'string_lit');
  const last = labels.at(-1) ?? type;
  return { ...span(type), endLine: last.endPosition.row, endCharacter: last.endPosition.column };
}

function jobBlock(tree: Tree, jobId: string): Node | undefined {
  return blockNamed(child(tree.rootNode, 'body') ?? tree.rootNode, 'job', jobId);
}

/** The job's block and its group's, when the file has both. */
function groupOf(tree: Tree, jobId: string, group: string): { job: Node; group: Node } | undefined {
  const job = jobBlock(tree, jobId);
  const groupBlock = job && blockNamed(child(job, 'body'), 'group', group);
  return job && groupBlock ? { job, group: groupBlock } : undefined;
}

export function attributeIn(block: Node | undefined, name: string): Node | undefined {
  if (!block) return undefined;
  return (child(block, 'body')?.namedChildren ?? []).find((candidate) => candidate?.type === 'attribute' && child(candidate, 'identifier')?.text === name) ?? undefined;
}

function taskBlockOf(tree: Tree, jobId: string, group: string, task: string): Node | undefined {
  const groupBlock = groupOf(tree, jobId, group)?.group;
  return groupBlock && blockNamed(child(groupBlock, 'body'), 'task', task);
}

function taskLabel(taskBlock: Node): JobspecPlace {
  const literal = taskBlock.namedChildren.find((candidate) => candidate?.type === 'string_lit');
  return { found: 'label', span: span(literal ?? child(taskBlock, 'identifier')!) };
}

/**
 * The place of `attribute` in the block `inner` of a task (e.g. `resources` › `memory`), or of the task's own
 * attribute when `inner` is undefined; falling back to the inner block, then to the task's label. Undefined
 * when the file has no such job, group or task.
 */
export function taskPlace(tree: Tree, jobId: string, group: string, task: string, inner: string | undefined, attribute?: string): JobspecPlace | undefined {
  const taskBlock = taskBlockOf(tree, jobId, group, task);
  if (!taskBlock) return undefined;
  const container = inner ? blockNamed(child(taskBlock, 'body'), inner) : taskBlock;
  const found = attribute ? attributeIn(container, attribute) : undefined;
  if (found) {
    const value = child(found, 'expression');
    return { found: 'attribute', span: span(found), value: value?.text, valueSpan: value ? span(value) : undefined };
  }
  if (container && container !== taskBlock) return { found: 'block', span: blockHead(container) };
  return taskLabel(taskBlock);
}

/**
 * The place of a task's `restart` block, else its group's, else the task's label: where a restart loop is
 * governed. Undefined when the file has no such task.
 */
export function restartPlace(tree: Tree, jobId: string, group: string, task: string): JobspecPlace | undefined {
  const own = taskPlace(tree, jobId, group, task, 'restart');
  if (!own || own.found === 'block') return own;
  const groupRestart = blockNamed(child(groupOf(tree, jobId, group)!.group, 'body'), 'restart');
  return groupRestart ? { found: 'block', span: blockHead(groupRestart) } : own;
}

/** A string attribute's literal text (`"${attr.kernel.name}"` → `${attr.kernel.name}`), else its source. */
export function literalOf(attribute: Node | undefined): string | undefined {
  const value = attribute && child(attribute, 'expression');
  if (!value) return undefined;
  const text = value.text.trim();
  return /^"(.*)"$/s.test(text) ? text.slice(1, -1) : text;
}

/**
 * Where a group's failed placement is governed, for each reason Nomad gives in its AllocMetric: a filtering
 * constraint's block (the job's, the group's or a task's, matched by its attribute and value), the `cpu` /
 * `memory` lines of the group's tasks for an exhausted dimension, the job's `datacenters` when no node is
 * available there; the group's label otherwise. Undefined when the file has no such group.
 */
export function placementPlaces(tree: Tree, jobId: string, group: string): {
  constraint(key: string): JobspecPlace | undefined;
  dimension(dimension: string): JobspecPlace[];
  datacenters(): JobspecPlace;
  nodePool(): JobspecPlace;
  group: JobspecPlace;
} | undefined {
  const found = groupOf(tree, jobId, group);
  if (!found) return undefined;
  const { job, group: groupBlock } = found;
  const groupLabel: JobspecPlace = { found: 'label', span: blockHead(groupBlock) };
  const tasks = blocksOfType(child(groupBlock, 'body'), 'task');
  const constraints = [job, groupBlock, ...tasks].flatMap((block) => blocksOfType(child(block, 'body'), 'constraint'));
  return {
    group: groupLabel,
    constraint(key) {
      // Nomad names a filtering constraint `<attribute> <operator> <value>` (`${attr.kernel.name} = windows`).
      const found = constraints.find((constraint) => {
        const attribute = literalOf(attributeIn(constraint, 'attribute'));
        const value = literalOf(attributeIn(constraint, 'value'));
        return attribute !== undefined && key.includes(attribute) && (value === undefined || key.includes(value));
      });
      return found ? { found: 'block', span: blockHead(found) } : undefined;
    },
    dimension(dimension) {
      const name = /^cpu\b/i.test(dimension) ? 'cpu' : /^memory\b/i.test(dimension) ? 'memory' : undefined;
      if (!name) return [groupLabel];
      const places = tasks.flatMap((task) => {
        const attribute = attributeIn(blockNamed(child(task, 'body'), 'resources'), name);
        return attribute ? [{ found: 'attribute' as const, span: span(attribute) }] : [];
      });
      return places.length ? places : [groupLabel];
    },
    datacenters() {
      const attribute = attributeIn(job, 'datacenters');
      return attribute ? { found: 'attribute', span: span(attribute) } : { found: 'label', span: blockHead(job) };
    },
    nodePool() {
      // The group's own `node_pool` wins over the job's (Nomad 1.6+); without one, the nodes' class filtered them.
      const attribute = attributeIn(groupBlock, 'node_pool') ?? attributeIn(job, 'node_pool');
      return attribute ? { found: 'attribute', span: span(attribute) } : groupLabel;
    },
  };
}

/**
 * The `template` block of a task that renders to `destination`; without a destination, the task's first
 * template; else (no template renders there: the file is not what runs) the task's label: where a template
 * failure is governed. Undefined when the file has no such task.
 */
export function templatePlace(tree: Tree, jobId: string, group: string, task: string, destination: string | undefined): JobspecPlace | undefined {
  const taskBlock = taskBlockOf(tree, jobId, group, task);
  if (!taskBlock) return undefined;
  const templates = blocksOfType(child(taskBlock, 'body'), 'template');
  const named = destination === undefined ? undefined : templates.find((template) => literalOf(attributeIn(template, 'destination')) === destination);
  const chosen = destination === undefined ? templates[0] : named;
  return chosen ? { found: 'block', span: blockHead(chosen) } : taskLabel(taskBlock);
}

/**
 * The `check` block of the service a group or one of its tasks registers as `service` (matched by its `name`,
 * else the only service), the check named `check` when it has several: where a failing health check is
 * governed; the service's block without checks, else the group's label.
 */
export function checkPlace(tree: Tree, jobId: string, group: string, service: string, check: string): JobspecPlace | undefined {
  const found = groupOf(tree, jobId, group);
  if (!found) return undefined;
  const owners = [found.group, ...blocksOfType(child(found.group, 'body'), 'task')];
  const services = owners.flatMap((owner) => blocksOfType(child(owner, 'body'), 'service'));
  const serviceBlock = services.find((candidate) => literalOf(attributeIn(candidate, 'name')) === service) ?? (services.length === 1 ? services[0] : undefined);
  if (!serviceBlock) return { found: 'label', span: blockHead(found.group) };
  const checks = blocksOfType(child(serviceBlock, 'body'), 'check');
  const checkBlock = checks.find((candidate) => literalOf(attributeIn(candidate, 'name')) === check) ?? checks[0];
  return { found: 'block', span: blockHead(checkBlock ?? serviceBlock) };
}
