/**
 * AIC's ESV API over HTTP (`/environment/*`, docs/fidelity.md "ESVs and managed users over REST"):
 * variables, secrets and versions, counts, the restart that loads what changed (a script reads a
 * variable set here once the restart is done), who may call it, and bad input answered with
 * AIC's `{code, message}` and changing nothing.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_SERVICE_ACCOUNT_ID, DEMO_SERVICE_ACCOUNT_JWK } from '../../emulator/index.js';
import { DEMO_CLIENT_SECRET } from '../../emulator/config/demo-tenant.js';
import { http, type RawResponse } from '../helpers/http.js';
import { startEmulator } from '../helpers/tenant.js';
import { runScript } from '../helpers/script-journey.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    config: { esvs: { 'esv-greeting': 'hello', 'esv-api-key': 'k3y-from-config' } },
  });
});
afterAll(() => emulator.close());

const b64 = (text: string) => Buffer.from(text).toString('base64');

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

function env(
  path: string,
  options: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const token = options.token === undefined ? emulator.adminToken : options.token;
  return http(`${emulator.url}/environment/${path}`, {
    method: options.method ?? 'GET',
    headers: {
      'accept-api-version': 'protocol=1.0,resource=1.0',
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
}

const restart = () => env('startup?_action=restart', { method: 'POST' });

describe('variables', () => {
  it('the config’s ESVs are loaded variables; esv-cookie holds the cookie name', async () => {
    const list = await env('variables?_queryFilter=true');
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toContain('application/json');
    expect(list.json.pagedResultsCookie).toBeNull();
    expect(list.json.remainingPagedResults).toBe(-1);
    const ids = (list.json.result as { _id: string }[]).map((item) => item._id);
    expect(ids).toContain('esv-greeting');
    expect(ids).toContain('esv-cookie');
    expect(ids).not.toContain('esv-api-key');
    const read = await env('variables/esv-greeting');
    expect(read.json).toEqual({
      _id: 'esv-greeting',
      description: '',
      expressionType: 'string',
      lastChangeDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      lastChangedBy: 'aic-emulator',
      loaded: true,
      valueBase64: b64('hello'),
    });
  });

  it('PUT upserts a pending variable; a script reads it only after the restart', async () => {
    const put = await env('variables/esv-api_url', {
      method: 'PUT',
      body: { valueBase64: b64('https://api.example.com'), description: 'the API', expressionType: 'string' },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ _id: 'esv-api_url', description: 'the API', loaded: false });
    expect((await env('count?_onlyPending=true')).json).toEqual({ secrets: 0, variables: 1 });
    expect((await env('variables?_onlyPending=true')).json.result.map((v: { _id: string }) => v._id)).toEqual([
      'esv-api_url',
    ]);
    const script = 'nodeState.putShared("result", String(systemEnv.getProperty("esv.api_url"))); outcome = "done";';
    expect((await runScript(emulator, script)).result).toBe('null');

    expect((await env('startup')).json).toEqual({ restartStatus: 'ready' });
    const restarting = await restart();
    expect(restarting.status).toBe(200);
    expect(restarting.json).toEqual({ restartStatus: 'restarting' });
    expect((await env('startup')).json).toEqual({ restartStatus: 'ready' });
    expect((await env('variables/esv-api_url')).json.loaded).toBe(true);
    expect((await runScript(emulator, script)).result).toBe('https://api.example.com');

    // A change waits for the next restart; the running value stays.
    await env('variables/esv-api_url', { method: 'PUT', body: { valueBase64: b64('https://v2.example.com') } });
    const pending = await env('variables/esv-api_url');
    expect(pending.json).toMatchObject({
      loaded: false,
      valueBase64: b64('https://v2.example.com'),
      description: 'the API',
    });
    expect((await runScript(emulator, script)).result).toBe('https://api.example.com');
    await restart();
    expect((await runScript(emulator, script)).result).toBe('https://v2.example.com');
  });

  it('changing the type is refused; setDescription; DELETE answers the object, then 404', async () => {
    await env('variables/esv-typed', { method: 'PUT', body: { valueBase64: b64('1'), expressionType: 'int' } });
    const changed = await env('variables/esv-typed', {
      method: 'PUT',
      body: { valueBase64: b64('x'), expressionType: 'string' },
    });
    expect(changed.status).toBe(400);
    expect(changed.json).toEqual({ code: 400, message: 'Changing the type of an existing variable is not permitted' });
    const described = await env('variables/esv-typed?_action=setDescription', {
      method: 'POST',
      body: { description: 'a number' },
    });
    expect(described.status).toBe(200);
    expect(described.json).toMatchObject({ description: 'a number', expressionType: 'int' });
    const deleted = await env('variables/esv-typed', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ _id: 'esv-typed', expressionType: 'int' });
    for (const [path, method] of [
      ['variables/esv-typed', 'GET'],
      ['variables/esv-typed', 'DELETE'],
    ] as const) {
      const missing = await env(path, { method });
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ code: 404, message: 'The variable does not exist' });
    }
    const describeMissing = await env('variables/esv-typed?_action=setDescription', {
      method: 'POST',
      body: { description: 'x' },
    });
    expect(describeMissing.json).toEqual({ code: 404, message: 'The variable does not exist' });
    // Delete, then create again with another type: allowed.
    expect(
      (await env('variables/esv-typed', { method: 'PUT', body: { valueBase64: b64('x'), expressionType: 'string' } }))
        .status,
    ).toBe(200);
  });

  it('lists page by _pageSize (at most 100) and _pagedResultsCookie, filter and sort', async () => {
    for (const n of [1, 2, 3])
      await env(`variables/esv-page-${n}`, { method: 'PUT', body: { valueBase64: b64(`${n}`) } });
    const first = await env(
      `variables?_queryFilter=${encodeURIComponent('/_id co "page"')}&_pageSize=2&_sortKeys=-_id`,
    );
    expect(first.json.result.map((v: { _id: string }) => v._id)).toEqual(['esv-page-3', 'esv-page-2']);
    expect(typeof first.json.pagedResultsCookie).toBe('string');
    const second = await env(
      `variables?_queryFilter=${encodeURIComponent('/_id co "page"')}&_pageSize=2&_sortKeys=-_id&_pagedResultsCookie=${first.json.pagedResultsCookie as string}`,
    );
    expect(second.json.result.map((v: { _id: string }) => v._id)).toEqual(['esv-page-1']);
    expect(second.json.pagedResultsCookie).toBeNull();
    const tooBig = await env('variables?_pageSize=101');
    expect(tooBig.status).toBe(400);
    expect(tooBig.json).toEqual({
      code: 400,
      message: 'parameter "_pageSize" in query has an error: number must be at most 100',
    });
    for (const query of ['_pageSize=abc', '_pageSize=-1', '_pagedResultsCookie=%%%', '_queryFilter=(((']) {
      const bad = await env(`variables?${query}`);
      expect(bad.status, query).toBe(400);
      expect(Object.keys(bad.json)).toEqual(['code', 'message']);
    }
  });
});

describe('secrets', () => {
  it('a secret named like one in the config is listed as a loaded secret, never with its value', async () => {
    const read = await env('secrets/esv-api-key');
    expect(read.status).toBe(200);
    expect(read.json).toEqual({
      _id: 'esv-api-key',
      activeVersion: '1',
      description: '',
      encoding: 'generic',
      lastChangeDate: expect.any(String),
      lastChangedBy: 'aic-emulator',
      loaded: true,
      loadedVersion: '1',
      useInPlaceholders: true,
    });
    expect(read.text).not.toContain(b64('k3y-from-config'));
    const missing = await env('secrets/esv-nope');
    expect(missing.json).toEqual({ code: 404, message: 'The secret does not exist or does not have a version' });
  });

  it('create-only PUT, versions, changestatus, destroy, and the restart loads the active version', async () => {
    const body = { valueBase64: b64('s3cr3t-v1'), description: 'db', encoding: 'generic', useInPlaceholders: true };
    const created = await env('secrets/esv-db', { method: 'PUT', body });
    expect(created.status, created.text).toBe(200);
    expect(created.json).toMatchObject({ _id: 'esv-db', activeVersion: '1', loaded: false, loadedVersion: '' });
    expect(created.text).not.toContain(b64('s3cr3t-v1'));
    const again = await env('secrets/esv-db', { method: 'PUT', body });
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ code: 400, message: 'Failed to create secret, the secret already exists' });

    const script = 'nodeState.putShared("result", String(systemEnv.getProperty("esv.db"))); outcome = "done";';
    expect((await runScript(emulator, script)).result).toBe('null');
    await restart();
    const run = await runScript(emulator, `logger.error(systemEnv.getProperty("esv.db")); ${script}`);
    expect(run.result).toBe('***');
    // The runs view masks a secret's value wherever a script shows it.
    expect(JSON.stringify(run.logs)).not.toContain('s3cr3t-v1');
    expect((await env('secrets/esv-db')).json).toMatchObject({ loaded: true, loadedVersion: '1' });

    const v2 = await env('secrets/esv-db/versions?_action=create', {
      method: 'POST',
      body: { valueBase64: b64('s3cr3t-v2') },
    });
    expect(v2.status).toBe(200);
    expect(v2.json).toEqual({ createDate: expect.any(String), loaded: false, status: 'ENABLED', version: '2' });
    const versions = await env('secrets/esv-db/versions');
    expect(versions.json.map((v: { version: string }) => v.version)).toEqual(['2', '1']);
    expect((await env('count?_onlyPending=true')).json.secrets).toBe(1);

    const latest = await env('secrets/esv-db/versions/2?_action=changestatus', {
      method: 'POST',
      body: { status: 'DISABLED' },
    });
    expect(latest.json).toEqual({ code: 400, message: 'Cannot disable latest secret version' });
    const disabled = await env('secrets/esv-db/versions/1?_action=changestatus', {
      method: 'POST',
      body: { status: 'DISABLED' },
    });
    expect(disabled.json).toMatchObject({ status: 'DISABLED', version: '1' });
    const destroyed = await env('secrets/esv-db/versions/1', { method: 'DELETE' });
    expect(destroyed.json).toMatchObject({ status: 'DESTROYED', version: '1' });
    expect((await env('secrets/esv-db/versions')).json.map((v: { status: string }) => v.status)).toEqual([
      'ENABLED',
      'DESTROYED',
    ]);
    await restart();
    const isV2 = 'nodeState.putShared("result", systemEnv.getProperty("esv.db") === "s3cr3t-v2"); outcome = "done";';
    expect((await runScript(emulator, isV2)).result).toBe(true);

    const described = await env('secrets/esv-db?_action=setDescription', {
      method: 'POST',
      body: { description: 'the database' },
    });
    expect(described.status).toBe(200);
    expect(described.text).toBe('');
    expect((await env('secrets/esv-db')).json.description).toBe('the database');
    const noVersion = await env('secrets/esv-none/versions?_action=create', {
      method: 'POST',
      body: { valueBase64: b64('x') },
    });
    expect(noVersion.json).toEqual({ code: 404, message: 'Failed to create secret version' });
  });

  it('a secret needs useInPlaceholders; bad pem content is a 500; secret values never reach the journal', async () => {
    const missing = await env('secrets/esv-nofield', { method: 'PUT', body: { valueBase64: b64('x') } });
    expect(missing.status).toBe(400);
    const pem = await env('secrets/esv-cert', {
      method: 'PUT',
      body: { valueBase64: b64('not a pem'), encoding: 'pem', useInPlaceholders: false },
    });
    expect(pem.status).toBe(500);
    expect(pem.json).toEqual({ code: 500, message: 'Failed to create secret' });
    expect((await env('secrets/esv-cert')).status).toBe(404);
    const unique = b64('journal-secret-value');
    await env('secrets/esv-journaled', { method: 'PUT', body: { valueBase64: unique, useInPlaceholders: false } });
    const created = await env('secrets/esv-journaled');
    expect(created.json).toMatchObject({ loaded: true, loadedVersion: '1', useInPlaceholders: false });
    const journal = await http(`${emulator.url}/__emulator/journal`);
    const entries = journal.json.result as {
      url: string;
      requestBody?: string;
      requestHeaders: Record<string, string>;
    }[];
    const put = entries.find((entry) => entry.url === '/environment/secrets/esv-journaled');
    expect(put).toBeDefined();
    expect(put?.requestBody).toContain('***');
    expect(journal.text).not.toContain(unique);
    expect(put?.requestHeaders['authorization']).toBe('Bearer ***');
  });
});

describe('deletes', () => {
  it('a deleted variable or secret leaves the API at once, never pending; its id can be used again', async () => {
    await env('variables/esv-gone', { method: 'PUT', body: { valueBase64: b64('g') } });
    await restart();
    expect((await env('count?_onlyPending=true')).json).toEqual({ secrets: 0, variables: 0 });
    expect((await env('variables/esv-gone', { method: 'DELETE' })).status).toBe(200);
    expect((await env('count?_onlyPending=true')).json).toEqual({ secrets: 0, variables: 0 });
    expect((await env('variables?_queryFilter=true')).json.result.map((v: { _id: string }) => v._id)).not.toContain(
      'esv-gone',
    );
    await env('secrets/esv-gone-secret', { method: 'PUT', body: { valueBase64: b64('s'), useInPlaceholders: true } });
    expect((await env('secrets/esv-gone-secret/versions/1')).json).toMatchObject({ version: '1', status: 'ENABLED' });
    const deleted = await env('secrets/esv-gone-secret', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.json._id).toBe('esv-gone-secret');
    expect((await env('secrets/esv-gone-secret')).status).toBe(404);
    expect((await env('count?_onlyPending=true')).json).toEqual({ secrets: 0, variables: 0 });
    const recreated = await env('variables/esv-gone', { method: 'PUT', body: { valueBase64: b64('again') } });
    expect(recreated.json).toMatchObject({ loaded: false, valueBase64: b64('again') });
    await restart();
  });

  it('an ESV deleted through the API is listed again once something else sets it (the control API)', async () => {
    await env('variables/esv-revived', { method: 'PUT', body: { valueBase64: b64('one') } });
    await restart();
    await env('variables/esv-revived', { method: 'DELETE' });
    expect((await env('variables/esv-revived')).status).toBe(404);
    // The store still holds the value (scripts keep reading it): unchanged, it stays out of the API.
    expect(emulator.tenant.esvs.get('esv-revived')).toBe('one');
    const set = await http(`${emulator.url}/__emulator/esvs/esv-revived`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'one' }),
    });
    expect(set.status, set.text).toBeLessThan(300);
    expect((await env('variables/esv-revived')).json).toMatchObject({ loaded: true, valueBase64: b64('one') });
  });
});

describe('count and startup', () => {
  it('count answers {secrets, variables}; an unknown action or method is refused', async () => {
    const counted = await env('count', { headers: { 'accept-api-version': 'resource=2.0' } });
    expect(Object.keys(counted.json)).toEqual(['secrets', 'variables']);
    expect(counted.json.variables).toBeGreaterThanOrEqual(2);
    expect((await env('startup?_action=stop', { method: 'POST' })).status).toBe(400);
    expect((await env('count', { method: 'DELETE' })).json).toEqual({ code: 405, message: 'Method Not Allowed' });
    expect((await env('nothing-here')).json).toEqual({ code: 404, message: 'Not Found' });
    expect((await env('nothing-here', { token: null })).json).toEqual({ code: 401, message: 'Unauthorized' });
  });
});

describe('who may call', () => {
  it.each([
    ['the admin token', () => Promise.resolve(emulator.adminToken), 200],
    ['a service account token with fr:idc:esv:*', () => serviceAccountToken('fr:idc:esv:*'), 200],
    ['a service account token with fr:am:* (an admin bearer)', () => serviceAccountToken('fr:am:*'), 200],
    ['a service account token with fr:idm:* only', () => serviceAccountToken('fr:idm:*'), 403],
    ['no token', () => Promise.resolve(null), 401],
    ['a token the tenant never issued', () => Promise.resolve('not-a-token'), 401],
  ] as const)('%s → %s', async (_label, token, status) => {
    const response = await env('variables', { token: await token() });
    expect(response.status).toBe(status);
    if (status !== 200) {
      expect(Object.keys(response.json)).toEqual(['code', 'message']);
      expect(response.json.code).toBe(status);
    }
  });

  it('an OAuth2 access token without an ESV scope is a 403', async () => {
    const grant = await http(`${emulator.url}/am/oauth2/realms/root/realms/alpha/access_token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`demoConfidentialClient:${DEMO_CLIENT_SECRET}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=am-introspect-all-tokens',
    });
    expect(grant.status, grant.text).toBe(200);
    expect((await env('variables', { token: grant.json.access_token as string })).status).toBe(403);
  });

  it('an OAuth2 access token with fr:idc:esv:read reads but neither writes nor restarts; :restart restarts', async () => {
    const added = await http(`${emulator.url}/__emulator/oauth2/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        realm: 'alpha',
        clientId: 'esv-tool',
        clientSecret: 'esv-tool-secret-1',
        grantTypes: ['client_credentials'],
        scopes: ['fr:idc:esv:read', 'fr:idc:esv:restart'],
      }),
    });
    expect(added.status, added.text).toBe(201);
    const token = async (scope: string) => {
      const grant = await http(`${emulator.url}/am/oauth2/realms/root/realms/alpha/access_token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from('esv-tool:esv-tool-secret-1').toString('base64')}`,
        },
        body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
      });
      expect(grant.status, grant.text).toBe(200);
      return grant.json.access_token as string;
    };
    const reader = await token('fr:idc:esv:read');
    expect((await env('variables/esv-greeting', { token: reader })).status).toBe(200);
    expect((await env('count', { token: reader })).status).toBe(200);
    expect(
      (await env('variables/esv-greeting', { method: 'PUT', body: { valueBase64: b64('x') }, token: reader })).status,
    ).toBe(403);
    expect((await env('startup?_action=restart', { method: 'POST', token: reader })).status).toBe(403);
    const restarter = await token('fr:idc:esv:restart');
    expect((await env('startup?_action=restart', { method: 'POST', token: restarter })).status).toBe(200);
    expect((await env('variables', { token: restarter })).status).toBe(403);
    expect((await env('variables/esv-greeting')).json.valueBase64).toBe(b64('hello'));
  });

  it('a refused caller changes nothing, and is journaled', async () => {
    const put = await env('variables/esv-sneaky', { method: 'PUT', body: { valueBase64: b64('x') }, token: null });
    expect(put.status).toBe(401);
    expect((await env('variables/esv-sneaky')).status).toBe(404);
    const journal = await http(`${emulator.url}/__emulator/journal`);
    expect(
      (journal.json.result as { url: string; status: number }[]).some(
        (entry) => entry.url === '/environment/variables/esv-sneaky' && entry.status === 401,
      ),
    ).toBe(true);
  });
});

describe('bad input changes nothing', () => {
  it.each([
    ['malformed JSON', 'variables/esv-bad', 'PUT', '{"valueBase64": '],
    ['a body that is an array', 'variables/esv-bad', 'PUT', '[]'],
    ['a value that is not a string', 'variables/esv-bad', 'PUT', '{"valueBase64": 5}'],
    ['a value that is not base64', 'variables/esv-bad', 'PUT', '{"valueBase64": "***"}'],
    ['no value', 'variables/esv-bad', 'PUT', '{"description": "x"}'],
    ['an unknown expressionType', 'variables/esv-bad', 'PUT', '{"valueBase64": "eA==", "expressionType": "date"}'],
    ['a description that is not a string', 'variables/esv-bad', 'PUT', '{"valueBase64": "eA==", "description": {}}'],
    ['an id in capitals', 'variables/esv-BAD', 'PUT', '{"valueBase64": "eA=="}'],
    ['__proto__ as an id', 'variables/__proto__', 'PUT', '{"valueBase64": "eA=="}'],
    ['esv-__proto__ with __proto__ in the body', 'variables/esv-bad', 'PUT', '{"__proto__": {"valueBase64": "eA=="}}'],
    ['an id of 125 characters after esv-', `variables/esv-${'a'.repeat(125)}`, 'PUT', '{"valueBase64": "eA=="}'],
    ['a secret without a value', 'secrets/esv-bad', 'PUT', '{"useInPlaceholders": true}'],
    [
      'a secret with useInPlaceholders "yes"',
      'secrets/esv-bad',
      'PUT',
      '{"valueBase64": "eA==", "useInPlaceholders": "yes"}',
    ],
    [
      'an unknown encoding',
      'secrets/esv-bad',
      'PUT',
      '{"valueBase64": "eA==", "useInPlaceholders": true, "encoding": "x"}',
    ],
    ['an unknown status', 'secrets/esv-api-key/versions/1?_action=changestatus', 'POST', '{"status": "GONE"}'],
  ])('%s → 400', async (_label, path, method, body) => {
    const before = (await env('count')).json;
    const response = await env(path, { method, body });
    expect(response.status, response.text).toBe(400);
    expect(Object.keys(response.json)).toEqual(['code', 'message']);
    expect((await env('count')).json).toEqual(before);
    expect((await env('variables/esv-bad')).status).toBe(404);
    expect(Object.hasOwn(Object.prototype, 'valueBase64')).toBe(false);
  });

  it('a body over the limit is a 413 in the API’s shape', async () => {
    const response = await env('variables/esv-huge', {
      method: 'PUT',
      body: JSON.stringify({ valueBase64: 'A'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(Object.keys(response.json)).toEqual(['code', 'message']);
    expect((await env('variables/esv-huge')).status).toBe(404);
  });

  it('esv-__proto__ is an ordinary id', async () => {
    const put = await env('variables/esv-__proto__', { method: 'PUT', body: { valueBase64: b64('p') } });
    expect(put.status).toBe(200);
    expect((await env('variables/esv-__proto__')).json.valueBase64).toBe(b64('p'));
    expect((await env('variables/esv-__proto__', { method: 'DELETE' })).status).toBe(200);
  });
});

describe('a reset', () => {
  it('forgets what the API changed', async () => {
    const own = await startEmulator();
    try {
      const put = await http(`${own.url}/environment/variables/esv-temp`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${own.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ valueBase64: b64('t') }),
      });
      expect(put.status).toBe(200);
      await http(`${own.url}/__emulator/reset`, { method: 'POST' });
      const read = await http(`${own.url}/environment/variables/esv-temp`, {
        headers: { authorization: `Bearer ${own.adminToken}` },
      });
      expect(read.status).toBe(404);
    } finally {
      await own.close();
    }
  });
});
