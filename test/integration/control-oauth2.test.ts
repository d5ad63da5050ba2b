/**
 * The control API's OAuth2 clients and grants: clients added, listed (never with their secret),
 * used at once by the provider, removed; bad clients refused in AM's error shape; a reset brings
 * back the configured ones; grants listed per user.
 */
import { describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { startEmulatorClosedAfterEach } from '../helpers/tenant.js';

const start = startEmulatorClosedAfterEach();
const TOKEN = '/am/oauth2/realms/root/realms/alpha/access_token';

async function control(url: string, method: string, path: string, body?: unknown) {
  return http(`${url}/__emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function clientCredentials(url: string, clientId: string, secret: string) {
  return http(`${url}${TOKEN}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=openid',
  });
}

describe('control API: OAuth2 clients', () => {
  it('adds a client the provider serves at once, lists it without its secret, removes it', async () => {
    const emulator = await start({});
    const added = await control(emulator.url, 'POST', 'oauth2/clients', {
      realm: 'alpha',
      clientId: 'backend',
      clientSecret: 'backend-secret-1',
      grantTypes: ['client_credentials'],
      scopes: ['openid'],
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ clientId: 'backend', clientType: 'Confidential', hasSecret: true });
    expect(JSON.stringify(added.json)).not.toContain('backend-secret-1');
    expect((await clientCredentials(emulator.url, 'backend', 'backend-secret-1')).status).toBe(200);

    const listed = await control(emulator.url, 'GET', 'oauth2/clients?realm=alpha');
    expect(listed.json.result.map((client: { clientId: string }) => client.clientId)).toContain('backend');
    expect(listed.text).not.toContain('backend-secret-1');

    expect((await control(emulator.url, 'DELETE', 'oauth2/clients/backend?realm=alpha')).status).toBe(200);
    const after = await clientCredentials(emulator.url, 'backend', 'backend-secret-1');
    expect(after.status).toBe(401);
    expect(after.json).toEqual({ error_description: 'Client authentication failed', error: 'invalid_client' });
    const again = await control(emulator.url, 'DELETE', 'oauth2/clients/backend?realm=alpha');
    expect(again.status).toBe(404);
    expect(again.json).toMatchObject({ code: 404, reason: 'Not Found' });
  });

  it('refuses a bad client in AM’s error shape and keeps the others', async () => {
    const emulator = await start({});
    for (const body of [
      { realm: 'alpha', clientId: 'x', unknownField: true },
      { realm: 'nowhere', clientId: 'x' },
      { realm: 'alpha', clientId: 'x', clientType: 'Confidential' },
      { realm: 'alpha', clientId: '' },
      { realm: 'alpha', clientId: 'x', grantTypes: ['password'] },
      [],
      'text',
    ]) {
      const refused = await control(emulator.url, 'POST', 'oauth2/clients', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(refused.json as object).sort()).toEqual(['code', 'message', 'reason']);
    }
    const listed = await control(emulator.url, 'GET', 'oauth2/clients');
    expect(listed.json.result.map((client: { clientId: string }) => client.clientId).sort()).toEqual([
      'demoConfidentialClient',
      'idmAdminClient',
      'sdkPublicClient',
    ]);
  });

  it('a reset brings back the configured clients and AIC’s own admin client only', async () => {
    const emulator = await start({});
    await control(emulator.url, 'POST', 'oauth2/clients', { realm: 'alpha', clientId: 'temp' });
    await control(emulator.url, 'DELETE', 'oauth2/clients/sdkPublicClient?realm=alpha');
    await emulator.reset();
    const listed = await control(emulator.url, 'GET', 'oauth2/clients');
    expect(listed.json.result.map((client: { clientId: string }) => client.clientId).sort()).toEqual([
      'demoConfidentialClient',
      'idmAdminClient',
      'sdkPublicClient',
    ]);
  });

  it('lists grants in force, by user, and drops a revoked one', async () => {
    const emulator = await start({});
    const secret = emulator.tenant.oauth2Clients.get('/alpha', 'demoConfidentialClient')?.clientSecret as string;
    const token = await clientCredentials(emulator.url, 'demoConfidentialClient', secret);
    expect(token.status).toBe(200);
    const grants = await control(emulator.url, 'GET', 'oauth2/grants?realm=alpha');
    expect(grants.json.result).toHaveLength(1);
    expect(grants.json.result[0]).toMatchObject({
      clientId: 'demoConfidentialClient',
      userId: null,
      scopes: ['openid'],
    });
    expect((await control(emulator.url, 'GET', 'oauth2/grants?user=nobody')).json.result).toEqual([]);
    emulator.tenant.oauth2Grants.revokeGrant(grants.json.result[0].authGrantId as string);
    expect((await control(emulator.url, 'GET', 'oauth2/grants')).json.result).toEqual([]);
  });
});
