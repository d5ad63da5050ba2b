/**
 * `users?_action=idFromSession`, `users/<id>` (platform-ui; recorded AIC reads) and `serverinfo` (recorded on AIC,
 * 2026).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { ALPHA, BJENSEN, DEMO, asAdmin, login, startEmulator, withCookie, withToken } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const V2 = { 'accept-api-version': 'protocol=1.0,resource=2.0', 'content-type': 'application/json' };

describe('idFromSession', () => {
  it.each([`${ALPHA}/users?_action=idFromSession`, '/am/json/users?_action=idFromSession'])(
    '%s answers id, realm, dn, successURL, fullLoginURL for the caller',
    async (path) => {
      const token = await login(emulator, DEMO);
      const response = await http(`${emulator.url}${path}`, {
        method: 'POST',
        headers: { ...V2, ...withCookie(emulator, token) },
        body: '{}',
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-api-version']).toBe('resource=2.1');
      expect(response.json).toEqual({
        id: DEMO._id,
        realm: '/alpha',
        dn: `id=${DEMO._id},ou=user,o=alpha,ou=services,ou=am-config`,
        successURL: '/enduser/?realm=/alpha',
        fullLoginURL: '/am/XUI/?realm=%2Falpha&authIndexType=service&authIndexValue=Login',
      });
    },
  );

  it('without a session: 401 Access Denied', async () => {
    const response = await http(`${emulator.url}${ALPHA}/users?_action=idFromSession`, { method: 'POST', headers: V2 });
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
  });
});

describe('users/<id>', () => {
  it('a user reads themselves: AM attribute names, values as arrays, username = userName', async () => {
    const token = await login(emulator, DEMO);
    const response = await http(`${emulator.url}${ALPHA}/users/${DEMO._id}`, {
      headers: { ...V2, ...withToken(emulator, token) },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      realm: '/alpha',
      roles: ['ui-self-service-user'],
      username: 'demo',
      'fr-idm-uuid': [DEMO._id],
      givenName: ['Demo'],
      sn: ['User'],
      mail: ['demo@example.com'],
      cn: ['Demo User'],
      uid: ['demo'],
      'fr-attr-str2': ['exampleSSOToken'],
      'fr-attr-str3': ['https://example.com/goodbye'],
      universalid: [`id=${DEMO._id},ou=user,o=alpha,ou=services,ou=am-config`],
      inetUserStatus: ['Active'],
      // The user's IDM preferences, where AM shows them, and nowhere else.
      'fr-idm-preferences': ['{"updates":true,"marketing":true}'],
    });
    expect(response.json.preferences).toBeUndefined();
    expect(response.json.createTimestamp[0]).toMatch(/^\d{14}Z$/);
    // CREST writes _id and _rev only for protocol 2 and later.
    expect(response.json._id).toBeUndefined();
    const v4 = await http(`${emulator.url}${ALPHA}/users/${DEMO._id}`, {
      headers: { 'accept-api-version': 'protocol=2.0,resource=4.0', ...withToken(emulator, token) },
    });
    expect(Object.keys(v4.json).slice(0, 2)).toEqual(['_id', '_rev']);
    expect(v4.json._id).toBe(DEMO._id);
    expect(v4.headers['etag']).toBe(`"${v4.json._rev}"`);
    expect(JSON.stringify(response.json)).not.toContain(DEMO.password);
  });

  it('an admin reads anyone; another user is refused; nobody is 401; an unknown id is 404', async () => {
    const token = await login(emulator, BJENSEN);
    expect(
      (await http(`${emulator.url}${ALPHA}/users/${DEMO._id}`, { headers: { ...V2, ...asAdmin(emulator) } })).status,
    ).toBe(200);
    const other = await http(`${emulator.url}${ALPHA}/users/${DEMO._id}`, {
      headers: { ...V2, ...withToken(emulator, token) },
    });
    expect(other.status).toBe(403);
    expect(other.json.message).toBe(
      `Permission to perform the read operation denied to id=${BJENSEN._id},ou=user,o=alpha,ou=services,ou=am-config`,
    );
    expect((await http(`${emulator.url}${ALPHA}/users/${DEMO._id}`, { headers: V2 })).status).toBe(401);
    const unknown = await http(`${emulator.url}${ALPHA}/users/00000000-0000-4000-8000-000000000000`, {
      headers: { ...V2, ...asAdmin(emulator) },
    });
    expect(unknown.json).toEqual({ code: 404, reason: 'Not Found', message: 'Resource cannot be found.' });
  });
});

describe('CREST request handling', () => {
  it('_prettyPrint=true prints as Jackson does, errors included; _fields projects a read', async () => {
    const pretty = await http(
      `${emulator.url}/am/json/serverinfo/*?_prettyPrint=true&_fields=cookieName,zeroPageLogin/enabled`,
    );
    expect(pretty.text).toBe(
      `{\n  "_id" : "*",\n  "_rev" : ${JSON.stringify(pretty.json._rev)},\n  "cookieName" : "${emulator.cookieName}",\n  "zeroPageLogin" : {\n    "enabled" : false\n  }\n}`,
    );
    const error = await http(`${emulator.url}${ALPHA}/sessions/?_action=refresh&_prettyPrint=true`, {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=4.0' },
    });
    expect(error.text).toBe('{\n  "code" : 401,\n  "reason" : "Unauthorized",\n  "message" : "Access Denied"\n}');
  });

  it('AM user queries are refused as on AIC', async () => {
    const response = await http(`${emulator.url}${ALPHA}/users?_queryFilter=true`, {
      headers: { ...V2, ...asAdmin(emulator) },
    });
    expect(response.json).toEqual({
      code: 403,
      reason: 'Forbidden',
      message: 'This operation is not available in PingOne Advanced Identity Cloud.',
    });
  });
});

describe('serverinfo', () => {
  it('serverinfo/* needs no session and names the cookie; the realm form answers with its realm', async () => {
    const root = await http(`${emulator.url}/am/json/serverinfo/*`, {
      headers: { 'accept-api-version': 'resource=1.1' },
    });
    expect(root.status).toBe(200);
    expect(root.json).toMatchObject({ _id: '*', cookieName: emulator.cookieName, realm: '/', secureCookie: true });
    const alpha = await http(`${emulator.url}${ALPHA}/serverinfo/*`, {
      headers: { 'accept-api-version': 'resource=1.1' },
    });
    expect(alpha.json.realm).toBe('/alpha');
  });

  it('serverinfo/version needs a caller', async () => {
    const anonymous = await http(`${emulator.url}/am/json/serverinfo/version`, {
      headers: { 'accept-api-version': 'resource=1.0' },
    });
    expect(anonymous.status).toBe(403);
    expect(anonymous.json.message).toBe('No session for request.');
    const admin = await http(`${emulator.url}/am/json/serverinfo/version`, {
      headers: { 'accept-api-version': 'resource=1.0', ...asAdmin(emulator) },
    });
    expect(admin.json).toMatchObject({ _id: 'version', version: '9.0.0-SNAPSHOT' });
  });
});
