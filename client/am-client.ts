/**
 * `AmClient`: PingOne AIC's AM REST surface as typed calls (sessions, authenticate, users,
 * serverinfo, as AIC's REST docs and recorded AIC traffic show them), the same against a real
 * tenant and the emulator.
 *
 *     const client = new AmClient({ baseUrl: 'https://openam-x.forgeblocks.com' });
 *     await client.login({ username: 'demo', password: '...' });  // the jar now holds the session
 *     const me = await client.getSessionInfo();
 *     await client.logout();
 *
 * Each call sends the `Accept-API-Version` AIC documents for it (versions.ts), `X-Requested-With`
 * on POSTs (as AIC's login UI, built on the ForgeRock SDK, does; AM's CSRF filter wants it or the
 * version header on cookie-authenticated POSTs), and one kind of credential (credentials.ts).
 * AM's error answers are thrown as `AmError`; no answer at all as `AmTransportError` kinds.
 */
import type { Dispatcher } from 'undici';
import type { CookieJar } from 'tough-cookie';
import { tenantRoot } from './base-url.js';
import { ADMIN, ANONYMOUS, JAR, credentialHeaders, type CallOptions, type Credentials } from './credentials.js';
import { AmError, AmProtocolError } from './errors.js';
import { AmOAuth2, type OAuth2ClientOptions } from './oauth2.js';
import { Transport, newTransactionId, type AgentOptions, type Answer } from './http.js';
import {
  AmLoginIncompleteError,
  toJourneyResult,
  type JourneyResult,
  type JourneyStep,
  type JourneySuccess,
} from './journey.js';
import { AM_JSON, queryString, realmBasePath, realmPathOf } from './paths.js';
import {
  terminateAllSessions,
  type TerminateAllSessionsOptions,
  type TerminateAllSessionsResult,
} from './terminate-all-sessions.js';
import type {
  AmUser,
  IdFromSession,
  InvalidSession,
  LogoutByHandleResult,
  LogoutByUserResult,
  LogoutResult,
  QueryResult,
  RefreshResult,
  ServerInfo,
  ServerVersion,
  SessionInfo,
  SessionQueryItem,
  ValidateResult,
} from './types.js';
import { API_VERSIONS } from './versions.js';
import { encodeZeroPageHeader } from './zero-page.js';

export interface AmClientOptions {
  /**
   * The tenant's origin, e.g. `https://openam-x.forgeblocks.com` or the emulator's
   * `http://127.0.0.1:8080`, or AM's base URL as the ForgeRock/Ping SDKs take it,
   * `https://openam-x.forgeblocks.com/am/` (`/am` without the slash too). Behind a reverse proxy,
   * a path prefix before `/am` is kept: `https://host/idp/am/` calls `https://host/idp/am/json/...`.
   * Anything else (another path, a query or fragment, credentials, a scheme other than http(s))
   * throws a TypeError at construction.
   */
  baseUrl: string;
  /** The realm every call addresses: `/alpha` (default), `/` or `root` for the root realm, `/alpha/sub`. */
  realm?: string | undefined;
  /** The tenant cookie's name; discovered from `GET /am/json/serverinfo/*` (once) when not given. */
  cookieName?: string | undefined;
  /**
   * A bearer token for administrative calls: a service account's access token with `fr:am:*` on a
   * real tenant, `emulator.adminToken` on the emulator. With it, `querySessions`, `logoutByHandle`
   * and `refresh` use it by default, and any call can with `{ credentials: { admin: true } }`.
   */
  adminToken?: string | undefined;
  /** Deadline per call in milliseconds (default 30 000); a call over it fails with `AmTimeoutError`. */
  timeoutMs?: number | undefined;
  /** An undici dispatcher to use (a MockAgent, a ProxyAgent, a shared Agent); the client then does not close it. */
  dispatcher?: Dispatcher | undefined;
  /** Options for the keep-alive Agent the client makes when no dispatcher is given. */
  agent?: AgentOptions | undefined;
  /** A cookie jar to use (to share a session between clients, or to inspect it); by default a new one. */
  jar?: CookieJar | undefined;
}

