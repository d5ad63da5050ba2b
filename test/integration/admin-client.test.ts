/**
 * AIC's admin client, `idmAdminClient`, as frodo and the admin console use it: a tenant
 * administrator signs in at the root realm, posts `authorize` with `csrf` and `decision=allow`
 * (PKCE S256) and gets a code at the tenant's own `/platform/appAuthHelperRedirect.html`; the code
 * buys a bearer token (Basic `idmAdminClient:doesnotmatter`) for IDM and the ESV API, not for AM.
 * Also the two `/environment` resources frodo reads with the session cookie alone, and what a
 * user who is not an administrator gets with the same scopes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/index.js';
import { http, type RawResponse } from '../helpers/http.js';
import { DEMO, ROOT, login, startEmulator } from '../helpers/tenant.js';
import { FORM, MISMATCH, basic, cookieHeader, pkce, redirectParams, userTokens } from '../helpers/oauth2.js';

const ADMIN = { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD };
const ROOT_OAUTH2 = '/am/oauth2';
const ADMIN_SCOPES = 'openid fr:idm:* fr:idc:esv:*';

let emulator: Emulator;
let adminSession: string;
let redirectUri: string;

beforeAll(async () => {
  emulator = await startEmulator();
  adminSession = await login(emulator, ADMIN, ROOT);
  redirectUri = `${emulator.url}/platform/appAuthHelperRedirect.html`;
});
afterAll(() => emulator.close());

/** frodo's authorize: a form POST with the session cookie, `csrf` = the session token. */
function authorizeAsFrodo(session: string, extra: Record<string, string> = {}, challenge = pkce().challenge) {
  return http(`${emulator.url}${ROOT_OAUTH2}/authorize`, {
    method: 'POST',
    headers: { ...FORM, ...cookieHeader(emulator, session) },
    body: new URLSearchParams({
      redirect_uri: redirectUri,
      scope: ADMIN_SCOPES,
      response_type: 'code',
      client_id: 'idmAdminClient',
      csrf: session,
      decision: 'allow',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    }).toString(),
  });
}

async function adminTokens(): Promise<Record<string, unknown>> {
  const pair = pkce();
  const code = redirectParams(await authorizeAsFrodo(adminSession, {}, pair.challenge)).get('code');
  const response = await http(`${emulator.url}${ROOT_OAUTH2}/access_token`, {
    method: 'POST',
    headers: { ...FORM, ...basic('idmAdminClient', 'doesnotmatter') },
    body: new URLSearchParams({
      redirect_uri: redirectUri,
      grant_type: 'authorization_code',
      code: code ?? '',
      code_verifier: pair.verifier,
    }).toString(),
  });
  expect(response.status, response.text).toBe(200);
  return response.json as Record<string, unknown>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('idmAdminClient', () => {
  it('gives a tenant administrator a code at the tenant’s own admin page, as AIC answers frodo', async () => {
    const response = await authorizeAsFrodo(adminSession);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('code')).toMatch(/^\S+$/);
    expect(location.searchParams.get('iss')).toBe(`${emulator.url}/am/oauth2`);
    expect(location.searchParams.get('client_id')).toBe('idmAdminClient');
  });

  it('exchanges the code with the secret frodo sends (ignored: the client is public) for a token without refresh', async () => {
    const tokens = await adminTokens();
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: ADMIN_SCOPES });
    expect(typeof tokens.access_token).toBe('string');
    expect(typeof tokens.id_token).toBe('string');
    expect(tokens).not.toHaveProperty('refresh_token');
  });

  it('the token reads IDM and the ESV API, and is no AM administrator (AIC: AM answers 401)', async () => {
    const token = (await adminTokens()).access_token as string;
    const users = await http(`${emulator.url}/openidm/managed/alpha_user?_queryFilter=true&_pageSize=1`, {
      headers: bearer(token),
    });
    expect(users.status, users.text).toBe(200);
    const variables = await http(`${emulator.url}/environment/variables`, { headers: bearer(token) });
    expect(variables.status, variables.text).toBe(200);
    const am = await http(`${emulator.url}/am/json/realms/root/realms/alpha/users/${DEMO._id}`, {
      headers: { ...bearer(token), 'accept-api-version': 'protocol=2.1,resource=4.0' },
    });
    expect(am.status).toBe(401);
  });

  it('refuses fr:am:* (invalid_scope, back at the redirect URI)', async () => {
    const params = redirectParams(await authorizeAsFrodo(adminSession, { scope: 'openid fr:am:*' }));
    expect(params.get('error')).toBe('invalid_scope');
    expect(params.get('code')).toBeNull();
  });

  it('sends nothing to another host’s admin page: the redirect URI is the tenant’s own', async () => {
    const response = await authorizeAsFrodo(adminSession, {
      redirect_uri: 'https://attacker.example/platform/appAuthHelperRedirect.html',
    });
    expect(response.status).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.text).toContain(MISMATCH);
  });

  it('is a root realm client: unknown in alpha', async () => {
    const response = await http(
      `${emulator.url}/am/oauth2/realms/root/realms/alpha/authorize?${new URLSearchParams({
        client_id: 'idmAdminClient',
        response_type: 'code',
        redirect_uri: redirectUri,
      }).toString()}`,
    );
    expect(response.status).toBe(400);
    expect(response.headers.location).toBeUndefined();
  });

  it('comes back after a tenant reset', async () => {
    await emulator.tenant.reset();
    adminSession = await login(emulator, ADMIN, ROOT);
    expect((await authorizeAsFrodo(adminSession)).status).toBe(302);
  });
});

