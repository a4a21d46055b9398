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
  QueryRegexp: [1, 2],
  ClientIP: [1],
};

/** Which value of a matcher is a regular expression (Go's RE2 syntax, compiled when Traefik loads the rule). */
const REGEXP_VALUE: Readonly<Record<string, number>> = { HostRegexp: 0, PathRegexp: 0, HeaderRegexp: 1, QueryRegexp: 1 };

export interface RuleProblem {
  /** Offsets in the rule text. */
  start: number;
  end: number;
  message: string;
  /** An error Traefik refuses the router for (the default), or a warning about a rule it takes. */
  severity?: 'error' | 'warning';
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
    // Traefik finds a matcher whatever its case (the real program takes host(`…`)); its docs write Host.
    const known = Object.keys(RULE_MATCHERS).find((candidate) => candidate.toLowerCase() === name.text.toLowerCase());
    const arities = known ? RULE_MATCHERS[known] : undefined;
    if (!known) {
      problems.push({ start: name.start, end: name.end, message: `${name.text} is not a Traefik v3 matcher (${Object.keys(RULE_MATCHERS).join(', ')})` });
    } else if (known !== name.text) {
      problems.push({ start: name.start, end: name.end, severity: 'warning', message: `Traefik reads ${name.text} as ${known}, as its documentation writes it`, fix: { start: name.start, end: name.end, text: known, title: `Write ${known}` } });
    }
    const open = peek();
    if (open?.kind !== 'op' || open.text !== '(') {
      problems.push({ start: name.end, end: name.end, message: `${name.text} takes its values in parentheses: ${name.text}(\`…\`)` });
      return false;
    }
    position++;
    const values: Extract<Token, { kind: 'value' }>[] = [];
    for (;;) {
      const value = peek();
      // A trailing comma is Go's, and Traefik's: Host(`a`,) is Host(`a`).
      if (value?.kind === 'op' && value.text === ')') break;
      if (value?.kind !== 'value') {
        fail(value, value ? `${name.text} takes values in backticks or double quotes, not "${rule.slice(value.start, value.end)}"` : `${name.text}( is never closed`);
        return false;
      }
      values.push(value);
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
    if (arities && !arities.includes(values.length)) {
      problems.push({ start: name.start, end: close.end, message: `${name.text} takes ${arities.join(' or ')} ${arities.length === 1 && arities[0] === 1 ? 'value' : 'values'}, not ${values.length}${known === 'Host' && values.length > 1 ? ' (Traefik v3 dropped Host(`a`, `b`): write Host(`a`) || Host(`b`))' : ''}` });
    } else if (known) {
      checkValues(rule, known, values, problems);
    }
    return true;
  };

  if (expression() && position < tokens.length) {
    const extra = tokens[position]!;
    fail(extra, extra.kind === 'op' && extra.text === ')' ? 'this ) closes nothing' : `"${rule.slice(extra.start, extra.end)}" follows a complete matcher: join matchers with && or ||`);
  }
  return problems;
}

/**
 * What Traefik checks of a matcher's values when it adds the rule: none empty; Host ASCII; Path and PathPrefix
 * starting with /; regular expressions that Go compiles; ClientIP an IP or a CIDR. A double-quoted value is a
 * Go string literal first: an escape Go does not know (`\.`) refuses the whole rule.
 */
function checkValues(rule: string, matcher: string, values: readonly { start: number; end: number }[], problems: RuleProblem[]): void {
  values.forEach((token, index) => {
    const at = (message: string) => problems.push({ start: token.start, end: token.end, message });
    const raw = rule.slice(token.start, token.end);
    if (raw.startsWith("'")) return;
    const value = raw.startsWith('"') ? goUnquote(raw) : raw.slice(1, -1);
    if (typeof value !== 'string') {
      at(`${value.problem} in a double-quoted value (a Go string literal: write \\ for a backslash, or use backticks)`);
      return;
    }
    if (value === '') {
      at(`${matcher} takes no empty value`);
      return;
    }
    if (matcher === 'Host' && [...value].some((char) => char.charCodeAt(0) > 0x7f)) at(`Host takes ASCII only: write an internationalised name in its xn-- form`);
    if ((matcher === 'Path' || matcher === 'PathPrefix') && !value.startsWith('/')) at(`${matcher} takes a path that starts with /`);
    if (REGEXP_VALUE[matcher] === index) {
      const problem = goRegexpProblem(value);
      if (problem) at(`${matcher}: ${problem} (Go's regular expressions: no lookaround, no backreference)`);
    }
    if (matcher === 'ClientIP' && !isIpOrCidr(value)) at(`ClientIP takes an IP address or a CIDR range (10.0.0.0/8), not "${value}"`);
  });
}

