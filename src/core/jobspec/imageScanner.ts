import type { Node, Tree } from 'web-tree-sitter';
import { ImageReference, parseImageReference } from './imageReference';
import { parseTagVersion } from './versionBump';

/** Why a tag cannot be bumped in place; the UI says it and offers to set an explicit tag. */
export type NotBumpableReason = 'digest' | 'interpolation' | 'noTag' | 'notVersion';

/** One `image = "…"` the extension can show and (maybe) bump. Offsets are UTF-16, absolute in the file. */
export interface ImageSite {
  /** Who owns it: `job "whoami" › group "web" › task "app"`, or a Terraform address. */
  owner: string;
  /** The Terraform address for `terraform apply -target` (ECS files), or the job ID (jobspecs). */
  target: string;
  jobId?: string;
  /** The image reference as written between the quotes (interpolations included). */
  text: string;
  /** Start and end of the text between the quotes. */
  start: number;
  end: number;
  reference: ImageReference;
  /** Absolute range of the tag, when the tag is literal text. */
  tag?: { text: string; start: number; end: number };
  bumpable: boolean;
  reason?: NotBumpableReason;
  /** For `interpolation`: the expression the tag comes from (`var.tag`). */
  variable?: string;
  /** 0-based line of the owning block (where a CodeLens goes). */
  ownerLine: number;
  /** ECS: the `name` of the container definition the image belongs to, when written beside it. */
  container?: string;
}

export interface JobBlock {
  id: string;
  /** Range of the `job "<id>" {` header line and of the whole block. */
  line: number;
  start: number;
  end: number;
  groups: { name: string; tasks: string[] }[];
  images: ImageSite[];
  /** The tasks' `action "<name>"` blocks, each with its 0-based line (where Run action goes). */
  actions: { group: string; task: string; name: string; line: number }[];
  /** The job's own `namespace = "…"`, when it is a literal: where its plans and deploys really go. */
  namespace?: string;
}

export interface JobspecScan {
  jobs: JobBlock[];
  images: ImageSite[];
}

export interface EcsOwner {
  /** `module.gallery_ecs`, `aws_ecs_task_definition.web`. */
  address: string;
  /**
   * What a deploy targets: the `aws_ecs_service` of the same file whose task definition comes from this
   * owner (a targeted apply includes the service's dependencies, so the new revision rolls out), else the owner.
   */
  deployTarget: string;
  /** The ECS service's own name (`name` of that aws_ecs_service), to follow its rollout. */
  ecsServiceName?: string;
  line: number;
  images: ImageSite[];
}

export interface EcsScan {
  owners: EcsOwner[];
  images: ImageSite[];
}

/** A piece of a string literal: literal text, or an interpolation `${…}`. */
interface Segment {
  literal: boolean;
  start: number;
  end: number;
  text: string;
}

function labelOf(node: Node): string | undefined {
  const label = node.namedChildren.find((child) => child?.type === 'string_lit');
  if (!label) return undefined;
  const literal = label.namedChildren.find((child) => child?.type === 'template_literal');
  return literal ? literal.text : '';
}

function labelsOf(block: Node): string[] {
  return block.namedChildren.filter((child): child is Node => child?.type === 'string_lit').map((label) => label.namedChildren.find((c) => c?.type === 'template_literal')?.text ?? '');
}

function blockType(block: Node): string {
  return block.namedChildren.find((child) => child?.type === 'identifier')?.text ?? '';
}

function bodyOf(block: Node): Node | undefined {
  return block.namedChildren.find((child) => child?.type === 'body') ?? undefined;
}

function childBlocks(block: Node, type?: string): Node[] {
  const body = bodyOf(block);
  if (!body) return [];
  return body.namedChildren.filter((child): child is Node => child?.type === 'block' && (type === undefined || blockType(child) === type));
}

/**
 * Whether a node sits in an error region below its top-level block. Above that block an ERROR may wrap
 * the file (a job being typed at the end breaks the root), but a block tree-sitter fully reduced is sound.
 */
function insideError(node: Node): boolean {
  for (let current: Node | null = node; current; current = current.parent) {
    if (current.isError) return true;
    if (current.type === 'block' && isTopLevel(current)) return false;
  }
  return false;
}

