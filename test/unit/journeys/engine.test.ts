/**
 * The journey engine (emulator/journeys/engine.ts) over the state classes, with the demo tenant's
 * journeys imported into a JourneyRegistry and a controllable clock (no Tenant, no HTTP): start →
 * callbacks → resume → success or failure, the authId checks and the JourneyError kind each
 * refusal throws, the session a journey starts with, and the request options (noSession, goto).
 * The clock is moved, never waited on.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { demoJourneys } from '../../../emulator/config/demo-journeys/index.js';
import type { AuthRequest, AuthResult, StartInput } from '../../../emulator/journeys/authenticator.js';
import { JourneyEngine } from '../../../emulator/journeys/engine.js';
import { JourneyError, type JourneyErrorKind } from '../../../emulator/journeys/journey-error.js';
import { decodeExport } from '../../../emulator/state/journeys/import/formats.js';
import { emptyBundle } from '../../../emulator/state/journeys/model.js';
import type { MemoryJourneySessionStore } from '../../../emulator/state/journeys/journey-sessions.js';
import type { Session } from '../../../emulator/state/sessions/session.js';
import {
  ALICE,
  FAILURE,
  SUCCESS,
  addTree,
  engineServices,
  realm,
  script,
  scriptSets,
  sessionOf,
  type NodeSpec,
} from '../../helpers/node-context.js';

/** A journey's failure, which names its run (issue 21). */
const FAILED = { kind: 'failure', runId: expect.any(String) };

function setup(authIdSecret = 'a secret of the test tenant') {
  const services = engineServices();
  const { bundle, problems } = decodeExport(demoJourneys('/alpha'), 'demo tenant');
  expect(problems).toEqual([]);
  services.journeys.add('/alpha', bundle);
  const engine = new JourneyEngine(services, { authIdSecret });
  const alpha = realm(services);
  /** Imports a journey into /alpha as an import does (a bundle: the registry's version moves). */
  const importJourney = (name: string, nodes: NodeSpec[], options: { enabled?: boolean } = {}) => {
    const imported = emptyBundle();
    addTree(imported, name, nodes, options);
    services.journeys.add('/alpha', imported);
    return imported;
  };
  const start = (input: Partial<StartInput> = {}, requestExtra: Partial<AuthRequest> = {}) =>
    engine.start({
      realm: alpha,
      journey: 'Login',
      credentials: undefined,
      request: request(requestExtra),
      noSession: false,
      forceAuth: false,
      goto: undefined,
      gotoOnFail: undefined,
      ...input,
    });
  const resume = (body: Record<string, unknown>, requestExtra: Partial<AuthRequest> = {}) =>
    engine.resume(alpha, body, request(requestExtra));
  return { services, engine, alpha, start, resume, importJourney };
}

const request = (extra: Partial<AuthRequest> = {}): AuthRequest => ({
  headers: {},
  query: new URLSearchParams(),
  hostname: 'tenant.example.com',
  origin: 'https://tenant.example.com',
  existingSession: undefined,
  ...extra,
});

interface Step {
  authId: string;
  callbacks: { type: string; output: { name: string; value: unknown }[]; input?: { name: string; value: unknown }[] }[];
  header?: string;
  description?: string;
}

function stepOf(result: AuthResult): Step {
  if (result.kind !== 'callbacks') throw new Error(`expected a step, got ${result.kind}`);
  return result.step as unknown as Step;
}

/** The step's JSON as a client posts it back, each callback's first input set to the value at its index. */
function answered(result: AuthResult, ...values: unknown[]): Record<string, unknown> {
  const step = structuredClone(stepOf(result));
  values.forEach((value, index) => {
    const input = step.callbacks[index]?.input?.[0];
    if (value !== undefined && input) input.value = value;
  });
  return step as unknown as Record<string, unknown>;
}

async function refusal(promise: Promise<unknown>): Promise<JourneyErrorKind> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(JourneyError);
    return (error as JourneyError).kind;
  }
  throw new Error('the engine did not refuse');
}

const sessionCount = (engine: JourneyEngine) => (engine.sessions as MemoryJourneySessionStore).size;

