/**
 * IDM's managed users over HTTP (`/openidm/managed/<realm>_user`, docs/fidelity.md "ESVs and
 * managed users over REST"): queries, read, create, PUT, PATCH and DELETE over the tenant's one
 * user store (a user created here signs in over /authenticate and shows in the control API), who
 * may call, and bad input answered with CREST's errors and changing nothing.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_SERVICE_ACCOUNT_ID, DEMO_SERVICE_ACCOUNT_JWK } from '../../emulator/index.js';
import { http, type RawResponse } from '../helpers/http.js';
import { BJENSEN, DEMO, login, startEmulator } from '../helpers/tenant.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    config: { realms: [{ path: '/' }, { path: '/alpha' }, { path: '/bravo' }] },
  });
});
afterAll(() => emulator.close());

async function serviceAccountToken(scope: string): Promise<string> {
  const now = Math.floor(emulator.tenant.clock.now() / 1000);
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(DEMO_SERVICE_ACCOUNT_ID)
    .setSubject(DEMO_SERVICE_ACCOUNT_ID)
    .setAudience(`${emulator.url}/am/oauth2/access_token`)
    .setExpirationTime(now + 120)
    .sign(await importJWK({ ...DEMO_SERVICE_ACCOUNT_JWK }, 'RS256'));
  const response = await http(`${emulator.url}/am/oauth2/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: 'service-account',
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
      scope,
    }).toString(),
  });
  expect(response.status, response.text).toBe(200);
  return response.json.access_token as string;
}

function idm(
  path: string,
  options: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const token = options.token === undefined ? emulator.adminToken : options.token;
  return http(`${emulator.url}/openidm/managed/${path}`, {
    method: options.method ?? 'GET',
    headers: {
      'accept-api-version': 'resource=1.0',
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
}

const q = (filter: string) => encodeURIComponent(filter);
const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  userName,
  givenName: 'New',
  sn: 'User',
  mail: `${userName}@example.com`,
  password: 'N3w-Us3r-pass!',
  ...extra,
});

describe('queries', () => {
  it('by userName with _fields: the page shape, _id and _rev always there, never a password', async () => {
    const response = await idm(`alpha_user?_queryFilter=${q('userName eq "bjensen"')}&_fields=userName,mail`);
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(response.json).toEqual({
      result: [{ _id: BJENSEN._id, _rev: expect.any(String), userName: 'bjensen', mail: expect.any(String) }],
      resultCount: 1,
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'NONE',
      totalPagedResults: -1,
      remainingPagedResults: -1,
    });
    const all = await idm('alpha_user?_queryFilter=true');
    expect(all.json.resultCount).toBeGreaterThanOrEqual(3);
    expect(all.text).not.toMatch(/"password"/);
    const full = all.json.result.find((user: { userName: string }) => user.userName === 'demo');
    expect(full).toMatchObject({ _id: DEMO._id, accountStatus: 'active', kbaInfo: [], effectiveRoles: [] });
  });

  it('pages with _pageSize and _pagedResultsCookie; counts with _pageSize=0 and EXACT', async () => {
    const first = await idm(`alpha_user?_queryFilter=true&_pageSize=2&_sortKeys=userName&_fields=userName`);
    expect(first.json.result).toHaveLength(2);
    expect(typeof first.json.pagedResultsCookie).toBe('string');
    const rest = await idm(
      `alpha_user?_queryFilter=true&_pageSize=100&_sortKeys=userName&_fields=userName&_pagedResultsCookie=${first.json.pagedResultsCookie as string}`,
    );
    const names = [...first.json.result, ...rest.json.result].map((user: { userName: string }) => user.userName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(rest.json.pagedResultsCookie).toBeNull();
    const count = await idm('alpha_user?_queryFilter=true&_pageSize=0&_totalPagedResultsPolicy=EXACT');
    expect(count.json).toMatchObject({ result: [], resultCount: 0, totalPagedResultsPolicy: 'EXACT' });
    expect(count.json.totalPagedResults).toBe(names.length);
  });

  it('filters: pointers, presence, negation, sw/co, and/or', async () => {
    for (const [filter, expected] of [
      ['/userName sw "bjen"', ['bjensen']],
      ['userName co "ense" and !(userName eq "demo")', ['bjensen']],
      ['userName eq "demo" or userName eq "bjensen"', ['bjensen', 'demo']],
      ['!(/userName pr)', []],
    ] as const) {
      const response = await idm(`alpha_user?_queryFilter=${q(filter)}&_fields=userName&_sortKeys=userName`);
      expect(response.status, filter).toBe(200);
      expect(response.json.result.map((user: { userName: string }) => user.userName)).toEqual(expected);
    }
  });

  it('bravo_user serves the bravo realm; a realm the tenant lacks is a 404', async () => {
    expect((await idm('bravo_user?_queryFilter=true')).json.resultCount).toBe(0);
    const missing = await idm('charlie_user?_queryFilter=true');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      code: 404,
      reason: 'Not Found',
      message: "Resource 'managed/charlie_user' not found",
    });
  });
});

describe('create, read, update, delete', () => {
  it('_action=create makes a user that signs in over /authenticate and shows in the control API', async () => {
    const created = await idm('alpha_user?_action=create', { method: 'POST', body: newUser('kirk') });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ userName: 'kirk', givenName: 'New', accountStatus: 'active' });
    expect(created.json).not.toHaveProperty('password');
    const id = created.json._id as string;
    const read = await idm(`alpha_user/${id}?_fields=mail`);
    expect(read.json).toEqual({ _id: id, _rev: created.json._rev, mail: 'kirk@example.com' });
    expect(await login(emulator, { userName: 'kirk', password: 'N3w-Us3r-pass!' })).toEqual(expect.any(String));
    const control = await http(`${emulator.url}/__emulator/users?realm=alpha`);
    expect(control.text).toContain(id);

    const duplicate = await idm('alpha_user?_action=create', { method: 'POST', body: newUser('kirk') });
    expect(duplicate.status).toBe(403);
    expect(duplicate.json).toMatchObject({ code: 403, reason: 'Forbidden', message: 'Failed policy validation' });
    const sameId = await idm('alpha_user?_action=create', { method: 'POST', body: newUser('kirk2', { _id: id }) });
    expect(sameId.status).toBe(412);
    expect(sameId.json.message).toContain('Entry Already Exists');
  });

  it('PUT: create-only with If-None-Match: *, upsert without; ids must be UUIDs', async () => {
    const id = randomUUID();
    const created = await idm(`alpha_user/${id}`, {
      method: 'PUT',
      body: newUser('spock'),
      headers: { 'if-none-match': '*' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json._id).toBe(id);
    const again = await idm(`alpha_user/${id}`, {
      method: 'PUT',
      body: newUser('spock'),
      headers: { 'if-none-match': '*' },
    });
    expect(again.status).toBe(412);
    const replaced = await idm(`alpha_user/${id}`, {
      method: 'PUT',
      body: { userName: 'spock', givenName: 'Mr', sn: 'Spock', mail: 'spock@vulcan.example', city: 'ShiKahr' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ givenName: 'Mr', city: 'ShiKahr' });
    // The password was not in the body: it stays.
    expect(await login(emulator, { userName: 'spock', password: 'N3w-Us3r-pass!' })).toEqual(expect.any(String));
    const upserted = await idm(`alpha_user/${randomUUID()}`, { method: 'PUT', body: newUser('mccoy') });
    expect(upserted.status).toBe(201);
    const notUuid = await idm('alpha_user/not-a-uuid', { method: 'PUT', body: newUser('scotty') });
    expect(notUuid.status).toBe(400);
    expect(notUuid.json.message).toContain('Invalid Attribute Syntax');
  });

  it('PATCH replace/add/remove, If-Match, password set but never shown', async () => {
    const created = await idm('alpha_user?_action=create', {
      method: 'POST',
      body: newUser('uhura', { aliasList: ['a'], preferences: { marketing: false } }),
    });
    const id = created.json._id as string;
    const patched = await idm(`alpha_user/${id}`, {
      method: 'PATCH',
      headers: { 'if-match': created.json._rev as string },
      body: [
        { operation: 'replace', field: '/mail', value: 'uhura@enterprise.example' },
        { operation: 'add', field: '/aliasList/-', value: 'b' },
        { operation: 'replace', field: '/preferences/marketing', value: true },
        { operation: 'add', field: 'telephoneNumber', value: '555' },
        { operation: 'remove', field: '/aliasList', value: 'a' },
        { operation: 'replace', field: '/password', value: 'Chang3d-pass!' },
      ],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({
      mail: 'uhura@enterprise.example',
      aliasList: ['b'],
      preferences: { marketing: true },
      telephoneNumber: '555',
    });
    expect(patched.text).not.toContain('Chang3d-pass!');
    expect(patched.json._rev).not.toBe(created.json._rev);
    expect(await login(emulator, { userName: 'uhura', password: 'Chang3d-pass!' })).toEqual(expect.any(String));
    const stale = await idm(`alpha_user/${id}`, {
      method: 'PATCH',
      headers: { 'if-match': created.json._rev as string },
      body: [{ operation: 'remove', field: '/telephoneNumber' }],
    });
    expect(stale.status).toBe(412);
    const removed = await idm(`alpha_user/${id}`, {
      method: 'PATCH',
      body: [{ operation: 'remove', field: '/telephoneNumber' }],
    });
    expect(removed.json).not.toHaveProperty('telephoneNumber');
    const journal = await http(`${emulator.url}/__emulator/journal`);
    expect(journal.text).not.toContain('Chang3d-pass!');
    expect(journal.text).not.toContain('N3w-Us3r-pass!');
  });

  it('DELETE answers the deleted user, then 404; the user can no longer sign in', async () => {
    const created = await idm('alpha_user?_action=create', { method: 'POST', body: newUser('chekov') });
    const id = created.json._id as string;
    const deleted = await idm(`alpha_user/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ _id: id, userName: 'chekov' });
    const again = await idm(`alpha_user/${id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.json).toEqual({
      code: 404,
      reason: 'Not Found',
      message: `Object ${id} not found in managed/alpha_user`,
    });
    await expect(login(emulator, { userName: 'chekov', password: 'N3w-Us3r-pass!' })).rejects.toThrow();
  });
});

describe('more writes', () => {
  it('a user created without a password cannot sign in with one; increment adds to a number', async () => {
    const { password: _password, ...withoutPassword } = newUser('sulu');
    const created = await idm('alpha_user?_action=create', {
      method: 'POST',
      body: { ...withoutPassword, frIndexedInteger1: 1 },
    });
    expect(created.status, created.text).toBe(201);
    await expect(login(emulator, { userName: 'sulu', password: '' })).rejects.toThrow();
    const incremented = await idm(`alpha_user/${created.json._id as string}`, {
      method: 'PATCH',
      body: [{ operation: 'increment', field: '/frIndexedInteger1', value: 2 }],
    });
    expect(incremented.json.frIndexedInteger1).toBe(3);
    const setPassword = await idm(`alpha_user/${created.json._id as string}`, {
      method: 'PATCH',
      body: [{ operation: 'add', field: 'password', value: 'Su1u-pass!' }],
    });
    expect(setPassword.status).toBe(200);
    expect(await login(emulator, { userName: 'sulu', password: 'Su1u-pass!' })).toEqual(expect.any(String));
  });
});

describe('who may call', () => {
  it.each([
    ['the admin token', () => Promise.resolve(emulator.adminToken), 200],
    ['a service account token with fr:idm:*', () => serviceAccountToken('fr:idm:*'), 200],
    ['a service account token with fr:idc:esv:* only', () => serviceAccountToken('fr:idc:esv:*'), 403],
    ['no token', () => Promise.resolve(null), 401],
    ['a token the tenant never issued', () => Promise.resolve('nope'), 401],
  ] as const)('%s → %s', async (_label, token, status) => {
    const response = await idm('alpha_user?_queryFilter=true&_pageSize=1', { token: await token() });
    expect(response.status).toBe(status);
    if (status !== 200) expect(Object.keys(response.json)).toEqual(['code', 'reason', 'message']);
  });

  it('a refused create changes nothing', async () => {
    const response = await idm('alpha_user?_action=create', { method: 'POST', body: newUser('intruder'), token: null });
    expect(response.status).toBe(401);
    expect((await idm(`alpha_user?_queryFilter=${q('userName eq "intruder"')}`)).json.resultCount).toBe(0);
  });
});

describe('bad input changes nothing', () => {
  const count = async () =>
    (await idm('alpha_user?_queryFilter=true&_pageSize=0&_totalPagedResultsPolicy=EXACT')).json
      .totalPagedResults as number;

  it.each([
    ['malformed JSON', 'alpha_user?_action=create', 'POST', '{"userName": ', 400],
    ['an array body', 'alpha_user?_action=create', 'POST', '[]', 400],
    [
      'a missing required property',
      'alpha_user?_action=create',
      'POST',
      JSON.stringify({ userName: 'x1', password: 'p' }),
      403,
    ],
    [
      'a userName that is a number',
      'alpha_user?_action=create',
      'POST',
      JSON.stringify(newUser('x', { userName: 5 })),
      403,
    ],
    [
      'a password that is an object',
      'alpha_user?_action=create',
      'POST',
      JSON.stringify(newUser('x2', { password: {} })),
      403,
    ],
    [
      'an accountStatus of "gone"',
      'alpha_user?_action=create',
      'POST',
      JSON.stringify(newUser('x3', { accountStatus: 'gone' })),
      403,
    ],
    [
      'an _id that is not a UUID',
      'alpha_user?_action=create',
      'POST',
      JSON.stringify(newUser('x4', { _id: '__proto__' })),
      400,
    ],
    ['__proto__ as an id in the path', 'alpha_user/__proto__', 'PUT', JSON.stringify(newUser('x5')), 400],
    ['an unknown action', 'alpha_user?_action=explode', 'POST', '{}', 400],
    ['a bad query filter', `alpha_user?_queryFilter=${q('userName eq')}`, 'GET', undefined, 400],
    ['no query filter', 'alpha_user', 'GET', undefined, 400],
    ['a bad page size', 'alpha_user?_queryFilter=true&_pageSize=-1', 'GET', undefined, 400],
    ['a bad cookie', 'alpha_user?_queryFilter=true&_pagedResultsCookie=%25%25', 'GET', undefined, 400],
    ['__proto__ as a user object', '__proto___user?_queryFilter=true', 'GET', undefined, 404],
  ] as const)('%s → %i', async (_label, path, method, body, status) => {
    const before = await count();
    const response = await idm(path, { method, ...(body !== undefined ? { body } : {}) });
    expect(response.status, response.text).toBe(status);
    expect(response.json).toMatchObject({ code: status, reason: expect.any(String), message: expect.any(String) });
    expect(await count()).toBe(before);
  });

  it('PATCH with bad operations, or on _id, is refused and changes nothing', async () => {
    for (const body of [
      '{"operation": "replace"}',
      '[{"operation": "explode", "field": "/mail", "value": 1}]',
      '[{"operation": "replace", "field": "/_id", "value": "x"}]',
      '[{"operation": "replace", "field": "/__proto__/polluted", "value": 1}]',
      '[{"operation": "remove", "field": "/userName"}]',
      '[{"operation": "replace", "field": "/mail", "value": 42}]',
    ]) {
      const response = await idm(`alpha_user/${BJENSEN._id}`, { method: 'PATCH', body });
      expect([400, 403], body).toContain(response.status);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
    const read = await idm(`alpha_user/${BJENSEN._id}`);
    expect(read.json.userName).toBe('bjensen');
    expect(typeof read.json.mail).toBe('string');
  });

  it('prototype names as properties are ordinary data or dropped', async () => {
    const created = await idm('alpha_user?_action=create', {
      method: 'POST',
      body: `{"userName":"proto","givenName":"P","sn":"P","mail":"p@example.com","password":"x","__proto__":{"admin":true},"constructor":"c","admin":true}`,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.constructor).toBe('c');
    expect(created.json).not.toHaveProperty('admin');
    expect(emulator.tenant.users.findByUserName('/alpha', 'proto')?.admin).toBe(false);
  });

  it('a body over the limit is a 413 in CREST’s shape', async () => {
    const response = await idm('alpha_user?_action=create', {
      method: 'POST',
      body: JSON.stringify(newUser('huge', { description: 'x'.repeat(2 * 1024 * 1024) })),
    });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ code: 413, reason: 'Request Entity Too Large' });
  });
});
