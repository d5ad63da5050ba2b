/**
 * The session store contract as tests: registered once per store (the memory store in
 * test/unit/memory-store.test.ts, the Redis store in test/integration/redis-store.test.ts), so
 * every store answers the same way. Indexes, expiry against the clock, the sweeper's batches,
 * and the claim that per-user operations touch only that user's sessions (shown by the store's
 * own work counter, not by timing).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { NewSession, SessionStore } from '../../emulator/state/sessions/store.js';
import { NO_PROPERTIES, sessionProperty } from '../../emulator/state/sessions/session.js';

export interface StoreUnderTest {
  store: SessionStore;
  /** Removes what the store left behind (a Redis prefix). */
  dispose?: () => Promise<void>;
}

/** Makes a fresh, empty store whose clock is `now`. */
export type StoreFactory = (now: () => number) => Promise<StoreUnderTest>;

export const sessionInput = (userId: string, realm = '/alpha', overrides: Partial<NewSession> = {}): NewSession => ({
  realm,
  userId,
  universalId: `id=${userId},ou=user,o=alpha,ou=services,ou=am-config`,
  maxIdleMinutes: 30,
  maxSessionMinutes: 120,
  service: 'Login',
  successUrl: '/enduser/?realm=/alpha',
  ...overrides,
});

const input = sessionInput;

