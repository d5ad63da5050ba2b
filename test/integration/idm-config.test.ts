/**
 * IDM's configuration objects over HTTP (`/openidm/config`, docs/fidelity.md "IDM config"): the
 * list of ids, queries, read, PUT (create and replace), PATCH and DELETE of objects whose ids
 * have a slash (`ui/themerealm`, `emailTemplate/<name>`), the headers AIC answers with, who may
 * call, bad input answered with CREST's errors and changing nothing, and a reset bringing the
 * seed back. Recorded answers: aic-idm-managed-config-email-theme.har.
 */
import { randomUUID } from 'node:crypto';
import { request as nodeRequest } from 'node:http';
import { SignJWT, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_SERVICE_ACCOUNT_ID, DEMO_SERVICE_ACCOUNT_JWK } from '../../emulator/index.js';
import { http, type RawResponse } from '../helpers/http.js';
import { startEmulator } from '../helpers/tenant.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
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

/** As frodo asks: no Accept-API-Version, JSON content type. */
function config(
  path: string,
  options: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const token = options.token === undefined ? emulator.adminToken : options.token;
  return http(`${emulator.url}/openidm/config${path}`, {
    method: options.method ?? 'GET',
    headers: {
      accept: 'application/json, text/plain, */*',
      'content-type': 'application/json',
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
}

const q = (filter: string) => encodeURIComponent(filter);
const NOT_FOUND = { code: 404, reason: 'Not Found', message: 'Not Found' };

/** A template as frodo-lib's IdmConfigOps test puts it [real: #6]. */
const TEMPLATE = {
  defaultLocale: 'en',
  displayName: 'Frodo Test Email Template Five',
  enabled: true,
  from: '',
  message: { en: '<h3>Click</h3><h4><a href="{{object.resumeURI}}">Proceed</a></h4>' },
  mimeType: 'text/html',
  subject: { en: 'Multi-Factor Email for Identity Cloud login' },
};

function expectIdmHeaders(response: RawResponse): void {
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['content-api-version']).toBe('protocol=2.1,resource=1.0');
  expect(response.headers['content-type']).toBe('application/json;charset=utf-8');
  expect(response.headers['etag']).toBeUndefined();
}

describe('the theme (ui/themerealm)', () => {
  it('a fresh tenant has the recorded empty form; PUT replaces it (200) and GET reads it back', async () => {
    const before = await config('/ui/themerealm');
    expect(before.status, before.text).toBe(200);
    expectIdmHeaders(before);
    expect(before.text).toBe('{"_id":"ui/themerealm","realm":{}}');

    const themes = {
      _id: 'ui/themerealm',
      realm: { alpha: [{ _id: 'c1', name: 'Contrast', isDefault: false, linkedTrees: ['Login'] }] },
    };
    const put = await config('/ui/themerealm', { method: 'PUT', body: themes });
    expect(put.status, put.text).toBe(200);
    expectIdmHeaders(put);
    expect(put.headers['location']).toBeUndefined();
    expect(put.json).toEqual(themes);

    const after = await config('/ui/themerealm');
    expect(after.json).toEqual(themes);
    expect(Object.keys(after.json)[0]).toBe('_id');
  });
});

describe('email templates', () => {
  it('PUT creates: 201, Location as IDM builds it, the object with its _id first', async () => {
    const missing = await config('/emailTemplate/frodoFive');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual(NOT_FOUND);
    expectIdmHeaders(missing);

    const created = await config('/emailTemplate/frodoFive?waitForCompletion=true', { method: 'PUT', body: TEMPLATE });
    expect(created.status, created.text).toBe(201);
    expectIdmHeaders(created);
    expect(created.headers['location']).toBe(`${emulator.url}/openidm/config/emailTemplate/emailTemplate/frodoFive`);
    expect(created.json).toEqual({ _id: 'emailTemplate/frodoFive', ...TEMPLATE });
    expect(Object.keys(created.json)[0]).toBe('_id');

    const read = await config('/emailTemplate/frodoFive');
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
  });

  it('PUT on an existing template replaces it whole: 200, no Location; fields not sent are gone', async () => {
    await config('/emailTemplate/frodoTwo', { method: 'PUT', body: TEMPLATE });
    // frodo's importConfigEntities sent `{id, data}` and IDM stored that as the object [real: #8].
    const body = { id: 'emailTemplate/frodoTwo', data: { enabled: false } };
    const replaced = await config('/emailTemplate/frodoTwo', { method: 'PUT', body });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.headers['location']).toBeUndefined();
    expect(replaced.json).toEqual({ _id: 'emailTemplate/frodoTwo', ...body });
    expect((await config('/emailTemplate/frodoTwo')).json).toEqual(replaced.json);
  });

  it('DELETE answers the deleted object; then it is 404, and a second DELETE is 404', async () => {
    await config('/emailTemplate/deleteTemplate', { method: 'PUT', body: TEMPLATE });
    const deleted = await config('/emailTemplate/deleteTemplate', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expectIdmHeaders(deleted);
    expect(deleted.json).toEqual({ _id: 'emailTemplate/deleteTemplate', ...TEMPLATE });
    expect((await config('/emailTemplate/deleteTemplate')).status).toBe(404);
    const again = await config('/emailTemplate/deleteTemplate', { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.json).toEqual(NOT_FOUND);
  });

  it('the default journeys’ templates are there as AIC has them', async () => {
    const registration = await config('/emailTemplate/registration');
    expect(registration.status).toBe(200);
    expect(registration.json).toMatchObject({
      _id: 'emailTemplate/registration',
      enabled: true,
      from: '',
      mimeType: 'text/html',
      defaultLocale: 'en',
      subject: { en: 'Register new account', fr: 'Créer un nouveau compte' },
    });
    for (const name of ['resetPassword', 'forgottenUsername', 'updatePassword', 'welcome'])
      expect((await config(`/emailTemplate/${name}`)).status, name).toBe(200);
  });

  it('PATCH changes one field', async () => {
    await config('/emailTemplate/patched', { method: 'PUT', body: TEMPLATE });
    const patched = await config('/emailTemplate/patched', {
      method: 'PATCH',
      body: [{ operation: 'replace', field: '/enabled', value: false }],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toEqual({ _id: 'emailTemplate/patched', ...TEMPLATE, enabled: false });
  });
});

describe('list and query', () => {
  it("`_id sw 'emailTemplate'`: the templates whole, sorted by id, counted EXACT", async () => {
    const response = await config(`?_queryFilter=${q("_id sw 'emailTemplate'")}`);
    expect(response.status, response.text).toBe(200);
    expectIdmHeaders(response);
    const ids = (response.json.result as { _id: string }[]).map((item) => item._id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['emailTemplate/registration', 'emailTemplate/welcome']));
    expect(ids.every((id) => id.startsWith('emailTemplate/'))).toBe(true);
    expect(response.json).toMatchObject({
      resultCount: ids.length,
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'EXACT',
      totalPagedResults: ids.length,
      remainingPagedResults: -1,
    });
    expect(response.json.result[0]).toHaveProperty('subject');
  });

  it('`_queryFilter=true` (frodo idm list) answers every object', async () => {
    const response = await config('?_queryFilter=true');
    expect(response.status).toBe(200);
    const ids = (response.json.result as { _id: string }[]).map((item) => item._id);
    expect(ids).toContain('ui/themerealm');
    expect(ids).toContain('emailTemplate/resetPassword');
  });

  it('GET /openidm/config lists ids with pid and factoryPid', async () => {
    const response = await config('');
    expect(response.status, response.text).toBe(200);
    expectIdmHeaders(response);
    expect(response.json._id).toBe('');
    const theme = (response.json.configurations as { _id: string }[]).find((item) => item._id === 'ui/themerealm');
    expect(theme).toEqual({
      _id: 'ui/themerealm',
      pid: expect.stringMatching(/^ui\.[0-9a-f-]{36}$/),
      factoryPid: 'ui',
    });
    const again = await config('');
    expect(again.json).toEqual(response.json);
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
    const response = await config('/ui/themerealm', { token: await token() });
    expect(response.status).toBe(status);
    if (status === 401) expect(response.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
    if (status === 403) expect(response.json).toEqual({ code: 403, reason: 'Forbidden', message: 'Access Denied' });
  });

  it('a refused PUT or DELETE changes nothing', async () => {
    const token = await serviceAccountToken('fr:idc:esv:*');
    expect((await config('/emailTemplate/intruder', { method: 'PUT', body: TEMPLATE, token })).status).toBe(403);
    expect((await config('/emailTemplate/registration', { method: 'DELETE', token: null })).status).toBe(401);
    expect((await config('/emailTemplate/intruder')).status).toBe(404);
    expect((await config('/emailTemplate/registration')).status).toBe(200);
  });
});

describe('bad input changes nothing', () => {
  const snapshot = async () => (await config('?_queryFilter=true')).text;

  it.each([
    ['malformed JSON', '/emailTemplate/bad', 'PUT', '{"subject": ', 400],
    ['an array body', '/emailTemplate/bad', 'PUT', '[]', 400],
    ['a string body', '/emailTemplate/bad', 'PUT', '"x"', 400],
    ['null', '/emailTemplate/bad', 'PUT', 'null', 400],
    ['no body', '/emailTemplate/bad', 'PUT', undefined, 400],
    ['a body nested too deep', '/emailTemplate/bad', 'PUT', `${'['.repeat(1500)}${']'.repeat(1500)}`, 400],
    ['a body over the limit', '/emailTemplate/bad', 'PUT', JSON.stringify({ a: 'x'.repeat(1_100_000) }), 413],
    ['`..` in a template id', '/emailTemplate/..', 'PUT', '{}', 400],
    ['a NUL in an id', '/emailTemplate/a%00b', 'PUT', '{}', 400],
    ['a slash inside a part', '/emailTemplate/a%2Fb', 'PUT', '{}', 400],
    ['three parts', '/emailTemplate/a/b', 'PUT', '{}', 400],
    ['a very long id', `/emailTemplate/${'a'.repeat(5000)}`, 'PUT', '{}', 400],
    ['__proto__', '/__proto__', 'PUT', '{}', 400],
    ['bad percent-encoding', '/emailTemplate/%zz', 'PUT', '{}', 400],
    ['an empty part', '/emailTemplate//x', 'PUT', '{}', 400],
    ['a PUT on the collection', '', 'PUT', '{}', 405],
    ['a POST action', '?_action=create', 'POST', '{}', 400],
    ['a bad query filter', `?_queryFilter=${q("_id sw 'x")}`, 'GET', undefined, 400],
    ['a query filter with no value', `?_queryFilter=${q('_id sw')}`, 'GET', undefined, 400],
    [
      'a filter nested too deep',
      `?_queryFilter=${q(`${'('.repeat(500)}true${')'.repeat(500)}`)}`,
      'GET',
      undefined,
      400,
    ],
    ['a PATCH that is not a list', '/ui/themerealm', 'PATCH', '{}', 400],
    [
      'a PATCH changing _id',
      '/ui/themerealm',
      'PATCH',
      JSON.stringify([{ operation: 'replace', field: '/_id', value: 'x' }]),
      400,
    ],
    ['a GET of a NUL id', '/a%00', 'GET', undefined, 404],
    ['a GET of three parts', '/ui/themerealm/x', 'GET', undefined, 404],
  ] as const)('%s → %s', async (_label, path, method, body, status) => {
    const before = await snapshot();
    const response = await config(path, { method, ...(body !== undefined ? { body } : {}) });
    expect(response.status, response.text).toBe(status);
    expect(Object.keys(response.json)).toEqual(['code', 'reason', 'message']);
    expect(response.json.code).toBe(status);
    // Lower-case from this API; a URL Fastify cannot decode is answered before it, in AM's case.
    expect(String(response.headers['content-type']).toLowerCase()).toBe('application/json;charset=utf-8');
    expect(await snapshot()).toBe(before);
  });
});

describe('dot segments reach the API as they are sent (clients like undici would resolve them)', () => {
  function raw(method: string, path: string, body?: string): Promise<{ status: number; json: unknown }> {
    const { hostname, port } = new URL(emulator.url);
    return new Promise((resolve, reject) => {
      const request = nodeRequest(
        {
          hostname,
          port,
          method,
          path,
          headers: { authorization: `Bearer ${emulator.adminToken}`, 'content-type': 'application/json' },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  it.each([
    ['PUT', '/openidm/config/..', '{}', 400],
    ['PUT', '/openidm/config/emailTemplate/..', '{}', 400],
    ['PUT', '/openidm/config/./x', '{}', 400],
    ['GET', '/openidm/config/..', undefined, 404],
    ['DELETE', '/openidm/config/emailTemplate/..', undefined, 404],
  ] as const)('%s %s → %s', async (method, path, body, status) => {
    const before = (await config('?_queryFilter=true')).text;
    const response = await raw(method, path, body);
    expect(response.status).toBe(status);
    expect(response.json).toMatchObject({ code: status });
    expect((await config('?_queryFilter=true')).text).toBe(before);
  });
});

describe('reset', () => {
  it('brings the seed back: changed, deleted and created objects', async () => {
    await emulator.reset();
    const seed = await config('?_queryFilter=true');
    await config('/ui/themerealm', { method: 'PUT', body: { realm: { alpha: [] } } });
    await config('/emailTemplate/registration', { method: 'DELETE' });
    await config('/emailTemplate/extra', { method: 'PUT', body: TEMPLATE });
    await emulator.reset();
    const after = await config('?_queryFilter=true');
    expect(after.json).toEqual(seed.json);
    expect((await config('/ui/themerealm')).json).toEqual({ _id: 'ui/themerealm', realm: {} });
    expect((await config('/emailTemplate/extra')).status).toBe(404);
  });
});
