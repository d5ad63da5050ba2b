/**
 * Hostile requests at the OAuth2 provider: megabyte and repeated parameters, garbled Basic
 * credentials, forged and foreign JWTs (alg none, HS256 keyed with the public key, another
 * realm's or another tenant's), prototype-named client ids, redirect URIs that are not the
 * registered ones and open redirects (post_logout_redirect_uri, the login `goto`). Each gets an
 * AM-shaped refusal, quickly, and the server lives on: never a 500, a hang or a crash.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt, exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/config/demo-tenant.js';
import { http } from '../helpers/http.js';
import { rawRequest } from '../helpers/raw-socket.js';
import { ALPHA, BJENSEN, DEMO, login, sessionsAction, startEmulator } from '../helpers/tenant.js';
import {
  CLIENT_AUTH_FAILED,
  CLIENT_SECRET,
  CONFIDENTIAL_CLIENT,
  FORM,
  INVALID_GRANT,
  INVALID_TOKEN,
  MISMATCH,
  OAUTH2,
  PUBLIC_CLIENT,
  REDIRECT_URI,
  authorize,
  basic,
  codeFor,
  codeRequest,
  cookieHeader,
  expectErrorPage,
  expectOAuth2Error,
  introspect,
  pkce,
  post,
  redirectParams,
  userTokens,
  userinfo,
} from '../helpers/oauth2.js';

const MEGABYTE = 'a'.repeat(1_000_000);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
// Whatever a test sent, the server still answers.
afterEach(async () => {
  const alive = await http(`${emulator.url}${OAUTH2}/.well-known/openid-configuration`);
  expect(alive.status).toBe(200);
});

/** The request is answered within a few seconds (a hang fails here rather than at the test timeout). */
async function quickly<T>(request: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sessionValid = async (token: string) =>
  (await sessionsAction(emulator, 'validate', { body: { tokenId: token } })).json.valid as boolean;
const endSession = (hint: string, extra: Record<string, string> = {}, target: Emulator = emulator) =>
  http(
    `${target.url}${OAUTH2}/connect/endSession?${new URLSearchParams({ id_token_hint: hint, ...extra }).toString()}`,
  );
const postAuthorize = (session: string, form: Record<string, string> | string) =>
  http(`${emulator.url}${OAUTH2}/authorize`, {
    method: 'POST',
    headers: { ...FORM, ...cookieHeader(emulator, session) },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });

describe('a megabyte in a parameter', () => {
  const tokenCases: [
    string,
    (code: string, verifier: string) => Record<string, string>,
    Record<string, string>,
    string,
    string,
  ][] = [
    [
      'grant_type',
      () => ({ grant_type: MEGABYTE, client_id: PUBLIC_CLIENT }),
      {},
      'unsupported_grant_type',
      'Grant type is not supported',
    ],
    [
      'client_id',
      () => ({ grant_type: 'client_credentials', client_id: MEGABYTE }),
      {},
      'invalid_client',
      CLIENT_AUTH_FAILED,
    ],
    [
      'client_secret',
      () => ({ grant_type: 'client_credentials', client_id: CONFIDENTIAL_CLIENT, client_secret: MEGABYTE }),
      {},
      'invalid_client',
      CLIENT_AUTH_FAILED,
    ],
    [
      'code',
      (_code, verifier) => ({
        grant_type: 'authorization_code',
        code: MEGABYTE,
        redirect_uri: REDIRECT_URI,
        client_id: PUBLIC_CLIENT,
        code_verifier: verifier,
      }),
      {},
      'invalid_request',
      "Authorization code doesn't exist.",
    ],
    [
      'redirect_uri',
      (code, verifier) => ({
        grant_type: 'authorization_code',
        code,
        redirect_uri: MEGABYTE,
        client_id: PUBLIC_CLIENT,
        code_verifier: verifier,
      }),
      {},
      'invalid_grant',
      INVALID_GRANT,
    ],
    [
      'code_verifier',
      (code) => ({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: PUBLIC_CLIENT,
        code_verifier: MEGABYTE,
      }),
      {},
      'invalid_grant',
      INVALID_GRANT,
    ],
    [
      'refresh_token',
      () => ({ grant_type: 'refresh_token', refresh_token: MEGABYTE, client_id: PUBLIC_CLIENT }),
      {},
      'invalid_grant',
      'grant is invalid',
    ],
  ];

  it.each(tokenCases)("access_token, %s: AM's refusal", async (_name, form, headers, error, description) => {
    const { code, verifier } = await codeFor(emulator, await login(emulator, DEMO));
    const response = await quickly(post(emulator, 'access_token', form(code, verifier), headers));
    expectOAuth2Error(response, 400, error, description);
  });

  it('access_token, scope: invalid_scope naming what was asked', async () => {
    const response = await quickly(
      post(
        emulator,
        'access_token',
        { grant_type: 'client_credentials', scope: MEGABYTE },
        basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET),
      ),
    );
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_scope');
    expect(response.json.error_description).toMatch(/^Unknown\/invalid scope\(s\): \[a+\]$/);
  });

  it('introspect, revoke, userinfo, endSession: inactive, nothing, 401, 400', async () => {
    expect((await quickly(introspect(emulator, MEGABYTE))).json).toEqual({ active: false });
    const revoked = await quickly(post(emulator, 'token/revoke', { token: MEGABYTE, client_id: PUBLIC_CLIENT }));
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({});
    expectOAuth2Error(
      await quickly(post(emulator, 'userinfo', { access_token: MEGABYTE })),
      401,
      'invalid_token',
      INVALID_TOKEN,
    );
    const ended = await quickly(post(emulator, 'connect/endSession', { id_token_hint: MEGABYTE }));
    expect(ended.status).toBe(400);
    expect(ended.json.error).toBe('server_error');
    const { session, tokens } = await userTokens(emulator);
    const target = await quickly(
      post(emulator, 'connect/endSession', {
        id_token_hint: tokens.id_token as string,
        post_logout_redirect_uri: `https://localhost:8443/${MEGABYTE}`,
      }),
    );
    expectOAuth2Error(target, 400, 'redirect_uri_mismatch', MISMATCH);
    expect(await sessionValid(session)).toBe(false);
  });

  it('authorize by GET: the URL is over what the server reads, an AM-shaped 431', async () => {
    const response = await quickly(
      http(`${emulator.url}${OAUTH2}/authorize?client_id=${PUBLIC_CLIENT}&state=${MEGABYTE}`),
    );
    expect(response.status).toBe(431);
    expect(response.json).toMatchObject({ code: 431 });
  });

  it('authorize by POST: client_id and redirect_uri get the error page; response_type, response_mode, code_challenge are handled', async () => {
    const session = await login(emulator, DEMO);
    const base = codeRequest(pkce().challenge);
    expectErrorPage(
      await quickly(postAuthorize(session, { ...base, client_id: MEGABYTE })),
      400,
      'invalid_client',
      CLIENT_AUTH_FAILED,
    );
    expectErrorPage(
      await quickly(postAuthorize(session, { ...base, redirect_uri: MEGABYTE })),
      400,
      'redirect_uri_mismatch',
      MISMATCH,
    );
    expect(
      redirectParams(await quickly(postAuthorize(session, { ...base, response_type: MEGABYTE }))).get('error'),
    ).toBe('unsupported_response_type');
    expect(
      redirectParams(await quickly(postAuthorize(session, { ...base, response_mode: MEGABYTE }))).get('code'),
    ).toBeTruthy();
    const code = redirectParams(await quickly(postAuthorize(session, { ...base, code_challenge: MEGABYTE }))).get(
      'code',
    ) as string;
    const exchanged = await quickly(
      post(emulator, 'access_token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: PUBLIC_CLIENT,
        code_verifier: 'x',
      }),
    );
    expectOAuth2Error(exchanged, 400, 'invalid_grant', INVALID_GRANT);
  });

  it.each(['state', 'scope', 'prompt', 'acr_values'])(
    // Fixed (was a bug in routes.ts outcomeAnswer / authorize.ts): authorize copies request values (state, the
    // unknown scopes, the bad prompt, acr_values into the login URL) into the Location header
    // without a bound, so a POST with a megabyte value is answered with a megabyte Location that no
    // HTTP client or browser reads (undici: HeadersOverflowError; Chrome: ERR_RESPONSE_HEADERS_TOO_BIG).
    'authorize by POST, %s: an answer a client can read, not a megabyte Location',
    async (name) => {
      const session = await login(emulator, DEMO);
      const response = await quickly(
        name === 'acr_values'
          ? http(`${emulator.url}${OAUTH2}/authorize`, {
              method: 'POST',
              headers: FORM,
              body: new URLSearchParams({ ...codeRequest(pkce().challenge), acr_values: MEGABYTE }).toString(),
            })
          : postAuthorize(session, { ...codeRequest(pkce().challenge), [name]: MEGABYTE }),
      );
      expect(response.status).toBeLessThan(500);
    },
  );

  it('a body over the limit: an AM-shaped 413', async () => {
    const response = await quickly(
      post(emulator, 'access_token', { grant_type: 'client_credentials', scope: MEGABYTE.repeat(2) }),
    );
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ code: 413 });
  });
});