function isTopLevel(block: Node): boolean {
  const parent = block.parent;
  return parent?.type === 'ERROR' ? !parent.parent || parent.parent.type === 'config_file' : parent?.type === 'body' && parent.parent?.type === 'config_file';
}

/** The file's top-level blocks, including complete ones that error recovery left under a root ERROR. */
function topLevelBlocks(tree: Tree): Node[] {
  const blocks: Node[] = [];
  const visit = (container: Node) => {
    for (const child of container.namedChildren) {
      if (!child) continue;
      if (child.type === 'block') blocks.push(child);
      else if (child.type === 'body' || child.type === 'ERROR') visit(child);
    }
  };
  visit(tree.rootNode);
  return blocks;
}

/**
 * The segments of a string expression, or undefined when it is not a plain string, is broken, or
 * spans lines (a half-typed string swallows the next lines: skipped, not guessed).
 */
function stringSegments(expression: Node): { start: number; end: number; segments: Segment[] } | undefined {
  if (expression.hasError || insideError(expression) || expression.startPosition.row !== expression.endPosition.row) {
    return undefined;
  }
  const template = expression.descendantsOfType(['string_lit', 'quoted_template'])[0];
  if (!template || template.startPosition.row !== template.endPosition.row || template.descendantsOfType('MISSING').length > 0) {
    return undefined;
  }
  const open = template.firstChild;
  const close = template.lastChild;
  if (!open || !close || open.type !== 'quoted_template_start' || close.type !== 'quoted_template_end' || close.isMissing) {
    return undefined;
  }
  const segments: Segment[] = [];
  for (const child of template.namedChildren) {
    // Node wrappers are fresh objects on each access: compare by type, not identity.
    if (!child || child.type === 'quoted_template_start' || child.type === 'quoted_template_end') continue;
    if (child.type === 'template_literal') {
      segments.push({ literal: true, start: child.startIndex, end: child.endIndex, text: child.text });
    } else {
      segments.push({ literal: false, start: child.startIndex, end: child.endIndex, text: child.text });
    }
  }
  return { start: open.endIndex, end: close.startIndex, segments };
}

/**
 * Whether `key = "value"` is literally what the text says, on one line: between the key and the opening
 * quote only `=` (or `:` in an object), nothing but a comment, `}` or `,` after the closing quote, and
 * only indentation or an opening `{` before the key. Error recovery can pair a key with a value from
 * elsewhere (a typo a line away makes tree-sitter read on); this check refuses any such pairing.
 */
