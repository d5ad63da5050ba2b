/**
 * The TypeScript client (client/) against the emulator over real HTTP: every method, AM's error
 * answers as `AmError`, transport failures as their own types, the cookie jar, a journey step by
 * step, and terminateAllSessions() in the how-to's four outcomes.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import {
  AmAbortError,
  AmClient,
  AmError,
  AmLoginIncompleteError,
  AmNetworkError,
  AmProtocolError,
  AmTimeoutError,
  isInvalidSession,
  type AmClientOptions,
  type JourneyResult,
  type JourneyStep,
  type SessionInfo,
} from '../../client/index.js';
import { BJENSEN, DEMO, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { PROJECT_ROOT } from '../helpers/optional.js';

let emulator: Emulator;
const clients: AmClient[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ config: { session: { propertyAllowList: ['AMCtxId', 'LoginLocation'] } } });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** A client of the alpha realm that discovers the cookie name itself, closed after the test. */
function client(options: Partial<AmClientOptions> = {}): AmClient {
  const created = new AmClient({ baseUrl: emulator.url, ...options });
  clients.push(created);
  return created;
}
const admin = (options: Partial<AmClientOptions> = {}) => client({ adminToken: emulator.adminToken, ...options });

async function loggedIn(
  user: { userName: string; password: string } = DEMO,
): Promise<{ client: AmClient; token: string }> {
  const created = client();
  const result = await created.login({ username: user.userName, password: user.password });
  if (result.tokenId === undefined) throw new Error('login gave no tokenId');
  return { client: created, token: result.tokenId };
}

/** Awaits a rejection and checks it is an AmError with these fields. */
async function amError(
  promise: Promise<unknown>,
  expected: { status: number; message?: string; reason?: string; code?: number },
): Promise<AmError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected an AmError ${expected.status}, got ${JSON.stringify(value)}`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AmError);
  const amError = error as AmError;
  // The message says what AM said, with the status and the request that got it.
  expect(amError.message).toBe(
    `${amError.status} ${amError.amMessage} (${amError.request.method} ${amError.request.path})`,
  );
  expect({
    status: amError.status,
    code: amError.code,
    reason: amError.reason,
    message: amError.amMessage,
  }).toMatchObject({
    status: expected.status,
    code: expected.code ?? expected.status,
    ...(expected.reason !== undefined ? { reason: expected.reason } : {}),
    ...(expected.message !== undefined ? { message: expected.message } : {}),
  });
  return amError;
}

async function control(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
  const response = await http(`${emulator.url}/__emulator/${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  if (response.status >= 300) throw new Error(`control ${method} ${path}: ${response.status} ${response.text}`);
  return response.json;
}
const fault = (spec: Record<string, unknown>) => control('POST', 'faults', spec);
const advanceClock = (seconds: number) => control('POST', 'clock', { advanceSeconds: seconds });
const journal = async (): Promise<
  { method: string; url: string; requestHeaders: Record<string, string>; requestBody?: string; status?: number }[]
> => (await control('GET', 'journal')).result;
const liveSessions = async (userId: string): Promise<number> =>
  (await control('GET', `sessions?username=${userId}`)).result.length;

function asStep(result: JourneyResult): JourneyStep {
  if (result.type !== 'step') throw new Error(`expected a step, got ${JSON.stringify(result)}`);
  return result;
}

describe('serverinfo', () => {
  it('discovers the cookie name from serverinfo/* once, and remembers it', async () => {
    const c = client();
    expect(await c.cookieName()).toBe(emulator.cookieName);
    expect(await c.cookieName()).toBe(emulator.cookieName);
    const lookups = (await journal()).filter((entry) => entry.url === '/am/json/serverinfo/*');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.requestHeaders['accept-api-version']).toBe('resource=1.1');
  });

  it('does not ask when the cookie name is given', async () => {
    const c = client({ cookieName: emulator.cookieName });
    expect(await c.cookieName()).toBe(emulator.cookieName);
    expect(await journal()).toEqual([]);
  });

  it('serverInfo() reads the realm’s public settings without a session', async () => {
    const info = await client().serverInfo();
    expect(info).toMatchObject({ _id: '*', cookieName: emulator.cookieName, realm: '/alpha', domains: [] });
    expect((await client({ realm: '/' }).serverInfo()).realm).toBe('/');
  });

  it('serverVersion() needs a caller: 403 "No session for request." without one', async () => {
    const { client: demo } = await loggedIn();
    expect((await demo.serverVersion()).version).toBe('9.0.0-SNAPSHOT');
    await amError(client().serverVersion(), { status: 403, reason: 'Forbidden', message: 'No session for request.' });
  });
});

