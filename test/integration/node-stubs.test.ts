/**
 * Nodes the emulator cannot run still import (issue 19): a marketplace or unknown node runs as a
 * stub whose outcome and callbacks the config or the control API choose, with a lint warning; a
 * Node Designer custom node runs its own script with its `properties`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { deriveCookieName, resolveConfig } from '../../emulator/config/config.js';
import { DEMO, asAdmin, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';

const RISK = 'd0000000-0000-4000-8000-000000000001';
const MESSAGE = 'd0000000-0000-4000-8000-000000000002';

/** A journey whose first node is a marketplace node; its export lists the node's outcomes (`_outcomes`). */
function marketplaceJourney() {
  const exported = treeExport({
    name: 'Risky',
    description: 'a marketplace risk node, then a message',
    entry: RISK,
    nodes: [
      {
        id: RISK,
        type: 'AcmeRiskNode',
        name: 'Acme Risk',
        x: 1,
        y: 1,
        connections: { low: MESSAGE, high: END.failure },
        config: { apiKey: 'k' },
      },
      {
        id: MESSAGE,
        type: 'MessageNode',
        name: 'Welcome',
        x: 2,
        y: 2,
        connections: { true: END.success, false: END.failure },
        config: { message: { en: 'Welcome' }, messageYes: { en: 'OK' }, messageNo: { en: 'No' } },
      },
    ],
  }) as { nodes: Record<string, Record<string, unknown>> };
  // AIC lists a node's outcomes in its export; here in another order than the tree's connections.
  (exported.nodes[RISK] as Record<string, unknown>)['_outcomes'] = [
    { id: 'high', displayName: 'High' },
    { id: 'low', displayName: 'Low' },
  ];
  return { trees: { Risky: exported } };
}

async function importExport(emulator: Emulator, body: unknown) {
  return http(`${emulator.url}/__emulator/import`, { method: 'POST', body: JSON.stringify(body) });
}

async function lastRun(emulator: Emulator) {
  const runs = await http(`${emulator.url}/__emulator/runs`);
  return runs.json.result.at(-1);
}

