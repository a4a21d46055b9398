// A template rendered as consul-template would render it, for the preview: Go's text/template semantics
// (truthiness, `with` / `range` / `if` / `else`, `$` and declared variables, `{{-`/`-}}` trimming, "<no value>"
// for a missing map key) with the data functions of Nomad's templates read from the cluster, and the
// functions listed in SUPPORTED_FUNCTIONS. Anything else renders as a marked gap with a note, never a guess.
import { Operand, parseTemplate, Pipeline, TemplateNode, TemplateSyntaxError } from './goTemplate';
import { serviceQuery, variableAddress } from './templateReferences';

/** What the renderer reads; each answers undefined when the cluster has no such thing. */
export interface RenderData {
  variable(namespace: string, path: string): Record<string, string> | undefined;
  key(key: string): string | undefined;
  /** Every key under a prefix with its value (for ls and tree). */
  keysUnder(prefix: string): { key: string; value: string }[];
  /** A Consul service's passing instances. */
  service(name: string, tag: string | undefined): { Name: string; ID: string; Address: string; Port: number; Node: string; Tags: string[] }[];
  nomadService(namespace: string, name: string): { Address: string; Port: number; ID?: string; Tags?: string[] }[];
}

export interface RenderOptions {
  namespace: string;
  /** Items of variables shown as MASK (the default of the preview) or as they are. */
  mask?: string;
}

export interface RenderResult {
  text: string;
  /** What did not render as the allocation would render it, in words (one per kind). */
  notes: string[];
  /** The template waits on the cluster (a missing variable or key): rendering stopped there, as the task would. */
  blockedOn?: string;
}

/** The functions the preview renders; others become a marked gap. */
export const SUPPORTED_FUNCTIONS = [
  'nomadVar', 'key', 'keyOrDefault', 'ls', 'tree', 'service', 'nomadService', 'env',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not', 'len', 'index', 'print', 'printf', 'println',
  'toUpper', 'toLower', 'toTitle', 'trimSpace', 'split', 'join', 'contains', 'replaceAll', 'base64Encode', 'base64Decode', 'toJSON', 'parseJSON',
] as const;

const NO_VALUE = '<no value>';

class Blocked extends Error {}
class Unsupported extends Error {}

type Value = unknown;

