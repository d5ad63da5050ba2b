/**
 * Linear work on hostile input: every pass the emulator makes over text a client or a script
 * controls (masking for the journal and the runs view, the Rhino dialect check, CREST query
 * filters, AM paths, `Accept-API-Version`, RFC 2047 words, cookies, bearer tokens) is fed about a
 * megabyte of its worst shape, and its time is compared with that of a benign input of the same
 * size measured in the same run (test/helpers/cost.ts). A linear pass stays within a small factor;
 * a quadratic one is thousands of times slower. Where the work is bounded (masking only what is
 * shown), a 16 MiB input costs about what a 1 MiB one does.
 */
import { describe, expect, it } from 'vitest';
import { Journal, maskBody, maskHeaders } from '../../emulator/state/journal.js';
import { diffState, maskText } from '../../emulator/state/journeys/runs.js';
import { checkDialect } from '../../emulator/journeys/scripts/rhino-dialect.js';
import { esvsRead, possibleOutcomes } from '../../emulator/journeys/scripts/lint-scripts.js';
import { FilterSyntaxError, parseQueryFilter } from '../../emulator/core/query-filter.js';
import { parseAmPath } from '../../emulator/http/am/path.js';
import { AmError } from '../../emulator/http/am/errors.js';
import { parseAcceptApiVersion } from '../../emulator/http/am/versioning.js';
import { decodeRfc2047 } from '../../emulator/core/rfc2047.js';
import { bearerToken, tokenFromCookieHeader } from '../../emulator/http/am/caller.js';
import { isLoopbackHost } from '../../emulator/http/am/cookies.js';
import { RealmRegistry } from '../../emulator/state/realms.js';
import { costRatio, MiB, repeatTo, repeatWhole } from '../helpers/cost.js';

/** A linear pass on the worst shape stays within this factor of the benign one (quadratic: thousands). */
const LINEAR = 20;
/** A bounded pass on 16 MiB costs within this factor of 1 MiB (linear: 16). */
const BOUNDED = 4;
/** These measure whole megabytes, several times over, on a shared machine. */
const SLOW = 120_000;

const COOKIE = 'abcdef012345678';
const TOKEN =
  'S4aBkinY3L0Sh2B4jD3vml16N_c.*AAJTSQACMDIAAlNLABxYSzZ5cGl0MjB2Y0NodVVCbzJCcW1OZmRuYz0AAR0eXBlAANDVFMAAlMxAAIwMQ..*';

