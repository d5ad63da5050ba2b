/**
 * Social login (am-external releases/8.0.2, idm-integration-nodes: SelectIdPNode.java,
 * SocialProviderHandlerNode.java, SocialProviderHandlerNodeV2.java and their .properties): the
 * user picks one of the realm's social identity providers (state/social-providers.ts), is sent to
 * it with a RedirectCallback, comes back to `/authenticate?code=...&state=...`, and the node
 * exchanges the code, reads the profile, normalizes it and tells whether an account is linked to
 * it. Where AM's client library (forgerock commons' OAuth2Client, not in am-external) or a script
 * decides, docs/fidelity.md ("Nodes") says what the emulator does.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { CallbackSpec } from '../../state/journeys/callbacks.js';
import { setOwn, type JsonObject, type JsonValue } from '../../state/journeys/tree-state.js';
import type { SocialIdentityProvider } from '../../state/social-providers.js';
import type { HttpResponseJson } from '../../sandbox/protocol.js';
import { own } from '../../state/journeys/model.js';
import { stringConfig } from './identity.js';
import { ask, NodeProcessException, outcome, type NodeContext, type NodeType, type SocialServices } from './node.js';

/** IdmIntegrationService's shared state names. */
const SELECTED_IDP = 'selectedIdp';
const LOCAL_AUTHENTICATION = 'localAuthentication';
const SOCIAL_AUTHENTICATION = 'socialAuthentication';
const ALIAS_LIST = 'aliasList';
const SOCIAL_OAUTH_DATA = 'socialOAuthData';
const EXPECT_PROFILE_INFORMATION = 'expectProfileInformation';

const out = (name: string, value: unknown) => ({ name, value });

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function typeProblems(
  config: Readonly<Record<string, unknown>>,
  expected: Record<string, 'boolean' | 'string' | 'string[]'>,
): string[] {
  const problems: string[] = [];
  for (const [key, type] of Object.entries(expected)) {
    const value = own(config, key);
    if (value === undefined || value === null) continue;
    const ok =
      type === 'string[]'
        ? Array.isArray(value) && value.every((item) => typeof item === 'string')
        : typeof value === type;
    if (!ok) problems.push(`${key} must be ${type === 'string[]' ? 'a list of strings' : `a ${type}`}`);
  }
  return problems;
}

// ------------------------------------------------------------------------ Select Identity Provider

/** AM's SelectIdPCallback: output `providers` (`[{provider, uiConfig}...]`) and `value`; the input is the choice. */
/** A provider offered: its name, and how the login page draws its button. */
interface Offer {
  provider: string;
  uiConfig?: JsonObject;
}

function selectIdPCallback(providers: Offer[]): CallbackSpec {
  return {
    type: 'SelectIdPCallback',
    output: [out('providers', providers), out('value', '')],
    inputs: [{ suffix: '', value: '' }],
  };
}

/**
 * Select Identity Provider: the realm's enabled providers (`filteredProviders` keeps the named
 * ones), plus `localAuthentication` when `includeLocalAuthentication` (default true). One choice
 * only: taken without asking; none: "No available authentication providers". The choice goes to
 * shared `selectedIdp` (not for local authentication chosen through the callback, as AM).
 */
export const SelectIdPNode: NodeType = {
  type: 'SelectIdPNode',
  outcomes: (config) =>
    config['includeLocalAuthentication'] === false
      ? [SOCIAL_AUTHENTICATION]
      : [SOCIAL_AUTHENTICATION, LOCAL_AUTHENTICATION],
  check: (config) =>
    typeProblems(config, {
      includeLocalAuthentication: 'boolean',
      offerOnlyExisting: 'boolean',
      passwordAttribute: 'string',
      identityAttribute: 'string',
      filteredProviders: 'string[]',
    }),
  inputs: (config) => [stringConfig(config, 'identityAttribute', 'mail'), 'objectAttributes', 'username'],
  async process(context) {
    const includeLocal = context.config['includeLocalAuthentication'] !== false;
    const local: Offer = { provider: LOCAL_AUTHENTICATION };
    const configured = context.tenant.social?.providers(context.realm.path) ?? [];
    let providers: Offer[] = configured.map((provider) => ({
      provider: provider._id,
      uiConfig: structuredClone((provider.uiConfig ?? {}) as JsonObject),
    }));
    if (includeLocal) providers.push(local);
    if (context.config['offerOnlyExisting'] === true && providers.length > 0)
      providers = existingProviders(context, providers, configured);
    const filter = stringList(context.config['filteredProviders']);
    if (filter.length > 0) {
      // AM filters the list (local authentication included) and adds local authentication again.
      providers = providers.filter(
        (provider) => provider.provider !== LOCAL_AUTHENTICATION && filter.includes(provider.provider),
      );
      if (includeLocal) providers.push(local);
    }

    if (providers.length === 1) {
      const provider = providers[0]?.provider ?? LOCAL_AUTHENTICATION;
      context.nodeState.putShared(SELECTED_IDP, provider);
      return outcome(provider === LOCAL_AUTHENTICATION ? LOCAL_AUTHENTICATION : SOCIAL_AUTHENTICATION);
    }
    if (providers.length === 0) throw new NodeProcessException('No available authentication providers');

    const callback = context.callbacks.find((item) => item.type === 'SelectIdPCallback');
    if (!callback) return ask([selectIdPCallback(providers)]);
    const chosen = callback.values.get('');
    if (includeLocal && chosen === LOCAL_AUTHENTICATION) return outcome(LOCAL_AUTHENTICATION);
    if (typeof chosen !== 'string' || !providers.some((provider) => provider.provider === chosen))
      throw new NodeProcessException('Selected provider is unknown');
    context.nodeState.putShared(SELECTED_IDP, chosen);
    return outcome(SOCIAL_AUTHENTICATION);
  },
};

