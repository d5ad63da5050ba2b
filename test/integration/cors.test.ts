/**
 * AM's CORS filter on /am/* (emulator/http/cors.ts; AM's CORSService): preflights from accepted
 * and refused origins, methods and headers; actual requests from a refused origin are not served
 * (and change nothing: no session, no code used, no token revoked); same-origin requests pass;
 * every OAuth2 client's JavaScript origins are accepted origins, as AM adds them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_TENANT } from '../../emulator/config/demo-tenant.js';
import { http, setCookies, type RawResponse } from '../helpers/http.js';
import { ALPHA, DEMO, login, sessionsAction, startEmulator } from '../helpers/tenant.js';
import { FORM, OAUTH2, PUBLIC_CLIENT, REDIRECT_URI, codeFor, introspect, post, userTokens } from '../helpers/oauth2.js';

const ALLOWED = 'https://localhost:8443';
const SPA = 'https://spa.example.com';
const EVIL = 'https://evil.example';
const METHODS = 'GET,POST,PUT,PATCH,DELETE,HEAD';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    config: {
      oauth2: {
        clients: [
          ...DEMO_TENANT.oauth2.clients,
          {
            realm: 'alpha',
            clientId: 'spaClient',
            redirectionUris: [`${SPA}/callback`],
            scopes: ['openid'],
            javascriptOrigins: [SPA],
          },
        ],
      },
    },
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const preflight = (
  origin: string,
  method = 'POST',
  headers = 'content-type,accept-api-version',
  path = `${ALPHA}/authenticate`,
) =>
  http(`${emulator.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      ...(headers === '' ? {} : { 'access-control-request-headers': headers }),
    },
  });

const authenticateFrom = (origin: string | undefined) =>
  http(`${emulator.url}${ALPHA}/authenticate`, {
    method: 'POST',
    headers: {
      ...(origin === undefined ? {} : { origin }),
      'x-openam-username': DEMO.userName,
      'x-openam-password': DEMO.password,
      'accept-api-version': 'resource=2.0, protocol=1.0',
      'content-type': 'application/json',
    },
    body: '{}',
  });

const corsHeaders = (response: RawResponse) =>
  Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith('access-control-')));

const sessionValid = async (token: string) =>
  (await sessionsAction(emulator, 'validate', { body: { tokenId: token } })).json.valid as boolean;

function expectAcceptedPreflight(response: RawResponse, origin: string): void {
  expect(response.status).toBe(200);
  expect(response.text).toBe('');
  expect(corsHeaders(response)).toEqual({
    'access-control-allow-methods': METHODS,
    'access-control-allow-headers':
      'accept-api-version,x-requested-with,x-requested-platform,content-type,authorization,if-match,if-none-match,accept,cache-control',
    'access-control-max-age': '600',
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
  });
  expect(response.headers['vary']).toBe('Origin');
}

function expectNotServed(response: RawResponse): void {
  expect(response.status).toBe(200);
  expect(response.text).toBe('');
  expect(corsHeaders(response)).toEqual({});
  expect(setCookies(response)).toEqual([]);
}

describe('preflight', () => {
  it('from an accepted origin: 200 with the methods, headers, max age, the origin echoed and credentials', async () => {
    expectAcceptedPreflight(await preflight(ALLOWED), ALLOWED);
    expectAcceptedPreflight(await preflight(ALLOWED, 'POST', 'content-type', `${OAUTH2}/access_token`), ALLOWED);
    expectAcceptedPreflight(await preflight(ALLOWED, 'GET', 'authorization', `${OAUTH2}/userinfo`), ALLOWED);
  });

  it('header names in any case, and simple headers, are accepted; no request headers at all too', async () => {
    expectAcceptedPreflight(await preflight(ALLOWED, 'POST', 'Content-Type, Accept-API-Version, Pragma'), ALLOWED);
    expectAcceptedPreflight(await preflight(ALLOWED, 'DELETE', ''), ALLOWED);
  });

  it('a loopback origin on any port (acceptLoopbackOrigins), but not a host that only starts like one', async () => {
    expectAcceptedPreflight(await preflight('http://localhost:5173'), 'http://localhost:5173');
    expectAcceptedPreflight(await preflight('http://127.0.0.1:3000'), 'http://127.0.0.1:3000');
    for (const origin of [
      'http://localhost.evil.example:5173',
      'http://localhost:5173.evil.example',
      'http://127.0.0.1.nip.io',
      'https://localhost:5173',
      'http://localhost:5173/',
    ])
      expect(corsHeaders(await preflight(origin)), origin).toEqual({});
  });

  it('from an origin not accepted (or "null", or an accepted one with another host, port or case): 200 and no CORS headers', async () => {
    for (const origin of [
      EVIL,
      'null',
      'https://www.localhost:8443',
      'https://localhost:8444',
      'https://LOCALHOST:8443',
    ]) {
      const response = await preflight(origin);
      expect(response.status, origin).toBe(200);
      expect(response.text).toBe('');
      expect(corsHeaders(response), origin).toEqual({});
    }
  });

  it('a method not accepted: no CORS headers', async () => {
    for (const method of ['PROPFIND', 'TRACE', 'CONNECT', 'OPTIONS', 'post'])
      expect(corsHeaders(await preflight(ALLOWED, method)), method).toEqual({});
  });

  it('a request header not accepted: no CORS headers', async () => {
    for (const headers of ['x-evil', 'content-type, x-evil', 'cookie'])
      expect(corsHeaders(await preflight(ALLOWED, 'POST', headers)), headers).toEqual({});
  });
});

describe('actual requests', () => {
  it('from an accepted origin: served, with the origin, credentials and the exposed headers', async () => {
    const response = await authenticateFrom(ALLOWED);
    expect(response.status).toBe(200);
    expect(typeof response.json.tokenId).toBe('string');
    expect(corsHeaders(response)).toEqual({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'WWW-Authenticate',
    });
    expect(await emulator.tenant.sessions.count()).toBe(1);
  });

  it('from an origin not accepted: not served, and nothing changes (no session, no cookie)', async () => {
    for (const origin of [EVIL, 'null', 'http://localhost.evil.example']) {
      expectNotServed(await authenticateFrom(origin));
    }
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('a code exchange from an origin not accepted is not served: the code is still good afterwards', async () => {
    const session = await login(emulator, DEMO);
    const { code, verifier } = await codeFor(emulator, session);
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: PUBLIC_CLIENT,
      code_verifier: verifier,
    };
    expectNotServed(await post(emulator, 'access_token', form, { origin: EVIL }));
    const response = await post(emulator, 'access_token', form, { origin: ALLOWED });
    expect(response.status, response.text).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('a revocation or an endSession from an origin not accepted is not served: the token and the session live on', async () => {
    const { session, tokens } = await userTokens(emulator);
    expectNotServed(
      await post(
        emulator,
        'token/revoke',
        { token: tokens.refresh_token as string, client_id: PUBLIC_CLIENT },
        { origin: EVIL },
      ),
    );
    expect((await introspect(emulator, tokens.refresh_token as string)).json.active).toBe(true);
    expectNotServed(
      await http(
        `${emulator.url}${OAUTH2}/connect/endSession?id_token_hint=${encodeURIComponent(tokens.id_token as string)}`,
        {
          headers: { origin: EVIL },
        },
      ),
    );
    expect(await sessionValid(session)).toBe(true);
    // A session logout from there neither.
    expectNotServed(
      await sessionsAction(emulator, 'logout', {
        headers: { origin: EVIL, cookie: `${emulator.cookieName}=${session}` },
      }),
    );
    expect(await sessionValid(session)).toBe(true);
  });

  it('same-origin requests pass untouched (no CORS headers needed)', async () => {
    const response = await authenticateFrom(emulator.url);
    expect(response.status).toBe(200);
    expect(typeof response.json.tokenId).toBe('string');
    expect(corsHeaders(response)).toEqual({});
    const discovery = await http(`${emulator.url}${OAUTH2}/.well-known/openid-configuration`, {
      headers: { origin: emulator.url },
    });
    expect(discovery.status).toBe(200);
    expect(discovery.json.issuer).toBeDefined();
  });

  it('requests without an Origin pass untouched', async () => {
    const response = await authenticateFrom(undefined);
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({});
  });
});

describe("clients' JavaScript origins", () => {
  it("a client's javascriptOrigins are accepted origins: preflight and the token request", async () => {
    expectAcceptedPreflight(await preflight(SPA, 'POST', 'content-type', `${OAUTH2}/access_token`), SPA);
    const response = await post(
      emulator,
      'access_token',
      { grant_type: 'authorization_code', code: 'x', redirect_uri: `${SPA}/callback`, client_id: 'spaClient' },
      { origin: SPA },
    );
    // Served (AM's error answer for an unknown code), with the CORS headers.
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_request');
    expect(response.headers['access-control-allow-origin']).toBe(SPA);
  });

  it('a client added at run time brings its origins; a removed one takes them away', async () => {
    const origin = 'https://later.example.com';
    expect(corsHeaders(await preflight(origin))).toEqual({});
    emulator.tenant.oauth2Clients.add({ realm: 'alpha', clientId: 'later', javascriptOrigins: [origin] });
    expectAcceptedPreflight(await preflight(origin), origin);
    emulator.tenant.oauth2Clients.remove('/alpha', 'spaClient');
    expect(corsHeaders(await preflight(SPA))).toEqual({});
  });

  it('a JavaScript origin of a client does not make its neighbours accepted', async () => {
    for (const origin of ['https://spa.example.com:444', 'http://spa.example.com', 'https://evil.spa.example.com'])
      expect(corsHeaders(await preflight(origin)), origin).toEqual({});
  });
});

describe('a tenant whose CORS configuration names no origins', () => {
  it("accepts only its clients' JavaScript origins", async () => {
    const strict = await startEmulator({
      config: {
        cors: [
          {
            id: 'strict',
            enabled: true,
            acceptedOrigins: [],
            acceptedMethods: ['POST'],
            acceptedHeaders: ['content-type'],
            exposedHeaders: [],
            allowCredentials: false,
            maxAge: 0,
          },
        ],
        oauth2: {
          clients: [{ realm: 'alpha', clientId: 'spa', redirectionUris: [`${SPA}/cb`], javascriptOrigins: [SPA] }],
        },
      },
    });
    try {
      const accepted = await http(`${strict.url}${OAUTH2}/access_token`, {
        method: 'OPTIONS',
        headers: {
          origin: SPA,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      // No credentials: the origin is echoed without Allow-Credentials (AM's addOriginAndCredsHeaders), no max age.
      expect(corsHeaders(accepted)).toEqual({
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        'access-control-allow-origin': SPA,
      });
      const refused = await http(`${strict.url}${OAUTH2}/access_token`, {
        method: 'POST',
        headers: { origin: 'http://localhost:5173', ...FORM },
        body: 'grant_type=client_credentials',
      });
      expect(refused.status).toBe(200);
      expect(refused.text).toBe('');
      // GET is not an accepted method there: not served even from the accepted origin.
      const get = await http(`${strict.url}${OAUTH2}/.well-known/openid-configuration`, { headers: { origin: SPA } });
      expect(get.text).toBe('');
    } finally {
      await strict.close();
    }
  });
});
