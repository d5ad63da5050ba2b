/**
 * Service accounts (AIC's JWT-bearer grant at the root realm's access_token): a tool signs an
 * assertion with the account's private key and gets an opaque token; with `fr:am:*` that token
 * administers AM (here: ends a user's sessions); it expires on the tenant clock. Refusals: a
 * scope the account lacks (AIC's words), a wrong audience, a wrong key, an assertion expiring too
 * far ahead, a replayed jti. Beyond loopback the demo account, whose key is published, is gone.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK, generateKeyPair, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_SERVICE_ACCOUNT_ID, DEMO_SERVICE_ACCOUNT_JWK } from '../../emulator/index.js';
import { http } from '../helpers/http.js';
import { ALPHA, DEMO, login, startEmulator, startEmulatorClosedAfterEach } from '../helpers/tenant.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

async function assertion(
  options: { aud?: string; expiresIn?: number; key?: Parameters<SignJWT['sign']>[0]; jti?: string } = {},
) {
  const now = Math.floor(emulator.tenant.clock.now() / 1000);
  return new SignJWT({ jti: options.jti ?? randomUUID() })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(DEMO_SERVICE_ACCOUNT_ID)
    .setSubject(DEMO_SERVICE_ACCOUNT_ID)
    .setAudience(options.aud ?? `${emulator.url}/am/oauth2/access_token`)
    .setExpirationTime(now + (options.expiresIn ?? 120))
    .sign(options.key ?? (await importJWK({ ...DEMO_SERVICE_ACCOUNT_JWK }, 'RS256')));
}

async function tokenRequest(signed: string, scope = 'fr:am:* fr:idm:*') {
  return http(`${emulator.url}/am/oauth2/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: 'service-account',
      grant_type: JWT_BEARER,
      assertion: signed,
      scope,
    }).toString(),
  });
}

async function logoutByUser(bearer: string) {
  return http(`${emulator.url}${ALPHA}/sessions/?_action=logoutByUser`, {
    method: 'POST',
    headers: {
      'accept-api-version': 'resource=5.1, protocol=1.0',
      'content-type': 'application/json',
      authorization: `Bearer ${bearer}`,
    },
    body: JSON.stringify({ username: DEMO._id }),
  });
}

describe('service accounts', () => {
  it('an assertion gets an opaque token (JWE dir/A128CBC-HS256, 899 s) that administers AM', async () => {
    const response = await tokenRequest(await assertion());
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(response.json).toEqual({
      access_token: expect.any(String),
      scope: 'fr:am:* fr:idm:*',
      token_type: 'Bearer',
      expires_in: 899,
    });
    const token = response.json.access_token as string;
    expect(token.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(token)).toEqual({ typ: 'JWT', enc: 'A128CBC-HS256', alg: 'dir' });

    await login(emulator, DEMO);
    const ended = await logoutByUser(token);
    expect(ended.status, ended.text).toBe(200);
    expect(ended.json).toEqual({ result: true });
  });

  it('without fr:am:* the token is no administrator; an expired one neither', async () => {
    const idmOnly = (await tokenRequest(await assertion(), 'fr:idm:*')).json.access_token as string;
    expect((await logoutByUser(idmOnly)).status).toBe(401);
    const admin = (await tokenRequest(await assertion())).json.access_token as string;
    expect((await logoutByUser(admin)).status).toBe(200);
    emulator.advanceClock(900);
    expect((await logoutByUser(admin)).status).toBe(401);
  });

  it('a scope the account lacks: invalid_scope in AIC’s words, naming them', async () => {
    const response = await tokenRequest(await assertion(), 'fr:am:* fr:iga:* fr:idc:certificate:*');
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error_description: 'Unsupported scope for service account: fr:iga:*,fr:idc:certificate:*',
      error: 'invalid_scope',
    });
  });

  it('frodo’s audience with :443 is accepted; another audience, another key, a far expiry or a replayed jti are not', async () => {
    const url = new URL(emulator.url);
    expect(
      (await tokenRequest(await assertion({ aud: `http://${url.hostname}:${url.port}/am/oauth2/access_token` })))
        .status,
    ).toBe(200);
    const refused = async (signed: string) => {
      const response = await tokenRequest(signed);
      expect(response.status, response.text).toBe(400);
      expect(response.json.error).toBe('invalid_grant');
    };
    await refused(await assertion({ aud: 'https://elsewhere.example/am/oauth2/access_token' }));
    await refused(await assertion({ key: (await generateKeyPair('RS256')).privateKey }));
    await refused(await assertion({ expiresIn: 600 }));
    await refused(await assertion({ expiresIn: -10 }));
    const jti = randomUUID();
    expect((await tokenRequest(await assertion({ jti }))).status).toBe(200);
    await refused(await assertion({ jti }));
    await refused('not-a-jwt');
  });

  it('only at the root realm: alpha answers as for an unknown client', async () => {
    const response = await http(`${emulator.url}/am/oauth2/realms/root/realms/alpha/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'service-account',
        grant_type: JWT_BEARER,
        assertion: await assertion(),
      }).toString(),
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_client');
  });
});

describe('beyond loopback', () => {
  const start = startEmulatorClosedAfterEach();
  it('the demo service account, whose key is published, does not exist', async () => {
    const remote = await start({ host: '0.0.0.0' });
    expect(remote.tenant.config.oauth2.serviceAccounts).toEqual([]);
  });
});