export function sessionStoreSuite(name: string, makeStore: StoreFactory): void {
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const dispose of disposers.splice(0)) await dispose();
  });

  async function fixture(start = Date.UTC(2026, 6, 10, 1, 34, 8)) {
    let now = start;
    const made = await makeStore(() => now);
    if (made.dispose) disposers.push(made.dispose);
    return {
      store: made.store,
      advance: (seconds: number) => {
        now += seconds * 1000;
      },
    };
  }

  describe(name, () => {
    it('finds a session by token and by handle, and lists by user and by realm', async () => {
      const { store } = await fixture();
      const a = await store.create(input('u1'));
      const b = await store.create(input('u1'));
      const c = await store.create(input('u2'));
      const d = await store.create(input('u1', '/'));
      expect((await store.getByToken(a.tokenId))?.handle).toBe(a.handle);
      expect((await store.getByHandle(b.handle))?.tokenId).toBe(b.tokenId);
      expect((await store.listByUser('/alpha', 'u1')).map((s) => s.tokenId).sort()).toEqual(
        [a.tokenId, b.tokenId].sort(),
      );
      expect((await store.listByRealm('/alpha')).map((s) => s.tokenId).sort()).toEqual(
        [a.tokenId, b.tokenId, c.tokenId].sort(),
      );
      expect((await store.listByRealm('/')).map((s) => s.tokenId)).toEqual([d.tokenId]);
      // AMCtxId is the context id, not a stored property: sessions without properties share none.
      expect(sessionProperty(a, 'AMCtxId')).toBe(a.ctxId);
      expect(a.properties).toBe(NO_PROPERTIES);
    });

    it('answers a session read back exactly as it was created', async () => {
      const { store } = await fixture();
      const created = await store.create(
        input('u1', '/alpha', { properties: { AMCtxId: 'ignored', colour: 'blue' }, maxIdleMinutes: 5.5 }),
      );
      expect(created.properties).toEqual({ colour: 'blue' });
      expect(await store.getByToken(created.tokenId)).toEqual(created);
      expect(await store.getByHandle(created.handle)).toEqual(created);
      expect(await store.listAll()).toEqual([created]);
      expect((await store.getByToken(created.tokenId))?.properties).not.toHaveProperty('AMCtxId');
    });

    it('deleteByUser ends that user’s sessions in that realm only, and every index forgets them', async () => {
      const { store } = await fixture();
      const mine = [await store.create(input('u1')), await store.create(input('u1'))];
      const other = await store.create(input('u2'));
      const elsewhere = await store.create(input('u1', '/'));
      expect(await store.deleteByUser('/alpha', 'u1')).toBe(2);
      for (const session of mine) {
        expect(await store.getByToken(session.tokenId)).toBeUndefined();
        expect(await store.getByHandle(session.handle)).toBeUndefined();
      }
      expect(await store.getByToken(other.tokenId)).toBeDefined();
      expect(await store.getByToken(elsewhere.tokenId)).toBeDefined();
      expect(await store.listByRealm('/alpha')).toHaveLength(1);
      expect(await store.count()).toBe(2);
      expect(await store.deleteByUser('/alpha', 'u1')).toBe(0);
    });

    it('delete and deleteByHandle end one session, once, and every index forgets it', async () => {
      const { store } = await fixture();
      const a = await store.create(input('u1'));
      const b = await store.create(input('u1'));
      expect(await store.delete(a.tokenId)).toBe(true);
      expect(await store.delete(a.tokenId)).toBe(false);
      expect(await store.deleteByHandle(b.handle)).toBe(true);
      expect(await store.deleteByHandle(b.handle)).toBe(false);
      expect(await store.deleteByHandle('shandle:unknown')).toBe(false);
      expect(await store.getByHandle(a.handle)).toBeUndefined();
      expect(await store.listByUser('/alpha', 'u1')).toEqual([]);
      expect(await store.listByRealm('/alpha')).toEqual([]);
      expect(await store.count()).toBe(0);
    });

    it('never answers an expired session, and removes it when asked for it', async () => {
      const { store, advance } = await fixture();
      const session = await store.create(input('u1'));
      advance(30 * 60);
      expect(await store.getByToken(session.tokenId)).toBeUndefined();
      expect(await store.count()).toBe(0);
    });

    it('an expired session is gone for every operation: by handle, lists, touch, properties, logout', async () => {
      const { store, advance } = await fixture();
      const sessions = await Promise.all([1, 2, 3, 4, 5, 6].map(() => store.create(input('u1'))));
      advance(120 * 60); // past the maximum time too
      const [a, b, c, d, e, f] = sessions as [
        (typeof sessions)[0],
        (typeof sessions)[0],
        (typeof sessions)[0],
        (typeof sessions)[0],
        (typeof sessions)[0],
        (typeof sessions)[0],
      ];
      expect(await store.getByHandle(a.handle)).toBeUndefined();
      expect(await store.touch(b.tokenId, 0)).toBeUndefined();
      expect(await store.setProperties(c.tokenId, { colour: 'red' })).toBeUndefined();
      expect(await store.delete(d.tokenId)).toBe(false);
      expect(await store.deleteByHandle(e.handle)).toBe(false);
      expect(await store.listByUser('/alpha', 'u1')).toEqual([]);
      expect(await store.deleteByUser('/alpha', 'u1')).toBe(0);
      expect(await store.getByToken(f.tokenId)).toBeUndefined();
      expect(await store.count()).toBe(0);
    });

    it('the maximum session time ends a session however often it is touched', async () => {
      const { store, advance } = await fixture();
      const session = await store.create(input('u1'));
      for (let i = 0; i < 5; i += 1) {
        advance(20 * 60);
        expect(await store.touch(session.tokenId, 60)).toBeDefined();
      }
      advance(20 * 60); // 120 minutes in: the maximum
      expect(await store.touch(session.tokenId, 60)).toBeUndefined();
    });

    it('touch resets the idle timer only after the update frequency', async () => {
      const { store, advance } = await fixture();
      const session = await store.create(input('u1'));
      advance(59);
      expect((await store.touch(session.tokenId, 60))?.latestAccessTime).toBe(session.creationTime);
      advance(1);
      expect((await store.touch(session.tokenId, 60))?.latestAccessTime).toBe(session.creationTime + 60_000);
      expect((await store.getByToken(session.tokenId))?.latestAccessTime).toBe(session.creationTime + 60_000);
      // The reset idle timer keeps it alive past the original idle expiry.
      advance(29 * 60 + 30);
      expect(await store.getByToken(session.tokenId)).toBeDefined();
    });

    it('setProperties merges properties (never AMCtxId) and keeps the rest', async () => {
      const { store } = await fixture();
      const session = await store.create(input('u1', '/alpha', { properties: { a: '1' } }));
      const updated = await store.setProperties(session.tokenId, { b: '2', AMCtxId: 'nope' });
      expect(updated?.properties).toEqual({ a: '1', b: '2' });
      expect(sessionProperty(updated!, 'AMCtxId')).toBe(session.ctxId);
      expect((await store.setProperties(session.tokenId, { a: 'changed' }))?.properties).toEqual({
        a: 'changed',
        b: '2',
      });
      expect((await store.getByToken(session.tokenId))?.properties).toEqual({ a: 'changed', b: '2' });
    });

    it('purgeExpired removes expired sessions in budgeted batches and re-queues ones whose idle timer moved', async () => {
      const { store, advance } = await fixture();
      const touched = await store.create(input('u1'));
      for (let i = 0; i < 10; i += 1) await store.create(input(`u${i + 2}`));
      advance(20 * 60);
      await store.touch(touched.tokenId, 60);
      advance(11 * 60);
      // The budget bounds the queue entries examined (re-queued ones included), so one batch may purge fewer.
      const first = await store.purgeExpired(4);
      expect(first.more).toBe(true);
      expect(first.purged).toBeGreaterThanOrEqual(3);
      expect(first.purged).toBeLessThanOrEqual(4);
      const rest = await store.purgeExpired(100);
      expect(first.purged + rest.purged).toBe(10);
      expect(rest.more).toBe(false);
      expect(await store.count()).toBe(1);
      expect(await store.getByToken(touched.tokenId)).toBeDefined();
      advance(20 * 60);
      expect((await store.purgeExpired(100)).purged).toBe(1);
    });

    it('clear ends every session', async () => {
      const { store } = await fixture();
      const session = await store.create(input('u1'));
      await store.create(input('u2', '/'));
      await store.clear();
      expect(await store.count()).toBe(0);
      expect(await store.getByToken(session.tokenId)).toBeUndefined();
      expect(await store.listAll()).toEqual([]);
      expect((await store.create(input('u1'))).tokenId).not.toBe(session.tokenId);
    });

    it('operations racing on one user stay consistent: each session is ended exactly once', async () => {
      const { store } = await fixture();
      const created = await Promise.all(Array.from({ length: 50 }, () => store.create(input('racer'))));
      // Logouts, a logoutByUser and handle logouts all at once: every session is counted once.
      const results = await Promise.all([
        ...created.slice(0, 10).map((session) => store.delete(session.tokenId)),
        store.deleteByUser('/alpha', 'racer'),
        ...created.slice(10, 20).map((session) => store.deleteByHandle(session.handle)),
        store.deleteByUser('/alpha', 'racer'),
      ]);
      const ended = results.reduce<number>(
        (sum, result) => sum + (result === true ? 1 : typeof result === 'number' ? result : 0),
        0,
      );
      expect(ended).toBe(50);
      expect(await store.listByUser('/alpha', 'racer')).toEqual([]);
      expect(await store.count()).toBe(0);
    });

    it('with 100,000 sessions across 1,000 users, logoutByUser and the query visit only that user’s sessions', async () => {
      const { store } = await fixture();
      for (let user = 0; user < 1000; user += 1) {
        // One user's 100 sessions at once: the Redis store pipelines them, the memory store does not care.
        await Promise.all(Array.from({ length: 100 }, () => store.create(input(`user-${user}`))));
      }
      expect(await store.count()).toBe(100_000);

      let before = store.work.sessionsVisited;
      const listed = await store.listByUser('/alpha', 'user-500');
      expect(listed).toHaveLength(100);
      expect(store.work.sessionsVisited - before).toBe(100);

      before = store.work.sessionsVisited;
      expect(await store.deleteByUser('/alpha', 'user-500')).toBe(100);
      expect(store.work.sessionsVisited - before).toBe(100);

      before = store.work.sessionsVisited;
      expect(await store.getByToken((listed[0] as { tokenId: string }).tokenId)).toBeUndefined();
      await store.listByUser('/alpha', 'user-501');
      expect(store.work.sessionsVisited - before).toBe(100);
      expect(await store.count()).toBe(99_900);
    }, 120_000);
  });
}
