/**
 * One journey node at a time (AM's node sources in ForgeRock/am-external; issue 4 scope 3): each test imports a
 * small journey built around the node under test, drives it over `/authenticate`, and checks what the
 * node is for: the outcome it takes, the state it writes, the callbacks it renders, the user it
 * changes. Outcomes and state changes are read from the run record (`GET /__emulator/runs`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport, type DemoNode, type DemoScript } from '../../emulator/config/demo-journeys/build.js';
import { ALPHA, BJENSEN, DEMO, SCARTER, login, startEmulator, withCookie } from '../helpers/tenant.js';
import { http, type RawResponse } from '../helpers/http.js';
import { callbackTypes, journey, sessionCookieOf, type Step } from '../helpers/journey.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

// ---------------------------------------------------------------------------------------------
// Building journeys: nodes by display name, connections to other nodes by display name or to
// 'success' / 'failure'. The first node is the entry. Ids are unique across the whole file.
// ---------------------------------------------------------------------------------------------

interface NodeSpec {
  type: string;
  config?: Record<string, unknown>;
  to: Record<string, string>;
}

let counter = 0;
const uuid = (prefix: string) => `${prefix}-0000-4000-8000-${String((counter += 1)).padStart(12, '0')}`;

interface ScriptSpec {
  source: string;
  context?: string;
  engine?: '1.0' | '2.0';
}

function exportOf(name: string, nodes: Record<string, NodeSpec>, scripts: Record<string, ScriptSpec> = {}) {
  const ids = Object.fromEntries(Object.keys(nodes).map((display) => [display, uuid('a0000000')]));
  const scriptIds = Object.fromEntries(Object.keys(scripts).map((key) => [key, uuid('5c000000')]));
  const target = (to: string): string =>
    to === 'success' ? END.success : to === 'failure' ? END.failure : (ids[to] ?? `unknown node ${to}`);
  const demoNodes: DemoNode[] = Object.entries(nodes).map(([display, spec], index) => ({
    id: ids[display] as string,
    type: spec.type,
    name: display,
    x: 100 + index * 200,
    y: 100,
    connections: Object.fromEntries(Object.entries(spec.to).map(([outcome, to]) => [outcome, target(to)])),
    // A config value `script:<key>` names one of this journey's scripts.
    config: Object.fromEntries(
      Object.entries(spec.config ?? {}).map(([key, value]) => [
        key,
        typeof value === 'string' && value.startsWith('script:') ? scriptIds[value.slice(7)] : value,
      ]),
    ),
  }));
  const demoScripts: DemoScript[] = Object.entries(scripts).map(([key, script]) => ({
    id: scriptIds[key] as string,
    name: `${name}-${key}`,
    description: '',
    source: script.source,
    context: script.context ?? 'CONFIG_PROVIDER_NODE',
    evaluatorVersion: script.engine ?? '1.0',
  }));
  const entry = ids[Object.keys(nodes)[0] as string] as string;
  return {
    ids,
    exported: {
      trees: {
        [name]: treeExport({ name, description: `nodes.test: ${name}`, entry, nodes: demoNodes, scripts: demoScripts }),
      },
    },
  };
}

/** Imports a journey and answers its import report. */
async function importJourney(name: string, nodes: Record<string, NodeSpec>, scripts: Record<string, ScriptSpec> = {}) {
  const { ids, exported } = exportOf(name, nodes, scripts);
  const response = await http(`${emulator.url}/__emulator/import`, { method: 'POST', body: JSON.stringify(exported) });
  expect(response.status).toBe(200);
  return {
    ids,
    report: response.json as {
      imported: string[];
      problems: { journey: string; node?: string; message: string; severity: string }[];
    },
  };
}

