/**
 * The JavaScript dialect AIC runs scripts in: Rhino 1.7.14 at language version DEFAULT (measured on
 * AIC: agiledigital-labs/pingone-aic-manager docs/rhino-local-harness.md and
 * docs/rhino-local-gaps.md). A script is parsed with a real parser (acorn); what Rhino would not
 * parse is reported with Rhino's message and line, and what Rhino runs differently from V8 is
 * rewritten so that it behaves as on AIC:
 * - `let`, object shorthand, destructuring, default parameters, `for…of`, classes, spread, async
 *   functions, generators, optional chaining, `??`, BigInt, modules: parse errors;
 * - `const` twice in one function: `redeclaration of const <name>.`; `const` in a loop head: an error;
 * - `const` at the top level of a script: reads back `undefined`;
 * - `const` inside a function: initialised the first time its declaration runs, never again (a
 *   `const` in a loop body keeps its first value).
 * Hostile sources cost time linear in their size (acorn's scope bookkeeping is indexed, the walks
 * carry their state down), and one nested deeper than MAX_SYNTAX_DEPTH is an error, not a stack
 * overflow of the emulator.
 */
import { Parser, type Node as AcornNode, type Options } from 'acorn';
import { base, recursive, simple } from 'acorn-walk';
import MagicString from 'magic-string';

export interface DialectError {
  message: string;
  line: number;
  column: number;
}

export interface DialectResult {
  /** Errors Rhino would raise while compiling; empty when the script parses. */
  errors: DialectError[];
  /** The source to run (rewritten where Rhino's semantics differ); only meaningful without errors. */
  source: string;
}

const PARSE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  sourceType: 'script',
  locations: true,
  allowReturnOutsideFunction: false,
  allowHashBang: false,
};

type Located = AcornNode & { loc?: { start: { line: number; column: number } } | null };
type AnyNode = Located & Record<string, any>;

/**
 * A scope's declared names, as acorn keeps them (an array it pushes to and searches with
 * `indexOf`), with an index beside the array so that each search is one lookup. acorn searches the
 * names of the scope for every name declared in it: a script of 60,000 `const` declarations cost
 * billions of string comparisons (50 s of a blocked main thread at import). Only `push` and
 * `indexOf` are used on these arrays (acorn's `declareName` and `checkLocalExport`).
 */
class IndexedNames extends Array<string> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  private readonly first = new Map<string, number>();

  override push(...names: string[]): number {
    for (const name of names) {
      if (!this.first.has(name)) this.first.set(name, this.length);
      super.push(name);
    }
    return this.length;
  }

  override indexOf(name: string, fromIndex?: number): number {
    if (fromIndex !== undefined) return super.indexOf(name, fromIndex);
    return this.first.get(name) ?? -1;
  }
}

type ScopeRecord = { var?: unknown; lexical?: unknown; functions?: unknown };

/**
 * acorn with IndexedNames in every scope it enters. The scope records are acorn internals
 * (`enterScope`, `scopeStack`, unchanged since acorn 6); should they change, the parser falls back
 * to acorn's own arrays, and test/unit/linear-input.test.ts fails on the time it then takes.
 */
const LinearScopeParser = Parser.extend(
  (Base) =>
    class extends (Base as unknown as new (...args: any[]) => {
      enterScope(flags: number): void;
      scopeStack?: ScopeRecord[];
    }) {
      override enterScope(flags: number): void {
        super.enterScope(flags);
        const scope = this.scopeStack?.[this.scopeStack.length - 1];
        if (scope && Array.isArray(scope.var) && Array.isArray(scope.lexical) && Array.isArray(scope.functions)) {
          scope.var = new IndexedNames();
          scope.lexical = new IndexedNames();
          scope.functions = new IndexedNames();
        }
      }
    } as unknown as typeof Parser,
);

/**
 * The deepest syntax tree the emulator analyses. The walks over a script's tree (acorn-walk's, the
 * linter's) recurse, three stack frames a level: a script of 3,000 nested blocks (or parentheses,
 * or `a + a + ...` terms) would overflow the stack of whoever asked. Real scripts nest tens deep.
 */
export const MAX_SYNTAX_DEPTH = 1000;

/** A script nested deeper than MAX_SYNTAX_DEPTH: an error where it gets too deep, as a parse error would be. */
export class NestingError extends SyntaxError {
  constructor(readonly loc: { line: number; column: number }) {
    super(`the script nests more than ${MAX_SYNTAX_DEPTH} levels deep, more than the emulator analyses`);
  }
}

/**
 * acorn's `parse`, in time linear in the number of names a scope declares, refusing a tree deeper
 * than MAX_SYNTAX_DEPTH (NestingError). Every parse of a script's source goes through this.
 */
export function parseScript(source: string, options: Options): AcornNode {
  const program = LinearScopeParser.parse(source, options);
  checkDepth(program as AnyNode);
  return program;
}

