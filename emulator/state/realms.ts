/**
 * The tenant's realms. Realm paths are AM's: `/` is root, `/alpha` a realm under it, `/alpha/x`
 * a sub-realm. REST paths name them as `realms/root/realms/alpha/realms/x`.
 */
import type { RealmConfig } from '../config/config-types.js';
import { ConfigError } from '../core/config-error.js';

/** AIC's alpha realm: a suspended journey waits a day (AM's own default is 5 minutes). */
export const DEFAULT_SUSPENDED_TIMEOUT = 1440;

export interface Realm {
  /** `/`, `/alpha`, `/alpha/x`. */
  readonly path: string;
  /** The last path element; `root` for `/`. */
  readonly name: string;
  readonly successUrl: string;
  readonly defaultJourney: string | undefined;
  /** Minutes a suspended journey may wait (RealmConfig.suspendedAuthenticationTimeout). */
  readonly suspendedAuthenticationTimeout: number;
}

export class RealmRegistry {
  private readonly byPath = new Map<string, Realm>();

  constructor(configs: readonly RealmConfig[]) {
    const sorted = [...configs].sort((a, b) => a.path.length - b.path.length);
    if (!sorted.some((config) => config.path === '/')) sorted.unshift({ path: '/' });
    for (const config of sorted) {
      if (this.byPath.has(config.path)) throw new ConfigError(`realm ${config.path} is configured twice`);
      const parent = parentPath(config.path);
      if (parent !== undefined && !this.byPath.has(parent)) {
        throw new ConfigError(`realm ${config.path} needs its parent realm ${parent} to be configured`);
      }
      const name = config.path === '/' ? 'root' : (config.path.split('/').pop() as string);
      this.byPath.set(config.path, {
        path: config.path,
        name,
        successUrl: config.successUrl ?? (config.path === '/' ? '/platform' : `/enduser/?realm=${config.path}`),
        defaultJourney: config.defaultJourney,
        suspendedAuthenticationTimeout: config.suspendedAuthenticationTimeout ?? DEFAULT_SUSPENDED_TIMEOUT,
      });
    }
  }

  get(path: string): Realm | undefined {
    return this.byPath.get(path);
  }

  list(): Realm[] {
    return [...this.byPath.values()];
  }

  /** Accepts `alpha`, `/alpha`, `root`, `/`, `alpha/x`; undefined if no such realm. */
  resolve(nameOrPath: string): Realm | undefined {
    const trimmed = nameOrPath.trim();
    if (trimmed === '' || trimmed === 'root' || trimmed === '/' || trimmed === '/root') return this.byPath.get('/');
    let path = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return this.byPath.get(path);
  }

  /** The child realm `name` of `parent`, if configured. */
  child(parent: Realm, name: string): Realm | undefined {
    return this.byPath.get(parent.path === '/' ? `/${name}` : `${parent.path}/${name}`);
  }
}

function parentPath(path: string): string | undefined {
  if (path === '/') return undefined;
  const cut = path.lastIndexOf('/');
  return cut === 0 ? '/' : path.slice(0, cut);
}

/**
 * AM's universal id of a user: `id=<uuid>,ou=user,o=alpha,ou=services,ou=am-config` in alpha,
 * `id=<uuid>,ou=user,ou=am-config` in root (AIC docs, "Manage sessions over REST"; recorded AIC
 * getSessionInfo answers). Sub-realms nest `o=` elements, innermost first (inferred from AM's realm
 * DN convention).
 */
export function universalIdOf(userId: string, realmPath: string): string {
  if (realmPath === '/') return `id=${userId},ou=user,ou=am-config`;
  const orgs = realmPath
    .split('/')
    .filter(Boolean)
    .reverse()
    .map((name) => `o=${name}`)
    .join(',');
  return `id=${userId},ou=user,${orgs},ou=services,ou=am-config`;
}
