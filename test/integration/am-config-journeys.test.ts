/**
 * The journeys over AM's config REST (issue 18, read side): trees, nodes and node types under
 * `realm-config/authentication/authenticationtrees`, and scripts, as frodo and the admin UI read
 * them (frodo-lib's TreeApi, NodeApi and ScriptOps recordings of AIC), over real HTTP against the demo
 * tenant's journeys. Administrators only: the admin bearer token, a tenant admin's session and a
 * service account's `fr:am:*` token; a user's session is 403, nobody 401.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_SERVICE_ACCOUNT_ID, DEMO_SERVICE_ACCOUNT_JWK } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/config/demo-tenant.js';
import { http, type RawResponse } from '../helpers/http.js';
import { ALPHA, DEMO, ROOT, login, startEmulator } from '../helpers/tenant.js';

const TREES = `${ALPHA}/realm-config/authentication/authenticationtrees/trees`;
const NODES = `${ALPHA}/realm-config/authentication/authenticationtrees/nodes`;
const SCRIPTS = `${ALPHA}/scripts`;
const TREE_VERSION = 'protocol=2.1,resource=1.0';
const SCRIPT_VERSION = 'protocol=2.0,resource=1.0';

const ID = {
  loginPage: 'f9224dd1-56d3-4d6a-b537-c59321d757a8',
  username: '1ebd41a1-c733-4538-adf5-3a6705c52b79',
  dataStore: '69b2c69a-9eda-40f2-a092-9fb5988761da',
  terminate: '77a268e2-aa17-4137-aa8f-4b433a9a2676',
  terminateScript: '4c5e7bc2-9ab9-4781-b31e-304791900a64',
} as const;

let emulator: Emulator;
let admin: Record<string, string>;

beforeAll(async () => {
  emulator = await startEmulator();
  admin = { authorization: `Bearer ${emulator.adminToken}` };
});
afterAll(() => emulator.close());

function get(url: string, headers: Record<string, string> = admin, version = TREE_VERSION): Promise<RawResponse> {
  return http(`${emulator.url}${url}`, { headers: { 'accept-api-version': version, ...headers } });
}

function post(url: string, body: string, headers: Record<string, string> = admin): Promise<RawResponse> {
  return http(`${emulator.url}${url}`, {
    method: 'POST',
    headers: { 'accept-api-version': TREE_VERSION, 'content-type': 'application/json', ...headers },
    body,
  });
}

const crestError = (response: RawResponse, code: number, message?: string) => {
  expect(response.status, response.text).toBe(code);
  expect(Object.keys(response.json ?? {}).sort()).toEqual(expect.arrayContaining(['code', 'message', 'reason']));
  expect(response.json.code).toBe(code);
  if (message !== undefined) expect(response.json.message).toBe(message);
};

describe('trees', () => {
  it('lists the realm’s trees as a CREST page', async () => {
    const response = await get(`${TREES}?_queryFilter=true`);
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-api-version']).toBe('resource=1.0');
    const body = response.json;
    expect(body).toMatchObject({
      resultCount: body.result.length,
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'NONE',
      totalPagedResults: -1,
      remainingPagedResults: -1,
    });
    const names = body.result.map((tree: any) => tree._id);
    expect(names).toEqual(
      expect.arrayContaining(['Login', 'ProgressiveProfile', 'TerminateSession', 'CaptureSession']),
    );
    expect([...names].sort()).toEqual(names);
  });

  it('counts with _pageSize=0 and _totalPagedResultsPolicy=EXACT, pages with _pageSize and the offset', async () => {
    const all = (await get(`${TREES}?_queryFilter=true`)).json.result.length;
    const counted = await get(`${TREES}?_queryFilter=true&_pageSize=0&_totalPagedResultsPolicy=EXACT`);
    expect(counted.json).toMatchObject({ totalPagedResultsPolicy: 'EXACT', totalPagedResults: all });
    const page = await get(`${TREES}?_queryFilter=true&_pageSize=2&_pagedResultsOffset=1`);
    expect(page.json.resultCount).toBe(2);
    const filtered = await get(`${TREES}?_queryFilter=${encodeURIComponent('_id eq "Login"')}&_fields=description`);
    expect(filtered.json.result).toEqual([
      { _id: 'Login', _rev: expect.any(String), description: 'Platform Login Tree' },
    ]);
  });

  it('reads a tree as AM returns it, with a stable _rev and an ETag', async () => {
    const response = await get(`${TREES}/Login`);
    expect(response.status, response.text).toBe(200);
    const tree = response.json;
    expect(Object.keys(tree)).toEqual([
      '_id',
      '_rev',
      'identityResource',
      'uiConfig',
      'entryNodeId',
      'innerTreeOnly',
      'nodes',
      'staticNodes',
      'description',
      'enabled',
      'noSession',
      'mustRun',
      'transactionalOnly',
    ]);
    expect(tree).toMatchObject({
      _id: 'Login',
      identityResource: 'managed/alpha_user',
      uiConfig: { categories: '["aic-emulator demo"]' },
      entryNodeId: ID.loginPage,
      innerTreeOnly: false,
      description: 'Platform Login Tree',
      enabled: true,
      noSession: false,
    });
    expect(tree._rev).toMatch(/^-?\d+$/);
    expect(response.headers['etag']).toBe(`"${tree._rev}"`);
    expect(tree.nodes[ID.loginPage]).toEqual({
      x: 150,
      y: 200,
      connections: { outcome: ID.dataStore },
      nodeType: 'PageNode',
      displayName: 'Page Node',
    });
    expect(tree.staticNodes.startNode).toEqual({ x: 50, y: 250 });
    expect((await get(`${TREES}/Login`)).json._rev).toBe(tree._rev);
    expect((await get(`${TREES}/ProgressiveProfile`)).json._rev).not.toBe(tree._rev);
  });

  it('the root realm’s config is refused as AIC refuses it, to anyone; an unknown realm is 404', async () => {
    const refused = {
      code: 403,
      reason: 'Forbidden',
      message: 'This operation is not available in PingOne Advanced Identity Cloud.',
    };
    for (const headers of [admin, {}]) {
      expect(
        (await get(`${ROOT}/realm-config/authentication/authenticationtrees/trees?_queryFilter=true`, headers)).json,
      ).toEqual(refused);
      expect(
        (await get(`${ROOT}/realm-config/authentication/authenticationtrees/nodes/PageNode/${ID.loginPage}`, headers))
          .json,
      ).toEqual(refused);
      expect((await get(`${ROOT}/scripts?_queryFilter=true`, headers, SCRIPT_VERSION)).json).toEqual(refused);
      expect((await get('/am/json/scripts?_queryFilter=true', headers, SCRIPT_VERSION)).status).toBe(403);
    }
    crestError(
      await get('/am/json/realms/root/realms/nope/realm-config/authentication/authenticationtrees/trees/Login'),
      404,
      'Realm "/nope" not found',
    );
  });

  it('404s a missing tree with AM’s body', async () => {
    const response = await get(`${TREES}/NoSuchTree`);
    expect(response.json).toEqual({ code: 404, reason: 'Not Found', message: 'Not Found' });
    expect(response.status).toBe(404);
  });
});

describe('nodes', () => {
  it('reads a node configuration with _type and _outcomes', async () => {
    const response = await get(`${NODES}/DataStoreDecisionNode/${ID.dataStore}`);
    expect(response.status, response.text).toBe(200);
    expect(response.json).toEqual({
      _id: ID.dataStore,
      _rev: expect.stringMatching(/^-?\d+$/),
      _type: { _id: 'DataStoreDecisionNode', name: 'Data Store Decision', collection: true, version: '1.0' },
      _outcomes: [
        { id: 'true', displayName: 'True' },
        { id: 'false', displayName: 'False' },
      ],
    });
  });

  it('a scripted node keeps its config; its outcomes are the declared ones', async () => {
    const response = await get(`${NODES}/ScriptedDecisionNode/${ID.terminate}`);
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({
      _id: ID.terminate,
      script: ID.terminateScript,
      outcomes: ['Success', 'Failure', 'No Session', 'Error'],
      inputs: ['*'],
      outputs: ['*'],
      _type: { _id: 'ScriptedDecisionNode', name: 'Scripted Decision', collection: true },
    });
    expect(response.json._outcomes.map((o: any) => o.id)).toEqual(['Success', 'Failure', 'No Session', 'Error']);
  });

  it('a page’s outcomes are its last child’s', async () => {
    const response = await get(`${NODES}/PageNode/${ID.loginPage}`);
    expect(response.json.nodes[0]).toEqual({
      _id: ID.username,
      nodeType: 'ValidatedUsernameNode',
      displayName: 'Platform Username',
    });
    expect(response.json._outcomes).toEqual([{ id: 'outcome', displayName: 'Outcome' }]);
  });

  it('lists the nodes of one type', async () => {
    const response = await get(`${NODES}/ScriptedDecisionNode?_queryFilter=true`);
    expect(response.status, response.text).toBe(200);
    expect(response.json.result.length).toBeGreaterThanOrEqual(4);
    for (const node of response.json.result) expect(node._type._id).toBe('ScriptedDecisionNode');
    expect(response.json.result.map((node: any) => node._id)).toContain(ID.terminate);
  });

  it('getAllTypes lists the types the emulator runs; nextdescendents every node', async () => {
    const types = await post(`${NODES}?_action=getAllTypes`, '{}');
    expect(types.status, types.text).toBe(200);
    const ids = types.json.result.map((type: any) => type._id);
    expect(ids).toEqual(expect.arrayContaining(['ScriptedDecisionNode', 'PageNode', 'DataStoreDecisionNode']));
    expect(types.json.result.find((type: any) => type._id === 'PageNode')).toEqual({
      _id: 'PageNode',
      name: 'Page Node',
      collection: true,
      tags: [],
      metadata: { tags: [] },
      help: '',
    });
    const all = await post(`${NODES}?_action=nextdescendents`, '{}');
    expect(all.json.result.map((node: any) => node._id)).toEqual(expect.arrayContaining([ID.dataStore, ID.username]));
  });

  it('404s a missing node, a node under the wrong type and an unknown type', async () => {
    crestError(await get(`${NODES}/DataStoreDecisionNode/${randomUUID()}`), 404, 'Not Found');
    crestError(await get(`${NODES}/PageNode/${ID.dataStore}`), 404, 'Not Found');
    crestError(await get(`${NODES}/NoSuchNode/${ID.dataStore}`), 404, 'Not Found');
    crestError(await get(`${NODES}/NoSuchNode?_queryFilter=true`), 404, 'Not Found');
  });

  it('an unknown action is 501', async () => {
    crestError(await post(`${NODES}?_action=nope`, '{}'), 501, 'Action nope not implemented for this resource');
  });
});

describe('scripts', () => {
  it('reads a script: its source in base64 round-trips', async () => {
    const response = await get(`${SCRIPTS}/${ID.terminateScript}`, admin, SCRIPT_VERSION);
    expect(response.status, response.text).toBe(200);
    // Asked for 1.0, served 1.1, as AIC does.
    expect(response.headers['content-api-version']).toBe('resource=1.1');
    expect(Object.keys(response.json)).toEqual([
      '_id',
      'name',
      'description',
      'script',
      'default',
      'language',
      'context',
      'createdBy',
      'creationDate',
      'lastModifiedBy',
      'lastModifiedDate',
      'evaluatorVersion',
    ]);
    expect(response.json).toMatchObject({
      _id: ID.terminateScript,
      name: 'Terminate Sessions',
      default: false,
      language: 'JAVASCRIPT',
      context: 'SCRIPTED_DECISION_NODE',
      evaluatorVersion: '2.0',
      createdBy: 'null',
      creationDate: 0,
    });
    const source = Buffer.from(response.json.script, 'base64').toString('utf8');
    expect(source).toBe(emulator.tenant.journeys.of('/alpha').scripts.get(ID.terminateScript)?.source);
    expect(source).toContain('logoutByUser');
  });

  it('lists scripts, and finds one by name', async () => {
    const all = await get(`${SCRIPTS}?_queryFilter=true`, admin, SCRIPT_VERSION);
    expect(all.status, all.text).toBe(200);
    expect(all.json.result.map((s: any) => s._id)).toContain(ID.terminateScript);
    expect(all.json).toMatchObject({ totalPagedResults: -1, remainingPagedResults: 0 });
    const byName = await get(
      `${SCRIPTS}?_queryFilter=${encodeURIComponent('name eq "Terminate Sessions"')}`,
      admin,
      SCRIPT_VERSION,
    );
    expect(byName.json.result.map((s: any) => s._id)).toEqual([ID.terminateScript]);
    expect(byName.json.resultCount).toBe(1);
    const none = await get(`${SCRIPTS}?_queryFilter=${encodeURIComponent('name eq "nope"')}`, admin, SCRIPT_VERSION);
    expect(none.json).toMatchObject({ result: [], resultCount: 0 });
  });

  it('404s a missing script with AM’s message', async () => {
    const id = randomUUID();
    crestError(
      await get(`${SCRIPTS}/${id}`, admin, SCRIPT_VERSION),
      404,
      `Script with UUID ${id} could not be found in realm /alpha`,
    );
  });
});

describe('who may read', () => {
  let tenantAdmin: string;
  let user: string;
  let serviceAccount: string;

  beforeAll(async () => {
    tenantAdmin = await login(emulator, { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD }, ROOT);
    user = await login(emulator, DEMO);
    const now = Math.floor(emulator.tenant.clock.now() / 1000);
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(DEMO_SERVICE_ACCOUNT_ID)
      .setSubject(DEMO_SERVICE_ACCOUNT_ID)
      .setAudience(`${emulator.url}/am/oauth2/access_token`)
      .setExpirationTime(now + 120)
      .sign(await importJWK({ ...DEMO_SERVICE_ACCOUNT_JWK }, 'RS256'));
    const token = await http(`${emulator.url}/am/oauth2/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'service-account',
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
        scope: 'fr:am:*',
      }).toString(),
    });
    expect(token.status, token.text).toBe(200);
    serviceAccount = token.json.access_token;
  });

  const ROUTES: [string, string, string][] = [
    ['tree list', `${TREES}?_queryFilter=true`, TREE_VERSION],
    ['tree', `${TREES}/Login`, TREE_VERSION],
    ['node', `${NODES}/DataStoreDecisionNode/${ID.dataStore}`, TREE_VERSION],
    ['node list', `${NODES}/DataStoreDecisionNode?_queryFilter=true`, TREE_VERSION],
    ['script list', `${SCRIPTS}?_queryFilter=true`, SCRIPT_VERSION],
    ['script', `${SCRIPTS}/${ID.terminateScript}`, SCRIPT_VERSION],
  ];

  it.each(ROUTES)(
    '%s: admin bearer, tenant admin and service account 200; user 403; nobody 401',
    async (_, url, version) => {
      const cookie = emulator.cookieName;
      expect((await get(url, admin, version)).status).toBe(200);
      expect((await get(url, { [cookie]: tenantAdmin }, version)).status).toBe(200);
      expect((await get(url, { cookie: `${cookie}=${tenantAdmin}` }, version)).status).toBe(200);
      expect((await get(url, { authorization: `Bearer ${serviceAccount}` }, version)).status).toBe(200);
      const forbidden = await get(url, { [cookie]: user }, version);
      expect(forbidden.json).toEqual({ code: 403, reason: 'Forbidden', message: 'Forbidden' });
      const nobody = await get(url, {}, version);
      expect(nobody.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
      expect((await get(url, { authorization: 'Bearer not-a-token' }, version)).status).toBe(401);
    },
  );

  it('getAllTypes: a user is refused, nobody is 401', async () => {
    expect((await post(`${NODES}?_action=getAllTypes`, '{}', { [emulator.cookieName]: user })).status).toBe(403);
    expect((await post(`${NODES}?_action=getAllTypes`, '{}', {})).status).toBe(401);
  });
});

describe('versions', () => {
  it('serves resource=1.0; another resource version is 404 with no body; a protocol above 2.1 is 400', async () => {
    const missing = await get(`${TREES}/Login`, admin, 'protocol=2.1,resource=3.0');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('');
    expect((await get(`${SCRIPTS}?_queryFilter=true`, admin, 'protocol=2.0,resource=2.0')).status).toBe(404);
    crestError(await get(`${TREES}/Login`, admin, 'protocol=2.2,resource=1.0'), 400, 'Unsupported minor version: 2.2');
  });

  it('trees serve resource 2.0 too, as recorded', async () => {
    const response = await get(`${TREES}?_queryFilter=true`, admin, 'protocol=2.1,resource=2.0');
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-api-version']).toBe('resource=2.0');
  });

  it('with no Accept-API-Version: the latest, with AIC’s warnings', async () => {
    const response = await http(`${emulator.url}${TREES}/Login`, { headers: admin });
    expect(response.status).toBe(200);
    expect(response.headers['content-api-version']).toBe('resource=2.0');
    expect(String(response.headers['warning'])).toContain('No Accept-API-Version specified');
  });

  it('nobody with a bad version is 401 (authentication first)', async () => {
    expect((await get(`${TREES}/Login`, {}, 'protocol=2.1,resource=9.0')).status).toBe(401);
  });
});

describe('bad input is answered as AM would, never 500', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a%2Fb', '%00', '..%2F..'])(
    'the id %s',
    async (id) => {
      for (const url of [`${TREES}/${id}`, `${NODES}/DataStoreDecisionNode/${id}`, `${NODES}/${id}/${id}`]) {
        crestError(await get(url), 404);
      }
      crestError(await get(`${SCRIPTS}/${id}`, admin, SCRIPT_VERSION), 404);
    },
  );

  it('a huge id', async () => {
    const id = 'x'.repeat(8000);
    crestError(await get(`${TREES}/${id}`), 404, 'Not Found');
    const script = await get(`${SCRIPTS}/${id}`, admin, SCRIPT_VERSION);
    crestError(script, 404);
  });

  it('malformed filters and paging parameters are 400s', async () => {
    for (const filter of ['name eq', '(', 'name zz "x"', '"unterminated', 'true and']) {
      crestError(await get(`${TREES}?_queryFilter=${encodeURIComponent(filter)}`), 400);
      crestError(await get(`${SCRIPTS}?_queryFilter=${encodeURIComponent(filter)}`, admin, SCRIPT_VERSION), 400);
    }
    crestError(await get(`${TREES}?_queryFilter=true&_pageSize=abc`), 400);
    crestError(await get(`${TREES}?_queryFilter=true&_totalPagedResultsPolicy=ALL`), 400);
    crestError(await get(`${TREES}?_queryId=all`), 400);
    crestError(await get(`${TREES}?_queryFilter=true&_bogus=1`), 400, "Unrecognized request parameter '_bogus'");
  });

  it('an unknown path is 404; PATCH is not supported: 501', async () => {
    crestError(await get(`${ALPHA}/realm-config/authentication/authenticationtrees/other`), 404);
    crestError(await get(`${ALPHA}/realm-config/authentication`), 404);
    crestError(await get(`${TREES}/Login/extra`), 404);
    crestError(await get(`${SCRIPTS}/a/b`, admin, SCRIPT_VERSION), 404);
    crestError(await get('/am/json/realms/root/realms/nope/scripts?_queryFilter=true', admin, SCRIPT_VERSION), 404);
    const patch = await http(`${emulator.url}${TREES}/Login`, {
      method: 'PATCH',
      headers: { ...admin, 'accept-api-version': TREE_VERSION, 'content-type': 'application/json' },
      body: '[]',
    });
    crestError(patch, 501, 'Operation is not supported.');
    const scriptPatch = await http(`${emulator.url}${SCRIPTS}/${ID.terminateScript}`, {
      method: 'PATCH',
      headers: { ...admin, 'accept-api-version': SCRIPT_VERSION, 'content-type': 'application/json' },
      body: '[]',
    });
    crestError(scriptPatch, 501);
    crestError(await get(TREES), 400, 'The resource collection  cannot be read');
  });

  it('a malformed action body is a 400', async () => {
    crestError(await post(`${NODES}?_action=getAllTypes`, '{nope'), 400);
  });
});

describe('writing journeys (PUT and DELETE)', () => {
  const SCRIPT_ID = 'a6ad43a3-1d1c-4b38-9f5e-3a9e4d1b6f01';
  const NODE_ID = 'b1c2d3e4-0000-4000-8000-000000000001';
  const MESSAGE_ID = 'b1c2d3e4-0000-4000-8000-000000000002';
  const SOURCE = '/* REST-made */\naction.goTo("next");\n';

  function send(method: string, url: string, body: unknown, headers = admin, version = TREE_VERSION) {
    return http(`${emulator.url}${url}`, {
      method,
      headers: { 'accept-api-version': version, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  }
  const scriptBody = (name = 'REST Script', source = SOURCE) => ({
    name,
    description: 'made over REST',
    script: Buffer.from(source, 'utf8').toString('base64'),
    language: 'JAVASCRIPT',
    context: 'SCRIPTED_DECISION_NODE',
    evaluatorVersion: '2.0',
  });

  it('a script: PUT creates (201) then replaces (200), stamped; a name clash is 409; DELETE removes it', async () => {
    const created = await send('PUT', `${SCRIPTS}/${SCRIPT_ID}`, scriptBody(), admin, SCRIPT_VERSION);
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      _id: SCRIPT_ID,
      _rev: expect.stringMatching(/^-?\d+$/),
      name: 'REST Script',
      evaluatorVersion: '2.0',
      createdBy: 'id=amadmin,ou=user,ou=am-config',
      creationDate: emulator.tenant.clock.now(),
    });
    expect(Buffer.from(created.json.script, 'base64').toString('utf8')).toBe(SOURCE);
    const replaced = await send('PUT', `${SCRIPTS}/${SCRIPT_ID}`, scriptBody(), admin, SCRIPT_VERSION);
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json._rev).toBeUndefined();
    const read = await get(`${SCRIPTS}/${SCRIPT_ID}`, admin, SCRIPT_VERSION);
    expect(Buffer.from(read.json.script, 'base64').toString('utf8')).toBe(SOURCE);

    crestError(
      await send('PUT', `${SCRIPTS}/${randomUUID()}`, scriptBody('Terminate Sessions'), admin, SCRIPT_VERSION),
      409,
      'Script with name Terminate Sessions already exist in realm /alpha',
    );
    crestError(
      await send(
        'PUT',
        `${SCRIPTS}/${randomUUID()}`,
        { ...scriptBody('x'), script: 'not base64!' },
        admin,
        SCRIPT_VERSION,
      ),
      400,
    );
    crestError(await send('PUT', `${SCRIPTS}/${randomUUID()}`, { script: '' }, admin, SCRIPT_VERSION), 400);
    crestError(await send('PUT', `${SCRIPTS}/${randomUUID()}`, '{nope', admin, SCRIPT_VERSION), 400);

    const other = randomUUID();
    expect((await send('PUT', `${SCRIPTS}/${other}`, scriptBody('Doomed'), admin, SCRIPT_VERSION)).status).toBe(201);
    const deleted = await send('DELETE', `${SCRIPTS}/${other}`, undefined, admin, SCRIPT_VERSION);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.json).toEqual({ _id: other });
    crestError(await get(`${SCRIPTS}/${other}`, admin, SCRIPT_VERSION), 404);
    crestError(await send('DELETE', `${SCRIPTS}/${other}`, undefined, admin, SCRIPT_VERSION), 404);
  });

  it('nodes then a tree: the journey runs through /authenticate; DELETE removes the tree', async () => {
    const node = await send('PUT', `${NODES}/ScriptedDecisionNode/${NODE_ID}`, {
      _id: NODE_ID,
      script: SCRIPT_ID,
      outcomes: ['next'],
      inputs: ['*'],
      outputs: ['*'],
      _type: { _id: 'ScriptedDecisionNode', name: 'Scripted Decision', collection: true },
      _outcomes: [{ id: 'ignored', displayName: 'Ignored' }],
    });
    expect(node.status, node.text).toBe(201);
    expect(node.headers['location']).toBe(`${emulator.url}${NODES}/ScriptedDecisionNode/${NODE_ID}`);
    expect(node.json._outcomes).toEqual([{ id: 'next', displayName: 'next' }]);
    const message = await send('PUT', `${NODES}/MessageNode/${MESSAGE_ID}`, {
      message: { en: 'Made over REST' },
      messageYes: { en: 'Yes' },
      messageNo: { en: 'No' },
    });
    expect(message.status, message.text).toBe(201);
    expect(
      (await send('PUT', `${NODES}/MessageNode/${MESSAGE_ID}`, { message: { en: 'Made over REST' } })).status,
    ).toBe(200);
    crestError(await send('PUT', `${NODES}/NoSuchNode/${randomUUID()}`, {}), 404, 'Not Found');
    const createObject = await send('PUT', `${NODES}/CreateObjectNode/${randomUUID()}`, {
      identityResource: 'managed/alpha_user',
    });
    expect(createObject.json._outcomes).toEqual([
      { id: 'CREATED', displayName: 'Created' },
      { id: 'FAILURE', displayName: 'Failed' },
    ]);

    const tree = {
      entryNodeId: NODE_ID,
      nodes: {
        [NODE_ID]: {
          x: 100,
          y: 100,
          connections: { next: MESSAGE_ID },
          nodeType: 'ScriptedDecisionNode',
          displayName: 'Go',
        },
        [MESSAGE_ID]: {
          connections: { true: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0', false: 'e301438c-0bd0-429c-ab0c-66126501069a' },
          nodeType: 'MessageNode',
          displayName: 'Say',
        },
      },
      staticNodes: {},
      description: 'Made over REST',
      uiConfig: {},
    };
    const created = await send('PUT', `${TREES}/RestMade`, tree);
    expect(created.status, created.text).toBe(201);
    expect(created.headers['location']).toBe(`${emulator.url}${TREES}/RestMade`);
    expect(created.json).toMatchObject({
      _id: 'RestMade',
      enabled: true,
      innerTreeOnly: false,
      noSession: false,
      mustRun: false,
      identityResource: 'managed/alpha_user',
    });
    expect((await send('PUT', `${TREES}/RestMade`, { ...created.json })).status).toBe(200);

    const started = await http(`${emulator.url}${ALPHA}/authenticate?authIndexType=service&authIndexValue=RestMade`, {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(started.status, started.text).toBe(200);
    expect(JSON.stringify(started.json.callbacks)).toContain('Made over REST');

    const deleted = await send('DELETE', `${TREES}/RestMade`, undefined);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.json._id).toBe('RestMade');
    crestError(await get(`${TREES}/RestMade`), 404, 'Not Found');
    crestError(await send('DELETE', `${TREES}/RestMade`, undefined), 404, 'Not Found');
    const deletedNode = await send('DELETE', `${NODES}/MessageNode/${MESSAGE_ID}`, undefined);
    expect(deletedNode.status, deletedNode.text).toBe(200);
    crestError(await get(`${NODES}/MessageNode/${MESSAGE_ID}`), 404);
  });

  it('a tree PUT is refused as AIC refuses it, and accepted where AIC accepts it', async () => {
    const unknown = await send('PUT', `${TREES}/Bad`, { entryNodeId: 'x', nodes: {}, colour: 'red' });
    crestError(unknown, 400, 'Invalid attribute specified.');
    expect(unknown.json.detail).toEqual({
      validAttributes: [
        'description',
        'enabled',
        'entryNodeId',
        'identityResource',
        'innerTreeOnly',
        'nodes',
        'staticNodes',
        'uiConfig',
      ],
    });
    crestError(
      await send('PUT', `${TREES}/Bad`, { nodes: {} }),
      400,
      'Node with ID entryNodeId must exist in the tree.',
    );
    crestError(
      await send('PUT', `${TREES}/Bad`, { entryNodeId: 'x', nodes: [1, 2] }),
      400,
      'Data validation failed for the attribute, Nodes',
    );
    crestError(
      await send('PUT', `${TREES}/Bad`, { entryNodeId: 'x', nodes: { a: 'b' } }),
      400,
      'Data validation failed for the attribute, Nodes',
    );
    crestError(await send('PUT', `${TREES}/Bad`, '{nope'), 400);
    crestError(await get(`${TREES}/Bad`), 404);
    // An entry node that is not among the nodes, and no nodes at all: accepted (201), as on AIC.
    const odd = await send('PUT', `${TREES}/Odd`, { entryNodeId: randomUUID(), nodes: {} });
    expect(odd.status, odd.text).toBe(201);
    expect((await send('DELETE', `${TREES}/Odd`, undefined)).status).toBe(200);
    // Prototype names as tree names and outcome names are kept as names.
    const proto = await send(
      'PUT',
      `${TREES}/__proto__`,
      '{"entryNodeId":"__proto__","nodes":{"__proto__":{"nodeType":"MessageNode","connections":{"__proto__":"__proto__"}}}}',
    );
    expect(proto.status, proto.text).toBe(201);
    const read = await get(`${TREES}/__proto__`);
    expect(read.text).toContain('"nodes":{"__proto__":{"connections":{"__proto__":"__proto__"}');
    expect(Object.keys(read.json.nodes)).toEqual(['__proto__']);
    expect((await send('DELETE', `${TREES}/__proto__`, undefined)).status).toBe(200);
  });

  it('writes are for administrators: a user is 403, nobody 401, and nothing changes', async () => {
    const user = await login(emulator, DEMO);
    const body = { entryNodeId: 'x', nodes: {} };
    crestError(await send('PUT', `${TREES}/Sneaky`, body, { [emulator.cookieName]: user }), 403, 'Forbidden');
    crestError(await send('PUT', `${TREES}/Sneaky`, body, {}), 401, 'Access Denied');
    crestError(await send('DELETE', `${TREES}/Login`, undefined, { [emulator.cookieName]: user }), 403);
    crestError(
      await send(
        'PUT',
        `${SCRIPTS}/${randomUUID()}`,
        scriptBody('Sneaky'),
        { [emulator.cookieName]: user },
        SCRIPT_VERSION,
      ),
      403,
    );
    crestError(await get(`${TREES}/Sneaky`), 404);
    expect((await get(`${TREES}/Login`)).status).toBe(200);
  });
});