export interface LoginInput {
  /** The journey (`authIndexValue`); the realm's default journey when absent. */
  journey?: string | undefined;
  username: string;
  password: string;
  /** `noSession=true`: authenticate without creating a session; the answer has no tokenId. */
  noSession?: boolean | undefined;
  /** More query parameters for `/authenticate` (`ForceAuth`, `goto`, ...). */
  query?: Readonly<Record<string, string>> | undefined;
}

export interface JourneyOptions extends CallOptions {
  /** More query parameters for `/authenticate` (`noSession`, `ForceAuth`, `goto`, `gotoOnFail`, journey inputs). */
  query?: Readonly<Record<string, string>> | undefined;
}

/** Which sessions `querySessions` lists: a user's in a realm, all of a realm's, or a query filter of your own. */
export type SessionQuery =
  | { readonly userId: string; readonly realm?: string | undefined }
  | { readonly realm: string; readonly userId?: undefined }
  | { readonly filter: string };

interface CallSpec {
  version: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  credentials: Credentials;
  options: CallOptions | undefined;
}

export class AmClient {
  /** The realm's base path, e.g. `/am/json/realms/root/realms/alpha`. */
  readonly basePath: string;
  /** The realm as AM writes it (`/alpha`). */
  readonly realm: string;
  private readonly transport: Transport;
  private readonly adminToken: string | undefined;
  private cookieNamePromise: Promise<string> | undefined;

  constructor(options: AmClientOptions) {
    const root = tenantRoot(options.baseUrl);
    this.realm = realmPathOf(options.realm ?? '/alpha');
    this.basePath = realmBasePath(this.realm);
    this.adminToken = options.adminToken;
    this.transport = new Transport({
      baseUrl: root,
      jar: options.jar,
      dispatcher: options.dispatcher,
      agent: options.agent,
      timeoutMs: options.timeoutMs,
    });
    if (options.cookieName !== undefined) this.cookieNamePromise = Promise.resolve(options.cookieName);
  }

  /** The client's cookie jar: the session of `login()` and journeys lives here. */
  get jar(): CookieJar {
    return this.transport.jar;
  }

  /** Closes the client's own keep-alive connections (not those of a dispatcher passed in). */
  close(): Promise<void> {
    return this.transport.close();
  }

  // --- serverinfo -------------------------------------------------------------------------------

  /**
   * The tenant cookie's name: the `cookieName` option, else `GET /am/json/serverinfo/*` (no
   * credential needed), asked once and remembered. A failed lookup is not remembered.
   */
  cookieName(options?: Omit<CallOptions, 'credentials'>): Promise<string> {
    if (!this.cookieNamePromise) {
      const lookup = this.json<ServerInfo>({
        version: API_VERSIONS.serverInfo,
        method: 'GET',
        path: `${AM_JSON}/serverinfo/*`,
        credentials: ANONYMOUS,
        options,
      }).then((info) => {
        if (typeof info.cookieName !== 'string' || info.cookieName === '')
          throw new TypeError('serverinfo/* has no cookieName');
        return info.cookieName;
      });
      this.cookieNamePromise = lookup;
      lookup.catch(() => {
        if (this.cookieNamePromise === lookup) this.cookieNamePromise = undefined;
      });
    }
    return this.cookieNamePromise;
  }

  /** `GET <realm>/serverinfo/*`: public tenant settings, including `cookieName` (remembered). Default credentials: none. */
  async serverInfo(options?: CallOptions): Promise<ServerInfo> {
    const info = await this.json<ServerInfo>({
      version: API_VERSIONS.serverInfo,
      method: 'GET',
      path: `${this.basePath}/serverinfo/*`,
      credentials: options?.credentials ?? ANONYMOUS,
      options,
    });
    if (!this.cookieNamePromise && typeof info.cookieName === 'string' && info.cookieName !== '') {
      this.cookieNamePromise = Promise.resolve(info.cookieName);
    }
    return info;
  }