describe('repeated parameters', () => {
  it('thirty thousand grant_type=client_credentials: the first one counts', async () => {
    const body = Array.from({ length: 30_000 }, () => 'grant_type=client_credentials').join('&');
    const response = await quickly(post(emulator, 'access_token', body, basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET)));
    expect(response.status).toBe(200);
  });

  it('client_id twice, the second a confidential one: the first (public) client, which cannot use client_credentials', async () => {
    const response = await post(
      emulator,
      'access_token',
      `grant_type=client_credentials&client_id=${PUBLIC_CLIENT}&client_id=${CONFIDENTIAL_CLIENT}&client_secret=${CLIENT_SECRET}`,
    );
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('unauthorized_client');
  });

  it('sixty thousand parameters at introspect and revoke: answered, no 5xx', async () => {
    const noise = Array.from({ length: 60_000 }, (_, i) => `p${i}=${i}`).join('&');
    const introspected = await quickly(
      post(emulator, 'introspect', `token=x&${noise}`, basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET)),
    );
    expect(introspected.json).toEqual({ active: false });
    const revoked = await quickly(post(emulator, 'token/revoke', `token=x&client_id=${PUBLIC_CLIENT}&${noise}`));
    expect(revoked.status).toBe(200);
  });

  it.each(['authorize', 'connect/endSession'])(
    // Fixed (was a bug in http/oauth2/routes.ts merged): the form is merged into the query with
    // `if (!all.has(name)) all.append(...)`, and URLSearchParams.has scans every parameter, so a
    // POST of n distinct names costs n²: 20,000 take seconds, the megabyte the body limit allows
    // (some 250,000 names) hours, with the event loop blocked for every client. Keep the names seen
    // in a Set.
    'POST %s with 16,000 distinct parameters costs within a small factor of one parameter of the same size',
    async (endpoint) => {
      const many = `${endpoint === 'authorize' ? 'client_id' : 'id_token_hint'}=x&${Array.from({ length: 16_000 }, (_, i) => `p${i}=${i}`).join('&')}`;
      const one = `${endpoint === 'authorize' ? 'client_id' : 'id_token_hint'}=x&p=${'0'.repeat(many.length)}`;
      // Best of three each, side by side (absolute times mean nothing on a shared machine).
      const best = async (body: string) => {
        let fastest = Infinity;
        for (let round = 0; round < 3; round += 1) {
          const started = performance.now();
          await post(emulator, endpoint, body);
          fastest = Math.min(fastest, performance.now() - started);
        }
        return fastest;
      };
      await best(one);
      // Linear parsing and merging: within a small factor (about 10 here); the quadratic merge: hundreds.
      expect((await best(many)) / (await best(one))).toBeLessThan(50);
    },
    60_000,
  );

  it('the same scope ten thousand times at authorize: no 5xx, and never more than the client may have', async () => {
    const session = await login(emulator, DEMO);
    const body = `${new URLSearchParams(codeRequest(pkce().challenge)).toString()}&${'scope=openid&'.repeat(10_000)}scope=fr:idm:*`;
    const response = await quickly(postAuthorize(session, body));
    expect(response.status).toBeLessThan(500);
  });
});

