/**
 * The Redis backend: several emulator processes serve one tenant. Sessions and journeys in
 * progress live in Redis (every instance reads and writes the same ones); the control state is
 * kept in each process and synchronised through Redis (tenant-sync.ts). authIds are signed with
 * a key kept in Redis, so any instance verifies a step another one issued.
 *
 * Two connections: one for commands, one for the subscription (a subscribed Redis connection
 * takes no other commands).
 */
import { randomBytes } from 'node:crypto';
import type { Tenant } from '../tenant/tenant.js';
import {
  closeRedis,
  connectRedis,
  defaultKeyPrefix,
  redactUrl,
  tenantKeys,
  type RedisClient,
} from '../core/redis-connection.js';
import { RedisSessionStore } from '../state/sessions/redis-store.js';
import { RedisJourneySessionStore } from '../state/journeys/redis-journey-sessions.js';
import { TenantSync } from './tenant-sync.js';
import type { StateBackend } from './backend.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export async function openRedisBackend(options: {
  redisUrl?: string | undefined;
  keyPrefix?: string | undefined;
  cookieName: string;
}): Promise<StateBackend> {
  const url = options.redisUrl ?? DEFAULT_REDIS_URL;
  const prefix = options.keyPrefix ?? defaultKeyPrefix(options.cookieName);
  const keys = tenantKeys(prefix);
  const client = await connectRedis(url, 'aic-emulator');
  let subscriber: RedisClient | undefined;
  try {
    // Named after the tenant: an operator (or a test) can tell whose subscription is whose.
    subscriber = await connectRedis(url, `aic-emulator-sync:${prefix.replace(/[^\w:.-]/g, '_')}`);
    // The first instance chooses the tenant's authId key; the others read it.
    await client.set(keys.authIdSecret, randomBytes(32).toString('base64url'), 'NX');
    const authIdSecret = (await client.get(keys.authIdSecret)) as string;
    let tenant: Tenant | undefined;
    let sync: TenantSync | undefined;
    const now = () => (tenant as Tenant).clock.now();
    const sessionStore = new RedisSessionStore({ client, prefix: keys.sessions, now });
    const journeySessions = new RedisJourneySessionStore(client, keys.journeys, now);
    const sub = subscriber;
    return {
      description: `redis ${redactUrl(url)}, key prefix ${prefix}`,
      tenantOptions: { sessionStore, journeySessions, authIdSecret },
      attach: async (built, { reimport, log }) => {
        tenant = built;
        sync = await TenantSync.start(built, {
          client,
          subscriber: sub,
          prefix: keys.control,
          authId: { key: keys.authIdSecret, secret: authIdSecret },
          log,
        });
        // This instance's --import and config journeys go over the shared ones (and to the others).
        reimport();
      },
      flushed: async () => sync?.flushed(),
      save: async () => undefined,
      status: () => ({ store: 'redis', redisUrl: redactUrl(url), keyPrefix: prefix, sequence: sync?.sequence ?? 0 }),
      close: async () => {
        await sync?.close();
        await Promise.all([closeRedis(sub), closeRedis(client)]);
      },
    };
  } catch (error) {
    await Promise.all([closeRedis(client), subscriber ? closeRedis(subscriber) : undefined]);
    throw error;
  }
}