describe('a user who is not an administrator, holding fr:idm:*', () => {
  it('is refused by IDM (403): end users are not emulated in IDM', async () => {
    emulator.tenant.oauth2Clients.add({
      realm: 'alpha',
      clientId: 'baselineLikeClient',
      redirectionUris: ['http://localhost/callback'],
      loopbackInterfaceRedirection: true,
      scopes: ['openid', 'profile', 'fr:idm:*'],
    });
    const { tokens } = await userTokens(emulator, { client_id: 'baselineLikeClient', scope: 'openid fr:idm:*' });
    expect(tokens.scope).toBe('openid fr:idm:*');
    const users = await http(`${emulator.url}/openidm/managed/alpha_user?_queryFilter=true`, {
      headers: bearer(tokens.access_token),
    });
    expect(users.status).toBe(403);
    expect(users.json).toMatchObject({ code: 403 });
  });
});

describe('/environment resources frodo reads with the session cookie', () => {
  const get = (path: string, headers: Record<string, string>): Promise<RawResponse> =>
    http(`${emulator.url}/environment/${path}`, {
      headers: { 'accept-api-version': 'protocol=1.0,resource=1.0', ...headers },
    });

  it.each(['scopes/service-accounts', 'info'])('%s: admin session 200, user session 403, nobody 401', async (path) => {
    const admin = await get(path, cookieHeader(emulator, await login(emulator, ADMIN, ROOT)));
    expect(admin.status, admin.text).toBe(200);
    expect(admin.headers['content-type']).toBe('application/json; charset=utf-8');
    const user = await get(path, cookieHeader(emulator, await login(emulator, DEMO)));
    expect(user.status).toBe(403);
    expect(user.json).toEqual({ code: 403, message: 'Forbidden' });
    const nobody = await get(path, {});
    expect(nobody.status).toBe(401);
    expect(nobody.json).toEqual({ code: 401, message: 'Unauthorized' });
  });

  it('lists the scopes AIC offers service accounts, children under their parent', async () => {
    const scopes = (await get('scopes/service-accounts', bearer(emulator.adminToken))).json as {
      scope: string;
      childScopes?: { scope: string }[];
    }[];
    const names = scopes.map((entry) => entry.scope);
    expect(names).toEqual(expect.arrayContaining(['fr:am:*', 'fr:idm:*', 'fr:idc:esv:*']));
    expect(scopes.find((entry) => entry.scope === 'fr:idc:esv:*')?.childScopes?.map((entry) => entry.scope)).toEqual([
      'fr:idc:esv:read',
      'fr:idc:esv:update',
      'fr:idc:esv:restart',
    ]);
  });

  it('is read-only', async () => {
    const response = await http(`${emulator.url}/environment/info`, {
      method: 'PUT',
      headers: { ...bearer(emulator.adminToken), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(405);
  });
});
