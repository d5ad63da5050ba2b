/**
 * The how-to's Terminate Sessions script, unmodified from the seed, in a journey whose node
 * declares its four outcomes: Success ends every session of the user; Failure comes from a
 * logoutByUser that fails; Error from a thrown exception; No Session from missing state. With the
 * real Part 3 export's three outcomes, "No Session" ends the journey in AM's error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { hasShared } from '../helpers/optional.js';
import { seedTerminateSessionsScript } from '../helpers/seed.js';
import { BJENSEN, DEMO, asAdmin, login, startEmulator, withToken } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';

const available = hasShared();

const ID = {
  identify: 'd0000000-0000-4000-8000-000000000001',
  capture: 'd0000000-0000-4000-8000-000000000002',
  terminate: 'd0000000-0000-4000-8000-000000000003',
  failure: 'd0000000-0000-4000-8000-000000000004',
  noSession: 'd0000000-0000-4000-8000-000000000005',
  error: 'd0000000-0000-4000-8000-000000000006',
  captureScript: 'd0000000-0000-4000-8000-0000000000a1',
  terminateScript: 'd0000000-0000-4000-8000-0000000000a2',
};

/** Our own cookie capture (next-gen): the tenant cookie from the Cookie header into shared state. */
const CAPTURE = `
var cookie = requestCookies.get(cookieName);
if (cookie) { nodeState.putShared("sessionCookie", cookie); }
outcome = "next";
`;

function terminateJourney(outcomes: string[], identify = true): Record<string, unknown> {
  const failureUrl = (id: string, url: string) => ({
    id,
    type: 'SetFailureUrlNode',
    name: url,
    x: 700,
    y: 100,
    connections: { outcome: END.failure },
    config: { failureUrl: url },
  });
  const branches: Record<string, string> = {
    Success: END.success,
    Failure: ID.failure,
    'No Session': ID.noSession,
    Error: ID.error,
  };
  return {
    trees: {
      TerminateSessions: treeExport({
        name: 'TerminateSessions',
        description: 'the seed script under test',
        entry: identify ? ID.identify : ID.capture,
        nodes: [
          ...(identify
            ? [
                {
                  id: ID.identify,
                  type: 'IdentifyExistingUserNode',
                  name: 'Identify Existing User',
                  x: 100,
                  y: 100,
                  connections: { true: ID.capture, false: END.failure },
                  config: { identifier: 'userName', identityAttribute: 'userName' },
                },
              ]
            : []),
          {
            id: ID.capture,
            type: 'ScriptedDecisionNode',
            name: 'Capture Cookie',
            x: 300,
            y: 100,
            connections: { next: ID.terminate },
            config: { script: ID.captureScript, outcomes: ['next'], inputs: ['*'], outputs: ['*'] },
          },
          {
            id: ID.terminate,
            type: 'ScriptedDecisionNode',
            name: 'Terminate Sessions',
            x: 500,
            y: 100,
            connections: Object.fromEntries(outcomes.map((name) => [name, branches[name] as string])),
            config: { script: ID.terminateScript, outcomes, inputs: ['*'], outputs: ['*'] },
          },
          failureUrl(ID.failure, '/outcome/Failure'),
          failureUrl(ID.noSession, '/outcome/No Session'),
          failureUrl(ID.error, '/outcome/Error'),
        ],
        scripts: [
          {
            id: ID.captureScript,
            name: 'Capture Cookie',
            description: '',
            source: CAPTURE,
            context: 'SCRIPTED_DECISION_NODE',
            evaluatorVersion: '2.0',
          },
          {
            id: ID.terminateScript,
            name: 'Terminate Sessions',
            description: 'from the seed',
            source: seedTerminateSessionsScript(),
            context: 'AUTHENTICATION_TREE_DECISION_NODE',
            evaluatorVersion: '2.0',
          },
        ],
      }),
    },
  };
}