describe('marketplace and unknown nodes run as stubs', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  it("imports with a warning naming the stub, and without a stub takes the first of the export's outcomes", async () => {
    const imported = await importExport(emulator, marketplaceJourney());
    expect(imported.json.imported).toEqual(['Risky']);
    expect(imported.json.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        journey: 'Risky',
        node: `Acme Risk (${RISK})`,
        message: expect.stringContaining(
          'AcmeRiskNode is not implemented by the emulator: it runs as the node stub "AcmeRiskNode"',
        ),
      }),
    ]);
    expect(imported.json.problems[0].message).toContain('else it takes its first outcome "high"');
    const step = await journey(emulator, 'Risky').start();
    expect(step.response.status).toBe(401);
    const run = await lastRun(emulator);
    expect(run.visits[0]).toMatchObject({ nodeType: 'AcmeRiskNode', outcome: 'high', stubbed: 'default' });
    expect(run.visits[0].logs).toEqual([
      { level: 'info', message: 'stubbed: took outcome high (its first outcome: no node stub is set)' },
    ]);
  });

  it('takes the outcome a stub for its type chooses; a stub for the node wins over it', async () => {
    await importExport(emulator, marketplaceJourney());
    const put = await http(`${emulator.url}/__emulator/node-stubs/AcmeRiskNode`, {
      method: 'PUT',
      body: JSON.stringify({ outcome: 'low' }),
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ id: 'AcmeRiskNode', nodeType: 'AcmeRiskNode', outcome: 'low' });
    const first = await journey(emulator, 'Risky').start();
    expect(first.body.callbacks[0].output[0]).toEqual({ name: 'message', value: 'Welcome' });
    expect((await lastRun(emulator)).visits[0]).toMatchObject({ outcome: 'low', stubbed: 'AcmeRiskNode' });

    await http(`${emulator.url}/__emulator/node-stubs/AcmeRiskNode/${RISK}`, {
      method: 'PUT',
      body: JSON.stringify({ outcome: 'high' }),
    });
    const denied = await journey(emulator, 'Risky').start();
    expect(denied.response.status).toBe(401);
    expect((await lastRun(emulator)).visits[0]).toMatchObject({ outcome: 'high', stubbed: `AcmeRiskNode/${RISK}` });
  });

  it('sends the callbacks a stub gives, keeps the answers in shared state, then takes its outcome', async () => {
    await importExport(emulator, marketplaceJourney());
    await http(`${emulator.url}/__emulator/node-stubs/AcmeRiskNode/${RISK}`, {
      method: 'PUT',
      body: JSON.stringify({
        outcome: 'low',
        callbacks: [
          {
            type: 'NameCallback',
            output: [{ name: 'prompt', value: 'Acme code' }],
            input: [{ name: 'IDToken1', value: '' }],
          },
          { type: 'TextOutputCallback', output: [{ name: 'message', value: 'Acme checks you' }] },
        ],
      }),
    });
    const first = await journey(emulator, 'Risky').start();
    expect(first.body.callbacks).toEqual([
      {
        type: 'NameCallback',
        output: [{ name: 'prompt', value: 'Acme code' }],
        input: [{ name: 'IDToken1', value: '' }],
        _id: 0,
      },
      { type: 'TextOutputCallback', output: [{ name: 'message', value: 'Acme checks you' }], _id: 1 },
    ]);
    const second = await first.answer(0, '424242').next();
    expect(second.body.callbacks[0].output[0]).toEqual({ name: 'message', value: 'Welcome' });
    const run = await lastRun(emulator);
    const visit = run.visits.find(
      (entry: { nodeId: string; outcome?: string }) => entry.nodeId === RISK && entry.outcome === 'low',
    );
    expect(visit.shared).toEqual([
      {
        key: 'emulatorStubAnswers',
        after: {
          [RISK]: [
            { type: 'NameCallback', input: [{ name: 'IDToken1', value: '424242' }] },
            { type: 'TextOutputCallback', input: [] },
          ],
        },
      },
    ]);
  });

  it('control API: list, read, delete; bad input answered AM-shaped; a reset clears them', async () => {
    const base = `${emulator.url}/__emulator/node-stubs`;
    await http(`${base}/AcmeRiskNode`, { method: 'PUT', body: JSON.stringify({ outcome: 'low' }) });
    await http(`${base}/AcmeRiskNode/n1`, { method: 'PUT', body: JSON.stringify({}) });
    expect((await http(base)).json).toEqual({
      result: [
        { id: 'AcmeRiskNode', nodeType: 'AcmeRiskNode', outcome: 'low' },
        { id: 'AcmeRiskNode/n1', nodeType: 'AcmeRiskNode', nodeId: 'n1' },
      ],
    });
    expect((await http(`${base}/AcmeRiskNode/n1`)).json).toEqual({
      id: 'AcmeRiskNode/n1',
      nodeType: 'AcmeRiskNode',
      nodeId: 'n1',
    });
    const bad = async (path: string, body: string) => {
      const response = await http(`${base}${path}`, { method: 'PUT', body });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ code: 400, reason: 'Bad Request', message: expect.any(String) });
      return response.json.message as string;
    };
    expect(await bad('/AcmeRiskNode', JSON.stringify({ outcome: 5 }))).toContain('outcome');
    expect(await bad('/AcmeRiskNode', JSON.stringify({ outcme: 'low' }))).toContain('outcme');
    expect(await bad('/AcmeRiskNode', JSON.stringify({ callbacks: [{ output: [] }] }))).toContain('type');
    expect(await bad('/AcmeRiskNode', JSON.stringify({ callbacks: [{ type: 'X', input: [{ value: 1 }] }] }))).toMatch(
      /name/,
    );
    const many = Array.from({ length: 51 }, (_, index) => ({ name: `o${index}`, value: index }));
    expect(await bad('/AcmeRiskNode', JSON.stringify({ callbacks: [{ type: 'X', output: many }] }))).toMatch(/50/);
    expect(await bad('/AcmeRiskNode', '[1]')).toBe('The request body must be a JSON object');
    expect(await bad('/AcmeRiskNode', 'not json')).toEqual(expect.any(String));
    expect(await bad('/Acme%20Risk', '{}')).toContain('node type');
    const missing = await http(`${base}/NoSuchNode`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ code: 404, reason: 'Not Found', message: 'no node stub NoSuchNode' });
    expect((await http(`${base}/AcmeRiskNode/n1`, { method: 'DELETE' })).json).toEqual({ status: 'ok' });
    expect((await http(`${base}/AcmeRiskNode/n1`, { method: 'DELETE' })).status).toBe(404);
    await http(`${emulator.url}/__emulator/reset`, { method: 'POST' });
    expect((await http(base)).json).toEqual({ result: [] });
  });
});

