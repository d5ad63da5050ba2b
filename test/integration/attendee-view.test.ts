/**
 * The attendee's own view of a workshop's shared instance (issue 21): with their own sign-in
 * (the tenant session cookie), an attendee reads their own sessions, runs, journal entries and
 * mail under `/__emulator/me/...`, nothing of anyone else's, and cannot change the tenant. These
 * are attacks first: another's run by its id, trainer routes with a cookie, a forged or expired
 * cookie, the cookie's token presented otherwise, a cross-site read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { ALPHA, login, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';

let emulator: Emulator;
let token: string;
const ALICE = { userName: 'attendee-alice', password: 'Alice-pass-1', mail: 'alice@example.com' };
const BOB = { userName: 'attendee-bob', password: 'Bob-pass-1', mail: 'bob@example.com' };
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};

const control = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  http(`${emulator.url}/__emulator/${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'x-aic-emulator-token': token,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const asAttendee = (who: string, path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  http(`${emulator.url}/__emulator/${path}`, {
    method: init.method ?? 'GET',
    headers: { cookie: cookies[who] as string, ...init.headers },
  });

const ACCESS_DENIED = { code: 401, reason: 'Unauthorized', message: 'Access Denied' };

beforeAll(async () => {
  // Beyond loopback, as a workshop runs: the control API needs its token.
  emulator = await startEmulator({ host: '0.0.0.0', clock: { start: '2026-07-10T01:34:08Z', frozen: true } });
  token = emulator.controlToken as string;
  for (const [who, user] of [
    ['alice', ALICE],
    ['bob', BOB],
  ] as const) {
    const created = await control('users', { method: 'POST', body: { realm: 'alpha', ...user } });
    expect(created.status).toBe(201);
    ids[who] = created.json._id;
    cookies[who] = `${emulator.cookieName}=${await login(emulator, user)}`;
  }
  // Bob fails a sign-in once (his run, though he has no session from it).
  const failed = await journey(emulator, 'Login').start();
  expect((await failed.answer(0, BOB.userName).answer(1, 'wrong').next()).response.status).toBe(401);
});

afterAll(async () => {
  await emulator?.close();
});

describe('an attendee with their own sign-in', () => {
  it('reads who they are, and only their own sessions', async () => {
    const me = await asAttendee('alice', 'me');
    expect(me.status).toBe(200);
    expect(me.json.user).toMatchObject({ _id: ids['alice'], userName: ALICE.userName, realm: '/alpha' });
    const sessions = (await asAttendee('alice', 'me/sessions')).json.result as { username: string }[];
    expect(sessions.length).toBe(1);
    expect(sessions.every((session) => session.username === ids['alice'])).toBe(true);
  });

  it('reads only their own runs, and another’s run by its id is answered as one that does not exist', async () => {
    const all = (await control('runs')).json.result as { id: string; user?: { _id: string } }[];
    const bobs = all.filter((run) => run.user?._id === ids['bob']);
    expect(bobs.length).toBe(2); // his sign-in and his failed one
    const alices = (await asAttendee('alice', 'me/runs')).json.result as { id: string; user: { _id: string } }[];
    expect(alices.length).toBe(1);
    expect(alices.every((run) => run.user._id === ids['alice'])).toBe(true);
    for (const run of bobs) {
      const stolen = await asAttendee('alice', `me/runs/${run.id}`);
      expect(stolen.status).toBe(404);
      expect(stolen.json).toMatchObject({ code: 404, reason: 'Not Found' });
      expect(stolen.text).not.toContain(BOB.userName);
    }
    // Bob sees his failed sign-in, with the node that decided it.
    const failed = (
      (await asAttendee('bob', 'me/runs?status=failure')).json.result as {
        id: string;
        decidedBy?: { displayName: string; outcome?: string };
      }[]
    )[0];
    expect(failed?.decidedBy).toMatchObject({ displayName: 'Data Store Decision', outcome: 'false' });
    expect((await asAttendee('bob', `me/runs/${failed?.id}`)).status).toBe(200);
    // The journeys a run went through, to draw it: one's own run only, and only those journeys.
    const drawing = await asAttendee('bob', `me/runs/${failed?.id}/journeys/Login`);
    expect(drawing.status).toBe(200);
    expect(drawing.json).toMatchObject({ realm: '/alpha', tree: { name: 'Login' } });
    expect((await asAttendee('alice', `me/runs/${failed?.id}/journeys/Login`)).status).toBe(404);
    expect((await asAttendee('bob', `me/runs/${failed?.id}/journeys/TerminateSession`)).status).toBe(404);
  });

  it('a failed journey’s answer is AM’s, with a header of the emulator’s naming its run', async () => {
    const step = await journey(emulator, 'Login').start();
    const failed = await step.answer(0, ALICE.userName).answer(1, 'not-it').next();
    expect(failed.response.status).toBe(401);
    expect(failed.body).toEqual({ code: 401, reason: 'Unauthorized', message: 'Login failure' });
    const runId = failed.response.headers['x-aic-emulator-run'];
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    const run = await asAttendee('alice', `me/runs/${String(runId)}`);
    expect(run.json).toMatchObject({ status: 'failure', user: { _id: ids['alice'] } });
    expect(run.json.decidedBy).toMatchObject({ nodeType: 'DataStoreDecisionNode', outcome: 'false' });
    expect((await asAttendee('bob', `me/runs/${String(runId)}`)).status).toBe(404);
  });

  it('reads only the journal entries made with their own sessions', async () => {
    // Alice reads her session over AM's REST; Bob's cookie appears in none of her entries.
    await http(`${emulator.url}${ALPHA}/sessions?_action=getSessionInfo`, {
      method: 'POST',
      headers: {
        cookie: cookies['alice'] as string,
        'accept-api-version': 'resource=4.0',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    const mine = (await asAttendee('alice', 'me/journal')).json.result as { url: string; requestHeaders: object }[];
    expect(mine.some((entry) => entry.url.includes('getSessionInfo'))).toBe(true);
    const everything = (await control('journal')).json.result as unknown[];
    expect(mine.length).toBeLessThan(everything.length);
    const bobToken = (cookies['bob'] as string).split('=')[1] as string;
    expect(JSON.stringify(mine)).not.toContain(bobToken.slice(0, 4) + '***');
  });

  it('reads only the mail written for them, not mail to an address they could make theirs, nor mail their runs wrote for another', async () => {
    const [alicesRun] = (await asAttendee('alice', 'me/runs')).json.result as { id: string }[];
    const mail = (to: string, toUserId: string | undefined, runId: string | undefined, subject: string) =>
      emulator.tenant.outbox.add({
        realm: '/alpha',
        from: 'no-reply@example.com',
        to,
        ...(toUserId ? { toUserId } : {}),
        subject,
        body: 'a link',
        mimeType: 'text/plain',
        ...(runId ? { runId, journey: 'Login' } : {}),
      });
    mail(ALICE.mail, ids['alice'], undefined, 'for alice');
    // Bob's reset link, to an address Alice could give herself over IDM's self-service.
    mail(ALICE.mail, ids['bob'], undefined, 'for bob');
    // Bob's reset link, sent by a run of Alice's (she named his address in ResetPassword).
    mail('bob@example.com', ids['bob'], alicesRun?.id, 'for bob, by alice');
    mail(ALICE.mail, undefined, alicesRun?.id, 'for nobody');
    const mine = await asAttendee('alice', 'me/outbox');
    expect(mine.status).toBe(200);
    expect((mine.json.result as { subject: string }[]).map((message) => message.subject)).toEqual(['for alice']);
    const bobs = (await asAttendee('bob', 'me/outbox')).json.result as { subject: string }[];
    expect(bobs.map((message) => message.subject)).toEqual(['for bob', 'for bob, by alice']);
  });

  it('cannot reach the trainer’s routes with a cookie: reads and changes alike', async () => {
    const before = (await control('users')).json.result.length;
    for (const [method, path] of [
      ['GET', 'runs'],
      ['GET', 'sessions'],
      ['GET', 'journal'],
      ['GET', 'outbox'],
      ['GET', 'tenant'],
      ['GET', 'users'],
      ['POST', 'reset'],
      ['DELETE', 'sessions'],
      ['POST', 'users'],
      ['PUT', 'esvs/esv-x'],
      ['POST', 'faults'],
      ['POST', 'clock'],
    ] as const) {
      const answer = await asAttendee('alice', path, { method });
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.json.code).toBe(401);
    }
    expect((await control('users')).json.result.length).toBe(before);
    expect((await control('sessions')).json.result.length).toBeGreaterThanOrEqual(2);
    // No route of the attendee's view changes anything: other methods are not routes, and the guard
    // answers them as any route it does not let through without the token.
    for (const method of ['POST', 'DELETE', 'PUT'])
      expect((await asAttendee('alice', 'me/sessions', { method })).status).toBe(401);
  });

  it('a missing, forged or expired cookie, or the token presented otherwise, is AM’s 401', async () => {
    const aliceToken = (cookies['alice'] as string).split('=')[1] as string;
    const attempts: Record<string, string>[] = [
      {},
      { cookie: `${emulator.cookieName}=forged.*AAJTSQACMDEAAlNLABQtMjk3MTI2MjEwNzgxMzk3NjYz*` },
      { cookie: `${emulator.cookieName}=` },
      { cookie: `other=${aliceToken}` },
      // The header named after the cookie, the admin bearer: not the attendee's credential here.
      { [emulator.cookieName]: aliceToken },
      { authorization: `Bearer ${emulator.adminToken}` },
    ];
    for (const headers of attempts) {
      for (const path of ['me', 'me/sessions', 'me/runs', 'me/journal', 'me/outbox']) {
        const answer = await http(`${emulator.url}/__emulator/${path}`, { headers });
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(answer.json).toEqual(ACCESS_DENIED);
      }
    }
  });

  it('the guard’s cross-site rules hold for the attendee’s view: another site cannot read it with the cookie', async () => {
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://evil.example' },
      { origin: 'null' },
    ]) {
      const answer = await asAttendee('bob', 'me/runs', { headers });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.text).not.toContain(BOB.userName);
    }
    // The same origin reads it.
    expect((await asAttendee('bob', 'me/runs', { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
  });

  it('an expired session is AM’s 401 (last: it moves the clock)', async () => {
    // An expired session: idle for 31 minutes on the tenant clock.
    const expiring = await emulator.tenant.createSession(emulator.tenant.users.get(ids['bob'] as string)!, {
      service: 'Login',
      successUrl: '/enduser/',
    });
    const expired = `${emulator.cookieName}=${expiring.tokenId}`;
    expect((await http(`${emulator.url}/__emulator/me`, { headers: { cookie: expired } })).status).toBe(200);
    emulator.advanceClock(31 * 60);
    const late = await http(`${emulator.url}/__emulator/me/runs`, { headers: { cookie: expired } });
    expect(late.status).toBe(401);
    expect(late.json).toEqual(ACCESS_DENIED);
  });
});