/**
 * `offerOnlyExisting`: only the providers the user (found by `identityAttribute` in the journey's
 * state) is already linked to (their `aliasList` holds `<provider>-<subject>`), and local
 * authentication if they have a password.
 */
function existingProviders(
  context: NodeContext,
  providers: Offer[],
  configured: readonly SocialIdentityProvider[],
): Offer[] {
  const identityAttribute = stringConfig(context.config, 'identityAttribute', 'mail');
  const value = context.nodeState.objectAttribute(identityAttribute) ?? context.nodeState.get(identityAttribute);
  if (typeof value !== 'string' || value === '') throw new NodeProcessException('No identity stored in state');
  const user = context.tenant.users.findByAttribute(context.realm.path, identityAttribute, value);
  if (!user) return [];
  const aliases = stringList(context.tenant.users.idmView(user)[ALIAS_LIST]);
  const existing = new Set(
    configured
      .filter((provider) => aliases.some((alias) => alias.startsWith(`${provider._id}-`)))
      .map((provider) => provider._id),
  );
  if (user.password !== '') existing.add(LOCAL_AUTHENTICATION);
  return providers.filter((provider) => existing.has(provider.provider));
}

// ------------------------------------------------------------------------ Social Provider Handler

/** The client types AM's commons library talks OpenID Connect with (an ID token is expected). */
const OIDC_TYPES = new Set(['oidcConfig', 'googleConfig', 'appleConfig', 'itsmeConfig', 'salesforceConfig']);

const isOidc = (provider: SocialIdentityProvider) => OIDC_TYPES.has(provider._type?._id ?? 'oidcConfig');

/** What the node keeps between the redirect and the return (AM's DataStore). */
interface DataStore {
  provider: string;
  state: string;
  nonce?: string;
  codeVerifier?: string;
}

function social(context: NodeContext): SocialServices {
  const services = context.tenant.social;
  if (!services) throw new NodeProcessException('the Social Identity Provider Service is not available');
  return services;
}

function selectedProvider(context: NodeContext): { name: string; provider: SocialIdentityProvider } {
  const selected = context.nodeState.get(SELECTED_IDP);
  if (selected === undefined || selected === null) throw new NodeProcessException(`${SELECTED_IDP} not found in state`);
  const name = typeof selected === 'string' ? selected : JSON.stringify(selected);
  const provider = social(context)
    .providers(context.realm.path)
    .find((candidate) => candidate._id === name);
  if (!provider) throw new NodeProcessException('Selected provider does not exist.');
  return { name, provider };
}

function randomToken(): string {
  return randomBytes(20).toString('base64url');
}

/** The authorization request (OAuth2Client.getAuthRedirect): state, nonce for OIDC, PKCE as `pkceMethod` says. */
function authorizationUrl(provider: SocialIdentityProvider, data: DataStore): string {
  let url: URL;
  try {
    url = new URL(provider.authorizationEndpoint);
  } catch {
    throw new NodeProcessException(`OAuthException: invalid authorization endpoint ${provider.authorizationEndpoint}`);
  }
  const params = url.searchParams;
  params.set('client_id', provider.clientId);
  params.set('response_type', 'code');
  params.set('redirect_uri', provider.redirectURI);
  const scopes = stringList(provider.scopes);
  if (scopes.length > 0) params.set('scope', scopes.join(provider.scopeDelimiter ?? ' '));
  params.set('state', data.state);
  if (data.nonce !== undefined) params.set('nonce', data.nonce);
  if (data.codeVerifier !== undefined) {
    const plain = (provider.pkceMethod ?? 'S256').toUpperCase() === 'PLAIN';
    params.set(
      'code_challenge',
      plain ? data.codeVerifier : createHash('sha256').update(data.codeVerifier).digest('base64url'),
    );
    params.set('code_challenge_method', plain ? 'plain' : 'S256');
  }
  const acr = stringList(provider.acrValues);
  if (acr.length > 0) params.set('acr_values', acr.join(' '));
  const responseMode = provider['responseMode'];
  if (typeof responseMode === 'string' && responseMode.toUpperCase() === 'FORM_POST')
    params.set('response_mode', 'form_post');
  return url.href;
}