/** Runs `fn`, returning what it threw (or undefined): hostile input may be refused, but only as the caller expects. */
function attempt(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('journal masking', () => {
  const mask = (cookie: string) => maskHeaders({ cookie }, COOKIE, []);

  it(
    'masks a megabyte-long cookie without "=" in linear time',
    () => {
      const hostile = 'x'.repeat(MiB);
      const normal = repeatTo((i) => `c${i}=v${i}; `, MiB);
      expect(mask(hostile).cookie).toBe(hostile);
      expect(
        costRatio(
          () => mask(hostile),
          () => mask(normal),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it.each([
    ['spaces before an "="', `${' '.repeat(MiB - 3)}a=b`],
    ['"=" at every other character', '=x'.repeat(MiB / 2)],
    ['names broken by spaces', repeatTo('a ', MiB)],
    ['one value to the end', `a=${'x'.repeat(MiB - 2)}`],
  ])(
    'masks a cookie of %s in linear time',
    (_name, hostile) => {
      const normal = repeatTo((i) => `c${i}=v${i}; `, MiB);
      expect(
        costRatio(
          () => mask(hostile),
          () => mask(normal),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it(
    'masks an Authorization header of a scheme, a megabyte of spaces and a line break in linear time',
    () => {
      // A script's outbound headers reach the journal unchecked: a line break is possible there.
      const hostile = `Bearer${' '.repeat(MiB)}x\n`;
      // The same without the line break, which a regex matched in one pass: both are read to the end.
      const normal = `Bearer${' '.repeat(MiB)}x`;
      const masked = maskHeaders({ authorization: hostile }, COOKIE, []).authorization;
      expect(masked).not.toContain('x');
      expect(
        costRatio(
          () => maskHeaders({ authorization: hostile }, COOKIE, []),
          () => maskHeaders({ authorization: normal }, COOKIE, []),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it.each([
    ['an unterminated tokenId', `{"tokenId":"${'a'.repeat(MiB)}`],
    ['a tokenId key and a megabyte of spaces', `{"tokenId"${' '.repeat(MiB)}`],
    ['tokenId keys back to back', repeatTo('{"tokenId":"\\', MiB)],
    ['escapes to the end', `{"password":"${'\\"'.repeat(MiB / 2)}`],
  ])(
    'masks a body that is not JSON with %s in linear time',
    (_name, hostile) => {
      // A body that does not parse either (JSON objects one after another), with a token in each.
      const normal = repeatTo('{"tokenId": "S4aBkinY3L0Sh2B4jD3vml16N_c", "n": 1}, ', MiB);
      expect(maskBody(normal, [])).not.toContain('S4aBkinY3L0Sh2B4jD3vml16N_c');
      expect(
        costRatio(
          () => maskBody(hostile, []),
          () => maskBody(normal, []),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it(
    'reads a journal of 20 hostile cookies about as fast as one of 20 normal ones',
    () => {
      // 16,000 characters: the most a Cookie header can carry through the HTTP parser's 16 KiB limit.
      const journalOf = (cookie: string) => {
        const journal = new Journal(100, () => ({ cookieName: COOKIE, secretValues: ['SECRET-ADMIN-TOKEN'] }));
        for (let i = 0; i < 20; i += 1)
          journal.record({
            kind: 'am',
            timeMs: 0,
            method: 'GET',
            url: `/am/json/serverinfo/*?tokenId=${TOKEN}`,
            requestHeaders: { cookie },
          });
        return journal;
      };
      const hostile = journalOf('x'.repeat(16_000));
      const normal = journalOf(repeatTo((i) => `c${i}=v${i}; `, 16_000));
      expect(hostile.list()[0]?.url).not.toContain(TOKEN);
      expect(
        costRatio(
          () => hostile.list(),
          () => normal.list(),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it(
    'masks a megabyte-long URL of tokenId parameters in linear time',
    () => {
      const journalOf = (url: string) => {
        const journal = new Journal(1, () => ({ cookieName: COOKIE, secretValues: [] }));
        journal.record({ kind: 'outbound', timeMs: 0, method: 'GET', url, requestHeaders: {} });
        return journal;
      };
      // Every parameter is masked in both: the hostile one only packs more of them into a megabyte.
      const hostile = journalOf(`https://x/?${repeatTo('&tokenId=', MiB)}`);
      const normal = journalOf(`https://x/?${repeatTo('&tokenId=S4aBkinY3L0Sh2B4jD3vml16N_c', MiB)}`);
      expect(
        costRatio(
          () => hostile.list(),
          () => normal.list(),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );
});

describe('runs view masking', () => {
  const secrets = ['an-esv-secret-value', 'abcd'];

  it.each([
    ['token-sized runs of token characters', (size: number) => 'a'.repeat(size)],
    ['token heads that never close', (size: number) => repeatTo(`${'a'.repeat(27)}.*bbbb`, size)],
    ['one token head and a run to the end', (size: number) => `${'a'.repeat(27)}.*${'b'.repeat(size - 29)}`],
    ['tokens back to back', (size: number) => repeatTo(TOKEN, size)],
    ['secrets back to back', (size: number) => repeatTo('an-esv-secret-value', size)],
    ['secret prefixes', (size: number) => repeatTo('an-esv-secret-valu', size)],
  ])(
    'masks %s only as far as a line is shown: 16 MiB costs what 1 MiB does',
    (_name, shape) => {
      const small = shape(MiB);
      const large = shape(16 * MiB);
      expect(maskText(large, secrets).length).toBeLessThanOrEqual(2003);
      expect(
        costRatio(
          () => maskText(large, secrets),
          () => maskText(small, secrets),
        ),
      ).toBeLessThan(BOUNDED);
    },
    SLOW,
  );

  it(
    'records a 16 MiB value a script put in shared state at the cost of a 1 MiB one',
    () => {
      const small = { big: 'a'.repeat(MiB) };
      const large = { big: 'a'.repeat(16 * MiB) };
      expect(
        costRatio(
          () => diffState({}, large, secrets),
          () => diffState({}, small, secrets),
        ),
      ).toBeLessThan(BOUNDED);
    },
    SLOW,
  );
});

describe('the Rhino dialect check and the script linter', () => {
  // acorn compares names with a fast indexOf, so its quadratic term only overtakes the parse itself
  // past a few hundred kilobytes: these compare the worst shape at 1 MiB with the same at 256 KiB
  // (linear: 4 times the work; quadratic: 16). Whole statements, so that every shape parses to its
  // end and every check runs over all of it.
  const SCALED = 8;
  const shapes: [string, (size: number) => string][] = [
    ['top-level const declarations', (size) => repeatWhole((i) => `const v${i} = ${i};\n`, size)],
    ['one const with many declarators', (size) => `const v = 0${repeatWhole((i) => `, v${i} = 0`, size)};`],
    [
      'const declarations inside a function',
      (size) => `function f() {\n${repeatWhole((i) => `const v${i} = ${i};\n`, size)}}\n`,
    ],
    [
      'const declarations 900 blocks deep',
      (size) => `${'{'.repeat(900)}\n${repeatWhole((i) => `const v${i} = ${i};\n`, size)}${'}'.repeat(900)}\n`,
    ],
    [
      'let declarations (a dialect error, found after the parse)',
      (size) => repeatWhole((i) => `let v${i} = ${i};\n`, size),
    ],
    ['a const, then var declarations', (size) => `const c = 0;\n${repeatWhole((i) => `var v${i} = ${i};\n`, size)}`],
  ];

  it.each(shapes)(
    'checks a megabyte of %s in linear time',
    (_name, shape) => {
      const [large, small] = [shape(MiB), shape(MiB / 4)];
      // The shapes are valid JavaScript: any error is a dialect error found after the whole parse.
      expect(checkDialect(large).errors.every((error) => error.message === 'missing ; before statement')).toBe(true);
      expect(
        costRatio(
          () => checkDialect(large),
          () => checkDialect(small),
          { rounds: 3 },
        ),
      ).toBeLessThan(SCALED);
    },
    SLOW,
  );

  it.each(shapes.slice(0, 2))(
    'lints a megabyte of %s in linear time',
    (_name, shape) => {
      const [large, small] = [shape(MiB), shape(MiB / 4)];
      const lint = (source: string) => [possibleOutcomes(source), esvsRead(source)];
      expect(
        costRatio(
          () => lint(large),
          () => lint(small),
          { rounds: 3 },
        ),
      ).toBeLessThan(SCALED);
    },
    SLOW,
  );
});

describe('parsers of request data', () => {
  it.each([
    ['open parentheses', '('.repeat(MiB)],
    ['negations', '!'.repeat(MiB)],
    ['an unterminated string', `a eq "${'\\"'.repeat(MiB / 2)}`],
    ['a number that is not one', `a eq ${'1'.repeat(MiB)}x`],
    ['one long word', 'a'.repeat(MiB)],
    ['a long chain of or', repeatTo('a eq 1 or ', MiB - 10) + 'a eq 1'],
    ['stray closing parentheses', `true${')'.repeat(MiB)}`],
    ['an unknown operator', `a ${'b'.repeat(MiB)} 1`],
    ['a bad string literal', `a eq "${'\\x'.repeat(MiB / 2)}"`],
    ['a stray word', `a eq 1 ${'j'.repeat(MiB)}`],
  ])(
    'parses a query filter of %s in linear time, or refuses it as a syntax error',
    (_name, hostile) => {
      const normal = repeatTo('a eq 1 and ', MiB - 10) + 'a eq 1';
      const parse = (text: string) => attempt(() => parseQueryFilter(text));
      const error = parse(hostile);
      if (error !== undefined) expect(error).toBeInstanceOf(FilterSyntaxError);
      if (error instanceof FilterSyntaxError) expect(error.message.length).toBeLessThan(200);
      expect(
        costRatio(
          () => parse(hostile),
          () => parse(normal),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it.each([
    ['path elements', `/am/json/${'a/'.repeat(MiB / 2)}`],
    ['realm pairs', `/am/json${repeatTo('/realms/root', MiB)}`],
    ['percent signs', `/am/json/${'%'.repeat(MiB)}`],
    ['slashes', `/am/json${'/'.repeat(MiB)}`],
  ])(
    'parses an AM path of %s in linear time, or refuses it with an AM error',
    (_name, hostile) => {
      const realms = new RealmRegistry([{ path: '/alpha' }]);
      const parse = (path: string) => attempt(() => parseAmPath(path, realms, undefined));
      const error = parse(hostile);
      if (error !== undefined) expect(error).toBeInstanceOf(AmError);
      // The baseline has path elements too (each is decoded): a megabyte of one element would be no baseline.
      expect(
        costRatio(
          () => parse(hostile),
          () => parse(`/am/json/${repeatTo('users/', MiB)}`),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it.each([
    ['separators', ','.repeat(MiB)],
    ['spaces around a version', `resource=${' '.repeat(MiB)}2.0`],
    ['a long version', `resource=${'1'.repeat(MiB)}`],
    ['many parts', repeatTo('resource=2.0, ', MiB)],
  ])(
    'parses an Accept-API-Version of %s in linear time, or refuses it with an AM error',
    (_name, hostile) => {
      const parse = (header: string) => attempt(() => parseAcceptApiVersion(header));
      const error = parse(hostile);
      if (error !== undefined) expect(error).toBeInstanceOf(AmError);
      expect(
        costRatio(
          () => parse(hostile),
          () => parse(repeatTo('protocol=1.0, ', MiB)),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it.each([
    ['an unterminated encoded word', `=?UTF-8?Q?${'a'.repeat(MiB)}`],
    ['encoded-word openings', '=?'.repeat(MiB / 2)],
    ['an ending and spaces', `?=${' '.repeat(MiB)}`],
    ['endings and spaces', repeatTo('?= ', MiB)],
    ['charsets that never end', repeatTo('=?a=', MiB)],
  ])(
    'decodes an RFC 2047 value of %s in linear time',
    (_name, hostile) => {
      const normal = `=?UTF-8?B?${Buffer.from('a'.repeat((MiB / 4) * 3)).toString('base64')}?=`;
      expect(
        costRatio(
          () => decodeRfc2047(hostile),
          () => decodeRfc2047(normal),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it.each([
    ['a bearer token of spaces and a word', `Bearer${' '.repeat(MiB)}x y`],
    ['a bearer token of words', repeatTo('Bearer x ', MiB)],
  ])(
    'reads %s in linear time',
    (_name, hostile) => {
      const read = (authorization: string) => bearerToken({ authorization });
      expect(
        costRatio(
          () => read(hostile),
          () => read(`Bearer ${'x'.repeat(MiB)}`),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it(
    'finds the tenant cookie among a megabyte of cookies without "=" in linear time',
    () => {
      const read = (cookie: string) => tokenFromCookieHeader({ cookie }, COOKIE);
      expect(
        costRatio(
          () => read(repeatTo('x;', MiB)),
          () => read(repeatTo('a=b;', MiB)),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );

  it(
    'tells a megabyte-long host name from a loopback one in linear time',
    () => {
      expect(
        costRatio(
          () => isLoopbackHost(`[${'1'.repeat(MiB)}]`),
          () => isLoopbackHost(`127${'.0'.repeat(MiB / 2)}`),
        ),
      ).toBeLessThan(LINEAR);
    },
    SLOW,
  );
});
