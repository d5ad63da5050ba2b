/**
 * Each sessions action's answer, over real HTTP, against AIC's docs, "Manage sessions over REST": shapes, formats,
 * and the state change it makes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import {
  ALPHA,
  BJENSEN,
  DEMO,
  ROOT,
  asAdmin,
  login,
  sessionsAction,
  startEmulator,
  withCookie,
  withToken,
} from '../helpers/tenant.js';
import { http, setCookies } from '../helpers/http.js';

const SECONDS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const MILLIS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CTX_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d+$/;
const TOKEN = /^[A-Za-z0-9_-]{27}\.\*[A-Za-z0-9+/.]+\*$/;

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('getSessionInfo', () => {
  it('answers the session-info object with second-precision times, idle +30 min and max +120 min', async () => {
    const token = await login(emulator, DEMO);
    const response = await sessionsAction(emulator, 'getSessionInfo', {
      headers: withToken(emulator, token),
      body: { tokenId: token },
      version: 'resource=4.0',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(response.headers['content-api-version']).toBe('resource=4.0');
    expect(Object.keys(response.json)).toEqual([
      'username',
      'universalId',
      'realm',
      'latestAccessTime',
      'maxIdleExpirationTime',
      'maxSessionExpirationTime',
      'properties',
    ]);
    expect(response.json).toMatchObject({
      username: DEMO._id,
      universalId: `id=${DEMO._id},ou=user,o=alpha,ou=services,ou=am-config`,
      realm: '/alpha',
      latestAccessTime: '2026-07-10T01:34:08Z',
      maxIdleExpirationTime: '2026-07-10T02:04:08Z',
      maxSessionExpirationTime: '2026-07-10T03:34:08Z',
    });
    expect(response.json.latestAccessTime).toMatch(SECONDS_Z);
    expect(Object.keys(response.json.properties)).toEqual(['AMCtxId']);
    expect(response.json.properties.AMCtxId).toMatch(CTX_ID);
  });

  it('does not reset the idle timer', async () => {
    const token = await login(emulator, DEMO);
    emulator.advanceClock(10 * 60);
    const response = await sessionsAction(emulator, 'getSessionInfo', { headers: withToken(emulator, token) });
    expect(response.json.latestAccessTime).toBe('2026-07-10T01:34:08Z');
  });

  it('reads the caller’s own session when no tokenId is given (platform-ui style, cookie only)', async () => {
    const token = await login(emulator, DEMO);
    const response = await sessionsAction(emulator, 'getSessionInfo', {
      headers: withCookie(emulator, token),
      version: 'resource=2.1, protocol=1.0',
    });
    expect(response.status).toBe(200);
    expect(response.json.username).toBe(DEMO._id);
    expect(response.headers['content-api-version']).toBe('resource=2.1');
  });

  it('answers a valid body tokenId with no caller credential at all, as recorded on AIC', async () => {
    const token = await login(emulator, DEMO);
    const response = await sessionsAction(emulator, 'getSessionInfo', {
      body: { tokenId: token },
      version: 'resource=4.0',
    });
    expect(response.status).toBe(200);
    expect(response.json.username).toBe(DEMO._id);
  });

  it('answers {"valid":false} to an admin asking about a token that is not a session', async () => {
    const response = await sessionsAction(emulator, 'getSessionInfo', {
      headers: asAdmin(emulator),
      body: { tokenId: 'nope' },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ valid: false });
  });
});

describe('an admin bearer without a target token', () => {
  it.each(['getSessionInfo', 'validate', 'refresh', 'logout', 'getSessionProperties'])(
    '%s: 400 iPlanetDirectoryCookie not set on request',
    async (action) => {
      const response = await sessionsAction(emulator, action, { headers: asAdmin(emulator) });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        code: 400,
        reason: 'Bad Request',
        message: 'iPlanetDirectoryCookie not set on request',
      });
    },
  );
});

describe('tokenId as a query parameter', () => {
  it('names the target of validate and getSessionInfo', async () => {
    const token = await login(emulator, DEMO);
    const query = `&tokenId=${encodeURIComponent(token)}`;
    expect((await sessionsAction(emulator, 'validate', { query })).json).toMatchObject({ valid: true, uid: DEMO._id });
    const info = await sessionsAction(emulator, 'getSessionInfo', { headers: asAdmin(emulator), query });
    expect(info.json.username).toBe(DEMO._id);
  });
});

describe('getSessionInfoAndResetIdleTime', () => {
  it('resets the idle timer once the latest-access update frequency has passed', async () => {
    const token = await login(emulator, DEMO);
    emulator.advanceClock(30);
    let response = await sessionsAction(emulator, 'getSessionInfoAndResetIdleTime', {
      headers: withToken(emulator, token),
    });
    expect(response.json.latestAccessTime).toBe('2026-07-10T01:34:08Z');
    emulator.advanceClock(31);
    response = await sessionsAction(emulator, 'getSessionInfoAndResetIdleTime', {
      headers: withToken(emulator, token),
    });
    expect(response.status).toBe(200);
    expect(response.json.latestAccessTime).toBe('2026-07-10T01:35:09Z');
    expect(response.json.maxIdleExpirationTime).toBe('2026-07-10T02:05:09Z');
    expect(response.json.maxSessionExpirationTime).toBe('2026-07-10T03:34:08Z');
  });
});

describe('validate', () => {
  it('answers valid, sessionUid (the AMCtxId), uid and realm', async () => {
    const token = await login(emulator, DEMO);
    const info = await sessionsAction(emulator, 'getSessionInfo', { headers: withToken(emulator, token) });
    const response = await sessionsAction(emulator, 'validate', { body: { tokenId: token } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      valid: true,
      sessionUid: info.json.properties.AMCtxId,
      uid: DEMO._id,
      realm: '/alpha',
    });
  });

  it('answers {"valid":false} with 200 for an unknown token, even without any caller', async () => {
    const response = await sessionsAction(emulator, 'validate', {
      body: { tokenId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA.*AAJTSQ..*' },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ valid: false });
  });

  it('validates the token of the header named after the cookie when no tokenId is given', async () => {
    const token = await login(emulator, DEMO);
    const response = await sessionsAction(emulator, 'validate', { headers: withToken(emulator, token) });
    expect(response.json.valid).toBe(true);
  });

  it('resets the idle timer, unless refresh=false', async () => {
    const token = await login(emulator, DEMO);
    emulator.advanceClock(120);
    await sessionsAction(emulator, 'validate', { body: { tokenId: token }, query: '&refresh=false' });
    let info = await sessionsAction(emulator, 'getSessionInfo', { body: { tokenId: token } });
    expect(info.json.latestAccessTime).toBe('2026-07-10T01:34:08Z');
    await sessionsAction(emulator, 'validate', { body: { tokenId: token } });
    info = await sessionsAction(emulator, 'getSessionInfo', { body: { tokenId: token } });
    expect(info.json.latestAccessTime).toBe('2026-07-10T01:36:08Z');
  });

  it('needs some token: none at all is AM’s 400', async () => {
    const response = await sessionsAction(emulator, 'validate', {});
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      code: 400,
      reason: 'Bad Request',
      message: 'iPlanetDirectoryCookie not set on request',
    });
  });
});

describe('refresh', () => {
  it('answers uid, realm, idle seconds, limits in minutes and seconds left', async () => {
    const token = await login(emulator, DEMO);
    emulator.advanceClock(600);
    const response = await sessionsAction(emulator, 'refresh', {
      headers: asAdmin(emulator),
      body: { tokenId: token },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      uid: DEMO._id,
      realm: '/alpha',
      idletime: 0,
      maxidletime: 30,
      maxsessiontime: 120,
      maxtime: 110 * 60,
    });
  });

  it('answers {"valid":false} for a token that is not a session', async () => {
    const response = await sessionsAction(emulator, 'refresh', {
      headers: asAdmin(emulator),
      body: { tokenId: 'gone' },
    });
    expect(response.json).toEqual({ valid: false });
  });
});

describe('logout', () => {
  it('logs the caller out (no body, cookie-named header) and the token stops working', async () => {
    const token = await login(emulator, DEMO);
    const response = await sessionsAction(emulator, 'logout', {
      headers: withToken(emulator, token),
      version: 'resource=3.1, protocol=1.0',
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ result: 'Successfully logged out' });
    expect(response.headers['content-api-version']).toBe('resource=3.1');
    const after = await sessionsAction(emulator, 'validate', { body: { tokenId: token } });
    expect(after.json).toEqual({ valid: false });
  });

  it('answers "Token has expired" for a token that is no longer a session', async () => {
    const token = await login(emulator, DEMO);
    const admin = asAdmin(emulator);
    await sessionsAction(emulator, 'logout', { headers: admin, body: { tokenId: token } });
    const again = await sessionsAction(emulator, 'logout', { headers: admin, body: { tokenId: token } });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ result: 'Token has expired' });
  });

  it('expires the browser cookie when the cookie’s own session is logged out', async () => {
    const token = await login(emulator, DEMO);
    const response = await sessionsAction(emulator, 'logout', { headers: withCookie(emulator, token) });
    const cookies = setCookies(response);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(
      new RegExp(`^${emulator.cookieName}=LOGOUT; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/`),
    );
  });
});

describe('query', () => {
  it('lists a user’s sessions in the CREST envelope with handles and millisecond latestAccessTime', async () => {
    await login(emulator, DEMO);
    await login(emulator, DEMO);
    await login(emulator, BJENSEN);
    const filter = encodeURIComponent(`username eq "${DEMO._id}" and realm eq "/alpha"`);
    const response = await http(`${emulator.url}${ALPHA}/sessions?_queryFilter=${filter}`, {
      headers: { ...asAdmin(emulator), 'accept-api-version': 'resource=4.0, protocol=1.0' },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      resultCount: 2,
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'NONE',
      totalPagedResults: -1,
      remainingPagedResults: -1,
    });
    for (const item of response.json.result) {
      expect(Object.keys(item)).toEqual([
        '_rev',
        'username',
        'universalId',
        'realm',
        'sessionHandle',
        'latestAccessTime',
        'maxIdleExpirationTime',
        'maxSessionExpirationTime',
      ]);
      expect(item._rev).toMatch(/^-?\d+$/);
      expect(item.username).toBe(DEMO._id);
      expect(item.sessionHandle).toMatch(/^shandle:/);
      expect(item.latestAccessTime).toMatch(MILLIS_Z);
      expect(item.maxIdleExpirationTime).toMatch(SECONDS_Z);
      expect(JSON.stringify(item)).not.toContain('tokenId');
    }
  });

  it('lists every session of a realm with realm eq alone', async () => {
    await login(emulator, DEMO);
    await login(emulator, BJENSEN);
    const response = await http(
      `${emulator.url}${ALPHA}/sessions?_queryFilter=${encodeURIComponent('realm eq "/alpha"')}`,
      {
        headers: { ...asAdmin(emulator), 'accept-api-version': 'resource=4.0, protocol=1.0' },
      },
    );
    expect(response.json.resultCount).toBe(2);
  });
});

describe('logoutByHandle', () => {
  it('ends the sessions named by handle and reports each as true', async () => {
    const kept = await login(emulator, DEMO);
    await login(emulator, DEMO);
    const filter = encodeURIComponent(`username eq "${DEMO._id}" and realm eq "/alpha"`);
    const list = await http(`${emulator.url}${ALPHA}/sessions?_queryFilter=${filter}`, {
      headers: { ...asAdmin(emulator), 'accept-api-version': 'resource=4.0' },
    });
    const handles: string[] = list.json.result.map((item: { sessionHandle: string }) => item.sessionHandle);
    const keptHandle = (await emulator.tenant.sessions.getByToken(kept))?.handle;
    const toEnd = handles.filter((handle) => handle !== keptHandle);
    const response = await sessionsAction(emulator, 'logoutByHandle', {
      headers: asAdmin(emulator),
      body: { sessionHandles: [...toEnd, 'shandle:unknown'] },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      result: Object.fromEntries([...toEnd, 'shandle:unknown'].map((handle) => [handle, true])),
    });
    expect((await sessionsAction(emulator, 'validate', { body: { tokenId: kept } })).json.valid).toBe(true);
    expect(await emulator.tenant.sessions.listByUser('/alpha', DEMO._id)).toHaveLength(1);
  });

  it('refuses a body without a sessionHandles array', async () => {
    for (const body of [{}, { sessionHandles: 'shandle:x' }, { sessionHandles: [1] }]) {
      const response = await sessionsAction(emulator, 'logoutByHandle', { headers: asAdmin(emulator), body });
      expect(response.status).toBe(400);
      expect(response.json.message).toBe(
        'The "sessionHandles" field is not defined in the request or it\'s not a JSON array',
      );
    }
  });
});

describe('logoutByUser', () => {
  it('ends all and only that user’s sessions in that realm', async () => {
    const demoTokens = [await login(emulator, DEMO), await login(emulator, DEMO), await login(emulator, DEMO)];
    const other = await login(emulator, BJENSEN);
    const response = await sessionsAction(emulator, 'logoutByUser', {
      headers: { ...withToken(emulator, demoTokens[0] as string), 'content-type': 'application/json; charset=UTF-8' },
      body: { username: DEMO._id },
      version: 'resource=5.1, protocol=1.0',
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ result: true });
    expect(response.headers['content-api-version']).toBe('resource=5.1');
    for (const token of demoTokens)
      expect((await sessionsAction(emulator, 'validate', { body: { tokenId: token } })).json.valid).toBe(false);
    expect((await sessionsAction(emulator, 'validate', { body: { tokenId: other } })).json.valid).toBe(true);
  });

  it('is realm-scoped: the same call on the root realm leaves the alpha sessions alone', async () => {
    const token = await login(emulator, DEMO);
    const response = await sessionsAction(emulator, 'logoutByUser', {
      headers: asAdmin(emulator),
      body: { username: DEMO._id },
      realmPath: ROOT,
    });
    expect(response.json).toEqual({ result: true });
    expect((await sessionsAction(emulator, 'validate', { body: { tokenId: token } })).json.valid).toBe(true);
  });

  it('a user calling it on another realm’s endpoint ends their sessions there (none), not in alpha', async () => {
    const token = await login(emulator, DEMO);
    const response = await sessionsAction(emulator, 'logoutByUser', {
      headers: withToken(emulator, token),
      body: { username: DEMO._id },
      realmPath: ROOT,
    });
    expect(response.json).toEqual({ result: true });
    expect(await emulator.tenant.sessions.getByToken(token)).toBeDefined();
  });

  it('refuses a body without a username', async () => {
    const response = await sessionsAction(emulator, 'logoutByUser', { headers: asAdmin(emulator), body: {} });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe(400);
  });
});

describe('session properties', () => {
  it('getSessionProperties answers every allow-listed property', async () => {
    const token = await login(emulator, DEMO);
    const info = await sessionsAction(emulator, 'getSessionInfo', { body: { tokenId: token } });
    const response = await sessionsAction(emulator, 'getSessionProperties', {
      headers: withToken(emulator, token),
      version: 'resource=3.1, protocol=1.0',
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ AMCtxId: info.json.properties.AMCtxId });
  });

  it('updateSessionProperties sets allow-listed properties and refuses protected ones', async () => {
    const configured = await startEmulator({
      config: { session: { propertyAllowList: ['LoginLocation', 'AMCtxId'] } },
    });
    try {
      const token = await login(configured, DEMO);
      const update = await sessionsAction(configured, 'updateSessionProperties', {
        headers: withToken(configured, token),
        body: { LoginLocation: '40.748440, -73.984559' },
        version: 'resource=3.1, protocol=1.0',
      });
      expect(update.status).toBe(200);
      expect(update.json).toMatchObject({ LoginLocation: '40.748440, -73.984559' });
      const read = await sessionsAction(configured, 'getSessionProperties', { headers: withToken(configured, token) });
      expect(read.json.LoginLocation).toBe('40.748440, -73.984559');
      for (const body of [{ AMCtxId: 'x' }, { AuthLevel: '5' }, { NotListed: 'x' }]) {
        const refused = await sessionsAction(configured, 'updateSessionProperties', {
          headers: withToken(configured, token),
          body,
        });
        expect(refused.status).toBe(403);
        expect(refused.json).toEqual({ code: 403, reason: 'Forbidden', message: 'Forbidden' });
      }
    } finally {
      await configured.close();
    }
  });
});

describe('tokens and handles', () => {
  it('issues AM-shaped, distinct tokens', async () => {
    const a = await login(emulator, DEMO);
    const b = await login(emulator, DEMO);
    expect(a).toMatch(TOKEN);
    expect(b).toMatch(TOKEN);
    expect(a).not.toBe(b);
  });
});
