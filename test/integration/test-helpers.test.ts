/**
 * The typed test helpers on createEmulator()'s result (emulator/app/test-helpers.ts): each answers
 * what its control route answers, changes the tenant as the route does (AM sees it), refuses as
 * the route refuses, presents the control token when one is needed, and, on Redis, makes changes
 * the tenant's other instances see, as control API changes are.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ControlApiError, type Emulator } from '../../emulator/index.js';
import { http } from '../helpers/http.js';
import { ALPHA, DEMO, asAdmin, login, sessionsAction, startEmulatorClosedAfterEach } from '../helpers/tenant.js';
import { hasRedis, testPrefix, testRedis } from '../helpers/redis.js';
import { settled, startInstance } from '../helpers/instances.js';

const start = startEmulatorClosedAfterEach();

/** The control route's own answer, over HTTP. */
async function route(emulator: Emulator, path: string): Promise<unknown> {
  const response = await http(`${emulator.url}/__emulator/${path}`);
  expect(response.status).toBe(200);
  return response.json;
}

const valid = async (emulator: Emulator, tokenId: string) =>
  (await sessionsAction(emulator, 'validate', { body: { tokenId }, headers: asAdmin(emulator) })).json.valid as boolean;

/** Awaits a rejection and answers it. */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );

describe('test helpers answer what their control routes answer', () => {
  it('users, sessions, clock, faults, stubs, runs, journal, outbox', async () => {
    const emulator = await start();
    const token = await login(emulator, DEMO);
    await emulator.faults.add({ action: 'logoutByHandle', status: 503 });
    await emulator.stubs.add({ url: 'https://api.example.com/*', body: { ok: true } });

    expect({ result: await emulator.users.list() }).toEqual(await route(emulator, 'users'));
    expect({ result: await emulator.users.list({ realm: 'alpha' }) }).toEqual(
      await route(emulator, 'users?realm=alpha'),
    );
    expect({ result: await emulator.sessions.list() }).toEqual(await route(emulator, 'sessions'));
    expect({ result: await emulator.sessions.list({ userName: 'demo' }) }).toEqual(
      await route(emulator, 'sessions?userName=demo'),
    );
    expect((await emulator.sessions.list({ username: DEMO._id })).map((s) => s.tokenId)).toEqual([token]);
    expect({ now: await emulator.clock.now() }).toEqual(await route(emulator, 'clock'));
    expect({ result: await emulator.faults.list() }).toEqual(await route(emulator, 'faults'));
    expect({ result: await emulator.stubs.list() }).toEqual(await route(emulator, 'stubs'));
    const runs = await emulator.runs.list();
    expect({ result: runs }).toEqual(await route(emulator, 'runs'));
    expect(runs.map((run) => [run.journey, run.status])).toContainEqual(['Login', 'success']);
    const run = runs[0];
    if (!run) throw new Error('no run');
    expect(await emulator.runs.get(run.id)).toEqual(await route(emulator, `runs/${run.id}`));
    expect({ result: await emulator.runs.list({ user: 'demo', status: 'success' }) }).toEqual(
      await route(emulator, 'runs?user=demo&status=success'),
    );
    expect(await emulator.runs.list({ journey: 'NoSuchJourney' })).toEqual([]);
    const journal = await emulator.journal.list();
    expect(journal.map((entry) => entry.url)).toContain(`${ALPHA}/authenticate`);
    expect({ result: journal }).toEqual(await route(emulator, 'journal'));
    expect({ result: await emulator.outbox.list() }).toEqual(await route(emulator, 'outbox'));
    expect(await emulator.outbox.list({ to: 'nobody@example.com' })).toEqual([]);
  });

  it('change the tenant as the routes do: AM sees users, sessions, the clock, faults', async () => {
    const emulator = await start();
    const kirk = await emulator.users.create({ realm: 'alpha', userName: 'kirk', password: 'Ch4ng3-it!', sn: 'Kirk' });
    expect(kirk).toMatchObject({ realm: '/alpha', userName: 'kirk', sn: 'Kirk' });
    expect(kirk).not.toHaveProperty('password');
    const token = await login(emulator, { userName: 'kirk', password: 'Ch4ng3-it!' });
    const room = await emulator.users.bulk({ count: 2, prefix: 'attendee' });
    expect(room.created.map((user) => user.userName)).toEqual(['attendee-01', 'attendee-02']);
    const [first] = room.created;
    if (!first) throw new Error('no attendee');
    await login(emulator, first);
    expect((await emulator.users.list({ realm: 'alpha' })).find((u) => u._id === first._id)).toHaveProperty(
      'frUnindexedString2',
    );

    const made = await emulator.sessions.create({ realm: 'alpha', _id: kirk._id });
    expect(made.username).toBe(kirk._id);
    expect(await valid(emulator, made.tokenId)).toBe(true);
    await emulator.sessions.end(made.sessionHandle);
    expect(await valid(emulator, made.tokenId)).toBe(false);

    await emulator.clock.freeze();
    const before = Date.parse(await emulator.clock.now());
    expect(Date.parse(await emulator.clock.advance(31 * 60))).toBe(before + 31 * 60_000);
    expect(await valid(emulator, token)).toBe(false);
    expect(await emulator.clock.set(new Date(before + 3_600_000))).toBe(new Date(before + 3_600_000).toISOString());

    const faultId = await emulator.faults.add({ action: 'validate', status: 503, body: 'down', times: 2 });
    expect((await sessionsAction(emulator, 'validate', { headers: asAdmin(emulator), body: {} })).status).toBe(503);
    expect(await emulator.faults.list()).toEqual([expect.objectContaining({ id: faultId, hits: 1, remaining: 1 })]);
    await emulator.faults.remove(faultId);
    expect(await emulator.faults.list()).toEqual([]);

    const second = await login(emulator, DEMO);
    await login(emulator, DEMO);
    expect(await emulator.sessions.endAll({ userName: 'demo' })).toBe(2);
    expect(await valid(emulator, second)).toBe(false);
    await emulator.journal.clear();
    expect(await emulator.journal.list()).toEqual([]);
  });

  it('refuse as the routes do: a ControlApiError with the status, the message and the request', async () => {
    const emulator = await start();
    const missing = await refusal(emulator.faults.remove('nope'));
    expect(missing).toBeInstanceOf(ControlApiError);
    expect(missing).toMatchObject({ status: 404, controlMessage: 'no fault nope' });
    expect((missing as Error).message).toBe('404 no fault nope (DELETE /__emulator/faults/nope)');
    expect(await refusal(emulator.clock.advance(-5))).toMatchObject({ status: 400 });
    expect(await refusal(emulator.stubs.add({ url: '' }))).toMatchObject({ status: 400 });
    expect(await refusal(emulator.users.create({ realm: 'alpha', userName: 'demo', password: 'x' }))).toMatchObject({
      status: 409,
    });
    expect(await refusal(emulator.runs.get('no-such-run'))).toMatchObject({ status: 404 });
    expect(await refusal(emulator.users.bulk({ csv: 'demo,pw' }))).toMatchObject({ status: 409 });
    expect(await refusal(emulator.runs.list({ realm: 'nowhere' }))).toMatchObject({ status: 400 });
    expect(await refusal(emulator.sessions.create({ realm: 'alpha', userName: 'nobody' }))).toMatchObject({
      status: 404,
    });
  });

  it('present the control token when the tenant needs one (the route without it is a 401)', async () => {
    const emulator = await start({ controlToken: 'a-token-of-our-own' });
    expect((await http(`${emulator.url}/__emulator/users`)).status).toBe(401);
    expect((await emulator.users.list()).map((user) => user.userName)).toContain('demo');
    const stubId = await emulator.stubs.add({ method: 'POST', url: 'https://api.example.com/x', status: 204 });
    expect(await emulator.stubs.list()).toContainEqual(expect.objectContaining({ id: stubId, status: 204 }));
    await emulator.stubs.clear();
    expect(await emulator.stubs.list()).toEqual([]);
  });
});

const available = await hasRedis();
const redis = available ? await testRedis() : undefined;
const prefixes: string[] = [];
afterAll(async () => {
  await redis?.cleanUp(...prefixes);
});

describe.skipIf(!available)('test helpers on a tenant shared through Redis', () => {
  it('a change made with a helper on one instance reaches the others, as a control API change does', async () => {
    const prefix = testPrefix('helpers');
    prefixes.push(prefix);
    const a = await startInstance(prefix);
    start.closeAfterEach(a);
    const b = await startInstance(prefix);
    start.closeAfterEach(b);
    const user = await a.users.create({ realm: 'alpha', userName: 'shared', password: 'Ch4ng3-it!' });
    const faultId = await a.faults.add({ action: 'logoutByUser', status: 500, times: 1 });
    // The helpers resolved once Redis had the changes: B applies them by sequence number.
    await settled(redis!.client, prefix, b);
    expect((await b.users.list()).map((u) => u._id)).toContain(user._id);
    expect((await b.faults.list()).map((f) => f.id)).toEqual([faultId]);
    const token = await login(b, { userName: 'shared', password: 'Ch4ng3-it!' });
    expect((await a.sessions.list({ username: user._id })).map((s) => s.tokenId)).toEqual([token]);
  });
});
