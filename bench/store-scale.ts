/**
 * Does a user's logoutByUser or session query cost the same in a store of 1,000 sessions and of
 * 100,000? Measures both at each size, in the same run, and prints the ratio (big / small).
 * A ratio near 1 means the indexes, not the store's size, bound the work.
 *
 *   npm run bench -- store-scale
 */
import { MemorySessionStore } from '../emulator/state/sessions/memory-store.js';
import type { NewSession } from '../emulator/state/sessions/store.js';

const SESSIONS_PER_USER = 10;
const ROUNDS = 2_000;

/** A demo-like session of a user in /alpha (the Redis store bench makes the same). */
export const input = (userId: string): NewSession => ({
  realm: '/alpha',
  userId,
  universalId: `id=${userId},ou=user,o=alpha,ou=services,ou=am-config`,
  maxIdleMinutes: 30,
  maxSessionMinutes: 120,
  service: 'Login',
  successUrl: '/enduser/?realm=/alpha',
});

/** Users per timed batch: timing a batch, not each call, keeps the timer's own cost out of the figures. */
const BATCH = 100;

async function measure(totalSessions: number): Promise<{ query: number; logoutByUser: number }> {
  const store = new MemorySessionStore({ now: () => 1_800_000_000_000 });
  const users = totalSessions / SESSIONS_PER_USER;
  for (let user = 0; user < users; user += 1) {
    for (let i = 0; i < SESSIONS_PER_USER; i += 1) await store.create(input(`user-${user}`));
  }
  let queryMs = 0;
  let logoutMs = 0;
  let operations = 0;
  for (let round = 0; round < ROUNDS / BATCH; round += 1) {
    // Spread the batch over the whole store, so the big store's cache misses are counted.
    const batch = Array.from({ length: BATCH }, (_, i) => `user-${Math.floor(((round * BATCH + i) * 7919) % users)}`);
    const unique = [...new Set(batch)];
    let started = performance.now();
    let found = 0;
    for (const userId of unique) found += (await store.listByUser('/alpha', userId)).length;
    queryMs += performance.now() - started;
    if (found !== unique.length * SESSIONS_PER_USER) throw new Error('the store lost sessions');
    started = performance.now();
    for (const userId of unique) await store.deleteByUser('/alpha', userId);
    logoutMs += performance.now() - started;
    operations += unique.length;
    for (const userId of unique) for (let i = 0; i < SESSIONS_PER_USER; i += 1) await store.create(input(userId)); // untimed: restore
  }
  return { query: (queryMs / operations) * 1000, logoutByUser: (logoutMs / operations) * 1000 };
}

export async function run(): Promise<string> {
  // Warm up the JIT on a small store first, so the first measured size is not penalised.
  await measure(1_000);
  const small = await measure(1_000);
  const big = await measure(100_000);
  const row = (name: 'query' | 'logoutByUser') =>
    `| ${name} (${SESSIONS_PER_USER} sessions of one user) | ${small[name].toFixed(2)} µs | ${big[name].toFixed(2)} µs | ${(big[name] / small[name]).toFixed(2)} |`;
  await measureHttp(1_000);
  const smallHttp = await measureHttp(1_000);
  const bigHttp = await measureHttp(100_000);
  const httpRow = (name: 'query' | 'logoutByUser') =>
    `| ${name} over HTTP (admin bearer, keep-alive) | ${smallHttp[name].toFixed(1)} µs | ${bigHttp[name].toFixed(1)} µs | ${(bigHttp[name] / smallHttp[name]).toFixed(2)} |`;
  return [
    '### Per-user session operations against store size',
    '',
    `Mean time per operation on one user's ${SESSIONS_PER_USER} sessions; the store holds 1,000 or 100,000 sessions (${SESSIONS_PER_USER} per user).`,
    '',
    '| operation | 1,000 sessions | 100,000 sessions | ratio |',
    '| --- | --- | --- | --- |',
    row('query'),
    row('logoutByUser'),
    httpRow('query'),
    httpRow('logoutByUser'),
  ].join('\n');
}

/** The same question over HTTP: the whole request, as a client sees it, at each store size. */
export async function measureHttp(totalSessions: number): Promise<{ query: number; logoutByUser: number }> {
  const { createEmulator } = await import('../emulator/app/create-emulator.js');
  const { Pool } = await import('undici');
  const emulator = await createEmulator({ config: { users: [] } });
  const pool = new Pool(emulator.url, { connections: 1 });
  try {
    const { tenant } = emulator;
    const users = totalSessions / SESSIONS_PER_USER;
    const ids: string[] = [];
    for (let u = 0; u < users; u += 1) {
      const user = tenant.users.add({ realm: 'alpha', userName: `user-${u}`, password: 'pw' });
      ids.push(user._id);
      for (let i = 0; i < SESSIONS_PER_USER; i += 1)
        await tenant.createSession(user, { service: 'Login', successUrl: '/' });
    }
    const headers = {
      authorization: `Bearer ${emulator.adminToken}`,
      'accept-api-version': 'resource=5.1, protocol=1.0',
      'content-type': 'application/json',
    };
    const rounds = 1_000;
    let queryMs = 0;
    let logoutMs = 0;
    for (let round = 0; round < rounds; round += 1) {
      const id = ids[(round * 7919) % users] as string;
      let started = performance.now();
      const query = await pool.request({
        method: 'GET',
        path: `/am/json/realms/root/realms/alpha/sessions?_queryFilter=${encodeURIComponent(`username eq "${id}" and realm eq "/alpha"`)}`,
        headers,
      });
      const body = (await query.body.json()) as { resultCount: number };
      queryMs += performance.now() - started;
      if (body.resultCount !== SESSIONS_PER_USER)
        throw new Error(`expected ${SESSIONS_PER_USER} sessions, got ${body.resultCount}`);
      started = performance.now();
      const logout = await pool.request({
        method: 'POST',
        path: '/am/json/realms/root/realms/alpha/sessions/?_action=logoutByUser',
        headers,
        body: JSON.stringify({ username: id }),
      });
      await logout.body.text();
      logoutMs += performance.now() - started;
      const user = tenant.users.get(id);
      if (user)
        for (let i = 0; i < SESSIONS_PER_USER; i += 1)
          await tenant.createSession(user, { service: 'Login', successUrl: '/' });
    }
    return { query: (queryMs / rounds) * 1000, logoutByUser: (logoutMs / rounds) * 1000 };
  } finally {
    await pool.close();
    await emulator.close();
  }
}
