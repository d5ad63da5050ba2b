/**
 * `AmOAuth2`: AM's OAuth 2.0 / OpenID Connect provider (`/am/oauth2/realms/root/realms/<realm>/...`)
 * as a Node app uses it, for one OAuth2 client of the realm. Made by {@link AmClient.oauth2}, it
 * shares the AmClient's realm, connections, deadline and cookie jar, so that the AM session a
 * `login()` put in the jar can authorize a code without a browser:
 *
 *     const am = new AmClient({ baseUrl });
 *     await am.login({ username, password });
 *     const oauth = am.oauth2({ clientId: 'sdkPublicClient', redirectUri: 'http://127.0.0.1/callback' });
 *     const tokens = await oauth.authorizationCode({ scope: 'openid profile' });
 *
 * What each call sends, and what AM answers:
 * - `authorize`: `GET .../authorize` with the session cookie (as a browser sends it), PKCE S256 and
 *   a random `state`, `prompt=none` unless told otherwise; the redirect is not followed: `code`
 *   (or `error`) is read from its `Location` (RFC 6749 §4.1.2; AIC answers 302, as recorded by
 *   frodo's tests, and frodo reads the code the same way);
 * - `access_token`, `introspect`, `token/revoke`: form POSTs (`application/x-www-form-urlencoded`)
 *   with the client's authentication: HTTP Basic (`client_secret_basic`), the secret in the form
 *   (`client_secret_post`) or `client_id` alone (a public client, `none`). Never Basic and
 *   `client_id` in the form together: AM refuses that (OpenAM's `ClientCredentialsReader`);
 * - `userinfo`: `GET` with `Authorization: Bearer <access token>`;
 * - `connect/endSession`: `GET` with `id_token_hint`, the redirect not followed;
 * - `.well-known/openid-configuration`: `GET`, public.
 *
 * No `Accept-API-Version` is sent: these are not CREST endpoints, and browsers and the ForgeRock
 * SDK send none. An OAuth error answer is an {@link AmOAuth2Error} (`error`, `error_description`,
 * `status`); an error answer of another shape (an HTML page, a proxy's) an {@link AmError}.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ANONYMOUS, JAR, type CallOptions, type CredentialHeaders, type Credentials } from './credentials.js';
import { AmError, AmOAuth2Error, AmProtocolError } from './errors.js';
import { newTransactionId, type Answer, type Transport } from './http.js';
import { oauth2BasePath, queryString } from './paths.js';

/** Options of the calls that act as the OAuth2 client, not as a user: no credential choice. */
export type OAuth2CallOptions = Pick<CallOptions, 'signal' | 'timeoutMs'>;

/** How the client authenticates at the token, introspection and revocation endpoints (AM's `tokenEndpointAuthMethod`). */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** The OAuth2 client, as registered in the realm. */
export interface OAuth2ClientOptions {
  clientId: string;
  /** A confidential client's secret; a public client has none. */
  clientSecret?: string | undefined;
  /** Default: `client_secret_basic` with a secret, `none` without (AM's defaults for the two client types). */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod | undefined;
  /** The redirect URI `authorize` and the code exchange use unless given another; it must be registered. */
  redirectUri?: string | undefined;
  /** The scopes `authorize` and `clientCredentials` ask for unless given others; else AM's defaults for the client. */
  scope?: string | readonly string[] | undefined;
}

/** A token endpoint answer (RFC 6749 §5.1; AIC's, as recorded: `token_type` `Bearer`, `scope` space-separated). */
export interface TokenResponse {
  access_token: string;
  /** When the client may use the refresh_token grant (and, on refresh, AIC issues a new one). */
  refresh_token?: string;
  /** With the `openid` scope, for a user. */
  id_token?: string;
  scope: string;
  token_type: string;
  /** Seconds the access token has left. */
  expires_in: number;
  [field: string]: unknown;
}

