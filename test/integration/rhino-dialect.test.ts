/**
 * Every construct measured on AIC's Rhino 1.7.14 (agiledigital-labs/pingone-aic-manager docs/rhino-local-harness.md),
 * run as a journey's script, against its documented result: what works, what is a parse error (with Rhino's
 * message), what reads back undefined, what globals are absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { startEmulator } from '../helpers/tenant.js';
import { runScript } from '../helpers/script-journey.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const report = (expression: string) => `nodeState.putShared("result", ${expression}); outcome = "done";`;

describe('what works', () => {
  it.each([
    ['var', 'var x = 1; var y = x + 1;', 'y', 2],
    ['const inside a function', '(function () { const a = 5; nodeState.putShared("result", a); }());', undefined, 5],
    ['arrow functions', 'var add = (a, b) => a + b;', 'add(2, 3)', 5],
    ['template literals', 'var who = "AIC";', '`hello ${who}`', 'hello AIC'],
    [
      'Array.prototype.includes and find',
      'var a = [1, 2, 3];',
      'a.includes(2) && a.find(function (x) { return x > 1; }) === 2',
      true,
    ],
    ['Array.from', '', 'Array.from("ab").length', 2],
    [
      'String.prototype.includes/startsWith/endsWith/repeat',
      '',
      '"abc".includes("b") && "abc".startsWith("a") && "abc".endsWith("c") && "ab".repeat(2) === "abab"',
      true,
    ],
    ['String.prototype.normalize', '', '"é".normalize("NFD").length', 2],
    ['Object.assign and Object.keys', '', 'Object.keys(Object.assign({a: 1}, {b: 2})).join(",")', 'a,b'],
    ['JSON', '', 'JSON.stringify(JSON.parse("{\\"a\\":[1]}"))', '{"a":[1]}'],
    ['java.util.ArrayList', 'var list = new java.util.ArrayList(); list.add("x");', 'list.size()', 1],
    ['java.util.HashSet', 'var set = new java.util.HashSet(); set.add("x");', 'set.size()', 1],
  ])('%s', async (_name, setup, expression, expected) => {
    const run = await runScript(
      emulator,
      expression === undefined ? `${setup} outcome = "done";` : `${setup}\n${report(expression)}`,
    );
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual(expected);
  });
});

describe('const, as Rhino runs it', () => {
  it('at the top level parses but reads back undefined', async () => {
    expect((await runScript(emulator, `const a = 1;\n${report('typeof a')}`)).result).toBe('undefined');
  });

  it('in a loop body inside a function is initialised once (0,0,0)', async () => {
    const run = await runScript(
      emulator,
      `(function () { var out = []; for (var i = 0; i < 3; i++) { const c = i; out.push(c); } nodeState.putShared("result", out.join(",")); }()); outcome = "done";`,
    );
    expect(run.result).toBe('0,0,0');
  });

  it('in a top-level loop body reads back undefined (,,)', async () => {
    const run = await runScript(
      emulator,
      `var out = []; for (var i = 0; i < 3; i++) { const c = i; out.push(c); }\n${report('out.join(",")')}`,
    );
    expect(run.result).toBe(',,');
  });
});

describe('what Rhino does not parse', () => {
  it.each([
    ['let', 'let x = 1;', 'missing ; before statement (probe'],
    ['object shorthand', 'var a = 1; var o = {a};', 'missing : after property id (probe'],
    ['destructuring', 'var {a, b} = {a: 1, b: 2};', 'missing variable name (probe'],
    ['default parameters', 'function f(a = 1) { return a; }', 'missing ) after formal parameters (probe'],
    ['for…of', 'for (var x of [1, 2]) {}', 'missing ; after for-loop initializer (probe'],
    ['const in a for head', 'for (const i = 0; i < 1;) {}', 'missing ; after for-loop initializer (probe'],
    [
      'the same const twice in one function',
      '(function () { const a = 1; const a = 2; }());',
      'redeclaration of const a. (probe',
    ],
    ['classes', 'class A {}', 'identifier is a reserved word: class (probe'],
  ])('%s: a parse error in Rhino’s words, and the journey fails', async (_name, source, message) => {
    const run = await runScript(emulator, `${source}\noutcome = "done";`);
    expect(run.status).toBe(401);
    expect(run.error).toContain(message);
    expect(run.error).toMatch(/#1\)$/);
  });
});

describe('globals Rhino does not have', () => {
  it.each([
    'Map',
    'Set',
    'WeakMap',
    'WeakSet',
    'Symbol',
    'Promise',
    'Proxy',
    'Reflect',
    'console',
    'process',
    'require',
    'setTimeout',
  ])('typeof %s is "undefined"', async (name) => {
    expect((await runScript(emulator, report(`typeof ${name}`))).result).toBe('undefined');
  });

  it('new Map() is a ReferenceError in Rhino’s words', async () => {
    const run = await runScript(emulator, 'var m = new Map();\noutcome = "done";');
    expect(run.error).toBe('ReferenceError: "Map" is not defined. (probe-' + run.error?.split('probe-')[1]);
    expect(run.error).toMatch(/^ReferenceError: "Map" is not defined\. \(probe-\d+#1\)$/);
  });

  it('java.util.HashMap is not a function in next-gen scripts, and works in legacy ones', async () => {
    const nextGen = await runScript(emulator, 'var m = new java.util.HashMap();\noutcome = "done";');
    expect(nextGen.error).toContain('[JavaPackage java.util.HashMap] is not a function');
    const legacy = await runScript(
      emulator,
      'var m = new java.util.HashMap(); m.put("a", "b");\nsharedState.put("result", m.get("a")); outcome = "done";',
      { engine: '1.0' },
    );
    expect(legacy.error).toBeUndefined();
    expect(legacy.result).toBe('b');
  });
});
