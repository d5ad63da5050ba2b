/**
 * The client's OAuth 2.0 / OpenID Connect calls (`AmClient.oauth2()`, client/oauth2.ts) against the
 * emulator over real HTTP, with the demo tenant's clients: the public `sdkPublicClient` (PKCE,
 * loopback redirect URIs) and the confidential `demoConfidentialClient` (client credentials,
 * `am-introspect-all-tokens`). Each call's success, and AM's refusals as `AmOAuth2Error` (or
 * `AmError`/`AmProtocolError` where the answer is not an OAuth error).
 */
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_CLIENT_SECRET } from '../../emulator/config/demo-tenant.js';
import {
  AmClient,
  AmError,
  AmOAuth2,
  AmOAuth2Error,
  AmProtocolError,
  createPkce,
  createState,
  oauth2BasePath,
  type OAuth2ClientOptions,
} from '../../client/index.js';
import { DEMO, startEmulator } from '../helpers/tenant.js';

const PUBLIC_CLIENT = 'sdkPublicClient';
const CONFIDENTIAL_CLIENT = 'demoConfidentialClient';
const REDIRECT_URI = 'http://127.0.0.1/callback';

let emulator: Emulator;
const clients: AmClient[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function amClient(): AmClient {
  const created = new AmClient({ baseUrl: emulator.url });
  clients.push(created);
  return created;
}

/** An AmClient signed in as demo (the session in its jar), and the public client on it. */
async function signedIn(options: Partial<OAuth2ClientOptions> = {}): Promise<{ am: AmClient; oauth: AmOAuth2 }> {
  const am = amClient();
  await am.login({ username: DEMO.userName, password: DEMO.password });
  return { am, oauth: am.oauth2({ clientId: PUBLIC_CLIENT, redirectUri: REDIRECT_URI, ...options }) };
}

function confidential(options: Partial<OAuth2ClientOptions> = {}): AmOAuth2 {
  return amClient().oauth2({ clientId: CONFIDENTIAL_CLIENT, clientSecret: DEMO_CLIENT_SECRET, ...options });
}

/** Awaits a rejection and checks it is an AmOAuth2Error with these fields. */
async function oauthError(
  promise: Promise<unknown>,
  expected: { status: number; error: string; error_description?: string; state?: string },
): Promise<AmOAuth2Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected an AmOAuth2Error, the call succeeded');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AmOAuth2Error);
  expect(error).toMatchObject(expected);
  return error as AmOAuth2Error;
}

describe('PKCE and state', () => {
  it('createPkce: the S256 challenge of RFC 7636’s example verifier', () => {
    expect(createPkce('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toEqual({
      codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      codeChallengeMethod: 'S256',
    });
  });

  it('createPkce makes a fresh 43-character verifier each time; a verifier out of RFC 7636’s alphabet or length is a TypeError', () => {
    const [one, two] = [createPkce(), createPkce()];
    expect(one.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(one.codeVerifier).not.toBe(two.codeVerifier);
    expect(() => createPkce('too-short')).toThrow(TypeError);
    expect(() => createPkce(`${'a'.repeat(42)}!`)).toThrow(TypeError);
    expect(createState()).not.toBe(createState());
  });

  it('authorizeUrl: the realm’s authorize endpoint with the client, PKCE S256 and a fresh state', () => {
    const oauth = amClient().oauth2({
      clientId: PUBLIC_CLIENT,
      redirectUri: REDIRECT_URI,
      scope: ['openid', 'profile'],
    });
    const built = oauth.authorizeUrl({ nonce: 'n-1' });
    const url = new URL(built.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${emulator.url}/am/oauth2/realms/root/realms/alpha/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: PUBLIC_CLIENT,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      state: built.state,
      nonce: 'n-1',
      code_challenge: createPkce(built.codeVerifier).codeChallenge,
      code_challenge_method: 'S256',
    });
    expect(built.redirectUri).toBe(REDIRECT_URI);
    expect(oauth.authorizeUrl().state).not.toBe(built.state);
  });

  it('the OAuth2 paths name the realm explicitly, root included', () => {
    expect(oauth2BasePath('/alpha')).toBe('/am/oauth2/realms/root/realms/alpha');
    expect(oauth2BasePath('/')).toBe('/am/oauth2/realms/root');
    expect(oauth2BasePath('alpha/sub')).toBe('/am/oauth2/realms/root/realms/alpha/realms/sub');
  });

  it('options are checked at once: a client id, a secret for a secret-based method, a redirect URI to authorize', () => {
    const am = amClient();
    expect(() => am.oauth2({ clientId: '' })).toThrow(TypeError);
    expect(() => am.oauth2({ clientId: CONFIDENTIAL_CLIENT, tokenEndpointAuthMethod: 'client_secret_basic' })).toThrow(
      /needs a clientSecret/,
    );
    expect(() => am.oauth2({ clientId: PUBLIC_CLIENT }).authorizeUrl()).toThrow(/no redirect URI/);
  });
});