describe('Basic credentials, garbled', () => {
  const encoded = (text: string | Buffer) => `Basic ${Buffer.from(text).toString('base64')}`;
  it.each([
    ['not base64', 'Basic !!!not*base64!!!'],
    ['no colon', encoded('demoConfidentialClient')],
    ['only a colon', encoded(':')],
    ['a bare %', encoded('demoConfidentialClient%:x')],
    ['a broken escape', encoded('%E0%A4%A:%ZZ')],
    ['invalid UTF-8', encoded(Buffer.from([0xff, 0xfe, 0x3a, 0xc3, 0x28]))],
    ['twelve kilobytes', `Basic ${'QUFB'.repeat(3_000)}`],
    ['__proto__', encoded('__proto__:x')],
    ['constructor', encoded('constructor:x')],
    ['NUL bytes', encoded('demoConfidentialClient\u0000:x')],
  ])('%s: 401 invalid_client with the Basic challenge', async (_name, authorization) => {
    for (const [endpoint, form] of [
      ['access_token', { grant_type: 'client_credentials' }],
      ['introspect', { token: 'x' }],
      ['token/revoke', { token: 'x' }],
    ] as const) {
      const response = await quickly(post(emulator, endpoint, form, { authorization }));
      expectOAuth2Error(response, 401, 'invalid_client', CLIENT_AUTH_FAILED);
      expect(response.headers['www-authenticate']).toBe('Basic realm="/alpha"');
    }
  });

  it.each([
    ['Basic with nothing after it', 'Basic'],
    ['Basic with two words', 'Basic abc def'],
    ['another scheme', 'Bearer abc'],
    ['Digest', 'Digest username="demoConfidentialClient"'],
  ])('%s: no client named, 400 invalid_client', async (_name, authorization) => {
    expectOAuth2Error(
      await post(emulator, 'access_token', { grant_type: 'client_credentials' }, { authorization }),
      400,
      'invalid_client',
      CLIENT_AUTH_FAILED,
    );
  });

  it('percent-escapes in Basic are form-decoded (RFC 6749 §2.3.1): the client authenticates', async () => {
    const escapedId = `%64emo${CONFIDENTIAL_CLIENT.slice(4)}`;
    const escapedSecret = CLIENT_SECRET.replace(/-/g, '%2D');
    const response = await post(
      emulator,
      'access_token',
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${Buffer.from(`${escapedId}:${escapedSecret}`).toString('base64')}` },
    );
    expect(response.status, response.text).toBe(200);
  });
});

describe('forged and foreign tokens', () => {
  const unsigned = (token: string, changes: Record<string, unknown> = {}) =>
    `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url({ ...decodeJwt(token), ...changes })}.`;

  it('alg none (claims of a real token, the subject changed): refused everywhere', async () => {
    const { session, tokens } = await userTokens(emulator);
    for (const token of [unsigned(tokens.access_token), unsigned(tokens.access_token, { sub: BJENSEN._id })]) {
      expectOAuth2Error(await userinfo(emulator, token), 401, 'invalid_token', INVALID_TOKEN);
      expect((await introspect(emulator, token)).json).toEqual({ active: false });
    }
    expectOAuth2Error(
      await post(emulator, 'access_token', {
        grant_type: 'refresh_token',
        refresh_token: unsigned(tokens.refresh_token as string),
        client_id: PUBLIC_CLIENT,
      }),
      400,
      'invalid_grant',
      'grant is invalid',
    );
    // A revocation of the forged refresh token revokes nothing.
    await post(emulator, 'token/revoke', { token: unsigned(tokens.refresh_token as string), client_id: PUBLIC_CLIENT });
    expect((await introspect(emulator, tokens.refresh_token as string)).json.active).toBe(true);
    const ended = await endSession(unsigned(tokens.id_token as string));
    expect(ended.status).toBe(400);
    expect(ended.json.error).toBe('server_error');
    expect(await sessionValid(session)).toBe(true);
  });

  it('HS256 keyed with the public key (PEM, JWK JSON, modulus): refused as an ID token hint and as an access token', async () => {
    const { session, tokens } = await userTokens(emulator);
    const jwk = (await http(`${emulator.url}${OAUTH2}/connect/jwk_uri`)).json.keys[0] as JWK;
    const publicKey = await importJWK({ kty: 'RSA', n: jwk.n as string, e: jwk.e as string }, 'RS256', {
      extractable: true,
    });
    const secrets = [
      new TextEncoder().encode(await exportSPKI(publicKey)),
      new TextEncoder().encode(JSON.stringify(jwk)),
      Buffer.from(jwk.n as string, 'base64url'),
    ];
    for (const secret of secrets) {
      const idToken = await new SignJWT(decodeJwt(tokens.id_token as string))
        .setProtectedHeader({ typ: 'JWT', kid: jwk.kid as string, alg: 'HS256' })
        .sign(secret);
      const ended = await endSession(idToken);
      expect(ended.status).toBe(400);
      expect(ended.json.error).toBe('server_error');
      const accessToken = await new SignJWT({ ...decodeJwt(tokens.access_token), sub: BJENSEN._id })
        .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
        .sign(secret);
      expectOAuth2Error(await userinfo(emulator, accessToken), 401, 'invalid_token', INVALID_TOKEN);
    }
    expect(await sessionValid(session)).toBe(true);
  });

  it("signed with the attacker's RSA key, naming our kid and carrying its own jwk/jku: refused", async () => {
    const { session, tokens } = await userTokens(emulator);
    const kid = (await http(`${emulator.url}${OAUTH2}/connect/jwk_uri`)).json.keys[0].kid as string;
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const forged = await new SignJWT(decodeJwt(tokens.id_token as string))
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid, jwk: attackerJwk, jku: 'https://evil.example/jwks' })
      .sign(attacker.privateKey);
    const ended = await endSession(forged);
    expect(ended.status).toBe(400);
    expect(await sessionValid(session)).toBe(true);
  });

  it('a real token tampered with, truncated or with a segment more: refused', async () => {
    const { tokens } = await userTokens(emulator);
    const [header, payload, signature] = tokens.access_token.split('.') as [string, string, string];
    // The second-to-last character changed (the last one carries unused bits, and may decode alike).
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.slice(-1)}`;
    expect(flipped).not.toBe(signature);
    for (const token of [
      `${header}.${payload}.${flipped}`,
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.${signature}`,
      `${header}.${b64url({ ...decodeJwt(tokens.access_token), scope: ['openid', 'profile', 'email', 'address'] })}.${signature}`,
      tokens.access_token.replace(/\./g, '..'),
    ]) {
      expectOAuth2Error(await userinfo(emulator, token), 401, 'invalid_token', INVALID_TOKEN);
      expect((await introspect(emulator, token)).json).toEqual({ active: false });
    }
  });

  it("another realm's tokens (the root realm's): refused in alpha, and alpha's revocation leaves them be", async () => {
    emulator.tenant.oauth2Clients.add({
      realm: 'root',
      clientId: 'rootApp',
      clientSecret: 'r00t-secret',
      redirectionUris: [REDIRECT_URI],
      scopes: ['openid', 'profile'],
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    });
    const rootTokens = (
      await post(
        emulator,
        'access_token',
        { grant_type: 'client_credentials', scope: 'profile' },
        basic('rootApp', 'r00t-secret'),
        '/am/oauth2',
      )
    ).json;
    expectOAuth2Error(await userinfo(emulator, rootTokens.access_token as string), 401, 'invalid_token', INVALID_TOKEN);
    expect((await introspect(emulator, rootTokens.access_token as string)).json).toEqual({ active: false });
    const revoked = await post(
      emulator,
      'token/revoke',
      { token: rootTokens.access_token as string },
      basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET),
    );
    expect(revoked.json).toEqual({});
    const atRoot = await post(
      emulator,
      'introspect',
      { token: rootTokens.access_token as string },
      basic('rootApp', 'r00t-secret'),
      '/am/oauth2',
    );
    expect(atRoot.json.active).toBe(true);

    // A root user's ID token cannot end anyone's session in alpha.
    const admin = await login(
      emulator,
      { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD },
      '/am/json/realms/root',
    );
    const pair = pkce();
    const code = redirectParams(
      await authorize(
        emulator,
        codeRequest(pair.challenge, { client_id: 'rootApp', scope: 'openid' }),
        admin,
        '/am/oauth2',
      ),
    ).get('code') as string;
    const rootUser = (
      await post(
        emulator,
        'access_token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pair.verifier },
        basic('rootApp', 'r00t-secret'),
        '/am/oauth2',
      )
    ).json;
    const ended = await endSession(rootUser.id_token as string);
    expect(ended.status).toBe(400);
    expect(await sessionValid(admin)).toBe(true);
    expectOAuth2Error(
      await post(emulator, 'access_token', {
        grant_type: 'refresh_token',
        refresh_token: rootUser.refresh_token as string,
        client_id: PUBLIC_CLIENT,
      }),
      400,
      'invalid_grant',
      'grant is invalid',
    );
  });

  it("another tenant's tokens (another emulator, same realm and client names): refused", async () => {
    const other = await startEmulator();
    try {
      const { session: otherSession, tokens } = await userTokens(other);
      const mine = await userTokens(emulator);
      expectOAuth2Error(await userinfo(emulator, tokens.access_token), 401, 'invalid_token', INVALID_TOKEN);
      expect((await introspect(emulator, tokens.access_token)).json).toEqual({ active: false });
      expectOAuth2Error(
        await post(emulator, 'access_token', {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token as string,
          client_id: PUBLIC_CLIENT,
        }),
        400,
        'invalid_grant',
        'grant is invalid',
      );
      const ended = await endSession(tokens.id_token as string);
      expect(ended.status).toBe(400);
      expect(await sessionValid(mine.session)).toBe(true);
      // And the other way round.
      expect((await userinfo(other, mine.tokens.access_token)).status).toBe(401);
      expect((await endSession(mine.tokens.id_token as string, {}, other)).status).toBe(400);
      expect((await sessionsAction(other, 'validate', { body: { tokenId: otherSession } })).json.valid).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('a 15,000-character id_token_hint by GET and a well-formed JWT with a huge payload: 400, quickly', async () => {
    const long = await quickly(endSession('x'.repeat(15_000)));
    expect(long.status).toBe(400);
    expect(long.json.error).toBe('server_error');
    const huge = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ pad: 'p'.repeat(700_000) })}.${'s'.repeat(342)}`;
    const posted = await quickly(post(emulator, 'connect/endSession', { id_token_hint: huge }));
    expect(posted.status).toBe(400);
    expect(posted.json.error).toBe('server_error');
    expectOAuth2Error(
      await quickly(post(emulator, 'userinfo', { access_token: huge })),
      401,
      'invalid_token',
      INVALID_TOKEN,
    );
  });
});

describe('prototype-named client ids, realms and parameters', () => {
  const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

  it.each(NAMES)('client_id %s: the error page at authorize, invalid_client at the token endpoints', async (name) => {
    const session = await login(emulator, DEMO);
    expectErrorPage(
      await authorize(emulator, codeRequest(pkce().challenge, { client_id: name }), session),
      400,
      'invalid_client',
      CLIENT_AUTH_FAILED,
    );
    expectOAuth2Error(
      await post(emulator, 'access_token', {
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: REDIRECT_URI,
        client_id: name,
      }),
      400,
      'invalid_client',
      CLIENT_AUTH_FAILED,
    );
    expectOAuth2Error(
      await post(emulator, 'introspect', { token: 'x', client_id: name }),
      400,
      'invalid_client',
      CLIENT_AUTH_FAILED,
    );
    const viaBasic = await post(emulator, 'access_token', { grant_type: 'client_credentials' }, basic(name, ''));
    expectOAuth2Error(viaBasic, 401, 'invalid_client', CLIENT_AUTH_FAILED);
  });

  it.each(NAMES)('realm %s in every path form: 404', async (name) => {
    for (const path of [
      `/am/oauth2/${name}/authorize`,
      `/am/oauth2/realms/root/realms/${name}/access_token`,
      `/am/oauth2/${name}/.well-known/openid-configuration`,
    ]) {
      const response = await http(`${emulator.url}${path}`, { method: path.endsWith('access_token') ? 'POST' : 'GET' });
      expect(response.status, path).toBe(404);
      expect(response.json).toEqual({ code: 404, reason: 'Not Found', message: 'Not Found' });
    }
  });

  it('parameters named __proto__ and constructor are parameters like any other', async () => {
    const response = await post(
      emulator,
      'access_token',
      '__proto__=x&constructor=y&__proto__[scope]=openid&grant_type=client_credentials',
      basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET),
    );
    expect(response.status).toBe(200);
    expect(response.json.scope).toBe('am-introspect-all-tokens');
  });

  it('a client registered as __proto__ is a client like any other, and makes no other name one', async () => {
    emulator.tenant.oauth2Clients.add({
      realm: 'alpha',
      clientId: '__proto__',
      redirectionUris: [REDIRECT_URI],
      scopes: ['openid'],
    });
    const session = await login(emulator, DEMO);
    const { code, verifier } = await codeFor(emulator, session, { client_id: '__proto__', scope: 'openid' });
    const response = await post(emulator, 'access_token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: '__proto__',
      code_verifier: verifier,
    });
    expect(response.status, response.text).toBe(200);
    expect(decodeJwt(response.json.access_token as string).client_id).toBe('__proto__');
    expectErrorPage(
      await authorize(emulator, codeRequest(pkce().challenge, { client_id: 'constructor' }), session),
      400,
      'invalid_client',
      CLIENT_AUTH_FAILED,
    );
  });
});