/** Imports a journey that must lint clean; answers the node ids by display name. */
async function install(
  name: string,
  nodes: Record<string, NodeSpec>,
  scripts: Record<string, ScriptSpec> = {},
): Promise<Record<string, string>> {
  const { ids, report } = await importJourney(name, nodes, scripts);
  expect(report.imported).toEqual([name]);
  expect(report.problems).toEqual([]);
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Reading runs.
// ---------------------------------------------------------------------------------------------

interface Change {
  key: string;
  before?: unknown;
  after?: unknown;
}
interface Visit {
  displayName: string;
  nodeType: string;
  outcome?: string;
  callbacks?: string[];
  error?: string;
  shared: Change[];
  transient: Change[];
  logs: { level: string; message: string }[];
}
interface Run {
  journey: string;
  status: string;
  error?: string;
  user?: { _id: string; userName: string };
  visits: Visit[];
}

async function lastRun(name: string): Promise<Run> {
  const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result as Run[];
  const run = runs.filter((entry) => entry.journey === name).at(-1);
  if (!run) throw new Error(`no run of ${name}`);
  return run;
}

/** `Display name:outcome` (or the callbacks sent) for each visit, in order. */
const path = (run: Run): string[] =>
  run.visits.map(
    (visit) => `${visit.displayName}:${visit.outcome ?? visit.callbacks?.join('+') ?? `error ${visit.error}`}`,
  );

/** The last visit of a node that took an outcome. */
function decided(run: Run, displayName: string): Visit {
  const visit = run.visits.filter((entry) => entry.displayName === displayName && entry.outcome !== undefined).at(-1);
  if (!visit) throw new Error(`${displayName} took no outcome in ${path(run).join(', ')}`);
  return visit;
}

// ---------------------------------------------------------------------------------------------
// Small conveniences.
// ---------------------------------------------------------------------------------------------

const zeroPage = (user: { userName: string; password: string }, extra: Record<string, string> = {}) => ({
  'x-openam-username': user.userName,
  'x-openam-password': user.password,
  ...extra,
});

async function createUser(userName: string, attributes: Record<string, unknown> = {}, password = 'Passw0rd!') {
  const created = await http(`${emulator.url}/__emulator/users`, {
    method: 'POST',
    body: JSON.stringify({ realm: 'alpha', userName, password, ...attributes }),
  });
  expect(created.status).toBe(201);
  return { userName, password, _id: created.json._id as string };
}

async function userNamed(userName: string): Promise<Record<string, any>> {
  const users = (await http(`${emulator.url}/__emulator/users?realm=alpha`)).json.result as Record<string, any>[];
  const user = users.find((entry) => entry['userName'] === userName);
  if (!user) throw new Error(`no user ${userName}`);
  return user;
}

const failureOf = (step: Step) => ({ status: step.response.status, body: step.body });
const outputOf = (callback: { output: { name: string; value: unknown }[] }) =>
  Object.fromEntries(callback.output.map((item) => [item.name, item.value]));
const rawLogin = (user: { userName: string; password: string }): Promise<RawResponse> =>
  http(`${emulator.url}${ALPHA}/authenticate`, {
    method: 'POST',
    headers: {
      ...zeroPage(user),
      'accept-api-version': 'resource=2.0, protocol=1.0',
      'content-type': 'application/json',
    },
    body: '{}',
  });

/** Zero Page Login → Data Store Decision → (the nodes given): a one-request sign-in in front of the node under test. */
const signedIn = (next: string): Record<string, NodeSpec> => ({
  'Zero Page': {
    type: 'ZeroPageLoginNode',
    config: { allowWithoutReferer: true, referrerWhiteList: [] },
    to: { true: 'Data Store', false: 'failure' },
  },
  'Data Store': { type: 'DataStoreDecisionNode', to: { true: next, false: 'failure' } },
});

// =============================================================================================

describe('UsernameCollectorNode, PasswordCollectorNode and DataStoreDecisionNode', () => {
  const collectors = (name: string) =>
    install(name, {
      Username: { type: 'UsernameCollectorNode', to: { outcome: 'Password' } },
      Password: { type: 'PasswordCollectorNode', to: { outcome: 'Data Store' } },
      'Data Store': { type: 'DataStoreDecisionNode', to: { true: 'success', false: 'failure' } },
    });

  it('Username Collector sends NameCallback "User Name" and keeps the answer in shared username; Password Collector sends PasswordCallback "Password" and keeps it in transient password; Data Store Decision: true signs the user in', async () => {
    await collectors('NodesCollectors');
    const first = await journey(emulator, 'NodesCollectors').start();
    expect(first.response.status).toBe(200);
    expect(first.body.callbacks).toEqual([
      {
        type: 'NameCallback',
        output: [{ name: 'prompt', value: 'User Name' }],
        input: [{ name: 'IDToken1', value: '' }],
        _id: 0,
      },
    ]);
    const second = await first.answer(0, DEMO.userName).next();
    expect(second.body.callbacks).toEqual([
      {
        type: 'PasswordCallback',
        output: [{ name: 'prompt', value: 'Password' }],
        input: [{ name: 'IDToken1', value: '' }],
        _id: 0,
      },
    ]);
    const done = await second.answer(0, DEMO.password).next();
    expect(done.response.status).toBe(200);
    expect(sessionCookieOf(emulator, done.response)).toBe(done.body.tokenId);
    expect((await emulator.tenant.sessions.getByToken(done.body.tokenId))?.userId).toBe(DEMO._id);

    const run = await lastRun('NodesCollectors');
    expect(path(run)).toEqual([
      'Username:NameCallback',
      'Username:outcome',
      'Password:PasswordCallback',
      'Password:outcome',
      'Data Store:true',
    ]);
    expect(decided(run, 'Username').shared).toEqual([{ key: 'username', after: 'demo' }]);
    expect(decided(run, 'Username').transient).toEqual([]);
    const password = decided(run, 'Password');
    expect(password.shared).toEqual([]);
    expect(password.transient.map((change) => change.key)).toEqual(['password']);
    expect(JSON.stringify(run)).not.toContain(DEMO.password);
    expect(run).toMatchObject({ status: 'success', user: { _id: DEMO._id, userName: 'demo' } });
  });

  it('Username Collector asks again for an empty name; Password Collector asks again for an empty password', async () => {
    await collectors('NodesCollectorsBlank');
    const first = await journey(emulator, 'NodesCollectorsBlank').start();
    const blankName = await first.answer(0, '').next();
    expect(callbackTypes(blankName)).toEqual(['NameCallback']);
    const second = await blankName.answer(0, DEMO.userName).next();
    const emptyPassword = await second.answer(0, '').next();
    expect(callbackTypes(emptyPassword)).toEqual(['PasswordCallback']);
    expect(path(await lastRun('NodesCollectorsBlank'))).toEqual([
      'Username:NameCallback',
      'Username:NameCallback',
      'Username:outcome',
      'Password:PasswordCallback',
      'Password:PasswordCallback',
    ]);
  });

  // AM 8's UsernameCollectorNode: a non-empty name becomes shared username; it filters with
  // Strings.isNullOrEmpty (no trim): a name of spaces is a name.
  it('Username Collector takes a non-empty name of spaces as it is (AM filters only null or empty)', async () => {
    await collectors('NodesCollectorsSpaces');
    const first = await journey(emulator, 'NodesCollectorsSpaces').start();
    const next = await first.answer(0, '   ').next();
    expect(callbackTypes(next)).toEqual(['PasswordCallback']);
    expect(decided(await lastRun('NodesCollectorsSpaces'), 'Username').shared).toEqual([
      { key: 'username', after: '   ' },
    ]);
  });

  it('Data Store Decision: false for a wrong password, an unknown user and an inactive account (401, no session)', async () => {
    await collectors('NodesDataStoreFalse');
    const inactive = await createUser('dormant', { accountStatus: 'inactive' });
    for (const [userName, password] of [
      [DEMO.userName, 'wrong'],
      ['nobody', DEMO.password],
      [inactive.userName, inactive.password],
    ] as const) {
      const first = await journey(emulator, 'NodesDataStoreFalse').start();
      const done = await (await first.answer(0, userName).next()).answer(0, password).next();
      expect(failureOf(done), userName).toEqual({
        status: 401,
        body: { code: 401, reason: 'Unauthorized', message: 'Login failure' },
      });
      expect(decided(await lastRun('NodesDataStoreFalse'), 'Data Store').outcome, userName).toBe('false');
    }
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('Data Store Decision matches the user name case-insensitively (as DS matches uid) and signs in the stored user', async () => {
    await collectors('NodesDataStoreCase');
    const first = await journey(emulator, 'NodesDataStoreCase').start();
    const done = await (await first.answer(0, 'DEMO').next()).answer(0, DEMO.password).next();
    expect(done.response.status).toBe(200);
    expect((await emulator.tenant.sessions.getByToken(done.body.tokenId))?.userId).toBe(DEMO._id);
  });
});

describe('ZeroPageLoginNode', () => {
  const install0 = (name: string, config: Record<string, unknown>) =>
    install(name, {
      'Zero Page': { type: 'ZeroPageLoginNode', config, to: { true: 'Data Store', false: 'failure' } },
      'Data Store': { type: 'DataStoreDecisionNode', to: { true: 'success', false: 'failure' } },
    });

  it('headers present → true: shared username and transient password from X-OpenAM-Username / X-OpenAM-Password, signed in in one request', async () => {
    await install0('NodesZeroPage', { allowWithoutReferer: true, referrerWhiteList: [] });
    const done = await journey(emulator, 'NodesZeroPage', { headers: zeroPage(BJENSEN) }).start();
    expect(done.response.status).toBe(200);
    expect((await emulator.tenant.sessions.getByToken(done.body.tokenId))?.userId).toBe(BJENSEN._id);
    const run = await lastRun('NodesZeroPage');
    expect(path(run)).toEqual(['Zero Page:true', 'Data Store:true']);
    const visit = decided(run, 'Zero Page');
    expect(visit.shared).toEqual([{ key: 'username', after: 'bjensen' }]);
    expect(visit.transient.map((change) => change.key)).toEqual(['password']);
  });

  it('headers absent → false, nothing written', async () => {
    await install0('NodesZeroPageNone', { allowWithoutReferer: true, referrerWhiteList: [] });
    const none = await journey(emulator, 'NodesZeroPageNone').start();
    expect(none.response.status).toBe(401);
    const run = await lastRun('NodesZeroPageNone');
    expect(path(run)).toEqual(['Zero Page:false']);
    expect(run.visits[0]?.shared).toEqual([]);
    expect(run.visits[0]?.transient).toEqual([]);
  });

  it('allowWithoutReferer off: a Referer not in referrerWhiteList → false, no Referer → false, an allow-listed one → true', async () => {
    await install0('NodesZeroPageReferer', {
      allowWithoutReferer: false,
      referrerWhiteList: ['https://app.example.com/login'],
    });
    const refused = await journey(emulator, 'NodesZeroPageReferer', {
      headers: zeroPage(DEMO, { referer: 'https://evil.example/login' }),
    }).start();
    expect(refused.response.status).toBe(401);
    const refusedRun = await lastRun('NodesZeroPageReferer');
    expect(path(refusedRun)).toEqual(['Zero Page:false']);
    expect(refusedRun.visits[0]?.shared).toEqual([]);
    expect((await journey(emulator, 'NodesZeroPageReferer', { headers: zeroPage(DEMO) }).start()).response.status).toBe(
      401,
    );
    expect(path(await lastRun('NodesZeroPageReferer'))).toEqual(['Zero Page:false']);
    const allowed = await journey(emulator, 'NodesZeroPageReferer', {
      headers: zeroPage(DEMO, { referer: 'https://app.example.com/login' }),
    }).start();
    expect(allowed.response.status).toBe(200);
    expect(path(await lastRun('NodesZeroPageReferer'))).toEqual(['Zero Page:true', 'Data Store:true']);
  });

  it('default configuration (allowWithoutReferer true): no Referer → true', async () => {
    await install0('NodesZeroPageDefault', {});
    expect((await journey(emulator, 'NodesZeroPageDefault', { headers: zeroPage(DEMO) }).start()).response.status).toBe(
      200,
    );
    expect(path(await lastRun('NodesZeroPageDefault'))).toEqual(['Zero Page:true', 'Data Store:true']);
  });

  // AM 8 ZeroPageLoginNode checks the Referer only `if (!config.allowWithoutReferer())`.
  it('allowWithoutReferer on: the Referer is not checked against referrerWhiteList (as AM)', async () => {
    await install0('NodesZeroPageRefererIgnored', {
      allowWithoutReferer: true,
      referrerWhiteList: ['https://app.example.com/login'],
    });
    const done = await journey(emulator, 'NodesZeroPageRefererIgnored', {
      headers: zeroPage(DEMO, { referer: 'https://other.example/' }),
    }).start();
    expect(path(await lastRun('NodesZeroPageRefererIgnored'))).toEqual(['Zero Page:true', 'Data Store:true']);
    expect(done.response.status).toBe(200);
  });

  it('decodes RFC 2047 encoded-words in the headers', async () => {
    await install0('NodesZeroPage2047', {});
    const user = await createUser('jürgen', {}, 'Pässw0rd!');
    const encode = (text: string) => `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
    const done = await journey(emulator, 'NodesZeroPage2047', {
      headers: { 'x-openam-username': encode(user.userName), 'x-openam-password': encode(user.password) },
    }).start();
    expect(done.response.status).toBe(200);
    expect(decided(await lastRun('NodesZeroPage2047'), 'Zero Page').shared).toEqual([
      { key: 'username', after: 'jürgen' },
    ]);
  });
});

describe('SetSuccessUrlNode', () => {
  it('shared successUrl ← the configured URL; the success body carries it, over a goto parameter', async () => {
    await install('NodesSuccessUrl', {
      ...signedIn('Success URL'),
      'Success URL': {
        type: 'SetSuccessUrlNode',
        config: { successUrl: 'https://app.example.com/welcome' },
        to: { outcome: 'success' },
      },
    });
    const done = await journey(emulator, 'NodesSuccessUrl', { headers: zeroPage(DEMO) }).start();
    expect(done.body).toEqual({
      tokenId: expect.any(String),
      successUrl: 'https://app.example.com/welcome',
      realm: '/alpha',
    });
    expect((await emulator.tenant.sessions.getByToken(done.body.tokenId))?.successUrl).toBe(
      'https://app.example.com/welcome',
    );
    const visit = decided(await lastRun('NodesSuccessUrl'), 'Success URL');
    expect(visit.outcome).toBe('outcome');
    expect(visit.shared).toEqual([{ key: 'successUrl', after: 'https://app.example.com/welcome' }]);

    const withGoto = await journey(emulator, 'NodesSuccessUrl', {
      headers: zeroPage(DEMO),
      query: 'goto=%2Fenduser%2F%23%2Fprofile&noSession=true',
    }).start();
    expect(withGoto.body).toEqual({ successUrl: 'https://app.example.com/welcome', realm: '/alpha' });
  });

  it('is reported at import without a successUrl', async () => {
    const { ids, report } = await importJourney('NodesSuccessUrlMissing', {
      ...signedIn('Success URL'),
      'Success URL': { type: 'SetSuccessUrlNode', config: {}, to: { outcome: 'success' } },
    });
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        journey: 'NodesSuccessUrlMissing',
        node: `Success URL (${ids['Success URL']})`,
        message: 'successUrl is required',
        severity: 'error',
      }),
    );
  });
});

describe('SetFailureUrlNode', () => {
  it('shared failureUrl ← the configured URL; the failure answer carries it as detail.failureUrl, over gotoOnFail', async () => {
    await install('NodesFailureUrl', {
      'Zero Page': { type: 'ZeroPageLoginNode', config: {}, to: { true: 'Data Store', false: 'Failure URL' } },
      'Data Store': { type: 'DataStoreDecisionNode', to: { true: 'success', false: 'Failure URL' } },
      'Failure URL': {
        type: 'SetFailureUrlNode',
        config: { failureUrl: 'https://app.example.com/sorry' },
        to: { outcome: 'failure' },
      },
    });
    const failed = await journey(emulator, 'NodesFailureUrl', {
      headers: zeroPage({ userName: DEMO.userName, password: 'wrong' }),
    }).start();
    expect(failureOf(failed)).toEqual({
      status: 401,
      body: {
        code: 401,
        reason: 'Unauthorized',
        message: 'Login failure',
        detail: { failureUrl: 'https://app.example.com/sorry' },
      },
    });
    const run = await lastRun('NodesFailureUrl');
    expect(path(run)).toEqual(['Zero Page:true', 'Data Store:false', 'Failure URL:outcome']);
    expect(decided(run, 'Failure URL').shared).toEqual([{ key: 'failureUrl', after: 'https://app.example.com/sorry' }]);

    const withGotoOnFail = await journey(emulator, 'NodesFailureUrl', { query: 'gotoOnFail=%2Fother' }).start();
    expect(withGotoOnFail.body.detail).toEqual({ failureUrl: 'https://app.example.com/sorry' });

    // A path that does not pass the node leaves the failure answer without it.
    const succeeded = await journey(emulator, 'NodesFailureUrl', { headers: zeroPage(DEMO) }).start();
    expect(succeeded.response.status).toBe(200);
  });

  it('is reported at import without a failureUrl', async () => {
    const { report } = await importJourney('NodesFailureUrlMissing', {
      'Failure URL': { type: 'SetFailureUrlNode', config: { failureUrl: '' }, to: { outcome: 'failure' } },
    });
    expect(report.problems.map((problem) => problem.message)).toContain('failureUrl is required');
  });
});

describe('IncrementLoginCountNode and LoginCountDecisionNode', () => {
  const counting = (name: string, interval: 'AT' | 'EVERY', amount: number) =>
    install(name, {
      ...signedIn('Increment'),
      Increment: {
        type: 'IncrementLoginCountNode',
        config: { identityAttribute: 'userName' },
        to: { outcome: 'Count' },
      },
      Count: {
        type: 'LoginCountDecisionNode',
        config: { interval, amount, identityAttribute: 'userName' },
        to: { true: 'Hit', false: 'success' },
      },
      Hit: { type: 'SetSuccessUrlNode', config: { successUrl: '/count-reached' }, to: { outcome: 'success' } },
    });

  /** Signs `user` in through the journey with noSession=true; answers whether the decision was true. */
  const signInCounting = async (name: string, user: { userName: string; password: string }) => {
    const done = await journey(emulator, name, { headers: zeroPage(user), query: 'noSession=true' }).start();
    expect(done.response.status).toBe(200);
    expect(done.body.tokenId).toBeUndefined();
    return done.body.successUrl === '/count-reached';
  };

  it('Increment Login Count counts each login on the user (loginCount, lastLogin on the tenant clock)', async () => {
    await counting('NodesIncrement', 'AT', 100);
    const user = await createUser('counted');
    expect((await userNamed('counted'))['loginCount']).toBeUndefined();
    await signInCounting('NodesIncrement', user);
    expect(await userNamed('counted')).toMatchObject({ loginCount: 1, lastLogin: '2026-07-10T01:34:08.000Z' });
    await http(`${emulator.url}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 3600 }) });
    await signInCounting('NodesIncrement', user);
    expect(await userNamed('counted')).toMatchObject({ loginCount: 2, lastLogin: '2026-07-10T02:34:08.000Z' });
    expect(decided(await lastRun('NodesIncrement'), 'Increment').outcome).toBe('outcome');
    // Another user's count is their own.
    expect((await userNamed('demo'))['loginCount']).toBeUndefined();
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('Login Count Decision AT 3: true on the third login only', async () => {
    await counting('NodesCountAt', 'AT', 3);
    const user = await createUser('fresh-at');
    const results: boolean[] = [];
    for (let i = 0; i < 5; i += 1) results.push(await signInCounting('NodesCountAt', user));
    expect(results).toEqual([false, false, true, false, false]);
    expect(path(await lastRun('NodesCountAt'))).toEqual([
      'Zero Page:true',
      'Data Store:true',
      'Increment:outcome',
      'Count:false',
    ]);
  });

  it('Login Count Decision EVERY 2: true on every second login', async () => {
    await counting('NodesCountEvery', 'EVERY', 2);
    const user = await createUser('fresh-every');
    const results: boolean[] = [];
    for (let i = 0; i < 6; i += 1) results.push(await signInCounting('NodesCountEvery', user));
    expect(results).toEqual([false, true, false, true, false, true]);
    expect(path(await lastRun('NodesCountEvery'))).toEqual([
      'Zero Page:true',
      'Data Store:true',
      'Increment:outcome',
      'Count:true',
      'Hit:outcome',
    ]);
  });

  it('without a user: Increment Login Count only logs a warning and goes on (AM: IncrementLoginCountNode)', async () => {
    await install('NodesCountNobody', {
      Increment: { type: 'IncrementLoginCountNode', config: {}, to: { outcome: 'Done' } },
      Done: { type: 'SetFailureUrlNode', config: { failureUrl: '/counted' }, to: { outcome: 'failure' } },
    });
    expect((await journey(emulator, 'NodesCountNobody').start()).body.detail).toEqual({ failureUrl: '/counted' });
    const run = await lastRun('NodesCountNobody');
    expect(path(run)).toEqual(['Increment:outcome', 'Done:outcome']);
    expect(decided(run, 'Increment').logs).toEqual([{ level: 'warn', message: expect.stringContaining('no user') }]);
  });
});

describe('QueryFilterDecisionNode', () => {
  const filtered = (name: string, queryFilter: string) =>
    importJourney(name, {
      ...signedIn('Filter'),
      Filter: {
        type: 'QueryFilterDecisionNode',
        config: { identityAttribute: 'userName', queryFilter },
        to: { true: 'Matched', false: 'success' },
      },
      Matched: { type: 'SetSuccessUrlNode', config: { successUrl: '/matched' }, to: { outcome: 'success' } },
    });

  it('true when the journey’s user matches the filter, false when not', async () => {
    const { report } = await filtered(
      'NodesQueryFilter',
      'frUnindexedString2 pr and /preferences/updates eq true and !(mail sw "scarter")',
    );
    expect(report.problems).toEqual([]);
    const matched = await journey(emulator, 'NodesQueryFilter', { headers: zeroPage(DEMO) }).start();
    expect(matched.body.successUrl).toBe('/matched');
    expect(decided(await lastRun('NodesQueryFilter'), 'Filter').outcome).toBe('true');
    // scarter has no frUnindexedString2.
    const unmatched = await journey(emulator, 'NodesQueryFilter', { headers: zeroPage(SCARTER) }).start();
    expect(unmatched.response.status).toBe(200);
    expect(unmatched.body.successUrl).toBe('/enduser/?realm=/alpha');
    expect(decided(await lastRun('NodesQueryFilter'), 'Filter').outcome).toBe('false');
  });

  it('follows changes to the user (the filter is evaluated on each run)', async () => {
    await filtered('NodesQueryFilterChange', 'givenName eq "Barbara"');
    expect(
      (await journey(emulator, 'NodesQueryFilterChange', { headers: zeroPage(BJENSEN) }).start()).body.successUrl,
    ).toBe('/matched');
    emulator.tenant.users.update(BJENSEN._id, { givenName: 'Babs' });
    expect(
      (await journey(emulator, 'NodesQueryFilterChange', { headers: zeroPage(BJENSEN) }).start()).body.successUrl,
    ).toBe('/enduser/?realm=/alpha');
  });

  it('a filter that does not parse is reported at import, by node, and the journey does not run', async () => {
    const { ids, report } = await filtered('NodesQueryFilterBad', 'mail eq');
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        journey: 'NodesQueryFilterBad',
        node: `Filter (${ids['Filter']})`,
        message: expect.stringMatching(/^queryFilter does not parse: /),
      }),
    ]);
    const refused = await journey(emulator, 'NodesQueryFilterBad', { headers: zeroPage(DEMO) }).start();
    expect(refused.response.status).toBe(501);
    expect(refused.body.message).toContain('queryFilter does not parse');
  });
});