function literallyAssigned(key: Node, value: { start: number; end: number }, text: string, separators: RegExp): boolean {
  const lineStart = text.lastIndexOf('\n', key.startIndex - 1) + 1;
  const lineEndAt = text.indexOf('\n', value.end);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt;
  if (value.start - 1 < key.endIndex || value.end >= lineEnd + 1) return false;
  const before = text.slice(lineStart, key.startIndex);
  const between = text.slice(key.endIndex, value.start - 1);
  const after = text.slice(value.end + 1, lineEnd);
  return /^[ \t]*(?:.*\{[ \t]*)?$/.test(before) && separators.test(between) && /^[ \t]*(?:[,}][ \t}]*)?(?:(?:#|\/\/|\/\*).*)?\r?$/.test(after);
}

/** An attribute that is itself broken, or sits right beside an error that runs over lines, is not trusted. */
function bordersError(node: Node): boolean {
  if (node.hasError) return true;
  for (const neighbour of [node.previousSibling, node.nextSibling]) {
    if (neighbour && (neighbour.isError || neighbour.hasError) && neighbour.startPosition.row !== neighbour.endPosition.row) return true;
  }
  return false;
}

/** Decides whether a site's tag can be bumped, from its segments; offsets absolute. */
function describeSite(value: { start: number; end: number; segments: Segment[] }, fullText: string, owner: string, target: string, ownerLine: number, jobId?: string): ImageSite {
  const text = fullText.slice(value.start, value.end);
  const reference = parseImageReference(text);
  const site: ImageSite = { owner, target, jobId, text, start: value.start, end: value.end, reference, bumpable: false, ownerLine };
  if (reference.digest !== undefined) {
    site.reason = 'digest';
    return site;
  }
  if (!reference.tag) {
    // `${var.image}` as the whole value, or a reference with no tag (implicit latest).
    const wholeInterpolation = value.segments.find((segment) => !segment.literal && segment.end >= value.end);
    if (wholeInterpolation) {
      site.reason = 'interpolation';
      site.variable = interpolationExpression(wholeInterpolation.text);
      return site;
    }
    site.reason = 'noTag';
    return site;
  }
  const tagStart = value.start + reference.tag.start;
  const tagEnd = value.start + reference.tag.end;
  const interpolated = value.segments.find((segment) => !segment.literal && segment.end > tagStart && segment.start < tagEnd);
  if (interpolated) {
    site.reason = 'interpolation';
    site.variable = interpolationExpression(interpolated.text);
    return site;
  }
  site.tag = { text: reference.tag.text, start: tagStart, end: tagEnd };
  if (!parseTagVersion(reference.tag.text)) {
    site.reason = 'notVersion';
    return site;
  }
  site.bumpable = true;
  return site;
}

function interpolationExpression(text: string): string {
  return text.replace(/^\$\{~?\s*/, '').replace(/\s*~?\}$/, '');
}

/**
 * The `"name"` of the JSON object that holds position `at` (a container definition in a heredoc), read at
 * that object's own level: a `name` inside a nested object (a port mapping's) is not the container's.
 */
function jsonSiblingName(json: string, at: number): string | undefined {
  let depth = 0;
  let open = -1;
  for (let index = at - 1; index >= 0; index--) {
    const char = json[index];
    if (char === '}') depth++;
    else if (char === '{') {
      if (depth === 0) {
        open = index;
        break;
      }
      depth--;
    }
  }
  if (open < 0) return undefined;
  depth = 0;
  for (let index = open + 1; index < json.length; index++) {
    const char = json[index];
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      if (depth === 0) return undefined;
      depth--;
    } else if (depth === 0 && char === '"') {
      const name = /^"name"\s*:\s*"([^"\\]*)"/.exec(json.slice(index));
      // An interpolated name (masked as \u0001 characters) is not a literal name.
      if (name) return name[1]!.includes(INTERPOLATION_MASK) ? undefined : name[1];
      // Skip the string (a key or a value) as a whole.
      const end = json.indexOf('"', index + 1);
      if (end < 0) return undefined;
      index = end;
    }
  }
  return undefined;
}

/** Every `job "<id>"` with its groups, tasks and actions, and every task `config { image = "…" }`. */
export function scanJobspec(tree: Tree, text: string): JobspecScan {
  const jobs: JobBlock[] = [];
  for (const job of topLevelBlocks(tree)) {
    const block = scanJobBlock(job, text);
    if (block) jobs.push(block);
  }
  return { jobs, images: jobs.flatMap((job) => job.images) };
}

/** One top-level `job "<id>"` block: its groups, tasks and images. Depends on the block's own text only. */
function scanJobBlock(job: Node, text: string): JobBlock | undefined {
  if (blockType(job) !== 'job') return undefined;
  const id = labelOf(job);
  if (id === undefined) return undefined;
  const block: JobBlock = { id, line: job.startPosition.row, start: job.startIndex, end: job.endIndex, groups: [], images: [], actions: [] };
  for (const attribute of bodyOf(job)?.namedChildren ?? []) {
    if (!attribute || attribute.type !== 'attribute' || attribute.namedChildren[0]?.text !== 'namespace' || bordersError(attribute)) continue;
    const literal = /^namespace\s*=\s*"([A-Za-z0-9_.-]+)"$/.exec(attribute.text.trim());
    if (literal) block.namespace = literal[1];
  }
  for (const group of childBlocks(job, 'group')) {
    const groupName = labelOf(group) ?? '';
    const tasks: string[] = [];
    for (const task of childBlocks(group, 'task')) {
      const taskName = labelOf(task) ?? '';
      tasks.push(taskName);
      for (const action of childBlocks(task, 'action')) {
        const name = labelOf(action);
        if (name) block.actions.push({ group: groupName, task: taskName, name, line: action.startPosition.row });
      }
      for (const config of childBlocks(task, 'config')) {
        for (const attribute of bodyOf(config)?.namedChildren ?? []) {
          if (!attribute || attribute.type !== 'attribute' || attribute.namedChildren[0]?.text !== 'image' || bordersError(attribute)) continue;
          const expression = attribute.namedChildren.find((child) => child?.type === 'expression');
          const value = expression ? stringSegments(expression) : undefined;
          if (!value || !literallyAssigned(attribute.namedChildren[0]!, value, text, /^[ \t]*=[ \t]*$/)) continue;
          block.images.push(describeSite(value, text, `job "${id}" › group "${groupName}" › task "${taskName}"`, id, job.startPosition.row, id));
        }
      }
    }
    block.groups.push({ name: groupName, tasks });
  }
  return block;
}