describe('login and the cookie jar', () => {
  it('login stores the session cookie in the jar, and later calls send it', async () => {
    const c = client();
    const result = await c.login({ username: DEMO.userName, password: DEMO.password });
    expect(result).toEqual({
      type: 'success',
      tokenId: expect.any(String),
      successUrl: '/enduser/?realm=/alpha',
      realm: '/alpha',
    });
    expect(await c.sessionToken()).toBe(result.tokenId);
    const info = (await c.getSessionInfo()) as SessionInfo;
    expect(info.username).toBe(DEMO._id);
  });

  it('a wrong password is 401 Login failure, and the jar holds no session', async () => {
    const c = client();
    await amError(c.login({ username: DEMO.userName, password: 'wrong' }), {
      status: 401,
      reason: 'Unauthorized',
      message: 'Login failure',
    });
    expect(await c.sessionToken()).toBeUndefined();
  });

  it('an unknown journey is 400 No Configuration found', async () => {
    await amError(client().login({ journey: 'NoSuchJourney', username: DEMO.userName, password: DEMO.password }), {
      status: 400,
      reason: 'Bad Request',
      message: 'No Configuration found',
    });
  });

  it('noSession=true authenticates without a session or a session cookie', async () => {
    const c = client();
    const result = await c.login({ username: DEMO.userName, password: DEMO.password, noSession: true });
    expect(result).toEqual({
      type: 'success',
      tokenId: undefined,
      successUrl: '/enduser/?realm=/alpha',
      realm: '/alpha',
    });
    expect(await c.sessionToken()).toBeUndefined();
    expect(await liveSessions(DEMO._id)).toBe(0);
  });

  it('sends a password that is not ASCII RFC 2047 encoded, so it arrives intact', async () => {
    await control('POST', 'users', { realm: 'alpha', userName: 'zoë', password: 'Pässwörd-€1' });
    const result = await client().login({ username: 'zoë', password: 'Pässwörd-€1' });
    expect(result.tokenId).toEqual(expect.any(String));
  });

  it('logout ends the session and the jar drops the cookie AM expires', async () => {
    const { client: c, token } = await loggedIn();
    expect(await c.logout()).toEqual({ result: 'Successfully logged out' });
    expect(await c.sessionToken()).toBeUndefined();
    await amError(c.getSessionInfo(), { status: 401, reason: 'Unauthorized', message: 'Access Denied' });
    expect(await client().validate(token)).toEqual({ valid: false });
  });

  it('two clients with separate jars are two users', async () => {
    const { client: demo } = await loggedIn(DEMO);
    const { client: babs } = await loggedIn(BJENSEN);
    expect((await demo.idFromSession()).id).toBe(DEMO._id);
    expect((await babs.idFromSession()).id).toBe(BJENSEN._id);
    await demo.logout();
    expect((await babs.idFromSession()).id).toBe(BJENSEN._id);
    await amError(demo.idFromSession(), { status: 401, message: 'Access Denied' });
  });

  it('a jar passed in is shared: the second client is the same browser', async () => {
    const { client: first } = await loggedIn();
    const second = client({ jar: first.jar });
    expect((await second.idFromSession()).id).toBe(DEMO._id);
  });

  it('logging in again replaces the jar’s cookie with the new session', async () => {
    const { client: c, token: first } = await loggedIn();
    const second = await c.login({ username: DEMO.userName, password: DEMO.password });
    expect(second.tokenId).not.toBe(first);
    expect(await c.sessionToken()).toBe(second.tokenId);
    expect(await liveSessions(DEMO._id)).toBe(2);
  });
});

