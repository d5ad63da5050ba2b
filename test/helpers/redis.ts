/**
 * Redis for the tests that need one: REDIS_URL, else 127.0.0.1:6379. Locally a suite skips with
 * a message when none answers; in CI (AIC_REQUIRE_OPTIONAL=1) that fails instead (optional.ts).
 * Each test file works under its own key prefix, so files running in parallel share one Redis,
 * and removes its keys afterwards.
 */
import { randomUUID } from 'node:crypto';
import { connectRedis, closeRedis, deletePrefix, type RedisClient } from '../../emulator/core/redis-connection.js';
import { optional } from './optional.js';

export const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

async function reachable(url: string): Promise<boolean> {
  try {
    await closeRedis(await connectRedis(url, 'aic-emulator-test-probe'));
    return true;
  } catch {
    return false;
  }
}

/** True when Redis answers (else skips, or fails in CI). Use with `describe.skipIf(!hasRedis)`. */
export const hasRedis = async (): Promise<boolean> =>
  optional('Redis', await reachable(REDIS_URL), `nothing answers at ${REDIS_URL}; start redis-server or set REDIS_URL`);

/** A key prefix no other test uses. */
export const testPrefix = (label: string): string => `aic-test:${label}:${randomUUID()}:`;

/** A connection for a test, and the clean-up that removes the prefixes it used and closes it. */
export async function testRedis(): Promise<{ client: RedisClient; cleanUp: (...prefixes: string[]) => Promise<void> }> {
  const client = await connectRedis(REDIS_URL, 'aic-emulator-test');
  return {
    client,
    cleanUp: async (...prefixes) => {
      for (const prefix of prefixes) await deletePrefix(client, prefix);
      await closeRedis(client);
    },
  };
}