/** A PKCE pair (RFC 7636): the verifier the app keeps, the S256 challenge `authorize` sends. */
export interface Pkce {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/** What an authorize request asks for; whatever is left out is made (`state`, PKCE) or taken from the client's options. */
export interface AuthorizeInput {
  redirectUri?: string | undefined;
  scope?: string | readonly string[] | undefined;
  /** Default: a random one (128 bits). */
  state?: string | undefined;
  nonce?: string | undefined;
  /** Default: a fresh pair from {@link createPkce}. */
  pkce?: Pkce | undefined;
  /** `authorize()` sends `none` by default (an error instead of the login page); `authorizeUrl()` sends none unless given. */
  prompt?: string | undefined;
  /** `acr_values`: on AM, the journey to sign in with when there is no session. */
  acrValues?: string | undefined;
  /** More query parameters. */
  params?: Readonly<Record<string, string>> | undefined;
}

/** An authorize URL, with what the app must keep to finish the flow when the browser comes back. */
export interface AuthorizeUrl {
  url: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  nonce: string | undefined;
}

/** The code `authorize` got back, and what the exchange needs with it. */
export interface AuthorizationCode {
  code: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  /** `iss` of the redirect (RFC 9207), as AIC sends it. */
  iss: string | undefined;
  /** The whole `Location` AM answered. */
  location: string;
}

/** The discovery document (OpenID Connect Discovery 1.0); AM's other fields pass through. */
export interface OpenIdConfiguration {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  introspection_endpoint?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  scopes_supported?: string[];
  grant_types_supported?: string[];
  code_challenge_methods_supported?: string[];
  [field: string]: unknown;
}

/** Introspection of a token that is live and the caller may see (RFC 7662 §2.2; AM's fields as OpenAM renders them). */
export interface ActiveToken {
  active: true;
  scope?: string;
  client_id?: string;
  user_id?: string;
  username?: string;
  token_type?: string;
  exp?: number;
  sub?: string;
  iss?: string;
  [field: string]: unknown;
}

/** Introspection of anything else: unknown, expired, revoked, or another client's token. */
export interface InactiveToken {
  active: false;
}

export type Introspection = ActiveToken | InactiveToken;

/** The signed-in user's claims for the access token's scopes; `sub` is the user's `_id` on AIC. */
export interface UserInfo {
  sub: string;
  [claim: string]: unknown;
}

/** endSession: 204 (no `post_logout_redirect_uri`), or 302 to it, `location` then set. */
export interface EndSessionResult {
  status: number;
  location: string | undefined;
}

export interface EndSessionInput {
  /** The ID token of the session to end. */
  idTokenHint: string;
  /** Where AM sends the browser afterwards; must be one of the client's post-logout redirect URIs. */
  postLogoutRedirectUri?: string | undefined;
  state?: string | undefined;
}

/** What AmClient lends: its transport, its realm, and its credential headers (for the session on `authorize`). */
export interface OAuth2Context {
  readonly transport: Transport;
  readonly realm: string;
  credentialHeaders(
    credentials: Credentials,
    options: CallOptions | undefined,
  ): Promise<CredentialHeaders> | CredentialHeaders;
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A PKCE pair: a random 43-character verifier (RFC 7636 §4.1) unless given one, and its S256 challenge. */
export function createPkce(codeVerifier: string = randomBytes(32).toString('base64url')): Pkce {
  if (!VERIFIER.test(codeVerifier))
    throw new TypeError('createPkce: a code verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)');
  return {
    codeVerifier,
    codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    codeChallengeMethod: 'S256',
  };
}

/** A random `state` (or `nonce`): 128 bits, base64url. */
export function createState(): string {
  return randomBytes(16).toString('base64url');
}

type Form = Record<string, string | undefined>;

export class AmOAuth2 {
  /** The realm's OAuth2 path, e.g. `/am/oauth2/realms/root/realms/alpha`. */
  readonly basePath: string;
  readonly clientId: string;
  private readonly secret: string | undefined;
  private readonly authMethod: TokenEndpointAuthMethod;
  private readonly redirectUri: string | undefined;
  private readonly scope: string | undefined;

  /** Made by {@link AmClient.oauth2}. */
  constructor(
    private readonly context: OAuth2Context,
    options: OAuth2ClientOptions,
  ) {
    if (typeof options.clientId !== 'string' || options.clientId === '')
      throw new TypeError('AmClient.oauth2: clientId must be a non-empty string');
    this.basePath = oauth2BasePath(context.realm);
    this.clientId = options.clientId;
    this.secret = options.clientSecret;
    this.authMethod =
      options.tokenEndpointAuthMethod ?? (options.clientSecret !== undefined ? 'client_secret_basic' : 'none');
    if (this.authMethod !== 'none' && this.secret === undefined)
      throw new TypeError(`AmClient.oauth2: tokenEndpointAuthMethod ${this.authMethod} needs a clientSecret`);
    this.redirectUri = options.redirectUri;
    this.scope = scopeString(options.scope);
  }

