/**
 * Parity with recorded AIC traffic (frodo's test recordings of AIC tenants, MIT; read from `reference/recordings` in
 * the shared folder, see test/helpers/optional.ts): each supported exchange is replayed against the emulator,
 * configured like the recorded tenant (cookie domains, Host), and compared on status, content-type,
 * content-api-version, Set-Cookie attributes and the body's shape. Tenant-specific values (tokens, ids, times, the
 * cookie name) are compared by format.
 *
 * Not replayed yet: the callback login (a journey with callbacks) and the 2-step-verification
 * page of the admin login; the realm-config services (not part of the emulated surface).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/config/demo-tenant.js';
import { hasShared, sharedPath } from '../helpers/optional.js';
import { http, setCookies, type RawResponse } from '../helpers/http.js';
import { cookieShape, loadHar, shapeDifferences, type HarExchange } from '../helpers/har.js';
import { DEMO, login, ROOT } from '../helpers/tenant.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';

const available = hasShared();
const recording = (name: string) => loadHar(sharedPath('reference', 'recordings', name));

/**
 * The recorded tenant's "PasswordGrant" journey: one page asking for username and password (no
 * header or description, as the recording shows), then Data Store Decision.
 */
function passwordGrantJourney(): Record<string, unknown> {
  const page = 'a0000000-0000-4000-8000-000000000001';
  const username = 'a0000000-0000-4000-8000-000000000002';
  const password = 'a0000000-0000-4000-8000-000000000003';
  const decision = 'a0000000-0000-4000-8000-000000000004';
  return {
    trees: {
      PasswordGrant: treeExport({
        name: 'PasswordGrant',
        description: 'username and password',
        entry: page,
        nodes: [
          {
            id: page,
            type: 'PageNode',
            name: 'Page Node',
            x: 100,
            y: 100,
            connections: { outcome: decision },
            config: {
              nodes: [
                { _id: username, nodeType: 'ValidatedUsernameNode', displayName: 'Username' },
                { _id: password, nodeType: 'ValidatedPasswordNode', displayName: 'Password' },
              ],
              pageHeader: {},
              pageDescription: {},
            },
          },
          {
            id: decision,
            type: 'DataStoreDecisionNode',
            name: 'Data Store Decision',
            x: 300,
            y: 100,
            connections: { true: END.success, false: END.failure },
            config: {},
          },
        ],
        innerNodes: [
          {
            id: username,
            type: 'ValidatedUsernameNode',
            name: 'Username',
            config: { usernameAttribute: 'userName', validateInput: false },
          },
          {
            id: password,
            type: 'ValidatedPasswordNode',
            name: 'Password',
            config: { passwordAttribute: 'password', validateInput: false },
          },
        ],
      }),
    },
  };
}

const voltTenant = (exchange: HarExchange) => ({
  hosts: [exchange.request.url.hostname],
  cookieDomains: ['.mytest.run', '.scheuber.io', '.mytestrun.com'],
  secureCookie: true,
  realms: [{ path: '/' }, { path: '/alpha', successUrl: 'https://idc.scheuber.io/enduser/?realm=alpha' }],
});

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Sends a recorded request to the emulator: same method, path, query, Host and API headers. */
async function replay(exchange: HarExchange, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const { url } = exchange.request;
  const keep = ['accept', 'content-type', 'accept-api-version', 'host'];
  const sent: Record<string, string> = {};
  for (const name of keep)
    if (exchange.request.headers[name] !== undefined) sent[name] = exchange.request.headers[name];
  return http(`${emulator!.url}${url.pathname}${url.search}`, {
    method: exchange.request.method,
    headers: { ...sent, ...headers },
    ...((body ?? exchange.request.body) ? { body: (body ?? exchange.request.body) as string } : {}),
  });
}

function expectParity(exchange: HarExchange, response: RawResponse, cookieName: string): void {
  const recorded = exchange.response;
  expect(response.status).toBe(recorded.status);
  expect(response.headers['content-type']).toBe(recorded.headers['content-type']?.[0]);
  expect(response.headers['content-api-version']).toBe(recorded.headers['content-api-version']?.[0]);
  expect(response.headers['x-frame-options']).toBe(recorded.headers['x-frame-options']?.[0]);
  const recordedCookies = (recorded.headers['set-cookie'] ?? []).map((header) =>
    cookieShape(header, recordedCookieName(recorded)),
  );
  const ourCookies = setCookies(response).map((header) => cookieShape(header, cookieName));
  expect(ourCookies.sort()).toEqual(recordedCookies.sort());
  expect(shapeDifferences(JSON.parse(recorded.body), response.json)).toEqual([]);
}