describe('AttributeCollectorNode and PatchObjectNode', () => {
  const profile = (name: string, config: Record<string, unknown>, patch: Record<string, unknown> = {}) =>
    install(name, {
      ...signedIn('Collect'),
      Collect: {
        type: 'AttributeCollectorNode',
        config: { identityAttribute: 'userName', validateInputs: false, ...config },
        to: { outcome: 'Patch' },
      },
      Patch: {
        type: 'PatchObjectNode',
        config: {
          identityResource: 'managed/alpha_user',
          patchAsObject: false,
          ignoredFields: [],
          identityAttribute: 'userName',
          ...patch,
        },
        to: { PATCHED: 'success', FAILURE: 'Patch Failed' },
      },
      'Patch Failed': {
        type: 'SetFailureUrlNode',
        config: { failureUrl: '/patch-failed' },
        to: { outcome: 'failure' },
      },
    });
  const ATTRIBUTES = ['givenName', 'mail', 'preferences/updates', 'preferences/marketing'];

  it('renders attribute input callbacks prefilled from the user', async () => {
    await profile('NodesCollect', { attributesToCollect: ATTRIBUTES, required: true });
    const page = await journey(emulator, 'NodesCollect', { headers: zeroPage(DEMO) }).start();
    expect(callbackTypes(page)).toEqual([
      'StringAttributeInputCallback',
      'StringAttributeInputCallback',
      'BooleanAttributeInputCallback',
      'BooleanAttributeInputCallback',
    ]);
    expect(page.body.callbacks[0]).toEqual({
      type: 'StringAttributeInputCallback',
      output: [
        { name: 'name', value: 'givenName' },
        { name: 'prompt', value: 'First Name' },
        { name: 'required', value: true },
        { name: 'policies', value: {} },
        { name: 'failedPolicies', value: [] },
        { name: 'validateOnly', value: false },
        { name: 'value', value: 'Demo' },
      ],
      input: [
        { name: 'IDToken1', value: 'Demo' },
        { name: 'IDToken1validateOnly', value: false },
      ],
      _id: 0,
    });
    expect(
      page.body.callbacks
        .map(outputOf)
        .map((output: Record<string, unknown>) => [output['name'], output['prompt'], output['value']]),
    ).toEqual([
      ['givenName', 'First Name', 'Demo'],
      ['mail', 'Email Address', 'demo@example.com'],
      ['preferences/updates', 'Send me news and updates', true],
      ['preferences/marketing', 'Send me special offers and services', true],
    ]);
    // scarter's page shows scarter.
    const other = await journey(emulator, 'NodesCollect', { headers: zeroPage(SCARTER) }).start();
    expect(outputOf(other.body.callbacks[0])['value']).toBe('Sam');
  });

  it('a required attribute left empty: the page is asked again with a failed REQUIRED policy on that attribute only', async () => {
    await profile('NodesCollectRequired', { attributesToCollect: ATTRIBUTES, required: true });
    const page = await journey(emulator, 'NodesCollectRequired', { headers: zeroPage(DEMO) }).start();
    const again = await page.answer(0, '').answer(1, 'demo@example.org').next();
    expect(again.response.status).toBe(200);
    expect(callbackTypes(again)).toEqual(callbackTypes(page));
    expect(again.body.callbacks.map((callback: never) => outputOf(callback)['failedPolicies'])).toEqual([
      ['{"policyRequirement":"REQUIRED"}'],
      [],
      [],
      [],
    ]);
    expect(path(await lastRun('NodesCollectRequired')).slice(-1)).toEqual([
      'Collect:StringAttributeInputCallback+StringAttributeInputCallback+BooleanAttributeInputCallback+BooleanAttributeInputCallback',
    ]);
    expect((await userNamed('demo'))['mail']).toBe('demo@example.com');
    // Answered this time: the journey goes on.
    const done = await again.answer(0, 'Dee').answer(1, 'demo@example.org').next();
    expect(done.response.status).toBe(200);
  });

  it('answers go to shared objectAttributes (nested for preferences/…); Patch Object writes them to the user → PATCHED', async () => {
    await profile('NodesPatch', { attributesToCollect: ATTRIBUTES, required: true });
    const page = await journey(emulator, 'NodesPatch', { headers: zeroPage(DEMO) }).start();
    const done = await page.answer(0, 'Dee').answer(1, 'dee@example.org').answer(2, false).answer(3, true).next();
    expect(done.response.status).toBe(200);
    expect(done.body.tokenId).toEqual(expect.any(String));

    const run = await lastRun('NodesPatch');
    expect(path(run).slice(-2)).toEqual(['Collect:outcome', 'Patch:PATCHED']);
    expect(decided(run, 'Collect').shared).toEqual([
      {
        key: 'objectAttributes',
        after: { givenName: 'Dee', mail: 'dee@example.org', preferences: { updates: false, marketing: true } },
      },
    ]);
    expect(await userNamed('demo')).toMatchObject({
      givenName: 'Dee',
      mail: 'dee@example.org',
      sn: 'User',
      preferences: { updates: false, marketing: true },
    });
    // Nobody else changed.
    expect(await userNamed('bjensen')).toMatchObject({ givenName: 'Barbara', mail: 'bjensen@example.com' });
  });

  it('Patch Object leaves ignoredFields alone', async () => {
    await profile(
      'NodesPatchIgnored',
      { attributesToCollect: ['givenName', 'mail'], required: false },
      { ignoredFields: ['mail'] },
    );
    const page = await journey(emulator, 'NodesPatchIgnored', { headers: zeroPage(SCARTER) }).start();
    const done = await page.answer(0, 'Samantha').answer(1, 'sam@example.org').next();
    expect(done.response.status).toBe(200);
    expect(await userNamed('scarter')).toMatchObject({ givenName: 'Samantha', mail: 'scarter@example.com' });
  });

  it('Patch Object → FAILURE when the directory refuses the change (an emptied userName); the user is unchanged', async () => {
    await profile('NodesPatchRefused', { attributesToCollect: ['userName', 'givenName'], required: false });
    const page = await journey(emulator, 'NodesPatchRefused', { headers: zeroPage(DEMO) }).start();
    expect(outputOf(page.body.callbacks[0])['value']).toBe('demo');
    const done = await page.answer(0, '').answer(1, 'Changed').next();
    expect(failureOf(done)).toEqual({
      status: 401,
      body: { code: 401, reason: 'Unauthorized', message: 'Login failure', detail: { failureUrl: '/patch-failed' } },
    });
    const run = await lastRun('NodesPatchRefused');
    expect(path(run).slice(-3)).toEqual(['Collect:outcome', 'Patch:FAILURE', 'Patch Failed:outcome']);
    expect(decided(run, 'Patch').logs).toEqual([{ level: 'error', message: expect.stringContaining('userName') }]);
    expect(await userNamed('demo')).toMatchObject({ _id: DEMO._id, givenName: 'Demo' });
  });

  it('Patch Object → FAILURE without a user', async () => {
    await install('NodesPatchNobody', {
      Patch: {
        type: 'PatchObjectNode',
        config: { identityAttribute: 'userName', ignoredFields: [] },
        to: { PATCHED: 'success', FAILURE: 'Patch Failed' },
      },
      'Patch Failed': {
        type: 'SetFailureUrlNode',
        config: { failureUrl: '/patch-failed' },
        to: { outcome: 'failure' },
      },
    });
    const done = await journey(emulator, 'NodesPatchNobody').start();
    expect(done.body.detail).toEqual({ failureUrl: '/patch-failed' });
    expect(path(await lastRun('NodesPatchNobody'))).toEqual(['Patch:FAILURE', 'Patch Failed:outcome']);
  });
});

