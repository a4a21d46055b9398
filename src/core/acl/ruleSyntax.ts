// ACL policy rules as Nomad and Consul store them (`Rules`: HCL as submitted, or JSON): read into blocks and
// attributes with literal values, which is all the rule languages use (`namespace "prod" { policy = "read" }`,
// `key_prefix "" { policy = "write" }`, `operator = "read"`). HCL goes through the project's tree-sitter parser.
import type { Node, Parser } from 'web-tree-sitter';
import { blocksOf, child } from '../jobspec/jobspecOutline';
import { label } from '../jobspec/jobspecPlaces';
import { firstSyntaxError, parseHcl } from '../jobspec/hclParser';

export type RuleValue = string | boolean | number | string[];

export interface RuleBody {
  attributes: Record<string, RuleValue>;
  blocks: RuleBlock[];
}

export interface RuleBlock extends RuleBody {
  type: string;
  /** The block's label (`"prod"`, `""` for an empty prefix); undefined for a block without one (`node { … }`). */
  label?: string;
}

export class RuleSyntaxError extends Error {}

/**
 * The rules of a policy. JSON (`{"namespace": {"prod": {"policy": "read"}}}`) is read with `labelled`: the
 * block types whose JSON object is keyed by label. HCL that does not parse is an error naming the line.
 */
export function readRules(parser: Parser, rules: string, labelled: ReadonlySet<string>): RuleBody {
  const text = rules.trim();
  if (text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new RuleSyntaxError(`the rules are neither HCL nor JSON (${(error as Error).message})`);
    }
    return fromJson(json, labelled);
  }
  const tree = parseHcl(parser, rules);
  try {
    const broken = firstSyntaxError(tree.rootNode);
    if (broken) throw new RuleSyntaxError(`the rules do not parse at line ${broken.startPosition.row + 1}`);
    return fromHcl(child(tree.rootNode, 'body'));
  } finally {
    tree.delete();
  }
}

function fromHcl(body: Node | undefined): RuleBody {
  const result: RuleBody = { attributes: {}, blocks: [] };
  for (const attribute of body?.namedChildren ?? []) {
    if (attribute?.type !== 'attribute') continue;
    const name = child(attribute, 'identifier')?.text;
    const value = valueOf(child(attribute, 'expression'));
    if (name && value !== undefined) result.attributes[name] = value;
  }
  for (const block of blocksOf(body)) {
    const type = child(block, 'identifier')?.text;
    if (!type) continue;
    result.blocks.push({ type, label: label(block), ...fromHcl(child(block, 'body')) });
  }
  return result;
}

/** A literal: a string, a number, a boolean, or a list of strings; anything else is not a rule's value. */
function valueOf(expression: Node | undefined): RuleValue | undefined {
  if (!expression) return undefined;
  const literals = expression.descendantsOfType('template_literal');
  const tuple = expression.descendantsOfType('tuple')[0];
  if (tuple) return tuple.descendantsOfType('string_lit').map((item) => item?.descendantsOfType('template_literal')[0]?.text ?? '');
  const text = expression.text.trim();
  if (/^".*"$/s.test(text)) return literals[0]?.text ?? '';
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return undefined;
}

function fromJson(json: unknown, labelled: ReadonlySet<string>): RuleBody {
  const result: RuleBody = { attributes: {}, blocks: [] };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return result;
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') result.attributes[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) result.attributes[key] = value as string[];
    else if (typeof value === 'object' && value !== null) {
      // HCL's JSON form may also give a list of objects for repeated blocks.
      const objects = Array.isArray(value) ? value : [value];
      for (const object of objects) {
        if (labelled.has(key)) {
          for (const [name, body] of Object.entries(object as Record<string, unknown>)) {
            for (const item of Array.isArray(body) ? body : [body]) result.blocks.push({ type: key, label: name, ...fromJson(item, labelled) });
          }
        } else {
          result.blocks.push({ type: key, ...fromJson(object, labelled) });
        }
      }
    }
  }
  return result;
}

/** A string attribute, or undefined. */
export function stringAttribute(body: RuleBody, name: string): string | undefined {
  const value = body.attributes[name];
  return typeof value === 'string' ? value : undefined;
}

/** A list-of-strings attribute (a single string counts as one). */
export function listAttribute(body: RuleBody, name: string): string[] {
  const value = body.attributes[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}
