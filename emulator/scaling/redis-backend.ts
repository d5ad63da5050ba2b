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
  DEFAULT_COMMAND_TIMEOUT_MS,
  defaultKeyPrefix,
  redactUrl,
  tenantKeys,
  type RedisClient,
} from '../core/redis-connection.js';
import type { Logger } from '../core/logger.js';
import { RedisSessionStore } from '../state/sessions/redis-store.js';
import { RedisJourneySessionStore } from '../state/journeys/redis-journey-sessions.js';
import { TenantSync } from './tenant-sync.js';
import type { Readiness, ReadinessCheck, StateBackend } from './backend.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The longest a readiness probe waits for PING. An orchestrator's probe has its own timeout
 * (a second, typically): the answer must come before it, and say "not ready" rather than hang.
 */
const PROBE_TIMEOUT_MS = 500;

export async function openRedisBackend(options: {
  redisUrl?: string | undefined;
  keyPrefix?: string | undefined;
  timeoutMs?: number | undefined;
  cookieName: string;
}): Promise<StateBackend> {
  const url = options.redisUrl ?? DEFAULT_REDIS_URL;
  const prefix = options.keyPrefix ?? defaultKeyPrefix(options.cookieName);
  const keys = tenantKeys(prefix);
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const client = await connectRedis(url, 'aic-emulator', timeoutMs);
  let subscriber: RedisClient | undefined;
  try {
    // Named after the tenant: an operator (or a test) can tell whose subscription is whose.
    subscriber = await connectRedis(url, `aic-emulator-sync:${prefix.replace(/[^\w:.-]/g, '_')}`, timeoutMs);
    // The first instance chooses the tenant's authId key; the others read it.
    await client.set(keys.authIdSecret, randomBytes(32).toString('base64url'), 'NX');
    const authIdSecret = (await client.get(keys.authIdSecret)) as string;
    let tenant: Tenant | undefined;
    let sync: TenantSync | undefined;
    let stopWatching = (): void => undefined;
    const now = () => (tenant as Tenant).clock.now();
    const sessionStore = new RedisSessionStore({ client, prefix: keys.sessions, now });
    const journeySessions = new RedisJourneySessionStore(client, keys.journeys, now);
    const sub = subscriber;
    return {
      description: `redis ${redactUrl(url)}, key prefix ${prefix}`,
      tenantOptions: { sessionStore, journeySessions, authIdSecret },
      attach: async (built, { reimport, log }) => {
        tenant = built;
        stopWatching = watchConnection(client, url, log);
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
      sharesChanges: true,
      readiness: async (): Promise<Readiness> => {
        const store = await probe(client, Math.min(PROBE_TIMEOUT_MS, timeoutMs));
        const tenantSync: ReadinessCheck =
          sub.status !== 'ready'
            ? { ok: false, detail: "the subscription to the tenant's changes is down (reconnecting)" }
            : (sync?.state ?? { ok: false, detail: 'not joined yet' });
        return { ready: store.ok && tenantSync.ok, checks: { store, tenantSync } };
      },
      save: async () => undefined,
      status: () => ({ store: 'redis', redisUrl: redactUrl(url), keyPrefix: prefix, sequence: sync?.sequence ?? 0 }),
      close: async () => {
        stopWatching();
        await sync?.close();
        await Promise.all([closeRedis(sub), closeRedis(client)]);
      },
    };
  } catch (error) {
    await Promise.all([closeRedis(client), subscriber ? closeRedis(subscriber) : undefined]);
    throw error;
  }
}

/**
 * Whether Redis answers PING within `ms` on the command connection. The connection's state
 * alone does not tell: a paused Redis keeps it open and answers nothing.
 */
async function probe(client: RedisClient, ms: number): Promise<ReadinessCheck> {
  if (client.status !== 'ready') return { ok: false, detail: `Redis is not connected (${client.status})` };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to PING within ${ms} ms`)), ms);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: `Redis does not answer: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Says in the log when the connection to Redis is lost and when it is back, once each (ioredis
 * retries quietly in between): an operator reading the log sees the outage and its length.
 */
function watchConnection(client: RedisClient, url: string, log: Logger): () => void {
  let lostAt: number | undefined;
  const lost = () => {
    if (lostAt !== undefined) return;
    lostAt = Date.now();
    log.warn({ redis: redactUrl(url) }, 'lost the connection to Redis; reconnecting');
  };
  const back = () => {
    if (lostAt === undefined) return;
    log.warn({ redis: redactUrl(url), outageMs: Date.now() - lostAt }, 'the connection to Redis is back');
    lostAt = undefined;
  };
  client.on('close', lost);
  client.on('ready', back);
  // Until the backend closes: its own QUIT is no outage.
  return () => {
    client.off('close', lost);
    client.off('ready', back);
  };
}