describe('a journey from start to end (the demo Login)', () => {
  it('starts with the Sign In page and an authId; resumed with the right answers, it signs the user in', async () => {
    const { services, engine, start, resume } = setup();
    const first = await start();
    const step = stepOf(first);
    expect(step.callbacks.map((callback) => [callback.type, callback.input?.[0]?.name])).toEqual([
      ['NameCallback', 'IDToken1'],
      ['PasswordCallback', 'IDToken2'],
    ]);
    expect(step.header).toBe('Sign In');
    expect(step.description).toContain('Create an account');
    expect(decodeJwt(step.authId)).toMatchObject({
      authIndexValue: 'Login',
      authIndexType: 'service',
      realm: '/alpha',
      iat: Math.floor(services.clock.now() / 1000),
      exp: Math.floor(services.clock.now() / 1000) + 900,
    });
    expect(sessionCount(engine)).toBe(1);

    const done = await resume(answered(first, 'alice', ALICE.password));
    expect(done).toMatchObject({
      kind: 'success',
      user: { _id: ALICE._id },
      journey: 'Login',
      successUrl: '/enduser/?realm=/alpha',
      noSession: false,
      properties: {},
    });
    expect(sessionCount(engine)).toBe(0);
    expect(services.users.get(ALICE._id)?.attributes['loginCount']).toBe(1);
    const [run] = services.runs.list();
    expect(run).toMatchObject({
      journey: 'Login',
      status: 'success',
      steps: 2,
      user: { _id: ALICE._id, userName: 'alice' },
    });
  });

  it('a wrong password ends at Failure: no failureUrl, the journey session is gone, the run says failure', async () => {
    const { services, engine, start, resume } = setup();
    const first = await start();
    // The failure names its run (the sign-in page links to it; issue 21).
    expect(await resume(answered(first, 'alice', 'wrong'))).toEqual({
      kind: 'failure',
      runId: services.runs.list()[0]?.id,
    });
    expect(sessionCount(engine)).toBe(0);
    expect(services.runs.list()[0]?.status).toBe('failure');
  });

  it('each step has its own authId, and only the latest continues the journey (ProgressiveProfile on the third login)', async () => {
    const { services, start, resume } = setup();
    services.users.update(ALICE._id, { loginCount: 2 });
    const first = await start();
    services.clock.advance(1);
    const second = await resume(answered(first, 'alice', ALICE.password));
    const preferences = stepOf(second);
    expect(preferences.header).toBe('Please select your preferences');
    expect(preferences.callbacks.map((callback) => callback.type)).toEqual([
      'BooleanAttributeInputCallback',
      'BooleanAttributeInputCallback',
    ]);
    expect(preferences.authId).not.toBe(stepOf(first).authId);
    expect(await refusal(resume(answered(first, 'alice', ALICE.password)))).toBe('timed-out');

    const done = await resume(answered(second, true, false));
    expect(done.kind).toBe('success');
    expect(services.users.get(ALICE._id)?.attributes['preferences']).toEqual({ updates: true, marketing: false });
    expect(services.runs.list()[0]?.steps).toBe(3);
  });

  // Was a bug: an authId's claims were the journey session's (sessionId, otk) and the time to the
  // second, so the next step in the same second got the very same authId, and answering the
  // earlier step again was taken as an answer to the later one. Each authId now has its own otk.
  it('a step answered again within the same second is refused too', async () => {
    const { start, resume, importJourney } = setup();
    importJourney('Again', [
      { id: 'first', type: 'UsernameCollectorNode', connections: { outcome: 'second' }, config: {} },
      { id: 'second', type: 'UsernameCollectorNode', connections: { outcome: SUCCESS }, config: {} },
    ]);
    const first = await start({ journey: 'Again' });
    const second = await resume(answered(first, 'nobody'));
    expect(second.kind).toBe('callbacks');
    expect(stepOf(second).authId).not.toBe(stepOf(first).authId);
    expect(decodeJwt(stepOf(second).authId).iat).toBe(decodeJwt(stepOf(first).authId).iat);
    // Step 1 again, now naming alice: refused, not taken as step 2's answer.
    expect(await refusal(resume(answered(first, 'alice')))).toBe('timed-out');
    // Step 2 is still answerable with its own authId.
    expect(await resume(answered(second, 'alice'))).toMatchObject({ kind: 'success', user: { _id: ALICE._id } });
  });

  it('each authId has its own otk, drawn as AM draws it (130 random bits in base 32)', async () => {
    const { start } = setup();
    const otks = new Set<unknown>();
    for (let i = 0; i < 20; i += 1) {
      const { otk, sessionId } = decodeJwt(stepOf(await start()).authId);
      expect(otk).toMatch(/^[0-9a-v]{1,26}$/);
      expect(sessionId).toEqual(expect.any(String));
      otks.add(otk);
    }
    expect(otks.size).toBe(20);
  });

  it('the same step posted twice at once: one answer continues the journey, the other is refused as a replay', async () => {
    const { engine, start, resume, importJourney } = setup();
    importJourney('Twice', [
      { id: 'first', type: 'UsernameCollectorNode', connections: { outcome: 'second' }, config: {} },
      { id: 'second', type: 'UsernameCollectorNode', connections: { outcome: SUCCESS }, config: {} },
    ]);
    const first = await start({ journey: 'Twice' });
    const outcomes = await Promise.allSettled([resume(answered(first, 'nobody')), resume(answered(first, 'alice'))]);
    const answeredSteps = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(answeredSteps).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(((refused[0] as PromiseRejectedResult).reason as JourneyError).kind).toBe('timed-out');
    const next = (answeredSteps[0] as PromiseFulfilledResult<AuthResult>).value;
    expect(next.kind).toBe('callbacks');
    expect(sessionCount(engine)).toBe(1);
    expect(await resume(answered(next, 'alice'))).toMatchObject({ kind: 'success' });
  });

  it('zero-page credentials answer a first step that asks only for a username and a password', async () => {
    const { engine, start } = setup();
    expect(await start({ credentials: { username: 'alice', password: ALICE.password } })).toMatchObject({
      kind: 'success',
      user: { _id: ALICE._id },
    });
    expect(await start({ credentials: { username: 'alice', password: 'wrong' } })).toEqual(FAILED);
    expect(sessionCount(engine)).toBe(0);
  });
});