function newDataStore(name: string, provider: SocialIdentityProvider): DataStore {
  const pkce = (provider.pkceMethod ?? 'S256').toUpperCase();
  return {
    provider: name,
    state: randomToken(),
    ...(isOidc(provider) ? { nonce: randomToken() } : {}),
    ...(pkce === 'NONE' ? {} : { codeVerifier: randomBytes(32).toString('base64url') }),
  };
}

function storedData(context: NodeContext): DataStore | undefined {
  const value = own(context.state.nodeData, context.node.id);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const data = value as Record<string, JsonValue>;
  return typeof data['state'] === 'string' && typeof data['provider'] === 'string'
    ? (data as unknown as DataStore)
    : undefined;
}

async function call(
  context: NodeContext,
  method: string,
  url: string,
  headers: [string, string][],
  body: string | null,
): Promise<{ status: number; json: unknown; body: string }> {
  const answer = await social(context).http(context, { method, url, headers, body });
  if (!answer.ok) throw new NodeProcessException(`OAuthException: ${answer.error}`);
  const response = answer.value as HttpResponseJson;
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, body: response.body };
}

/** The code exchange (RFC 6749 §4.1.3), authenticated as `clientAuthenticationMethod` says. */
async function exchangeCode(
  context: NodeContext,
  provider: SocialIdentityProvider,
  code: string,
  data: DataStore,
): Promise<Record<string, unknown>> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: provider.redirectURI });
  if (data.codeVerifier !== undefined) form.set('code_verifier', data.codeVerifier);
  const headers: [string, string][] = [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Accept', 'application/json'],
  ];
  const secret = provider.clientSecret ?? '';
  if ((provider.clientAuthenticationMethod ?? 'CLIENT_SECRET_POST').toUpperCase() === 'CLIENT_SECRET_BASIC') {
    const credentials = `${encodeURIComponent(provider.clientId)}:${encodeURIComponent(secret)}`;
    headers.push(['Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`]);
  } else {
    form.set('client_id', provider.clientId);
    if (secret !== '') form.set('client_secret', secret);
  }
  const response = await call(context, 'POST', provider.tokenEndpoint, headers, form.toString());
  const tokens = response.json as Record<string, unknown> | undefined;
  if (response.status !== 200 || !tokens || typeof tokens['access_token'] !== 'string')
    throw new NodeProcessException(
      `OAuthException: Unable to get an access token from ${provider.tokenEndpoint}: ${response.status} ${response.body.slice(0, 300)}`,
    );
  return tokens;
}

/**
 * The ID token's claims: its signature checked against the provider's `jwksUriEndpoint` when the
 * provider has one; `aud`, `iss` (when `issuer` is set), `exp` on the tenant clock and the nonce checked.
 */
async function idTokenClaims(
  context: NodeContext,
  provider: SocialIdentityProvider,
  idToken: string,
  nonce: string | undefined,
): Promise<JWTPayload> {
  let claims: JWTPayload;
  try {
    const jwksUri = provider['jwksUriEndpoint'];
    if (typeof jwksUri === 'string' && jwksUri !== '') {
      const jwks = await call(context, 'GET', jwksUri, [['Accept', 'application/json']], null);
      const keys = createLocalJWKSet(jwks.json as Parameters<typeof createLocalJWKSet>[0]);
      claims = (await jwtVerify(idToken, keys, { currentDate: new Date(context.tenant.clock.now()) })).payload;
    } else claims = decodeJwt(idToken);
  } catch (error) {
    if (error instanceof NodeProcessException) throw error;
    throw new NodeProcessException(`OAuthException: the ID token is not valid: ${(error as Error).message}`);
  }
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(provider.clientId))
    throw new NodeProcessException(
      `OAuthException: the ID token is not intended for this client (aud ${JSON.stringify(claims.aud)})`,
    );
  if (typeof provider.issuer === 'string' && provider.issuer !== '' && claims.iss !== provider.issuer)
    throw new NodeProcessException(
      `OAuthException: the ID token is from ${String(claims.iss)}, not from the configured issuer ${provider.issuer}`,
    );
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= context.tenant.clock.now())
    throw new NodeProcessException('OAuthException: the ID token has expired');
  if (nonce !== undefined && claims['nonce'] !== nonce)
    throw new NodeProcessException('OAuthException: the ID token nonce does not match');
  return claims;
}

