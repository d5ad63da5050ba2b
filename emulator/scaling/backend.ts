/**
 * Where a tenant's state lives, chosen by the `store` option: in this process (the default,
 * optionally saved to a state file), or in Redis, shared by every instance of the tenant.
 *
 * A backend is opened before the Tenant exists (the tenant is built with its stores), attached
 * to it once built (loading a state file, joining the other instances), and closed after the
 * server (saving the state file, closing connections).
 */
import type { Tenant, TenantOptions } from '../tenant/tenant.js';
import type { SessionStore } from '../sessions/store.js';
import { ConfigError } from '../tenant/config-error.js';

export type StoreConfig =
  | {
      kind: 'memory';
      /** Load at start, save on shutdown and on `POST /__emulator/state/save`. */
      stateFile?: string | undefined;
    }
  | {
      kind: 'redis';
      /** Default redis://127.0.0.1:6379. */
      redisUrl?: string | undefined;
      /** The tenant's key prefix (default `aic:<cookie name>:`): one per tenant sharing a Redis. */
      keyPrefix?: string | undefined;
    };

/** What `POST /__emulator/state/save` answers. */
export interface SaveResult {
  path: string;
  savedAt: string;
  bytes: number;
  users: number;
  sessions: number;
  journeySessions: number;
}

export interface StateBackend {
  /** One line for the start banner. */
  readonly description: string;
  /** The stores and secret the Tenant is built with. */
  readonly tenantOptions: Pick<TenantOptions, 'sessionStore' | 'journeySessions' | 'authIdSecret'>;
  /**
   * Once the tenant is built, before the server listens: loads or joins its state. `reimport`
   * imports the config's and command line's journeys again, over those loaded.
   */
  attach(tenant: Tenant, reimport: () => void): Promise<void>;
  /** Resolves when changes made so far have reached the other instances' source (Redis). */
  flushed(): Promise<void>;
  /** Saves the state file; undefined when this backend has none (AmError-free: callers word it). */
  save(): Promise<SaveResult | undefined>;
  /** `GET /__emulator/state`. */
  status(): Record<string, unknown>;
  /** After the server closed: saves the state file (unless `save` is false: a failed start), closes connections. */
  close(save?: boolean): Promise<void>;
}

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
    return openRedisBackend({ redisUrl: store.redisUrl, keyPrefix: store.keyPrefix, cookieName: context.cookieName });
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
    for (const key of ['redisUrl', 'keyPrefix'])
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