  /** `GET .well-known/openid-configuration`: the realm's endpoints and what it supports. */
  async discovery(options?: OAuth2CallOptions): Promise<OpenIdConfiguration> {
    const answer = await this.send('GET', `${this.basePath}/.well-known/openid-configuration`, ANONYMOUS, options);
    return this.object<OpenIdConfiguration>(answer, 'issuer');
  }

  /**
   * The authorize URL to send a browser to, with a fresh `state` and PKCE pair unless given (keep
   * `state` and `codeVerifier` until the browser comes back with the code).
   */
  authorizeUrl(input: AuthorizeInput = {}): AuthorizeUrl {
    const built = this.authorizeRequest(input);
    return {
      url: this.context.transport.url(built.path),
      state: built.state,
      codeVerifier: built.pkce.codeVerifier,
      redirectUri: built.redirectUri,
      nonce: input.nonce,
    };
  }

  /**
   * The browser's part of the code flow, done with the AM session: `GET authorize` with the jar's
   * session cookie (default credentials: the jar; `{ token }` sends it in the cookie-named header),
   * PKCE S256, a random `state` and `prompt=none`; the redirect is not followed, and the code is
   * read from its `Location` (and `state` checked). An error sent back by redirect (e.g.
   * `interaction_required`: no valid session) throws {@link AmOAuth2Error} with status 302; AM's
   * error page (unknown client, unregistered redirect URI) throws {@link AmError}.
   */
  async authorize(input: AuthorizeInput = {}, options?: CallOptions): Promise<AuthorizationCode> {
    const built = this.authorizeRequest({ prompt: 'none', ...input });
    const answer = await this.send('GET', built.path, options?.credentials ?? JAR, options);
    const location = header(answer, 'location');
    if (answer.status >= 300 && answer.status <= 399 && location !== undefined) {
      const target = new URL(location, this.context.transport.url(built.path));
      if (withoutQuery(target) !== withoutQuery(new URL(built.redirectUri)))
        throw new AmProtocolError(
          `authorize redirected to ${withoutQuery(target)}, not to the redirect URI: ` +
            'the login page, as when there is no valid AM session (with prompt none AM says interaction_required instead)',
          { status: answer.status, body: answer.text, request: answer.request },
        );
      const params = new URLSearchParams(target.search);
      // A fragment response mode puts the answer in the fragment (not asked for here, but honoured).
      for (const [name, value] of new URLSearchParams(target.hash.slice(1)))
        if (!params.has(name)) params.set(name, value);
      const error = params.get('error');
      if (error !== null)
        throw new AmOAuth2Error({
          status: answer.status,
          error,
          error_description: params.get('error_description') ?? undefined,
          error_uri: params.get('error_uri') ?? undefined,
          state: params.get('state') ?? undefined,
          location,
          transactionId: answer.transactionId,
          request: answer.request,
        });
      const code = params.get('code');
      if (code === null || code === '')
        throw new AmProtocolError('authorize redirected to the redirect URI with neither a code nor an error', {
          status: answer.status,
          body: location,
          request: answer.request,
        });
      if (params.get('state') !== built.state)
        throw new AmProtocolError(
          'authorize redirected back with another state than the one sent (RFC 6749 §10.12: not this request’s answer)',
          { status: answer.status, body: location, request: answer.request },
        );
      return {
        code,
        state: built.state,
        codeVerifier: built.pkce.codeVerifier,
        redirectUri: built.redirectUri,
        iss: params.get('iss') ?? undefined,
        location,
      };
    }
    if (answer.status >= 400) {
      const oauth = AmOAuth2Error.fromAnswer(answer, answer.request);
      if (oauth) throw oauth;
      throw new AmError({
        status: answer.status,
        code: answer.status,
        reason: 'OAuth2 Error Page',
        message:
          `authorize answered ${answer.status} with a page, not a redirect: AM shows its error page when it cannot ` +
          'send the error back to the client (an unknown client_id, a redirect_uri the client did not register); the page is in body',
        body: answer.text,
        transactionId: answer.transactionId,
        request: answer.request,
      });
    }
    throw new AmProtocolError(
      `authorize answered ${answer.status} without a redirect: a consent page (the client needs implied consent) or a form_post page`,
      { status: answer.status, body: answer.text, request: answer.request },
    );
  }

