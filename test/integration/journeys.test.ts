/**
 * The journey engine over `/authenticate` (AM's tree executor and nodes; AIC docs, "Log in over REST"): the demo
 * Login step by step, authId checks, failures, noSession, ForceAuth, goto, a session-holder's journey,
 * ProgressiveProfile, imports and the runs record.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { ALPHA, DEMO, login, startEmulator, withCookie } from '../helpers/tenant.js';
import { http, setCookies } from '../helpers/http.js';
import { callbackTypes, journey, sessionCookieOf } from '../helpers/journey.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const signIn = async (options: Parameters<typeof journey>[2] = {}, name: string | undefined = 'Login', user = DEMO) => {
  const step = await journey(emulator, name, options).start();
  return step.answer(0, user.userName).answer(1, user.password).next();
};

describe('the demo Login journey, step by step', () => {
  it('asks for username and password on a Sign In page, then issues a session and its cookie', async () => {
    const first = await journey(emulator, 'Login').start();
    expect(first.response.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(['authId', 'callbacks', 'header', 'description']);
    expect(first.body.header).toBe('Sign In');
    expect(first.body.callbacks).toEqual([
      {
        type: 'NameCallback',
        output: [{ name: 'prompt', value: 'User Name' }],
        input: [{ name: 'IDToken1', value: '' }],
        _id: 0,
      },
      {
        type: 'PasswordCallback',
        output: [{ name: 'prompt', value: 'Password' }],
        input: [{ name: 'IDToken2', value: '' }],
        _id: 1,
      },
    ]);
    expect(setCookies(first.response)).toEqual(['amlbcookie=01; Path=/; Secure; HttpOnly; SameSite=none']);
    const done = await first.answer(0, DEMO.userName).answer(1, DEMO.password).next();
    expect(done.response.status).toBe(200);
    expect(Object.keys(done.body)).toEqual(['tokenId', 'successUrl', 'realm']);
    expect(sessionCookieOf(emulator, done.response)).toBe(done.body.tokenId);
    const session = await emulator.tenant.sessions.getByToken(done.body.tokenId);
    expect(session?.userId).toBe(DEMO._id);
    expect(session?.service).toBe('Login');
  });

  it('is the realm default journey (no authIndexValue)', async () => {
    const done = await signIn({}, undefined);
    expect(done.body.tokenId).toEqual(expect.any(String));
  });

  it('a wrong password ends at Failure: 401 Login failure, no session', async () => {
    const done = await (await journey(emulator, 'Login').start()).answer(0, DEMO.userName).answer(1, 'nope').next();
    expect(done.response.status).toBe(401);
    expect(done.body).toEqual({ code: 401, reason: 'Unauthorized', message: 'Login failure' });
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('zero-page headers answer the first page in the same request', async () => {
    const response = await http(`${emulator.url}${ALPHA}/authenticate?authIndexType=service&authIndexValue=Login`, {
      method: 'POST',
      headers: {
        'accept-api-version': 'resource=2.0',
        'x-openam-username': DEMO.userName,
        'x-openam-password': DEMO.password,
      },
    });
    expect(response.status).toBe(200);
    expect(response.json.tokenId).toEqual(expect.any(String));
  });

  it('counts logins (Increment Login Count)', async () => {
    await signIn();
    await signIn();
    expect(emulator.tenant.users.get(DEMO._id)?.attributes['loginCount']).toBe(2);
  });
});

describe('authId', () => {
  it('is refused when tampered with: 400 AuthId JWT Signature not valid', async () => {
    const first = await journey(emulator, 'Login').start();
    const [header, payload] = (first.body.authId as string).split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    claims.authIndexValue = 'Other';
    first.body.authId = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${(first.body.authId as string).split('.')[2]}`;
    const answer = await first.answer(0, DEMO.userName).answer(1, DEMO.password).next();
    expect(answer.response.status).toBe(400);
    expect(answer.body).toEqual({ code: 400, reason: 'Bad Request', message: 'AuthId JWT Signature not valid' });
  });

  it('expires after 15 minutes on the tenant clock: 401 Session has timed out (errorCode 110)', async () => {
    const first = await journey(emulator, 'Login').start();
    emulator.advanceClock(15 * 60);
    const answer = await first.answer(0, DEMO.userName).answer(1, DEMO.password).next();
    expect(answer.response.status).toBe(401);
    expect(answer.body).toEqual({
      code: 401,
      reason: 'Unauthorized',
      message: 'Session has timed out',
      detail: { errorCode: '110' },
    });
  });

  it('cannot be replayed once its step was answered', async () => {
    const first = await journey(emulator, 'Login').start();
    first.answer(0, DEMO.userName).answer(1, DEMO.password);
    expect((await first.next()).response.status).toBe(200);
    const replay = await first.next();
    expect(replay.response.status).toBe(401);
    expect(replay.body.detail).toEqual({ errorCode: '110' });
  });

  it('answers with callbacks that do not match the step are refused', async () => {
    const first = await journey(emulator, 'Login').start();
    first.body.callbacks.pop();
    const answer = await first.next();
    expect(answer.response.status).toBe(400);
    expect(answer.body.message).toContain('Invalid callbacks');
  });
});

describe('request options', () => {
  it('noSession=true: success without a tokenId or session', async () => {
    const done = await signIn({ query: 'noSession=true' });
    expect(done.body).toEqual({ successUrl: '/enduser/?realm=/alpha', realm: '/alpha' });
    expect(await emulator.tenant.sessions.count()).toBe(0);
  });

  it('goto sets the successUrl for the tenant’s own URLs only; gotoOnFail the failureUrl', async () => {
    expect((await signIn({ query: 'goto=%2Fenduser%2F%3Frealm%3D%2Falpha%23%2Fprofile' })).body.successUrl).toBe(
      '/enduser/?realm=/alpha#/profile',
    );
    expect((await signIn({ query: 'goto=https%3A%2F%2Fevil.example%2F' })).body.successUrl).toBe(
      '/enduser/?realm=/alpha',
    );
    const failed = await (
      await journey(emulator, 'Login', { query: 'gotoOnFail=%2Fsorry' }).start()
    )
      .answer(0, 'demo')
      .answer(1, 'x')
      .next();
    expect(failed.body.detail).toEqual({ failureUrl: '/sorry' });
  });

  it('signed in through Login, a second Login answers the same session with an empty tokenId; ForceAuth=true runs it again', async () => {
    const token = await login(emulator, DEMO);
    const again = await journey(emulator, 'Login', { headers: withCookie(emulator, token) }).start();
    expect(again.body).toEqual({ tokenId: '', successUrl: '/enduser/?realm=/alpha', realm: '/alpha' });
    const forced = await journey(emulator, 'Login', {
      query: 'ForceAuth=true',
      headers: withCookie(emulator, token),
    }).start();
    expect(callbackTypes(forced)).toEqual(['NameCallback', 'PasswordCallback']);
  });
});

describe('ProgressiveProfile', () => {
  it('on the third login asks a user without preferences for them, and stores the answer', async () => {
    const created = await http(`${emulator.url}/__emulator/users`, {
      method: 'POST',
      body: JSON.stringify({ realm: 'alpha', userName: 'newbie', password: 'Passw0rd!' }),
    });
    const user = { userName: 'newbie', password: 'Passw0rd!', _id: created.json._id as string };
    await signIn({}, 'Login', user as never);
    await signIn({}, 'Login', user as never);
    const third = await signIn({}, 'Login', user as never);
    expect(third.body.header).toBe('Please select your preferences');
    expect(callbackTypes(third)).toEqual(['BooleanAttributeInputCallback', 'BooleanAttributeInputCallback']);
    expect(third.body.callbacks[0].output).toContainEqual({ name: 'name', value: 'preferences/updates' });
    const done = await third.answer(0, true).answer(1, false).next();
    expect(done.body.tokenId).toEqual(expect.any(String));
    expect(emulator.tenant.users.get(user._id)?.attributes['preferences']).toEqual({ updates: true, marketing: false });
  });
});

describe('imports', () => {
  const messageJourney = () => {
    const node = 'b0000000-0000-4000-8000-000000000001';
    const failUrl = 'b0000000-0000-4000-8000-000000000002';
    return {
      trees: {
        Greeting: treeExport({
          name: 'Greeting',
          description: 'a message, then success or a failure URL',
          entry: node,
          nodes: [
            {
              id: node,
              type: 'MessageNode',
              name: 'Hello',
              x: 100,
              y: 100,
              connections: { true: END.success, false: failUrl },
              config: { message: { en: 'Hello', fr: 'Bonjour' }, messageYes: { en: 'OK' }, messageNo: {} },
            },
            {
              id: failUrl,
              type: 'SetFailureUrlNode',
              name: 'Failure URL',
              x: 300,
              y: 100,
              connections: { outcome: END.failure },
              config: { failureUrl: 'https://example.com/bye' },
            },
          ],
        }),
      },
    };
  };

  it('POST /__emulator/import answers what it imported; the journey runs', async () => {
    const imported = await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify(messageJourney()),
    });
    expect(imported.json).toEqual({ imported: ['Greeting'], realm: '/alpha', problems: [] });
    const first = await journey(emulator, 'Greeting', { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } }).start();
    expect(first.body.callbacks[0]).toMatchObject({
      type: 'TextOutputCallback',
      output: [
        { name: 'message', value: 'Bonjour' },
        { name: 'messageType', value: '0' },
      ],
    });
    expect(first.body.callbacks[1].output).toEqual([
      { name: 'prompt', value: '' },
      { name: 'messageType', value: 0 },
      { name: 'options', value: ['OK', 'No'] },
      { name: 'optionType', value: -1 },
      { name: 'defaultOption', value: 1 },
    ]);
    expect(first.body.callbacks[1].input).toEqual([{ name: 'IDToken2', value: 0 }]);
    const declined = await first.answer(1, 1).next();
    expect(declined.response.status).toBe(401);
    expect(declined.body).toEqual({
      code: 401,
      reason: 'Unauthorized',
      message: 'Login failure',
      detail: { failureUrl: 'https://example.com/bye' },
    });
  });

  it('reports a stubbed node, a missing inner journey and a dangling outcome by name, and refuses to run such a journey', async () => {
    const node = 'c0000000-0000-4000-8000-000000000001';
    const inner = 'c0000000-0000-4000-8000-000000000002';
    const broken = treeExport({
      name: 'Broken',
      description: '',
      entry: node,
      nodes: [
        {
          id: node,
          type: 'AcmeMarketplaceNode',
          name: 'Google',
          x: 1,
          y: 1,
          connections: { ACCOUNT_EXISTS: inner, NO_ACCOUNT: 'c0000000-0000-4000-8000-00000000dead' },
          config: {},
        },
        {
          id: inner,
          type: 'InnerTreeEvaluatorNode',
          name: 'Inner',
          x: 2,
          y: 2,
          connections: { true: END.success, false: END.failure },
          config: { tree: 'NotImported' },
        },
      ],
    });
    const imported = await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify({ trees: { Broken: broken } }),
    });
    const messages = imported.json.problems.map(
      (problem: { journey: string; node: string; message: string }) => `${problem.node}: ${problem.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^Google \\(${node}\\): AcmeMarketplaceNode is not implemented by the emulator: it runs as the node stub "AcmeMarketplaceNode"`,
          ),
        ),
        `Google (${node}): the outcome "NO_ACCOUNT" leads to c0000000-0000-4000-8000-00000000dead, which is not a node of the journey`,
        `Inner (${inner}): the inner journey "NotImported" is not imported`,
      ]),
    );
    const run = await journey(emulator, 'Broken').start();
    expect(run.response.status).toBe(501);
    expect(run.body.message).toContain('the inner journey "NotImported" is not imported');
    expect(run.body.message).not.toContain('AcmeMarketplaceNode');
  });
});

describe('runs', () => {
  it('records the path a run took, node by node, with outcomes and state changes, secrets masked', async () => {
    await signIn();
    const runs = await http(`${emulator.url}/__emulator/runs`);
    const run = runs.json.result.at(-1);
    expect(run).toMatchObject({
      journey: 'Login',
      realm: '/alpha',
      status: 'success',
      steps: 2,
      user: { _id: DEMO._id, userName: 'demo' },
    });
    const path = run.visits.map(
      (visit: { displayName: string; outcome?: string; callbacks?: string[] }) =>
        `${visit.displayName}:${visit.outcome ?? visit.callbacks?.join('+')}`,
    );
    // A page's visit comes before its children's, an inner tree's nodes after the evaluator that runs them.
    expect(path).toEqual([
      'Page Node:NameCallback+PasswordCallback',
      'Platform Username:NameCallback',
      'Platform Password:PasswordCallback',
      'Page Node:outcome',
      'Platform Username:outcome',
      'Platform Password:outcome',
      'Data Store Decision:true',
      'Increment Login Count:outcome',
      'Inner Tree Evaluator:true',
      'Login Count Decision:false',
    ]);
    expect(
      run.visits.find((visit: { displayName: string }) => visit.displayName === 'Login Count Decision').journey,
    ).toBe('ProgressiveProfile');
    expect(JSON.stringify(run)).not.toContain(DEMO.password);
    const username = run.visits.find(
      (visit: { displayName: string; outcome?: string }) => visit.displayName === 'Platform Username' && visit.outcome,
    );
    expect(username.shared).toContainEqual({ key: 'username', after: 'demo' });
  });
});