describe('CreateObjectNode', () => {
  // A registration journey as AIC's default one: Platform Username (shared username, objectAttributes.userName),
  // Attribute Collector, Platform Password (transient objectAttributes.password), Create Object.
  const registration = (name: string) =>
    install(name, {
      Username: {
        type: 'ValidatedUsernameNode',
        config: { usernameAttribute: 'userName', validateInput: false },
        to: { outcome: 'Details' },
      },
      Details: {
        type: 'AttributeCollectorNode',
        config: {
          attributesToCollect: ['givenName', 'sn', 'mail'],
          required: true,
          identityAttribute: 'userName',
          validateInputs: false,
        },
        to: { outcome: 'Password' },
      },
      Password: {
        type: 'ValidatedPasswordNode',
        config: { passwordAttribute: 'password', validateInput: false },
        to: { outcome: 'Create' },
      },
      Create: {
        type: 'CreateObjectNode',
        config: { identityResource: 'managed/alpha_user' },
        to: { CREATED: 'success', FAILURE: 'Create Failed' },
      },
      'Create Failed': {
        type: 'SetFailureUrlNode',
        config: { failureUrl: '/register-failed' },
        to: { outcome: 'failure' },
      },
    });

  const register = async (name: string, userName: string, password: string) => {
    const first = await journey(emulator, name).start();
    const details = await first.answer(0, userName).next();
    expect(callbackTypes(details)).toEqual([
      'StringAttributeInputCallback',
      'StringAttributeInputCallback',
      'StringAttributeInputCallback',
    ]);
    const passwordStep = await details.answer(0, 'Nina').answer(1, 'New').answer(2, `${userName}@example.org`).next();
    expect(callbackTypes(passwordStep)).toEqual(['PasswordCallback']);
    return passwordStep.answer(0, password).next();
  };

  it('CREATED: the user exists with the collected attributes, the journey signs them in, and they can sign in again', async () => {
    await registration('NodesCreate');
    const done = await register('NodesCreate', 'newcomer', 'Newc0mer!');
    expect(done.response.status).toBe(200);
    const created = await userNamed('newcomer');
    expect(created).toMatchObject({
      realm: '/alpha',
      givenName: 'Nina',
      sn: 'New',
      mail: 'newcomer@example.org',
      accountStatus: 'active',
    });
    expect((await emulator.tenant.sessions.getByToken(done.body.tokenId))?.userId).toBe(created['_id']);
    expect(decided(await lastRun('NodesCreate'), 'Create').outcome).toBe('CREATED');
    const token = await login(emulator, { userName: 'newcomer', password: 'Newc0mer!' });
    expect((await emulator.tenant.sessions.getByToken(token))?.userId).toBe(created['_id']);
  });

  it('FAILURE for a userName that already exists; nobody is created or changed', async () => {
    await registration('NodesCreateDuplicate');
    const before = (await http(`${emulator.url}/__emulator/users?realm=alpha`)).json.result.length;
    const done = await register('NodesCreateDuplicate', 'bjensen', 'Other0ne!');
    expect(failureOf(done)).toEqual({
      status: 401,
      body: { code: 401, reason: 'Unauthorized', message: 'Login failure', detail: { failureUrl: '/register-failed' } },
    });
    const run = await lastRun('NodesCreateDuplicate');
    expect(decided(run, 'Create').outcome).toBe('FAILURE');
    expect(decided(run, 'Create').logs).toEqual([
      { level: 'error', message: expect.stringContaining('already exists') },
    ]);
    expect((await http(`${emulator.url}/__emulator/users?realm=alpha`)).json.result.length).toBe(before);
    expect(await userNamed('bjensen')).toMatchObject({ givenName: 'Barbara', _id: BJENSEN._id });
    await login(emulator, BJENSEN);
  });
});