describe('a journey step by step (the demo Login)', () => {
  it('asks for a username and a password on a Sign In page, then issues the session into the jar', async () => {
    const c = client();
    const step = asStep(await c.startJourney('Login'));
    expect(step.header).toBe('Sign In');
    expect(step.description).toContain('Create an account');
    expect(step.callbackTypes).toEqual(['NameCallback', 'PasswordCallback']);
    expect(step.callback('NameCallback').prompt).toBe('User Name');
    expect(step.callback('PasswordCallback').prompt).toBe('Password');
    step.callback('NameCallback').setValue(DEMO.userName);
    step.callback('PasswordCallback').setPassword(DEMO.password);
    const done = await c.next(step);
    expect(done).toEqual({
      type: 'success',
      tokenId: expect.any(String),
      successUrl: '/enduser/?realm=/alpha',
      realm: '/alpha',
    });
    if (done.type !== 'success') throw new Error('unreachable');
    expect(await c.sessionToken()).toBe(done.tokenId);
    expect(((await c.getSessionInfo()) as SessionInfo).username).toBe(DEMO._id);
  });

  it('the realm’s default journey when no name is given', async () => {
    const c = client();
    const step = asStep(await c.startJourney(undefined));
    const done = await c.next(step.fill({ NameCallback: DEMO.userName, PasswordCallback: DEMO.password }));
    expect(done.type).toBe('success');
  });

  it('a failed journey is 401 Login failure with detail.failureUrl', async () => {
    const c = client();
    const step = asStep(await c.startJourney('Login', { query: { gotoOnFail: '/sorry' } }));
    step.fill({ NameCallback: DEMO.userName, PasswordCallback: 'wrong' });
    const error = await amError(c.next(step), { status: 401, reason: 'Unauthorized', message: 'Login failure' });
    expect(error.detail).toEqual({ failureUrl: '/sorry' });
  });

  it('an unknown journey is 400 No Configuration found', async () => {
    await amError(client().startJourney('NoSuchJourney'), { status: 400, message: 'No Configuration found' });
  });

  it('a session holder starting the journey again is done at once (tokenId empty, the cookie is HttpOnly)', async () => {
    const { client: c } = await loggedIn();
    await c.login({ journey: 'Login', username: DEMO.userName, password: DEMO.password });
    expect(await c.startJourney('Login')).toEqual({
      type: 'success',
      tokenId: '',
      successUrl: '/enduser/?realm=/alpha',
      realm: '/alpha',
    });
  });

  it('ProgressiveProfile on the third login: login() throws the step, next() finishes it', async () => {
    await control('POST', 'users', { realm: 'alpha', userName: 'newbie', password: 'Passw0rd!' });
    const c = client();
    const credentials = { journey: 'Login', username: 'newbie', password: 'Passw0rd!' };
    await c.login(credentials);
    await c.login(credentials);
    const error = await c.login(credentials).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AmLoginIncompleteError);
    const step = (error as AmLoginIncompleteError).step;
    expect(step.header).toBe('Please select your preferences');
    expect(step.callbackTypes).toEqual(['BooleanAttributeInputCallback', 'BooleanAttributeInputCallback']);
    const [updates, marketing] = step.callbacksOf('BooleanAttributeInputCallback');
    expect(updates?.attributeName).toBe('preferences/updates');
    expect(marketing?.attributeName).toBe('preferences/marketing');
    step.fill({ BooleanAttributeInputCallback: [true, false] });
    const done = await c.next(step);
    expect(done).toMatchObject({ type: 'success', tokenId: expect.any(String) });
    const users = await control('GET', 'users?realm=alpha');
    const newbie = users.result.find((user: { userName: string }) => user.userName === 'newbie');
    expect(newbie.preferences).toEqual({ updates: true, marketing: false });
  });
});