describe('resume refuses', () => {
  it('an authId whose signature does not verify: invalid-auth-id', async () => {
    const { start, resume } = setup();
    const first = await start();
    const body = answered(first, 'alice', ALICE.password);
    const [header, payload, signature] = (body['authId'] as string).split('.') as [string, string, string];
    const middle = Math.floor(signature.length / 2);
    const flipped = `${signature.slice(0, middle)}${signature[middle] === 'A' ? 'B' : 'A'}${signature.slice(middle + 1)}`;
    expect(await refusal(resume({ ...body, authId: `${header}.${payload}.${flipped}` }))).toBe('invalid-auth-id');
    expect(await refusal(resume({ ...body, authId: 'not-a-jwt' }))).toBe('invalid-auth-id');
    expect(await refusal(resume({ ...body, authId: undefined }))).toBe('invalid-auth-id');
    // Signed with another tenant's secret.
    const other = setup('another tenant’s secret');
    expect(await refusal(other.resume(body))).toBe('invalid-auth-id');
    // None of these touched the journey: the real authId still continues it.
    expect((await resume(body)).kind).toBe('success');
  });

  it('after 15 minutes on the tenant clock: timed-out, not a second before', async () => {
    const { services, start, resume } = setup();
    const early = await start();
    services.clock.advance(15 * 60 - 1);
    expect((await resume(answered(early, 'alice', ALICE.password))).kind).toBe('success');

    const late = await start();
    services.clock.advance(15 * 60);
    expect(await refusal(resume(answered(late, 'alice', ALICE.password)))).toBe('timed-out');
  });

  it('a step already answered (a replay), or a journey that has ended: timed-out', async () => {
    const { start, resume } = setup();
    const first = await start();
    const body = answered(first, 'alice', ALICE.password);
    expect((await resume(body)).kind).toBe('success');
    expect(await refusal(resume(body))).toBe('timed-out');
  });

  it('an authId of another realm’s journey: timed-out', async () => {
    const { services, engine, start } = setup();
    const first = await start();
    const bravo = realm(services, '/bravo');
    expect(await refusal(engine.resume(bravo, answered(first, 'alice', ALICE.password), request()))).toBe('timed-out');
  });

  it('answers that do not match the step: invalid-callbacks, and the journey can still be answered', async () => {
    const { start, resume } = setup();
    const first = await start();
    const body = answered(first, 'alice', ALICE.password);
    const callbacks = body['callbacks'] as Step['callbacks'];
    for (const wrong of [
      callbacks.slice(0, 1),
      [callbacks[1], callbacks[0]],
      [{ ...callbacks[0], type: 'TextInputCallback' }, callbacks[1]],
      'IDToken1=alice',
      undefined,
    ]) {
      expect(await refusal(resume({ ...body, callbacks: wrong })), JSON.stringify(wrong)).toBe('invalid-callbacks');
    }
    expect((await resume(body)).kind).toBe('success');
  });
});