  /** `GET /am/json/serverinfo/version`: the AM build. Needs a caller (default: the jar's session). */
  serverVersion(options?: CallOptions): Promise<ServerVersion> {
    return this.json<ServerVersion>({
      version: API_VERSIONS.serverVersion,
      method: 'GET',
      path: `${AM_JSON}/serverinfo/version`,
      credentials: options?.credentials ?? JAR,
      options,
    });
  }

  // --- authenticate -----------------------------------------------------------------------------

  /**
   * Zero-page login (AIC docs, "Log in over REST"): one POST with
   * `X-OpenAM-Username`/`X-OpenAM-Password` (RFC 2047 encoded when not ASCII) and body `{}`. The
   * session cookie AM sets goes into the jar.
   *
   * Sends no credential by default: the jar's session would make AM treat this as a session
   * upgrade (which, with AIC's HttpOnly cookie, answers an empty tokenId); a login here always asks
   * for a new session. Throws `AmError` 401 `Login failure` on bad credentials, 400
   * `No Configuration found` for an unknown journey, and {@link AmLoginIncompleteError} when the
   * journey asks for more than the two headers answer.
   */
  async login(input: LoginInput, options?: CallOptions): Promise<JourneySuccess> {
    const path = `${this.basePath}/authenticate${queryString({
      ...(input.journey !== undefined ? { authIndexType: 'service', authIndexValue: input.journey } : {}),
      ...(input.noSession ? { noSession: 'true' } : {}),
      ...input.query,
    })}`;
    const result = await this.authenticate(path, {}, options?.credentials ?? ANONYMOUS, options, {
      'x-openam-username': encodeZeroPageHeader(input.username),
      'x-openam-password': encodeZeroPageHeader(input.password),
    });
    if (result.type === 'step') throw new AmLoginIncompleteError(result);
    return result;
  }

  /**
   * Starts a journey (`authIndexType=service&authIndexValue=<name>`; the realm's default journey
   * when `name` is undefined) and answers its first step, or its success when it needs nothing.
   * Default credentials: the jar, as a browser sends its cookies (journeys that act on the
   * current session need it).
   */
  startJourney(name: string | undefined, options?: JourneyOptions): Promise<JourneyResult> {
    const path = `${this.basePath}/authenticate${queryString({
      ...(name !== undefined ? { authIndexType: 'service', authIndexValue: name } : {}),
      ...options?.query,
    })}`;
    return this.authenticate(path, {}, options?.credentials ?? JAR, options);
  }

  /**
   * Posts a filled step back and answers the next step or the success. A journey that ends in
   * failure throws `AmError` 401 `Login failure`, with `detail.failureUrl` when the journey set one.
   */
  next(step: JourneyStep, options?: CallOptions): Promise<JourneyResult> {
    return this.authenticate(step.path, step.toJSON(), options?.credentials ?? JAR, options);
  }

  private async authenticate(
    path: string,
    body: unknown,
    credentials: Credentials,
    options: CallOptions | undefined,
    headers?: Record<string, string>,
  ): Promise<JourneyResult> {
    const answer = await this.send({
      version: API_VERSIONS.authenticate,
      method: 'POST',
      path,
      body,
      credentials,
      options,
      ...(headers ? { headers } : {}),
    });
    const parsed = this.parse(answer);
    const result = toJourneyResult(parsed, path);
    if (!result)
      throw new AmProtocolError('authenticate answered neither a step nor a success', {
        status: answer.status,
        body: answer.text,
        request: answer.request,
      });
    return result;
  }

  // --- sessions ---------------------------------------------------------------------------------

  /**
   * `getSessionInfo`: the session of `tokenId` (sent in the body), or the caller's own when absent.
   * Does not reset the idle timer. `{"valid": false}` when an admin asks about a dead token.
   * Default credentials: the jar.
   */
  getSessionInfo(tokenId?: string, options?: CallOptions): Promise<SessionInfo | InvalidSession> {
    return this.sessionsAction(
      'getSessionInfo',
      API_VERSIONS.getSessionInfo,
      tokenBody(tokenId),
      options?.credentials ?? JAR,
      options,
    );
  }

