import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, matchesFilter, parseQueryFilter } from '../../emulator/core/query-filter.js';
import { toSessionQuery } from '../../emulator/http/am/sessions/session-query.js';

describe('CREST query filters', () => {
  it('parses the session query AIC documents, in either order, with JSON pointers and parentheses', () => {
    const uuid = 'b0f30dfb-4e01-457e-a567-c258a74e4fe2';
    for (const text of [
      `username eq "${uuid}" and realm eq "/alpha"`,
      `realm eq "/alpha" and username eq "${uuid}"`,
      `(/username eq "${uuid}") and (/realm eq "/alpha")`,
      `username EQ "${uuid}" AND realm eq "/alpha"`,
    ]) {
      expect(toSessionQuery(parseQueryFilter(text))).toEqual({ realm: '/alpha', username: uuid });
    }
    expect(toSessionQuery(parseQueryFilter('realm eq "/"'))).toEqual({ realm: '/', username: undefined });
  });

  it("takes strings in single quotes, as frodo sends them (`_id sw 'emailTemplate'`)", () => {
    expect(parseQueryFilter("_id sw 'emailTemplate'")).toEqual({
      type: 'compare',
      op: 'sw',
      field: '_id',
      value: 'emailTemplate',
    });
    expect(parseQueryFilter(`a eq 'it\\'s "x"'`)).toMatchObject({ value: `it's "x"` });
    expect(parseQueryFilter(`a eq 'tab\\tz'`)).toMatchObject({ value: 'tab\tz' });
    for (const bad of ["a eq 'open", "a eq 'x\\", "a eq 'bad\\q'"])
      expect(() => parseQueryFilter(bad), bad).toThrow(FilterSyntaxError);
  });

  it('parses the rest of the grammar into a tree', () => {
    expect(parseQueryFilter('!(a pr) or b co "x\\"y" and c gt 3')).toEqual({
      type: 'or',
      children: [
        { type: 'not', child: { type: 'present', field: 'a' } },
        {
          type: 'and',
          children: [
            { type: 'compare', op: 'co', field: 'b', value: 'x"y' },
            { type: 'compare', op: 'gt', field: 'c', value: 3 },
          ],
        },
      ],
    });
    expect(parseQueryFilter('true')).toEqual({ type: 'literal', value: true });
  });

  it.each([
    '',
    'username eq',
    '(realm eq "/a"',
    'realm eq "/a" junk',
    'realm zz "/a"',
    'realm eq "unterminated',
    `${'('.repeat(200)}true${')'.repeat(200)}`,
  ])('rejects %j as a syntax error', (text) => {
    expect(() => parseQueryFilter(text)).toThrow(FilterSyntaxError);
  });

  it.each([
    ['username eq "x"', 'The query filter must specify the realm'],
    ['realm eq "/alpha" or username eq "x"', 'The query filter is not supported by the session query'],
    ['realm co "/alpha"', 'The query filter is not supported by the session query'],
    ['true', 'The query filter is not supported by the session query'],
    ['mail eq "x" and realm eq "/alpha"', 'mail is not supported in query filter'],
    ['realm eq "/alpha" and realm eq "/"', 'The query filter is not supported by the session query'],
    ['realm eq 3', 'The query filter is not supported by the session query'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => toSessionQuery(parseQueryFilter(text))).toThrow(message);
  });
});

describe('evaluating filters against objects', () => {
  const user = { userName: 'demo', preferences: { updates: true, marketing: false }, loginCount: 3, roles: ['a', 'b'] };
  it.each([
    ['!(/preferences pr) or /preferences/marketing eq false or /preferences/updates eq false', true],
    ['/preferences/marketing eq true and /preferences/updates eq true', false],
    ['userName eq "DEMO"', true],
    ['userName sw "de" and loginCount ge 3', true],
    ['loginCount gt 3', false],
    ['roles eq "b"', true],
    ['mail pr', false],
    ['!(mail pr)', true],
    ['true', true],
    ['preferences/__proto__ pr', false],
  ])('%s → %s', (text, expected) => {
    expect(matchesFilter(parseQueryFilter(text), user)).toBe(expected);
  });
});
