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
import { ConfigError } from '../core/config-error.js';

export { ConfigError };

export type {
  RealmConfig,
  UserSeed,
  SessionConfig,
  TenantConfig,
  ResolvedTenantConfig,
  TenantConfigInput,
} from './config-types.js';
import type { ResolvedTenantConfig, TenantConfig, TenantConfigInput } from './config-types.js';

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
  // Nor do its CORS rules and OAuth2 clients: on AIC adding a client keeps the cookie name, and
  // the demo tenant's name predates them (nor do social identity providers, the clients of other
  // providers). Node stubs are test fixtures, not the tenant.
  const {
    cookieName: _ignored,
    store: _store,
    cors: _cors,
    oauth2: _oauth2,
    nodeStubs: _nodeStubs,
    socialIdentityProviders: _socialIdentityProviders,
    ...rest
  } = config;
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