describe('version-aware node paths (resource 3.0)', () => {
  const V3 = 'protocol=2.1,resource=3.0';

  it('reads, lists and describes nodes under their type’s version', async () => {
    const read = await get(`${NODES}/DataStoreDecisionNode/1.0/${ID.dataStore}`, admin, V3);
    expect(read.status, read.text).toBe(200);
    expect(read.headers['content-api-version']).toBe('resource=3.0');
    expect(read.json._type).toEqual({
      _id: 'DataStoreDecisionNode',
      name: 'Data Store Decision',
      collection: true,
      version: '1.0',
    });
    crestError(await get(`${NODES}/DataStoreDecisionNode/2.0/${ID.dataStore}`, admin, V3), 404, 'Not Found');
    crestError(await get(`${NODES}/DataStoreDecisionNode/${ID.dataStore}`, admin, V3), 404, 'Not Found');
    const list = await get(`${NODES}/DataStoreDecisionNode/1.0?_queryFilter=true`, admin, V3);
    expect(list.json.result.map((node: any) => node._id)).toContain(ID.dataStore);
    const type = await post(`${NODES}/ValidatedUsernameNode/2.0?_action=getType`, '{}', {
      ...admin,
      'accept-api-version': V3,
    });
    expect(type.status, type.text).toBe(200);
    expect(type.json).toEqual({ _id: '2.0', name: 'Platform Username', collection: true, tags: [], help: '' });
  });

  it('a PUT under a version stores it; the 1.0 form reads the node whatever its version', async () => {
    const id = randomUUID();
    const put = await http(`${emulator.url}${NODES}/MessageNode/2.0/${id}`, {
      method: 'PUT',
      headers: { ...admin, 'accept-api-version': V3, 'content-type': 'application/json' },
      body: JSON.stringify({ message: { en: 'v2' } }),
    });
    expect(put.status, put.text).toBe(201);
    expect(put.json._type.version).toBe('2.0');
    expect(put.headers['location']).toBe(`${emulator.url}${NODES}/MessageNode/2.0/${id}`);
    expect((await get(`${NODES}/MessageNode/${id}`)).json._type.version).toBe('2.0');
    crestError(await get(`${NODES}/MessageNode/1.0/${id}`, admin, V3), 404);
    // Three path elements are not a node at resource 1.0, nor with no version named.
    crestError(await get(`${NODES}/MessageNode/2.0/${id}`), 404);
    const unnamed = await http(`${emulator.url}${NODES}/MessageNode/${id}`, { headers: admin });
    expect(unnamed.status).toBe(200);
    expect(unnamed.headers['content-api-version']).toBe('resource=1.0');
    const deleted = await http(`${emulator.url}${NODES}/MessageNode/2.0/${id}`, {
      method: 'DELETE',
      headers: { ...admin, 'accept-api-version': V3 },
    });
    expect(deleted.status, deleted.text).toBe(200);
  });
});
