/**
 * The authorization matrix of the sessions endpoint (AM source: SessionResourceAuthzModule, TokenOwnerAuthzModule),
 * exhaustively: every action (and the unsupported operations) × every kind of caller, against a target session
 * owned by one user. Each case also checks that a refused call left the target alone.
 *
 * Callers: the owner (their own token, in the header named after the cookie); another user of
 * the realm; the admin bearer token; a tenant administrator's session; nobody; and the owner's
 * token after it expired.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/config/demo-tenant.js';
import { ALPHA, BJENSEN, DEMO, ROOT, login, startEmulator } from '../helpers/tenant.js';
import { http, type RawResponse } from '../helpers/http.js';

type CallerKind = 'owner' | 'other' | 'adminBearer' | 'adminSession' | 'none' | 'expired';
const CALLERS: CallerKind[] = ['owner', 'other', 'adminBearer', 'adminSession', 'none', 'expired'];

interface Setup {
  target: string;
  expired: string;
  headers: Record<string, string>;
  caller: CallerKind;
}

interface Operation {
  name: string;
  /** Sends the request; `targetInBody` is false for the owner, who acts on their own session implicitly. */
  send(emulator: Emulator, setup: Setup): Promise<RawResponse>;
  /** Expected status per caller. */
  expect: Record<CallerKind, number>;
  /** True when a 200 ends the target session. */
  ends?: boolean;
  /** Checks the body of a 200 (a wrong answer is often a 200 too, e.g. {"valid":false}). */
  check?: ((body: any, caller: CallerKind) => void) | undefined;
}

const V = { 'content-type': 'application/json', 'accept-api-version': 'resource=4.0, protocol=1.0' };

function action(
  name: string,
  body: (setup: Setup) => unknown,
  expected: Record<CallerKind, number>,
  options: { ends?: boolean; check?: Operation['check'] } = {},
): Operation {
  return {
    name,
    send: (emulator, setup) =>
      http(`${emulator.url}${ALPHA}/sessions/?_action=${name}`, {
        method: 'POST',
        headers: { ...V, ...setup.headers },
        body: JSON.stringify(body(setup)),
      }),
    expect: expected,
    ...options,
  };
}

const isDemoSessionInfo = (body: any) => {
  expect(body.username).toBe(DEMO._id);
  expect(body.realm).toBe('/alpha');
};

/** The target token in the body, except for the owner and the expired caller, who act on "their own". */
const targetBody = (setup: Setup) =>
  setup.caller === 'owner' || setup.caller === 'expired' ? {} : { tokenId: setup.target };

