import { describe, expect, it } from 'vitest';
import { FaultError, FaultRegistry, pathMatches } from '../../emulator/state/faults.js';
import { Journal, maskBody, maskHeaders } from '../../emulator/state/journal.js';

describe('fault matching', () => {
  it('matches a path exactly or as a suffix at a segment boundary, ignoring a trailing slash', () => {
    expect(pathMatches('/sessions', '/am/json/realms/root/realms/alpha/sessions/')).toBe(true);
    expect(pathMatches('sessions', '/am/json/sessions')).toBe(true);
    expect(pathMatches('/am/json/sessions', '/am/json/sessions')).toBe(true);
    expect(pathMatches('/sessions', '/am/json/mysessions')).toBe(false);
    expect(pathMatches('/authenticate', '/am/json/sessions')).toBe(false);
  });

  it('matches method and action case-insensitively, counts down times, and removes a spent fault', () => {
    const faults = new FaultRegistry();
    faults.add({ method: 'post', action: 'LOGOUTBYUSER', status: 500, times: 2 });
    const target = { method: 'POST', path: '/am/json/sessions', action: 'logoutByUser' };
    expect(faults.match({ ...target, action: 'logout' })).toBeUndefined();
    expect(faults.match(target)?.status).toBe(500);
    expect(faults.match(target)?.hits).toBe(2);
    expect(faults.match(target)).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it.each([
    [null, 'must be a JSON object'],
    [{}, 'needs at least one of'],
    [{ status: 99 }, 'status must be an integer'],
    [{ status: 500, times: 0 }, 'times must be an integer'],
    [{ status: 500, probability: 2 }, 'probability must be'],
    [{ delayMs: 10_000_000 }, 'delayMs must be an integer'],
    [{ status: 500, headers: { 'bad name': 'x' } }, 'must have a token name'],
    [{ status: 500, bogus: 1 }, 'unknown fault field'],
  ])('refuses %j', (input, message) => {
    expect(() => new FaultRegistry().add(input)).toThrow(FaultError);
    expect(() => new FaultRegistry().add(input)).toThrow(message);
  });
});

describe('journal masking', () => {
  it('masks passwords, bearer tokens, session cookies and the header named after the cookie', () => {
    const masked = maskHeaders(
      {
        'x-openam-password': 'hunter2',
        authorization: 'Bearer abcdefghijklmnop',
        cookie: 'abcdef012345678=S4aBkinY3L0Sh2B4jD3vml16N_c.*AAJ*; amlbcookie=01',
        abcdef012345678: 'S4aBkinY3L0Sh2B4jD3vml16N_c.*AAJ*',
        'x-openam-username': 'demo',
      },
      'abcdef012345678',
      [],
    );
    expect(masked).toEqual({
      'x-openam-password': '***',
      authorization: 'Bearer ***',
      cookie: 'abcdef012345678=S4aB***; amlbcookie=01',
      abcdef012345678: 'S4aB***',
      'x-openam-username': 'demo',
    });
  });

  it('masks tokenId and password-callback inputs in JSON bodies, and configured secret values anywhere', () => {
    const body = JSON.stringify({
      tokenId: 'S4aBkinY3L0Sh2B4jD3vml16N_c.*AAJ*',
      callbacks: [
        { type: 'NameCallback', input: [{ name: 'IDToken1', value: 'demo' }] },
        { type: 'PasswordCallback', input: [{ name: 'IDToken2', value: 'hunter2' }] },
      ],
      note: 'the admin token is SECRET-ADMIN-TOKEN',
    });
    const masked = maskBody(body, ['SECRET-ADMIN-TOKEN']);
    expect(masked).not.toContain('hunter2');
    expect(masked).not.toContain('S4aBkinY3L0Sh2B4jD3vml16N_c');
    expect(masked).not.toContain('SECRET-ADMIN-TOKEN');
    expect(masked).toContain('"value":"demo"');
  });

  it('caps body excerpts and entries', () => {
    const journal = new Journal(2, () => ({ cookieName: 'abcdef012345678', secretValues: [] }));
    for (let i = 0; i < 3; i += 1)
      journal.record({
        kind: 'am',
        timeMs: 0,
        method: 'GET',
        url: `/${i}`,
        requestHeaders: {},
        requestBody: 'x'.repeat(10_000),
      });
    const entries = journal.list();
    expect(entries.map((entry) => entry.url)).toEqual(['/1', '/2']);
    expect(entries[0]?.requestBody?.length).toBeLessThan(4200);
  });
});
