/**
 * The Redis session store passes the same suite as the memory store (test/helpers/store-suite.ts),
 * plus what only a shared store shows: two store objects (two instances) on one tenant prefix see
 * each other's sessions, tenants under different prefixes do not, and the TTL backstop is set.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../emulator/state/sessions/redis-store.js';
import { RedisJourneySessionStore } from '../../emulator/state/journeys/redis-journey-sessions.js';
import type { JourneySession } from '../../emulator/state/journeys/journey-sessions.js';
import { tenantKeys } from '../../emulator/core/redis-connection.js';
import { sessionInput, sessionStoreSuite } from '../helpers/store-suite.js';
import { hasRedis, testPrefix, testRedis } from '../helpers/redis.js';

const available = await hasRedis();
const redis = available ? await testRedis() : undefined;
const prefixes: string[] = [];
afterAll(async () => {
  await redis?.cleanUp(...prefixes);
});

function storeOn(prefix: string, now: () => number): RedisSessionStore {
  prefixes.push(prefix);
  return new RedisSessionStore({ client: redis!.client, prefix: tenantKeys(prefix).sessions, now });
}

describe.skipIf(!available)('Redis session store', () => {
  sessionStoreSuite('RedisSessionStore', async (now) => {
    const store = storeOn(testPrefix('store'), now);
    // Through the tenant's own index: quicker than scanning the whole server for the prefix.
    return { store, dispose: () => store.clear() };
  });

  it('two instances on one prefix share sessions; another prefix is another tenant', async () => {
    const now = () => Date.UTC(2026, 6, 10);
    const prefix = testPrefix('shared');
    const a = storeOn(prefix, now);
    const b = storeOn(prefix, now);
    const elsewhere = storeOn(testPrefix('other'), now);
    const session = await a.create(sessionInput('u1'));
    expect(await b.getByToken(session.tokenId)).toEqual(session);
    expect(await elsewhere.getByToken(session.tokenId)).toBeUndefined();
    expect(await b.deleteByUser('/alpha', 'u1')).toBe(1);
    expect(await a.getByToken(session.tokenId)).toBeUndefined();
  });

  it('every key of a session carries a TTL a margin past its expiry (the garbage-collection backstop)', async () => {
    const prefix = testPrefix('ttl');
    const keys = tenantKeys(prefix);
    const store = new RedisSessionStore({
      client: redis!.client,
      prefix: keys.sessions,
      now: () => Date.UTC(2026, 6, 10),
      backstopMs: 60_000,
    });
    prefixes.push(prefix);
    const session = await store.create(sessionInput('u1', '/alpha', { maxIdleMinutes: 10 }));
    const ttl = (key: string) => redis!.client.pttl(key);
    // 10 minutes of idle time on the tenant clock + the 1-minute margin.
    for (const key of [`t:${session.tokenId}`, `h:${session.handle}`, 'u:/alpha|u1', 'r:/alpha', 'exp']) {
      const left = await ttl(`${keys.sessions}${key}`);
      expect(left, key).toBeGreaterThan(10 * 60_000);
      expect(left, key).toBeLessThanOrEqual(11 * 60_000);
    }
  });

  it('journey sessions: shared by two instances, expired by the tenant clock, cleared by a reset', async () => {
    let now = Date.UTC(2026, 6, 10);
    const prefix = testPrefix('journeys');
    prefixes.push(prefix);
    const a = new RedisJourneySessionStore(redis!.client, tenantKeys(prefix).journeys, () => now);
    const b = new RedisJourneySessionStore(redis!.client, tenantKeys(prefix).journeys, () => now);
    const session = (id: string): JourneySession => ({
      id,
      realm: '/alpha',
      journey: 'Login',
      otk: 'otk',
      state: {
        shared: { username: 'demo' },
        transient: {},
        secure: {},
        currentNodeId: 'n1',
        inner: {},
        nodeData: {},
        sessionProperties: {},
      },
      pending: [
        { type: 'NameCallback', output: [{ name: 'prompt', value: 'User Name' }], inputs: [{ suffix: '', value: '' }] },
      ],
      authIdDigest: 'digest',
      expiresAt: now + 15 * 60_000,
      steps: 1,
      runId: 'run-1',
      options: {
        noSession: false,
        forceAuth: false,
        goto: undefined,
        gotoOnFail: undefined,
        existingSessionToken: undefined,
      },
    });
    await a.put(session('j1'));
    await a.put(session('j2'));
    expect((await b.get('j1'))?.state.shared).toEqual({ username: 'demo' });
    expect((await b.get('j1'))?.pending).toEqual(session('j1').pending);
    await b.delete('j1');
    expect(await a.get('j1')).toBeUndefined();
    now += 15 * 60_000; // the authId's lifetime, on the tenant clock
    expect(await a.get('j2')).toBeUndefined();
    await a.put(session('j3'));
    await b.clear();
    expect(await a.get('j3')).toBeUndefined();
  });
});
