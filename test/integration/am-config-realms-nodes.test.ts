/**
 * The rest of AM's config REST that frodo and the admin tools call: the realms under
 * `/am/json/global-config/realms` (frodo-lib RealmApi.ts; aic-global-realms-feature-cors.har), the
 * tenant-global `/feature` frodo reads when it signs in, and the node type actions
 * `listOutcomes`, `schema` and `template` (am-external's admin UI NodeService.js;
 * aic-alpha-journey-nodes-rest.har #9). Administrators only; AM-shaped errors for bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/config/demo-tenant.js';
import { http, type RawResponse } from '../helpers/http.js';
import { ALPHA, DEMO, ROOT, login, startEmulator } from '../helpers/tenant.js';

const REALMS = '/am/json/global-config/realms';
const REALM_VERSION = 'protocol=2.0,resource=1.0';
const NODES = `${ALPHA}/realm-config/authentication/authenticationtrees/nodes`;
const NODE_VERSION = 'protocol=2.1,resource=1.0';
const NODE_VERSION_3 = 'protocol=2.1,resource=3.0';
const HIDDEN = {
  code: 403,
  reason: 'Forbidden',
  message: 'This operation is not available in PingOne Advanced Identity Cloud.',
};

let emulator: Emulator;
let admin: Record<string, string>;
let tenantAdmin: Record<string, string>;
let user: Record<string, string>;

beforeAll(async () => {
  emulator = await startEmulator({
    config: { realms: [{ path: '/' }, { path: '/alpha' }, { path: '/bravo' }, { path: '/alpha/sub' }] },
  });
  admin = { authorization: `Bearer ${emulator.adminToken}` };
  const adminToken = await login(
    emulator,
    { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD },
    ROOT,
  );
  tenantAdmin = { [emulator.cookieName]: adminToken };
  user = { [emulator.cookieName]: await login(emulator, DEMO) };
});
afterAll(() => emulator.close());

function send(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string; version?: string } = {},
): Promise<RawResponse> {
  return http(`${emulator.url}${url}`, {
    method,
    headers: {
      'accept-api-version': options.version ?? REALM_VERSION,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.headers ?? admin),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
}

const action = (url: string, body: string | undefined, headers = admin, version = NODE_VERSION) =>
  send('POST', url, { headers, version, ...(body !== undefined ? { body } : {}) });

const crestError = (response: RawResponse, code: number, message?: string) => {
  expect(response.status, response.text).toBe(code);
  expect(Object.keys(response.json ?? {})).toEqual(expect.arrayContaining(['code', 'message', 'reason']));
  expect(response.json.code).toBe(code);
  if (message !== undefined) expect(response.json.message).toBe(message);
};

describe('global-config/realms', () => {
  it('lists the realms below root, as AIC does, with and without the trailing slash', async () => {
    for (const url of [`${REALMS}/?_queryFilter=true`, `${REALMS}?_queryFilter=true`]) {
      const response = await send('GET', url);
      expect(response.status, response.text).toBe(200);
      expect(response.headers['content-api-version']).toBe('resource=1.0');
      expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
      const body = response.json;
      expect(body).toMatchObject({
        resultCount: 3,
        pagedResultsCookie: null,
        totalPagedResultsPolicy: 'NONE',
        totalPagedResults: -1,
        remainingPagedResults: -1,
      });
      expect(body.result.map((realm: any) => realm.name)).toEqual(['alpha', 'sub', 'bravo']);
      const [alpha, sub] = body.result;
      expect(Object.keys(alpha)).toEqual(['_id', '_rev', 'parentPath', 'active', 'name', 'aliases']);
      expect(alpha).toMatchObject({ _id: 'L2FscGhh', parentPath: '/', active: true, name: 'alpha', aliases: [] });
      expect(alpha._rev).toMatch(/^-?\d+$/);
      expect(sub).toMatchObject({ _id: Buffer.from('/alpha/sub').toString('base64url'), parentPath: '/alpha' });
    }
  });

  it('filters and projects as a CREST query', async () => {
    const response = await send('GET', `${REALMS}?_queryFilter=${encodeURIComponent('name eq "bravo"')}&_fields=name`);
    expect(response.status, response.text).toBe(200);
    expect(response.json.result).toEqual([{ _id: 'L2JyYXZv', _rev: expect.any(String), name: 'bravo' }]);
    crestError(await send('GET', `${REALMS}?_queryFilter=${encodeURIComponent('name eq')}`), 400);
  });

  it('reads a realm by the base64 of its path, with its revision as the ETag', async () => {
    const list = (await send('GET', `${REALMS}?_queryFilter=true`)).json.result;
    const response = await send('GET', `${REALMS}/L2FscGhh`);
    expect(response.status, response.text).toBe(200);
    expect(response.json).toEqual(list[0]);
    expect(response.headers['etag']).toBe(`"${list[0]._rev}"`);
    // Padded and standard base64 name the same realm.
    const sub = Buffer.from('/alpha/sub').toString('base64');
    expect((await send('GET', `${REALMS}/${encodeURIComponent(sub)}`)).json.name).toBe('sub');
  });

  it('refuses the root realm, an unknown realm and an id that is not base64', async () => {
    expect((await send('GET', `${REALMS}/Lw`)).json).toEqual(HIDDEN);
    crestError(await send('GET', `${REALMS}/${Buffer.from('/nope').toString('base64url')}`), 404, 'Not Found');
    crestError(await send('GET', `${REALMS}/not*base64`), 400);
    crestError(await send('GET', `${REALMS}/A`), 400);
    crestError(await send('GET', `${REALMS}/${Buffer.from('alpha').toString('base64url')}`), 400);
  });

  it('create, replace and delete are refused as AIC hides them, whoever calls; nothing changes', async () => {
    const body = JSON.stringify({ name: 'gamma', active: true, parentPath: '/', aliases: [] });
    expect((await send('POST', `${REALMS}?_action=create`, { body })).json).toEqual(HIDDEN);
    expect((await send('POST', `${REALMS}?_action=create`, { body, headers: {} })).json).toEqual(HIDDEN);
    const alpha = JSON.stringify({ name: 'alpha', active: true, parentPath: '/', aliases: ['x.example.com'] });
    expect((await send('PUT', `${REALMS}/L2FscGhh`, { body: alpha })).json).toEqual(HIDDEN);
    expect((await send('DELETE', `${REALMS}/L2FscGhh`)).json).toEqual(HIDDEN);
    const names = (await send('GET', `${REALMS}?_queryFilter=true`)).json.result.map((realm: any) => realm.name);
    expect(names).toEqual(['alpha', 'sub', 'bravo']);
    expect((await send('GET', `${REALMS}/L2FscGhh`)).json.aliases).toEqual([]);
  });

  it('other actions are 501; a malformed body is 400', async () => {
    crestError(await send('POST', `${REALMS}?_action=nope`, { body: '{}' }), 501);
    crestError(await send('POST', `${REALMS}?_action=nope`, { body: '{"a":' }), 400);
  });

  it('is mounted at the root realm only', async () => {
    crestError(await send('GET', `${ALPHA}/global-config/realms?_queryFilter=true`), 404);
    crestError(await send('GET', '/am/json/global-config/services?_queryFilter=true'), 404);
    expect((await send('GET', `${ROOT}/global-config/realms?_queryFilter=true`)).status).toBe(200);
  });

  it.each([
    ['list', `${REALMS}/?_queryFilter=true`],
    ['read', `${REALMS}/L2FscGhh`],
  ])('%s: admin bearer and tenant admin 200; user 403; nobody 401', async (_, url) => {
    expect((await send('GET', url, { headers: admin })).status).toBe(200);
    expect((await send('GET', url, { headers: tenantAdmin })).status).toBe(200);
    expect((await send('GET', url, { headers: user })).json).toEqual({
      code: 403,
      reason: 'Forbidden',
      message: 'Forbidden',
    });
    expect((await send('GET', url, { headers: {} })).json).toEqual({
      code: 401,
      reason: 'Unauthorized',
      message: 'Access Denied',
    });
    expect((await send('GET', url, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
  });
});

describe('/feature', () => {
  it('answers the recorded features to an administrator', async () => {
    for (const headers of [admin, tenantAdmin]) {
      const response = await http(`${emulator.url}/feature?_queryFilter=true`, { headers });
      expect(response.status, response.text).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.json).toEqual({
        result: [{ _id: 'service-accounts', installedVersion: '1', availableVersions: ['1'] }],
      });
    }
  });

  it('refuses nobody (401) and a user (403); other paths and methods are not served', async () => {
    expect((await http(`${emulator.url}/feature?_queryFilter=true`, {})).status).toBe(401);
    expect((await http(`${emulator.url}/feature?_queryFilter=true`, { headers: user })).status).toBe(403);
    expect((await http(`${emulator.url}/feature/x`, { headers: admin })).status).toBe(404);
    expect((await http(`${emulator.url}/feature`, { method: 'DELETE', headers: admin })).status).toBe(405);
  });
});

describe('node type actions', () => {
  it('listOutcomes: the outcomes of a node so configured', async () => {
    const scripted = await action(
      `${NODES}/ScriptedDecisionNode?_action=listOutcomes`,
      JSON.stringify({ script: 'x', outcomes: ['Success', 'No Session'], inputs: ['*'], outputs: ['*'] }),
    );
    expect(scripted.status, scripted.text).toBe(200);
    expect(scripted.json).toEqual([
      { id: 'Success', displayName: 'Success' },
      { id: 'No Session', displayName: 'No Session' },
    ]);
    const inner = await action(
      `${NODES}/InnerTreeEvaluatorNode?_action=listOutcomes`,
      JSON.stringify({ tree: 'Login', displayErrorOutcome: true }),
    );
    expect(inner.json.map((outcome: any) => outcome.id)).toEqual(['true', 'false', 'error']);
    const decision = await action(`${NODES}/DataStoreDecisionNode?_action=listOutcomes`, undefined);
    expect(decision.json).toEqual([
      { id: 'true', displayName: 'True' },
      { id: 'false', displayName: 'False' },
    ]);
  });

  it('listOutcomes of a Page Node: its last child’s, with the child’s configuration in _properties', async () => {
    const body = {
      nodes: [
        { _id: 'a', nodeType: 'ValidatedUsernameNode', displayName: 'Username', _properties: {} },
        {
          _id: 'b',
          nodeType: 'ScriptedDecisionNode',
          displayName: 'Check',
          _properties: { script: 'x', outcomes: ['yes', 'no'], inputs: [], outputs: [] },
        },
      ],
    };
    const response = await action(`${NODES}/PageNode?_action=listOutcomes`, JSON.stringify(body));
    expect(response.status, response.text).toBe(200);
    expect(response.json.map((outcome: any) => outcome.id)).toEqual(['yes', 'no']);
    expect((await action(`${NODES}/PageNode?_action=listOutcomes`, '{"nodes":[]}')).json).toEqual([]);
  });

  it('schema: the recorded schema of ValidatedUsernameNode, resource 1.0 and 3.0', async () => {
    const response = await action(`${NODES}/ValidatedUsernameNode?_action=schema`, '{}');
    expect(response.status, response.text).toBe(200);
    expect(response.json.type).toBe('object');
    expect(Object.keys(response.json.properties)).toEqual([
      'validateInput',
      'usernameAttribute',
      'prepopulate',
      'autocompleteValues',
    ]);
    expect(response.json.properties.usernameAttribute).toEqual({
      title: 'Username Attribute',
      description: 'The name of the attribute in the IDM object that stores the username.',
      propertyOrder: 200,
      type: 'string',
      exampleValue: '',
      default: 'userName',
    });
    const versioned = await action(`${NODES}/ValidatedUsernameNode/2.0?_action=schema`, '{}', admin, NODE_VERSION_3);
    expect(versioned.status, versioned.text).toBe(200);
    expect(versioned.headers['content-api-version']).toBe('resource=3.0');
    expect(versioned.json).toEqual(response.json);
  });

  it('schema of a node without settings, and of the other types', async () => {
    expect((await action(`${NODES}/DataStoreDecisionNode?_action=schema`, '{}')).json).toEqual({
      type: 'object',
      required: [],
    });
    const message = (await action(`${NODES}/MessageNode?_action=schema`, '{}')).json;
    expect(Object.keys(message.properties)).toEqual(['message', 'messageYes', 'messageNo', 'stateField']);
    expect(message.properties.message).toMatchObject({
      type: 'object',
      patternProperties: { '.*': { type: 'string' } },
    });
    expect(message.required).not.toContain('stateField');
  });

  it('template: the defaults of a new node', async () => {
    const response = await action(`${NODES}/ValidatedUsernameNode?_action=template`, '{}');
    expect(response.status, response.text).toBe(200);
    expect(response.json).toEqual({
      validateInput: false,
      usernameAttribute: 'userName',
      prepopulate: false,
      autocompleteValues: [],
    });
    expect((await action(`${NODES}/RetryLimitDecisionNode?_action=template`, '{}')).json).toEqual({
      retryLimit: 3,
      incrementUserAttributeOnFailure: true,
    });
    expect((await action(`${NODES}/DataStoreDecisionNode?_action=template`, undefined)).json).toEqual({});
  });

  it('bad input: unknown type 404, malformed or non-object body 400, unknown action 501', async () => {
    crestError(await action(`${NODES}/NoSuchNode?_action=schema`, '{}'), 404, 'Not Found');
    crestError(await action(`${NODES}/NoSuchNode?_action=listOutcomes`, '{}'), 404, 'Not Found');
    crestError(await action(`${NODES}/ScriptedDecisionNode?_action=listOutcomes`, '{"outcomes":'), 400);
    crestError(await action(`${NODES}/ScriptedDecisionNode?_action=listOutcomes`, '["x"]'), 400);
    crestError(await action(`${NODES}/ScriptedDecisionNode?_action=nope`, '{}'), 501);
    const odd = await action(
      `${NODES}/ScriptedDecisionNode?_action=listOutcomes`,
      JSON.stringify({ outcomes: 'not a list' }),
    );
    expect(odd.status, odd.text).toBe(200);
    expect(odd.json).toEqual([]);
    expect((await action(`${NODES}/PageNode?_action=listOutcomes`, '{"nodes":{"x":1}}')).json).toEqual([]);
  });

  it.each(['listOutcomes', 'schema', 'template'])(
    '%s: admin bearer and tenant admin 200; user 403; nobody 401; root realm refused',
    async (name) => {
      const url = `${NODES}/MessageNode?_action=${name}`;
      expect((await action(url, '{}', admin)).status).toBe(200);
      expect((await action(url, '{}', tenantAdmin)).status).toBe(200);
      expect((await action(url, '{}', user)).json).toEqual({ code: 403, reason: 'Forbidden', message: 'Forbidden' });
      expect((await action(url, '{}', {})).json).toEqual({
        code: 401,
        reason: 'Unauthorized',
        message: 'Access Denied',
      });
      const root = `${ROOT}/realm-config/authentication/authenticationtrees/nodes/MessageNode?_action=${name}`;
      expect((await action(root, '{}', admin)).json).toEqual(HIDDEN);
      // Another realm's node actions answer as alpha's; an unknown realm is 404.
      const bravo = `/am/json/realms/root/realms/bravo/realm-config/authentication/authenticationtrees/nodes/MessageNode?_action=${name}`;
      expect((await action(bravo, '{}', admin)).status).toBe(200);
      const nowhere = `/am/json/realms/root/realms/nope/realm-config/authentication/authenticationtrees/nodes/MessageNode?_action=${name}`;
      crestError(await action(nowhere, '{}', admin), 404);
    },
  );
});