/** Throws NestingError at the first node deeper than MAX_SYNTAX_DEPTH; a loop with its own stack, so it cannot overflow. */
function checkDepth(program: AnyNode): void {
  const pending: [AnyNode, number][] = [[program, 0]];
  const isNode = (value: unknown): value is AnyNode =>
    typeof value === 'object' && value !== null && typeof (value as AnyNode).type === 'string';
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [node, depth] = item;
    if (depth > MAX_SYNTAX_DEPTH)
      throw new NestingError({ line: node.loc?.start.line ?? 1, column: node.loc?.start.column ?? 0 });
    for (const key in node) {
      if (key === 'loc') continue;
      const value: unknown = node[key];
      if (Array.isArray(value)) {
        for (const element of value) if (isNode(element)) pending.push([element, depth + 1]);
      } else if (isNode(value)) pending.push([value, depth + 1]);
    }
  }
}

function at(node: Located, message: string): DialectError {
  return { message, line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 };
}

/** Rhino's words for a V8 parse error, where they differ: most read "syntax error". */
function rhinoParseMessage(message: string): string {
  const redeclared = /Identifier '([^']+)' has already been declared/.exec(message);
  if (redeclared) return `redeclaration of const ${redeclared[1]}.`;
  if (/Unexpected token \(\d+:\d+\)/.test(message) || /Unexpected character/.test(message)) return 'syntax error';
  if (/Unterminated string constant/.test(message)) return 'unterminated string literal';
  if (/Unterminated comment/.test(message)) return 'unterminated comment';
  if (/Unterminated template/.test(message)) return 'unterminated template literal';
  if (/Unterminated regular expression/.test(message)) return 'unterminated regular expression literal';
  return 'syntax error';
}

export function checkDialect(source: string): DialectResult {
  let program: AnyNode;
  try {
    program = parseScript(source, PARSE_OPTIONS) as AnyNode;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    // acorn's own recursion running out of stack ("Not enough stack space", or a RangeError): nested far too deep.
    const tooDeep =
      error instanceof NestingError ||
      error instanceof RangeError ||
      /^Not enough stack space/.test((error as Error).message);
    const message = tooDeep
      ? new NestingError({ line: 1, column: 0 }).message
      : rhinoParseMessage((error as Error).message);
    return { errors: [{ message, line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 }], source };
  }
  const errors: DialectError[] = [];
  const add = (node: Located, message: string) => errors.push(at(node, message));

  simple(program as never, {
    VariableDeclaration(node: AnyNode) {
      if (node.kind === 'let') add(node, 'missing ; before statement');
      for (const declarator of node.declarations as AnyNode[]) {
        if (declarator.id.type !== 'Identifier') add(declarator, 'missing variable name');
      }
    },
    Property(node: AnyNode) {
      if (node.shorthand) add(node, 'missing : after property id');
    },
    AssignmentExpression(node: AnyNode) {
      if (node.left.type === 'ObjectPattern' || node.left.type === 'ArrayPattern')
        add(node, 'invalid assignment left-hand side');
    },
    ForOfStatement(node: AnyNode) {
      add(node, 'missing ; after for-loop initializer');
    },
    ClassDeclaration(node: AnyNode) {
      add(node, 'identifier is a reserved word: class');
    },
    ClassExpression(node: AnyNode) {
      add(node, 'identifier is a reserved word: class');
    },
    SpreadElement(node: AnyNode) {
      add(node, 'syntax error');
    },
    ChainExpression(node: AnyNode) {
      add(node, 'syntax error');
    },
    LogicalExpression(node: AnyNode) {
      if (node.operator === '??') add(node, 'syntax error');
    },
    AwaitExpression(node: AnyNode) {
      add(node, 'missing ; before statement');
    },
    Literal(node: AnyNode) {
      if (typeof node.bigint === 'string') add(node, 'missing ; before statement');
    },
    ImportExpression(node: AnyNode) {
      add(node, 'syntax error');
    },
    MetaProperty(node: AnyNode) {
      add(node, 'syntax error');
    },
  });
  const functionLike = (node: AnyNode) => {
    if (node.async) add(node, 'missing ; before statement');
    if (node.generator) add(node, 'syntax error');
    for (const param of node.params as AnyNode[]) {
      if (param.type === 'AssignmentPattern') add(param, 'missing ) after formal parameters');
      else if (param.type === 'RestElement') add(param, 'syntax error');
      else if (param.type !== 'Identifier') add(param, 'missing formal parameter');
    }
  };
  simple(program as never, {
    FunctionDeclaration: functionLike,
    FunctionExpression: functionLike,
    ArrowFunctionExpression: functionLike,
  });
  simple(program as never, {
    ForStatement(node: AnyNode) {
      if (node.init?.type === 'VariableDeclaration' && node.init.kind === 'const')
        add(node.init, 'missing ; after for-loop initializer');
    },
    ForInStatement(node: AnyNode) {
      if (node.left.type === 'VariableDeclaration' && node.left.kind === 'const')
        add(node.left, 'invalid for/in left-hand side');
    },
  });
  const consts = constDeclarations(program);
  checkConstRedeclarations(consts, program, add);
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (errors.length > 0) return { errors, source };
  return { errors, source: rewriteConsts(source, consts.roots) };
}

