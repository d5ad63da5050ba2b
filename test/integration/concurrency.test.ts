/**
 * Concurrency: parallel clients on overlapping users, checked against a sequential model.
 *
 * 1. Sessions: workers run a seeded random schedule of zero-page logins, validate, refresh,
 *    getSessionInfo, logout, logoutByUser and logoutByHandle on six users (demo, bjensen,
 *    scarter and three created through POST /__emulator/users), all at once. Each operation's
 *    interval (sent, answered) and answer are recorded; the model then says, for every session
 *    a login created, whether it must be live at the end, must be gone, or may be either (only
 *    when a logoutByUser overlapped its login), and which answers a validate could give at that
 *    time. No lost session (a live one answered invalid, or missing at the end, with no logout
 *    in flight), no resurrected one (valid again after an acknowledged logout), no double logout,
 *    no phantom session; the store's invariants hold.
 * 2. Journeys: several clients run the demo Login journey step by step at the same time, with
 *    cookie jars, different users (two clients each for the demo users), wrong passwords first
 *    for some, and a third login that asks the created users for their preferences: each ends
 *    with a session of its own user, the preferences each client chose land on its own user,
 *    and no journey state crosses between them.
 *
 * The schedule is seeded (CONCURRENCY_SEED, else FUZZ_SEED, else a fixed seed); the
 * interleaving itself is whatever the event loop makes of it, which is the point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { MemorySessionStore } from '../../emulator/state/sessions/memory-store.js';
import { ALPHA, BJENSEN, DEMO, SCARTER, startEmulator } from '../helpers/tenant.js';
import { http, type RawResponse } from '../helpers/http.js';
import { JarClient } from '../helpers/jar-client.js';

const SEED = (() => {
  const raw = process.env['CONCURRENCY_SEED'] ?? process.env['FUZZ_SEED'];
  if (raw === undefined || raw.trim() === '') return 20260710;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`CONCURRENCY_SEED must be an integer, not ${JSON.stringify(raw)}`);
  return seed;
})();

/** mulberry32: a small seeded generator for the schedules. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const V = { 'accept-api-version': 'resource=4.0, protocol=1.0', 'content-type': 'application/json' };
const CREATED = ['conc-ana', 'conc-ben', 'conc-cy'];
const PASSWORD = 'Conc-Pw-1!';

interface Account {
  userName: string;
  password: string;
  _id: string;
}

async function createUsers(emulator: Emulator): Promise<Account[]> {
  const accounts: Account[] = [DEMO, BJENSEN, SCARTER].map((user) => ({
    userName: user.userName,
    password: user.password,
    _id: user._id,
  }));
  for (const userName of CREATED) {
    const response = await http(`${emulator.url}/__emulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ realm: 'alpha', userName, password: PASSWORD, givenName: userName }),
    });
    expect(response.status, response.text).toBe(201);
    accounts.push({ userName, password: PASSWORD, _id: response.json._id as string });
  }
  return accounts;
}

function storeOf(emulator: Emulator): MemorySessionStore {
  const store = emulator.tenant.sessions;
  if (!(store instanceof MemorySessionStore)) throw new Error('expected the in-memory store');
  return store;
}

// ---------------------------------------------------------------------------------------------
// Sessions: operations, their history, and the model
// ---------------------------------------------------------------------------------------------

type Operation =
  | { kind: 'login'; user: Account; token?: string; handle?: string | undefined }
  | { kind: 'validate' | 'refresh' | 'getSessionInfo'; token: string; valid?: boolean }
  | { kind: 'logout'; token: string; asSelf: boolean; result?: string }
  | { kind: 'logoutByUser'; user: Account }
  | { kind: 'logoutByHandle'; handles: string[] };

type Recorded = Operation & { worker: number; start: number; end: number; status: number; answer: RawResponse };

interface Known {
  token: string;
  handle: string | undefined;
  user: Account;
  login: Recorded;
}

describe('concurrency: sessions under parallel clients', () => {
  let emulator: Emulator;
  let accounts: Account[];

  beforeAll(async () => {
    emulator = await startEmulator();
    accounts = await createUsers(emulator);
  });
  afterAll(() => emulator.close());

  it('the final sessions and every answer agree with a sequential model (no lost, resurrected or phantom session)', async () => {
    const WORKERS = 8;
    const OPERATIONS_PER_WORKER = 75;
    const history: Recorded[] = [];
    const known: Known[] = [];
    const byToken = new Map<string, Known>();
    const admin = { authorization: `Bearer ${emulator.adminToken}` };
    const started = performance.now();

    const run = async (worker: number, operation: Operation): Promise<void> => {
      let answer: RawResponse;
      const start = performance.now();
      switch (operation.kind) {
        case 'login':
          answer = await http(`${emulator.url}${ALPHA}/authenticate`, {
            method: 'POST',
            headers: {
              'accept-api-version': 'resource=2.0, protocol=1.0',
              'content-type': 'application/json',
              'x-openam-username': operation.user.userName,
              'x-openam-password': operation.user.password,
            },
            body: '{}',
          });
          break;
        case 'validate':
        case 'refresh':
        case 'getSessionInfo':
          answer = await http(`${emulator.url}${ALPHA}/sessions/?_action=${operation.kind}`, {
            method: 'POST',
            headers: { ...V, ...admin },
            body: JSON.stringify({ tokenId: operation.token }),
          });
          break;
        case 'logout':
          answer = await http(`${emulator.url}${ALPHA}/sessions/?_action=logout`, {
            method: 'POST',
            // A user logging out their own session (the token as credential and target), or an admin.
            headers: { ...V, ...(operation.asSelf ? { [emulator.cookieName]: operation.token } : admin) },
            ...(operation.asSelf ? {} : { body: JSON.stringify({ tokenId: operation.token }) }),
          });
          break;
        case 'logoutByUser':
          answer = await http(`${emulator.url}${ALPHA}/sessions/?_action=logoutByUser`, {
            method: 'POST',
            headers: { ...V, ...admin },
            body: JSON.stringify({ username: operation.user._id }),
          });
          break;
        case 'logoutByHandle':
          answer = await http(`${emulator.url}${ALPHA}/sessions/?_action=logoutByHandle`, {
            method: 'POST',
            headers: { ...V, ...admin },
            body: JSON.stringify({ sessionHandles: operation.handles }),
          });
          break;
      }
      const end = performance.now();
      const recorded = { ...operation, worker, start, end, status: answer.status, answer };
      // A created user's third login stops at ProgressiveProfile's preferences page (200 with
      // callbacks, no session yet): a login that signed nobody in.
      if (recorded.kind === 'login' && answer.status === 200 && typeof answer.json?.tokenId === 'string') {
        recorded.token = answer.json.tokenId as string;
        // Where a client would learn the handle: the admin query. Read from the store at once (in
        // process, so atomic); a session already ended by a racing logoutByUser has none to learn.
        recorded.handle = (await emulator.tenant.sessions.getByToken(recorded.token))?.handle;
        const entry: Known = { token: recorded.token, handle: recorded.handle, user: recorded.user, login: recorded };
        known.push(entry);
        byToken.set(entry.token, entry);
      }
      if (
        (recorded.kind === 'validate' || recorded.kind === 'refresh' || recorded.kind === 'getSessionInfo') &&
        answer.status === 200
      ) {
        recorded.valid = answer.json.valid !== false;
      }
      if (recorded.kind === 'logout' && answer.status === 200) recorded.result = answer.json.result as string;
      history.push(recorded);
    };

    const worker = async (index: number): Promise<void> => {
      const next = random(SEED * 31 + index);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
      /** Mostly recent tokens, so that operations meet live sessions and each other. */
      const someToken = (): Known | undefined =>
        known.length === 0
          ? undefined
          : known[Math.max(0, known.length - 1 - Math.floor(next() * next() * known.length))];
      for (let i = 0; i < OPERATIONS_PER_WORKER; i += 1) {
        const roll = next();
        const target = someToken();
        let operation: Operation;
        if (roll < 0.3 || roll >= 0.94 || !target) operation = { kind: 'login', user: pick(accounts) };
        else if (roll < 0.55) operation = { kind: 'validate', token: target.token };
        else if (roll < 0.63) operation = { kind: 'refresh', token: target.token };
        else if (roll < 0.69) operation = { kind: 'getSessionInfo', token: target.token };
        else if (roll < 0.81) operation = { kind: 'logout', token: target.token, asSelf: next() < 0.5 };
        else if (roll < 0.85) operation = { kind: 'logoutByUser', user: pick(accounts) };
        else {
          const handles = Array.from({ length: 1 + Math.floor(next() * 3) }, () => someToken()?.handle).filter(
            (handle): handle is string => handle !== undefined,
          );
          operation = { kind: 'logoutByHandle', handles: next() < 0.2 ? [...handles, 'shandle:unknown'] : handles };
        }
        await run(index, operation);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
    const elapsed = Math.round(performance.now() - started);

    // ---- the model --------------------------------------------------------------------------
    const problems: string[] = [];
    const describe = (op: Recorded) => `${op.kind}#w${op.worker}@${op.start.toFixed(1)}-${op.end.toFixed(1)}`;
    for (const op of history) {
      if (op.status !== 200 && !(op.kind === 'logout' && op.asSelf && op.status === 401)) {
        // A self-logout of a session already ended is anonymous: 401 is its right answer.
        problems.push(`${describe(op)} answered ${op.status}: ${op.answer.text.slice(0, 200)}`);
      }
    }
    /** The operations that end a session if they run after its creation. */
    const endingOps = (session: Known): Recorded[] =>
      history.filter(
        (op) =>
          op.status === 200 &&
          ((op.kind === 'logout' && op.token === session.token) ||
            (op.kind === 'logoutByHandle' && session.handle !== undefined && op.handles.includes(session.handle)) ||
            (op.kind === 'logoutByUser' && op.user._id === session.user._id)),
      );
    const live = new Set((await emulator.tenant.sessions.listAll()).map((session) => session.tokenId));
    let mustLive = 0;
    let mustGone = 0;
    let either = 0;
    for (const session of known) {
      const login = session.login;
      // Enders that finished before the login began acted on earlier sessions, not this one.
      const enders = endingOps(session).filter((op) => op.end >= login.start);
      // Only a logoutByUser can overlap the login (tokens and handles are known after it answers).
      const effective = enders.filter(
        (op) => op.start > login.end || (op.kind === 'logout' && op.result === 'Successfully logged out'),
      );
      const overlapping = enders.filter((op) => op.start <= login.end && op.end >= login.start);
      const expected = effective.length > 0 ? 'gone' : overlapping.length > 0 ? 'either' : 'live';
      if (expected === 'live') mustLive += 1;
      else if (expected === 'gone') mustGone += 1;
      else either += 1;
      const actual = live.has(session.token) ? 'live' : 'gone';
      if (expected !== 'either' && expected !== actual) {
        problems.push(
          `session of ${session.user.userName} from ${describe(login)} is ${actual}, the model says ${expected} (enders: ${enders.map(describe).join(', ') || 'none'})`,
        );
      }
      // Logout: the session's own end is acknowledged once at most; "expired" only after another ender began.
      const logouts = history.filter(
        (op): op is Recorded & { kind: 'logout' } =>
          op.kind === 'logout' && op.token === session.token && op.status === 200,
      );
      const succeeded = logouts.filter((op) => op.result === 'Successfully logged out');
      if (succeeded.length > 1)
        problems.push(`session of ${session.user.userName} was logged out ${succeeded.length} times`);
      if (succeeded.length > 0 && actual === 'live')
        problems.push(
          `session of ${session.user.userName} is live after ${describe(succeeded[0] as Recorded)} acknowledged its logout`,
        );
      for (const logout of logouts) {
        if (logout.result === 'Token has expired' && !enders.some((op) => op !== logout && op.start < logout.end)) {
          problems.push(
            `${describe(logout)} found the session of ${session.user.userName} gone, though nothing had ended it (lost)`,
          );
        }
      }
      // Reads: valid only while no acknowledged ender had finished; invalid only once an ender had begun.
      const reads = history.filter(
        (op): op is Recorded & { kind: 'validate' | 'refresh' | 'getSessionInfo' } =>
          (op.kind === 'validate' || op.kind === 'refresh' || op.kind === 'getSessionInfo') &&
          op.token === session.token &&
          op.status === 200,
      );
      for (const read of reads) {
        const endedBefore = enders.filter(
          (op) =>
            op.end < read.start &&
            (op.start > login.end || (op.kind === 'logout' && op.result === 'Successfully logged out')),
        );
        if (read.valid && endedBefore.length > 0)
          problems.push(
            `${describe(read)} answered valid after ${describe(endedBefore[0] as Recorded)} had ended the session (resurrected)`,
          );
        if (!read.valid && !enders.some((op) => op.start < read.end))
          problems.push(`${describe(read)} answered invalid though nothing had ended the session (lost)`);
      }
      // Once invalid, never valid again.
      for (const a of reads)
        for (const b of reads)
          if (!a.valid && b.valid && b.start > a.end)
            problems.push(`${describe(b)} answered valid after ${describe(a)} had answered invalid`);
    }
    for (const token of live)
      if (!byToken.has(token)) problems.push(`a live session no login created: ${token.slice(0, 8)}…`);
    problems.push(...storeOf(emulator).checkInvariants());

    const counts = new Map<string, number>();
    for (const op of history) counts.set(op.kind, (counts.get(op.kind) ?? 0) + 1);
    const stoppedAtAStep = history.filter(
      (op) => op.kind === 'login' && op.status === 200 && op.token === undefined,
    ).length;
    console.info(
      `[concurrency] sessions: ${history.length} operations by ${WORKERS} workers in ${elapsed} ms (seed ${SEED}): ${[...counts].map(([kind, n]) => `${kind} ${n}`).join(', ')}; ` +
        `${known.length} sessions created (${stoppedAtAStep} logins stopped at a journey step), ${live.size} live at the end (model: ${mustLive} must live, ${mustGone} must be gone, ${either} either)`,
    );
    expect(problems, `seed ${SEED}`).toEqual([]);
    expect(history.length).toBe(WORKERS * OPERATIONS_PER_WORKER);
    // The schedule met the interesting cases.
    expect(mustGone).toBeGreaterThan(10);
    expect(mustLive).toBeGreaterThan(5);
  });
});

