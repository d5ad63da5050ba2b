/**
 * The JavaScript dialect AIC runs scripts in: Rhino 1.7.14 at language version DEFAULT
 * (journey-facts §2.12). A script is parsed with a real parser (acorn); what Rhino would not parse
 * is reported with Rhino's message and line, and what Rhino runs differently from V8 is rewritten
 * so that it behaves as on AIC:
 * - `let`, object shorthand, destructuring, default parameters, `for…of`, classes, spread, async
 *   functions, generators, optional chaining, `??`, BigInt, modules: parse errors;
 * - `const` twice in one function: `redeclaration of const <name>.`; `const` in a loop head: an error;
 * - `const` at the top level of a script: reads back `undefined`;
 * - `const` inside a function: initialised the first time its declaration runs, never again (a
 *   `const` in a loop body keeps its first value).
 */
import { parse, type Node as AcornNode, type Options } from 'acorn';
import { ancestor, simple } from 'acorn-walk';
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

const PARSE_OPTIONS: Options = { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowReturnOutsideFunction: false, allowHashBang: false };

type Located = AcornNode & { loc?: { start: { line: number; column: number } } | null };
type AnyNode = Located & Record<string, any>;

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
    program = parse(source, PARSE_OPTIONS) as AnyNode;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    return { errors: [{ message: rhinoParseMessage((error as Error).message), line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 }], source };
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
      if (node.left.type === 'ObjectPattern' || node.left.type === 'ArrayPattern') add(node, 'invalid assignment left-hand side');
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
  } as never);
  const functionLike = (node: AnyNode) => {
    if (node.async) add(node, 'missing ; before statement');
    if (node.generator) add(node, 'syntax error');
    for (const param of node.params as AnyNode[]) {
      if (param.type === 'AssignmentPattern') add(param, 'missing ) after formal parameters');
      else if (param.type === 'RestElement') add(param, 'syntax error');
      else if (param.type !== 'Identifier') add(param, 'missing formal parameter');
    }
  };
  simple(program as never, { FunctionDeclaration: functionLike, FunctionExpression: functionLike, ArrowFunctionExpression: functionLike } as never);
  simple(program as never, {
    ForStatement(node: AnyNode) {
      if (node.init?.type === 'VariableDeclaration' && node.init.kind === 'const') add(node.init, 'missing ; after for-loop initializer');
    },
    ForInStatement(node: AnyNode) {
      if (node.left.type === 'VariableDeclaration' && node.left.kind === 'const') add(node.left, 'invalid for/in left-hand side');
    },
  } as never);
  checkConstRedeclarations(program, add);
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (errors.length > 0) return { errors, source };
  return { errors, source: rewriteConsts(source, program) };
}

/** `const x` declared twice in one function (or twice at the top level) is a compile error in Rhino. */
function checkConstRedeclarations(program: AnyNode, add: (node: Located, message: string) => void): void {
  const seen = new Map<AnyNode, Set<string>>();
  ancestor(program as never, {
    VariableDeclaration(node: AnyNode, _state: unknown, ancestors: AnyNode[]) {
      if (node.kind !== 'const') return;
      const scope = [...ancestors].reverse().find((item) => item !== node && /Function/.test(item.type)) ?? program;
      const names = seen.get(scope) ?? new Set<string>();
      seen.set(scope, names);
      for (const declarator of node.declarations as AnyNode[]) {
        if (declarator.id.type !== 'Identifier') continue;
        if (names.has(declarator.id.name)) add(declarator, `redeclaration of const ${declarator.id.name}.`);
        names.add(declarator.id.name);
      }
    },
  } as never);
}

/** Rewrites `const` declarations to behave as Rhino's do (see the module comment). */
function rewriteConsts(source: string, program: AnyNode): string {
  const edits: { node: AnyNode; inFunction: boolean }[] = [];
  ancestor(program as never, {
    VariableDeclaration(node: AnyNode, _state: unknown, ancestors: AnyNode[]) {
      if (node.kind !== 'const') return;
      edits.push({ node, inFunction: ancestors.some((item) => item !== node && /Function/.test(item.type)) });
    },
  } as never);
  if (edits.length === 0) return source;
  const text = new MagicString(source);
  for (const { node, inFunction } of edits) {
    const declarators = node.declarations as AnyNode[];
    const names = declarators.map((declarator) => declarator.id.name as string);
    const inits = declarators.map((declarator) => (declarator.init ? source.slice(declarator.init.start, declarator.init.end) : 'undefined'));
    let replacement: string;
    if (inFunction) {
      // Initialised the first time the declaration runs; later runs leave the value alone.
      replacement = `var ${names.map((name, i) => `${name} = (typeof ${name} === "undefined" ? (${inits[i]}) : ${name})`).join(', ')};`;
    } else {
      // At the top level Rhino binds the name but reads it back as undefined; the initialiser still runs.
      replacement = `var ${names.join(', ')}; ${inits.map((init) => `void (${init});`).join(' ')}`;
    }
    // A declaration without its own semicolon (ASI) must not gain one that changes the parse.
    text.overwrite(node.start, node.end, source[node.end - 1] === ';' ? replacement : replacement.replace(/;$/, ''));
  }
  return text.toString();
}