/** The provider's profile: the ID token's claims (OIDC), overlaid with the user info endpoint's answer. */
async function rawProfile(
  context: NodeContext,
  provider: SocialIdentityProvider,
  tokens: Record<string, unknown>,
  nonce: string | undefined,
): Promise<{ profile: Record<string, unknown>; subject: string }> {
  let profile: Record<string, unknown> = {};
  const oidc = isOidc(provider);
  if (oidc) {
    const idToken = tokens['id_token'];
    if (typeof idToken !== 'string')
      throw new NodeProcessException('OAuthException: no ID token in the token response');
    profile = { ...(await idTokenClaims(context, provider, idToken, nonce)) };
  }
  const userInfo = provider.userInfoEndpoint;
  if (typeof userInfo === 'string' && userInfo !== '' && typeof tokens['access_token'] === 'string') {
    const response = await call(
      context,
      'GET',
      userInfo,
      [
        ['Authorization', `Bearer ${tokens['access_token']}`],
        ['Accept', 'application/json'],
      ],
      null,
    );
    if (response.status !== 200 || !response.json || typeof response.json !== 'object')
      throw new NodeProcessException(
        `Failed to retrieve social profile data: ${response.status} ${response.body.slice(0, 300)}`,
      );
    profile = { ...profile, ...(response.json as Record<string, unknown>) };
  }
  const subjectValue = oidc ? profile['sub'] : profile[provider.authenticationIdKey ?? 'id'];
  if (typeof subjectValue !== 'string' && typeof subjectValue !== 'number')
    throw new NodeProcessException('Failed to retrieve social profile data: the profile has no subject');
  return { profile, subject: String(subjectValue) };
}

const first = (...values: unknown[]): JsonValue | undefined =>
  values.find((value): value is string | number => typeof value === 'string' || typeof value === 'number');

/**
 * The provider's `transform` (AIC's "<Provider> Profile Normalization" scripts, Groovy): the
 * emulator does not run it and normalizes as those scripts do (id, displayName, givenName,
 * familyName, photoUrl, email, username, locale), from OIDC's claim names or the usual OAuth2 ones.
 */
function normalize(profile: Record<string, unknown>, subject: string, type: string | undefined): JsonObject {
  // AIC's "Microsoft Profile Normalization" reads Microsoft Graph's names.
  const microsoft = type === 'microsoftConfig';
  const normalized: Record<string, JsonValue | undefined> = {
    id: subject,
    displayName: first(profile['name'], profile['displayName']),
    givenName: first(profile['given_name'], profile['first_name'], profile['givenName']),
    familyName: first(profile['family_name'], profile['last_name'], profile['familyName'], profile['surname']),
    photoUrl: first(profile['picture'], profile['avatar_url']),
    email: microsoft ? first(profile['userPrincipalName'], profile['mail']) : first(profile['email'], profile['mail']),
    username: microsoft
      ? first(profile['userPrincipalName'], profile['mail'])
      : first(profile['email'], profile['preferred_username'], profile['login'], profile['username']),
    locale: first(profile['locale']),
  };
  return Object.fromEntries(
    Object.entries(normalized).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined),
  );
}

const blank = (value: JsonValue | undefined) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * The node's `script` (AIC's "Normalized Profile to Managed User", Groovy): the managed user's
 * attributes (`givenName`, `sn`, `mail`, `userName`; the address and phone when the profile has
 * them), and shared `nameEmptyOrNull` when it has neither a given nor a family name.
 */
function toObjectData(context: NodeContext, normalized: JsonObject): JsonObject {
  const data: Record<string, JsonValue | undefined> = {
    givenName: normalized['givenName'],
    sn: normalized['familyName'],
    mail: normalized['email'],
    userName: normalized['username'],
    postalAddress: normalized['postalAddress'],
    city: normalized['addressLocality'],
    stateProvince: normalized['addressRegion'],
    postalCode: normalized['postalCode'],
    country: normalized['country'],
    telephoneNumber: normalized['phone'],
  };
  context.nodeState.putShared('nameEmptyOrNull', blank(normalized['givenName']) && blank(normalized['familyName']));
  return Object.fromEntries(
    Object.entries(data).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined),
  );
}

/** The user whose `aliasList` holds `<provider>-<subject>`. */
function linkedUser(context: NodeContext, identity: string) {
  const { users } = context.tenant;
  return users.list(context.realm.path).find((user) => stringList(users.idmView(user)[ALIAS_LIST]).includes(identity));
}

