// Traefik v3 router rules, checked before Traefik sees them: matchers with their arities, values as Go string
// literals (backticks or double quotes — a single quote is an error), balanced parentheses, && || !.
// Reference: https://doc.traefik.io/traefik/routing/routers/#rule (v3 syntax).

/** Traefik v3's HTTP matchers and how many values each takes. */
export const RULE_MATCHERS: Readonly<Record<string, readonly number[]>> = {
  Host: [1],
  HostRegexp: [1],
  Path: [1],
  PathPrefix: [1],
  PathRegexp: [1],
  Method: [1],
  Header: [2],
  HeaderRegexp: [2],
  Query: [1, 2],
  QueryRegexp: [2],
  ClientIP: [1],
};

export interface RuleProblem {
  /** Offsets in the rule text. */
  start: number;
  end: number;
  message: string;
  /** A replacement that is certainly right (single quotes → backticks, a matcher's case). */
  fix?: { start: number; end: number; text: string; title: string };
}

type Token =
  | { kind: 'name'; text: string; start: number; end: number }
  | { kind: 'value'; start: number; end: number }
  | { kind: 'op'; text: '&&' | '||' | '!' | '(' | ')' | ','; start: number; end: number };

function tokenize(rule: string, problems: RuleProblem[]): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < rule.length) {
    const char = rule[index]!;
    if (/\s/.test(char)) {
      index++;
    } else if (char === '`') {
      const end = rule.indexOf('`', index + 1);
      if (end < 0) {
        problems.push({ start: index, end: rule.length, message: 'a value opened with ` is never closed' });
        return tokens;
      }
      tokens.push({ kind: 'value', start: index, end: end + 1 });
      index = end + 1;
    } else if (char === '"') {
      let end = index + 1;
      while (end < rule.length && rule[end] !== '"') end += rule[end] === '\\' ? 2 : 1;
      if (end >= rule.length) {
        problems.push({ start: index, end: rule.length, message: 'a value opened with " is never closed' });
        return tokens;
      }
      tokens.push({ kind: 'value', start: index, end: end + 1 });
      index = end + 1;
    } else if (char === "'") {
      const end = rule.indexOf("'", index + 1);
      const close = end < 0 ? rule.length : end + 1;
      const inner = rule.slice(index + 1, end < 0 ? rule.length : end);
      problems.push({
        start: index,
        end: close,
        message: "single quotes are not a string in a Traefik rule (values are Go string literals): use backticks",
        fix: end >= 0 && !inner.includes('`') ? { start: index, end: close, text: `\`${inner}\``, title: `Use backticks: \`${inner}\`` } : undefined,
      });
      tokens.push({ kind: 'value', start: index, end: close });
      index = close;
    } else if (rule.startsWith('&&', index) || rule.startsWith('||', index)) {
      tokens.push({ kind: 'op', text: rule.slice(index, index + 2) as '&&' | '||', start: index, end: index + 2 });
      index += 2;
    } else if ('!(),'.includes(char)) {
      tokens.push({ kind: 'op', text: char as '!' | '(' | ')' | ',', start: index, end: index + 1 });
      index++;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rule.slice(index))!;
      tokens.push({ kind: 'name', text: match[0], start: index, end: index + match[0].length });
      index += match[0].length;
    } else {
      problems.push({ start: index, end: index + 1, message: `"${char}" has no meaning here: a rule is matchers like Host(\`a.example.com\`) joined by && and ||` });
      index++;
    }
  }
  return tokens;
}

/** The problems of one rule; empty when Traefik v3 will take it. */
export function checkRule(rule: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!rule.trim()) return [{ start: 0, end: rule.length, message: 'the rule is empty: give a matcher such as Host(`app.example.com`)' }];
  const tokens = tokenize(rule, problems);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (token: Token | undefined, message: string) => {
    problems.push({ start: token?.start ?? rule.length, end: token?.end ?? rule.length, message });
  };

  // expression := term (('&&' | '||') term)*
  const expression = (): boolean => {
    if (!term()) return false;
    for (let next = peek(); next?.kind === 'op' && (next.text === '&&' || next.text === '||'); next = peek()) {
      position++;
      if (!term()) return false;
    }
    return true;
  };
  // term := '!' term | '(' expression ')' | matcher
  const term = (): boolean => {
    const token = peek();
    if (!token) {
      fail(undefined, 'the rule ends where a matcher is expected');
      return false;
    }
    if (token.kind === 'op' && token.text === '!') {
      position++;
      return term();
    }
    if (token.kind === 'op' && token.text === '(') {
      position++;
      if (!expression()) return false;
      const close = peek();
      if (close?.kind !== 'op' || close.text !== ')') {
        problems.push({ start: token.start, end: token.end, message: 'this ( is never closed' });
        return false;
      }
      position++;
      return true;
    }
    if (token.kind !== 'name') {
      fail(token, token.kind === 'value' ? 'a value with no matcher before it' : `"${rule.slice(token.start, token.end)}" where a matcher is expected`);
      return false;
    }
    return matcher(token);
  };
  const matcher = (name: Extract<Token, { kind: 'name' }>): boolean => {
    position++;
    const arities = Object.hasOwn(RULE_MATCHERS, name.text) ? RULE_MATCHERS[name.text] : undefined;
    if (!arities) {
      const known = Object.keys(RULE_MATCHERS).find((candidate) => candidate.toLowerCase() === name.text.toLowerCase());
      problems.push({
        start: name.start,
        end: name.end,
        message: known ? `Traefik v3 matchers are case-sensitive: ${known}, not ${name.text}` : `${name.text} is not a Traefik v3 matcher (${Object.keys(RULE_MATCHERS).join(', ')})`,
        fix: known ? { start: name.start, end: name.end, text: known, title: `Write ${known}` } : undefined,
      });
    }
    const open = peek();
    if (open?.kind !== 'op' || open.text !== '(') {
      problems.push({ start: name.end, end: name.end, message: `${name.text} takes its values in parentheses: ${name.text}(\`…\`)` });
      return false;
    }
    position++;
    let values = 0;
    for (;;) {
      const value = peek();
      if (value?.kind === 'op' && value.text === ')' && values === 0) break;
      if (value?.kind !== 'value') {
        fail(value, value ? `${name.text} takes values in backticks or double quotes, not "${rule.slice(value.start, value.end)}"` : `${name.text}( is never closed`);
        return false;
      }
      values++;
      position++;
      const separator = peek();
      if (separator?.kind === 'op' && separator.text === ',') {
        position++;
        continue;
      }
      break;
    }
    const close = peek();
    if (close?.kind !== 'op' || close.text !== ')') {
      fail(close ?? undefined, `${name.text}( is never closed`);
      return false;
    }
    position++;
    if (arities && !arities.includes(values)) {
      problems.push({ start: name.start, end: close.end, message: `${name.text} takes ${arities.join(' or ')} ${arities.length === 1 && arities[0] === 1 ? 'value' : 'values'}, not ${values}${name.text === 'Host' && values > 1 ? ' (Traefik v3 dropped Host(`a`, `b`): write Host(`a`) || Host(`b`))' : ''}` });
    }
    return true;
  };

  if (expression() && position < tokens.length) {
    const extra = tokens[position]!;
    fail(extra, extra.kind === 'op' && extra.text === ')' ? 'this ) closes nothing' : `"${rule.slice(extra.start, extra.end)}" follows a complete matcher: join matchers with && or ||`);
  }
  return problems;
}
