/**
 * Parity with recorded AIC traffic (../shared/reference/recordings): each supported exchange is
 * replayed against the emulator, configured like the recorded tenant (cookie domains, Host), and
 * compared on status, content-type, content-api-version, Set-Cookie attributes and the body's
 * shape. Tenant-specific values (tokens, ids, times, the cookie name) are compared by format.
 *
 * Not replayed yet: the callback login (a journey with callbacks) and the 2-step-verification
 * page of the admin login; the realm-config services (not part of the emulated surface).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/tenant/demo-tenant.js';
import { hasShared, sharedPath } from '../helpers/optional.js';
import { http, setCookies, type RawResponse } from '../helpers/http.js';
import { cookieShape, loadHar, shapeDifferences, type HarExchange } from '../helpers/har.js';
import { DEMO, login, ROOT } from '../helpers/tenant.js';

const available = hasShared();
const recording = (name: string) => loadHar(sharedPath('reference', 'recordings', name));

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
  for (const name of keep) if (exchange.request.headers[name] !== undefined) sent[name] = exchange.request.headers[name] as string;
  return http(`${emulator!.url}${url.pathname}${url.search}`, {
    method: exchange.request.method,
    headers: { ...sent, ...headers },
    ...(body ?? exchange.request.body ? { body: body ?? exchange.request.body } : {}),
  });
}

function expectParity(exchange: HarExchange, response: RawResponse, cookieName: string): void {
  const recorded = exchange.response;
  expect(response.status).toBe(recorded.status);
  expect(response.headers['content-type']).toBe(recorded.headers['content-type']?.[0]);
  expect(response.headers['content-api-version']).toBe(recorded.headers['content-api-version']?.[0]);
  expect(response.headers['x-frame-options']).toBe(recorded.headers['x-frame-options']?.[0]);
  const recordedCookies = (recorded.headers['set-cookie'] ?? []).map((header) => cookieShape(header, recordedCookieName(recorded)));
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
  it('zero-page login in alpha (A1): body, content-api-version and one Set-Cookie per cookie domain', async () => {
    const [exchange] = recording('aic-alpha-zero-page-login.har') as [HarExchange];
    emulator = await createEmulator({
      config: {
        hosts: [exchange.request.url.hostname],
        cookieDomains: ['.mytest.run', '.scheuber.io', '.mytestrun.com'],
        secureCookie: true,
        realms: [{ path: '/' }, { path: '/alpha', defaultJourney: 'PasswordGrant', successUrl: 'https://idc.scheuber.io/enduser/?realm=alpha' }],
      },
    });
    const response = await replay(exchange, { 'x-openam-username': DEMO.userName, 'x-openam-password': DEMO.password });
    expectParity(exchange, response, emulator.cookieName);
    expect(response.json.realm).toBe('/alpha');
  });

  it('serverinfo/* (A4): cookie name discovery, no-store, etag', async () => {
    const exchange = recording('aic-root-admin-login-and-session-info.har')[0] as HarExchange;
    emulator = await createEmulator({ config: { hosts: [exchange.request.url.hostname], secureCookie: true } });
    const response = await replay(exchange, {});
    expectParity(exchange, response, emulator.cookieName);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['etag']).toBe(`"${response.json._rev}"`);
    expect(response.json.cookieName).toBe(emulator.cookieName);
  });

  it('getSessionInfo of a root-realm tenant admin with no caller credential (A4)', async () => {
    const exchange = recording('aic-root-admin-login-and-session-info.har')[3] as HarExchange;
    emulator = await createEmulator();
    const token = await login(emulator, { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD }, ROOT);
    const response = await replay(exchange, {}, JSON.stringify({ tokenId: token }));
    expectParity(exchange, response, emulator.cookieName);
    expect(response.json.realm).toBe('/');
    expect(response.json.universalId).toMatch(/^id=[0-9a-f-]{36},ou=user,ou=am-config$/);
  });

  it('serverinfo/version with a session cookie (A4)', async () => {
    const exchange = recording('aic-root-admin-login-and-session-info.har')[4] as HarExchange;
    emulator = await createEmulator();
    const token = await login(emulator, { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD }, ROOT);
    const response = await replay(exchange, { cookie: `${emulator.cookieName}=${token}` });
    expectParity(exchange, response, emulator.cookieName);
    expect(response.json).toEqual(JSON.parse(exchange.response.body));
  });

  it('an unknown journey at root (A3): 400 No Configuration found', async () => {
    const [exchange] = recording('aic-root-unknown-journey.har') as [HarExchange];
    emulator = await createEmulator();
    const response = await replay(exchange, {});
    expectParity(exchange, response, emulator.cookieName);
    expect(response.json).toEqual(JSON.parse(exchange.response.body));
  });
});
