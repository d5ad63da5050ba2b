/**
 * Redis plumbing shared by the Redis session store, the Redis journey-session store and the
 * tenant sync: connecting with a clear error, running Lua scripts by digest, deleting a key
 * prefix, and the key layout of one tenant.
 *
 * ioredis is loaded only when a Redis store is asked for, so the memory store (the default)
 * never pays for it at start.
 */
import { createHash } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';
import { ConfigError } from './config-error.js';
import { describeOutage, isStoreOutage, StoreUnavailableError } from './store-unavailable.js';

export type { RedisClient };

/** How long a first connection may take before start-up gives up (Redis is local or near). */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * How long a command may wait for Redis's answer before it fails (`store.timeoutMs`): the bound
 * on how long a request waits on a Redis that is paused, overloaded or unreachable.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

/**
 * The longest pause between two reconnection attempts. Short, so that an instance is ready again
 * within a fraction of a second of Redis's return; an attempt on a refused port costs nothing.
 */
const MAX_RECONNECT_DELAY_MS = 200;

/**
 * Opens a connection and waits until it answers PING. An unreachable server, a bad URL or a
 * refused AUTH is a ConfigError naming the URL (without its password): the CLI exits 2 with it.
 * Afterwards ioredis reconnects by itself; commands issued while it is away fail after one retry
 * rather than queueing forever, and every command fails after `commandTimeoutMs` without an
 * answer (a paused Redis keeps the connection open but answers nothing), so a request fails
 * instead of hanging.
 */
export async function connectRedis(
  url: string,
  name = 'aic-emulator',
  commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
): Promise<RedisClient> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`the Redis URL is not a URL: ${JSON.stringify(url)} (expected redis://host:port[/db])`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`the Redis URL must start with redis:// or rediss://, got ${JSON.stringify(redactUrl(url))}`);
  }
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    // Reconnect forever after start-up, backing off to MAX_RECONNECT_DELAY_MS.
    retryStrategy: (attempt) => Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS),
  });
  // Without a listener ioredis prints every failed reconnection; callers see failures as
  // rejected commands instead. The last one says best why a first connection failed.
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await withTimeout(client.connect(), CONNECT_TIMEOUT_MS);
    await withTimeout(client.ping(), CONNECT_TIMEOUT_MS);
  } catch (error) {
    client.disconnect();
    throw new ConfigError(`cannot use Redis at ${redactUrl(url)}: ${(lastError ?? (error as Error)).message}`);
  }
  return client;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The URL as it may be printed: without a password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL, but it may still hold credentials before an `@`.
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Ends a connection: QUIT when it is up (pending replies arrive first), else just drop it. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through
    }
  }
  client.disconnect();
}

/**
 * A Lua script run with EVALSHA, falling back to EVAL the first time a server does not know it
 * (after which the server has it cached). Keys are built inside the scripts from a prefix given
 * as an argument, because a session's index keys depend on fields only the script reads: fine
 * on a single Redis server, not meant for Redis Cluster.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, args: (string | number)[]): Promise<unknown> {
    return storeCall(async () => {
      try {
        return await client.evalsha(this.sha, 0, ...args);
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
        return client.eval(this.source, 0, ...args);
      }
    });
  }
}

/**
 * Runs Redis commands, turning a Redis that cannot be reached or cannot serve into one error the
 * layers above know (StoreUnavailableError); a reply that says a command was wrong stays itself.
 */
export async function storeCall<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof StoreUnavailableError || !isStoreOutage(error)) throw error;
    throw new StoreUnavailableError(describeOutage(error as Error));
  }
}

/** Escapes the glob characters of a SCAN MATCH pattern, so a prefix matches only itself. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Deletes every key that starts with `prefix`, in batches (SCAN + UNLINK: never a KEYS that
 * would block the server on a big database). Keys written while it runs may survive; callers
 * use it for a tenant's reset and tests' clean-up, where nothing else writes.
 */
export async function deletePrefix(client: RedisClient, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 10_000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * The keys of one tenant, all under its prefix (so several tenants, or several test files,
 * share one Redis): sessions under `s:`, journeys in progress under `j:`, the control state
 * under `control:`.
 */
export function tenantKeys(prefix: string) {
  return {
    prefix,
    sessions: `${prefix}s:`,
    journeys: `${prefix}j:`,
    control: `${prefix}control:`,
    /** The secret authIds are signed with: one per tenant, so any instance verifies any step. */
    authIdSecret: `${prefix}authid-secret`,
  };
}

/** The default prefix: one tenant per cookie name, which the config determines. */
export const defaultKeyPrefix = (cookieName: string): string => `aic:${cookieName}:`;
