/**
 * The journal's and the runs view's masking scanners (test/unit/linear-input.test.ts shows them
 * linear) write what the regexes they replaced wrote, on any input those regexes handled: the
 * regexes are kept here as the reference, and both are fed the same seeded random texts built from
 * the pieces that matter (names, `=`, `;`, quotes, escapes, tokens, secrets, white space).
 * Where the scanners differ, on purpose, a test says so. Since issue 21, what is a secret (a
 * password, a secret ESV's value) is masked whole (`***`); a session token keeps its first four
 * characters (`maskToken`), as every value did before.
 */
import { describe, expect, it } from 'vitest';
import { maskBody, maskHeaders, maskSecret, maskToken } from '../../emulator/state/journal.js';
import { maskText } from '../../emulator/state/journeys/runs.js';

const TOKEN = 'S4aBkinY3L0Sh2B4jD3vml16N_c.*AAJTSQACMDIAAlNLABx..*';

/** A seeded generator of texts: `count` pieces drawn from `pieces`, each repeated 1 to `repeat` times. */
function texts(seed: number, pieces: string[], trials: number, count: number, repeat = 3): string[] {
  // mulberry32: small, seeded, and well spread.
  let state = seed >>> 0;
  const next = (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  return Array.from({ length: trials }, () =>
    Array.from({ length: next(count) }, () => (pieces[next(pieces.length)] as string).repeat(1 + next(repeat))).join(
      '',
    ),
  );
}

describe('the cookie header', () => {
  const reference = (value: string) =>
    value.replace(/([^=;\s]+)=([^;]*)/g, (_m, cookie: string, cookieValue: string) =>
      cookie === 'amlbcookie' ? `${cookie}=${cookieValue}` : `${cookie}=${maskToken(cookieValue)}`,
    );

  it('is masked as /([^=;\\s]+)=([^;]*)/g masked it', () => {
    const pieces = [
      'a',
      'Bc',
      '=',
      ';',
      ' ',
      '\t',
      '\u00a0',
      'amlbcookie',
      '01',
      'S4aBkinY3L0Sh2B4jD3vml16N_c',
      '"',
      'x=y',
      '; ',
      '==',
    ];
    for (const cookie of texts(7, pieces, 20_000, 20))
      expect(maskHeaders({ cookie }, 'abcdef012345678', []).cookie, JSON.stringify(cookie)).toBe(reference(cookie));
  });
});

describe('the Authorization header', () => {
  const reference = (value: string) => value.replace(/^(\S+\s+).*$/, (_m, scheme: string) => `${scheme}***`);

  it('is masked as /^(\\S+\\s+).*$/ masked it, wherever that matched', () => {
    const pieces = ['Bearer', 'Basic', ' ', '\t', 'abc', 'x.y', '=', '\u2003'];
    let compared = 0;
    for (const authorization of texts(11, pieces, 20_000, 8)) {
      if (!/^(\S+\s+).*$/.test(authorization)) continue;
      compared += 1;
      expect(maskHeaders({ authorization }, 'abcdef012345678', []).authorization, JSON.stringify(authorization)).toBe(
        reference(authorization),
      );
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('is masked whole where the regex left it in clear: no scheme, or a line break in the credentials', () => {
    expect(maskHeaders({ authorization: 'abcdefghijklmnop' }, 'abcdef012345678', []).authorization).toBe('***');
    expect(maskHeaders({ authorization: 'Bearer abc\ndef' }, 'abcdef012345678', []).authorization).toBe('Bearer ***');
  });
});

describe('a body that is not JSON', () => {
  // The regex the scanner replaced, and what it does besides: a value whose closing quote never
  // comes (a body cut at the journal's cap) is masked to the end, where the regex found no value.
  const regex = /("(?:tokenId|password|authId)"\s*:\s*)"((?:[^"\\]|\\.)*)"/gi;
  const reference = (body: string) =>
    body.replace(
      regex,
      (_m, key: string, value: string) => `${key}"${/password/i.test(key) ? maskSecret(value) : maskToken(value)}"`,
    );

  it('has its tokenId, password and authId strings masked as the regex masked them', () => {
    const pieces = [
      '"tokenId"',
      '"TOKENID"',
      '"password"',
      '"authId"',
      '"note"',
      ':',
      ' ',
      '"',
      '\\"',
      '\\\\',
      'abc',
      'S4aB',
      ',',
      '{',
      '}',
    ];
    let compared = 0;
    for (const text of texts(13, pieces, 20_000, 24, 2)) {
      const body = `{,${text}`;
      // Bodies where a secret value is left open at the end are the next test's.
      if (/"(?:tokenId|password|authId)"\s*:\s*"(?:[^"\\]|\\.)*\\?$/i.test(body)) continue;
      compared += 1;
      expect(maskBody(body, []), JSON.stringify(body)).toBe(reference(body));
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('has a value cut at the journal’s cap masked to its end, where the regex found no value at all', () => {
    const body = `{"tokenId": "${TOKEN.slice(0, 20)}`;
    expect(maskBody(body, [])).toBe(`{"tokenId": "${maskToken(TOKEN.slice(0, 20))}`);
    expect(maskBody(`{"password":"abc\\`, [])).toBe(`{"password":"${maskSecret('abc\\')}`);
  });
});

describe('a line of the runs view', () => {
  const reference = (text: string, secrets: readonly string[]) => {
    let masked = text.replace(/[A-Za-z0-9_-]{27}\.\*[A-Za-z0-9+/.]+\*/g, (token) => maskToken(token));
    for (const secret of secrets) if (masked.includes(secret)) masked = masked.split(secret).join(maskSecret(secret));
    return masked.length > 2000 ? `${masked.slice(0, 2000)}...` : masked;
  };

  it('is masked and cut as the token regex and the secrets’ replacements did', () => {
    // The secret starts and ends with characters no token holds, so it never overlaps one (the next tests).
    const pieces = ['a', 'B', '9', '_', '-', '.', '*', ' ', '+', '/', '.*', TOKEN, '<the-esv-secret>', 'xx'];
    for (const [seed, trials, count] of [
      [17, 20_000, 40],
      [19, 300, 3000],
    ] as const) {
      for (const text of texts(seed, pieces, trials, count, 30)) {
        const secrets = text.length % 2 === 0 ? ['<the-esv-secret>'] : [];
        expect(maskText(text, secrets), JSON.stringify(text.slice(0, 200))).toBe(reference(text, secrets));
      }
    }
  });

  it('masks a secret and a token that overlap together, where the replacements left part of one in clear', () => {
    const secret = 'the-esv-secret';
    // The token's 27 characters begin inside the secret: its mask would show the secret's tail.
    const text = `k=${secret}${'9'.repeat(23)}.*AAJ*`;
    expect(maskText(text, [secret])).toBe(`k=${maskSecret(`${secret}${'9'.repeat(23)}.*AAJ*`)}`);
    expect(maskText(text, [secret])).not.toContain('cret');
  });

  it('shows no character of a secret or a password, where a token keeps its head (issue 21)', () => {
    expect(maskText('esv=Sv!~7hZ@q4Np', ['Sv!~7hZ@q4Np'])).toBe('esv=***');
    expect(maskBody('{"password":"Wk!~9xQ#r2Lm","userPassword":"Wk!~9xQ#r2Lm"}', [])).toBe(
      '{"password":"***","userPassword":"***"}',
    );
    expect(maskBody('grant_type=password&username=a&password=Wk%21~9xQ&client_secret=c1', [])).toBe(
      'grant_type=password&username=a&password=***&client_secret=***',
    );
    // A token whose head could be a secret's is masked whole.
    expect(maskHeaders({ cookie: `a=${TOKEN}` }, 'abcdef012345678', ['xxS4aBxx']).cookie).toBe('a=***');
    expect(maskHeaders({ cookie: `a=${TOKEN}` }, 'abcdef012345678', []).cookie).toBe('a=S4aB***');
  });

  it('masks a secret that holds another secret whole, where the replacements one after the other left its tail', () => {
    expect(maskText('key: abcd-efgh-ijkl', ['abcd', 'abcd-efgh-ijkl'])).toBe(`key: ${maskSecret('abcd-efgh-ijkl')}`);
  });
});