  /** As getSessionInfo, and resets the idle timer. Default credentials: the jar. */
  getSessionInfoAndResetIdleTime(tokenId?: string, options?: CallOptions): Promise<SessionInfo | InvalidSession> {
    return this.sessionsAction(
      'getSessionInfoAndResetIdleTime',
      API_VERSIONS.getSessionInfoAndResetIdleTime,
      tokenBody(tokenId),
      options?.credentials ?? JAR,
      options,
    );
  }

  /**
   * `validate`: whether `tokenId` (or the caller's own token) is a live session. AM resets the idle
   * timer unless `refresh: false` (sent as `&refresh=false`, as AIC's docs show); `refresh: true`
   * is sent as `&refresh=true`, and nothing when absent (AM's default, which refreshes).
   * Needs no authentication on AM. Default credentials: the jar.
   */
  validate(tokenId?: string, options?: CallOptions & { refresh?: boolean | undefined }): Promise<ValidateResult> {
    const refresh: Record<string, string> = options?.refresh === undefined ? {} : { refresh: String(options.refresh) };
    return this.sessionsAction(
      'validate',
      API_VERSIONS.validate,
      tokenBody(tokenId),
      options?.credentials ?? JAR,
      options,
      refresh,
    );
  }

  /**
   * `refresh`: resets the idle timer of `tokenId` and answers its times. Administrators only on AM,
   * so the default credentials are the admin token when the client has one, else the jar.
   */
  refresh(tokenId?: string, options?: CallOptions): Promise<RefreshResult | InvalidSession> {
    return this.sessionsAction(
      'refresh',
      API_VERSIONS.refresh,
      tokenBody(tokenId),
      options?.credentials ?? this.adminDefault(),
      options,
    );
  }

  /**
   * `logout`. Without `tokenId` the caller logs itself out (no body, `resource=3.1` as AIC's logout
   * page); with it, that token is logged out (`{"tokenId"}` body, `resource=4.0` as AIC's sessions
   * page does with a bearer). AM clears the jar's cookie when it is the session that ended.
   * Answers `Successfully logged out`, or `Token has expired` when the token was not live.
   * Default credentials: the jar.
   */
  logout(tokenId?: string, options?: CallOptions): Promise<LogoutResult> {
    const version = tokenId === undefined ? API_VERSIONS.logoutSelf : API_VERSIONS.logoutToken;
    return this.sessionsAction('logout', version, tokenBody(tokenId), options?.credentials ?? JAR, options);
  }

  /**
   * `logoutByUser`: ends every session of the user with this `_id` in the client's realm. A user may
   * do it to themselves with their own session; an admin to anyone. Default credentials: the jar.
   */
  logoutByUser(userId: string, options?: CallOptions): Promise<LogoutByUserResult> {
    return this.sessionsAction(
      'logoutByUser',
      API_VERSIONS.logoutByUser,
      { username: userId },
      options?.credentials ?? JAR,
      options,
    );
  }

  /**
   * `logoutByHandle`: ends sessions by their handles (from querySessions). Administrators only:
   * default credentials are the admin token when the client has one, else the jar.
   */
  logoutByHandle(handles: readonly string[], options?: CallOptions): Promise<LogoutByHandleResult> {
    return this.sessionsAction(
      'logoutByHandle',
      API_VERSIONS.logoutByHandle,
      { sessionHandles: [...handles] },
      options?.credentials ?? this.adminDefault(),
      options,
    );
  }

  /**
   * Lists sessions: `GET sessions?_queryFilter=username eq "<id>" and realm eq "<realm>"` (the realm
   * defaults to the client's), `realm eq "<realm>"`, or your own filter. Administrators only:
   * default credentials are the admin token when the client has one, else the jar.
   */
  querySessions(query: SessionQuery, options?: CallOptions): Promise<QueryResult<SessionQueryItem>> {
    return this.json<QueryResult<SessionQueryItem>>({
      version: API_VERSIONS.querySessions,
      method: 'GET',
      path: `${this.basePath}/sessions${queryString({ _queryFilter: sessionFilter(query, this.realm) })}`,
      credentials: options?.credentials ?? this.adminDefault(),
      options,
    });
  }