describe('redirect URIs that are not the registered ones', () => {
  it.each([
    'javascript:alert(document.domain)',
    'javascript://localhost/callback%0Aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://localhost:8443/callback#access_token=x',
    'https://localhost:8443/callback.evil.example',
    'https://localhost:8443@evil.example/callback',
    'http://localhost:3000@evil.example/callback',
    'http://localhost.evil.example:3000/callback',
    'http://localhost:3000/callback/../../evil',
    '//evil.example/callback',
    'https://evil.example/callback',
  ])('%s: the error page, never a redirect', async (redirectUri) => {
    const session = await login(emulator, DEMO);
    expectErrorPage(
      await authorize(emulator, codeRequest(pkce().challenge, { redirect_uri: redirectUri }), session),
      400,
      'redirect_uri_mismatch',
      MISMATCH,
    );
  });

  it.each([
    ['CR LF', 'http://localhost:3000/call\r\nback'],
    ['NUL', 'http://localhost:3000/callback\u0000'],
  ])(
    // Fixed (was a bug in state/oauth2/clients.ts redirectUriMatches, withoutLoopbackPort): the loopback match
    // compares the WHATWG-parsed URL, which drops CR, LF, tab and trailing control characters, so
    // `http://localhost:3000/call\r\nback` "matches" http://localhost/callback and is then written
    // raw into Location; Node refuses the header (ERR_INVALID_CHAR) and the answer is a 500 (in
    // Fastify's shape, not AM's). The raw URI should be refused (error page, redirect_uri_mismatch).
    'a loopback redirect_uri with %s, which the URL parser strips: the error page, not a 500',
    async (_name, redirectUri) => {
      const session = await login(emulator, DEMO);
      const response = await authorize(emulator, codeRequest(pkce().challenge, { redirect_uri: redirectUri }), session);
      expectErrorPage(response, 400, 'redirect_uri_mismatch', MISMATCH);
    },
  );
});

