/** Small wire details: RFC 2047 headers, cookie attributes per host, token format. */
import { describe, expect, it } from 'vitest';
import { decodeRfc2047 } from '../../emulator/core/rfc2047.js';
import { clearedSessionCookies, isLoopbackHost, sessionCookies } from '../../emulator/http/am/cookies.js';
import {
  newSessionHandle,
  newTokenId,
  SESSION_HANDLE_PATTERN,
  TOKEN_ID_PATTERN,
} from '../../emulator/state/sessions/tokens.js';
import { resolveConfig } from '../../emulator/config/config.js';
import { Tenant } from '../../emulator/tenant/tenant.js';

describe('RFC 2047 encoded words', () => {
  it.each([
    ['plain', 'plain'],
    ['=?UTF-8?B?em/Dqw==?=', 'zoë'],
    ['=?utf-8?Q?p=C3=A4ss_w?=', 'päss w'],
    ['=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?=', 'ab'],
    ['=?ISO-8859-1?Q?caf=E9?=', 'café'],
    ['=?UTF-8?B?//79?=', '=?UTF-8?B?//79?='],
    ['=?nonsense-charset?B?YQ==?=', '=?nonsense-charset?B?YQ==?='],
  ])('%s → %s', (raw, decoded) => {
    expect(decodeRfc2047(raw)).toBe(decoded);
  });
});

describe('cookies', () => {
  const tenant = (config = {}) => new Tenant(resolveConfig({ cookieName: 'abcdef012345678', ...config }));

  it('host-only and Secure on loopback hosts; Domain and no Secure on a plain-HTTP DNS name', () => {
    expect(isLoopbackHost('127.0.0.1') && isLoopbackHost('localhost') && isLoopbackHost('[::1]')).toBe(true);
    expect(sessionCookies({ tenant: tenant(), hostname: '127.0.0.1', secure: false }, 'T')).toEqual([
      'abcdef012345678=T; Path=/; Secure; HttpOnly; SameSite=none',
      'amlbcookie=01; Path=/; Secure; HttpOnly; SameSite=none',
    ]);
    expect(sessionCookies({ tenant: tenant(), hostname: 'workshop.lan', secure: false }, 'T')[0]).toBe(
      'abcdef012345678=T; Path=/; Domain=workshop.lan; HttpOnly; SameSite=lax',
    );
    expect(sessionCookies({ tenant: tenant(), hostname: 'tenant.example.com', secure: true }, 'T')[0]).toBe(
      'abcdef012345678=T; Path=/; Domain=tenant.example.com; Secure; HttpOnly; SameSite=none',
    );
  });

  it('one cookie per configured domain, then amlbcookie per domain; secureCookie can be forced', () => {
    const cookies = sessionCookies(
      {
        tenant: tenant({ cookieDomains: ['.example.com'], secureCookie: false }),
        hostname: 'tenant.example.com',
        secure: true,
      },
      'T',
    );
    expect(cookies).toEqual([
      'abcdef012345678=T; Path=/; Domain=tenant.example.com; HttpOnly; SameSite=lax',
      'abcdef012345678=T; Path=/; Domain=.example.com; HttpOnly; SameSite=lax',
      'amlbcookie=01; Path=/; Domain=tenant.example.com; HttpOnly; SameSite=lax',
      'amlbcookie=01; Path=/; Domain=.example.com; HttpOnly; SameSite=lax',
    ]);
    expect(clearedSessionCookies({ tenant: tenant(), hostname: 'localhost', secure: false })).toEqual([
      'abcdef012345678=LOGOUT; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/; Secure; HttpOnly; SameSite=none',
    ]);
  });
});

describe('tokens', () => {
  it('look like AIC tokens and carry an SI/SK/type/S1 extension blob', () => {
    const token = newTokenId();
    expect(token).toMatch(TOKEN_ID_PATTERN);
    const blob = Buffer.from((token.split('.*')[1] as string).slice(0, -1).replace(/\./g, '='), 'base64').toString(
      'latin1',
    );
    expect(blob).toMatch(/^\0\x02SI\0\x0202\0\x02SK\0\x1c[A-Za-z0-9+/]{27}=\0\x04type\0\x03CTS\0\x02S1\0\x0201$/);
    expect(newSessionHandle()).toMatch(SESSION_HANDLE_PATTERN);
  });

  it('are unique and carry 160 random bits in the first part', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) seen.add(newTokenId().slice(0, 27));
    expect(seen.size).toBe(10_000);
    expect(Buffer.from(newTokenId().slice(0, 27), 'base64url')).toHaveLength(20);
  });
});