/** A `const` declaration, the function it is in (the program at the top level), and the `const` declarations inside its initialisers. */
interface ConstDeclaration {
  node: AnyNode;
  scope: AnyNode;
  inner: ConstDeclaration[];
}

/**
 * Every `const` declaration, in one walk that carries the enclosing function down the tree (not a
 * search up the ancestors of each declaration, which costs their depth every time): `all` in
 * source order, `roots` those not inside another one's initialiser.
 */
function constDeclarations(program: AnyNode): { all: ConstDeclaration[]; roots: ConstDeclaration[] } {
  const all: ConstDeclaration[] = [];
  const roots: ConstDeclaration[] = [];
  type State = { scope: AnyNode; into: ConstDeclaration[] };
  recursive(program as never, { scope: program, into: roots }, {
    Function(node: AnyNode, state: State, c: (node: AnyNode, state: State, type?: string) => void) {
      (base as any).Function(node, { scope: node, into: state.into }, c);
    },
    VariableDeclaration(node: AnyNode, state: State, c: (node: AnyNode, state: State, type?: string) => void) {
      if (node.kind !== 'const') return (base as any).VariableDeclaration(node, state, c);
      const declaration: ConstDeclaration = { node, scope: state.scope, inner: [] };
      all.push(declaration);
      state.into.push(declaration);
      (base as any).VariableDeclaration(node, { scope: state.scope, into: declaration.inner }, c);
    },
  } as never);
  return { all, roots };
}

/** `const x` declared twice in one function (or twice at the top level) is a compile error in Rhino. */
function checkConstRedeclarations(
  consts: { all: ConstDeclaration[] },
  program: AnyNode,
  add: (node: Located, message: string) => void,
): void {
  const seen = new Map<AnyNode, Set<string>>([[program, new Set()]]);
  for (const { node, scope } of consts.all) {
    const names = seen.get(scope) ?? new Set<string>();
    seen.set(scope, names);
    for (const declarator of node.declarations as AnyNode[]) {
      if (declarator.id.type !== 'Identifier') continue;
      if (names.has(declarator.id.name)) add(declarator, `redeclaration of const ${declarator.id.name}.`);
      names.add(declarator.id.name);
    }
  }
}

/**
 * Rewrites `const` declarations to behave as Rhino's do (see the module comment). A declaration
 * inside another's initialiser (`const f = function () { const x = ...; }`) is rewritten too: the
 * outer one's replacement is built from its initialisers' rewritten text.
 */
function rewriteConsts(source: string, roots: ConstDeclaration[]): string {
  if (roots.length === 0) return source;
  const text = new MagicString(source);
  // Roots are disjoint and in source order: each overwrite splits the chunk after the last one.
  for (const declaration of roots)
    text.overwrite(declaration.node.start, declaration.node.end, replacement(source, declaration));
  return text.toString();
}

function replacement(source: string, { node, scope, inner }: ConstDeclaration): string {
  const declarators = node.declarations as AnyNode[];
  const names = declarators.map((declarator) => declarator.id.name as string);
  let next = 0;
  const inits = declarators.map((declarator) => {
    if (!declarator.init) return 'undefined';
    const { start, end } = declarator.init as AnyNode;
    const within: ConstDeclaration[] = [];
    while (next < inner.length && (inner[next] as ConstDeclaration).node.start < end)
      within.push(inner[next++] as ConstDeclaration);
    return rewritten(source, start, end, within);
  });
  let text: string;
  if (scope.type !== 'Program') {
    // Initialised the first time the declaration runs; later runs leave the value alone.
    text = `var ${names.map((name, i) => `${name} = (typeof ${name} === "undefined" ? (${inits[i]}) : ${name})`).join(', ')};`;
  } else {
    // At the top level Rhino binds the name but reads it back as undefined; the initialiser still runs.
    text = `var ${names.join(', ')}; ${inits.map((init) => `void (${init});`).join(' ')}`;
  }
  // A declaration without its own semicolon (ASI) must not gain one that changes the parse.
  return source[node.end - 1] === ';' ? text : text.slice(0, -1);
}

/** The source from `start` to `end` with the given declarations (disjoint, in order, within the range) rewritten. */
function rewritten(source: string, start: number, end: number, declarations: ConstDeclaration[]): string {
  const parts: string[] = [];
  let at = start;
  for (const declaration of declarations) {
    parts.push(source.slice(at, declaration.node.start), replacement(source, declaration));
    at = declaration.node.end;
  }
  parts.push(source.slice(at, end));
  return parts.join('');
}