/** One edit, in the coordinates of the text just before it: `oldLength` characters at `start` became `newLength`. */
export interface TextSplice {
  start: number;
  oldLength: number;
  newLength: number;
}

/** A previous job block moved by `offset` characters and `lines` lines (an edit before it), unchanged otherwise. */
function shifted(block: JobBlock, offset: number, lines: number): JobBlock {
  if (offset === 0 && lines === 0) return block;
  const images = block.images.map((site) => ({ ...site, start: site.start + offset, end: site.end + offset, ownerLine: site.ownerLine + lines, ...(site.tag ? { tag: { ...site.tag, start: site.tag.start + offset, end: site.tag.end + offset } } : {}) }));
  const actions = block.actions.map((action) => ({ ...action, line: action.line + lines }));
  return { ...block, line: block.line + lines, start: block.start + offset, end: block.end + offset, images, actions };
}

/**
 * The scan of an edited jobspec that rescans only the job blocks the edits touched and reuses the others
 * from `previous` (moved by the edits before them). Equal to a full scan of the same tree and text.
 */
export function rescanJobspec(tree: Tree, text: string, previous: JobspecScan, splices: readonly TextSplice[]): JobspecScan {
  // Where each previous block is after the edits, or undefined when an edit touched it.
  const moved = new Map<number, { block: JobBlock; end: number }>();
  for (const block of previous.jobs) {
    let start = block.start;
    let end = block.end;
    let touched = false;
    for (const splice of splices) {
      const spliceEnd = splice.start + splice.oldLength;
      if (spliceEnd < start) {
        start += splice.newLength - splice.oldLength;
        end += splice.newLength - splice.oldLength;
      } else if (splice.start <= end) {
        // Touching either end counts: a character typed right after `}` may join the block.
        touched = true;
        break;
      }
    }
    if (!touched) moved.set(start, { block, end });
  }
  const jobs: JobBlock[] = [];
  for (const node of topLevelBlocks(tree)) {
    const before = moved.get(node.startIndex);
    if (before && before.end === node.endIndex && blockType(node) === 'job') {
      jobs.push(shifted(before.block, node.startIndex - before.block.start, node.startPosition.row - before.block.line));
      continue;
    }
    const block = scanJobBlock(node, text);
    if (block) jobs.push(block);
  }
  return { jobs, images: jobs.flatMap((job) => job.images) };
}

/** Blocks whose images an `ecs-*.tf` file deploys, by Terraform address. */
function ecsAddress(block: Node): string | undefined {
  const type = blockType(block);
  const labels = labelsOf(block);
  if (type === 'module' && labels.length === 1) return `module.${labels[0]}`;
  if (type === 'resource' && labels.length === 2) return `${labels[0]}.${labels[1]}`;
  return undefined;
}

/** What stands for an interpolation's characters in a heredoc's masked text. */
const INTERPOLATION_MASK = '\u0001';
const JSON_IMAGE = /"image"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g;

/**
 * Every container `image` in an `ecs-*.tf` file, with the Terraform address that owns it: in a module's
 * `container_definitions` list of objects, in `jsonencode([...])`, and in a JSON heredoc.
 */
