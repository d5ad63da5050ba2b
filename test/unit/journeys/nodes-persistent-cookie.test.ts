/**
 * Persistent cookies (am-external 8.0.2, auth-nodes): Set Persistent Cookie asks for the cookie,
 * Persistent Cookie Decision reads one made as the session hook makes it (issuePersistentCookie),
 * on the tenant clock.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import { issuePersistentCookie } from '../../../emulator/journeys/nodes/persistent-cookie-nodes.js';
import { ALICE, BOB, CLOCK_START, NodeHarness, outcomeOf } from '../../helpers/node-context.js';

const SPEC = {
  name: 'session-jwt',
  maxLifeSeconds: 5 * 3600,
  idleTimeoutSeconds: 3600,
  secure: true,
  httpOnly: true,
};

async function cookieFor(harness: NodeHarness, userId: string, realm = '/alpha') {
  const user = harness.services.users.get(userId)!;
  return issuePersistentCookie(
    harness.services.persistentCookieKey,
    SPEC,
    { realm, universalId: harness.services.users.universalId(user), service: 'Login', clientIp: '' },
    harness.services.clock.now(),
  );
}

describe('SetPersistentCookieNode', () => {
  it('asks for the cookie with its settings (hours to seconds) and names it in a session property', async () => {
    const harness = new NodeHarness();
    const config = { maxLife: 24, idleTimeout: 2, useSecureCookie: false, persistentCookieName: 'remember' };
    expect(outcomeOf(await harness.process('SetPersistentCookieNode', config))).toBe('outcome');
    expect(harness.state.persistentCookie).toEqual({
      name: 'remember',
      maxLifeSeconds: 86400,
      idleTimeoutSeconds: 7200,
      secure: false,
      httpOnly: true,
    });
    expect(harness.state.sessionProperties).toEqual({ persistentCookieName_remember: 'remember' });
  });

  it('the JWT as AM’s hook makes it: HS256, exp after maxLife, the idle time and the auth context', async () => {
    const harness = new NodeHarness();
    const cookie = await cookieFor(harness, ALICE._id);
    const now = Date.parse(CLOCK_START) / 1000;
    expect(cookie).toMatchObject({
      name: 'session-jwt',
      expires: (now + 5 * 3600) * 1000,
      secure: true,
      httpOnly: true,
    });
    expect(decodeProtectedHeader(cookie.value)).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(decodeJwt(cookie.value)).toMatchObject({
      exp: now + 5 * 3600,
      iat: now,
      nbf: now,
      tokenIdleTimeSeconds: now + 3600,
      jti: expect.any(String),
      sessionId: expect.any(String),
      'org.forgerock.authentication.context': {
        'openam.rlm': '/alpha',
        'openam.usr': expect.stringContaining(ALICE._id),
        'openam.aty': 'Login',
        'openam.clientip': '',
      },
    });
  });

  it('bad configuration at import', () => {
    expect(nodeType('SetPersistentCookieNode')?.check?.({ maxLife: 0, useHttpOnlyCookie: 'yes' })).toEqual([
      'maxLife must be a number of hours above zero',
      'useHttpOnlyCookie must be true or false',
    ]);
    expect(nodeType('SetPersistentCookieNode')?.check?.({ persistentCookieName: 'a b' })).toEqual([
      'persistentCookieName must be a cookie name',
    ]);
  });
});

describe('PersistentCookieDecisionNode', () => {
  const withCookie = (value: string) => ({ headers: { cookie: `other=1; session-jwt=${value}` } });

  it('true for a valid cookie: the user identified, shared username, the cookie issued again with the same expiry', async () => {
    const harness = new NodeHarness();
    const cookie = await cookieFor(harness, ALICE._id);
    harness.services.clock.advance(1800);
    expect(outcomeOf(await harness.process('PersistentCookieDecisionNode', {}, withCookie(cookie.value)))).toBe('true');
    expect(harness.state.identifiedUserId).toBe(ALICE._id);
    expect(harness.state.shared['username']).toBe(ALICE.userName);
    expect(harness.state.persistentCookie).toMatchObject({ name: 'session-jwt', expiresAt: cookie.expires });
    expect(harness.state.sessionProperties).toEqual({ 'persistentCookieName_session-jwt': 'session-jwt' });
  });

  it.each([
    ['idle past its idle time', 3601],
    ['past its expiry', 5 * 3600 + 1],
  ])('false when %s (tenant clock)', async (_label, seconds) => {
    const harness = new NodeHarness();
    const cookie = await cookieFor(harness, ALICE._id);
    harness.services.clock.advance(seconds);
    const config = { idleTimeout: 100 };
    expect(outcomeOf(await harness.process('PersistentCookieDecisionNode', config, withCookie(cookie.value)))).toBe(
      'false',
    );
    expect(harness.state.identifiedUserId).toBeUndefined();
  });

  it('false without the cookie, with a forged one, one of another realm, or an inactive user', async () => {
    const harness = new NodeHarness();
    expect(outcomeOf(await harness.process('PersistentCookieDecisionNode', {}))).toBe('false');
    const good = await cookieFor(harness, ALICE._id);
    const [header, , signature] = good.value.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ exp: 9e9 })).toString('base64url')}.${signature}`;
    expect(outcomeOf(await harness.process('PersistentCookieDecisionNode', {}, withCookie(forged)))).toBe('false');
    const bravo = await cookieFor(harness, ALICE._id, '/bravo');
    expect(outcomeOf(await harness.process('PersistentCookieDecisionNode', {}, withCookie(bravo.value)))).toBe('false');
    const inactive = await cookieFor(harness, BOB._id);
    expect(outcomeOf(await harness.process('PersistentCookieDecisionNode', {}, withCookie(inactive.value)))).toBe(
      'false',
    );
    expect(harness.state.identifiedUserId).toBeUndefined();
  });
});