/** AM's handleUser: profile → object data in state, the account linked to the identity, the outcome. */
async function handleUser(
  context: NodeContext,
  name: string,
  provider: SocialIdentityProvider,
  tokens: Record<string, unknown>,
  nonce: string | undefined,
) {
  const usernameAttribute = stringConfig(context.config, 'usernameAttribute', 'userName');
  const { profile, subject } = await rawProfile(context, provider, tokens, nonce);
  const objectData = toObjectData(context, normalize(profile, subject, provider._type?._id));
  for (const [key, value] of Object.entries(objectData))
    if (key !== usernameAttribute) context.nodeState.putObjectAttribute('transient', key, value);

  const identity = `${name}-${subject}`;
  const fromContext = context.nodeState.objectAttribute(usernameAttribute);
  const contextId = typeof fromContext === 'string' ? fromContext : undefined;
  const user = linkedUser(context, identity);
  const userId = user ? own(context.tenant.users.idmView(user), usernameAttribute) : undefined;
  let resolvedId: unknown;
  if (contextId !== undefined) {
    if (user && userId !== contextId) throw new NodeProcessException('Account does not belong to user in share state.');
    resolvedId = contextId;
  } else {
    resolvedId = user ? userId : objectData[usernameAttribute];
    context.nodeState.putObjectAttribute('shared', usernameAttribute, (resolvedId ?? null) as JsonValue);
  }
  if (typeof resolvedId === 'string') context.nodeState.putShared('username', resolvedId);

  const aliases = new Set([identity]);
  for (const alias of stringList(context.nodeState.objectAttribute(ALIAS_LIST))) aliases.add(alias);
  if (user) for (const alias of stringList(context.tenant.users.idmView(user)[ALIAS_LIST])) aliases.add(alias);
  context.nodeState.putObjectAttribute('transient', ALIAS_LIST, [...aliases]);

  const oauthData = structuredClone(tokens) as JsonObject;
  const previous = context.state.transient[SOCIAL_OAUTH_DATA];
  context.nodeState.putTransient(SOCIAL_OAUTH_DATA, {
    ...(previous && typeof previous === 'object' && !Array.isArray(previous) ? previous : {}),
    [name]: oauthData,
  });
  if (context.config['storeTokens'] === true) {
    if (typeof tokens['access_token'] === 'string')
      context.nodeState.putTransient('access_token', tokens['access_token']);
    if (typeof tokens['refresh_token'] === 'string')
      context.nodeState.putTransient('refresh_token', tokens['refresh_token']);
  }
  delete context.state.nodeData[context.node.id];
  if (user) {
    context.state.identifiedUserId = user._id;
    return outcome('ACCOUNT_EXISTS');
  }
  return outcome('NO_ACCOUNT');
}

/** The browser's return from the provider: `code` and `state` in the query of `/authenticate`. */
async function handleRedirect(context: NodeContext, name: string, provider: SocialIdentityProvider) {
  const { query } = context.request;
  const code = query.get('code');
  if (code === null) return undefined;
  const state = query.get('state');
  if (state === null)
    throw new NodeProcessException('Not having the state could mean that this request did not come from the IDP');
  // AM removes them from the request: a later node does not see them again.
  query.delete('code');
  query.delete('state');
  const data = storedData(context);
  if (!data || data.provider !== name)
    throw new NodeProcessException('OAuthException: no authorization request is pending for this provider');
  if (data.state !== state) throw new NodeProcessException('OAuthException: State does not match');
  const tokens = await exchangeCode(context, provider, code, data);
  return handleUser(context, name, provider, tokens, data.nonce);
}

/** The native SDKs' IdPCallback (clientType NATIVE): the provider's client settings out, its token in. */
function idPCallback(name: string, provider: SocialIdentityProvider, nonce: string): CallbackSpec {
  return {
    type: 'IdPCallback',
    output: [
      out('provider', name),
      out('clientId', provider.clientId),
      out('redirectUri', provider.redirectURI),
      out('scopes', stringList(provider.scopes)),
      out('nonce', nonce),
      out('acrValues', stringList(provider.acrValues)),
      out('request', ''),
      out('requestUri', ''),
    ],
    inputs: [
      { suffix: 'token', value: '' },
      { suffix: 'token_type', value: '' },
    ],
  };
}

async function handleIdPCallback(context: NodeContext, name: string, provider: SocialIdentityProvider) {
  const callback = context.callbacks.find((item) => item.type === 'IdPCallback');
  if (!callback) return undefined;
  const token = callback.values.get('token');
  const tokenType = callback.values.get('token_type');
  if (typeof token !== 'string' || token === '')
    throw new NodeProcessException('OAuthException: the IdPCallback carries no token');
  const data = storedData(context);
  const tokens: Record<string, unknown> =
    tokenType === 'id_token' ? { id_token: token, access_token: undefined } : { access_token: token };
  if (tokenType === 'id_token' && !isOidc(provider))
    throw new NodeProcessException('OAuthException: an ID token for a provider that is not OpenID Connect');
  return handleUser(context, name, provider, tokens, data?.nonce);
}