describe('AttributePresentDecisionNode', () => {
  it('true when the user has the attribute, false when not; the password is present for any user with one', async () => {
    await install('NodesAttributePresent', {
      ...signedIn('Has Token'),
      'Has Token': {
        type: 'AttributePresentDecisionNode',
        config: { presentAttribute: 'frUnindexedString2', identityAttribute: 'userName' },
        to: { true: 'Has Password', false: 'Absent' },
      },
      'Has Password': {
        type: 'AttributePresentDecisionNode',
        config: { presentAttribute: 'password', identityAttribute: 'userName' },
        to: { true: 'success', false: 'failure' },
      },
      Absent: { type: 'SetSuccessUrlNode', config: { successUrl: '/absent' }, to: { outcome: 'success' } },
    });
    const demo = await journey(emulator, 'NodesAttributePresent', { headers: zeroPage(DEMO) }).start();
    expect(demo.body.successUrl).toBe('/enduser/?realm=/alpha');
    expect(path(await lastRun('NodesAttributePresent')).slice(2)).toEqual(['Has Token:true', 'Has Password:true']);
    const scarter = await journey(emulator, 'NodesAttributePresent', { headers: zeroPage(SCARTER) }).start();
    expect(scarter.body.successUrl).toBe('/absent');
    expect(path(await lastRun('NodesAttributePresent')).slice(2)).toEqual(['Has Token:false', 'Absent:outcome']);
  });
});