describe('sessions', () => {
  it('getSessionInfo: own session from the jar, another’s for an admin, {valid:false} for a dead token', async () => {
    const { client: demo, token } = await loggedIn();
    const own = await demo.getSessionInfo();
    expect(own).toMatchObject({
      username: DEMO._id,
      universalId: `id=${DEMO._id},ou=user,o=alpha,ou=services,ou=am-config`,
      realm: '/alpha',
      latestAccessTime: '2026-07-10T01:34:08Z',
      maxIdleExpirationTime: '2026-07-10T02:04:08Z',
      maxSessionExpirationTime: '2026-07-10T03:34:08Z',
    });
    const boss = admin();
    expect(await boss.getSessionInfo(token, { credentials: { admin: true } })).toEqual(own);
    await demo.logout();
    const dead = await boss.getSessionInfo(token, { credentials: { admin: true } });
    expect(isInvalidSession(dead)).toBe(true);
  });

  it('getSessionInfo: 403 for another user’s token, 401 with no credential', async () => {
    const { token: babsToken } = await loggedIn(BJENSEN);
    const { client: demo } = await loggedIn(DEMO);
    await amError(demo.getSessionInfo(babsToken), { status: 403, reason: 'Forbidden', message: 'Forbidden' });
    await amError(client().getSessionInfo(), { status: 401, reason: 'Unauthorized', message: 'Access Denied' });
  });

  it('getSessionInfoAndResetIdleTime resets the idle timer; getSessionInfo does not', async () => {
    const { client: demo } = await loggedIn();
    await advanceClock(600);
    expect(((await demo.getSessionInfo()) as SessionInfo).latestAccessTime).toBe('2026-07-10T01:34:08Z');
    const reset = (await demo.getSessionInfoAndResetIdleTime()) as SessionInfo;
    expect(reset.latestAccessTime).toBe('2026-07-10T01:44:08Z');
    expect(reset.maxIdleExpirationTime).toBe('2026-07-10T02:14:08Z');
  });

  it('validate: valid with uid and realm; refresh:false leaves the idle timer, the default resets it', async () => {
    const { client: demo, token } = await loggedIn();
    const anyone = client();
    expect(await anyone.validate(token)).toEqual({
      valid: true,
      sessionUid: expect.any(String),
      uid: DEMO._id,
      realm: '/alpha',
    });
    await advanceClock(600);
    await anyone.validate(token, { refresh: false });
    expect(((await demo.getSessionInfo()) as SessionInfo).latestAccessTime).toBe('2026-07-10T01:34:08Z');
    await anyone.validate(token);
    expect(((await demo.getSessionInfo()) as SessionInfo).latestAccessTime).toBe('2026-07-10T01:44:08Z');
    expect(await demo.validate()).toMatchObject({ valid: true, uid: DEMO._id });
    expect(await anyone.validate('not-a-token')).toEqual({ valid: false });
  });

  it('a session idle for more than 30 minutes is gone', async () => {
    const { client: demo, token } = await loggedIn();
    await advanceClock(31 * 60);
    expect(await client().validate(token)).toEqual({ valid: false });
    await amError(demo.getSessionInfo(), { status: 401, message: 'Access Denied' });
  });

  it('refresh: an admin (by default with adminToken) gets the times; a user gets 403', async () => {
    const { client: demo, token } = await loggedIn();
    await advanceClock(120);
    expect(await admin().refresh(token)).toEqual({
      uid: DEMO._id,
      realm: '/alpha',
      idletime: 0,
      maxidletime: 30,
      maxsessiontime: 120,
      maxtime: 120 * 60 - 120,
    });
    await amError(demo.refresh(token), { status: 403, reason: 'Forbidden', message: 'Forbidden' });
  });

  it('logout of a named token by an admin; again it is "Token has expired"', async () => {
    const { token } = await loggedIn();
    const boss = admin();
    expect(await boss.logout(token, { credentials: { admin: true } })).toEqual({ result: 'Successfully logged out' });
    expect(await boss.logout(token, { credentials: { admin: true } })).toEqual({ result: 'Token has expired' });
    await amError(client().logout(), { status: 401, message: 'Access Denied' });
  });

  it('logoutByUser: a user ends all of their own sessions, not someone else’s', async () => {
    const { client: demo } = await loggedIn(DEMO);
    await loggedIn(DEMO);
    await loggedIn(BJENSEN);
    await amError(demo.logoutByUser(BJENSEN._id), { status: 403, message: 'Forbidden' });
    expect(await demo.logoutByUser(DEMO._id)).toEqual({ result: true });
    expect(await liveSessions(DEMO._id)).toBe(0);
    expect(await liveSessions(BJENSEN._id)).toBe(1);
  });

  it('querySessions and logoutByHandle: an admin lists a user’s sessions and ends one by its handle', async () => {
    const { token: first } = await loggedIn();
    await loggedIn();
    const boss = admin();
    const listed = await boss.querySessions({ userId: DEMO._id });
    expect(listed.resultCount).toBe(2);
    expect(listed.result.map((item) => item.username)).toEqual([DEMO._id, DEMO._id]);
    const handle = listed.result[0]?.sessionHandle as string;
    expect(handle).toMatch(/^shandle:/);
    expect(await boss.logoutByHandle([handle])).toEqual({ result: { [handle]: true } });
    expect((await boss.querySessions({ userId: DEMO._id })).resultCount).toBe(1);
    expect((await boss.querySessions({ realm: '/alpha' })).resultCount).toBe(1);
    expect(first).toEqual(expect.any(String));
  });

  it('querySessions and logoutByHandle are 403 for a user; a filter on the username alone is 400', async () => {
    const { client: demo } = await loggedIn();
    await amError(demo.querySessions({ userId: DEMO._id }), { status: 403, message: 'Forbidden' });
    await amError(demo.logoutByHandle(['shandle:x']), { status: 403, message: 'Forbidden' });
    await amError(admin().querySessions({ filter: `username eq "${DEMO._id}"` }), {
      status: 400,
      reason: 'Bad Request',
    });
  });

  it('getSessionProperties and updateSessionProperties: allow-listed properties only', async () => {
    const { client: demo } = await loggedIn();
    expect(await demo.getSessionProperties()).toEqual({ AMCtxId: expect.any(String), LoginLocation: '' });
    expect(await demo.updateSessionProperties({ LoginLocation: '40.748440, -73.984559' })).toMatchObject({
      LoginLocation: '40.748440, -73.984559',
    });
    expect((await demo.getSessionProperties()).LoginLocation).toBe('40.748440, -73.984559');
    await amError(demo.updateSessionProperties({ AuthLevel: '5' }), { status: 403, message: 'Forbidden' });
  });

  it('a realm the tenant does not have is 404', async () => {
    await amError(client({ realm: '/nope' }).validate('x'), {
      status: 404,
      reason: 'Not Found',
      message: 'Realm "/nope" not found',
    });
  });

  it('an answer with an empty body (AM’s 404 for an unknown version) is still an AmError', async () => {
    const { client: demo } = await loggedIn();
    await fault({ action: 'getSessionInfo', status: 404, times: 1 });
    const error = await amError(demo.getSessionInfo(), { status: 404, reason: 'Not Found', message: 'Not Found' });
    expect(error.body).toBe('');
  });
});

