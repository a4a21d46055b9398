// Go's text/template, as consul-template (and so Nomad's `template` blocks) reads it: text and `{{ actions }}`
// with `{{-`/`-}}` trimming, comments, pipelines of commands joined by `|`, fields (`.a.b`), variables
// (`$x`, `$x := …`), strings (interpreted and raw), numbers, parentheses, and the control actions
// if / else / else if / range / with / end. Every node keeps its offsets in the template text, so what is
// found in it lands on the jobspec's exact characters. A template that does not parse gives the problem and
// where, as consul-template would refuse it.

export interface Span {
  start: number;
  end: number;
}

export type Operand =
  | ({ kind: 'identifier'; name: string } & Span)
  | ({ kind: 'field'; names: string[]; receiver?: Operand } & Span)
  | ({ kind: 'variable'; name: string; fields: string[] } & Span)
  | ({ kind: 'dot' } & Span)
  | ({ kind: 'string'; value: string } & Span)
  | ({ kind: 'number'; value: number; text: string } & Span)
  | ({ kind: 'bool'; value: boolean } & Span)
  | ({ kind: 'nil' } & Span)
  | ({ kind: 'pipeline'; pipeline: Pipeline } & Span);

export interface Command extends Span {
  operands: Operand[];
}

export interface Pipeline extends Span {
  /** `$x := …` or `$k, $v := …` (range), `=` for assignment. */
  declarations: string[];
  commands: Command[];
}

export type TemplateNode =
  | ({ kind: 'text'; text: string } & Span)
  | ({ kind: 'action'; pipeline: Pipeline } & Span)
  | ({ kind: 'comment' } & Span)
  | ({ kind: 'if' | 'range' | 'with'; pipeline: Pipeline; list: TemplateNode[]; elseList: TemplateNode[] } & Span);

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

type Token =
  | { type: 'open' | 'close' | 'lparen' | 'rparen' | 'pipe' | 'comma' | 'declare' | 'assign' | 'dot'; start: number; end: number }
  | { type: 'identifier' | 'field' | 'variable' | 'string' | 'number' | 'bool' | 'nil' | 'keyword'; text: string; value?: string; start: number; end: number };

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

/** Splits the template into text and the tokens of each action, honouring trim markers. */
function tokenize(source: string): { texts: { start: number; end: number }[]; actions: { start: number; end: number; tokens: Token[]; comment: boolean; trimLeft: boolean; trimRight: boolean }[]; order: ('text' | 'action')[] } {
  const texts: { start: number; end: number }[] = [];
  const actions: { start: number; end: number; tokens: Token[]; comment: boolean; trimLeft: boolean; trimRight: boolean }[] = [];
  const order: ('text' | 'action')[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      texts.push({ start: at, end: source.length });
      order.push('text');
      break;
    }
    if (open > at) {
      texts.push({ start: at, end: open });
      order.push('text');
    }
    let cursor = open + 2;
    const trimLeft = source.startsWith('- ', cursor) || source.startsWith('-\t', cursor) || source.startsWith('-\n', cursor);
    if (trimLeft) cursor += 1;
    // A comment: {{/* … */}} (with optional trim markers around it).
    const afterSpace = cursor + (source.slice(cursor).match(/^\s*/)?.[0].length ?? 0);
    if (source.startsWith('/*', trimLeft ? afterSpace : cursor)) {
      const commentEnd = source.indexOf('*/', afterSpace + 2);
      if (commentEnd < 0) throw new TemplateSyntaxError('unclosed comment', open);
      const close = source.slice(commentEnd + 2).match(/^\s*-?}}/);
      if (!close) throw new TemplateSyntaxError('comment ends before closing delimiter', commentEnd);
      const end = commentEnd + 2 + close[0].length;
      actions.push({ start: open, end, tokens: [], comment: true, trimLeft, trimRight: close[0].includes('-') });
      order.push('action');
      at = end;
      continue;
    }
    const tokens: Token[] = [];
    let closed = false;
    let trimRight = false;
    while (cursor < source.length) {
      const char = source[cursor]!;
      if (/\s/.test(char)) {
        // ` -}}`: a trim marker before the closing delimiter.
        if (/^\s+-}}/.test(source.slice(cursor))) {
          const dash = source.indexOf('-}}', cursor);
          cursor = dash + 3;
          trimRight = true;
          closed = true;
          break;
        }
        cursor++;
        continue;
      }
      if (source.startsWith('}}', cursor)) {
        cursor += 2;
        closed = true;
        break;
      }
      const start = cursor;
      if (char === '(' || char === ')' || char === '|' || char === ',') {
        tokens.push({ type: char === '(' ? 'lparen' : char === ')' ? 'rparen' : char === '|' ? 'pipe' : 'comma', start, end: ++cursor });
        continue;
      }
      if (source.startsWith(':=', cursor)) {
        tokens.push({ type: 'declare', start, end: (cursor += 2) });
        continue;
      }
      if (char === '=') {
        tokens.push({ type: 'assign', start, end: ++cursor });
        continue;
      }
      if (char === '"') {
        let value = '';
        cursor++;
        for (;;) {
          if (cursor >= source.length || source[cursor] === '\n') throw new TemplateSyntaxError('unterminated quoted string', start);
          const c = source[cursor]!;
          if (c === '"') break;
          if (c === '\\') {
            const next = source[cursor + 1];
            const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
            if (next !== undefined && next in escapes) {
              value += escapes[next];
              cursor += 2;
              continue;
            }
            throw new TemplateSyntaxError(`unknown escape sequence \\${next ?? ''}`, cursor);
          }
          value += c;
          cursor++;
        }
        cursor++;
        tokens.push({ type: 'string', text: source.slice(start, cursor), value, start, end: cursor });
        continue;
      }
      if (char === '`') {
        const close = source.indexOf('`', cursor + 1);
        if (close < 0) throw new TemplateSyntaxError('unterminated raw quoted string', start);
        cursor = close + 1;
        tokens.push({ type: 'string', text: source.slice(start, cursor), value: source.slice(start + 1, close), start, end: cursor });
        continue;
      }
      if (char === '.') {
        const field = /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(source.slice(cursor));
        if (field) {
          cursor += field[0].length;
          tokens.push({ type: 'field', text: field[0], start, end: cursor });
        } else {
          tokens.push({ type: 'dot', start, end: ++cursor });
        }
        continue;
      }
      if (char === '$') {
        const variable = /^\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(source.slice(cursor))![0];
        cursor += variable.length;
        tokens.push({ type: 'variable', text: variable, start, end: cursor });
        continue;
      }
      const number = /^[-+]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d+(?:[eE][-+]?\d+)?)/.exec(source.slice(cursor));
      if (number && /[\d]/.test(number[0])) {
        cursor += number[0].length;
        tokens.push({ type: 'number', text: number[0], start, end: cursor });
        continue;
      }
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(cursor));
      if (word) {
        cursor += word[0].length;
        const text = word[0];
        const type = text === 'true' || text === 'false' ? 'bool' : text === 'nil' ? 'nil' : KEYWORDS.has(text) ? 'keyword' : 'identifier';
        tokens.push({ type, text, start, end: cursor });
        continue;
      }
      throw new TemplateSyntaxError(`unexpected "${char}" in action`, cursor);
    }
    if (!closed) throw new TemplateSyntaxError('unclosed action', open);
    actions.push({ start: open, end: cursor, tokens, comment: false, trimLeft, trimRight });
    order.push('action');
    at = cursor;
  }
  return { texts, actions, order };
}

