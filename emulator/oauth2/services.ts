/**
 * What the OAuth2 provider uses: the tenant's clients, grants, users, sessions and clock, the
 * provider settings, and its keys. A narrow view, so that the provider can be tested without a
 * server.
 */
import type { OAuth2ProviderConfig, ServiceAccountConfig } from '../config/config-types.js';
import type { TenantClock } from '../core/clock.js';
import type { OAuth2ClientRegistry } from '../state/oauth2/clients.js';
import type { OAuth2GrantStore } from '../state/oauth2/grants.js';
import type { Realm } from '../state/realms.js';
import type { SessionStore } from '../state/sessions/store.js';
import type { UserDirectory } from '../state/user-directory.js';
import type { SigningKeys } from './keys.js';

export interface OAuth2Services {
  readonly settings: Omit<OAuth2ProviderConfig, 'clients' | 'serviceAccounts'>;
  serviceAccounts(): readonly ServiceAccountConfig[];
  readonly clients: OAuth2ClientRegistry;
  readonly grants: OAuth2GrantStore;
  readonly users: UserDirectory;
  readonly sessions: SessionStore;
  readonly clock: TenantClock;
  keys(): Promise<SigningKeys>;
}

/** Where a request came in: the realm, and the URLs the provider names itself by. */
export interface OAuth2Site {
  readonly realm: Realm;
  /** `http://localhost:8080`: the scheme and host the client used. */
  readonly origin: string;
}

/** AIC's issuer: the realm's alias form, `<origin>/am/oauth2/alpha` (`/am/oauth2` for root). */
export function issuerOf(site: OAuth2Site): string {
  return `${site.origin}/am/oauth2${site.realm.path === '/' ? '' : site.realm.path}`;
}

/** Where the realm's endpoints are: `<origin>/am/oauth2/realms/root/realms/alpha`. */
export function endpointBaseOf(site: OAuth2Site): string {
  const realms = site.realm.path
    .split('/')
    .filter(Boolean)
    .map((name) => `/realms/${name}`)
    .join('');
  return `${site.origin}/am/oauth2${realms === '' ? '' : `/realms/root${realms}`}`;
}
