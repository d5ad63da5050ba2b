/**
 * Opens the state backend a store config asks for (backend.ts says what a backend is): the
 * default in-memory one, the memory one with a state file, or Redis. The implementations are
 * loaded only when asked for, so their modules stay out of the default start-up.
 */
import type { SessionStore } from '../state/sessions/store.js';
import { ConfigError } from '../core/config-error.js';
import type { StoreConfig } from '../config/config-types.js';
import type { StateBackend } from './backend.js';

/**
 * Opens the backend a store config asks for. A custom `sessionStore` (createEmulator's option)
 * goes with the memory backend only. The Redis backend is loaded only when asked for.
 */
export async function openBackend(
  store: StoreConfig | undefined,
  context: { cookieName: string; sessionStore?: SessionStore | undefined },
): Promise<StateBackend> {
  checkStoreConfig(store);
  if (store?.kind === 'redis') {
    if (context.sessionStore) throw new ConfigError('give either a sessionStore or store.kind "redis", not both');
    const { openRedisBackend } = await import('./redis-backend.js');
    return openRedisBackend({
      redisUrl: store.redisUrl,
      keyPrefix: store.keyPrefix,
      timeoutMs: store.timeoutMs,
      cookieName: context.cookieName,
    });
  }
  if (store?.stateFile === undefined) return inMemory(context.sessionStore);
  // State files only when asked for: their modules stay out of the default start-up.
  const { openMemoryBackend } = await import('./memory-backend.js');
  return openMemoryBackend({ stateFile: store.stateFile, sessionStore: context.sessionStore });
}

/** The default: everything in this process, nothing to load, save or close. */
function inMemory(sessionStore: SessionStore | undefined): StateBackend {
  return {
    description: 'memory',
    tenantOptions: sessionStore ? { sessionStore } : {},
    attach: async () => undefined,
    flushed: async () => undefined,
    sharesChanges: false,
    readiness: async () => ({ ready: true, checks: { store: { ok: true } } }),
    save: async () => undefined,
    status: () => ({ store: 'memory', stateFile: null }),
    close: async () => undefined,
  };
}

/** The keys that go with each kind (the schema checks their types). */
function checkStoreConfig(store: StoreConfig | undefined): void {
  if (!store) return;
  const given = store as Record<string, unknown>;
  if (store.kind === 'memory') {
    for (const key of ['redisUrl', 'keyPrefix', 'timeoutMs'])
      if (given[key] !== undefined) throw new ConfigError(`store.${key} goes with store.kind "redis", not "memory"`);
  } else if (store.kind === 'redis') {
    if (given['stateFile'] !== undefined)
      throw new ConfigError('store.stateFile goes with the memory store: with Redis the state is kept in Redis');
  } else {
    throw new ConfigError(
      `store.kind must be "memory" or "redis", got ${JSON.stringify((store as { kind: unknown }).kind)}`,
    );
  }
}
