/**
 * The shapes of a tenant's configuration, with no code: the layers below the tenant (identities,
 * realms, the state backends) read these types without reaching the code that loads and merges
 * a config (config.ts), which itself uses the demo tenant and the backends.
 */
import type { SocialIdentityProvidersConfig } from './social-providers.js';

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
      /**
       * How long a request waits for Redis before it is answered as AM answers an unavailable
       * session store (default 2000 ms): the bound on any wait while Redis is paused or away.
       */
      timeoutMs?: number | undefined;
    };

export interface RealmConfig {
  /** Realm path: `/alpha`, or `/alpha/sub` for a sub-realm. Root (`/`) always exists. */
  path: string;
  /** The journey `/authenticate` runs when none is named. */
  defaultJourney?: string;
  /** Where a successful login is sent (the `successUrl` of the answer). */
  successUrl?: string;
  /**
   * Minutes a suspended journey may wait to be resumed (AM's `trees.suspendedAuthenticationTimeout`;
   * default 1440, as an AIC alpha realm has it).
   */
  suspendedAuthenticationTimeout?: number;
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

/**
 * One of AM's CORS configurations (the CorsService's `configuration` entities, with their field
 * names). A request's origin must equal an accepted origin exactly, or the list holds `*`.
 */
export interface CorsConfiguration {
  /** The configuration's name (`_id`). */
  id: string;
  enabled: boolean;
  acceptedOrigins: string[];
  acceptedMethods: string[];
  acceptedHeaders: string[];
  exposedHeaders: string[];
  allowCredentials: boolean;
  /** Seconds a browser may cache a preflight's answer; 0 sends no Access-Control-Max-Age. */
  maxAge: number;
  /**
   * The emulator's own convenience, not AM's: accept any `http://localhost`, `http://127.0.0.1`
   * or `http://[::1]` origin, whatever its port (a dev server's port is not known in advance).
   */
  acceptLoopbackOrigins?: boolean;
}

/** An OAuth 2.0 client of a realm (AM's OAuth2Client agent, the fields that matter here). */
export interface OAuth2ClientConfig {
  /** Realm name or path: `alpha`, `/alpha`, `root`, `/`. */
  realm: string;
  clientId: string;
  /** AM's `clientType`: a Public client has no secret. */
  clientType: 'Public' | 'Confidential';
  /** A Confidential client's secret (AM's `userpassword`). */
  clientSecret?: string;
  /** `none` for Public clients; `client_secret_basic` or `client_secret_post` otherwise. */
  tokenEndpointAuthMethod: 'none' | 'client_secret_basic' | 'client_secret_post';
  /** Sign-in URLs: a `redirect_uri` must equal one of them. */
  redirectionUris: string[];
  /**
   * AM's `loopbackInterfaceRedirection`: a loopback `http` redirect URI matches a registered one
   * whatever its port (RFC 8252 §7.3).
   */
  loopbackInterfaceRedirection: boolean;
  /** Sign-out URLs: where `connect/endSession` may send the browser. */
  postLogoutRedirectUri: string[];
  /** Scopes the client may ask for. */
  scopes: string[];
  /** Scopes granted when a request names none. */
  defaultScopes: string[];
  /** `authorization_code`, `refresh_token`, `client_credentials`. */
  grantTypes: string[];
  /** Origins AM's CORS filter accepts for this client's app (AM's `javascriptOrigins`). */
  javascriptOrigins: string[];
}

/**
 * A service account (AIC's `svcacct` managed object): a tool gets a root-realm access token for
 * it with the JWT-bearer grant, signing its assertion with the private half of a key in `jwks`.
 */
export interface ServiceAccountConfig {
  /** The account's id (a UUID): its assertions' `iss` and `sub`. */
  id: string;
  name: string;
  /** The scopes it may be granted (`fr:am:*` makes its tokens an AM administrator's). */
  scopes: string[];
  /** Its public keys (RSA JWKs). */
  jwks: { keys: Record<string, unknown>[] };
}

/** The realm OAuth2 provider's settings (AM's `oauth-oidc` service), in seconds. */
export interface OAuth2ProviderConfig {
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  codeLifetime: number;
  /** The ID token's (`jwtTokenLifetime`). */
  idTokenLifetime: number;
  /** PKCE required of every authorization code request (AM's `codeVerifierEnforced`). */
  codeVerifierEnforced: boolean;
  clients: OAuth2ClientSeed[];
  serviceAccounts: ServiceAccountConfig[];
}

/** A client as a config names it: the realm and id, the rest defaulted (oauth2-clients.ts). */
export type OAuth2ClientSeed = Pick<OAuth2ClientConfig, 'realm' | 'clientId'> &
  Partial<Omit<OAuth2ClientConfig, 'realm' | 'clientId'>>;

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
   * Node stubs: what a node type the emulator cannot run (or one node, by `nodeId`) does instead:
   * the `outcome` it takes and the `callbacks` it sends first (state/node-stubs.ts).
   */
  nodeStubs?: NodeStubConfig[];
  /**
   * Social identity providers per realm (AM's Social Identity Provider Service), by name
   * (config/social-providers.ts). Not part of the tenant's identity, as OAuth2 clients are not.
   */
  socialIdentityProviders?: SocialIdentityProvidersConfig;
  /** AM's CORS configurations (combined into one rule set, as AM does). */
  cors: CorsConfiguration[];
  /** The OAuth 2.0 / OpenID Connect provider and its clients. */
  oauth2: OAuth2ProviderConfig;
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

/** A node stub in the config (`nodeStubs`). */
export interface NodeStubConfig {
  nodeType: string;
  nodeId?: string;
  outcome?: string;
  callbacks?: {
    type: string;
    output?: { name: string; value: unknown }[];
    input?: { name: string; value: unknown }[];
  }[];
}