describe('RetryLimitDecisionNode', () => {
  const retrying = (name: string, retryLimit: number) =>
    install(name, {
      Username: { type: 'UsernameCollectorNode', to: { outcome: 'Password' } },
      Password: { type: 'PasswordCollectorNode', to: { outcome: 'Data Store' } },
      'Data Store': { type: 'DataStoreDecisionNode', to: { true: 'success', false: 'Retry' } },
      Retry: {
        type: 'RetryLimitDecisionNode',
        config: { retryLimit, incrementUserAttributeOnFailure: false },
        to: { Retry: 'Username', Reject: 'failure' },
      },
    });
  const attempt = async (step: Step, password: string) =>
    (await step.answer(0, DEMO.userName).next()).answer(0, password).next();
  /** Fails until the journey ends; answers the Retry node's visits. */
  const failUntilRejected = async (name: string) => {
    let step = await journey(emulator, name).start();
    for (let i = 0; i < 10 && step.response.status === 200; i += 1) step = await attempt(step, `wrong-${i}`);
    expect(step.response.status).toBe(401);
    return (await lastRun(name)).visits.filter((visit) => visit.displayName === 'Retry');
  };

  it('a failure goes round again (Retry, back to the first node) counting in shared state <nodeId>.retryCount; repeated failures end at Reject', async () => {
    const ids = await retrying('NodesRetry', 3);
    const key = `${ids['Retry']}.retryCount`;
    const first = await journey(emulator, 'NodesRetry').start();
    const retried = await attempt(first, 'wrong');
    expect(retried.response.status).toBe(200);
    expect(callbackTypes(retried)).toEqual(['NameCallback']);
    expect(decided(await lastRun('NodesRetry'), 'Retry')).toMatchObject({
      outcome: 'Retry',
      shared: [{ key, after: 1 }],
    });

    const visits = await failUntilRejected('NodesRetry');
    const retries = visits.filter((visit) => visit.outcome === 'Retry');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    retries.forEach((visit, index) =>
      expect(visit.shared).toContainEqual(expect.objectContaining({ key, after: index + 1 })),
    );
    expect(visits.at(-1)?.outcome).toBe('Reject');
    expect(visits.slice(0, -1).every((visit) => visit.outcome === 'Retry')).toBe(true);
    // retryLimit 3: three retries, then Reject at the 4th visit, as AM does.
    expect(visits).toHaveLength(4);
  });

  // AM 8 RetryLimitDecisionNode (retryLimit: "The number of times to allow a retry"): Retry while
  // currentRetryCount < retryLimit, so retryLimit 2 gives Retry, Retry, Reject.
  it('retryLimit 2 allows two retries: Retry, Retry, then Reject (as AM)', async () => {
    await retrying('NodesRetryLimit', 2);
    const visits = await failUntilRejected('NodesRetryLimit');
    expect(visits.map((visit) => visit.outcome)).toEqual(['Retry', 'Retry', 'Reject']);
  });

  it('a retry that succeeds signs the user in', async () => {
    await retrying('NodesRetryThenOk', 3);
    const first = await journey(emulator, 'NodesRetryThenOk').start();
    const retried = await attempt(first, 'wrong');
    const done = await attempt(retried, DEMO.password);
    expect(done.response.status).toBe(200);
    expect(done.body.tokenId).toEqual(expect.any(String));
  });
});