describe('discovery', () => {
  it('names the realm’s endpoints under the issuer AIC uses (the realm alias form)', async () => {
    const oauth = amClient().oauth2({ clientId: PUBLIC_CLIENT });
    const config = await oauth.discovery();
    const base = `${emulator.url}/am/oauth2/realms/root/realms/alpha`;
    expect(config).toMatchObject({
      issuer: `${emulator.url}/am/oauth2/alpha`,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/access_token`,
      userinfo_endpoint: `${base}/userinfo`,
      introspection_endpoint: `${base}/introspect`,
      revocation_endpoint: `${base}/token/revoke`,
      end_session_endpoint: `${base}/connect/endSession`,
      jwks_uri: `${base}/connect/jwk_uri`,
    });
    expect(config.code_challenge_methods_supported).toContain('S256');
  });

  it('a realm that does not exist: AmError 404 (not an OAuth error)', async () => {
    const am = new AmClient({ baseUrl: emulator.url, realm: '/nosuch' });
    clients.push(am);
    const error = await am
      .oauth2({ clientId: PUBLIC_CLIENT })
      .discovery()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmError);
    expect((error as AmError).status).toBe(404);
  });
});

describe('the authorization code flow with the session of login()', () => {
  it('authorizationCode: the session’s user gets an access, refresh and ID token', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid profile', nonce: 'nonce-1' });
    expect(tokens).toMatchObject({ scope: 'openid profile', token_type: 'Bearer', expires_in: 3599 });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const idToken = decodeJwt(tokens.id_token as string);
    expect(idToken).toMatchObject({ sub: DEMO._id, aud: PUBLIC_CLIENT, nonce: 'nonce-1' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: DEMO._id, client_id: PUBLIC_CLIENT });
  });

  it('authorize reads the code, state and iss from the redirect it does not follow; the code is exchanged once', async () => {
    const { oauth } = await signedIn();
    const code = await oauth.authorize({ scope: 'openid', state: 'my-state' });
    expect(code).toMatchObject({
      state: 'my-state',
      redirectUri: REDIRECT_URI,
      iss: `${emulator.url}/am/oauth2/alpha`,
    });
    expect(code.location.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    expect(new URL(code.location).searchParams.get('code')).toBe(code.code);
    const tokens = await oauth.exchangeCode(code);
    expect(tokens.scope).toBe('openid');
    // A code used twice: AM refuses it, and revokes what it gave.
    await oauthError(oauth.exchangeCode(code), {
      status: 400,
      error: 'invalid_grant',
      error_description: 'The provided access grant is invalid, expired, or revoked.',
    });
    expect(await confidential().introspect(tokens.access_token)).toEqual({ active: false });
  });

  it('the session token in the cookie-named header does as well as the jar’s cookie', async () => {
    const am = amClient();
    const success = await am.login({ username: DEMO.userName, password: DEMO.password });
    const other = amClient().oauth2({ clientId: PUBLIC_CLIENT, redirectUri: REDIRECT_URI });
    const tokens = await other.authorizationCode({}, { credentials: { token: success.tokenId as string } });
    expect(decodeJwt(tokens.access_token).sub).toBe(DEMO._id);
  });

  it('a wrong code verifier: invalid_grant', async () => {
    const { oauth } = await signedIn();
    const code = await oauth.authorize();
    await oauthError(oauth.exchangeCode({ code: code.code, codeVerifier: createPkce().codeVerifier }), {
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('no session, prompt=none (the default): AM’s interaction_required, by redirect, as AmOAuth2Error 302', async () => {
    const oauth = amClient().oauth2({ clientId: PUBLIC_CLIENT, redirectUri: REDIRECT_URI });
    const error = await oauthError(oauth.authorize({ state: 's-1' }), {
      status: 302,
      error: 'interaction_required',
      error_description: 'The request requires some interaction that is not allowed.',
      state: 's-1',
    });
    expect(error.location?.startsWith(`${REDIRECT_URI}?`)).toBe(true);
  });

  it('no session and no prompt: AM sends the browser to the login page, which is not the redirect URI (AmProtocolError)', async () => {
    const oauth = amClient().oauth2({ clientId: PUBLIC_CLIENT, redirectUri: REDIRECT_URI });
    const error = await oauth.authorize({ prompt: undefined }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmProtocolError);
    expect((error as AmProtocolError).message).toMatch(/\/am\/XUI\/, not to the redirect URI/);
  });

  it('a redirect URI the client did not register: AM’s error page, as AmError 400', async () => {
    const { oauth } = await signedIn({ redirectUri: 'https://elsewhere.example.com/callback' });
    const error = await oauth.authorize().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmError);
    expect((error as AmError).status).toBe(400);
    expect((error as AmError).body).toContain('redirect_uri_mismatch');
  });

  it('a scope the client may not have: invalid_scope, sent back by redirect', async () => {
    const { oauth } = await signedIn();
    await oauthError(oauth.authorize({ scope: 'openid am-introspect-all-tokens' }), {
      status: 302,
      error: 'invalid_scope',
      error_description: 'Unknown/invalid scope(s): [am-introspect-all-tokens]',
    });
  });
});

describe('client credentials', () => {
  it('a confidential client with HTTP Basic (its default): a token for itself, no refresh or ID token', async () => {
    const tokens = await confidential().clientCredentials();
    expect(tokens).toMatchObject({ scope: 'am-introspect-all-tokens', token_type: 'Bearer', expires_in: 3599 });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: CONFIDENTIAL_CLIENT, client_id: CONFIDENTIAL_CLIENT });
  });

  it('the secret in the form (client_secret_post), and the scopes asked for', async () => {
    const tokens = await confidential({ tokenEndpointAuthMethod: 'client_secret_post' }).clientCredentials({
      scope: ['profile', 'email'],
    });
    expect(tokens.scope).toBe('profile email');
  });

  it('a wrong secret: invalid_client, 401 with Basic, 400 in the form', async () => {
    const basic = await oauthError(confidential({ clientSecret: 'wrong' }).clientCredentials(), {
      status: 401,
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
    expect(basic.body).toBe('{"error_description":"Client authentication failed","error":"invalid_client"}');
    await oauthError(
      confidential({ clientSecret: 'wrong', tokenEndpointAuthMethod: 'client_secret_post' }).clientCredentials(),
      { status: 400, error: 'invalid_client' },
    );
  });

  it('a public client: unauthorized_client', async () => {
    await oauthError(amClient().oauth2({ clientId: PUBLIC_CLIENT }).clientCredentials(), {
      status: 400,
      error: 'unauthorized_client',
      error_description: "Public clients can't use client credentials grant.",
    });
  });
});

describe('refresh, introspect, revoke, userinfo', () => {
  it('refresh: new tokens, and the refresh token used is spent (AIC rotates it)', async () => {
    const { oauth } = await signedIn();
    const first = await oauth.authorizationCode({ scope: 'openid profile' });
    const second = await oauth.refresh(first.refresh_token as string);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe('openid profile');
    const narrower = await oauth.refresh(second.refresh_token as string, { scope: 'openid' });
    expect(narrower.scope).toBe('openid');
    await oauthError(oauth.refresh(first.refresh_token as string), {
      status: 400,
      error: 'invalid_grant',
      error_description: 'grant is invalid',
    });
  });

  it('introspect: the confidential client (am-introspect-all-tokens) sees the public client’s token; anything else is inactive', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid profile' });
    const introspection = await confidential().introspect(tokens.access_token);
    expect(introspection).toMatchObject({
      active: true,
      client_id: PUBLIC_CLIENT,
      scope: 'openid profile',
      sub: DEMO._id,
      user_id: DEMO._id,
      iss: `${emulator.url}/am/oauth2/alpha`,
    });
    if (!introspection.active) throw new Error('expected an active token');
    expect(introspection.exp).toEqual(expect.any(Number));
    expect(await confidential().introspect('not-a-token')).toEqual({ active: false });
    expect(
      await confidential().introspect(tokens.refresh_token as string, { tokenTypeHint: 'refresh_token' }),
    ).toMatchObject({
      active: true,
    });
  });

  it('userInfo: the user’s claims for the token’s scopes', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid profile' });
    const info = await oauth.userInfo(tokens.access_token);
    expect(info).toMatchObject({ sub: DEMO._id, subname: DEMO._id });
    expect(info['email']).toBeUndefined();
    await oauthError(oauth.userInfo('not-a-token'), { status: 401, error: 'invalid_token' });
  });

  it('revoke a refresh token: its whole grant ends; an unknown token is not an error', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid profile' });
    await oauth.revoke(tokens.refresh_token as string);
    expect(await confidential().introspect(tokens.access_token)).toEqual({ active: false });
    await oauthError(oauth.userInfo(tokens.access_token), { status: 401, error: 'invalid_token' });
    await oauthError(oauth.refresh(tokens.refresh_token as string), { status: 400, error: 'invalid_grant' });
    await expect(oauth.revoke('not-a-token')).resolves.toBeUndefined();
  });

  it('revoke an access token: only it ends, the refresh token still works', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid' });
    await oauth.revoke(tokens.access_token, { tokenTypeHint: 'access_token' });
    expect(await confidential().introspect(tokens.access_token)).toEqual({ active: false });
    await expect(oauth.refresh(tokens.refresh_token as string)).resolves.toMatchObject({ token_type: 'Bearer' });
  });

  it('another client’s token cannot be revoked: invalid_grant', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode();
    await oauthError(confidential().revoke(tokens.refresh_token as string), { status: 400, error: 'invalid_grant' });
  });

  it('tokens expire on the tenant clock: an hour later the access token is refused, the refresh token still works', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid profile' });
    emulator.tenant.clock.advance(3601);
    await oauthError(oauth.userInfo(tokens.access_token), { status: 401, error: 'invalid_token' });
    const fresh = await oauth.refresh(tokens.refresh_token as string);
    expect((await oauth.userInfo(fresh.access_token)).sub).toBe(DEMO._id);
  });
});

describe('endSession', () => {
  it('ends the AM session the ID token was issued in: 204; the tokens stay valid', async () => {
    const { am, oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid profile' });
    expect(await oauth.endSession({ idTokenHint: tokens.id_token as string })).toEqual({
      status: 204,
      location: undefined,
    });
    const error = await am.getSessionInfo().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmError);
    expect((error as AmError).status).toBe(401);
    expect((await oauth.userInfo(tokens.access_token)).sub).toBe(DEMO._id);
  });

  it('with a registered post_logout_redirect_uri and a state: the 302, not followed', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid' });
    expect(
      await oauth.endSession({
        idTokenHint: tokens.id_token as string,
        postLogoutRedirectUri: 'http://127.0.0.1/',
        state: 'bye',
      }),
    ).toEqual({ status: 302, location: 'http://127.0.0.1/?state=bye' });
  });

  it('an unregistered post_logout_redirect_uri: redirect_uri_mismatch; no id_token_hint: bad_request', async () => {
    const { oauth } = await signedIn();
    const tokens = await oauth.authorizationCode({ scope: 'openid' });
    await oauthError(
      oauth.endSession({
        idTokenHint: tokens.id_token as string,
        postLogoutRedirectUri: 'https://elsewhere.example.com/',
      }),
      { status: 400, error: 'redirect_uri_mismatch' },
    );
    await oauthError(oauth.endSession({ idTokenHint: '' }), {
      status: 400,
      error: 'bad_request',
      error_description: 'The endSession endpoint requires an id_token_hint parameter',
    });
  });
});
