/**
 * CREST `_queryFilter` expressions (used by AM's session query, IDM queries and the Query Filter
 * Decision node): parsed into a tree, and evaluated against a JSON object. Grammar (CREST's):
 * `or` binds loosest, then `and`, then `!`; comparisons are `<field> <op> <value>` with op in
 * eq co sw gt ge lt le, `<field> pr`, and the literals `true` / `false`. Fields are names or
 * JSON pointers (`/preferences/marketing`); values are JSON literals, or strings in single quotes.
 */

export type FilterNode =
  | { type: 'and' | 'or'; children: FilterNode[] }
  | { type: 'not'; child: FilterNode }
  | { type: 'literal'; value: boolean }
  | { type: 'present'; field: string }
  | { type: 'compare'; op: string; field: string; value: unknown };

export class FilterSyntaxError extends Error {}

/**
 * A token as an error message quotes it: at most 40 characters. A filter can be a megabyte long
 * (a script's `openidm.query`, a node's config), and its messages go back to clients and the linter.
 */
function excerpt(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

const OPERATORS = new Set(['eq', 'co', 'sw', 'gt', 'ge', 'lt', 'le']);
const MAX_DEPTH = 64;

type Token = { kind: 'word' | 'string' | 'number' | 'punct'; text: string; value?: unknown };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === '!') {
      tokens.push({ kind: 'punct', text: ch });
      i += 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw new FilterSyntaxError('unterminated string');
      const text = input.slice(i, j + 1);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new FilterSyntaxError(`bad string literal ${excerpt(text)}`);
      }
      tokens.push({ kind: 'string', text, value });
      i = j + 1;
    } else if (ch === "'") {
      // CREST takes single-quoted strings too (frodo sends `_id sw 'emailTemplate'`, AIC answers 200).
      let j = i + 1;
      let json = '';
      while (j < input.length && input[j] !== "'") {
        const c = input[j] as string;
        if (c === '\\') {
          const escaped = input[j + 1] ?? '';
          json += escaped === "'" ? "'" : `\\${escaped}`;
          j += 2;
        } else {
          json += c === '"' ? '\\"' : c;
          j += 1;
        }
      }
      if (j >= input.length) throw new FilterSyntaxError('unterminated string');
      const text = input.slice(i, j + 1);
      let value: unknown;
      try {
        value = JSON.parse(`"${json}"`);
      } catch {
        throw new FilterSyntaxError(`bad string literal ${excerpt(text)}`);
      }
      tokens.push({ kind: 'string', text, value });
      i = j + 1;
    } else {
      let j = i;
      while (j < input.length && !/[\s()!"]/.test(input[j] as string)) j += 1;
      const text = input.slice(i, j);
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) tokens.push({ kind: 'number', text, value: Number(text) });
      else tokens.push({ kind: 'word', text });
      i = j;
    }
  }
  return tokens;
}

export function parseQueryFilter(input: string): FilterNode {
  const tokens = tokenize(input);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position];
    if (!token) throw new FilterSyntaxError('unexpected end of filter');
    position += 1;
    return token;
  };
  const isWord = (token: Token | undefined, word: string) =>
    token?.kind === 'word' && token.text.length === word.length && token.text.toLowerCase() === word;

  const parseOr = (depth: number): FilterNode => {
    if (depth > MAX_DEPTH) throw new FilterSyntaxError('filter nested too deeply');
    const children = [parseAnd(depth + 1)];
    while (isWord(peek(), 'or')) {
      next();
      children.push(parseAnd(depth + 1));
    }
    return children.length === 1 ? (children[0] as FilterNode) : { type: 'or', children };
  };
  const parseAnd = (depth: number): FilterNode => {
    const children = [parseUnary(depth + 1)];
    while (isWord(peek(), 'and')) {
      next();
      children.push(parseUnary(depth + 1));
    }
    return children.length === 1 ? (children[0] as FilterNode) : { type: 'and', children };
  };
  const parseUnary = (depth: number): FilterNode => {
    if (depth > MAX_DEPTH) throw new FilterSyntaxError('filter nested too deeply');
    const token = next();
    if (token.kind === 'punct' && token.text === '!') return { type: 'not', child: parseUnary(depth + 1) };
    if (token.kind === 'punct' && token.text === '(') {
      const inner = parseOr(depth + 1);
      const close = next();
      if (close.kind !== 'punct' || close.text !== ')') throw new FilterSyntaxError('expected )');
      return inner;
    }
    if (token.kind !== 'word') throw new FilterSyntaxError(`unexpected ${excerpt(token.text)}`);
    if (token.text === 'true' || token.text === 'false') return { type: 'literal', value: token.text === 'true' };
    const field = token.text.startsWith('/') ? token.text.slice(1) : token.text;
    const op = next();
    if (op.kind !== 'word') throw new FilterSyntaxError(`expected an operator after ${excerpt(token.text)}`);
    const operator = op.text.toLowerCase();
    if (operator === 'pr') return { type: 'present', field };
    if (!OPERATORS.has(operator)) throw new FilterSyntaxError(`unknown operator ${excerpt(op.text)}`);
    const value = next();
    if (value.kind === 'string' || value.kind === 'number')
      return { type: 'compare', op: operator, field, value: value.value };
    if (value.kind === 'word' && (value.text === 'true' || value.text === 'false' || value.text === 'null')) {
      return { type: 'compare', op: operator, field, value: JSON.parse(value.text) };
    }
    throw new FilterSyntaxError(`expected a value after ${excerpt(op.text)}`);
  };

  const tree = parseOr(0);
  if (position !== tokens.length) throw new FilterSyntaxError(`unexpected ${excerpt(tokens[position]?.text ?? '')}`);
  return tree;
}

/** The value at a JSON pointer (`preferences/marketing`), own properties only. */
export function valueAt(object: unknown, field: string): unknown {
  let value: unknown = object;
  for (const part of field
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function compare(actual: unknown, op: string, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((item) => compare(item, op, expected));
  if (actual === undefined || actual === null) return false;
  switch (op) {
    case 'eq':
      return typeof actual === 'string' && typeof expected === 'string'
        ? actual.toLowerCase() === expected.toLowerCase()
        : actual === expected;
    case 'co':
      return (
        typeof actual === 'string' &&
        typeof expected === 'string' &&
        actual.toLowerCase().includes(expected.toLowerCase())
      );
    case 'sw':
      return (
        typeof actual === 'string' &&
        typeof expected === 'string' &&
        actual.toLowerCase().startsWith(expected.toLowerCase())
      );
    default: {
      if (typeof actual !== typeof expected || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
      const a = actual;
      const b = expected as number | string;
      return op === 'gt' ? a > b : op === 'ge' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
  }
}

/** Does `object` match the filter? String comparisons ignore case, as IDM's repositories do. */
export function matchesFilter(filter: FilterNode, object: unknown): boolean {
  switch (filter.type) {
    case 'and':
      return filter.children.every((child) => matchesFilter(child, object));
    case 'or':
      return filter.children.some((child) => matchesFilter(child, object));
    case 'not':
      return !matchesFilter(filter.child, object);
    case 'literal':
      return filter.value;
    case 'present': {
      const value = valueAt(object, filter.field);
      return value !== undefined && value !== null;
    }
    case 'compare':
      return compare(valueAt(object, filter.field), filter.op, filter.value);
  }
}