describe('SessionDataNode', () => {
  const sessionJourney = (name: string) =>
    install(name, {
      'User Id': {
        type: 'SessionDataNode',
        config: { sessionDataKey: 'UserId', sharedStateKey: 'sessionUser' },
        to: { outcome: 'Context' },
      },
      Context: {
        type: 'SessionDataNode',
        config: { sessionDataKey: 'AMCtxId', sharedStateKey: 'sessionContext' },
        to: { outcome: 'success' },
      },
    });

  it('with a session cookie: copies session properties into shared state (noSession=true: the session is kept, none is made)', async () => {
    await sessionJourney('NodesSessionData');
    const token = await login(emulator, DEMO);
    const session = await emulator.tenant.sessions.getByToken(token);
    const done = await journey(emulator, 'NodesSessionData', {
      headers: withCookie(emulator, token),
      query: 'noSession=true',
    }).start();
    expect(done.response.status).toBe(200);
    expect(done.body).toEqual({ successUrl: '/enduser/?realm=/alpha', realm: '/alpha' });
    const run = await lastRun('NodesSessionData');
    expect(path(run)).toEqual(['User Id:outcome', 'Context:outcome']);
    expect(decided(run, 'User Id').shared).toEqual([{ key: 'sessionUser', after: DEMO._id }]);
    expect(decided(run, 'Context').shared).toEqual([{ key: 'sessionContext', after: session?.ctxId }]);
    expect(await emulator.tenant.sessions.count()).toBe(1);
    expect(await emulator.tenant.sessions.getByToken(token)).toBeDefined();
  });

  it('without a session: writes nothing', async () => {
    await sessionJourney('NodesSessionDataNone');
    await journey(emulator, 'NodesSessionDataNone', { query: 'noSession=true' }).start();
    const run = await lastRun('NodesSessionDataNone');
    expect(path(run)).toEqual(['User Id:outcome', 'Context:outcome']);
    expect(run.visits.flatMap((visit) => visit.shared)).toEqual([]);
  });
});

describe('AccountLockoutNode', () => {
  it('LOCK: the user becomes inactive, and signing in with the right password then fails with 401', async () => {
    await install('NodesLockout', {
      Username: { type: 'UsernameCollectorNode', to: { outcome: 'Password' } },
      Password: { type: 'PasswordCollectorNode', to: { outcome: 'Data Store' } },
      'Data Store': { type: 'DataStoreDecisionNode', to: { true: 'success', false: 'Lock' } },
      Lock: { type: 'AccountLockoutNode', config: { lockAction: 'LOCK' }, to: { outcome: 'failure' } },
    });
    const first = await journey(emulator, 'NodesLockout').start();
    const done = await (await first.answer(0, BJENSEN.userName).next()).answer(0, 'wrong').next();
    expect(done.response.status).toBe(401);
    expect(path(await lastRun('NodesLockout')).slice(-2)).toEqual(['Data Store:false', 'Lock:outcome']);
    expect((await userNamed('bjensen'))['accountStatus']).toBe('inactive');
    expect((await userNamed('demo'))['accountStatus']).toBe('active');
    const refused = await rawLogin(BJENSEN);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Login failure' });
    await login(emulator, DEMO);
  });

  it('UNLOCK: an inactive user becomes active and can sign in', async () => {
    await install('NodesUnlock', {
      Username: { type: 'UsernameCollectorNode', to: { outcome: 'Unlock' } },
      Unlock: { type: 'AccountLockoutNode', config: { lockAction: 'UNLOCK' }, to: { outcome: 'failure' } },
    });
    const user = await createUser('locked-out', { accountStatus: 'inactive' });
    expect((await rawLogin(user)).status).toBe(401);
    await (await journey(emulator, 'NodesUnlock').start()).answer(0, user.userName).next();
    expect((await userNamed('locked-out'))['accountStatus']).toBe('active');
    await login(emulator, user);
  });
});