describe('node stubs from the config', () => {
  it('are seeded at start and after a reset, and do not change the cookie name', async () => {
    const nodeStubs = [{ nodeType: 'AcmeRiskNode', outcome: 'low' }];
    expect(deriveCookieName(resolveConfig({ nodeStubs }))).toBe(deriveCookieName(resolveConfig()));
    expect(() => resolveConfig({ nodeStubs: [{ outcome: 'low' }] as never })).toThrow(/nodeStubs/);
    const emulator = await startEmulator({ config: { nodeStubs } });
    try {
      await importExport(emulator, marketplaceJourney());
      const first = await journey(emulator, 'Risky').start();
      expect(first.body.callbacks[0].output[0]).toEqual({ name: 'message', value: 'Welcome' });
      await http(`${emulator.url}/__emulator/node-stubs`, { method: 'DELETE' });
      await emulator.reset();
      expect((await http(`${emulator.url}/__emulator/node-stubs`)).json.result).toEqual([
        { id: 'AcmeRiskNode', nodeType: 'AcmeRiskNode', outcome: 'low' },
      ]);
    } finally {
      await emulator.close();
    }
  });
});

describe('Node Designer custom nodes', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const ALU = 'e0000000-0000-4000-8000-000000000001';
  const SHOW = 'e0000000-0000-4000-8000-000000000002';
  const aluScript = `
    var a = Number(properties.a), b = Number(properties.b);
    switch (properties.operator) {
      case 'ADD': nodeState.putShared('z', a + b); break;
      case 'MULTIPLY': nodeState.putShared('z', a * b); break;
      case 'DIVIDE': if (b == 0) throw new Error('Cannot divide by 0'); nodeState.putShared('z', a / b); break;
      default: throw new Error('Unknown operator.');
    }
    action.goTo('Success');`;
  const showScript = `
    if (!callbacks.isEmpty()) { action.goTo('outcome'); }
    else { callbacksBuilder.textOutputCallback(0, properties.prefix + nodeState.get('z') + ' ' + properties.list.map(function (x) { return x * 2; }).join(',')); }`;
  /** A frodo journey export with its custom node types (`nodeTypes`), as frodo-lib's FrodoTestJourney12. */
  const designerExport = (aluConfig: Record<string, unknown>) => {
    const exported = treeExport({
      name: 'Designed',
      description: 'custom nodes',
      entry: ALU,
      nodes: [
        {
          id: ALU,
          type: 'designer-a6063fb2f5dc42dd9772bedc93898bd8',
          name: 'ALU',
          x: 1,
          y: 1,
          connections: { Success: SHOW, 'Script Error': END.failure },
          config: aluConfig,
        },
        {
          id: SHOW,
          type: 'designer-aaaa3fb2f5dc42dd9772bedc93898bd8',
          name: 'Show',
          x: 2,
          y: 2,
          connections: { outcome: END.success },
          config: {},
        },
      ],
    });
    exported['nodeTypes'] = {
      'a6063fb2f5dc42dd9772bedc93898bd8-1': {
        serviceName: 'a6063fb2f5dc42dd9772bedc93898bd8',
        displayName: 'ALU - TEST',
        outcomes: ['Success'],
        outputs: ['z'],
        inputs: [],
        script: aluScript,
        errorOutcome: true,
        tags: ['math'],
        properties: {
          operator: { title: 'Operator', type: 'STRING', required: true, defaultValue: 'ADD', multivalued: false },
          a: { title: 'A', type: 'NUMBER', required: true, defaultValue: 1 },
          b: { title: 'B', type: 'NUMBER', required: true, defaultValue: 2 },
        },
      },
      'aaaa3fb2f5dc42dd9772bedc93898bd8-1': {
        serviceName: 'aaaa3fb2f5dc42dd9772bedc93898bd8',
        displayName: 'Show',
        outcomes: ['outcome'],
        outputs: [],
        inputs: [],
        script: showScript,
        errorOutcome: false,
        properties: {
          prefix: { type: 'STRING', defaultValue: 'z=' },
          list: { type: 'NUMBER', multivalued: true, defaultValue: [1, 2, 3] },
        },
      },
    };
    return { trees: { Designed: exported } };
  };

  it("run their type's script with their properties (the node's values over the defaults)", async () => {
    const imported = await importExport(emulator, designerExport({ operator: 'MULTIPLY', a: 6 }));
    expect(imported.json.problems).toEqual([]);
    const first = await journey(emulator, 'Designed').start();
    expect(first.body.callbacks).toEqual([
      {
        type: 'TextOutputCallback',
        output: [
          { name: 'message', value: 'z=12 2,4,6' },
          { name: 'messageType', value: '0' },
        ],
        _id: 0,
      },
    ]);
    // Answered, the node takes its outcome (to Success; no user was identified, so AM's Login failure).
    await first.next();
    const run = await lastRun(emulator);
    expect(run.visits.at(-1)).toMatchObject({ displayName: 'Show', outcome: 'outcome' });
    expect(run.visits[0].shared).toEqual([{ key: 'z', after: 12 }]);
    expect(run.visits[0]).toMatchObject({ nodeType: 'designer-a6063fb2f5dc42dd9772bedc93898bd8', outcome: 'Success' });
    expect(run.visits[0].stubbed).toBeUndefined();
  });

  it('take "Script Error" when the script throws and the type has an error outcome', async () => {
    await importExport(emulator, designerExport({ operator: 'DIVIDE', b: 0 }));
    const step = await journey(emulator, 'Designed').start();
    expect(step.response.status).toBe(401);
    const run = await lastRun(emulator);
    expect(run.visits[0]).toMatchObject({ outcome: 'Script Error' });
    expect(run.visits[0].logs.map((line: { message: string }) => line.message).join('\n')).toContain(
      'Cannot divide by 0',
    );
  });

  it("are served over AM's node-designer/node-type REST, tenant-wide: query, create, read, replace, delete", async () => {
    const url = `${emulator.url}/am/json/node-designer/node-type`;
    const headers = {
      ...asAdmin(emulator),
      'accept-api-version': 'protocol=2.1,resource=1.0',
      'content-type': 'application/json',
    };
    const call = (method: string, path = '', body?: unknown) =>
      http(`${url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    expect((await call('GET', '?_queryFilter=true')).json).toMatchObject({ result: [], resultCount: 0 });
    const hasSession = {
      _id: 'session-1',
      serviceName: 'session',
      displayName: 'Has Session',
      outcomes: ['True', 'False'],
      inputs: [],
      outputs: [],
      script: "action.goTo(typeof existingSession === 'undefined' ? 'False' : 'True');",
      errorOutcome: false,
      tags: ['utilities'],
      properties: {},
    };
    const created = await call('POST', '', hasSession);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      _id: 'session-1',
      _rev: expect.any(String),
      serviceName: 'session',
      version: 1,
    });
    expect((await call('POST', '', { ...hasSession, _id: undefined })).json).toEqual({
      code: 409,
      reason: 'Conflict',
      message: 'Node Type with resource id session already exists',
    });
    expect((await call('GET', '/session-1')).json.displayName).toBe('Has Session');
    const { result, ...envelope } = (await call('GET', '?_queryFilter=true')).json;
    expect(result).toHaveLength(1);
    expect(envelope).toEqual({
      resultCount: 1,
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'EXACT',
      totalPagedResults: 1,
      remainingPagedResults: -1,
    });
    const missing = await call('PUT', '/nothere-1', hasSession);
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('Node Type with resource ID nothere-1 does not exist');
    expect((await call('PUT', '/session-1', { ...hasSession, displayName: 'Session?' })).json.displayName).toBe(
      'Session?',
    );
    expect((await call('POST', '/session-1?_action=journeys', {})).json).toEqual({});
    expect((await call('POST', '', { serviceName: 'x y', script: '' })).status).toBe(400);
    // A journey naming the type runs its script, in any realm.
    const node = 'f0000000-0000-4000-8000-000000000001';
    const exported = treeExport({
      name: 'SessionCheck',
      description: '',
      entry: node,
      nodes: [
        {
          id: node,
          type: 'designer-session',
          name: 'Has Session',
          x: 1,
          y: 1,
          connections: { True: END.success, False: END.failure },
          config: {},
        },
      ],
    });
    expect((await importExport(emulator, { trees: { SessionCheck: exported } })).json.problems).toEqual([]);
    expect((await journey(emulator, 'SessionCheck').start()).response.status).toBe(401);
    expect((await lastRun(emulator)).visits[0]).toMatchObject({ outcome: 'False' });
    expect((await call('DELETE', '/session-1')).json).toEqual({ _id: 'session-1' });
    expect((await call('DELETE', '/session-1')).status).toBe(404);
    const anonymous = await http(`${url}?_queryFilter=true`, {
      headers: { 'accept-api-version': 'protocol=2.1,resource=1.0' },
    });
    expect(anonymous.status).toBe(401);
  });

  it("frodo-lib's FrodoTestJourney12 (custom node types in its export) imports without stubbed nodes and signs in", async () => {
    const path =
      'test/fixtures/journeys-corpus/rockcarver__frodo-lib/src/test/mocks/JourneyOps/importJourney/FrodoTestJourney12.journey.json';
    if (!existsSync(path)) return;
    const imported = await importExport(emulator, JSON.parse(readFileSync(path, 'utf8')));
    expect(imported.json.imported).toEqual(['FrodoTestJourney12']);
    expect(
      imported.json.problems.filter((problem: { message: string }) => problem.message.includes('not implemented')),
    ).toEqual([]);
    // No session: its Has Session node (designer-session) says False; the Login Page's nine Display
    // Callback children (one custom type, each with its own properties) build the page.
    const first = await journey(emulator, 'FrodoTestJourney12').start();
    expect(first.body.callbacks.map((callback: { type: string }) => callback.type)).toEqual([
      'TextOutputCallback',
      'NameCallback',
      'PasswordCallback',
      'StringAttributeInputCallback',
      'NumberAttributeInputCallback',
      'BooleanAttributeInputCallback',
      'HiddenValueCallback',
      'TextOutputCallback',
      'TermsAndConditionsCallback',
    ]);
    expect(first.body.callbacks[1].output).toEqual([{ name: 'prompt', value: 'Enter Your Username' }]);
    expect((await lastRun(emulator)).visits[0]).toMatchObject({ displayName: 'Has Session AM', outcome: 'False' });
    // Answered, each child takes its outcome (the Display Callback script reads `callbacks`), the
    // Data Store Decision checks what its Username and Password children put in the state.
    const done = await first.answer(1, DEMO.userName).answer(2, DEMO.password).next();
    expect(done.body.tokenId).toEqual(expect.any(String));
    const visits = (await lastRun(emulator)).visits as { displayName: string; outcome?: string; stubbed?: string }[];
    expect(visits.at(-1)).toMatchObject({ displayName: 'Data Store Decision', outcome: 'true' });
    expect(visits.filter((visit) => visit.stubbed)).toEqual([]);
  });
});