function socialProviderHandler(type: string, v2: boolean): NodeType {
  return {
    type,
    outcomes: () =>
      v2 ? ['ACCOUNT_EXISTS', 'NO_ACCOUNT', 'SOCIAL_AUTH_INTERRUPTED'] : ['ACCOUNT_EXISTS', 'NO_ACCOUNT'],
    check(config) {
      const problems = typeProblems(config, { usernameAttribute: 'string', storeTokens: 'boolean' });
      const script = own(config, 'script');
      if (typeof script !== 'string' || script === '') problems.push('script is required (the Transformation Script)');
      const clientType = own(config, 'clientType');
      if (clientType !== undefined && clientType !== 'BROWSER' && clientType !== 'NATIVE')
        problems.push(`clientType must be BROWSER or NATIVE, not ${JSON.stringify(clientType)}`);
      return problems;
    },
    inputs: (config) => [
      SELECTED_IDP,
      stringConfig(config, 'usernameAttribute', 'userName'),
      'objectAttributes',
      'idps',
      SOCIAL_OAUTH_DATA,
      ...(v2 ? [EXPECT_PROFILE_INFORMATION] : []),
    ],
    async process(context) {
      const { name, provider } = selectedProvider(context);
      const native = context.config['clientType'] === 'NATIVE';
      const result = native
        ? await handleIdPCallback(context, name, provider)
        : await handleRedirect(context, name, provider);
      if (result) {
        if (v2) context.nodeState.remove(EXPECT_PROFILE_INFORMATION);
        return result;
      }
      if (v2) {
        // Back at this node without having been to the provider (the back button, a reload): OPENAM-20924.
        if (context.nodeState.get(EXPECT_PROFILE_INFORMATION) === true) {
          context.nodeState.remove(EXPECT_PROFILE_INFORMATION);
          return outcome('SOCIAL_AUTH_INTERRUPTED');
        }
        context.nodeState.putShared(EXPECT_PROFILE_INFORMATION, true);
      }
      const data = newDataStore(name, provider);
      if (native) {
        const nonce = data.nonce ?? randomToken();
        setOwn(context.state.nodeData, context.node.id, { ...data, nonce });
        return ask([idPCallback(name, provider, nonce)]);
      }
      setOwn(context.state.nodeData, context.node.id, data as unknown as JsonObject);
      return ask([
        {
          type: 'RedirectCallback',
          output: [
            out('redirectUrl', authorizationUrl(provider, data)),
            out('redirectMethod', 'GET'),
            out('trackingCookie', true),
          ],
          inputs: [],
        },
      ]);
    },
  };
}

/** "Legacy Social Provider Handler Node": `ACCOUNT_EXISTS`, `NO_ACCOUNT`. */
export const SocialProviderHandlerNode = socialProviderHandler('SocialProviderHandlerNode', false);
/** "Social Provider Handler Node": also `SOCIAL_AUTH_INTERRUPTED` when the user comes back without the provider's answer. */
export const SocialProviderHandlerNodeV2 = socialProviderHandler('SocialProviderHandlerNodeV2', true);

// ------------------------------------------------------------------------ Social Google (legacy)

/** AM attribute names of the legacy social nodes' mappings, as IDM properties (AIC's managed user). */
const AM_TO_IDM: Readonly<Record<string, string>> = {
  uid: 'userName',
  'iplanet-am-user-alias-list': ALIAS_LIST,
  mail: 'mail',
  givenName: 'givenName',
  sn: 'sn',
  cn: 'cn',
  telephoneNumber: 'telephoneNumber',
};

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * AM's JsonAttributeMapper (`<class>|<attribute or *>|<prefix>`): each mapped profile value under
 * its AM attribute, with the prefix on the attribute the mapper names (`*`: on all).
 */
function mapAttributes(
  profile: Record<string, unknown>,
  mapping: Record<string, string>,
  mappers: readonly string[],
): Record<string, string[]> {
  const prefixes = mappers.map((mapper) => mapper.split('|')).filter((parts) => parts.length >= 3);
  const mapped: Record<string, string[]> = {};
  for (const [source, attribute] of Object.entries(mapping)) {
    const value = own(profile, source);
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const prefix = prefixes.find((parts) => parts[1] === attribute || parts[1] === '*')?.[2] ?? '';
    setOwn(mapped, attribute, [...(own(mapped, attribute) ?? []), `${prefix}${String(value)}`]);
  }
  return mapped;
}

/**
 * Social Google (AM's SocialGoogleNode over AbstractSocialAuthLoginNode): an OAuth2 client whose
 * settings are the node's own (no provider service): the redirect, the return with `code` (only
 * after this node sent the browser away), the code exchange (`basicAuth`: client_secret_basic), the
 * user info, AM's attribute mappers. ACCOUNT_EXISTS when a realm user matches the account mapping
 * (`sub` → `iplanet-am-user-alias-list`, `google-<sub>`, by default), that user identified and in
 * shared `username`; else NO_ACCOUNT with shared `userInfo` `{attributes, userNames}` and
 * `emailAddress`, for Provision Dynamic Account.
 */