describe('AcceptTermsAndConditionsNode', () => {
  it('renders a TermsAndConditionsCallback, asks again until accepted, then records termsAccepted in shared state', async () => {
    await install('NodesTerms', {
      ...signedIn('Terms'),
      Terms: { type: 'AcceptTermsAndConditionsNode', to: { outcome: 'success' } },
    });
    const page = await journey(emulator, 'NodesTerms', { headers: zeroPage(DEMO) }).start();
    expect(page.body.callbacks).toEqual([
      {
        type: 'TermsAndConditionsCallback',
        output: [
          { name: 'version', value: '0.0' },
          { name: 'terms', value: expect.any(String) },
          { name: 'createDate', value: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
        ],
        input: [{ name: 'IDToken1', value: false }],
        _id: 0,
      },
    ]);
    const declined = await page.answer(0, false).next();
    expect(callbackTypes(declined)).toEqual(['TermsAndConditionsCallback']);
    await http(`${emulator.url}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 30 }) });
    const done = await declined.answer(0, true).next();
    expect(done.response.status).toBe(200);
    expect(done.body.tokenId).toEqual(expect.any(String));
    const run = await lastRun('NodesTerms');
    expect(path(run).slice(-1)).toEqual(['Terms:outcome']);
    const accepted = decided(run, 'Terms').shared;
    expect(accepted).toEqual([
      { key: 'termsAccepted', after: { acceptDate: expect.any(String), termsVersion: '0.0' } },
    ]);
    // Accepted on the tenant clock (started 01:34:08, moved 30 s on).
    expect(Date.parse((accepted[0]?.after as { acceptDate: string }).acceptDate)).toBe(
      Date.parse('2026-07-10T01:34:38Z'),
    );
  });
});

describe('CreatePasswordNode', () => {
  it('asks for the password twice; a mismatch (or one too short) asks again; a match continues with transient password', async () => {
    await install('NodesCreatePassword', {
      Username: { type: 'UsernameCollectorNode', to: { outcome: 'New Password' } },
      'New Password': { type: 'CreatePasswordNode', config: { minPasswordLength: 8 }, to: { outcome: 'Data Store' } },
      'Data Store': { type: 'DataStoreDecisionNode', to: { true: 'success', false: 'failure' } },
    });
    const first = await journey(emulator, 'NodesCreatePassword').start();
    const ask = await first.answer(0, DEMO.userName).next();
    expect(ask.body.callbacks).toEqual([
      {
        type: 'PasswordCallback',
        output: [{ name: 'prompt', value: 'New password' }],
        input: [{ name: 'IDToken1', value: '' }],
        _id: 0,
      },
      {
        type: 'PasswordCallback',
        output: [{ name: 'prompt', value: 'Confirm password' }],
        input: [{ name: 'IDToken2', value: '' }],
        _id: 1,
      },
    ]);
    // (AM adds an error TextOutputCallback after the two; only the re-ask itself is checked here.)
    const mismatch = await ask.answer(0, DEMO.password).answer(1, `${DEMO.password}x`).next();
    expect(mismatch.response.status).toBe(200);
    expect(callbackTypes(mismatch).slice(0, 2)).toEqual(['PasswordCallback', 'PasswordCallback']);
    const short = await mismatch.answer(0, 'Sh0rt!').answer(1, 'Sh0rt!').next();
    expect(callbackTypes(short).slice(0, 2)).toEqual(['PasswordCallback', 'PasswordCallback']);
    const done = await short.answer(0, DEMO.password).answer(1, DEMO.password).next();
    expect(done.response.status).toBe(200);
    expect(done.body.tokenId).toEqual(expect.any(String));
    const run = await lastRun('NodesCreatePassword');
    const visits = run.visits.filter((visit) => visit.displayName === 'New Password');
    expect(visits.map((visit) => visit.outcome ?? 'asked')).toEqual(['asked', 'asked', 'asked', 'outcome']);
    expect(decided(run, 'New Password').transient.map((change) => change.key)).toEqual(['password']);
    expect(decided(run, 'Data Store').outcome).toBe('true');
  });
});

describe('ConfigProviderNode with a MessageNode delegate', () => {
  const provider = (name: string, source: string) =>
    install(
      name,
      {
        ...signedIn('Configured Message'),
        'Configured Message': {
          type: 'ConfigProviderNode',
          config: { script: 'script:config', nodeType: 'MessageNode', scriptInputs: ['*'] },
          to: { true: 'success', false: 'Declined', CONFIGURATION_FAILED: 'Config Failed' },
        },
        Declined: { type: 'SetFailureUrlNode', config: { failureUrl: '/declined' }, to: { outcome: 'failure' } },
        'Config Failed': {
          type: 'SetFailureUrlNode',
          config: { failureUrl: '/config-failed' },
          to: { outcome: 'failure' },
        },
      },
      { config: { source, context: 'CONFIG_PROVIDER_NODE', engine: '1.0' } },
    );
  const CONFIG_SCRIPT = [
    // Legacy engine: nodeState.get answers a JsonValue (AM: NodeState.java); asString() unquotes it.
    'var username = nodeState.get("username").asString();',
    'config = {',
    '  "message": {"en": "Hello " + username},',
    '  "messageYes": {"en": "Go"},',
    '  "messageNo": {"en": "Stop"}',
    '};',
  ].join('\n');

  it('the script’s config configures the message shown; its buttons take the delegate’s outcomes', async () => {
    await provider('NodesConfigProvider', CONFIG_SCRIPT);
    const page = await journey(emulator, 'NodesConfigProvider', { headers: zeroPage(DEMO) }).start();
    expect(page.body.callbacks).toEqual([
      {
        type: 'TextOutputCallback',
        output: [
          { name: 'message', value: 'Hello demo' },
          { name: 'messageType', value: '0' },
        ],
        _id: 0,
      },
      {
        type: 'ConfirmationCallback',
        output: [
          { name: 'prompt', value: '' },
          { name: 'messageType', value: 0 },
          { name: 'options', value: ['Go', 'Stop'] },
          { name: 'optionType', value: -1 },
          { name: 'defaultOption', value: 1 },
        ],
        input: [{ name: 'IDToken2', value: 0 }],
        _id: 1,
      },
    ]);
    const accepted = await page.answer(1, 0).next();
    expect(accepted.response.status).toBe(200);
    expect(accepted.body.tokenId).toEqual(expect.any(String));
    expect(decided(await lastRun('NodesConfigProvider'), 'Configured Message').outcome).toBe('true');

    const again = await journey(emulator, 'NodesConfigProvider', { headers: zeroPage(BJENSEN) }).start();
    expect(again.body.callbacks[0].output[0].value).toBe('Hello bjensen');
    const declined = await again.answer(1, 1).next();
    expect(failureOf(declined)).toEqual({
      status: 401,
      body: { code: 401, reason: 'Unauthorized', message: 'Login failure', detail: { failureUrl: '/declined' } },
    });
    // The delegate's visit is recorded after the provider's, under the provider's name and the delegate's type.
    expect(path(await lastRun('NodesConfigProvider'))).toEqual([
      'Zero Page:true',
      'Data Store:true',
      'Configured Message:TextOutputCallback+ConfirmationCallback',
      'Configured Message (MessageNode):TextOutputCallback+ConfirmationCallback',
      'Configured Message:false',
      'Configured Message (MessageNode):false',
      'Declined:outcome',
    ]);
  });

  it('a script that sets no config → CONFIGURATION_FAILED ("Script must set \'config\' to a Map.")', async () => {
    await provider('NodesConfigProviderNoConfig', 'var nothing = nodeState.get("username");');
    const done = await journey(emulator, 'NodesConfigProviderNoConfig', { headers: zeroPage(DEMO) }).start();
    expect(failureOf(done)).toEqual({
      status: 401,
      body: { code: 401, reason: 'Unauthorized', message: 'Login failure', detail: { failureUrl: '/config-failed' } },
    });
    const visit = decided(await lastRun('NodesConfigProviderNoConfig'), 'Configured Message');
    expect(visit.outcome).toBe('CONFIGURATION_FAILED');
    expect(visit.logs).toContainEqual({ level: 'error', message: "Script must set 'config' to a Map." });
  });

  it('a script that throws → CONFIGURATION_FAILED', async () => {
    await provider('NodesConfigProviderThrows', 'throw new Error("no configuration today");');
    const done = await journey(emulator, 'NodesConfigProviderThrows', { headers: zeroPage(DEMO) }).start();
    expect(done.body.detail).toEqual({ failureUrl: '/config-failed' });
    const visit = decided(await lastRun('NodesConfigProviderThrows'), 'Configured Message');
    expect(visit.outcome).toBe('CONFIGURATION_FAILED');
    expect(visit.logs.map((line) => line.message).join('\n')).toContain('no configuration today');
  });

  it('declares the delegate’s outcomes plus CONFIGURATION_FAILED: an unconnected one is reported at import', async () => {
    const { report } = await importJourney(
      'NodesConfigProviderUnconnected',
      {
        ...signedIn('Configured Message'),
        'Configured Message': {
          type: 'ConfigProviderNode',
          config: { script: 'script:config', nodeType: 'MessageNode' },
          to: { true: 'success', false: 'failure' },
        },
      },
      { config: { source: CONFIG_SCRIPT } },
    );
    expect(report.problems.map((problem) => problem.message)).toContain(
      'the outcome "CONFIGURATION_FAILED" is not connected',
    );
  });
});

describe('MessageNode', () => {
  const message = (name: string, config: Record<string, unknown>) =>
    install(name, {
      ...signedIn('Message'),
      Message: { type: 'MessageNode', config, to: { true: 'success', false: 'Said No' } },
      'Said No': { type: 'SetFailureUrlNode', config: { failureUrl: '/said-no' }, to: { outcome: 'failure' } },
    });

  it('the first button (index 0) → true, the second → false; stateField records the index chosen', async () => {
    await message('NodesMessage', {
      message: { en: 'Carry on?' },
      messageYes: { en: 'Yes please' },
      messageNo: { en: 'No thanks' },
      stateField: 'choice',
    });
    const page = await journey(emulator, 'NodesMessage', { headers: zeroPage(DEMO) }).start();
    expect(page.body.callbacks.map(outputOf)).toEqual([
      { message: 'Carry on?', messageType: '0' },
      { prompt: '', messageType: 0, options: ['Yes please', 'No thanks'], optionType: -1, defaultOption: 1 },
    ]);
    const yes = await page.answer(1, 0).next();
    expect(yes.response.status).toBe(200);
    expect(yes.body.tokenId).toEqual(expect.any(String));
    expect(decided(await lastRun('NodesMessage'), 'Message')).toMatchObject({
      outcome: 'true',
      shared: [{ key: 'choice', after: 0 }],
    });

    const second = await journey(emulator, 'NodesMessage', { headers: zeroPage(DEMO) }).start();
    const no = await second.answer(1, '1').next();
    expect(failureOf(no)).toEqual({
      status: 401,
      body: { code: 401, reason: 'Unauthorized', message: 'Login failure', detail: { failureUrl: '/said-no' } },
    });
    expect(decided(await lastRun('NodesMessage'), 'Message')).toMatchObject({
      outcome: 'false',
      shared: [{ key: 'choice', after: 1 }],
    });
  });

  it('empty maps show the defaults: "Default message", "Yes", "No"', async () => {
    await message('NodesMessageDefaults', { message: {}, messageYes: {}, messageNo: {} });
    const page = await journey(emulator, 'NodesMessageDefaults', { headers: zeroPage(DEMO) }).start();
    expect(page.body.callbacks.map(outputOf)).toEqual([
      { message: 'Default message', messageType: '0' },
      { prompt: '', messageType: 0, options: ['Yes', 'No'], optionType: -1, defaultOption: 1 },
    ]);
    // Without stateField nothing is written.
    await page.answer(1, 0).next();
    expect(decided(await lastRun('NodesMessageDefaults'), 'Message')).toMatchObject({ outcome: 'true', shared: [] });
  });
});
