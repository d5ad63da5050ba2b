/**
 * The control API (DESIGN.md): shapes of every route, and that each does what it says to the
 * AM surface (clock moves expire sessions, faults answer AM requests, reset restores).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { ALPHA, BJENSEN, DEMO, login, sessionsAction, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { rawRequest } from '../helpers/raw-socket.js';

let emulator: Emulator;
const control = (path: string, init: { method?: string; body?: unknown } = {}) =>
  http(`${emulator.url}/__emulator/${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('health and tenant', () => {
  it('GET health', async () => {
    expect((await control('health')).json).toEqual({ status: 'ok' });
  });

  it('GET tenant: cookie name, realms, hosts, admin token, ESVs (esv-cookie holds the cookie name)', async () => {
    const { json } = await control('tenant');
    expect(json.cookieName).toBe(emulator.cookieName);
    expect(json.cookieName).toMatch(/^[0-9a-f]{15}$/);
    expect(json.realms.map((realm: { path: string }) => realm.path)).toEqual(['/', '/alpha']);
    expect(json.hosts).toEqual(expect.arrayContaining(['127.0.0.1', 'localhost']));
    expect(json.adminToken).toBe(emulator.adminToken);
    expect(json.esvs['esv-cookie']).toBe(emulator.cookieName);
  });
});

describe('clock', () => {
  it('GET and POST clock answer {"now"}; advanceSeconds and set move it', async () => {
    expect((await control('clock')).json).toEqual({ now: '2026-07-10T01:34:08.000Z' });
    expect((await control('clock', { method: 'POST', body: { advanceSeconds: 90 } })).json).toEqual({
      now: '2026-07-10T01:35:38.000Z',
    });
    expect((await control('clock', { method: 'POST', body: { set: '2026-08-01T00:00:00Z' } })).json).toEqual({
      now: '2026-08-01T00:00:00.000Z',
    });
  });

  it('moving the clock expires sessions', async () => {
    const token = await login(emulator, DEMO);
    await control('clock', { method: 'POST', body: { advanceSeconds: 31 * 60 } });
    expect((await sessionsAction(emulator, 'validate', { body: { tokenId: token } })).json.valid).toBe(false);
  });
});

describe('ESVs', () => {
  it('PUT esvs/:name sets a value that GET tenant shows', async () => {
    const put = await control('esvs/esv-external-url', {
      method: 'PUT',
      body: { value: 'https://example.com/logout' },
    });
    expect(put.status).toBe(200);
    expect((await control('tenant')).json.esvs['esv-external-url']).toBe('https://example.com/logout');
  });
});

describe('users', () => {
  it('POST users creates a user (201, with its _id) who can then log in; GET users lists without passwords', async () => {
    const created = await control('users', {
      method: 'POST',
      body: {
        realm: 'alpha',
        userName: 'newbie',
        password: 'S3cret!pw',
        givenName: 'New',
        sn: 'Bie',
        mail: 'newbie@example.com',
        frUnindexedString2: 'x',
      },
    });
    expect(created.status).toBe(201);
    expect(created.json._id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.json).toMatchObject({
      realm: '/alpha',
      userName: 'newbie',
      givenName: 'New',
      frUnindexedString2: 'x',
    });
    expect(JSON.stringify(created.json)).not.toContain('S3cret');
    await login(emulator, { userName: 'newbie', password: 'S3cret!pw' });
    const list = await control('users?realm=alpha');
    expect(list.json.result.map((user: { userName: string }) => user.userName)).toContain('newbie');
    expect(JSON.stringify(list.json)).not.toContain('password');
  });
});

describe('sessions', () => {
  it('GET sessions lists live sessions with tokenId, handle, username (_id), universalId, realm and times', async () => {
    const token = await login(emulator, DEMO);
    const { json } = await control('sessions');
    expect(json.result).toHaveLength(1);
    expect(json.result[0]).toMatchObject({
      tokenId: token,
      sessionHandle: expect.stringMatching(/^shandle:/),
      username: DEMO._id,
      userName: 'demo',
      universalId: `id=${DEMO._id},ou=user,o=alpha,ou=services,ou=am-config`,
      realm: '/alpha',
      latestAccessTime: '2026-07-10T01:34:08.000Z',
    });
  });

  it('filters by username (_id) or userName, and DELETE ends sessions', async () => {
    await login(emulator, DEMO);
    const other = await login(emulator, BJENSEN);
    expect((await control(`sessions?username=${DEMO._id}`)).json.result).toHaveLength(1);
    expect((await control('sessions?userName=bjensen')).json.result[0].tokenId).toBe(other);
    expect((await control(`sessions/${encodeURIComponent(other)}`, { method: 'DELETE' })).json).toEqual({ ended: 1 });
    expect((await control('sessions?userName=demo', { method: 'DELETE' })).json).toEqual({ ended: 1 });
    expect((await control('sessions')).json.result).toEqual([]);
  });

  it('POST sessions creates a session for a user without a login', async () => {
    const created = await control('sessions', { method: 'POST', body: { realm: 'alpha', userName: 'demo' } });
    expect(created.status).toBe(201);
    expect((await sessionsAction(emulator, 'validate', { body: { tokenId: created.json.tokenId } })).json.valid).toBe(
      true,
    );
  });
});

describe('faults', () => {
  it('answers matched AM requests with the given status and JSON body, the given number of times', async () => {
    const token = await login(emulator, DEMO);
    const added = await control('faults', {
      method: 'POST',
      body: {
        path: '/sessions',
        action: 'logoutByUser',
        status: 500,
        body: { code: 500, reason: 'Internal Server Error', message: 'boom' },
        times: 1,
      },
    });
    expect(added.status).toBe(201);
    expect(added.json.id).toEqual(expect.any(String));
    const first = await sessionsAction(emulator, 'logoutByUser', {
      headers: { [emulator.cookieName]: token },
      body: { username: DEMO._id },
    });
    expect(first.status).toBe(500);
    expect(first.json.message).toBe('boom');
    expect(await emulator.tenant.sessions.getByToken(token)).toBeDefined();
    const second = await sessionsAction(emulator, 'logoutByUser', {
      headers: { [emulator.cookieName]: token },
      body: { username: DEMO._id },
    });
    expect(second.json).toEqual({ result: true });
  });

  it('sends a string body as is, and leaves other actions alone', async () => {
    await control('faults', { method: 'POST', body: { action: 'validate', status: 200, body: '{"result": false}' } });
    const faulted = await sessionsAction(emulator, 'validate', { body: {} });
    expect(faulted.text).toBe('{"result": false}');
    const other = await http(`${emulator.url}/am/json/serverinfo/*`);
    expect(other.json.cookieName).toBe(emulator.cookieName);
  });

  it('reset: true drops the connection', async () => {
    await control('faults', { method: 'POST', body: { path: '/serverinfo/*', reset: true } });
    const answer = await rawRequest(emulator.url, 'GET /am/json/serverinfo/* HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer.status).toBe(0);
    expect(answer.body).toBe('');
  });

  it('a delay-only fault delays, then the emulator answers', async () => {
    const { json } = await control('faults', { method: 'POST', body: { path: '/serverinfo/*', delayMs: 20 } });
    const response = await http(`${emulator.url}/am/json/serverinfo/*`);
    expect(response.status).toBe(200);
    expect(response.json.cookieName).toBe(emulator.cookieName);
    const entry = (await control('journal')).json.result.at(-1);
    expect(entry).toMatchObject({ url: '/am/json/serverinfo/*', fault: json.id, status: 200 });
  });

  it('probability 0 never fires; a seeded probability fires reproducibly', async () => {
    await control('faults', { method: 'POST', body: { path: '/serverinfo/*', status: 503, probability: 0 } });
    expect((await http(`${emulator.url}/am/json/serverinfo/*`)).status).toBe(200);
    await control('faults', { method: 'DELETE' });
    const run = async () => {
      await control('faults', { method: 'DELETE' });
      await control('faults', {
        method: 'POST',
        body: { path: '/serverinfo/*', status: 503, probability: 0.5, seed: 7 },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await http(`${emulator.url}/am/json/serverinfo/*`)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('DELETE faults removes them; GET faults lists them', async () => {
    const { json } = await control('faults', {
      method: 'POST',
      body: { method: 'GET', path: '/serverinfo/*', status: 500 },
    });
    expect((await control('faults')).json.result.map((fault: { id: string }) => fault.id)).toEqual([json.id]);
    await control(`faults/${json.id}`, { method: 'DELETE' });
    expect((await http(`${emulator.url}/am/json/serverinfo/*`)).status).toBe(200);
  });
});

describe('journal', () => {
  it('records AM requests newest last, with passwords and tokens masked', async () => {
    const token = await login(emulator, DEMO);
    await sessionsAction(emulator, 'getSessionInfo', { body: { tokenId: token } });
    const { json } = await control('journal');
    const entries = json.result as {
      method: string;
      url: string;
      status: number;
      requestHeaders: Record<string, string>;
      requestBody?: string;
      responseBody?: string;
    }[];
    expect(entries.map((entry) => entry.url)).toEqual([
      `${ALPHA}/authenticate`,
      `${ALPHA}/sessions/?_action=getSessionInfo`,
    ]);
    expect(entries[0]?.status).toBe(200);
    const serialized = JSON.stringify(entries);
    expect(serialized).not.toContain(DEMO.password);
    expect(serialized).not.toContain(token);
    expect(entries[0]?.requestHeaders['x-openam-password']).toBe('***');
  });

  it('is bounded by journalSize', async () => {
    const small = await startEmulator({ config: { journalSize: 3 } });
    try {
      for (let i = 0; i < 5; i += 1) await http(`${small.url}/am/json/serverinfo/*`);
      expect(
        (await http(`${small.url}/__emulator/journal`)).json.result.map((entry: { id: number }) => entry.id),
      ).toEqual([3, 4, 5]);
    } finally {
      await small.close();
    }
  });
});

describe('reset', () => {
  it('returns to the configured start: no sessions, no faults, demo users only, clock at its start', async () => {
    await login(emulator, DEMO);
    await control('users', { method: 'POST', body: { realm: 'alpha', userName: 'temp', password: 'x' } });
    await control('faults', { method: 'POST', body: { path: '/serverinfo/*', status: 500 } });
    await control('clock', { method: 'POST', body: { advanceSeconds: 3600 } });
    const reset = await control('reset', { method: 'POST', body: { keepUsers: false } });
    expect(reset.status).toBe(200);
    expect(reset.json).toEqual({ status: 'ok', keptUsers: 0 });
    expect((await control('sessions')).json.result).toEqual([]);
    expect((await control('faults')).json.result).toEqual([]);
    expect((await control('users')).json.result.map((user: { userName: string }) => user.userName)).not.toContain(
      'temp',
    );
    expect((await control('clock')).json.now).toBe('2026-07-10T01:34:08.000Z');
  });

  it('keeps the users added since start unless asked otherwise (issue 21), as they were; ends their sessions', async () => {
    const added = await control('users', {
      method: 'POST',
      body: { realm: 'alpha', userName: 'attendee-1', password: 'Kept-Pass-1', frUnindexedString2: 'x' },
    });
    expect(added.status).toBe(201);
    expect(await login(emulator, { userName: 'attendee-1', password: 'Kept-Pass-1' })).toBeTruthy();
    const reset = await control('reset', { method: 'POST' });
    expect(reset.json).toEqual({ status: 'ok', keptUsers: 1 });
    const users = (await control('users?realm=alpha')).json.result as { userName: string; _id: string }[];
    expect(users.find((user) => user.userName === 'attendee-1')).toMatchObject({
      _id: added.json._id,
      frUnindexedString2: 'x',
    });
    expect((await control('sessions')).json.result).toEqual([]);
    // The password is kept: the attendee signs in again.
    expect(await login(emulator, { userName: 'attendee-1', password: 'Kept-Pass-1' })).toBeTruthy();
    // emulator.reset() (tests' clean slate) still removes them.
    await emulator.reset();
    expect((await control('users')).json.result.map((user: { userName: string }) => user.userName)).not.toContain(
      'attendee-1',
    );
  });

  it('refuses a body it does not understand, AM-shaped', async () => {
    for (const body of [{ keepUsers: 'no' }, { keepUser: false }, [1]]) {
      const answer = await control('reset', { method: 'POST', body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json).toMatchObject({ code: 400, reason: 'Bad Request', message: expect.any(String) });
    }
  });
});