describe('users', () => {
  it('idFromSession names the session’s user; 401 without a session', async () => {
    const { client: demo } = await loggedIn();
    expect(await demo.idFromSession()).toMatchObject({
      id: DEMO._id,
      realm: '/alpha',
      dn: `id=${DEMO._id},ou=user,o=alpha,ou=services,ou=am-config`,
    });
    await amError(client().idFromSession(), { status: 401, message: 'Access Denied' });
  });

  it('getUser: a user reads themselves, not others; an admin reads anyone; an unknown id is 404', async () => {
    const { client: demo } = await loggedIn();
    expect(await demo.getUser(DEMO._id)).toMatchObject({ _id: DEMO._id, username: 'demo', realm: '/alpha' });
    const denied = await amError(demo.getUser(BJENSEN._id), { status: 403, reason: 'Forbidden' });
    expect(denied.amMessage).toContain('Permission to perform the read operation denied');
    const boss = admin();
    expect(await boss.getUser(BJENSEN._id, { credentials: { admin: true } })).toMatchObject({
      _id: BJENSEN._id,
      username: 'bjensen',
    });
    await amError(boss.getUser('00000000-0000-0000-0000-000000000000', { credentials: { admin: true } }), {
      status: 404,
      message: 'Resource cannot be found.',
    });
  });
});