describe('journeys the engine cannot run, and journeys that fail', () => {
  it('a journey with lint errors: cannot-run, naming them, before any run or session; runnable once fixed', async () => {
    const { services, engine, start, importJourney } = setup();
    // A node without its configuration (a node type the emulator does not run is a warning: it runs as a stub).
    importJourney('Odd', [{ id: 'x', type: 'UsernameCollectorNode', name: 'Name', connections: { outcome: SUCCESS } }]);
    const error = await start({ journey: 'Odd' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JourneyError);
    expect(error).toMatchObject({
      kind: 'cannot-run',
      message:
        'The emulator cannot run journey "Odd": the node has no configuration in the export (nodes or innerNodes)',
    });
    importJourney('Missing', [
      {
        id: 'e',
        type: 'InnerTreeEvaluatorNode',
        connections: { true: SUCCESS, false: FAILURE },
        config: { tree: 'Gone' },
      },
    ]);
    expect(await refusal(start({ journey: 'Missing' }))).toBe('cannot-run');
    expect(services.runs.list()).toEqual([]);
    expect(sessionCount(engine)).toBe(0);

    // The same name imported again, fixed: the engine sees the new version.
    importJourney('Odd', [{ id: 'x', type: 'UsernameCollectorNode', connections: { outcome: SUCCESS }, config: {} }]);
    expect((await start({ journey: 'Odd' })).kind).toBe('callbacks');
  });

  it('warnings do not stop a journey (an outcome left unconnected)', async () => {
    const { start, importJourney } = setup();
    importJourney('Warned', [{ id: 'm', type: 'MessageNode', connections: { true: SUCCESS }, config: {} }]);
    expect((await start({ journey: 'Warned' })).kind).toBe('callbacks');
  });

  it('a node error ends the journey as a failure: the run says error, the log warns, the journey session is gone', async () => {
    const { services, engine, start, resume, importJourney } = setup();
    importJourney('Fragile', [
      { id: 'name', type: 'UsernameCollectorNode', connections: { outcome: 'present' }, config: {} },
      {
        id: 'present',
        type: 'AttributePresentDecisionNode',
        connections: { true: SUCCESS, false: FAILURE },
        config: { presentAttribute: 'mail' },
      },
    ]);
    const first = await start({ journey: 'Fragile' });
    const body = answered(first, 'nobody');
    expect(await resume(body)).toEqual(FAILED);
    expect(services.runs.list()[0]).toMatchObject({
      status: 'error',
      error: 'Attribute Present Decision: no user to read the attribute of',
    });
    expect(services.warnings).toEqual([
      {
        details: { journey: 'Fragile', error: 'Attribute Present Decision: no user to read the attribute of' },
        message: 'journey ended with an error',
      },
    ]);
    expect(sessionCount(engine)).toBe(0);
    expect(await refusal(resume(body))).toBe('timed-out');
  });

  it('Success signs in the user a node identified, else the one shared username names; nobody is a failure', async () => {
    const { services, start, resume, importJourney } = setup();
    importJourney('Anonymous', [
      { id: 'url', type: 'SetSuccessUrlNode', connections: { outcome: SUCCESS }, config: { successUrl: '/x' } },
    ]);
    expect(await start({ journey: 'Anonymous' })).toEqual(FAILED);
    expect(services.runs.list().at(-1)).toMatchObject({
      status: 'error',
      error: 'the journey reached Success without identifying a user',
    });

    importJourney('Named', [
      { id: 'name', type: 'UsernameCollectorNode', connections: { outcome: SUCCESS }, config: {} },
    ]);
    const first = await start({ journey: 'Named' });
    expect(await resume(answered(first, 'ALICE'))).toMatchObject({ kind: 'success', user: { _id: ALICE._id } });
  });

  it('what scripts set for the session reaches the success: properties and timeouts', async () => {
    const { services, start, importJourney } = setup();
    const imported = importJourney('Scripted', [
      {
        id: 'decide',
        type: 'ScriptedDecisionNode',
        connections: { true: SUCCESS },
        config: { script: 'props', outcomes: ['true'] },
      },
    ]);
    imported.scripts.set('props', script('props'));
    services.journeys.add('/alpha', imported);
    services.scripts.behaviour = () => ({
      ...scriptSets('true'),
      action: {
        unused: true,
        callbacks: [],
        legacyCallbacks: [],
        sessionProperties: { Colour: 'blue' },
        removedSessionProperties: [],
        maxIdleTime: 5,
        maxSessionTime: 60,
        identifiedUser: 'alice',
      },
    });
    expect(await start({ journey: 'Scripted' })).toMatchObject({
      kind: 'success',
      user: { _id: ALICE._id },
      properties: { Colour: 'blue' },
      maxIdleMinutes: 5,
      maxSessionMinutes: 60,
    });
    expect(services.scripts.calls).toEqual([{ script: 'props', kind: 'decision', node: 'decide' }]);
  });
});

describe('request options', () => {
  it('noSession is carried to the success', async () => {
    const { start, resume } = setup();
    const first = await start({ noSession: true });
    expect(await resume(answered(first, 'alice', ALICE.password))).toMatchObject({ kind: 'success', noSession: true });
  });

  it('goto and gotoOnFail count only for the tenant’s own URLs: a relative path, or http(s) on one of its hosts', async () => {
    const { services, start } = setup();
    // Preferences chosen: ProgressiveProfile does not stop the third login and those after it.
    services.users.update(ALICE._id, { preferences: { updates: true, marketing: true } });
    const credentials = { username: 'alice', password: ALICE.password };
    const successUrl = async (goto: string, hostname = 'tenant.example.com') => {
      const result = await start({ credentials, goto }, { hostname });
      return result.kind === 'success' ? result.successUrl : result.kind;
    };
    expect(await successUrl('https://tenant.example.com/app')).toBe('https://tenant.example.com/app');
    expect(await successUrl('http://TENANT.example.com/app')).toBe('http://TENANT.example.com/app');
    expect(await successUrl('https://localhost:8443/x', 'localhost')).toBe('https://localhost:8443/x');
    expect(await successUrl('/enduser/?realm=/alpha#/dashboard')).toBe('/enduser/?realm=/alpha#/dashboard');
    for (const refused of ['https://evil.example/', '//evil.example/x', 'javascript:alert(1)', 'not a url'])
      expect(await successUrl(refused), refused).toBe('/enduser/?realm=/alpha');

    const failure = (gotoOnFail: string) =>
      start({ credentials: { username: 'alice', password: 'wrong' }, gotoOnFail });
    expect(await failure('/sorry')).toEqual({ ...FAILED, failureUrl: '/sorry' });
    expect(await failure('https://evil.example/')).toEqual(FAILED);
  });

  it('a Success URL or Failure URL node wins over goto and gotoOnFail', async () => {
    const { start, resume, importJourney } = setup();
    importJourney('Urls', [
      { id: 'ok', type: 'SetSuccessUrlNode', connections: { outcome: 'ko' }, config: { successUrl: '/from-node' } },
      { id: 'ko', type: 'SetFailureUrlNode', connections: { outcome: 'name' }, config: { failureUrl: '/failed-node' } },
      { id: 'name', type: 'UsernameCollectorNode', connections: { outcome: 'check' }, config: {} },
      {
        id: 'check',
        type: 'AttributePresentDecisionNode',
        connections: { true: SUCCESS, false: FAILURE },
        config: { presentAttribute: 'telephoneNumber' },
      },
    ]);
    const options = { journey: 'Urls', goto: '/goto', gotoOnFail: '/goto-on-fail' };
    expect(await resume(answered(await start(options), 'alice'))).toEqual({
      ...FAILED,
      failureUrl: '/failed-node',
    });
    importJourney('Urls', [
      { id: 'ok', type: 'SetSuccessUrlNode', connections: { outcome: 'name' }, config: { successUrl: '/from-node' } },
      { id: 'name', type: 'UsernameCollectorNode', connections: { outcome: SUCCESS }, config: {} },
    ]);
    expect(await resume(answered(await start(options), 'alice'))).toMatchObject({
      kind: 'success',
      successUrl: '/from-node',
    });
  });
});

describe('a journey started while signed in', () => {
  const signedIn = (
    services: ReturnType<typeof setup>['services'],
    extra: Parameters<typeof sessionOf>[2] = {},
  ): Session => sessionOf(services, ALICE._id, { service: 'Login', tokenId: 'alice-token', ...extra });

  it('through the same journey: the existing session, no run, no journey session', async () => {
    const { services, engine, start } = setup();
    const existingSession = signedIn(services);
    const result = await start({ goto: '/back' }, { existingSession });
    expect(result).toEqual({ kind: 'existing', session: existingSession, successUrl: '/back' });
    expect(services.runs.list()).toEqual([]);
    expect(sessionCount(engine)).toBe(0);
  });

  it('with ForceAuth: the journey runs again, and its session replaces the existing one', async () => {
    const { services, start, resume } = setup();
    const existingSession = signedIn(services);
    const first = await start({ forceAuth: true }, { existingSession });
    expect(first.kind).toBe('callbacks');
    expect(await resume(answered(first, 'alice', ALICE.password), { existingSession })).toMatchObject({
      kind: 'success',
      replaces: 'alice-token',
    });
  });

  it('another journey knows who the user is (shared username), and replaces the session', async () => {
    const { services, start, importJourney } = setup();
    importJourney('WhoAmI', [
      {
        id: 'identify',
        type: 'IdentifyExistingUserNode',
        connections: { true: SUCCESS, false: FAILURE },
        config: { identityAttribute: 'userName' },
      },
    ]);
    expect(await start({ journey: 'WhoAmI' })).toEqual(FAILED);
    expect(await start({ journey: 'WhoAmI' }, { existingSession: signedIn(services) })).toMatchObject({
      kind: 'success',
      user: { _id: ALICE._id },
      replaces: 'alice-token',
    });
  });

  it('a session of another realm is not the caller’s here', async () => {
    const { services, start } = setup();
    const result = await start({}, { existingSession: signedIn(services, { realm: '/bravo' }) });
    expect(result.kind).toBe('callbacks');
  });
});

describe('which journeys run', () => {
  it('hasJourney: enabled journeys by their exact name; defaultJourney: the realm’s, else Login', () => {
    const { services, engine, alpha, importJourney } = setup();
    importJourney('Off', [{ id: 'n', type: 'UsernameCollectorNode', connections: { outcome: SUCCESS }, config: {} }], {
      enabled: false,
    });
    expect(engine.hasJourney(alpha, 'Login')).toBe(true);
    expect(engine.hasJourney(alpha, 'login')).toBe(false);
    expect(engine.hasJourney(alpha, 'Off')).toBe(false);
    expect(engine.hasJourney(realm(services, '/bravo'), 'Login')).toBe(false);
    expect(engine.defaultJourney(alpha)).toBe('Login');
    expect(engine.defaultJourney(realm(services, '/bravo'))).toBe('Bravo');
  });
});
