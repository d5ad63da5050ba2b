/**
 * The OAuth 2.0 / OpenID Connect provider over HTTP, as a client app uses it
 * (AIC docs, recordings of AIC, OpenAM's openam-oauth2 source; docs/fidelity.md): the code flow with PKCE (S256 and plain)
 * and every response mode, the tokens (the ID token checked with jose against the JWKS, the
 * access token's stateless claims), refresh rotation, client credentials, introspection,
 * revocation, userinfo per scope, endSession, prompt=none and the login redirect that comes
 * back; the discovery document and every path form.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD, DEMO_TENANT } from '../../emulator/config/demo-tenant.js';
import { http } from '../helpers/http.js';
import { ALPHA, DEMO, login, sessionsAction, startEmulator } from '../helpers/tenant.js';
import {
  CLIENT_SECRET,
  CONFIDENTIAL_CLIENT,
  FORM,
  OAUTH2,
  OAUTH2_ALIAS,
  PUBLIC_CLIENT,
  REDIRECT_URI,
  authorize,
  basic,
  clockSeconds,
  codeFor,
  codeRequest,
  cookieHeader,
  expectOAuth2Error,
  introspect,
  pkce,
  post,
  redirectParams,
  userTokens,
  userinfo,
  type Tokens,
} from '../helpers/oauth2.js';

const ZOE = { userName: 'zoe', password: 'Zo3-passw0rd!', _id: 'a1b2c3d4-0000-4000-8000-00000000f00d' } as const;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    config: {
      users: [
        ...DEMO_TENANT.users,
        {
          realm: 'alpha',
          ...ZOE,
          givenName: 'Zoë',
          sn: 'Zed',
          mail: 'zoe@example.com',
          postalAddress: '1 Main St, Springfield',
          telephoneNumber: '+1 555 0100',
          preferredLocale: 'fr',
          preferredTimezone: 'Europe/Paris',
        },
      ],
    },
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const issuer = () => `${emulator.url}/am/oauth2/alpha`;
const leftHalfHash = (value: string) => {
  const digest = createHash('sha256').update(value).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
};
const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
  post(emulator, 'access_token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: PUBLIC_CLIENT,
    code_verifier: verifier,
    ...extra,
  });
const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
  post(emulator, 'access_token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: PUBLIC_CLIENT,
    ...extra,
  });
const sessionValid = async (token: string) =>
  (await sessionsAction(emulator, 'validate', { body: { tokenId: token } })).json.valid as boolean;

describe('the authorization code flow', () => {
  it('with PKCE S256: 302 to the redirect URI with code, state, iss and client_id, as AIC sends them', async () => {
    const session = await login(emulator, DEMO);
    const pair = pkce('S256');
    const response = await authorize(emulator, codeRequest(pair.challenge), session);
    expect(response.status).toBe(302);
    expect(response.text).toBe('');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
    const location = new URL(response.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    const params = new URLSearchParams(location.search);
    expect([...params.keys()]).toEqual(['code', 'state', 'iss', 'client_id']);
    expect(params.get('code')).toMatch(/^[\w-]{27}$/);
    expect(params.get('state')).toBe('st-123');
    expect(params.get('iss')).toBe(issuer());
    expect(params.get('client_id')).toBe(PUBLIC_CLIENT);

    const tokens = await exchange(params.get('code') as string, pair.verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(tokens.headers['cache-control']).toBe('no-store');
    expect(tokens.headers['pragma']).toBe('no-cache');
    expect(Object.keys(tokens.json)).toEqual([
      'access_token',
      'refresh_token',
      'scope',
      'id_token',
      'token_type',
      'expires_in',
    ]);
    expect(tokens.json).toMatchObject({ scope: 'openid profile email', token_type: 'Bearer', expires_in: 3599 });
  });

  it('with PKCE plain', async () => {
    const session = await login(emulator, DEMO);
    const pair = pkce('plain');
    const response = await authorize(
      emulator,
      codeRequest(pair.challenge, { code_challenge_method: 'plain' }),
      session,
    );
    const code = redirectParams(response).get('code') as string;
    const tokens = await exchange(code, pair.verifier);
    expect(tokens.status, tokens.text).toBe(200);
    expect(typeof tokens.json.access_token).toBe('string');
  });

  it('without PKCE (codeVerifierEnforced is off, as on AIC); no state sent, none echoed; no nonce in the ID token', async () => {
    const session = await login(emulator, DEMO);
    const response = await authorize(
      emulator,
      { client_id: PUBLIC_CLIENT, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI },
      session,
    );
    const params = redirectParams(response);
    expect([...params.keys()]).toEqual(['code', 'iss', 'client_id']);
    const tokens = await post(emulator, 'access_token', {
      grant_type: 'authorization_code',
      code: params.get('code') as string,
      redirect_uri: REDIRECT_URI,
      client_id: PUBLIC_CLIENT,
    });
    expect(tokens.status, tokens.text).toBe(200);
    expect(decodeJwt(tokens.json.id_token as string)).not.toHaveProperty('nonce');
  });

  it('response_mode=fragment puts the parameters in the fragment', async () => {
    const session = await login(emulator, DEMO);
    const pair = pkce();
    const response = await authorize(emulator, codeRequest(pair.challenge, { response_mode: 'fragment' }), session);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.location as string);
    expect(location.search).toBe('');
    const params = new URLSearchParams(location.hash.slice(1));
    expect(params.get('state')).toBe('st-123');
    expect(params.get('iss')).toBe(issuer());
    expect((await exchange(params.get('code') as string, pair.verifier)).status).toBe(200);
  });

  it('response_mode=form_post answers a page that posts the parameters to the redirect URI', async () => {
    const session = await login(emulator, DEMO);
    const pair = pkce();
    const response = await authorize(emulator, codeRequest(pair.challenge, { response_mode: 'form_post' }), session);
    expect(response.status).toBe(200);
    expect(response.headers.location).toBeUndefined();
    expect(String(response.headers['content-type'])).toMatch(/^text\/html/);
    expect(response.text).toContain(`<form method="post" action="${REDIRECT_URI}">`);
    const inputs = Object.fromEntries(
      [...response.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((match) => [
        match[1],
        match[2]?.replace(/&amp;/g, '&').replace(/&quot;/g, '"'),
      ]),
    );
    expect(Object.keys(inputs)).toEqual(['code', 'state', 'iss', 'client_id']);
    expect(inputs).toMatchObject({ state: 'st-123', iss: issuer(), client_id: PUBLIC_CLIENT });
    expect((await exchange(inputs['code'] as string, pair.verifier)).status).toBe(200);
  });

  it('a redirect URI with a query keeps it and adds the parameters after it', async () => {
    const session = await login(emulator, DEMO);
    emulator.tenant.oauth2Clients.add({
      realm: 'alpha',
      clientId: 'queryClient',
      redirectionUris: ['https://app.example.com/cb?tenant=7'],
      scopes: ['openid'],
    });
    const response = await authorize(
      emulator,
      {
        client_id: 'queryClient',
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'https://app.example.com/cb?tenant=7',
      },
      session,
    );
    expect(response.headers.location).toMatch(/^https:\/\/app\.example\.com\/cb\?tenant=7&code=/);
  });

  it('a client with one redirect URI may leave redirect_uri out', async () => {
    const session = await login(emulator, DEMO);
    emulator.tenant.oauth2Clients.add({
      realm: 'alpha',
      clientId: 'oneUri',
      redirectionUris: ['https://one.example.com/cb'],
      scopes: ['openid'],
      defaultScopes: ['openid'],
    });
    const response = await authorize(emulator, { client_id: 'oneUri', response_type: 'code' }, session);
    expect(response.status).toBe(302);
    expect(response.headers.location).toMatch(/^https:\/\/one\.example\.com\/cb\?code=/);
  });

  it('without a scope, the client gets its default scopes', async () => {
    const { tokens } = await userTokens(emulator, { scope: '' });
    expect(tokens.scope).toBe('openid profile email address phone');
  });
});

describe('the tokens', () => {
  it('the ID token verifies with jose against connect/jwk_uri: RS256, the kid, iss = the discovery issuer, and its claims', async () => {
    const { tokens } = await userTokens(emulator);
    const discovery = (await http(`${emulator.url}${OAUTH2}/.well-known/openid-configuration`)).json;
    expect(discovery.issuer).toBe(issuer());
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri as string));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token as string, jwks, {
      issuer: discovery.issuer as string,
      audience: PUBLIC_CLIENT,
      algorithms: ['RS256'],
      currentDate: new Date(emulator.tenant.clock.now()),
    });
    const keys = (await http(discovery.jwks_uri as string)).json.keys;
    expect(protectedHeader).toEqual({ typ: 'JWT', kid: keys[0].kid, alg: 'RS256' });
    const sessionCreated = clockSeconds(emulator);
    expect(payload).toMatchObject({
      sub: DEMO._id,
      subname: DEMO._id,
      aud: PUBLIC_CLIENT,
      azp: PUBLIC_CLIENT,
      nonce: 'n-456',
      at_hash: leftHalfHash(tokens.access_token),
      auth_time: sessionCreated,
      iss: issuer(),
      realm: '/alpha',
      tokenName: 'id_token',
      tokenType: 'JWTToken',
      iat: clockSeconds(emulator),
      exp: clockSeconds(emulator) + 3600,
      // profile and email claims (AM's default claims script, alwaysAddClaimsToToken)
      name: 'Demo User',
      given_name: 'Demo',
      family_name: 'User',
      email: 'demo@example.com',
    });
    expect(typeof payload['auditTrackingId']).toBe('string');
  });

  it('auth_time is when the user logged in, not when the code was exchanged', async () => {
    const session = await login(emulator, DEMO);
    const loggedIn = clockSeconds(emulator);
    emulator.advanceClock(90);
    const { code, verifier } = await codeFor(emulator, session);
    const tokens = await exchange(code, verifier);
    const claims = decodeJwt(tokens.json.id_token as string);
    expect(claims.auth_time).toBe(loggedIn);
    expect(claims.iat).toBe(loggedIn + 90);
  });

  it("the access token is AIC's stateless JWT: HS256, and its claims in AIC's order", async () => {
    const { tokens } = await userTokens(emulator);
    expect(decodeProtectedHeader(tokens.access_token)).toEqual({ typ: 'JWT', alg: 'HS256' });
    const claims = decodeJwt(tokens.access_token);
    const now = clockSeconds(emulator);
    expect(Object.keys(claims)).toEqual([
      'sub',
      'cts',
      'auth_level',
      'auditTrackingId',
      'subname',
      'iss',
      'tokenName',
      'token_type',
      'authGrantId',
      'client_id',
      'aud',
      'nbf',
      'grant_type',
      'scope',
      'auth_time',
      'realm',
      'exp',
      'iat',
      'expires_in',
      'jti',
    ]);
    expect(claims).toEqual({
      sub: DEMO._id,
      cts: 'OAUTH2_STATELESS_GRANT',
      auth_level: 0,
      auditTrackingId: expect.any(String),
      subname: DEMO._id,
      iss: issuer(),
      tokenName: 'access_token',
      token_type: 'Bearer',
      authGrantId: expect.any(String),
      client_id: PUBLIC_CLIENT,
      aud: PUBLIC_CLIENT,
      nbf: now,
      grant_type: 'authorization_code',
      scope: ['openid', 'profile', 'email'],
      auth_time: now,
      realm: '/alpha',
      exp: now + 3600,
      iat: now,
      expires_in: 3600,
      jti: expect.any(String),
    });
    // The refresh token is of the same grant.
    const refreshClaims = decodeJwt(tokens.refresh_token as string);
    expect(refreshClaims).toMatchObject({
      tokenName: 'refresh_token',
      authGrantId: claims['authGrantId'],
      exp: now + 604_800,
    });
  });

  it('refresh rotates: new tokens of the same grant; the old refresh token is then refused (invalid_grant "grant is invalid")', async () => {
    const { tokens } = await userTokens(emulator);
    emulator.advanceClock(60);
    const renewed = await refresh(tokens.refresh_token as string);
    expect(renewed.status, renewed.text).toBe(200);
    expect(renewed.headers['content-type']).toBe('application/json;charset=UTF-8');
    const next = renewed.json as Tokens;
    expect(next.refresh_token).toBeDefined();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next).toMatchObject({ scope: 'openid profile email', token_type: 'Bearer', expires_in: 3599 });
    expect(decodeJwt(next.access_token)).toMatchObject({
      grant_type: 'refresh_token',
      authGrantId: decodeJwt(tokens.access_token)['authGrantId'],
      iat: clockSeconds(emulator),
    });

    expectOAuth2Error(await refresh(tokens.refresh_token as string), 400, 'invalid_grant', 'grant is invalid');
    // The new one works, once.
    const third = await refresh(next.refresh_token as string);
    expect(third.status, third.text).toBe(200);
    expectOAuth2Error(await refresh(next.refresh_token as string), 400, 'invalid_grant', 'grant is invalid');
  });

  it('refresh with a narrower scope narrows the new tokens', async () => {
    const { tokens } = await userTokens(emulator);
    const narrowed = await refresh(tokens.refresh_token as string, { scope: 'openid' });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.json.scope).toBe('openid');
    expect((await userinfo(emulator, narrowed.json.access_token as string)).json).toEqual({
      sub: DEMO._id,
      subname: DEMO._id,
    });
  });

  it('client_credentials for the confidential client, with Basic and with the secret posted', async () => {
    const viaBasic = await post(
      emulator,
      'access_token',
      { grant_type: 'client_credentials' },
      basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET),
    );
    const viaPost = await post(emulator, 'access_token', {
      grant_type: 'client_credentials',
      client_id: CONFIDENTIAL_CLIENT,
      client_secret: CLIENT_SECRET,
      scope: 'profile',
    });
    for (const response of [viaBasic, viaPost]) {
      expect(response.status, response.text).toBe(200);
      expect(Object.keys(response.json)).toEqual(['access_token', 'scope', 'token_type', 'expires_in']);
      const claims = decodeJwt(response.json.access_token as string);
      expect(claims).toMatchObject({
        sub: CONFIDENTIAL_CLIENT,
        client_id: CONFIDENTIAL_CLIENT,
        grant_type: 'client_credentials',
        realm: '/alpha',
      });
    }
    expect(viaBasic.json.scope).toBe('am-introspect-all-tokens');
    expect(viaPost.json.scope).toBe('profile');
  });
});

describe('introspection and revocation', () => {
  it('introspect: an active token with its grant, user and times; a token that is not one: {"active": false}', async () => {
    const { tokens } = await userTokens(emulator);
    const claims = decodeJwt(tokens.access_token);
    const active = await introspect(emulator, tokens.access_token);
    expect(active.status).toBe(200);
    expect(active.json).toEqual({
      active: true,
      scope: 'openid profile email',
      realm: '/alpha',
      client_id: PUBLIC_CLIENT,
      user_id: DEMO._id,
      username: DEMO.userName,
      token_type: 'access_token',
      exp: clockSeconds(emulator) + 3600,
      sub: DEMO._id,
      subname: DEMO._id,
      iss: issuer(),
      auth_level: 0,
      authGrantId: claims['authGrantId'],
      auditTrackingId: claims['auditTrackingId'],
      expires_in: 3600,
    });
    // Its refresh token too.
    expect((await introspect(emulator, tokens.refresh_token as string)).json).toMatchObject({
      active: true,
      token_type: 'refresh_token',
    });
    for (const token of ['not-a-token', tokens.id_token as string, `${tokens.access_token}x`]) {
      const inactive = await introspect(emulator, token);
      expect(inactive.status).toBe(200);
      expect(inactive.json).toEqual({ active: false });
    }
  });

  it("a client may introspect its own tokens, not another client's (without am-introspect-all-tokens)", async () => {
    const { tokens } = await userTokens(emulator);
    const own = await post(emulator, 'introspect', { token: tokens.access_token, client_id: PUBLIC_CLIENT });
    expect(own.json.active).toBe(true);
    const confidential = (
      await post(
        emulator,
        'access_token',
        { grant_type: 'client_credentials' },
        basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET),
      )
    ).json as Tokens;
    const other = await post(emulator, 'introspect', { token: confidential.access_token, client_id: PUBLIC_CLIENT });
    expect(other.json).toEqual({ active: false });
  });

  it('revoking an access token revokes only it: the refresh token still works', async () => {
    const { tokens } = await userTokens(emulator);
    const revoked = await post(emulator, 'token/revoke', { token: tokens.access_token, client_id: PUBLIC_CLIENT });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({});
    expect((await introspect(emulator, tokens.access_token)).json).toEqual({ active: false });
    expect((await userinfo(emulator, tokens.access_token)).status).toBe(401);
    expect((await introspect(emulator, tokens.refresh_token as string)).json.active).toBe(true);
    const renewed = await refresh(tokens.refresh_token as string);
    expect(renewed.status, renewed.text).toBe(200);
    expect((await userinfo(emulator, renewed.json.access_token as string)).status).toBe(200);
  });

  it("revoking a refresh token revokes the whole grant: its access token and every later one's", async () => {
    const { tokens } = await userTokens(emulator);
    const renewed = (await refresh(tokens.refresh_token as string)).json as Tokens;
    const revoked = await post(emulator, 'token/revoke', {
      token: renewed.refresh_token as string,
      client_id: PUBLIC_CLIENT,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({});
    for (const token of [tokens.access_token, renewed.access_token, renewed.refresh_token as string])
      expect((await introspect(emulator, token)).json).toEqual({ active: false });
    expect((await userinfo(emulator, renewed.access_token)).status).toBe(401);
    expectOAuth2Error(await refresh(renewed.refresh_token as string), 400, 'invalid_grant', 'grant is invalid');
  });

  it("revoking does not touch another grant of the same user and client, nor the user's session", async () => {
    const first = await userTokens(emulator);
    const second = await userTokens(emulator);
    await post(emulator, 'token/revoke', { token: first.tokens.refresh_token as string, client_id: PUBLIC_CLIENT });
    expect((await introspect(emulator, second.tokens.access_token)).json.active).toBe(true);
    expect(await sessionValid(first.session)).toBe(true);
  });

  it('revoking an unknown token changes nothing: 200 {}', async () => {
    const response = await post(emulator, 'token/revoke', { token: 'nothing-of-ours', client_id: PUBLIC_CLIENT });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({});
  });
});

describe('userinfo', () => {
  const claimsFor = async (scope: string, user: { userName: string; password: string } = ZOE) => {
    const { tokens } = await userTokens(emulator, { scope }, user);
    const response = await userinfo(emulator, tokens.access_token);
    expect(response.status, response.text).toBe(200);
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    return response.json as Record<string, unknown>;
  };

  it('openid alone: sub and subname (the user _id)', async () => {
    expect(await claimsFor('openid')).toEqual({ sub: ZOE._id, subname: ZOE._id });
  });

  it('profile: name, family_name, given_name, zoneinfo, locale', async () => {
    expect(await claimsFor('openid profile')).toEqual({
      name: 'Zoë Zed',
      family_name: 'Zed',
      given_name: 'Zoë',
      zoneinfo: 'Europe/Paris',
      locale: 'fr',
      sub: ZOE._id,
      subname: ZOE._id,
    });
  });

  it('email, address (formatted) and phone', async () => {
    expect(await claimsFor('openid email address phone')).toEqual({
      email: 'zoe@example.com',
      address: { formatted: '1 Main St, Springfield' },
      phone_number: '+1 555 0100',
      sub: ZOE._id,
      subname: ZOE._id,
    });
  });

  it('an attribute the user lacks leaves its claim out', async () => {
    expect(await claimsFor('openid address phone', DEMO)).toEqual({ sub: DEMO._id, subname: DEMO._id });
  });

  it('the token may also come in a POST form (access_token)', async () => {
    const { tokens } = await userTokens(emulator, { scope: 'openid email' });
    const response = await http(`${emulator.url}${OAUTH2}/userinfo`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    expect(response.status, response.text).toBe(200);
    expect(response.json.email).toBe('demo@example.com');
  });
});

describe('connect/endSession', () => {
  it('without post_logout_redirect_uri: 204, and the AM session the ID token was issued in is over', async () => {
    const { session, tokens } = await userTokens(emulator);
    expect(await sessionValid(session)).toBe(true);
    const response = await http(
      `${emulator.url}${OAUTH2}/connect/endSession?id_token_hint=${encodeURIComponent(tokens.id_token as string)}`,
    );
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await sessionValid(session)).toBe(false);
    // With the session gone, prompt=none can no longer get a code.
    const silent = await authorize(emulator, codeRequest(pkce().challenge, { prompt: 'none' }), session);
    expect(redirectParams(silent).get('error')).toBe('interaction_required');
  });

  it('with a registered post_logout_redirect_uri and state: 302 there with the state, the session ended', async () => {
    const { session, tokens } = await userTokens(emulator);
    const query = new URLSearchParams({
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: 'https://localhost:8443/',
      state: 'bye-1',
    });
    const response = await http(`${emulator.url}${OAUTH2}/connect/endSession?${query.toString()}`);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('https://localhost:8443/?state=bye-1');
    expect(await sessionValid(session)).toBe(false);
  });

  it('without state, the redirect is the registered URI as it is; a loopback one on any port', async () => {
    const { tokens } = await userTokens(emulator);
    const query = new URLSearchParams({
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: 'http://localhost:5173/',
    });
    const response = await http(`${emulator.url}${OAUTH2}/connect/endSession?${query.toString()}`);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('http://localhost:5173/');
  });

  it('by POST form too, and an expired ID token is still a good hint', async () => {
    const { session, tokens } = await userTokens(emulator);
    emulator.advanceClock(3 * 3600);
    const response = await post(emulator, 'connect/endSession', { id_token_hint: tokens.id_token as string });
    expect(response.status).toBe(204);
    expect(await sessionValid(session)).toBe(false);
  });

  it("the grant's tokens outlive the session (AIC's stateless tokens are not tied to it)", async () => {
    const { tokens } = await userTokens(emulator);
    await http(
      `${emulator.url}${OAUTH2}/connect/endSession?id_token_hint=${encodeURIComponent(tokens.id_token as string)}`,
    );
    expect((await userinfo(emulator, tokens.access_token)).status).toBe(200);
  });
});

describe('prompt and the login redirect', () => {
  it('prompt=none with a session: a code, with no login', async () => {
    const session = await login(emulator, DEMO);
    const pair = pkce();
    const response = await authorize(emulator, codeRequest(pair.challenge, { prompt: 'none' }), session);
    expect(response.status).toBe(302);
    const params = redirectParams(response);
    expect(params.get('state')).toBe('st-123');
    expect((await exchange(params.get('code') as string, pair.verifier)).status).toBe(200);
  });

  it('prompt=none without a session: back to the client with interaction_required, state kept', async () => {
    const response = await authorize(emulator, codeRequest(pkce().challenge, { prompt: 'none' }));
    expect(response.status).toBe(302);
    const location = response.headers.location as string;
    expect(location.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    expect([...redirectParams(response).entries()]).toEqual([
      ['error_description', 'The request requires some interaction that is not allowed.'],
      ['error', 'interaction_required'],
      ['state', 'st-123'],
    ]);
  });

  it('prompt=none with an expired session is the same as none', async () => {
    const session = await login(emulator, DEMO);
    emulator.advanceClock(121 * 60);
    const response = await authorize(emulator, codeRequest(pkce().challenge, { prompt: 'none' }), session);
    expect(redirectParams(response).get('error')).toBe('interaction_required');
  });

  it('no session: 302 to the XUI with the realm and a goto that, after a login, gives a code', async () => {
    const pair = pkce();
    const params = codeRequest(pair.challenge);
    const response = await authorize(emulator, params);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${emulator.url}/am/XUI/`);
    expect([...location.searchParams.keys()]).toEqual(['realm', 'goto']);
    expect(location.searchParams.get('realm')).toBe('/alpha');
    const goto = location.searchParams.get('goto') as string;
    const gotoUrl = new URL(goto);
    expect(`${gotoUrl.origin}${gotoUrl.pathname}`).toBe(`${emulator.url}${OAUTH2}/authorize`);
    expect(Object.fromEntries(gotoUrl.searchParams)).toEqual(params);

    // The login page is there.
    const page = await http(location.href);
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toMatch(/^text\/html/);

    // The login page logs in with goto; /authenticate answers it as the success URL (the tenant's own URL).
    const authenticated = await http(`${emulator.url}${ALPHA}/authenticate?goto=${encodeURIComponent(goto)}`, {
      method: 'POST',
      headers: {
        'x-openam-username': DEMO.userName,
        'x-openam-password': DEMO.password,
        'accept-api-version': 'resource=2.0, protocol=1.0',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(authenticated.status).toBe(200);
    expect(authenticated.json.successUrl).toBe(goto);
    const back = await http(goto, { headers: cookieHeader(emulator, authenticated.json.tokenId as string) });
    expect(back.status).toBe(302);
    const code = redirectParams(back).get('code') as string;
    expect(code).toBeTruthy();
    expect(redirectParams(back).get('state')).toBe('st-123');
    expect((await exchange(code, pair.verifier)).status).toBe(200);
  });

  it(
    // Fixed (was a bug in routes.ts outcomeAnswer, 'login'): the realm is sent percent-encoded (`realm=%2Falpha`);
    // AIC's login URL has `realm=/alpha` as it is (an AM XUI login URL captured in public docs).
    'the login URL reads /am/XUI/?realm=/alpha&goto=..., the realm not percent-encoded, as AIC writes it',
    async () => {
      const response = await authorize(emulator, codeRequest(pkce().challenge));
      expect(response.headers.location as string).toMatch(
        new RegExp(`^${emulator.url.replace(/[.]/g, '\\.')}/am/XUI/\\?realm=/alpha&goto=http%3A%2F%2F`),
      );
    },
  );

  it('acr_values names the journey of the login', async () => {
    const response = await authorize(emulator, codeRequest(pkce().challenge, { acr_values: 'Login' }));
    const location = new URL(response.headers.location as string);
    expect(location.searchParams.get('authIndexType')).toBe('service');
    expect(location.searchParams.get('authIndexValue')).toBe('Login');
  });

  it('prompt=login with a session: to the login page, and the goto leaves prompt out (no loop)', async () => {
    const session = await login(emulator, DEMO);
    const response = await authorize(emulator, codeRequest(pkce().challenge, { prompt: 'login' }), session);
    expect(response.status).toBe(302);
    const goto = new URL(new URL(response.headers.location as string).searchParams.get('goto') as string);
    expect(goto.searchParams.has('prompt')).toBe(false);
    expect((await http(goto.href, { headers: cookieHeader(emulator, session) })).status).toBe(302);
  });

  it('the session may come in the header named after the cookie, as AM reads it', async () => {
    const session = await login(emulator, DEMO);
    const response = await http(
      `${emulator.url}${OAUTH2}/authorize?${new URLSearchParams(codeRequest(pkce().challenge)).toString()}`,
      { headers: { [emulator.cookieName]: session } },
    );
    expect(redirectParams(response).get('code')).toBeTruthy();
  });

  it('a session of another realm is no session here: to the login page', async () => {
    const admin = await login(
      emulator,
      { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD },
      '/am/json/realms/root',
    );
    const response = await authorize(emulator, codeRequest(pkce().challenge), admin);
    expect(response.status).toBe(302);
    expect(response.headers.location as string).toContain('/am/XUI/?');
  });

  it("POST authorize with the session (frodo's way: csrf = the session token, decision=allow)", async () => {
    const session = await login(emulator, DEMO);
    const pair = pkce();
    const response = await http(`${emulator.url}${OAUTH2}/authorize`, {
      method: 'POST',
      headers: { ...FORM, ...cookieHeader(emulator, session) },
      body: new URLSearchParams({ ...codeRequest(pair.challenge), csrf: session, decision: 'allow' }).toString(),
    });
    expect(response.status).toBe(302);
    expect((await exchange(redirectParams(response).get('code') as string, pair.verifier)).status).toBe(200);
  });
});

describe('discovery and the path forms', () => {
  const REQUIRED = [
    'issuer',
    'authorization_endpoint',
    'token_endpoint',
    'jwks_uri',
    'response_types_supported',
    'subject_types_supported',
    'id_token_signing_alg_values_supported',
    'userinfo_endpoint',
  ];

  it('has every field OpenID Connect Discovery 1.0 requires, and is at issuer + /.well-known/openid-configuration', async () => {
    const response = await http(`${emulator.url}${OAUTH2}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    const document = response.json as Record<string, unknown>;
    for (const field of REQUIRED) expect(document, field).toHaveProperty(field);
    expect(document['issuer']).toBe(issuer());
    expect(document['response_types_supported']).toContain('code');
    expect(document['subject_types_supported']).toContain('public');
    expect(document['id_token_signing_alg_values_supported']).toContain('RS256');
    expect(document['code_challenge_methods_supported']).toEqual(['plain', 'S256']);
    expect(document['grant_types_supported']).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    );
    expect(document['response_modes_supported']).toEqual(expect.arrayContaining(['query', 'fragment', 'form_post']));
    // OpenID Connect Discovery §4: the document is at the issuer's own well-known URL, and says the same issuer.
    const atIssuer = await http(`${issuer()}/.well-known/openid-configuration`);
    expect(atIssuer.status).toBe(200);
    expect(atIssuer.json).toEqual(document);
  });

  it('its URLs work: a whole flow through the endpoints it names', async () => {
    const document = (await http(`${issuer()}/.well-known/openid-configuration`)).json as Record<string, string>;
    const session = await login(emulator, DEMO);
    const pair = pkce();
    const authorized = await http(
      `${document['authorization_endpoint']}?${new URLSearchParams(codeRequest(pair.challenge)).toString()}`,
      { headers: cookieHeader(emulator, session) },
    );
    const code = redirectParams(authorized).get('code') as string;
    const token = await http(document['token_endpoint'] as string, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: PUBLIC_CLIENT,
        code_verifier: pair.verifier,
      }).toString(),
    });
    expect(token.status, token.text).toBe(200);
    const tokens = token.json as Tokens;
    const jwks = await http(document['jwks_uri'] as string);
    expect(jwks.status).toBe(200);
    expect(jwks.json.keys).toHaveLength(1);
    expect(Object.keys(jwks.json.keys[0])).toEqual(['kty', 'kid', 'use', 'alg', 'n', 'e']);
    expect(jwks.json.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', e: 'AQAB' });
    expect(jwks.json.keys[0].kid).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const info = await http(document['userinfo_endpoint'] as string, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(info.json.sub).toBe(DEMO._id);
    const introspected = await http(document['introspection_endpoint'] as string, {
      method: 'POST',
      headers: { ...FORM, ...basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET) },
      body: new URLSearchParams({ token: tokens.access_token }).toString(),
    });
    expect(introspected.json.active).toBe(true);
    const revoked = await http(document['revocation_endpoint'] as string, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ token: tokens.refresh_token as string, client_id: PUBLIC_CLIENT }).toString(),
    });
    expect(revoked.status).toBe(200);
    const ended = await http(
      `${document['end_session_endpoint']}?id_token_hint=${encodeURIComponent(tokens.id_token as string)}`,
    );
    expect(ended.status).toBe(204);
  });

  it('the realm alias form (/am/oauth2/alpha/...) serves the same realm, and the forms mix', async () => {
    const session = await login(emulator, DEMO);
    const pair = pkce();
    const authorized = await authorize(emulator, codeRequest(pair.challenge), session, OAUTH2_ALIAS);
    const params = redirectParams(authorized);
    expect(params.get('iss')).toBe(issuer());
    const token = await post(
      emulator,
      'access_token',
      {
        grant_type: 'authorization_code',
        code: params.get('code') as string,
        redirect_uri: REDIRECT_URI,
        client_id: PUBLIC_CLIENT,
        code_verifier: pair.verifier,
      },
      {},
      OAUTH2_ALIAS,
    );
    expect(token.status, token.text).toBe(200);
    expect((await userinfo(emulator, token.json.access_token as string, OAUTH2)).status).toBe(200);
    expect((await userinfo(emulator, token.json.access_token as string, OAUTH2_ALIAS)).status).toBe(200);
    const aliasDocument = (await http(`${emulator.url}${OAUTH2_ALIAS}/.well-known/openid-configuration`)).json;
    const fullDocument = (await http(`${emulator.url}${OAUTH2}/.well-known/openid-configuration`)).json;
    expect(aliasDocument).toEqual(fullDocument);
  });

  it('the root realm: /am/oauth2/... and /am/oauth2/realms/root/...; its issuer is /am/oauth2', async () => {
    const short = await http(`${emulator.url}/am/oauth2/.well-known/openid-configuration`);
    const long = await http(`${emulator.url}/am/oauth2/realms/root/.well-known/openid-configuration`);
    expect(short.status).toBe(200);
    expect(long.json).toEqual(short.json);
    const document = short.json as Record<string, string>;
    expect(document['issuer']).toBe(`${emulator.url}/am/oauth2`);
    for (const field of REQUIRED) expect(document, field).toHaveProperty(field);
    expect(document['authorization_endpoint']).toBe(`${emulator.url}/am/oauth2/authorize`);
    expect(document['token_endpoint']).toBe(`${emulator.url}/am/oauth2/access_token`);
    expect((await http(document['jwks_uri'] as string)).json.keys).toHaveLength(1);
    expect((await http(document['token_endpoint'] as string)).status).toBe(405);
    // The alpha realm's clients are not the root realm's.
    const authorized = await http(
      `${document['authorization_endpoint']}?${new URLSearchParams(codeRequest(pkce().challenge)).toString()}`,
    );
    expect(authorized.status).toBe(400);
    expect(authorized.text).toContain('invalid_client');
  });

  it('a flow in the root realm with a client of its own: tokens whose issuer is /am/oauth2', async () => {
    emulator.tenant.oauth2Clients.add({
      realm: 'root',
      clientId: 'rootApp',
      redirectionUris: [REDIRECT_URI],
      scopes: ['openid', 'profile'],
    });
    const admin = await login(
      emulator,
      { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD },
      '/am/json/realms/root',
    );
    const pair = pkce();
    const authorized = await authorize(
      emulator,
      codeRequest(pair.challenge, { client_id: 'rootApp', scope: 'openid profile' }),
      admin,
      '/am/oauth2',
    );
    const params = redirectParams(authorized);
    expect(params.get('iss')).toBe(`${emulator.url}/am/oauth2`);
    const token = await post(
      emulator,
      'access_token',
      {
        grant_type: 'authorization_code',
        code: params.get('code') as string,
        redirect_uri: REDIRECT_URI,
        client_id: 'rootApp',
        code_verifier: pair.verifier,
      },
      {},
      '/am/oauth2',
    );
    expect(token.status, token.text).toBe(200);
    expect(decodeJwt(token.json.id_token as string)).toMatchObject({ iss: `${emulator.url}/am/oauth2`, realm: '/' });
  });
});