  /** The code exchange (`grant_type=authorization_code`), with the PKCE verifier. */
  exchangeCode(
    input: { code: string; codeVerifier?: string | undefined; redirectUri?: string | undefined },
    options?: OAuth2CallOptions,
  ): Promise<TokenResponse> {
    return this.token(
      {
        grant_type: 'authorization_code',
        code: input.code,
        redirect_uri: this.redirectUriOf(input.redirectUri),
        code_verifier: input.codeVerifier,
      },
      options,
    );
  }

  /**
   * The whole code flow for a Node app signed in with `login()`: {@link authorize} with the jar's
   * session, then {@link exchangeCode}. Answers the tokens.
   */
  async authorizationCode(input: AuthorizeInput = {}, options?: CallOptions): Promise<TokenResponse> {
    const code = await this.authorize(input, options);
    return this.exchangeCode(code, callOnly(options));
  }

  /** `grant_type=client_credentials`: a token for the (confidential) client itself. */
  clientCredentials(
    input: { scope?: string | readonly string[] | undefined } = {},
    options?: OAuth2CallOptions,
  ): Promise<TokenResponse> {
    return this.token({ grant_type: 'client_credentials', scope: scopeString(input.scope) ?? this.scope }, options);
  }

  /** `grant_type=refresh_token`: new tokens (AIC rotates the refresh token: use the new one next time). */
  refresh(
    refreshToken: string,
    input: { scope?: string | readonly string[] | undefined } = {},
    options?: OAuth2CallOptions,
  ): Promise<TokenResponse> {
    return this.token(
      { grant_type: 'refresh_token', refresh_token: refreshToken, scope: scopeString(input.scope) },
      options,
    );
  }

  /**
   * `POST introspect` (RFC 7662) as this client: `{ active: false }` for a token that is not live,
   * or that another client holds unless this one has the `am-introspect-all-tokens` scope.
   */
  async introspect(
    token: string,
    input: { tokenTypeHint?: 'access_token' | 'refresh_token' | undefined } = {},
    options?: OAuth2CallOptions,
  ): Promise<Introspection> {
    const answer = await this.post('introspect', { token, token_type_hint: input.tokenTypeHint }, options);
    const result = this.object<Introspection>(answer);
    if (typeof result.active !== 'boolean')
      throw new AmProtocolError('introspect answered without `active`', {
        status: answer.status,
        body: answer.text,
        request: answer.request,
      });
    return result;
  }

  /**
   * `POST token/revoke` (RFC 7009): a refresh token ends its whole grant, an access token only
   * itself; an unknown token is not an error (AM answers 200 `{}`).
   */
  async revoke(
    token: string,
    input: { tokenTypeHint?: 'access_token' | 'refresh_token' | undefined } = {},
    options?: OAuth2CallOptions,
  ): Promise<void> {
    const answer = await this.post('token/revoke', { token, token_type_hint: input.tokenTypeHint }, options);
    if (answer.status < 200 || answer.status > 299) throw this.failure(answer);
  }

  /** `GET userinfo` with the access token as a bearer: the user's claims for its scopes. */
  async userInfo(accessToken: string, options?: OAuth2CallOptions): Promise<UserInfo> {
    const answer = await this.send('GET', `${this.basePath}/userinfo`, { bearer: accessToken }, options);
    return this.object<UserInfo>(answer, 'sub');
  }

