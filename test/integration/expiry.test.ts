/**
 * Session lifetime on the tenant clock (AIC docs, "Session termination"; the alpha realm's recorded session
 * service: 30/120): idle timeout 30 min, max 120 min, idle resets at most once per 60 s. No sleeping: the clock
 * is moved.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { MemorySessionStore } from '../../emulator/state/sessions/memory-store.js';
import { DEMO, login, sessionsAction, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const isValid = async (token: string) =>
  (await sessionsAction(emulator, 'validate', { body: { tokenId: token }, query: '&refresh=false' })).json
    .valid as boolean;
const touch = (token: string) => sessionsAction(emulator, 'validate', { body: { tokenId: token } });

describe('idle timeout', () => {
  it('ends a session left idle for 30 minutes, not one second earlier', async () => {
    const token = await login(emulator, DEMO);
    emulator.advanceClock(30 * 60 - 1);
    expect(await isValid(token)).toBe(true);
    emulator.advanceClock(1);
    expect(await isValid(token)).toBe(false);
  });

  it('restarts when the session is used (validate), so an active session outlives 30 minutes', async () => {
    const token = await login(emulator, DEMO);
    for (let i = 0; i < 3; i += 1) {
      emulator.advanceClock(20 * 60);
      await touch(token);
    }
    expect(await isValid(token)).toBe(true);
  });

  it('is reset at most once per latest-access update frequency (60 s)', async () => {
    const token = await login(emulator, DEMO);
    emulator.advanceClock(59);
    await touch(token); // too soon: no reset
    emulator.advanceClock(30 * 60 - 59);
    expect(await isValid(token)).toBe(false);
  });

  it('honours a configured idle time', async () => {
    const configured = await startEmulator({ config: { session: { maxIdleMinutes: 5 } } });
    try {
      const token = await login(configured, DEMO);
      configured.advanceClock(5 * 60);
      const response = await sessionsAction(configured, 'validate', { body: { tokenId: token } });
      expect(response.json.valid).toBe(false);
    } finally {
      await configured.close();
    }
  });
});

describe('max session time', () => {
  it('ends even an active session 120 minutes after it was created', async () => {
    const token = await login(emulator, DEMO);
    for (let i = 0; i < 11; i += 1) {
      emulator.advanceClock(10 * 60);
      await touch(token);
    }
    emulator.advanceClock(9 * 60 + 59); // 119:59 after creation, 9:59 after the last use
    expect(await isValid(token)).toBe(true);
    emulator.advanceClock(1);
    expect(await isValid(token)).toBe(false);
  });
});

describe('expired sessions', () => {
  it('are purged from the store by the sweeper, without any request touching them', async () => {
    await login(emulator, DEMO);
    await login(emulator, DEMO);
    expect(await emulator.tenant.sessions.count()).toBe(2);
    emulator.advanceClock(31 * 60);
    // The clock move itself scheduled a sweep; wait for it to finish (it yields between batches).
    await emulator.tenant.whenSwept();
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('disappear from the query and the control API at once', async () => {
    await login(emulator, DEMO);
    emulator.advanceClock(31 * 60);
    const sessions = await http(`${emulator.url}/__emulator/sessions`);
    expect(sessions.json.result).toEqual([]);
  });

  it('answer logout with "Token has expired" and getSessionInfo (admin) with {"valid":false}', async () => {
    const token = await login(emulator, DEMO);
    emulator.advanceClock(2 * 60 * 60);
    const admin = { authorization: `Bearer ${emulator.adminToken}` };
    expect((await sessionsAction(emulator, 'logout', { headers: admin, body: { tokenId: token } })).json).toEqual({
      result: 'Token has expired',
    });
    expect(
      (await sessionsAction(emulator, 'getSessionInfo', { headers: admin, body: { tokenId: token } })).json,
    ).toEqual({ valid: false });
  });

  it('a caller with an expired token is anonymous: 401 Access Denied', async () => {
    const token = await login(emulator, DEMO);
    emulator.advanceClock(31 * 60);
    const response = await sessionsAction(emulator, 'getSessionInfo', { headers: { [emulator.cookieName]: token } });
    expect(response.status).toBe(401);
    expect(response.json.message).toBe('Access Denied');
  });
});

describe('the expiry queue', () => {
  it('stays bounded on a frozen clock through many login/logout cycles', async () => {
    const store = emulator.tenant.sessions as MemorySessionStore;
    for (let i = 0; i < 3000; i += 1) {
      const session = await emulator.tenant.createSession(emulator.tenant.users.get(DEMO._id)!, {
        service: 'Login',
        successUrl: '/',
      });
      await store.delete(session.tokenId);
    }
    expect(await store.count()).toBe(0);
    expect(store.queuedEntries).toBeLessThanOrEqual(1025);
  });
});
