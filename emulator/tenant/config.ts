/**
 * Tenant configuration: what a tenant is made of (realms, users, cookie name, session limits,
 * ESVs, the admin bearer token), the demo defaults, and loading a config file over them.
 *
 * A config file (JSON or YAML) is a partial TenantConfig merged over the demo tenant: objects
 * merge key by key, arrays and scalars replace. So `{"users": [...]}` replaces the demo users
 * and `{"session": {"maxIdleMinutes": 5}}` changes one limit.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { createRequire } from 'node:module';
import { DEMO_TENANT } from './demo-tenant.js';
import { validateConfig } from './config-schema.js';
import { ConfigError } from './config-error.js';
import type { StoreConfig } from '../scaling/backend.js';

export { ConfigError };

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

/** The YAML parser, loaded only for a YAML config file (synchronously: reading a config is). */
const loadYaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** Reads a JSON or YAML config file. */
export function readConfigFile(path: string): TenantConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : loadYaml().parse(text);
  } catch (error) {
    throw new ConfigError(
      `config file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`config file ${path} must hold an object`);
  return parsed as TenantConfigInput;
}

/** Merges overrides over the demo tenant, validates, and fills in the cookie name. */
export function resolveConfig(...overrides: (TenantConfigInput | undefined)[]): ResolvedTenantConfig {
  let merged: unknown = structuredClone(DEMO_TENANT);
  const given = overrides.filter((override) => override !== undefined);
  for (const override of given) merged = deepMerge(merged, override);
  // The demo tenant alone is ours and checked by a test; only what users give needs checking.
  if (given.length > 0) validateConfig(merged);
  const config = merged as TenantConfig;
  const cookieName = config.cookieName ?? deriveCookieName(config);
  if (!/^[0-9a-f]{15}$/.test(cookieName)) {
    throw new ConfigError(`cookieName must be 15 lowercase hexadecimal characters, got ${JSON.stringify(cookieName)}`);
  }
  return { ...config, cookieName };
}

/**
 * A cookie name stable for a given config: the first 15 hex digits of a hash of everything else,
 * so the demo tenant always has the same name and two different configs almost surely differ.
 */
export function deriveCookieName(config: TenantConfig): string {
  // The store is where the tenant lives, not what it is: instances of one tenant may reach the
  // same Redis by different URLs, and moving to a state file must not change the cookie name.
  const { cookieName: _ignored, store: _store, ...rest } = config;
  return createHash('sha256').update(stableStringify(rest)).digest('hex').slice(0, 15);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else in `override` replaces. `__proto__` and friends are ignored. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override);
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    result[key] = key in base ? deepMerge(base[key], value) : structuredClone(value);
  }
  return result;
}