/** Parses a template; throws TemplateSyntaxError with the offset of the problem. */
export function parseTemplate(source: string): TemplateNode[] {
  const { texts, actions, order } = tokenize(source);
  let textIndex = 0;
  let actionIndex = 0;
  type Frame = { node: Extract<TemplateNode, { kind: 'if' | 'range' | 'with' }>; inElse: boolean; closeCount: number };
  const root: TemplateNode[] = [];
  const stack: Frame[] = [];
  const current = (): TemplateNode[] => {
    const frame = stack.at(-1);
    return !frame ? root : frame.inElse ? frame.node.elseList : frame.node.list;
  };
  for (const kind of order) {
    if (kind === 'text') {
      const text = texts[textIndex++]!;
      current().push({ kind: 'text', text: source.slice(text.start, text.end), start: text.start, end: text.end });
      continue;
    }
    const action = actions[actionIndex++]!;
    if (action.comment) {
      current().push({ kind: 'comment', start: action.start, end: action.end });
      continue;
    }
    const tokens = action.tokens;
    const first = tokens[0];
    if (!first) throw new TemplateSyntaxError('missing value for command', action.start);
    if (first.type === 'keyword') {
      const keyword = (first as { text: string }).text;
      if (keyword === 'end') {
        const frame = stack.pop();
        if (!frame) throw new TemplateSyntaxError('unexpected {{end}}', action.start);
        frame.node.end = action.end;
        // `else if` / `else with` opened nested frames that this one end closes too.
        for (let extra = 0; extra < frame.closeCount; extra++) {
          const outer = stack.pop()!;
          outer.node.end = action.end;
        }
        continue;
      }
      if (keyword === 'else') {
        const frame = stack.at(-1);
        if (!frame || frame.inElse) throw new TemplateSyntaxError('unexpected {{else}}', action.start);
        frame.inElse = true;
        const chained = tokens[1];
        if (chained?.type === 'keyword' && ((chained as { text: string }).text === 'if' || (chained as { text: string }).text === 'with')) {
          const node = { kind: (chained as { text: string }).text as 'if' | 'with', pipeline: parsePipeline(tokens.slice(2), action.start), list: [] as TemplateNode[], elseList: [] as TemplateNode[], start: action.start, end: action.end };
          frame.node.elseList.push(node);
          // One {{end}} closes the whole chain: the new frame says how many frames under it that end closes too.
          stack.push({ node: node as Frame['node'], inElse: false, closeCount: frame.closeCount + 1 });
        }
        continue;
      }
      if (keyword === 'if' || keyword === 'range' || keyword === 'with') {
        const node: Frame['node'] = { kind: keyword as 'if' | 'range' | 'with', pipeline: parsePipeline(tokens.slice(1), action.start), list: [] as TemplateNode[], elseList: [] as TemplateNode[], start: action.start, end: action.end };
        current().push(node);
        stack.push({ node, inElse: false, closeCount: 0 });
        continue;
      }
      if (keyword === 'break' || keyword === 'continue') {
        current().push({ kind: 'comment', start: action.start, end: action.end });
        continue;
      }
      throw new TemplateSyntaxError(`{{${keyword}}} is not supported here`, action.start);
    }
    current().push({ kind: 'action', pipeline: parsePipeline(tokens, action.start), start: action.start, end: action.end });
  }
  if (stack.length > 0) throw new TemplateSyntaxError(`unexpected EOF: {{${stack.at(-1)!.node.kind}}} has no {{end}}`, stack.at(-1)!.node.start);
  return root;
}