// ---------------------------------------------------------------------------------------------
// Journeys: many users signing in step by step at once
// ---------------------------------------------------------------------------------------------

describe('concurrency: journeys of different users at once', () => {
  let emulator: Emulator;
  let accounts: Account[];

  beforeAll(async () => {
    emulator = await startEmulator();
    accounts = await createUsers(emulator);
  });
  afterAll(() => emulator.close());

  const headers = { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' };
  const path = `${ALPHA}/authenticate?authIndexType=service&authIndexValue=Login`;

  /** The preferences a created user's client chooses on its third login: different for each user. */
  const PATTERNS: Record<string, { updates: boolean; marketing: boolean }> = {
    'conc-ana': { updates: true, marketing: false },
    'conc-ben': { updates: false, marketing: true },
    'conc-cy': { updates: false, marketing: false },
  };

  it('each client gets a session of its own user; answers and journey state never cross between users', async () => {
    const next = random(SEED);
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(next() * 4)));
    const stats = { journeys: 0, steps: 0, failures: 0, preferencePages: 0 };
    const problems: string[] = [];

    /** One journey from start to end for `account`; returns the final answer. */
    const signIn = async (client: JarClient, account: Account, password: string): Promise<RawResponse> => {
      await pause();
      let response = await client.request(path, { method: 'POST', headers, body: '{}' });
      stats.journeys += 1;
      for (let step = 0; step < 5 && response.status === 200 && response.json?.authId; step += 1) {
        const body = response.json;
        const types: string[] = body.callbacks.map((callback: { type: string }) => callback.type);
        for (const callback of body.callbacks) {
          const input = callback.input?.[0];
          if (!input) continue;
          if (callback.type === 'ValidatedCreateUsernameCallback' || callback.type === 'NameCallback')
            input.value = account.userName;
          else if (callback.type === 'ValidatedCreatePasswordCallback' || callback.type === 'PasswordCallback')
            input.value = password;
          else if (callback.type === 'BooleanAttributeInputCallback') {
            const name = callback.output.find((output: { name: string }) => output.name === 'name')?.value as string;
            const pattern = PATTERNS[account.userName];
            if (!pattern)
              problems.push(`${account.userName} was asked for preferences it already has (${types.join(', ')})`);
            input.value = name.endsWith('updates') ? pattern?.updates : pattern?.marketing;
          } else problems.push(`${account.userName}: unexpected callback ${callback.type}`);
        }
        if (types.includes('BooleanAttributeInputCallback')) stats.preferencePages += 1;
        await pause();
        response = await client.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
        stats.steps += 1;
      }
      return response;
    };

    /** A client signs in `times` times (a wrong password first when asked), checking each session. */
    const clientRun = async (account: Account, times: number, wrongFirst: boolean): Promise<string[]> => {
      const client = new JarClient(emulator.url);
      const tokens: string[] = [];
      if (wrongFirst) {
        const failed = await signIn(client, account, `${account.password}-wrong`);
        stats.failures += 1;
        if (failed.status !== 401 || failed.json?.message !== 'Login failure')
          problems.push(`${account.userName} with a wrong password: ${failed.status} ${failed.text.slice(0, 200)}`);
      }
      for (let i = 0; i < times; i += 1) {
        const final = await signIn(client, account, account.password);
        const tokenId = final.json?.tokenId;
        if (final.status !== 200 || typeof tokenId !== 'string' || tokenId === '') {
          problems.push(`${account.userName} sign-in ${i + 1}: ${final.status} ${final.text.slice(0, 200)}`);
          continue;
        }
        tokens.push(tokenId);
        const session = await emulator.tenant.sessions.getByToken(tokenId);
        if (session?.userId !== account._id)
          problems.push(`${account.userName} got a session of ${String(session?.userId)}`);
        if ((await client.cookie(emulator.cookieName)) !== tokenId)
          problems.push(`${account.userName}'s jar does not hold its own session`);
        const me = await client.request(`${ALPHA}/users?_action=idFromSession`, {
          method: 'POST',
          headers: { ...V, 'x-requested-with': 'XMLHttpRequest' },
          body: '{}',
        });
        if (me.json?.id !== account._id)
          problems.push(`${account.userName}'s idFromSession says ${String(me.json?.id)}`);
        // Sign out before the next round (the jar's cookie names this session): a fresh journey each time.
        await client.request(`${ALPHA}/sessions/?_action=logout`, {
          method: 'POST',
          headers: { ...V, 'x-requested-with': 'XMLHttpRequest' },
          body: '{}',
        });
      }
      return tokens;
    };

    const started = performance.now();
    // Two clients each for the demo users (same user at once), one for each created user; three
    // sign-ins each, so the created users meet ProgressiveProfile's preferences page on the third.
    const plans = accounts.flatMap(
      (account, index) =>
        (index < 3
          ? [
              [account, 3, index === 0],
              [account, 2, false],
            ]
          : [[account, 3, index === 4]]) as [Account, number, boolean][],
    );
    const results = await Promise.all(
      plans.map(([account, times, wrongFirst]) => clientRun(account, times, wrongFirst)),
    );
    const elapsed = Math.round(performance.now() - started);

    const all = results.flat();
    if (new Set(all).size !== all.length) problems.push('two sign-ins answered the same tokenId');
    for (const userName of Object.keys(PATTERNS)) {
      const user = emulator.tenant.users.findByUserName('/alpha', userName);
      const stored = emulator.tenant.users.idmView(user!)['preferences'];
      if (JSON.stringify(stored) !== JSON.stringify(PATTERNS[userName]))
        problems.push(
          `${userName}'s preferences are ${JSON.stringify(stored)}, it chose ${JSON.stringify(PATTERNS[userName])}`,
        );
    }
    for (const account of accounts.slice(0, 3)) {
      const stored = emulator.tenant.users.idmView(emulator.tenant.users.get(account._id)!)['preferences'];
      if (JSON.stringify(stored) !== JSON.stringify({ updates: true, marketing: true }))
        problems.push(`${account.userName}'s preferences changed to ${JSON.stringify(stored)}`);
    }
    // Each run the emulator recorded signed in the user whose client drove it.
    const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result as {
      status: string;
      user?: { userName: string };
    }[];
    const successes = runs.filter((run) => run.status === 'success');
    if (successes.length !== all.length)
      problems.push(`${successes.length} successful runs recorded for ${all.length} sign-ins`);
    const perUser = new Map<string, number>();
    for (const run of successes)
      perUser.set(run.user?.userName ?? '?', (perUser.get(run.user?.userName ?? '?') ?? 0) + 1);
    for (const [account, times] of plans) perUser.set(account.userName, (perUser.get(account.userName) ?? 0) - times);
    for (const [userName, difference] of perUser)
      if (difference !== 0)
        problems.push(`runs signed in ${userName} ${difference > 0 ? 'more' : 'fewer'} times than its clients did`);
    expect(storeOf(emulator).checkInvariants()).toEqual([]);
    expect(await emulator.tenant.sessions.count()).toBe(0);

    console.info(
      `[concurrency] journeys: ${plans.length} clients, ${stats.journeys} journeys (${all.length} sign-ins, ${stats.failures} wrong passwords), ${stats.steps} steps, ${stats.preferencePages} preference pages, in ${elapsed} ms (seed ${SEED})`,
    );
    expect(problems, `seed ${SEED}`).toEqual([]);
    expect(stats.preferencePages).toBe(3);
  });
});
