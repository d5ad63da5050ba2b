/**
 * Claiming a journey step (JourneySessionStore.claim), the same on the memory store and the Redis
 * store: only the session's latest authId (by digest) claims it, once, even when two claims race
 * (two instances on one Redis prefix); a claimed step stays claimed until the engine puts the
 * next one; expired sessions are not claimed. Redis is optional locally (test/helpers/redis.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tenantKeys } from '../../../emulator/core/redis-connection.js';
import {
  MemoryJourneySessionStore,
  newOtk,
  type JourneySession,
  type JourneySessionStore,
} from '../../../emulator/state/journeys/journey-sessions.js';
import { RedisJourneySessionStore } from '../../../emulator/state/journeys/redis-journey-sessions.js';
import { newTreeState } from '../../../emulator/state/journeys/tree-state.js';
import { hasRedis, testPrefix, testRedis } from '../../helpers/redis.js';

const START = Date.UTC(2026, 6, 10);

const session = (id: string, digest: string, now: number): JourneySession => ({
  id,
  realm: '/alpha',
  journey: 'Login',
  otk: newOtk(),
  state: newTreeState({ username: 'alice', list: [], nested: { empty: {} }, big: 2 ** 53 - 1 }),
  pending: [],
  authIdDigest: digest,
  expiresAt: now + 15 * 60_000,
  steps: 1,
  runId: 'run',
  options: {
    noSession: false,
    forceAuth: false,
    goto: undefined,
    gotoOnFail: undefined,
    existingSessionToken: undefined,
  },
});

/** The claim suite over two store objects that share their sessions (one object for the memory store). */
function claimSuite(make: (now: () => number) => Promise<[JourneySessionStore, JourneySessionStore]>) {
  it('the latest digest claims the step once; another digest, or the same again, does not', async () => {
    const [a, b] = await make(() => START);
    await a.put(session('j1', 'd1', START));
    expect(await a.claim('j1', 'other')).toBeUndefined();
    expect(await a.claim('missing', 'd1')).toBeUndefined();
    const claimed = await b.claim('j1', 'd1');
    expect(claimed).toMatchObject({ id: 'j1', authIdDigest: '', state: { shared: { username: 'alice' } } });
    // The state comes back whole: empty arrays and objects, large integers.
    expect(claimed?.state.shared).toEqual({ username: 'alice', list: [], nested: { empty: {} }, big: 2 ** 53 - 1 });
    expect(await a.claim('j1', 'd1')).toBeUndefined();
    expect(await b.claim('j1', 'd1')).toBeUndefined();
    expect(await a.claim('j1', '')).toBeUndefined();
    // Claimed, it is still there (the engine puts the next step or deletes it) with no digest.
    expect((await a.get('j1'))?.authIdDigest).toBe('');
    // The next step's digest claims it again.
    await b.put({ ...(claimed as JourneySession), authIdDigest: 'd2', steps: 2 });
    expect(await a.claim('j1', 'd1')).toBeUndefined();
    expect((await a.claim('j1', 'd2'))?.steps).toBe(2);
  });

  it('of two claims of one step at once, one wins', async () => {
    const [a, b] = await make(() => START);
    for (let i = 0; i < 20; i += 1) {
      await a.put(session(`race${i}`, `d${i}`, START));
      const results = await Promise.all([a.claim(`race${i}`, `d${i}`), b.claim(`race${i}`, `d${i}`)]);
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    }
  });

  it('an expired session is not claimed (tenant clock)', async () => {
    let now = START;
    const [a] = await make(() => now);
    await a.put(session('late', 'd', START));
    now += 15 * 60_000;
    expect(await a.claim('late', 'd')).toBeUndefined();
    expect(await a.get('late')).toBeUndefined();
  });
}

describe('claiming a step: the memory journey session store', () => {
  claimSuite(async (now) => {
    const store = new MemoryJourneySessionStore(now);
    return [store, store];
  });
});

const available = await hasRedis();
const redis = available ? await testRedis() : undefined;
const prefixes: string[] = [];
afterAll(async () => {
  await redis?.cleanUp(...prefixes);
});

describe.skipIf(!available)('claiming a step: the Redis journey session store, two instances', () => {
  claimSuite(async (now) => {
    const prefix = testPrefix('journey-claim');
    prefixes.push(prefix);
    const keys = tenantKeys(prefix).journeys;
    return [
      new RedisJourneySessionStore(redis!.client, keys, now),
      new RedisJourneySessionStore(redis!.client, keys, now),
    ];
  });

  it('a claim keeps the Redis TTL', async () => {
    const prefix = testPrefix('journey-claim-ttl');
    prefixes.push(prefix);
    const keys = tenantKeys(prefix).journeys;
    const store = new RedisJourneySessionStore(redis!.client, keys, () => START);
    await store.put(session('t', 'd', START));
    const before = await redis!.client.pttl(`${keys}t`);
    await store.claim('t', 'd');
    const after = await redis!.client.pttl(`${keys}t`);
    expect(after).toBeGreaterThan(before - 5_000);
    expect(after).toBeLessThanOrEqual(before);
  });
});