describe('open redirects', () => {
  it.each([
    'https://evil.example/',
    '//evil.example/',
    'https://localhost:8443@evil.example/',
    'https://localhost:8443.evil.example/',
    'http://localhost:3000@evil.example/',
    'javascript:alert(1)',
    'https://localhost:8443/#@evil.example',
  ])('post_logout_redirect_uri %s: refused, no Location', async (target) => {
    const { tokens } = await userTokens(emulator);
    const response = await endSession(tokens.id_token as string, { post_logout_redirect_uri: target, state: 's' });
    expect(response.status).toBe(400);
    expect(['redirect_uri_mismatch', 'relative_redirect_uri']).toContain(response.json.error);
    expect(response.headers.location).toBeUndefined();
  });

  it(
    // Fixed (was a bug in oauth2/end-session.ts endSession): the same loopback matching as at authorize, and then
    // the raw URI (without state) goes into Location: CR LF gives a 500 (ERR_INVALID_CHAR). Compare
    // and redirect to the same string: refuse a URI whose `new URL(target).href` is not `target`
    // modulo the loopback port, or redirect to the parsed href.
    'post_logout_redirect_uri with CR LF that the URL parser strips: a 400, not a 500',
    async () => {
      const { tokens } = await userTokens(emulator);
      const response = await endSession(tokens.id_token as string, {
        post_logout_redirect_uri: 'http://localhost:3000/call\r\nback',
      });
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('redirect_uri_mismatch');
    },
  );

  const loginWithGoto = (goto: string) =>
    http(`${emulator.url}${ALPHA}/authenticate?goto=${encodeURIComponent(goto)}`, {
      method: 'POST',
      headers: {
        'x-openam-username': DEMO.userName,
        'x-openam-password': DEMO.password,
        'accept-api-version': 'resource=2.0, protocol=1.0',
        'content-type': 'application/json',
      },
      body: '{}',
    });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    'http://127.0.0.1.evil.example/',
    'http://evil.example\\@127.0.0.1/',
    'javascript:alert(1)',
    'data:text/html,x',
  ])('the login goto %s: not followed, the realm success URL instead', async (goto) => {
    const response = await loginWithGoto(goto);
    expect(response.status).toBe(200);
    expect(response.json.successUrl).toBe('/enduser/?realm=/alpha');
  });

  it("the login goto back to authorize (the tenant's own URL) is kept", async () => {
    const goto = `${emulator.url}${OAUTH2}/authorize?client_id=${PUBLIC_CLIENT}`;
    expect((await loginWithGoto(goto)).json.successUrl).toBe(goto);
  });

  it.each(['/\\evil.example/', '/\t/evil.example/', '/\\/evil.example'])(
    // Fixed (was a bug in journeys/engine.ts allowedRedirect): a "relative path" is any value starting with one
    // `/`; browsers read `/\evil.example` (and `/<tab>/evil.example`, the tab dropped) as the
    // protocol-relative `//evil.example`, an open redirect. AM parses goto with java.net.URI, which
    // refuses `\` and control characters, so AM falls back to the success URL.
    'the login goto %j: not followed (a browser reads it as //evil.example)',
    async (goto) => {
      const response = await loginWithGoto(goto);
      expect(response.json.successUrl).toBe('/enduser/?realm=/alpha');
    },
  );
});

describe('a Host header the URL parser refuses', () => {
  it(
    // Fixed (was a bug in http/oauth2/routes.ts originOf, used by authorize.ts for the login goto:
    // `new URL(request.url)` throws on `http://bad host/...`): the login redirect is a 500. The
    // origin should be checked (or the request refused as a 400) before it is used to build URLs.
    'authorize without a session, Host "bad host": an AM-shaped 400, not a 500',
    async () => {
      const request = `GET ${OAUTH2}/authorize?${new URLSearchParams(codeRequest(pkce().challenge)).toString()} HTTP/1.1\r\nHost: bad host\r\nConnection: close\r\n\r\n`;
      const answer = await quickly(rawRequest(emulator.url, request));
      expect(answer.status).toBe(400);
    },
  );

  it('the other endpoints are not thrown by it', async () => {
    const answer = await quickly(
      rawRequest(
        emulator.url,
        `GET ${OAUTH2}/.well-known/openid-configuration HTTP/1.1\r\nHost: bad host\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(answer.status).toBeLessThan(500);
  });
});