  /** `getSessionProperties`: the allow-listed properties of `tokenId` (or the caller's session). Default credentials: the jar. */
  getSessionProperties(tokenId?: string, options?: CallOptions): Promise<Record<string, string>> {
    return this.sessionsAction(
      'getSessionProperties',
      API_VERSIONS.getSessionProperties,
      tokenBody(tokenId),
      options?.credentials ?? JAR,
      options,
    );
  }

  /**
   * `updateSessionProperties`: sets allow-listed properties of `tokenId` (or the caller's session)
   * and answers all of them. AM refuses a property off the allow-list with 403. Default
   * credentials: the jar.
   */
  updateSessionProperties(
    properties: Readonly<Record<string, string>>,
    tokenId?: string,
    options?: CallOptions,
  ): Promise<Record<string, string>> {
    return this.sessionsAction(
      'updateSessionProperties',
      API_VERSIONS.updateSessionProperties,
      { ...tokenBody(tokenId), ...properties },
      options?.credentials ?? JAR,
      options,
    );
  }

  /**
   * Any other sessions action by name (the legacy v1 ones such as `getMaxIdle`, or one AM adds
   * later): `POST sessions/?_action=<action>` with the body given, at the version given by
   * `options.apiVersion` (default `resource=4.0, protocol=1.0`). AM answers an action it does not
   * know with 501. Default credentials: the jar.
   */
  sessionsActionByName<T = Record<string, unknown>>(
    action: string,
    body?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<T> {
    return this.sessionsAction<T>(action, API_VERSIONS.getSessionInfo, body, options?.credentials ?? JAR, options);
  }

  // --- users ------------------------------------------------------------------------------------

  /** `users?_action=idFromSession`: who the session is (`id` is the user's `_id`). Default credentials: the jar. */
  idFromSession(options?: CallOptions): Promise<IdFromSession> {
    return this.json<IdFromSession>({
      version: API_VERSIONS.idFromSession,
      method: 'POST',
      path: `${this.basePath}/users${queryString({ _action: 'idFromSession' })}`,
      credentials: options?.credentials ?? JAR,
      options,
    });
  }

  /** `GET users/<id>`: the identity as AM sees it. Users may read themselves, admins anyone. Default credentials: the jar. */
  getUser(id: string, options?: CallOptions): Promise<AmUser> {
    return this.json<AmUser>({
      version: API_VERSIONS.getUser,
      method: 'GET',
      path: `${this.basePath}/users/${encodeURIComponent(id)}`,
      credentials: options?.credentials ?? JAR,
      options,
    });
  }

  // --- OAuth 2.0 --------------------------------------------------------------------------------

  /**
   * The realm's OAuth 2.0 / OpenID Connect provider for one of its OAuth2 clients: discovery, the
   * PKCE code flow with the jar's session (`authorize`, `exchangeCode`, `authorizationCode`),
   * `clientCredentials`, `refresh`, `introspect`, `revoke`, `userInfo`, `endSession`. It shares this
   * client's realm, connections, deadline and jar (so `login()` first, then `authorizationCode()`).
   */
  oauth2(options: OAuth2ClientOptions): AmOAuth2 {
    return new AmOAuth2(
      {
        transport: this.transport,
        realm: this.realm,
        credentialHeaders: (credentials, call) =>
          credentialHeaders(credentials, { cookieName: () => this.cookieName(call), adminToken: this.adminToken }),
      },
      options,
    );
  }

  // --- single logout ----------------------------------------------------------------------------

  /**
   * Ends all of the user's sessions as the single-logout how-to's Part 3 script does, and answers
   * its outcome (`Success`, `Failure`, `No Session`, `Error`); it never throws. The token is the
   * jar's session unless given; the `_id` comes from idFromSession unless given; logoutByUser
   * carries the token in the header named after the tenant cookie, as the script does.
   */
  terminateAllSessions(options: TerminateAllSessionsOptions = {}): Promise<TerminateAllSessionsResult> {
    const call = { signal: options.signal, timeoutMs: options.timeoutMs };
    return terminateAllSessions(
      {
        jarToken: () => this.sessionToken(),
        idFromSession: (token) => this.idFromSession({ ...call, credentials: { token } }),
        logoutByUser: (token, userId) =>
          this.send({
            version: API_VERSIONS.logoutByUser,
            method: 'POST',
            path: this.sessionsPath('logoutByUser'),
            // The script's exact content type.
            headers: { 'content-type': 'application/json; charset=UTF-8' },
            body: { username: userId },
            credentials: { token },
            options: call,
          }),
      },
      options,
    );
  }

  /** The session token the jar would send to this realm (the tenant cookie's value), if any. */
  async sessionToken(): Promise<string | undefined> {
    const name = (await this.cookieName()).toLowerCase();
    const cookies = await this.jar.getCookies(this.transport.url(`${this.basePath}/`));
    return cookies.find((cookie) => cookie.key.toLowerCase() === name)?.value;
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private adminDefault(): Credentials {
    return this.adminToken !== undefined ? ADMIN : JAR;
  }

  private sessionsPath(action: string, extra: Record<string, string> = {}): string {
    // `/sessions/?_action=` as in AIC's docs, "Manage sessions over REST" (both forms work).
    return `${this.basePath}/sessions/${queryString({ _action: action, ...extra })}`;
  }

  private sessionsAction<T>(
    action: string,
    version: string,
    body: Record<string, unknown> | undefined,
    credentials: Credentials,
    options: CallOptions | undefined,
    extraQuery: Record<string, string> = {},
  ): Promise<T> {
    return this.json<T>({
      version,
      method: 'POST',
      path: this.sessionsPath(action, extraQuery),
      body,
      credentials,
      options,
    });
  }

  private async json<T>(spec: CallSpec): Promise<T> {
    const answer = await this.send(spec);
    const parsed = this.parse(answer);
    if (typeof parsed !== 'object' || parsed === null) {
      throw new AmProtocolError(`expected a JSON object from ${answer.request.method} ${answer.request.path}`, {
        status: answer.status,
        body: answer.text,
        request: answer.request,
      });
    }
    return parsed as T;
  }

  /** The body of a 2xx answer as JSON; an error answer becomes `AmError`. */
  private parse(answer: Answer): unknown {
    if (answer.status < 200 || answer.status > 299) throw AmError.fromAnswer(answer, answer.request);
    try {
      return JSON.parse(answer.text);
    } catch {
      throw new AmProtocolError(
        `${answer.request.method} ${answer.request.path} answered ${answer.status} with a body that is not JSON`,
        {
          status: answer.status,
          body: answer.text,
          request: answer.request,
        },
      );
    }
  }

  private async send(spec: CallSpec): Promise<Answer> {
    const credentials = await credentialHeaders(spec.credentials, {
      cookieName: () => this.cookieName(spec.options),
      adminToken: this.adminToken,
    });
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-api-version': spec.options?.apiVersion ?? spec.version,
      'x-forgerock-transactionid': newTransactionId(),
      ...credentials.headers,
    };
    if (spec.method === 'POST') headers['x-requested-with'] = 'forgerock-sdk';
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, spec.headers);
    return this.transport.exchange({
      method: spec.method,
      path: spec.path,
      headers,
      body,
      sendCookies: credentials.sendCookies,
      signal: spec.options?.signal,
      timeoutMs: spec.options?.timeoutMs,
    });
  }
}

function tokenBody(tokenId: string | undefined): Record<string, unknown> | undefined {
  return tokenId === undefined ? undefined : { tokenId };
}

/** A CREST filter string literal: double quotes, with `\` and `"` escaped. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function sessionFilter(query: SessionQuery, clientRealm: string): string {
  if ('filter' in query) return query.filter;
  const realm = query.realm !== undefined ? realmPathOf(query.realm) : clientRealm;
  return query.userId !== undefined
    ? `username eq ${quote(query.userId)} and realm eq ${quote(realm)}`
    : `realm eq ${quote(realm)}`;
}
