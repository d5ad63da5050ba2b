/**
 * The Rhino dialect check on scripts no one writes by hand: nested thousands of levels deep (a
 * dialect error, never a stack overflow of the emulator), and `const` declarations inside another
 * `const`'s initialiser (rewritten as Rhino runs them, like any other).
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { checkDialect, MAX_SYNTAX_DEPTH } from '../../emulator/journeys/scripts/rhino-dialect.js';
import { esvsRead, possibleOutcomes } from '../../emulator/journeys/scripts/lint-scripts.js';

describe('a script nested deeper than the emulator analyses', () => {
  const tooDeep = `the script nests more than ${MAX_SYNTAX_DEPTH} levels deep, more than the emulator analyses`;

  it.each([
    [
      'blocks, past the limit',
      `${'{'.repeat(MAX_SYNTAX_DEPTH + 50)}\nconst a = 1;\n${'}'.repeat(MAX_SYNTAX_DEPTH + 50)}\noutcome = "x";`,
    ],
    ['blocks, past what acorn can parse', `${'{'.repeat(100_000)}${'}'.repeat(100_000)}\noutcome = "x";`],
    ['parentheses', `var x = ${'('.repeat(20_000)}1${')'.repeat(20_000)};\noutcome = "x";`],
    ['a chain of + terms', `var x = ${Array.from({ length: 50_000 }, () => 'a').join(' + ')};\noutcome = "x";`],
    ['nested functions', `${'(function () {'.repeat(3_000)}${'})();'.repeat(3_000)}\noutcome = "x";`],
  ])('is a dialect error, not a crash: %s', (_name, source) => {
    const { errors } = checkDialect(source);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe(tooDeep);
    // The linter's own walks never see such a tree.
    expect(possibleOutcomes(source)).toEqual([]);
    expect(esvsRead(source)).toEqual([]);
  });

  it('a script nested as deep as the limit is analysed as any other', () => {
    const depth = MAX_SYNTAX_DEPTH - 10;
    const source = `${'{'.repeat(depth)}\nvar e = systemEnv.getProperty("esv.deep"); outcome = "x";\n${'}'.repeat(depth)}`;
    expect(checkDialect(source).errors).toEqual([]);
    expect(possibleOutcomes(source)).toEqual(['x']);
    expect(esvsRead(source)).toEqual(['esv.deep']);
  });
});

describe('const inside the initialiser of another const', () => {
  const run = (source: string) => {
    const { errors, source: rewritten } = checkDialect(source);
    expect(errors).toEqual([]);
    expect(rewritten).not.toMatch(/\bconst\b/);
    const results: unknown[] = [];
    runInNewContext(rewritten, { results });
    return results;
  };

  it('keeps its first value in a loop, as Rhino does', () => {
    const source =
      'function outer() { const g = function () { for (var i = 0; i < 3; i++) { const x = i; results.push(x); } }; g(); } outer();';
    expect(run(source)).toEqual([0, 0, 0]);
  });

  it('at the top level, as in a function, each declarator’s initialiser rewritten', () => {
    // The top-level `f` reads back undefined (Rhino), but its initialiser runs. In its loop, `y`
    // and `z` keep their first values, so `z`'s initialiser runs once, and so does `w`'s.
    const source =
      'const f = (function () { for (var i = 0; i < 2; i++) {' +
      ' const y = i, z = (function () { for (var j = 5; j < 7; j++) { const w = j; results.push(w); } return 1; })(); results.push(y, z); } })();\n' +
      'results.push(typeof f);';
    expect(run(source)).toEqual([5, 5, 0, 1, 0, 1, 'undefined']);
  });
});