  /**
   * `GET connect/endSession` (OpenID Connect RP-Initiated Logout): ends the AM session the ID token
   * was issued in. Answers 204, or the 302 to `postLogoutRedirectUri` (not followed). The tokens
   * already issued stay valid until they expire or are revoked.
   */
  async endSession(input: EndSessionInput, options?: OAuth2CallOptions): Promise<EndSessionResult> {
    const path = `${this.basePath}/connect/endSession${queryString({
      id_token_hint: input.idTokenHint,
      post_logout_redirect_uri: input.postLogoutRedirectUri,
      state: input.state,
    })}`;
    const answer = await this.send('GET', path, ANONYMOUS, options);
    if (answer.status >= 200 && answer.status <= 399)
      return { status: answer.status, location: header(answer, 'location') };
    throw this.failure(answer);
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private authorizeRequest(input: AuthorizeInput): { path: string; state: string; pkce: Pkce; redirectUri: string } {
    const redirectUri = this.redirectUriOf(input.redirectUri);
    const state = input.state ?? createState();
    const pkce = input.pkce ?? createPkce();
    const path = `${this.basePath}/authorize${queryString({
      client_id: this.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: scopeString(input.scope) ?? this.scope,
      state,
      nonce: input.nonce,
      code_challenge: pkce.codeChallenge,
      code_challenge_method: pkce.codeChallengeMethod,
      prompt: input.prompt,
      acr_values: input.acrValues,
      ...input.params,
    })}`;
    return { path, state, pkce, redirectUri };
  }

  private redirectUriOf(given: string | undefined): string {
    const uri = given ?? this.redirectUri;
    if (uri === undefined)
      throw new TypeError('AmOAuth2: no redirect URI: give one to AmClient.oauth2({ redirectUri }) or to this call');
    return uri;
  }

  private async token(form: Form, options: OAuth2CallOptions | undefined): Promise<TokenResponse> {
    const answer = await this.post('access_token', form, options);
    return this.object<TokenResponse>(answer, 'access_token');
  }

  /** A form POST to one of the client-authenticated endpoints, with the client's authentication. */
  private post(endpoint: string, form: Form, options: OAuth2CallOptions | undefined): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) if (value !== undefined) body.append(name, value);
    if (this.authMethod === 'client_secret_basic') {
      // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64'd.
      const pair = `${formEncode(this.clientId)}:${formEncode(this.secret as string)}`;
      headers['authorization'] = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    } else {
      body.append('client_id', this.clientId);
      if (this.authMethod === 'client_secret_post') body.append('client_secret', this.secret as string);
    }
    return this.send('POST', `${this.basePath}/${endpoint}`, ANONYMOUS, options, headers, body.toString());
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    credentials: Credentials,
    options: CallOptions | undefined,
    extraHeaders: Record<string, string> = {},
    body?: string,
  ): Promise<Answer> {
    const credential = await this.context.credentialHeaders(credentials, options);
    return this.context.transport.exchange({
      method,
      path,
      headers: {
        accept: 'application/json',
        'x-forgerock-transactionid': newTransactionId(),
        ...credential.headers,
        ...extraHeaders,
      },
      body,
      sendCookies: credential.sendCookies,
      signal: options?.signal,
      timeoutMs: options?.timeoutMs,
    });
  }

  /** The JSON object of a 2xx answer (with a string `required` field when named); an error answer thrown. */
  private object<T>(answer: Answer, required?: string): T {
    if (answer.status < 200 || answer.status > 299) throw this.failure(answer);
    let value: unknown;
    try {
      value = JSON.parse(answer.text);
    } catch {
      value = undefined;
    }
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      (required !== undefined && typeof (value as Record<string, unknown>)[required] !== 'string')
    )
      throw new AmProtocolError(
        `${answer.request.method} ${answer.request.path} answered ${answer.status} with a body that is not ` +
          (required !== undefined ? `a JSON object with ${required}` : 'a JSON object'),
        { status: answer.status, body: answer.text, request: answer.request },
      );
    return value as T;
  }

  private failure(answer: Answer): Error {
    return AmOAuth2Error.fromAnswer(answer, answer.request) ?? AmError.fromAnswer(answer, answer.request);
  }
}

function scopeString(scope: string | readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const joined = typeof scope === 'string' ? scope : scope.join(' ');
  return joined === '' ? undefined : joined;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The URL without its query and fragment (a custom scheme's too, whose origin is `null`). */
function withoutQuery(url: URL): string {
  const bare = new URL(url.href);
  bare.search = '';
  bare.hash = '';
  return bare.href;
}

function header(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function callOnly(options: CallOptions | undefined): OAuth2CallOptions | undefined {
  if (options === undefined) return undefined;
  return { signal: options.signal, timeoutMs: options.timeoutMs };
}
