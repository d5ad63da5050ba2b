/**
 * What the HTTP layer serves: the tenant's state and the engines built beside it
 * (emulator/app/engines.ts). The AM routes, the control API and the console all take this.
 */
import type { Tenant } from '../tenant/tenant.js';
import type { Authenticator } from '../journeys/authenticator.js';
import type { LintEnvironment } from '../journeys/lint.js';
import type { OAuth2Services } from '../oauth2/services.js';

export interface HttpServices {
  readonly tenant: Tenant;
  /** Runs journeys for `/authenticate`. */
  readonly authenticator: Authenticator;
  /** What journeys are linted against (the control API's imports and journey views). */
  readonly lintEnvironment: LintEnvironment;
  /** Marks the emulator's in-process calls to itself (a script's httpClient to its own host). */
  readonly inProcessSecret: string;
  /** The OAuth 2.0 / OpenID Connect provider's state and keys. */
  readonly oauth2: OAuth2Services;
  /**
   * Does this bearer token make its caller an AM administrator? The tenant's static admin token,
   * or a service account's access token with `fr:am:*`.
   */
  readonly adminBearer: (token: string) => Promise<boolean>;
  /**
   * The scopes a bearer token carries: a live service account token's, or a live OAuth2 access
   * token's (any realm); undefined for anything else (the static admin token included).
   */
  readonly bearerScopes: (token: string) => Promise<string[] | undefined>;
  /**
   * True when instances share the tenant (Redis): a request that may change the tenant runs in a
   * change scope, and its answer waits until its changes are shared (core/change-scope.ts).
   */
  readonly sharesChanges?: boolean | undefined;
}
