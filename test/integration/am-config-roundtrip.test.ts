/**
 * Issue 18's acceptance for AM's config REST of journeys: every journey the tenant has is exported
 * through the REST API (tree, each node by type and id including a page's inner nodes, each
 * script), deleted, PUT back in frodo's order (scripts, inner nodes, nodes, tree) and exported
 * again: the two exports are equal and the journey still runs. Bad input is refused as AM refuses
 * it and changes nothing; and who may call each route of the API.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOKEN } from '../../emulator/config/demo-tenant.js';
import { http, type RawResponse } from '../helpers/http.js';
import { hasShared, sharedPath } from '../helpers/optional.js';
import { ALPHA, DEMO, ROOT, login, startEmulator } from '../helpers/tenant.js';

const AUTH_TREES = 'realm-config/authentication/authenticationtrees';
const TREE_VERSION = 'protocol=2.1,resource=1.0';
const SCRIPT_VERSION = 'protocol=2.0,resource=1.0';
/** Version-aware node paths, `nodes/<type>/<version>/<uuid>`, as frodo uses them with AM 8.1 and later (AIC). */
const NODE_V3 = 'protocol=2.1,resource=3.0';

type Json = Record<string, any>;
type Headers = Record<string, string>;

/** A REST client of one emulator's realm, as an administrator by default. */
function client(emulator: Emulator, realm = ALPHA, versionAware = false) {
  const admin: Headers = { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` };
  const trees = `${realm}/${AUTH_TREES}/trees`;
  const nodes = `${realm}/${AUTH_TREES}/nodes`;
  const scripts = `${realm}/scripts`;
  const send = (
    method: string,
    url: string,
    body?: unknown,
    version = TREE_VERSION,
    headers: Headers = admin,
  ): Promise<RawResponse> =>
    http(`${emulator.url}${url}`, {
      method,
      headers: {
        'accept-api-version': version,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const ok = async (response: Promise<RawResponse>, ...statuses: number[]): Promise<Json> => {
    const answer = await response;
    expect(statuses.length ? statuses : [200], answer.text).toContain(answer.status);
    return answer.json;
  };
  return {
    trees,
    nodes,
    scripts,
    send,
    ok,
    /** The API version a node's own URL is called with, and that URL. */
    nodeVersion: versionAware ? NODE_V3 : TREE_VERSION,
    nodeUrl: (type: string, version: string, id: string) =>
      versionAware ? `${nodes}/${type}/${version}/${id}` : `${nodes}/${type}/${id}`,
    treeNames: async (): Promise<string[]> =>
      (await ok(send('GET', `${trees}?_queryFilter=true`))).result.map((tree: Json) => tree._id),
    /** The realm's trees, nodes and scripts as the REST queries list them. */
    snapshot: async () => ({
      trees: (await ok(send('GET', `${trees}?_queryFilter=true`))).result,
      nodes: (await ok(send('POST', `${nodes}?_action=nextdescendents`, {}))).result,
      scripts: (await ok(send('GET', `${scripts}?_queryFilter=true`, undefined, SCRIPT_VERSION))).result,
    }),
  };
}
type Client = ReturnType<typeof client>;

interface JourneyExport {
  tree: Json;
  /** Nodes in the tree (by id), their type from the tree. */
  nodes: Map<string, Json>;
  /** Inner nodes of page nodes. */
  innerNodes: Map<string, Json>;
  scripts: Map<string, Json>;
}

/** A journey exported as frodo exports it: the tree, each node by type and id, each inner node, each script. */
async function exportJourney(api: Client, name: string, scriptIds: Set<string>): Promise<JourneyExport> {
  const tree = await api.ok(api.send('GET', `${api.trees}/${encodeURIComponent(name)}`));
  const nodes = new Map<string, Json>();
  const innerNodes = new Map<string, Json>();
  const scripts = new Map<string, Json>();
  // A node's version: what the realm's node list says (version-aware paths name it).
  const versions = new Map<string, string>(
    (await api.ok(api.send('POST', `${api.nodes}?_action=nextdescendents`, {}))).result.map((node: Json) => [
      node._id,
      node._type.version,
    ]),
  );
  const readNode = (type: string, id: string) =>
    api.ok(api.send('GET', api.nodeUrl(type, versions.get(id) ?? '1.0', id), undefined, api.nodeVersion));
  const collectScripts = async (config: Json) => {
    for (const value of Object.values(config)) {
      if (typeof value === 'string' && scriptIds.has(value) && !scripts.has(value))
        scripts.set(value, await api.ok(api.send('GET', `${api.scripts}/${value}`, undefined, SCRIPT_VERSION)));
    }
  };
  for (const [id, entry] of Object.entries<Json>(tree.nodes)) {
    const node = await readNode(entry.nodeType, id);
    expect(node._type._id).toBe(entry.nodeType);
    nodes.set(id, node);
    await collectScripts(node);
    for (const inner of (node._type._id === 'PageNode' ? node.nodes : []) as Json[]) {
      const innerNode = await readNode(inner.nodeType, inner._id);
      innerNodes.set(inner._id, innerNode);
      await collectScripts(innerNode);
    }
  }
  return { tree, nodes, innerNodes, scripts };
}

/** Everything in an export that an import sends (what a PUT answers is the server's, not the tool's). */
async function importJourney(api: Client, journey: JourneyExport): Promise<void> {
  for (const [id, script] of journey.scripts)
    await api.ok(api.send('PUT', `${api.scripts}/${id}`, script, SCRIPT_VERSION), 200, 201);
  // A PUT answers what it stored: the exported node or tree, `_rev` included.
  for (const group of [journey.innerNodes, journey.nodes])
    for (const [id, node] of group)
      expect(
        await api.ok(api.send('PUT', api.nodeUrl(node._type._id, node._type.version, id), node, api.nodeVersion), 201),
      ).toEqual(node);
  expect(
    await api.ok(api.send('PUT', `${api.trees}/${encodeURIComponent(journey.tree._id)}`, journey.tree), 201),
  ).toEqual(journey.tree);
}

/** AM stamps a script's author and dates when it is written (docs/fidelity.md, scripts). */
const STAMPS = ['createdBy', 'creationDate', 'lastModifiedBy', 'lastModifiedDate'];
const comparable = (journey: JourneyExport) => ({
  tree: journey.tree,
  nodes: Object.fromEntries(journey.nodes),
  innerNodes: Object.fromEntries(journey.innerNodes),
  scripts: Object.fromEntries(
    [...journey.scripts].map(([id, script]) => [
      id,
      Object.fromEntries(Object.entries(script).filter(([key]) => !STAMPS.includes(key))),
    ]),
  ),
});

/** Exports every journey of the realm, deletes them all (trees, then nodes, then scripts), imports them back. */
async function roundTrip(api: Client): Promise<void> {
  const scriptIds = new Set<string>(
    (await api.ok(api.send('GET', `${api.scripts}?_queryFilter=true`, undefined, SCRIPT_VERSION))).result.map(
      (script: Json) => script._id,
    ),
  );
  const names = await api.treeNames();
  expect(names.length).toBeGreaterThan(0);
  const first = new Map<string, JourneyExport>();
  for (const name of names) first.set(name, await exportJourney(api, name, scriptIds));
  // Not vacuous: the export holds pages' inner nodes and scripts.
  expect([...first.values()].some((journey) => journey.innerNodes.size > 0)).toBe(true);
  expect([...first.values()].some((journey) => journey.scripts.size > 0)).toBe(true);

  for (const name of names) await api.ok(api.send('DELETE', `${api.trees}/${encodeURIComponent(name)}`));
  const deleted = new Set<string>();
  for (const journey of first.values()) {
    for (const group of [journey.nodes, journey.innerNodes])
      for (const [id, node] of group) {
        if (deleted.has(id)) continue;
        deleted.add(id);
        await api.ok(
          api.send('DELETE', api.nodeUrl(node._type._id, node._type.version, id), undefined, api.nodeVersion),
        );
      }
    for (const id of journey.scripts.keys()) {
      if (deleted.has(id)) continue;
      deleted.add(id);
      await api.ok(api.send('DELETE', `${api.scripts}/${id}`, undefined, SCRIPT_VERSION));
    }
  }
  expect(await api.treeNames()).toEqual([]);
  for (const id of deleted) {
    const gone = await api.send('POST', `${api.nodes}?_action=nextdescendents`, {});
    expect(gone.json.result.map((node: Json) => node._id)).not.toContain(id);
  }

  for (const journey of first.values()) await importJourney(api, journey);

  expect(await api.treeNames()).toEqual(names);
  for (const name of names) {
    const again = await exportJourney(api, name, scriptIds);
    expect(comparable(again), name).toEqual(comparable(first.get(name)!));
  }
}

async function signsIn(emulator: Emulator, journey = 'Login'): Promise<void> {
  const url = `${emulator.url}${ALPHA}/authenticate?authIndexType=service&authIndexValue=${encodeURIComponent(journey)}`;
  const headers = { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' };
  let step = await http(url, { method: 'POST', headers, body: '{}' });
  for (let i = 0; i < 5 && step.status === 200 && step.json.authId; i++) {
    for (const callback of step.json.callbacks as Json[]) {
      if (callback.type === 'NameCallback') callback.input[0].value = DEMO.userName;
      if (callback.type === 'PasswordCallback') callback.input[0].value = DEMO.password;
    }
    step = await http(url, { method: 'POST', headers, body: JSON.stringify(step.json) });
  }
  expect(step.status, step.text).toBe(200);
  expect(step.json.tokenId).toEqual(expect.any(String));
}

describe('round trip of every journey through the config REST', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it.each([
    ['type and id (resource 1.0)', false],
    ['type, version and id (resource 3.0)', true],
  ])(
    'the demo journeys, nodes named by %s: exported, deleted, PUT back in frodo’s order, exported again: equal; Login still signs in',
    async (_, versionAware) => {
      await roundTrip(client(emulator, ALPHA, versionAware));
      await signsIn(emulator);
    },
  );

  it('a newer tenant’s tree flags (mustRun, transactionalOnly) and node versions are kept as PUT', async () => {
    const api = client(emulator);
    const tree = await api.ok(api.send('GET', `${api.trees}/Login`));
    const flagged: Json = { ...tree, _id: 'Flagged', mustRun: true, transactionalOnly: true };
    // Newer tenants' trees name each node's version, after its display name.
    const first = Object.keys(tree.nodes)[0]!;
    flagged.nodes = { ...tree.nodes, [first]: { ...tree.nodes[first], version: '1.0' } };
    delete flagged._rev;
    const put = await api.ok(api.send('PUT', `${api.trees}/Flagged`, flagged), 201);
    expect(put).toMatchObject({ mustRun: true, transactionalOnly: true, noSession: false });
    expect(Object.keys(put.nodes[first])).toEqual([...Object.keys(tree.nodes[first]), 'version']);
    expect(put.nodes[first].version).toBe('1.0');
    const read = await api.ok(api.send('GET', `${api.trees}/Flagged`));
    expect(read).toEqual(put);
    const bad = await api.send('PUT', `${api.trees}/Flagged`, { ...flagged, mustRun: 'yes' });
    expect(bad.json).toEqual({
      code: 400,
      reason: 'Bad Request',
      message: 'Data validation failed for the attribute, MustRun',
    });
    expect(await api.ok(api.send('GET', `${api.trees}/Flagged`))).toEqual(put);
    await api.ok(api.send('DELETE', `${api.trees}/Flagged`));
  });
});

describe.skipIf(!hasShared())('round trip with the how-to’s four exports imported first', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ journeys: [sharedPath('reference', 'exports', 'single-logout')] });
  });
  afterAll(() => emulator.close());

  it('every journey, the four parts included, round-trips; Login still signs in', async () => {
    const api = client(emulator);
    expect(await api.treeNames()).toEqual(
      expect.arrayContaining([
        'Pt 1_Capture Browser Session',
        'Pt 2_Terminate Session with API Call',
        'Pt 3_Terminate ForgeRock Session',
        'Pt 4_Failure Redirect By Attribute',
      ]),
    );
    await roundTrip(api);
    await roundTrip(client(emulator, ALPHA, true));
    await signsIn(emulator);
  });
});

describe('bad input is refused as AM refuses it and changes nothing', () => {
  let emulator: Emulator;
  let api: Client;
  const LOGIN_PAGE = 'f9224dd1-56d3-4d6a-b537-c59321d757a8';
  const DATA_STORE = '69b2c69a-9eda-40f2-a092-9fb5988761da';
  const TERMINATE_SCRIPT = '4c5e7bc2-9ab9-4781-b31e-304791900a64';
  beforeAll(async () => {
    emulator = await startEmulator();
    api = client(emulator);
  });
  afterAll(() => emulator.close());

  const script = (source: string, name = 'Bad script') => ({
    name,
    script: Buffer.from(source, 'utf8').toString('base64'),
    language: 'JAVASCRIPT',
    context: 'AUTHENTICATION_TREE_DECISION_NODE',
    evaluatorVersion: '1.0',
  });
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const INVALID_JSON = 'The request could not be processed because the provided content is not valid JSON';

  type Case = [
    name: string,
    method: string,
    path: (api: Client) => string,
    body: unknown,
    version: string,
    status: number,
    message: string | RegExp | undefined,
  ];
  const CASES: Case[] = [
    [
      'a node PUT of an unknown type',
      'PUT',
      (a) => `${a.nodes}/NoSuchNodeType/${randomUUID()}`,
      { message: 'x' },
      TREE_VERSION,
      404,
      'Not Found',
    ],
    [
      'a node PUT under another type than the stored node’s',
      'PUT',
      (a) => `${a.nodes}/MessageNode/${DATA_STORE}`,
      { message: { en: 'replaced?' } },
      TREE_VERSION,
      409,
      'Unable to save config: Service already exists',
    ],
    [
      'a node PUT with an unknown attribute',
      'PUT',
      (a) => `${a.nodes}/DataStoreDecisionNode/${DATA_STORE}`,
      { colour: 'red' },
      TREE_VERSION,
      400,
      'Invalid attribute specified.',
    ],
    [
      'a script PUT with invalid base64',
      'PUT',
      (a) => `${a.scripts}/${randomUUID()}`,
      { ...script(''), script: 'not base64!' },
      SCRIPT_VERSION,
      400,
      undefined,
    ],
    [
      'a script PUT without a name',
      'PUT',
      (a) => `${a.scripts}/${randomUUID()}`,
      { ...script('outcome = "true";'), name: undefined },
      SCRIPT_VERSION,
      400,
      'Script name must be specified',
    ],
    [
      'a script PUT in a language AM does not run',
      'PUT',
      (a) => `${a.scripts}/${TERMINATE_SCRIPT}`,
      { ...script('print 1'), name: 'Terminate Sessions', language: 'PYTHON' },
      SCRIPT_VERSION,
      400,
      'Scripting language not supported: PYTHON',
    ],
    [
      'a tree PUT with malformed JSON',
      'PUT',
      (a) => `${a.trees}/Login`,
      '{"entryNodeId":',
      TREE_VERSION,
      400,
      INVALID_JSON,
    ],
    [
      'a node PUT with malformed JSON',
      'PUT',
      (a) => `${a.nodes}/PageNode/${LOGIN_PAGE}`,
      '{nope',
      TREE_VERSION,
      400,
      INVALID_JSON,
    ],
    [
      'a script PUT with malformed JSON',
      'PUT',
      (a) => `${a.scripts}/${TERMINATE_SCRIPT}`,
      '{nope',
      SCRIPT_VERSION,
      400,
      INVALID_JSON,
    ],
    ['a tree PUT of a JSON array', 'PUT', (a) => `${a.trees}/Login`, '[1,2]', TREE_VERSION, 400, undefined],
    [
      'a node PUT of a JSON array',
      'PUT',
      (a) => `${a.nodes}/PageNode/${LOGIN_PAGE}`,
      '[]',
      TREE_VERSION,
      400,
      undefined,
    ],
    [
      'a script PUT of a JSON array',
      'PUT',
      (a) => `${a.scripts}/${TERMINATE_SCRIPT}`,
      '[]',
      SCRIPT_VERSION,
      400,
      undefined,
    ],
    [
      'a 2 MB tree PUT',
      'PUT',
      (a) => `${a.trees}/Huge`,
      JSON.stringify({ entryNodeId: 'x', nodes: {}, description: 'x'.repeat(2 * 1024 * 1024) }),
      TREE_VERSION,
      413,
      undefined,
    ],
    [
      'a 2 MB script PUT',
      'PUT',
      (a) => `${a.scripts}/${randomUUID()}`,
      script('x'.repeat(2 * 1024 * 1024), 'Huge'),
      SCRIPT_VERSION,
      413,
      undefined,
    ],
    [
      'a deeply nested node PUT',
      'PUT',
      (a) => `${a.nodes}/MessageNode/${randomUUID()}`,
      `{"message":${nested(100_000)}}`,
      TREE_VERSION,
      400,
      undefined,
    ],
    [
      'a deeply nested tree PUT',
      'PUT',
      (a) => `${a.trees}/Deep`,
      `{"entryNodeId":"x","uiConfig":${nested(100_000)}}`,
      TREE_VERSION,
      400,
      undefined,
    ],
  ];

  it.each(CASES)('%s', async (_, method, path, body, version, status, message) => {
    const before = await api.snapshot();
    const response = await api.send(method, path(api), body, version);
    expect(response.status, response.text).toBe(status);
    expect(response.json).toMatchObject({ code: status, reason: expect.any(String), message: expect.any(String) });
    if (message instanceof RegExp) expect(response.json.message).toMatch(message);
    else if (message !== undefined) expect(response.json.message).toBe(message);
    expect(await api.snapshot()).toEqual(before);
  });

  it('a node PUT with an unknown attribute names the valid ones', async () => {
    const response = await api.send('PUT', `${api.nodes}/DataStoreDecisionNode/${randomUUID()}`, { colour: 'red' });
    expect(response.status, response.text).toBe(400);
    expect(response.json.detail?.validAttributes).toEqual(expect.any(Array));
    expect(response.json.detail.validAttributes).not.toContain('colour');
  });

  it('a tree PUT whose nodes do not exist is stored as AIC stores it (node configs are not checked), and is refused when run', async () => {
    const before = await api.snapshot();
    const missing = randomUUID();
    const response = await api.send('PUT', `${api.trees}/Dangling`, {
      entryNodeId: missing,
      nodes: { [missing]: { nodeType: 'MessageNode', displayName: 'Gone', connections: {} } },
    });
    expect(response.status, response.text).toBe(201);
    // Only the tree was added: no node was made up for it.
    const after = await api.snapshot();
    expect(after.nodes).toEqual(before.nodes);
    expect(after.scripts).toEqual(before.scripts);
    expect(after.trees.map((tree: Json) => tree._id)).toEqual(
      [...before.trees.map((tree: Json) => tree._id), 'Dangling'].sort(),
    );
    const run = await http(`${emulator.url}${ALPHA}/authenticate?authIndexType=service&authIndexValue=Dangling`, {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' },
      body: '{}',
    });
    // A journey the emulator cannot run answers 501 (docs/fidelity.md), before any step.
    expect(run.status, run.text).toBe(501);
    expect(run.json.message).toContain('Dangling');
    await api.ok(api.send('DELETE', `${api.trees}/Dangling`));
    expect(await api.snapshot()).toEqual(before);
  });

  it('a script whose source Rhino would not parse is stored as AM stores it, and the journey linter reports it', async () => {
    const before = await api.snapshot();
    const id = randomUUID();
    const response = await api.send('PUT', `${api.scripts}/${id}`, script('function ('), SCRIPT_VERSION);
    expect(response.status, response.text).toBe(201);
    const read = await api.ok(api.send('GET', `${api.scripts}/${id}`, undefined, SCRIPT_VERSION));
    expect(Buffer.from(read.script, 'base64').toString('utf8')).toBe('function (');
    await api.ok(api.send('DELETE', `${api.scripts}/${id}`, undefined, SCRIPT_VERSION));
    expect(await api.snapshot()).toEqual(before);
  });

  it('an _id in the body that differs from the path’s: the path names the resource', async () => {
    const before = await api.snapshot();
    const tree = await api.ok(api.send('GET', `${api.trees}/Login`));
    expect((await api.send('PUT', `${api.trees}/Login`, { ...tree, _id: 'Other' })).status).toBe(200);
    const node = await api.ok(api.send('GET', `${api.nodes}/PageNode/${LOGIN_PAGE}`));
    expect((await api.send('PUT', `${api.nodes}/PageNode/${LOGIN_PAGE}`, { ...node, _id: randomUUID() })).status).toBe(
      200,
    );
    const terminate = await api.ok(api.send('GET', `${api.scripts}/${TERMINATE_SCRIPT}`, undefined, SCRIPT_VERSION));
    const put = await api.send(
      'PUT',
      `${api.scripts}/${TERMINATE_SCRIPT}`,
      { ...terminate, _id: randomUUID() },
      SCRIPT_VERSION,
    );
    expect(put.status, put.text).toBe(200);
    expect(put.json._id).toBe(TERMINATE_SCRIPT);
    const after = await api.snapshot();
    // The script's write stamps its author and date (AM does); nothing else changed.
    const unstamped = (s: Json) => s.scripts.map((x: Json) => ({ ...x, lastModifiedBy: 0, lastModifiedDate: 0 }));
    expect({ ...after, scripts: unstamped(after) }).toEqual({ ...before, scripts: unstamped(before) });
  });
});

describe('who may call each route', () => {
  let emulator: Emulator;
  let api: Client;
  let tenantAdmin: string;
  let user: string;
  let cookieName: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    api = client(emulator);
    cookieName = (await http(`${emulator.url}/am/json/serverinfo/*`)).json.cookieName;
    tenantAdmin = await login(emulator, { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD }, ROOT);
    user = await login(emulator, DEMO);
  });
  afterAll(() => emulator.close());

  const TREES = `${AUTH_TREES}/trees`;
  const NODES = `${AUTH_TREES}/nodes`;
  const DATA_STORE = '69b2c69a-9eda-40f2-a092-9fb5988761da';
  const SCRIPT = '4c5e7bc2-9ab9-4781-b31e-304791900a64';
  const NEW_SCRIPT = 'a0000000-0000-4000-8000-00000000beef';
  const NEW_NODE = 'a0000000-0000-4000-8000-00000000cafe';
  const nodeBody = { message: { en: 'authz' } };
  const scriptBody = { name: 'Authz', script: Buffer.from('outcome = "true";').toString('base64') };

  /** Every route of the API: [name, method, path under the realm, body, version, admin status]. */
  type Route = [string, string, string, unknown, string, number];
  const ROUTES: Route[] = [
    ['trees query', 'GET', `${TREES}?_queryFilter=true`, undefined, TREE_VERSION, 200],
    ['tree GET', 'GET', `${TREES}/Login`, undefined, TREE_VERSION, 200],
    ['tree PUT', 'PUT', `${TREES}/Authz`, { entryNodeId: NEW_NODE, nodes: {} }, TREE_VERSION, 201],
    ['tree DELETE', 'DELETE', `${TREES}/Authz`, undefined, TREE_VERSION, 200],
    ['node GET', 'GET', `${NODES}/DataStoreDecisionNode/${DATA_STORE}`, undefined, TREE_VERSION, 200],
    ['node PUT', 'PUT', `${NODES}/MessageNode/${NEW_NODE}`, nodeBody, TREE_VERSION, 201],
    ['node DELETE', 'DELETE', `${NODES}/MessageNode/${NEW_NODE}`, undefined, TREE_VERSION, 200],
    ['nodes getAllTypes', 'POST', `${NODES}?_action=getAllTypes`, {}, TREE_VERSION, 200],
    ['nodes getType', 'POST', `${NODES}/MessageNode/1.0?_action=getType`, {}, 'protocol=2.1,resource=3.0', 200],
    ['nodes nextdescendents', 'POST', `${NODES}?_action=nextdescendents`, {}, TREE_VERSION, 200],
    ['nodes of a type query', 'GET', `${NODES}/MessageNode?_queryFilter=true`, undefined, TREE_VERSION, 200],
    ['node type schema', 'POST', `${NODES}/MessageNode?_action=schema`, {}, TREE_VERSION, 200],
    ['node type template', 'POST', `${NODES}/MessageNode?_action=template`, {}, TREE_VERSION, 200],
    ['node type listOutcomes', 'POST', `${NODES}/MessageNode?_action=listOutcomes`, {}, TREE_VERSION, 200],
    ['scripts query', 'GET', `scripts?_queryFilter=true`, undefined, SCRIPT_VERSION, 200],
    ['script GET', 'GET', `scripts/${SCRIPT}`, undefined, SCRIPT_VERSION, 200],
    ['script PUT', 'PUT', `scripts/${NEW_SCRIPT}`, scriptBody, SCRIPT_VERSION, 201],
    ['script DELETE', 'DELETE', `scripts/${NEW_SCRIPT}`, undefined, SCRIPT_VERSION, 200],
  ];

  const call = (route: Route, headers: Headers, realm = ALPHA) =>
    api.send(route[1], `${realm}/${route[2]}`, route[3], route[4], headers);

  type Caller = [string, () => Headers];
  const ADMINS: Caller[] = [
    ['the admin bearer', () => ({ authorization: `Bearer ${DEMO_ADMIN_TOKEN}` })],
    ['a tenant admin’s session (cookie)', () => ({ cookie: `${cookieName}=${tenantAdmin}` })],
    ['a tenant admin’s session (header)', () => ({ [cookieName]: tenantAdmin })],
  ];

  // Each administrator runs the routes in order: a PUT creates what the DELETE after it removes.
  it.each(ADMINS)('%s may call every route', async (_, headers) => {
    for (const route of ROUTES) {
      const response = await call(route, headers());
      expect(response.status, `${route[0]}: ${response.text}`).toBe(route[5]);
    }
  });

  const REFUSED = ROUTES.map((route) => [route[0], route] as const);

  it.each(REFUSED)(
    '%s: a user’s session is 403, nobody 401, the root realm AIC’s 403; nothing changes',
    async (_, route) => {
      const before = await api.snapshot();
      const forbidden = await call(route, { [cookieName]: user });
      expect(forbidden.status, forbidden.text).toBe(403);
      expect(forbidden.json).toEqual({ code: 403, reason: 'Forbidden', message: 'Forbidden' });
      const nobody = await call(route, {});
      expect(nobody.status, nobody.text).toBe(401);
      expect(nobody.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
      expect((await call(route, { authorization: 'Bearer not-a-token' })).status).toBe(401);
      for (const headers of [{ authorization: `Bearer ${DEMO_ADMIN_TOKEN}` }, { [cookieName]: user }, {}]) {
        const root = await call(route, headers, ROOT);
        expect(root.status, root.text).toBe(403);
        expect(root.json).toEqual({
          code: 403,
          reason: 'Forbidden',
          message: 'This operation is not available in PingOne Advanced Identity Cloud.',
        });
      }
      expect(await api.snapshot()).toEqual(before);
    },
  );
});