/** A Go interpreted string literal's value, or what is wrong with it (an escape Go refuses, a raw newline). */
export function goUnquote(literal: string): string | { problem: string } {
  const body = literal.slice(1, -1);
  let value = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char === '\n') return { problem: 'a line break' };
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = body[index + 1];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
    if (next !== undefined && Object.hasOwn(simple, next)) {
      value += simple[next];
      index++;
      continue;
    }
    const hex = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hex > 0) {
      const digits = body.slice(index + 2, index + 2 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) return { problem: `the escape \\${next} needs ${hex} hex digits` };
      value += String.fromCodePoint(parseInt(digits, 16));
      index += 1 + hex;
      continue;
    }
    const octal = body.slice(index + 1, index + 4);
    if (/^[0-7]{3}$/.test(octal)) {
      value += String.fromCharCode(parseInt(octal, 8));
      index += 3;
      continue;
    }
    return { problem: `the escape \\${next ?? ''} is unknown to Go` };
  }
  return value;
}

/** Escapes Go's regexp knows after a backslash (letters; any ASCII punctuation is itself). */
const GO_REGEXP_ESCAPES = new Set([...'aftnrvdDsSwWbBAzpPQEx']);

/**
 * Why Go's regexp package would refuse a pattern, or undefined. Go's syntax (RE2) is checked by JavaScript's
 * parser after Go's own forms are rewritten ((?i) flags, (?P<name>), \Q…\E), with what Go refuses and
 * JavaScript takes refused first: lookaround, backreferences, unknown letter escapes.
 */
export function goRegexpProblem(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return 'lookaround ((?=, (?!, (?<=, (?<!) is not supported';
  let rewritten = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\') {
      const next = pattern[index + 1];
      if (next === undefined) return 'a trailing backslash';
      if (next === 'Q') {
        // \Q…\E: everything in between is literal.
        const end = pattern.indexOf('\\E', index + 2);
        const literal = pattern.slice(index + 2, end < 0 ? pattern.length : end);
        rewritten += literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        index = end < 0 ? pattern.length : end + 1;
        continue;
      }
      if (/[1-9]/.test(next) && !/[0-7]/.test(pattern[index + 2] ?? '')) return `invalid escape sequence \\${next} (a backreference)`;
      if (/[A-Za-z]/.test(next) && !GO_REGEXP_ESCAPES.has(next)) return `invalid escape sequence \\${next}`;
      if (/[^\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e0-9A-Za-z]/.test(next)) return `invalid escape sequence \\${next}`;
      rewritten += next === 'z' ? '$' : next === 'A' ? '^' : next === 'p' || next === 'P' ? '.' : `\\${next}`;
      if ((next === 'p' || next === 'P') && pattern[index + 2] === '{') {
        const close = pattern.indexOf('}', index + 2);
        if (close < 0) return 'a \\p{ that is never closed';
        index = close;
        continue;
      }
      if (next === 'p' || next === 'P') index++;
      index++;
      continue;
    }
    if (char === '(' && pattern[index + 1] === '?') {
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(index));
      if (named) {
        rewritten += `(?<${named[1]}>`;
        index += named[0].length - 1;
        continue;
      }
      const flags = /^\(\?(-?[imsU]+(?:-[imsU]+)?)(:|\))/.exec(pattern.slice(index));
      if (flags) {
        // Go's flags change matching, not syntax: (?i) disappears, (?i:…) becomes a plain group.
        rewritten += flags[2] === ':' ? '(?:' : '';
        index += flags[0].length - 1;
        continue;
      }
    }
    if (char === '[' && pattern.startsWith('[:', index)) {
      const posix = /^\[:\^?(alnum|alpha|ascii|blank|cntrl|digit|graph|lower|print|punct|space|upper|word|xdigit):\]/.exec(pattern.slice(index));
      if (posix) {
        rewritten += 'a';
        index += posix[0].length - 1;
        continue;
      }
    }
    rewritten += char;
  }
  try {
    new RegExp(rewritten);
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^Invalid regular expression: \/.*\/: /, '');
  }
  const repeat = /\{(\d+)(?:,(\d*))?\}/g;
  for (let match = repeat.exec(pattern); match; match = repeat.exec(pattern)) {
    if (Number(match[1]) > 1000 || Number(match[2] || 0) > 1000) return 'a repeat count above 1000';
  }
  return undefined;
}

/** An IPv4 or IPv6 address, or a CIDR range of one (as Go's net.ParseIP / ParseCIDR take them). */
export function isIpOrCidr(value: string): boolean {
  const [address = '', prefix, extra] = value.split('/');
  if (extra !== undefined) return false;
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(address);
  let v6 = false;
  if (!v4 && address.includes(':') && /^[0-9A-Fa-f:.]+$/.test(address)) {
    try {
      new URL(`http://[${address}]/`);
      v6 = true;
    } catch {
      v6 = false;
    }
  }
  if (!v4 && !v6) return false;
  if (prefix === undefined) return true;
  return /^(0|[1-9]\d{0,2})$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128);
}