export const SocialGoogleNode: NodeType = {
  type: 'SocialGoogleNode',
  outcomes: () => ['ACCOUNT_EXISTS', 'NO_ACCOUNT'],
  check(config) {
    const problems = typeProblems(config, {
      authorizeEndpoint: 'string',
      tokenEndpoint: 'string',
      userInfoEndpoint: 'string',
      scopeString: 'string',
      redirectURI: 'string',
      provider: 'string',
      authenticationIdKey: 'string',
      basicAuth: 'boolean',
      saveUserAttributesToSession: 'boolean',
      cfgMixUpMitigation: 'boolean',
      cfgAttributeMappingClasses: 'string[]',
    });
    if (typeof own(config, 'clientId') !== 'string' || own(config, 'clientId') === '')
      problems.push('clientId is required');
    return problems;
  },
  // The redirect flag and the data store are in shared state and the journey: nothing transient.
  inputs: () => ['realm'],
  async process(context) {
    const config = context.config;
    const name = stringConfig(config, 'provider', 'google');
    const provider: SocialIdentityProvider = {
      _id: name,
      _type: { _id: 'oauth2Config' },
      clientId: stringConfig(config, 'clientId', ''),
      clientSecret: typeof config['clientSecret'] === 'string' ? config['clientSecret'] : '',
      authorizationEndpoint: stringConfig(config, 'authorizeEndpoint', 'https://accounts.google.com/o/oauth2/v2/auth'),
      tokenEndpoint: stringConfig(config, 'tokenEndpoint', 'https://www.googleapis.com/oauth2/v4/token'),
      userInfoEndpoint: stringConfig(config, 'userInfoEndpoint', 'https://www.googleapis.com/oauth2/v3/userinfo'),
      redirectURI: stringConfig(config, 'redirectURI', `https://${context.request.hostname}/am`),
      // The whole scope string is one scope, as AM's node hands it to its client.
      scopes: [stringConfig(config, 'scopeString', 'profile email')],
      authenticationIdKey: stringConfig(config, 'authenticationIdKey', 'sub'),
      pkceMethod: 'NONE',
      clientAuthenticationMethod: config['basicAuth'] === false ? 'CLIENT_SECRET_POST' : 'CLIENT_SECRET_BASIC',
    };
    const sentKey = `redirectRequestSentForNode-${context.node.id}`;
    const { query } = context.request;
    if (query.has('code') && context.nodeState.get(sentKey) === true) {
      context.nodeState.remove(sentKey);
      if (config['cfgMixUpMitigation'] === true)
        mixUpCheck(query, provider.clientId, stringConfig(config, 'issuer', ''));
      const state = query.get('state');
      if (state === null)
        throw new NodeProcessException('Not having the state could mean that this request did not come from the IDP');
      const code = query.get('code') ?? '';
      const data = storedData(context);
      if (!data || data.state !== state)
        throw new NodeProcessException('Unable to get UserInfo details from provider: State does not match');
      const tokens = await exchangeCode(context, provider, code, data);
      const { profile } = await rawProfile(context, provider, tokens, undefined);
      delete context.state.nodeData[context.node.id];
      const mappers = stringList(config['cfgAttributeMappingClasses']);
      const attributeMapping = stringMap(config['cfgAttributeMappingConfiguration']);
      const attributes = mapAttributes(
        profile,
        Object.keys(attributeMapping).length > 0
          ? attributeMapping
          : {
              sub: 'iplanet-am-user-alias-list',
              given_name: 'givenName',
              family_name: 'sn',
              email: 'mail',
              name: 'cn',
            },
        mappers.length > 0 ? mappers : ['JsonAttributeMapper|iplanet-am-user-alias-list|google-'],
      );
      const accountMapping = stringMap(config['cfgAccountMapperConfiguration']);
      const userNames = mapAttributes(
        profile,
        Object.keys(accountMapping).length > 0 ? accountMapping : { sub: 'iplanet-am-user-alias-list' },
        [
          typeof config['cfgAccountMapperClass'] === 'string'
            ? config['cfgAccountMapperClass']
            : 'JsonAttributeMapper|*|google-',
        ],
      );
      const { users } = context.tenant;
      const user = users.list(context.realm.path).find((candidate) => {
        const view = users.idmView(candidate);
        return Object.entries(userNames).some(([attribute, values]) => {
          const held = own(view, AM_TO_IDM[attribute] ?? attribute);
          const list = Array.isArray(held) ? held : [held];
          return values.some((value) => list.some((item) => item === value));
        });
      });
      if (config['saveUserAttributesToSession'] !== false)
        for (const [key, values] of Object.entries(attributes))
          if (values[0] !== undefined) setOwn(context.state.sessionProperties, key, values[0]);
      if (user) {
        context.nodeState.putShared('username', user.userName);
        context.state.identifiedUserId = user._id;
        return outcome('ACCOUNT_EXISTS');
      }
      context.nodeState.putShared('userInfo', { attributes, userNames });
      const mail = attributes['mail']?.[0];
      if (mail !== undefined) context.nodeState.putShared('emailAddress', mail);
      return outcome('NO_ACCOUNT');
    }
    context.nodeState.putShared(sentKey, true);
    const data = newDataStore(name, provider);
    setOwn(context.state.nodeData, context.node.id, data as unknown as JsonObject);
    return ask([
      {
        type: 'RedirectCallback',
        output: [
          out('redirectUrl', authorizationUrl(provider, data)),
          out('redirectMethod', 'GET'),
          out('trackingCookie', true),
        ],
        inputs: [],
      },
    ]);
  },
};

