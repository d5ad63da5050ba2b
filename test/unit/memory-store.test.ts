/**
 * The in-memory session store: indexes, expiry against the clock, the sweeper's queue, and the
 * claim that per-user operations touch only that user's sessions (shown by the store's own
 * work counter, not by timing).
 */
import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../emulator/sessions/memory-store.js';
import type { NewSession } from '../../emulator/sessions/store.js';
import { NO_PROPERTIES, sessionProperty } from '../../emulator/sessions/session.js';

function fixture(start = Date.UTC(2026, 6, 10, 1, 34, 8)) {
  let now = start;
  const store = new MemorySessionStore({ now: () => now });
  return {
    store,
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

const input = (userId: string, realm = '/alpha', overrides: Partial<NewSession> = {}): NewSession => ({
  realm,
  userId,
  universalId: `id=${userId},ou=user,o=alpha,ou=services,ou=am-config`,
  maxIdleMinutes: 30,
  maxSessionMinutes: 120,
  service: 'Login',
  successUrl: '/enduser/?realm=/alpha',
  ...overrides,
});

describe('MemorySessionStore', () => {
  it('finds a session by token and by handle, and lists by user and by realm', async () => {
    const { store } = fixture();
    const a = await store.create(input('u1'));
    const b = await store.create(input('u1'));
    const c = await store.create(input('u2'));
    const d = await store.create(input('u1', '/'));
    expect((await store.getByToken(a.tokenId))?.handle).toBe(a.handle);
    expect((await store.getByHandle(b.handle))?.tokenId).toBe(b.tokenId);
    expect((await store.listByUser('/alpha', 'u1')).map((s) => s.tokenId).sort()).toEqual([a.tokenId, b.tokenId].sort());
    expect((await store.listByRealm('/alpha')).map((s) => s.tokenId).sort()).toEqual([a.tokenId, b.tokenId, c.tokenId].sort());
    expect((await store.listByRealm('/')).map((s) => s.tokenId)).toEqual([d.tokenId]);
    // AMCtxId is the context id, not a stored property: sessions without properties share none.
    expect(sessionProperty(a, 'AMCtxId')).toBe(a.ctxId);
    expect(a.properties).toBe(NO_PROPERTIES);
  });

  it('deleteByUser ends that user’s sessions in that realm only, and every index forgets them', async () => {
    const { store } = fixture();
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
  });

  it('never answers an expired session, and removes it when asked for it', async () => {
    const { store, advance } = fixture();
    const session = await store.create(input('u1'));
    advance(30 * 60);
    expect(await store.getByToken(session.tokenId)).toBeUndefined();
    expect(await store.count()).toBe(0);
  });

  it('touch resets the idle timer only after the update frequency', async () => {
    const { store, advance } = fixture();
    const session = await store.create(input('u1'));
    advance(59);
    expect((await store.touch(session.tokenId, 60))?.latestAccessTime).toBe(session.creationTime);
    advance(1);
    expect((await store.touch(session.tokenId, 60))?.latestAccessTime).toBe(session.creationTime + 60_000);
  });

  it('purgeExpired removes expired sessions in budgeted batches and re-queues ones whose idle timer moved', async () => {
    const { store, advance } = fixture();
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

  it('with 100,000 sessions across 1,000 users, logoutByUser and the query visit only that user’s sessions', async () => {
    const { store } = fixture();
    for (let user = 0; user < 1000; user += 1) {
      for (let i = 0; i < 100; i += 1) await store.create(input(`user-${user}`));
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
  });
});