/** The recorded tenant's cookie name: the 15-hex-character one among its Set-Cookie headers. */
function recordedCookieName(response: HarExchange['response']): string {
  for (const header of response.headers['set-cookie'] ?? []) {
    const name = header.split('=')[0] as string;
    if (/^[0-9a-f]{15}$/.test(name)) return name;
  }
  return '<none>';
}

describe.skipIf(!available)('recorded AIC traffic replayed against the emulator', () => {
  it('zero-page login in alpha (recorded on AIC, 2022): body, content-api-version and one Set-Cookie per cookie domain', async () => {
    const [exchange] = recording('aic-alpha-zero-page-login.har') as [HarExchange];
    emulator = await createEmulator({ config: voltTenant(exchange), journeys: [passwordGrantJourney()] });
    const response = await replay(exchange, { 'x-openam-username': DEMO.userName, 'x-openam-password': DEMO.password });
    expectParity(exchange, response, emulator.cookieName);
    expect(response.json.realm).toBe('/alpha');
  });

  it('a two-step callback login in alpha (recorded on AIC, 2022): the callbacks step with amlbcookie, then the session', async () => {
    const [first, second] = recording('aic-alpha-callback-login.har') as [HarExchange, HarExchange];
    emulator = await createEmulator({ config: voltTenant(first), journeys: [passwordGrantJourney()] });
    const step = await replay(first, {});
    expectParity(first, step, emulator.cookieName);
    expect(step.json.callbacks.map((callback: { input: { name: string }[] }) => callback.input[0]?.name)).toEqual([
      'IDToken1',
      'IDToken2',
    ]);
    expect(step.json.callbacks.map((callback: { _id: number }) => callback._id)).toEqual([0, 1]);
    expect(step.json.callbacks.map((callback: { output: unknown }) => callback.output)).toEqual(
      JSON.parse(first.response.body).callbacks.map((callback: { output: unknown }) => callback.output),
    );
    const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8'));
    const header = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString('utf8'));
    const recordedAuthId = JSON.parse(first.response.body).authId as string;
    expect(header(step.json.authId)).toEqual(header(recordedAuthId));
    expect(Object.keys(claims(step.json.authId))).toEqual(Object.keys(claims(recordedAuthId)));
    const ours = claims(step.json.authId);
    expect(ours.exp - ours.iat).toBe(claims(recordedAuthId).exp - claims(recordedAuthId).iat);
    expect(ours).toMatchObject({ authIndexValue: 'PasswordGrant', authIndexType: 'service', realm: '/alpha' });
    step.json.callbacks[0].input[0].value = DEMO.userName;
    step.json.callbacks[1].input[0].value = DEMO.password;
    const done = await replay(second, {}, JSON.stringify(step.json));
    expectParity(second, done, emulator.cookieName);
  });

  it('serverinfo/* (the 2026 admin-login recording): cookie name discovery, no-store, etag', async () => {
    const exchange = recording('aic-root-admin-login-and-session-info.har')[0] as HarExchange;
    emulator = await createEmulator({ config: { hosts: [exchange.request.url.hostname], secureCookie: true } });
    const response = await replay(exchange, {});
    expectParity(exchange, response, emulator.cookieName);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['etag']).toBe(`"${response.json._rev}"`);
    expect(response.json.cookieName).toBe(emulator.cookieName);
  });

  it('getSessionInfo of a root-realm tenant admin with no caller credential (the 2026 admin-login recording)', async () => {
    const exchange = recording('aic-root-admin-login-and-session-info.har')[3] as HarExchange;
    emulator = await createEmulator();
    const token = await login(emulator, { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD }, ROOT);
    const response = await replay(exchange, {}, JSON.stringify({ tokenId: token }));
    expectParity(exchange, response, emulator.cookieName);
    expect(response.json.realm).toBe('/');
    expect(response.json.universalId).toMatch(/^id=[0-9a-f-]{36},ou=user,ou=am-config$/);
  });

  it('serverinfo/version with a session cookie (the 2026 admin-login recording)', async () => {
    const exchange = recording('aic-root-admin-login-and-session-info.har')[4] as HarExchange;
    emulator = await createEmulator();
    const token = await login(emulator, { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD }, ROOT);
    const response = await replay(exchange, { cookie: `${emulator.cookieName}=${token}` });
    expectParity(exchange, response, emulator.cookieName);
    expect(response.json).toEqual(JSON.parse(exchange.response.body));
  });

  it('an unknown journey at root (recorded on AIC, 2023): 400 No Configuration found', async () => {
    const [exchange] = recording('aic-root-unknown-journey.har') as [HarExchange];
    emulator = await createEmulator();
    const response = await replay(exchange, {});
    expectParity(exchange, response, emulator.cookieName);
    expect(response.json).toEqual(JSON.parse(exchange.response.body));
  });
});