export function renderTemplate(source: string, data: RenderData, options: RenderOptions): RenderResult {
  const notes = new Set<string>();
  let nodes: TemplateNode[];
  try {
    nodes = parseTemplate(source);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { text: '', notes: [`The template does not parse: ${error.message} (at character ${error.at}).`] };
    throw error;
  }
  const out: string[] = [];
  /** What an unsupported function's action evaluates to: its gap is already written. */
  const GAP = Symbol('gap');
  const scopes: Map<string, Value>[] = [new Map([['$', undefined]])];
  const lookupVariable = (name: string): Value => {
    for (let at = scopes.length - 1; at >= 0; at--) if (scopes[at]!.has(name)) return scopes[at]!.get(name);
    throw new TemplateSyntaxError(`undefined variable "${name}"`, 0);
  };

  const functions: Record<string, (...args: Value[]) => Value> = {
    nomadVar: (path) => {
      const address = variableAddress(String(path));
      const namespace = address.namespace ?? options.namespace;
      const items = data.variable(namespace, address.path);
      if (!items) throw new Blocked(`variable ${address.path} (namespace ${namespace})`);
      return options.mask === undefined ? { ...items } : Object.fromEntries(Object.keys(items).map((name) => [name, options.mask]));
    },
    key: (name) => {
      const value = data.key(String(name).split('@')[0]!);
      if (value === undefined) throw new Blocked(`key ${String(name)}`);
      return value;
    },
    keyOrDefault: (name, fallback) => data.key(String(name).split('@')[0]!) ?? fallback,
    ls: (prefix) => {
      const base = withSlash(String(prefix).split('@')[0]!);
      return data.keysUnder(base).filter((entry) => !entry.key.slice(base.length).includes('/') && !entry.key.endsWith('/')).map((entry) => ({ Key: entry.key.slice(base.length), Value: entry.value }));
    },
    tree: (prefix) => {
      const base = withSlash(String(prefix).split('@')[0]!);
      return data.keysUnder(base).filter((entry) => !entry.key.endsWith('/')).map((entry) => ({ Key: entry.key.slice(base.length), Value: entry.value }));
    },
    service: (query) => {
      const { name, tag } = serviceQuery(String(query));
      return data.service(name, tag);
    },
    nomadService: (name) => data.nomadService(options.namespace, String(name)),
    env: (name) => {
      notes.add('env: the task\'s environment exists only in the allocation; the preview shows ${NAME} in its place.');
      return `\${${String(name)}}`;
    },
    eq: (a, ...rest) => rest.some((b) => a === b),
    ne: (a, b) => a !== b,
    lt: (a, b) => (a as number) < (b as number),
    le: (a, b) => (a as number) <= (b as number),
    gt: (a, b) => (a as number) > (b as number),
    ge: (a, b) => (a as number) >= (b as number),
    and: (...args) => args.find((arg) => !truthy(arg)) ?? args.at(-1),
    or: (...args) => args.find((arg) => truthy(arg)) ?? args.at(-1),
    not: (a) => !truthy(a),
    len: (a) => (typeof a === 'string' || Array.isArray(a) ? a.length : a && typeof a === 'object' ? Object.keys(a).length : 0),
    index: (collection, ...keys) => keys.reduce<Value>((value, key) => (value && typeof value === 'object' ? (value as Record<string, Value>)[String(key)] : undefined), collection),
    print: (...args) => args.map(format).join(''),
    println: (...args) => `${args.map(format).join(' ')}\n`,
    printf: (pattern, ...args) => sprintf(String(pattern), args),
    toUpper: (a) => String(a).toUpperCase(),
    toLower: (a) => String(a).toLowerCase(),
    toTitle: (a) => String(a).replace(/\b\w/g, (letter) => letter.toUpperCase()),
    trimSpace: (a) => String(a).trim(),
    split: (separator, a) => String(a).split(String(separator)),
    join: (separator, list) => (Array.isArray(list) ? list.map(format).join(String(separator)) : format(list)),
    contains: (needle, haystack) => String(haystack).includes(String(needle)),
    replaceAll: (from, to, a) => String(a).split(String(from)).join(String(to)),
    base64Encode: (a) => Buffer.from(String(a)).toString('base64'),
    base64Decode: (a) => Buffer.from(String(a), 'base64').toString('utf8'),
    toJSON: (a) => JSON.stringify(a),
    parseJSON: (a) => JSON.parse(String(a)) as Value,
  };

  const fieldOf = (value: Value, names: string[]): Value => {
    let current = value;
    for (const name of names) {
      if (current === null || current === undefined || typeof current !== 'object') return undefined;
      current = (current as Record<string, Value>)[name];
    }
    return current;
  };

  const evaluateOperand = (operand: Operand, dot: Value, args: Value[] = []): Value => {
    switch (operand.kind) {
      case 'dot':
        return dot;
      case 'field':
        return fieldOf(operand.receiver ? evaluateOperand(operand.receiver, dot) : dot, operand.names);
      case 'variable':
        return fieldOf(lookupVariable(operand.name), operand.fields);
      case 'string':
      case 'number':
      case 'bool':
        return operand.value;
      case 'nil':
        return undefined;
      case 'pipeline':
        return evaluatePipeline(operand.pipeline, dot);
      case 'identifier': {
        const fn = Object.hasOwn(functions, operand.name) ? functions[operand.name] : undefined;
        if (!fn) throw new Unsupported(operand.name);
        return fn(...args);
      }
    }
  };

  const evaluatePipeline = (pipeline: Pipeline, dot: Value): Value => {
    let piped: Value[] = [];
    let value: Value;
    for (const command of pipeline.commands) {
      const [head, ...rest] = command.operands;
      if (head!.kind === 'identifier') {
        const args = [...rest.map((operand) => evaluateOperand(operand, dot)), ...piped];
        value = evaluateOperand(head!, dot, args);
      } else {
        value = evaluateOperand(head!, dot);
      }
      piped = [value];
    }
    return value;
  };

  const run = (list: TemplateNode[], dot: Value): void => {
    for (const node of list) {
      switch (node.kind) {
        case 'text':
          out.push(trimmed(source, node));
          break;
        case 'comment':
          break;
        case 'action': {
          const value = evaluateGuarded(node.pipeline, dot);
          if (node.pipeline.declarations.length) {
            scopes.at(-1)!.set(node.pipeline.declarations[0]!, value);
            break;
          }
          if (value !== GAP) out.push(format(value));
          break;
        }
        case 'if': {
          const value = evaluateGuarded(node.pipeline, dot);
          run(truthy(value) && value !== GAP ? node.list : node.elseList, dot);
          break;
        }
        case 'with': {
          const value = evaluateGuarded(node.pipeline, dot);
          if (truthy(value) && value !== GAP) {
            scopes.push(new Map(node.pipeline.declarations.map((name) => [name, value])));
            run(node.list, value);
            scopes.pop();
          } else run(node.elseList, dot);
          break;
        }
        case 'range': {
          const value = evaluateGuarded(node.pipeline, dot);
          const entries: [Value, Value][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : value !== GAP && value && typeof value === 'object' ? Object.keys(value).sort().map((key) => [key, (value as Record<string, Value>)[key]]) : [];
          if (entries.length === 0) {
            run(node.elseList, dot);
            break;
          }
          for (const [key, item] of entries) {
            const declared = node.pipeline.declarations;
            scopes.push(new Map(declared.length === 2 ? [[declared[0]!, key], [declared[1]!, item]] : declared.length === 1 ? [[declared[0]!, item]] : []));
            run(node.list, item);
            scopes.pop();
          }
          break;
        }
      }
    }
  };

  const evaluateGuarded = (pipeline: Pipeline, dot: Value): Value => {
    try {
      return evaluatePipeline(pipeline, dot);
    } catch (error) {
      if (error instanceof Unsupported) {
        notes.add(`${error.message}: not rendered by the preview (it renders ${SUPPORTED_FUNCTIONS.length} functions: ${SUPPORTED_FUNCTIONS.join(', ')}); shown as «${error.message} …».`);
        out.push(`«${error.message} …»`);
        return GAP;
      }
      throw error;
    }
  };

  try {
    run(nodes, undefined);
  } catch (error) {
    if (error instanceof Blocked) return { text: out.join(''), notes: [...notes], blockedOn: error.message };
    if (error instanceof TemplateSyntaxError) return { text: out.join(''), notes: [...notes, `The template fails to render: ${error.message}.`] };
    throw error;
  }
  return { text: out.join(''), notes: [...notes] };
}

function withSlash(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** Go's truthiness: false, 0, nil, and empty strings, lists and maps are false. */
function truthy(value: Value): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** A value as Go's fmt prints it with %v. */
function format(value: Value): string {
  if (value === undefined || value === null) return NO_VALUE;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(format).join(' ')}]`;
  if (typeof value === 'object') {
    return `map[${Object.keys(value).sort().map((key) => `${key}:${format((value as Record<string, Value>)[key])}`).join(' ')}]`;
  }
  return String(value);
}

/** Go's printf for the verbs templates use: %s %v %d %q %%; widths and flags are not read. */
function sprintf(pattern: string, args: Value[]): string {
  let next = 0;
  return pattern.replace(/%([svdq%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const value = args[next++];
    if (verb === 'q') return JSON.stringify(format(value));
    if (verb === 'd') return typeof value === 'number' ? String(Math.trunc(value)) : `%!d(${format(value)})`;
    return format(value);
  });
}

/** A text node as it renders beside trim markers (`{{-` before it trims its end, `-}}` after it its start). */
function trimmed(source: string, node: Extract<TemplateNode, { kind: 'text' }>): string {
  let text = node.text;
  if (/^\{\{-\s/.test(source.slice(node.end, node.end + 4))) text = text.replace(/\s+$/, '');
  if (/\s-\}\}$/.test(source.slice(Math.max(0, node.start - 4), node.start))) text = text.replace(/^\s+/, '');
  return text;
}