function parsePipeline(tokens: Token[], actionStart: number): Pipeline {
  let at = 0;
  const declarations: string[] = [];
  // `$x :=`, `$k, $v :=`, `$x =`.
  const declarationEnd = tokens.findIndex((token) => token.type === 'declare' || token.type === 'assign');
  if (declarationEnd > 0 && tokens.slice(0, declarationEnd).every((token) => token.type === 'variable' || token.type === 'comma')) {
    for (const token of tokens.slice(0, declarationEnd)) if (token.type === 'variable') declarations.push((token as { text: string }).text);
    at = declarationEnd + 1;
  }
  const pipeline = parseCommands(tokens, at, tokens.length, actionStart);
  return { ...pipeline, declarations };
}

function parseCommands(tokens: Token[], from: number, to: number, fallbackStart: number): Omit<Pipeline, 'declarations'> {
  const commands: Command[] = [];
  let operands: Operand[] = [];
  let at = from;
  const finish = () => {
    if (operands.length === 0) throw new TemplateSyntaxError('missing command', tokens[at]?.start ?? fallbackStart);
    commands.push({ operands, start: operands[0]!.start, end: operands.at(-1)!.end });
    operands = [];
  };
  while (at < to) {
    const token = tokens[at]!;
    if (token.type === 'pipe') {
      finish();
      at++;
      continue;
    }
    if (token.type === 'lparen') {
      let depth = 1;
      let close = at + 1;
      for (; close < to && depth > 0; close++) {
        if (tokens[close]!.type === 'lparen') depth++;
        if (tokens[close]!.type === 'rparen') depth--;
      }
      if (depth !== 0) throw new TemplateSyntaxError('unclosed left paren', token.start);
      const inner = parseCommands(tokens, at + 1, close - 1, token.start);
      let operand: Operand = { kind: 'pipeline', pipeline: { ...inner, declarations: [] }, start: token.start, end: tokens[close - 1]!.end };
      // `(nomadVar "p").item`: a field chained on the parenthesised value.
      const next = tokens[close];
      if (next?.type === 'field' && next.start === tokens[close - 1]!.end) {
        operand = { kind: 'field', names: (next as { text: string }).text.slice(1).split('.'), receiver: operand, start: token.start, end: next.end };
        close++;
      }
      operands.push(operand);
      at = close;
      continue;
    }
    if (token.type === 'rparen') throw new TemplateSyntaxError('unexpected right paren', token.start);
    operands.push(operandOf(token));
    at++;
  }
  finish();
  return { commands, start: commands[0]!.start, end: commands.at(-1)!.end };
}

function operandOf(token: Token): Operand {
  const { start, end } = token;
  switch (token.type) {
    case 'identifier':
      return { kind: 'identifier', name: token.text, start, end };
    case 'field':
      return { kind: 'field', names: token.text.slice(1).split('.'), start, end };
    case 'variable': {
      const [name, ...fields] = token.text.split('.');
      return { kind: 'variable', name: name!, fields, start, end };
    }
    case 'dot':
      return { kind: 'dot', start, end };
    case 'string':
      return { kind: 'string', value: token.value ?? '', start, end };
    case 'number':
      return { kind: 'number', value: Number(token.text.replace(/_/g, '')), text: token.text, start, end };
    case 'bool':
      return { kind: 'bool', value: token.text === 'true', start, end };
    case 'nil':
      return { kind: 'nil', start, end };
    default:
      throw new TemplateSyntaxError(`unexpected ${token.type === 'keyword' ? `"${token.text}"` : token.type} in command`, start);
  }
}