const OPERATIONS: Operation[] = [
  // With no credential at all, a valid tokenId in the body is itself the credential
  // [real: the 2026 admin-login recording].
  action(
    'getSessionInfo',
    targetBody,
    { owner: 200, other: 403, adminBearer: 200, adminSession: 200, none: 200, expired: 401 },
    { check: isDemoSessionInfo },
  ),
  action(
    'getSessionInfoAndResetIdleTime',
    targetBody,
    { owner: 200, other: 403, adminBearer: 200, adminSession: 200, none: 200, expired: 401 },
    { check: isDemoSessionInfo },
  ),
  action(
    'validate',
    targetBody,
    { owner: 200, other: 200, adminBearer: 200, adminSession: 200, none: 200, expired: 200 },
    {
      // The expired caller validates its own (expired) token; everyone else the live target.
      check: (body, caller) =>
        expect(body).toEqual(
          caller === 'expired' ? { valid: false } : expect.objectContaining({ valid: true, uid: DEMO._id }),
        ),
    },
  ),
  action(
    'refresh',
    targetBody,
    { owner: 403, other: 403, adminBearer: 200, adminSession: 200, none: 401, expired: 401 },
    {
      check: (body) => expect(body).toMatchObject({ uid: DEMO._id, realm: '/alpha', maxidletime: 30 }),
    },
  ),
  action(
    'logout',
    targetBody,
    { owner: 200, other: 200, adminBearer: 200, adminSession: 200, none: 401, expired: 401 },
    {
      ends: true,
      check: (body) => expect(body).toEqual({ result: 'Successfully logged out' }),
    },
  ),
  action(
    'getSessionProperties',
    targetBody,
    { owner: 200, other: 403, adminBearer: 200, adminSession: 200, none: 401, expired: 401 },
    {
      check: (body) => expect(Object.keys(body).sort()).toEqual(['AMCtxId', 'LoginLocation']),
    },
  ),
  action(
    'updateSessionProperties',
    (setup) => ({ ...targetBody(setup), LoginLocation: 'here' }),
    { owner: 200, other: 403, adminBearer: 200, adminSession: 200, none: 401, expired: 401 },
    {
      check: (body) => expect(body.LoginLocation).toBe('here'),
    },
  ),
  action(
    'logoutByUser',
    () => ({ username: DEMO._id }),
    { owner: 200, other: 403, adminBearer: 200, adminSession: 200, none: 401, expired: 401 },
    {
      ends: true,
      check: (body) => expect(body).toEqual({ result: true }),
    },
  ),
  {
    name: 'logoutByHandle',
    send: async (emulator, setup) => {
      const handle = (await emulator.tenant.sessions.getByToken(setup.target))?.handle ?? 'shandle:none';
      return http(`${emulator.url}${ALPHA}/sessions/?_action=logoutByHandle`, {
        method: 'POST',
        headers: { ...V, ...setup.headers },
        body: JSON.stringify({ sessionHandles: [handle] }),
      });
    },
    expect: { owner: 403, other: 403, adminBearer: 200, adminSession: 200, none: 401, expired: 401 },
    ends: true,
    check: (body) => expect(Object.values(body.result)).toEqual([true]),
  },
  {
    name: 'query',
    send: (emulator, setup) =>
      http(
        `${emulator.url}${ALPHA}/sessions?_queryFilter=${encodeURIComponent(`username eq "${DEMO._id}" and realm eq "/alpha"`)}`,
        { headers: { ...V, ...setup.headers } },
      ),
    expect: { owner: 403, other: 403, adminBearer: 200, adminSession: 200, none: 401, expired: 401 },
    check: (body) => {
      expect(body.resultCount).toBe(1); // the target; the owner's other (expired) session is not listed
      for (const item of body.result) expect(item.username).toBe(DEMO._id);
    },
  },
  action('noSuchAction', targetBody, {
    owner: 403,
    other: 403,
    adminBearer: 501,
    adminSession: 501,
    none: 401,
    expired: 401,
  }),
  ...(['GET', 'PUT', 'PATCH', 'DELETE'] as const).map((method): Operation => ({
    name: `${method} on a session instance`,
    send: (emulator, setup) =>
      http(`${emulator.url}${ALPHA}/sessions/some-id`, {
        method,
        headers: { ...V, ...setup.headers },
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
      }),
    expect: { owner: 403, other: 403, adminBearer: 501, adminSession: 501, none: 401, expired: 401 },
  })),
  {
    name: 'create on the collection',
    send: (emulator, setup) =>
      http(`${emulator.url}${ALPHA}/sessions?_action=create`, {
        method: 'POST',
        headers: { ...V, ...setup.headers },
        body: '{}',
      }),
    expect: { owner: 403, other: 403, adminBearer: 501, adminSession: 501, none: 401, expired: 401 },
  },
  ...(['GET', 'PUT', 'PATCH', 'DELETE'] as const).map((method): Operation => ({
    name: `${method} on the collection`,
    send: (emulator, setup) =>
      http(`${emulator.url}${ALPHA}/sessions`, {
        method,
        headers: { ...V, ...setup.headers },
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: method === 'PATCH' ? '[]' : '{}' }),
      }),
    // CREST refuses read/update/delete/patch of a collection's own URL with a 400, after authorization.
    expect: { owner: 403, other: 403, adminBearer: 400, adminSession: 400, none: 401, expired: 401 },
  })),
];

let emulator: Emulator;
let adminToken: string;

beforeAll(async () => {
  emulator = await startEmulator({ config: { session: { propertyAllowList: ['AMCtxId', 'LoginLocation'] } } });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.reset();
  adminToken = await login(emulator, { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD }, ROOT);
});

async function prepare(caller: CallerKind): Promise<Setup> {
  // An expired token of the owner: created, then left idle past 30 minutes.
  const expired = await login(emulator, DEMO);
  emulator.advanceClock(31 * 60);
  adminToken = await login(emulator, { userName: 'tenant-admin@example.com', password: DEMO_ADMIN_PASSWORD }, ROOT);
  const target = await login(emulator, DEMO);
  const header = (token: string) => ({ [emulator.cookieName]: token });
  const headers: Record<CallerKind, Record<string, string>> = {
    owner: header(target),
    other: header(await login(emulator, BJENSEN)),
    adminBearer: { authorization: `Bearer ${emulator.adminToken}` },
    adminSession: header(adminToken),
    none: {},
    expired: header(expired),
  };
  return { target, expired, headers: headers[caller], caller };
}

