/**
 * `/authenticate` zero-page login (AIC docs, "Log in over REST"; recorded AIC logins): the success body and cookies,
 * noSession, unknown journeys, bad credentials, RFC 2047 headers, methods and content types.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { ALPHA, DEMO, ROOT, startEmulator } from '../helpers/tenant.js';
import { http, setCookies } from '../helpers/http.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    config: {
      users: [
        { realm: 'alpha', userName: 'zoë', password: 'pässwörd €', givenName: 'Zoë' },
        { realm: 'alpha', userName: 'off', password: 'x', accountStatus: 'inactive' },
      ],
    },
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const authenticate = (headers: Record<string, string>, query = '', realmPath = ALPHA, body = '{}') =>
  http(`${emulator.url}${realmPath}/authenticate${query}`, {
    method: 'POST',
    headers: { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json', ...headers },
    body,
  });
const credentials = (userName: string, password: string) => ({
  'x-openam-username': userName,
  'x-openam-password': password,
});
const b64 = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

describe('zero-page login', () => {
  it('answers exactly {tokenId, successUrl, realm} with application/json and resource=2.1', async () => {
    const demo = await startEmulator();
    try {
      const response = await http(`${demo.url}${ALPHA}/authenticate`, {
        method: 'POST',
        headers: {
          'accept-api-version': 'resource=2.0, protocol=1.0',
          'content-type': 'application/json',
          ...credentials(DEMO.userName, DEMO.password),
        },
        body: '{}',
      });
      expect(response.status).toBe(200);
      expect(Object.keys(response.json)).toEqual(['tokenId', 'successUrl', 'realm']);
      expect(response.json).toMatchObject({ successUrl: '/enduser/?realm=/alpha', realm: '/alpha' });
      expect(response.headers['content-type']).toBe('application/json');
      expect(response.headers['content-api-version']).toBe('resource=2.1');
      expect(response.headers['content-security-policy']).toBeUndefined();
      const sessions = await demo.tenant.sessions.listByUser('/alpha', DEMO._id);
      expect(sessions.map((session) => session.tokenId)).toEqual([response.json.tokenId]);
    } finally {
      await demo.close();
    }
  });

  it('decodes RFC 2047 encoded-word credentials (UTF-8, B and Q)', async () => {
    const base64 = await authenticate({ 'x-openam-username': b64('zoë'), 'x-openam-password': b64('pässwörd €') });
    expect(base64.status).toBe(200);
    const quoted = await authenticate({
      'x-openam-username': '=?UTF-8?Q?zo=C3=AB?=',
      'x-openam-password': b64('pässwörd €'),
    });
    expect(quoted.status).toBe(200);
  });

  it('sets the tenant cookie, then amlbcookie: Path=/, Secure (loopback host), HttpOnly, SameSite=none', async () => {
    const response = await authenticate({ 'x-openam-username': b64('zoë'), 'x-openam-password': b64('pässwörd €') });
    const cookies = setCookies(response);
    expect(cookies).toEqual([
      `${emulator.cookieName}=${response.json.tokenId}; Path=/; Secure; HttpOnly; SameSite=none`,
      'amlbcookie=01; Path=/; Secure; HttpOnly; SameSite=none',
    ]);
  });

  it('never writes a Host header it cannot trust into a cookie Domain', async () => {
    const response = await authenticate({
      host: 'a.example.com; Max-Age=99999999; Domain=evil.test',
      'x-openam-username': b64('zoë'),
      'x-openam-password': b64('pässwörd €'),
    });
    const cookies = setCookies(response);
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).not.toMatch(/evil|max-age/i);
      expect(cookie).not.toContain('Domain=');
    }
  });

  it('accepts an empty body and no content type (the body must be empty for zero-page)', async () => {
    const response = await http(`${emulator.url}${ALPHA}/authenticate`, {
      method: 'POST',
      headers: {
        'accept-api-version': 'resource=2.0',
        'x-openam-username': b64('zoë'),
        'x-openam-password': b64('pässwörd €'),
      },
    });
    expect(response.status).toBe(200);
  });

  it('matches the userName case-insensitively, as the directory does', async () => {
    const response = await authenticate({ 'x-openam-username': b64('ZOË'), 'x-openam-password': b64('pässwörd €') });
    expect(response.status).toBe(200);
  });

  it('noSession=true: success without tokenId, no session, no session cookie', async () => {
    const response = await authenticate(
      { 'x-openam-username': b64('zoë'), 'x-openam-password': b64('pässwörd €') },
      '?noSession=true',
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ successUrl: '/enduser/?realm=/alpha', realm: '/alpha' });
    expect(setCookies(response).some((cookie) => cookie.startsWith(`${emulator.cookieName}=`))).toBe(false);
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('runs the named journey (authIndexType=service) and the realm default', async () => {
    for (const query of ['?authIndexType=service&authIndexValue=Login', '?authIndexType=service', '']) {
      const response = await authenticate(
        { 'x-openam-username': b64('zoë'), 'x-openam-password': b64('pässwörd €') },
        query,
      );
      expect(response.status, query).toBe(200);
    }
  });
});

describe('failures', () => {
  it('wrong password, unknown user and inactive user: 401 Login failure, no session', async () => {
    for (const headers of [credentials('zoe', 'wrong'), credentials('nobody', 'x'), credentials('off', 'x')]) {
      const response = await authenticate(headers);
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Login failure' });
      expect(response.headers['content-type']).toBe('application/json');
    }
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('a wrong password for an existing user is 401 Login failure', async () => {
    const right = await authenticate({ 'x-openam-username': b64('zoë'), 'x-openam-password': b64('pässwörd €') });
    expect(right.status).toBe(200);
    await emulator.reset();
    const response = await authenticate({ 'x-openam-username': b64('zoë'), 'x-openam-password': b64('pässwörd €x') });
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Login failure' });
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('an unknown journey (names are case-sensitive): 400 No Configuration found', async () => {
    for (const name of ['FRServiceAccountInternal', 'login']) {
      const response = await authenticate(
        credentials('zoe', 'x'),
        `?authIndexType=service&authIndexValue=${name}`,
        ROOT,
      );
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ code: 400, reason: 'Bad Request', message: 'No Configuration found' });
      expect(response.headers['content-api-version']).toBe('resource=2.1');
    }
  });

  it('a user of another realm cannot log in here', async () => {
    const response = await authenticate(
      { 'x-openam-username': b64('zoë'), 'x-openam-password': b64('pässwörd €') },
      '',
      ROOT,
    );
    expect(response.status).toBe(401);
  });

  it('GET is a 405 whose body says 501, as AM answers', async () => {
    const response = await http(`${emulator.url}${ALPHA}/authenticate`, {
      headers: { 'accept-api-version': 'resource=2.0' },
    });
    expect(response.status).toBe(405);
    expect(response.json).toEqual({ code: 501, reason: 'Not Implemented', message: 'Not Implemented' });
  });
});

describe('a replayed step', () => {
  /** Two Username Collectors, then Success: two steps, answered within one second (the clock is frozen). */
  const twoSteps = {
    tree: {
      _id: 'TwoNames',
      identityResource: 'managed/alpha_user',
      entryNodeId: 'first',
      nodes: {
        first: { nodeType: 'UsernameCollectorNode', displayName: 'First', connections: { outcome: 'second' } },
        second: {
          nodeType: 'UsernameCollectorNode',
          displayName: 'Second',
          connections: { outcome: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0' },
        },
      },
      enabled: true,
    },
    nodes: {
      first: { _id: 'first', _type: { _id: 'UsernameCollectorNode' } },
      second: { _id: 'second', _type: { _id: 'UsernameCollectorNode' } },
    },
  };
  const timedOut = {
    code: 401,
    reason: 'Unauthorized',
    message: 'Session has timed out',
    detail: { errorCode: '110' },
  };
  const post = (emulator: Emulator, body: unknown) =>
    http(`${emulator.url}${ALPHA}/authenticate?authIndexType=service&authIndexValue=TwoNames`, {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const answer = (step: any, name: string) => {
    const body = structuredClone(step);
    body.callbacks[0].input[0].value = name;
    return body;
  };

  it('within the same second is refused: 401 Session has timed out (errorCode 110); the latest step still continues', async () => {
    const two = await startEmulator({ journeys: [twoSteps] });
    try {
      const first = await post(two, {});
      expect(first.status).toBe(200);
      const second = await post(two, answer(first.json, 'nobody'));
      expect(second.status).toBe(200);
      expect(second.json.authId).not.toBe(first.json.authId);
      // Step 1 again, naming demo: not taken as the answer to step 2.
      const replay = await post(two, answer(first.json, DEMO.userName));
      expect(replay.status).toBe(401);
      expect(replay.json).toEqual(timedOut);
      const done = await post(two, answer(second.json, DEMO.userName));
      expect(done.status).toBe(200);
      expect(done.json.tokenId).toEqual(expect.any(String));
    } finally {
      await two.close();
    }
  });

  it('posted twice at once: one answer continues the journey, the other is refused as a replay', async () => {
    const two = await startEmulator({ journeys: [twoSteps] });
    try {
      const first = await post(two, {});
      const answers = await Promise.all([
        post(two, answer(first.json, 'nobody')),
        post(two, answer(first.json, DEMO.userName)),
      ]);
      expect(answers.map((response) => response.status).sort()).toEqual([200, 401]);
      expect(answers.find((response) => response.status === 401)?.json).toEqual(timedOut);
      const next = answers.find((response) => response.status === 200)!;
      expect((await post(two, answer(next.json, DEMO.userName))).status).toBe(200);
    } finally {
      await two.close();
    }
  });
});