describe('credentials', () => {
  it('{ token } sends the token in the header named after the cookie, and not the jar', async () => {
    const { token: babs } = await loggedIn(BJENSEN);
    const { client: demo } = await loggedIn(DEMO);
    expect(((await demo.getSessionInfo(undefined, { credentials: { token: babs } })) as SessionInfo).username).toBe(
      BJENSEN._id,
    );
    const last = (await journal()).at(-1);
    expect(last?.requestHeaders[emulator.cookieName]).toBeDefined();
    expect(last?.requestHeaders['cookie']).toBeUndefined();
  });

  it('{ admin: true } needs an adminToken', async () => {
    await expect(client().querySessions({ userId: DEMO._id }, { credentials: { admin: true } })).rejects.toThrow(
      /adminToken/,
    );
  });

  it('{ bearer } sends any bearer token; one AM does not know authenticates nobody', async () => {
    await amError(client().querySessions({ userId: DEMO._id }, { credentials: { bearer: 'nope' } }), {
      status: 401,
      message: 'Access Denied',
    });
    expect(
      (await client().querySessions({ userId: DEMO._id }, { credentials: { bearer: emulator.adminToken } }))
        .resultCount,
    ).toBe(0);
  });

  it('a tenant administrator’s session (root realm, via the jar) may query alpha’s sessions', async () => {
    await loggedIn();
    const root = client({ realm: '/' });
    await root.login({ username: 'tenant-admin@example.com', password: 'Adm1n-Ch4ng3-it!' });
    const alphaWithAdminJar = client({ jar: root.jar });
    expect((await alphaWithAdminJar.querySessions({ userId: DEMO._id })).resultCount).toBe(1);
  });
});

describe('transport failures', () => {
  it('a dropped connection is AmNetworkError', async () => {
    const { client: demo } = await loggedIn();
    await fault({ action: 'getSessionInfo', reset: true, times: 1 });
    await expect(demo.getSessionInfo()).rejects.toBeInstanceOf(AmNetworkError);
  });

  it('a refused connection is AmNetworkError', async () => {
    const other = await startEmulator();
    const url = other.url;
    await other.close();
    const c = client({ baseUrl: url, cookieName: emulator.cookieName });
    await expect(c.serverInfo()).rejects.toBeInstanceOf(AmNetworkError);
  });

  it('no answer within timeoutMs is AmTimeoutError', async () => {
    const { token } = await loggedIn();
    await fault({ action: 'validate', delayMs: 5_000, times: 1 });
    const error = await client({ timeoutMs: 100 })
      .validate(token)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmTimeoutError);
    expect((error as AmTimeoutError).timeoutMs).toBe(100);
  });

  it('an aborted signal is AmAbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(client().serverInfo({ signal: controller.signal })).rejects.toBeInstanceOf(AmAbortError);
  });

  it('a 200 whose body is not JSON is AmProtocolError', async () => {
    await fault({ path: '/serverinfo/*', status: 200, body: '<html>proxy</html>', times: 1 });
    await expect(client().serverInfo()).rejects.toBeInstanceOf(AmProtocolError);
  });
});