describe.each(OPERATIONS)('$name', (operation) => {
  it.each(CALLERS)('as %s', async (caller) => {
    const setup = await prepare(caller);
    const response = await operation.send(emulator, setup);
    const want = operation.expect[caller];
    expect(response.status, `${operation.name} as ${caller}: ${response.text}`).toBe(want);
    if (want !== 200) {
      expect(Object.keys(response.json ?? {})).toEqual(['code', 'reason', 'message']);
      expect(response.json.code).toBe(want);
    } else {
      operation.check?.(response.json, caller);
    }
    const stillLive = (await emulator.tenant.sessions.getByToken(setup.target)) !== undefined;
    expect(stillLive).toBe(!(want === 200 && operation.ends === true && caller !== 'expired'));
  });
});

describe('the answers behind the statuses', () => {
  it('401 is Access Denied, 403 is Forbidden, an admin’s unknown action is 501 with AM’s message', async () => {
    const setup = await prepare('other');
    const forbidden = await OPERATIONS.find((o) => o.name === 'refresh')!.send(emulator, setup);
    expect(forbidden.json).toEqual({ code: 403, reason: 'Forbidden', message: 'Forbidden' });
    const anonymous = await OPERATIONS.find((o) => o.name === 'refresh')!.send(emulator, {
      ...setup,
      headers: {},
      caller: 'none',
    });
    expect(anonymous.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Access Denied' });
    const admin = await OPERATIONS.find((o) => o.name === 'noSuchAction')!.send(emulator, {
      ...setup,
      headers: { authorization: `Bearer ${emulator.adminToken}` },
      caller: 'adminBearer',
    });
    expect(admin.json).toEqual({
      code: 501,
      reason: 'Not Implemented',
      message: 'Action noSuchAction not implemented for this resource',
    });
    const instance = await OPERATIONS.find((o) => o.name === 'GET on a session instance')!.send(emulator, {
      ...setup,
      headers: { authorization: `Bearer ${emulator.adminToken}` },
      caller: 'adminBearer',
    });
    expect(instance.json).toEqual({ code: 501, reason: 'Not Implemented', message: 'Operation is not supported.' });
    const collection = await OPERATIONS.find((o) => o.name === 'DELETE on the collection')!.send(emulator, {
      ...setup,
      headers: { authorization: `Bearer ${emulator.adminToken}` },
      caller: 'adminBearer',
    });
    expect(collection.json).toEqual({
      code: 400,
      reason: 'Bad Request',
      message: 'The resource collection  cannot be deleted',
    });
  });

  it('a bearer token that is not the admin token authenticates nobody', async () => {
    const setup = await prepare('none');
    const response = await http(`${emulator.url}${ALPHA}/sessions/?_action=refresh`, {
      method: 'POST',
      headers: { ...V, authorization: 'Bearer not-the-token' },
      body: JSON.stringify({ tokenId: setup.target }),
    });
    expect(response.status).toBe(401);
  });

  it('a user may end only their own sessions with logoutByUser; naming another user is 403 and ends nothing', async () => {
    const other = await login(emulator, BJENSEN);
    const mine = await login(emulator, DEMO);
    const response = await http(`${emulator.url}${ALPHA}/sessions/?_action=logoutByUser`, {
      method: 'POST',
      headers: { ...V, [emulator.cookieName]: mine },
      body: JSON.stringify({ username: BJENSEN._id }),
    });
    expect(response.status).toBe(403);
    expect(await emulator.tenant.sessions.getByToken(other)).toBeDefined();
    expect(await emulator.tenant.sessions.getByToken(mine)).toBeDefined();
  });

  it('validate is exempt from authentication only under its exact name', async () => {
    const setup = await prepare('none');
    const response = await http(`${emulator.url}${ALPHA}/sessions/?_action=VALIDATE`, {
      method: 'POST',
      headers: V,
      body: JSON.stringify({ tokenId: setup.target }),
    });
    expect(response.status).toBe(401);
  });
});