export function scanEcsFile(tree: Tree, text: string): EcsScan {
  const owners: EcsOwner[] = [];
  const images: ImageSite[] = [];
  for (const block of topLevelBlocks(tree)) {
    const address = ecsAddress(block);
    if (!address) continue;
    const owner: EcsOwner = { address, deployTarget: address, line: block.startPosition.row, images: [] };
    const line = block.startPosition.row;
    // HCL objects: `image = "…"` or `"image" = "…"` in any object inside the block.
    for (const element of block.descendantsOfType('object_elem')) {
      if (!element) continue;
      const key = element.childForFieldName('key');
      const keyText = key?.text.replace(/^"|"$/g, '');
      if (keyText !== 'image') continue;
      const value = element.childForFieldName('val');
      const segments = value ? stringSegments(value) : undefined;
      if (!segments || !key || bordersError(element) || !literallyAssigned(key, segments, text, /^[ \t]*[=:][ \t]*$/)) continue;
      const site = describeSite(segments, text, address, address, line);
      // The container's name, when it is a literal beside the image in the same object.
      const sibling = element.parent?.namedChildren.find((candidate) => candidate?.type === 'object_elem' && candidate.childForFieldName('key')?.text.replace(/^"|"$/g, '') === 'name');
      const name = sibling?.childForFieldName('val')?.descendantsOfType('template_literal')[0]?.text;
      if (name) site.container = name;
      owner.images.push(site);
    }
    // JSON in a heredoc: `"image": "…"`, matched over the heredoc's text with its interpolations masked,
    // so `"image": "${var.registry}/app:1.2.3"` is found and its literal tag stays bumpable.
    for (const heredoc of block.descendantsOfType('heredoc_template')) {
      if (!heredoc || heredoc.hasError) continue;
      const parts = heredoc.namedChildren.filter((child): child is Node => child?.type === 'template_literal' || child?.type === 'template_interpolation' || child?.type === 'template_directive');
      if (parts.length === 0) continue;
      const contentStart = parts[0]!.startIndex;
      const segments: Segment[] = parts.map((part) => ({ literal: part.type === 'template_literal', start: part.startIndex, end: part.endIndex, text: part.text }));
      let masked = '';
      for (const segment of segments) {
        masked += ' '.repeat(Math.max(0, segment.start - contentStart - masked.length));
        masked += segment.literal ? segment.text : INTERPOLATION_MASK.repeat(segment.end - segment.start);
      }
      for (const match of masked.matchAll(JSON_IMAGE)) {
        if (match[1]!.includes('\\')) continue;
        const valueStart = contentStart + match.index! + match[0].length - match[1]!.length - 1;
        const valueEnd = valueStart + match[1]!.length;
        const inside = segments.filter((segment) => segment.end > valueStart && segment.start < valueEnd);
        const site = describeSite({ start: valueStart, end: valueEnd, segments: inside }, text, address, address, line);
        const container = jsonSiblingName(masked, match.index!);
        if (container) site.container = container;
        owner.images.push(site);
      }
    }
    if (owner.images.length > 0) {
      owner.images.sort((a, b) => a.start - b.start);
      owners.push(owner);
      images.push(...owner.images);
    }
  }
  // A service that runs an owner's task definition is what a deploy of that owner targets.
  for (const block of topLevelBlocks(tree)) {
    const labels = labelsOf(block);
    if (blockType(block) !== 'resource' || labels[0] !== 'aws_ecs_service' || labels.length !== 2) continue;
    const taskDefinition = bodyOf(block)?.namedChildren.find((child) => child?.type === 'attribute' && child.namedChildren[0]?.text === 'task_definition');
    const reference = taskDefinition?.namedChildren.find((child) => child?.type === 'expression')?.text ?? '';
    const nameAttribute = bodyOf(block)?.namedChildren.find((child) => child?.type === 'attribute' && child.namedChildren[0]?.text === 'name');
    const serviceName = nameAttribute?.descendantsOfType('template_literal')[0]?.text;
    for (const owner of owners) {
      if (reference === owner.address || reference.startsWith(`${owner.address}.`)) {
        owner.deployTarget = `aws_ecs_service.${labels[1]}`;
        if (serviceName) owner.ecsServiceName = serviceName;
      }
    }
  }
  return { owners, images };
}