describe.skipIf(!available)('the seed’s Terminate Sessions script', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await emulator.reset();
    await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify(terminateJourney(['Success', 'Failure', 'No Session', 'Error'])),
    });
  });

  const liveSessions = async (userId: string) => {
    const response = await http(
      `${emulator.url}/am/json/realms/root/realms/alpha/sessions?_queryFilter=${encodeURIComponent(`username eq "${userId}" and realm eq "/alpha"`)}`,
      {
        headers: { ...asAdmin(emulator), 'accept-api-version': 'resource=4.0' },
      },
    );
    return response.json.resultCount as number;
  };
  const run = (headers: Record<string, string>, name = 'TerminateSessions') =>
    journey(emulator, name, { headers }).start();

  it('Success: a user with three sessions runs it with one of them; all three end, another user’s stay', async () => {
    const tokens = [await login(emulator, DEMO), await login(emulator, DEMO), await login(emulator, DEMO)];
    await login(emulator, BJENSEN);
    expect(await liveSessions(DEMO._id)).toBe(3);
    const result = await run({ cookie: `${emulator.cookieName}=${tokens[1]}` });
    expect(result.response.status, result.response.text).toBe(200);
    expect(result.body.tokenId).toEqual(expect.any(String));
    // The journey's own success issued a new session; the three before it are gone.
    expect(await liveSessions(DEMO._id)).toBe(1);
    for (const token of tokens) expect(await emulator.tenant.sessions.getByToken(token)).toBeUndefined();
    expect(await liveSessions(BJENSEN._id)).toBe(1);
    const calls = (await http(`${emulator.url}/__emulator/journal`)).json.result.filter(
      (entry: { kind: string }) => entry.kind === 'outbound',
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', status: 200 });
    expect(calls[0].url).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+\/am\/json\/realms\/root\/realms\/alpha\/sessions\/\?_action=logoutByUser$/,
    );
  });

  it('Failure: logoutByUser answers 500, or 200 with {"result": false}; the sessions stay', async () => {
    const token = await login(emulator, DEMO);
    await http(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({
        action: 'logoutByUser',
        status: 500,
        body: { code: 500, reason: 'Internal Server Error', message: 'boom' },
        times: 1,
      }),
    });
    expect((await run({ cookie: `${emulator.cookieName}=${token}` })).body.detail).toEqual({
      failureUrl: '/outcome/Failure',
    });
    await http(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ action: 'logoutByUser', status: 200, body: { result: false }, times: 1 }),
    });
    expect((await run({ cookie: `${emulator.cookieName}=${token}` })).body.detail).toEqual({
      failureUrl: '/outcome/Failure',
    });
    expect(await emulator.tenant.sessions.getByToken(token)).toBeDefined();
  });

  it('Error: a thrown exception (the call to logoutByUser drops its connection) is caught and logged', async () => {
    const token = await login(emulator, DEMO);
    await http(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ action: 'logoutByUser', reset: true, times: 1 }),
    });
    const result = await run({ cookie: `${emulator.cookieName}=${token}` });
    expect(result.body.detail).toEqual({ failureUrl: '/outcome/Error' });
    const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result;
    const terminate = runs
      .at(-1)
      .visits.find((visit: { displayName: string }) => visit.displayName === 'Terminate Sessions');
    expect(terminate.outcome).toBe('Error');
    expect(terminate.logs).toEqual([{ level: 'error', message: expect.stringContaining('Connection reset') }]);
  });

  it('No Session: the cookie is missing (the session came in the header named after the cookie)', async () => {
    const token = await login(emulator, DEMO);
    const result = await run(withToken(emulator, token));
    expect(result.body.detail).toEqual({ failureUrl: '/outcome/No Session' });
    expect(await emulator.tenant.sessions.getByToken(token)).toBeDefined();
  });

  it('No Session: the user’s _id is missing from state', async () => {
    await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify(terminateJourney(['Success', 'Failure', 'No Session', 'Error'], false)),
    });
    const token = await login(emulator, DEMO);
    const result = await run({ cookie: `${emulator.cookieName}=${token}` });
    expect(result.body.detail).toEqual({ failureUrl: '/outcome/No Session' });
  });

  it('with the real Part 3 export’s three outcomes, a missing cookie ends in AM’s "Invalid outcome from script, \'No Session\'"', async () => {
    await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify(terminateJourney(['Success', 'Failure', 'Error'])),
    });
    const token = await login(emulator, DEMO);
    const result = await run(withToken(emulator, token));
    expect(result.response.status).toBe(401);
    expect(result.body).toEqual({ code: 401, reason: 'Unauthorized', message: 'Login failure' });
    const last = (await http(`${emulator.url}/__emulator/runs`)).json.result.at(-1);
    expect(last.status).toBe('error');
    expect(last.error).toBe("Invalid outcome from script, 'No Session'");
  });
});