describe('terminateAllSessions (the how-to’s Part 3 script)', () => {
  it('Success: ends all of the user’s sessions with their own token in the cookie-named header', async () => {
    const { client: demo, token } = await loggedIn(DEMO);
    const { client: otherDevice } = await loggedIn(DEMO);
    await loggedIn(BJENSEN);
    await control('DELETE', 'journal');
    expect(await demo.terminateAllSessions()).toEqual({
      outcome: 'Success',
      userId: DEMO._id,
      status: 200,
      result: true,
    });
    expect(await liveSessions(DEMO._id)).toBe(0);
    expect(await liveSessions(BJENSEN._id)).toBe(1);
    expect(await otherDevice.validate()).toEqual({ valid: false });
    const call = (await journal()).find((entry) => entry.url.includes('_action=logoutByUser'));
    expect(call?.url).toBe('/am/json/realms/root/realms/alpha/sessions/?_action=logoutByUser');
    expect(call?.requestHeaders['accept-api-version']).toBe('resource=5.1, protocol=1.0');
    expect(call?.requestHeaders['content-type']).toBe('application/json; charset=UTF-8');
    expect(call?.requestHeaders[emulator.cookieName]).toBe(`${token.slice(0, 4)}***`);
    expect(call?.requestHeaders['cookie']).toBeUndefined();
    expect(JSON.parse(call?.requestBody ?? '{}')).toEqual({ username: DEMO._id });
  });

  it('Success with an explicit token and _id (no idFromSession call)', async () => {
    const { token } = await loggedIn(DEMO);
    await control('DELETE', 'journal');
    expect(await client().terminateAllSessions({ token, userId: DEMO._id })).toMatchObject({ outcome: 'Success' });
    expect((await journal()).map((entry) => entry.url)).toEqual([
      '/am/json/serverinfo/*',
      '/am/json/realms/root/realms/alpha/sessions/?_action=logoutByUser',
    ]);
    expect(await liveSessions(DEMO._id)).toBe(0);
  });

  it('Failure: logoutByUser answers 500', async () => {
    const { client: demo } = await loggedIn(DEMO);
    await fault({
      action: 'logoutByUser',
      status: 500,
      body: { code: 500, reason: 'Internal Server Error', message: 'boom' },
      times: 1,
    });
    expect(await demo.terminateAllSessions()).toEqual({ outcome: 'Failure', userId: DEMO._id, status: 500 });
    expect(await liveSessions(DEMO._id)).toBe(1);
  });

  it('Failure: logoutByUser answers 200 {"result": false}', async () => {
    const { client: demo } = await loggedIn(DEMO);
    await fault({ action: 'logoutByUser', status: 200, body: { result: false }, times: 1 });
    expect(await demo.terminateAllSessions()).toEqual({
      outcome: 'Failure',
      userId: DEMO._id,
      status: 200,
      result: false,
    });
  });

  it('Failure: AM refuses (403) a token used for another user’s _id', async () => {
    const { token } = await loggedIn(DEMO);
    expect(await client().terminateAllSessions({ token, userId: BJENSEN._id })).toMatchObject({
      outcome: 'Failure',
      status: 403,
    });
  });

  it('Error: the connection is dropped', async () => {
    const { client: demo } = await loggedIn(DEMO);
    await fault({ action: 'logoutByUser', reset: true, times: 1 });
    const result = await demo.terminateAllSessions();
    expect(result.outcome).toBe('Error');
    expect(result.error).toBeInstanceOf(AmNetworkError);
    expect(await liveSessions(DEMO._id)).toBe(1);
  });

  it('Error: a 200 whose body is not JSON (the script’s JSON.parse throws)', async () => {
    const { client: demo } = await loggedIn(DEMO);
    await fault({ action: 'logoutByUser', status: 200, body: 'OK', times: 1 });
    const result = await demo.terminateAllSessions();
    expect(result.outcome).toBe('Error');
    expect(result.error).toBeInstanceOf(SyntaxError);
  });

  it('No Session: a client that never logged in, and no request is made to AM’s sessions', async () => {
    expect(await client().terminateAllSessions()).toEqual({ outcome: 'No Session' });
    expect((await journal()).filter((entry) => entry.url.includes('/sessions'))).toEqual([]);
  });

  it('No Session: the jar’s session has ended (idFromSession is refused, so there is no _id)', async () => {
    const { client: demo, token } = await loggedIn(DEMO);
    await admin().logout(token, { credentials: { admin: true } });
    const result = await demo.terminateAllSessions();
    expect(result.outcome).toBe('No Session');
    expect(result.error).toBeInstanceOf(AmError);
    expect((result.error as AmError).status).toBe(401);
  });
});

describe('the package export', () => {
  it('`aic-emulator/client` resolves to the built client, with types, and works against the emulator', async () => {
    expect(existsSync(join(PROJECT_ROOT, 'dist', 'client', 'index.d.ts'))).toBe(true);
    // A separate Node process importing the package by name (self-reference through "exports"), as an app would.
    const script = `
      import { AmClient } from 'aic-emulator/client';
      const client = new AmClient({ baseUrl: process.argv[1] });
      await client.login({ username: 'demo', password: process.argv[2] });
      const me = await client.idFromSession();
      const cookieName = await client.cookieName();
      await client.logout();
      await client.close();
      console.log(JSON.stringify({ id: me.id, cookieName }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script, emulator.url, DEMO.password],
      { cwd: PROJECT_ROOT },
    );
    expect(JSON.parse(stdout)).toEqual({ id: DEMO._id, cookieName: emulator.cookieName });
    expect(await liveSessions(DEMO._id)).toBe(0);
  });
});