/** AM's OAuth 2.0 mix-up mitigation: the provider names itself (`client_id`, `iss`) in the return. */
function mixUpCheck(query: URLSearchParams, clientId: string, issuer: string): void {
  const ids = query.getAll('client_id');
  if (ids.length !== 1)
    throw new NodeProcessException(
      'OAuth 2.0 mix-up mitigation is enabled, but the client_id has not been provided properly',
    );
  if (ids[0] !== clientId)
    throw new NodeProcessException(
      `OAuth 2.0 mix-up mitigation is enabled, but the provided client_id ${ids[0]} does not belong to this client ${clientId}`,
    );
  const issuers = query.getAll('iss');
  if (issuers.length !== 1)
    throw new NodeProcessException(
      'OAuth 2.0 mix-up mitigation is enabled, but the iss has not been provided properly',
    );
  if (issuers[0] !== issuer)
    throw new NodeProcessException(
      `OAuth 2.0 mix-up mitigation is enabled, but the provided iss ${issuers[0]} does not match the issuer in the client configuration ${issuer}`,
    );
}

// ------------------------------------------------------------------------ Provision Dynamic Account

/**
 * Provision Dynamic Account (AM's ProvisionDynamicAccountNode): creates the user a legacy social
 * node described, from `objectAttributes` when the journey has any, else shared `userInfo.attributes`
 * (AM attribute names, mapped to the managed user's); the password is the journey's `password`,
 * else random. The name is `uid` (AM's DefaultAccountProvider), else a random UUID. The user is
 * identified and shared `username` set.
 */
export const ProvisionDynamicAccountNode: NodeType = {
  type: 'ProvisionDynamicAccountNode',
  outcomes: () => ['outcome'],
  check: (config) => typeProblems(config, { accountProviderClass: 'string' }),
  inputs: () => ['userInfo', 'password', 'objectAttributes'],
  async process(context) {
    const attributes: Record<string, string> = {};
    const objectAttributes = {
      ...asObject(context.state.shared['objectAttributes']),
      ...asObject(context.state.secure['objectAttributes']),
      ...asObject(context.state.transient['objectAttributes']),
    };
    if (Object.keys(objectAttributes).length > 0) {
      for (const [key, value] of Object.entries(objectAttributes))
        if (value !== null) setOwn(attributes, key, typeof value === 'string' ? value : JSON.stringify(value));
    } else {
      const userInfo = context.nodeState.get('userInfo');
      if (!userInfo || typeof userInfo !== 'object' || Array.isArray(userInfo))
        throw new NodeProcessException(
          'No user information has been found in the shared state. You must call a node that sets this information first',
        );
      if (!('userNames' in userInfo))
        throw new NodeProcessException(
          "The user information doesn't contain the userNames. You must call a node that sets this information first",
        );
      for (const [key, values] of Object.entries(asObject(userInfo['attributes'])))
        if (Array.isArray(values) && typeof values[0] === 'string') setOwn(attributes, key, values[0]);
    }
    const password = context.nodeState.get('password');
    const seed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(attributes)) {
      const property = AM_TO_IDM[key] ?? key;
      setOwn(seed, property, property === ALIAS_LIST ? [value] : value);
    }
    const userName = typeof seed['userName'] === 'string' && seed['userName'] !== '' ? seed['userName'] : randomUUID();
    try {
      const user = context.tenant.users.add({
        ...seed,
        userName,
        password: typeof password === 'string' && password !== '' ? password : randomBytes(24).toString('base64url'),
        accountStatus: 'active',
        realm: context.realm.path,
      });
      context.state.identifiedUserId = user._id;
      context.nodeState.putShared('username', user.userName);
      return outcome('outcome');
    } catch (error) {
      throw new NodeProcessException(`Unable to create user: ${(error as Error).message}`);
    }
  },
};

function asObject(value: unknown): Record<string, JsonValue> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, JsonValue>) : {};
}
