/**
 * The shapes of a tenant's configuration, with no code: the layers below the tenant (identities,
 * realms, the state backends) read these types without reaching the code that loads and merges
 * a config (config.ts), which itself uses the demo tenant and the backends.
 */

/** Where a tenant's state lives (scaling/backend.ts opens it). */
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

export interface RealmConfig {
  /** Realm path: `/alpha`, or `/alpha/sub` for a sub-realm. Root (`/`) always exists. */
  path: string;
  /** The journey `/authenticate` runs when none is named. */
  defaultJourney?: string;
  /** Where a successful login is sent (the `successUrl` of the answer). */
  successUrl?: string;
}

export interface UserSeed {
  /** Realm name or path: `alpha`, `/alpha`, `root`, `/`. */
  realm: string;
  _id?: string;
  userName: string;
  password: string;
  givenName?: string;
  sn?: string;
  mail?: string;
  /** `active` or `inactive`: an inactive user cannot log in. */
  accountStatus?: string;
  /** A tenant administrator: their sessions may call admin-only actions. */
  admin?: boolean;
  [attribute: string]: unknown;
}

export interface SessionConfig {
  maxIdleMinutes: number;
  maxSessionMinutes: number;
  /** AM's latest-access-time update frequency: the idle timer resets at most this often. */
  latestAccessUpdateSeconds: number;
  /** Session properties getSessionProperties answers and updateSessionProperties may set. */
  propertyAllowList: string[];
  /** Properties getSessionInfo and the query add to their answer (besides AMCtxId). */
  returnedProperties: string[];
  quota: { enabled: boolean; limit: number };
}

export interface TenantConfig {
  /** The tenant cookie: 15 lowercase hex characters. Default: derived from the rest of the config. */
  cookieName?: string;
  /** The static bearer token that acts as a tenant administrator (a service account with fr:am:*). */
  adminToken: string;
  /** Host names the tenant answers to (besides the one it listens on), e.g. a custom domain. */
  hosts: string[];
  /** Extra cookie domains: AIC sets the session cookie once per configured domain. */
  cookieDomains: string[];
  /** `auto`: Secure when the request came over https or to a loopback host. */
  secureCookie: boolean | 'auto';
  realms: RealmConfig[];
  users: UserSeed[];
  session: SessionConfig;
  /** ESVs by name as created (`esv-cookie`); scripts read them as `esv.cookie`. */
  esvs: Record<string, string>;
  clock: { start?: string; frozen?: boolean };
  /** Request journal capacity (entries; oldest dropped first). */
  journalSize: number;
  /** Journey runs kept for `GET /__emulator/runs` (oldest dropped first). */
  runHistorySize: number;
  /** Journey exports (files or folders) imported at start and at every reset. */
  journeys: string[];
  /** Lets scripts call hosts other than the tenant's own (off: such calls fail unless stubbed). */
  allowOutbound: boolean;
  /** Limits on journey scripts. */
  scriptLimits: {
    timeoutMs?: number;
    memoryMb?: number;
    workers?: number;
    maxWorkers?: number;
    hostCallTimeoutMs?: number;
    maxNesting?: number;
  };
  /** Stubs for scripts' outbound calls, in place at start and after every reset. */
  stubs: Record<string, unknown>[];
  /**
   * The control API's token. Required on every control request when set, and always when the
   * server listens beyond loopback (a random one is made then if none is set).
   */
  controlToken?: string;
  /**
   * Where the state lives: `{kind: 'memory', stateFile?}` (the default) or `{kind: 'redis',
   * redisUrl?, keyPrefix?}` (several instances, one tenant). Not part of the tenant's identity:
   * it does not change the derived cookie name.
   */
  store?: StoreConfig;
}

/** The resolved config: the cookie name is always known. */
export type ResolvedTenantConfig = TenantConfig & { cookieName: string };

type Partial2<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : Partial2<T[K]>) : T[K] };
export type TenantConfigInput = Partial2<TenantConfig> & { [key: string]: unknown };
