/**
 * What the Redis session store costs against the memory store, in the same run: create,
 * validate (touch) and logoutByUser, one at a time (the latency a request sees) and 64 at a time
 * (Redis pipelines them), then validate and zero-page login over HTTP through a whole emulator on
 * each store. Figures are ratios Redis / memory. Skipped with a message when no Redis answers
 * (REDIS_URL, default redis://127.0.0.1:6379).
 *
 *   npm run bench -- redis-store
 */
import { randomUUID } from 'node:crypto';
import { input } from './store-scale.js';
import { MemorySessionStore } from '../emulator/state/sessions/memory-store.js';
import { RedisSessionStore } from '../emulator/state/sessions/redis-store.js';
import type { SessionStore } from '../emulator/state/sessions/store.js';
import {
  closeRedis,
  connectRedis,
  deletePrefix,
  redactUrl,
  tenantKeys,
  type RedisClient,
} from '../emulator/core/redis-connection.js';

const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const SESSIONS_PER_USER = 10;
const USERS = 2_000;
const CONCURRENCY = 64;

interface Figures {
  create: number;
  validate: number;
  logoutByUser: number;
  createConcurrent: number;
  validateConcurrent: number;
}

/** Mean µs per operation, one at a time and CONCURRENCY at a time, on a fresh store. */
async function measure(store: SessionStore): Promise<Figures> {
  const tokens: string[] = [];
  const time = async (count: number, work: (i: number) => Promise<unknown>, concurrency = 1) => {
    const started = performance.now();
    for (let i = 0; i < count; i += concurrency) {
      const batch: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(count, i + concurrency); j += 1) batch.push(work(j));
      await Promise.all(batch);
    }
    return ((performance.now() - started) / count) * 1000;
  };
  const total = USERS * SESSIONS_PER_USER;
  const create = await time(total, async (i) => tokens.push((await store.create(input(`user-${i % USERS}`))).tokenId));
  const validate = await time(total, (i) => store.touch(tokens[(i * 7919) % total] as string, 60));
  const logoutByUser = await time(USERS / 2, (i) => store.deleteByUser('/alpha', `user-${i}`));
  const createConcurrent = await time(total / 2, (i) => store.create(input(`user-${i % (USERS / 2)}`)), CONCURRENCY);
  const validateConcurrent = await time(
    total,
    (i) => store.touch(tokens[(i * 7919) % total] as string, 60),
    CONCURRENCY,
  );
  return { create, validate, logoutByUser, createConcurrent, validateConcurrent };
}

/** Mean µs per request over HTTP (one keep-alive connection) on an emulator with the given store. */
async function measureHttp(
  store: { kind: 'memory' } | { kind: 'redis'; redisUrl: string; keyPrefix: string },
): Promise<{ validate: number; login: number }> {
  const { createEmulator } = await import('../emulator/app/create-emulator.js');
  const { Pool } = await import('undici');
  const emulator = await createEmulator({ store, config: { runHistorySize: 0, journalSize: 0 } });
  const pool = new Pool(emulator.url, { connections: 1 });
  try {
    const login = async () => {
      const response = await pool.request({
        method: 'POST',
        path: '/am/json/realms/root/realms/alpha/authenticate',
        headers: {
          'x-openam-username': 'demo',
          'x-openam-password': 'Ch4ng3-it!',
          'accept-api-version': 'resource=2.0, protocol=1.0',
        },
      });
      return ((await response.body.json()) as { tokenId: string }).tokenId;
    };
    const rounds = 500;
    for (let i = 0; i < 50; i += 1) await login(); // warm-up: JIT, jose, the script pool
    let started = performance.now();
    const tokens: string[] = [];
    for (let i = 0; i < rounds; i += 1) tokens.push(await login());
    const loginUs = ((performance.now() - started) / rounds) * 1000;
    const headers = {
      authorization: `Bearer ${emulator.adminToken}`,
      'accept-api-version': 'resource=2.1, protocol=1.0',
      'content-type': 'application/json',
    };
    started = performance.now();
    for (let i = 0; i < rounds * 4; i += 1) {
      const response = await pool.request({
        method: 'POST',
        path: '/am/json/realms/root/realms/alpha/sessions?_action=validate',
        headers,
        body: JSON.stringify({ tokenId: tokens[i % rounds] }),
      });
      const body = (await response.body.json()) as { valid: boolean };
      if (!body.valid) throw new Error('a session the bench created is not valid');
    }
    const validateUs = ((performance.now() - started) / (rounds * 4)) * 1000;
    return { validate: validateUs, login: loginUs };
  } finally {
    await pool.close();
    await emulator.close();
  }
}

export async function run(): Promise<string> {
  let client: RedisClient;
  try {
    client = await connectRedis(REDIS_URL, 'aic-emulator-bench');
  } catch (error) {
    return `### Redis session store against the memory store\n\nskipped: ${(error as Error).message} (start redis-server or set REDIS_URL)`;
  }
  const prefix = `aic-bench:${randomUUID()}:`;
  try {
    const now = () => 1_800_000_000_000;
    // Warm-up on small stores, then the measured run on fresh ones.
    await measure(new MemorySessionStore({ now }));
    const memory = await measure(new MemorySessionStore({ now }));
    const redisStore = new RedisSessionStore({ client, prefix: tenantKeys(prefix).sessions, now });
    const redis = await measure(redisStore);
    await redisStore.clear();
    await measureHttp({ kind: 'memory' });
    const httpMemory = await measureHttp({ kind: 'memory' });
    const httpRedis = await measureHttp({ kind: 'redis', redisUrl: REDIS_URL, keyPrefix: `${prefix}http:` });
    const row = (name: string, m: number, r: number) =>
      `| ${name} | ${m.toFixed(1)} µs | ${r.toFixed(1)} µs | ${(r / m).toFixed(1)}× |`;
    return [
      '### Redis session store against the memory store',
      '',
      `Mean time per operation, ${USERS * SESSIONS_PER_USER} sessions of ${USERS} users (${SESSIONS_PER_USER} each), Redis at ${redactUrl(REDIS_URL)}; the ratio is Redis / memory.`,
      '',
      '| operation | memory | Redis | ratio |',
      '| --- | --- | --- | --- |',
      row('create, one at a time', memory.create, redis.create),
      row('validate (touch), one at a time', memory.validate, redis.validate),
      row(`logoutByUser (${SESSIONS_PER_USER} sessions), one at a time`, memory.logoutByUser, redis.logoutByUser),
      row(`create, ${CONCURRENCY} in flight`, memory.createConcurrent, redis.createConcurrent),
      row(`validate, ${CONCURRENCY} in flight`, memory.validateConcurrent, redis.validateConcurrent),
      row('HTTP validate (admin bearer, one keep-alive connection)', httpMemory.validate, httpRedis.validate),
      row('HTTP zero-page login (the demo Login journey)', httpMemory.login, httpRedis.login),
    ].join('\n');
  } finally {
    await deletePrefix(client, prefix);
    await closeRedis(client);
  }
}
