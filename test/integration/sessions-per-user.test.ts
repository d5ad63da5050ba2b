/**
 * A user's sessions as a set: the quota on how many one user may hold, and the per-user
 * operations (the query by user, logoutByUser) that visit only that user's sessions, however many
 * others the store holds.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { MemorySessionStore } from '../../emulator/state/sessions/memory-store.js';
import { ALPHA, DEMO, asAdmin, login, sessionsAction, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('session quotas', () => {
  it('when on, a new session beyond the limit ends the one that would expire first', async () => {
    const quota = await startEmulator({ config: { session: { quota: { enabled: true, limit: 2 } } } });
    try {
      const first = await login(quota, DEMO);
      quota.advanceClock(120);
      const second = await login(quota, DEMO);
      quota.advanceClock(120);
      const third = await login(quota, DEMO);
      const live = (await quota.tenant.sessions.listByUser('/alpha', DEMO._id))
        .map((session) => session.tokenId)
        .sort();
      expect(live).toEqual([second, third].sort());
      expect(live).not.toContain(first);
    } finally {
      await quota.close();
    }
  });

  it('is off by default', async () => {
    for (let i = 0; i < 7; i += 1) await login(emulator, DEMO);
    expect(await emulator.tenant.sessions.listByUser('/alpha', DEMO._id)).toHaveLength(7);
  });
});

describe('per-user operations over HTTP with 100,000 sessions across 1,000 users', () => {
  it('the query and logoutByUser visit only that user’s sessions', async () => {
    const big = await startEmulator({ config: { users: [] } });
    try {
      const { tenant } = big;
      const ids: string[] = [];
      for (let u = 0; u < 1000; u += 1) {
        const user = tenant.users.add({ realm: 'alpha', userName: `user-${u}`, password: 'pw' });
        ids.push(user._id);
        for (let i = 0; i < 100; i += 1) await tenant.createSession(user, { service: 'Login', successUrl: '/' });
      }
      const store = tenant.sessions as MemorySessionStore;
      const target = ids[500] as string;
      let before = store.work.sessionsVisited;
      const query = await http(
        `${big.url}${ALPHA}/sessions?_queryFilter=${encodeURIComponent(`username eq "${target}" and realm eq "/alpha"`)}`,
        {
          headers: { ...asAdmin(big), 'accept-api-version': 'resource=4.0' },
        },
      );
      expect(query.json.resultCount).toBe(100);
      expect(store.work.sessionsVisited - before).toBe(100);
      before = store.work.sessionsVisited;
      const logout = await sessionsAction(big, 'logoutByUser', {
        headers: asAdmin(big),
        body: { username: target },
        version: 'resource=5.1',
      });
      expect(logout.json).toEqual({ result: true });
      expect(store.work.sessionsVisited - before).toBe(100);
      expect(await store.count()).toBe(99_900);
    } finally {
      await big.close();
    }
  });
});
