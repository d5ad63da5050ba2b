/**
 * What each AM endpoint answers while the tenant's Redis is away, as AM answers while its session
 * store (the CTS) is unavailable (docs/fidelity.md, "The session store unavailable"; AM's source,
 * OpenAM 16.1.2: a session that cannot be read is one that does not exist; a query or a login
 * that cannot complete is a 500), and the health probes: liveness and readiness, without the
 * control token, readiness false while Redis is away and true once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { SCRIPT_CALL_HEADER } from '../../emulator/journeys/scripts/host.js';
import { http } from '../helpers/http.js';
import { hasRedisServer, TestRedisServer } from '../helpers/redis-server.js';
import { testPrefix } from '../helpers/redis.js';
import {
  ALPHA,
  asAdmin,
  DEMO,
  login,
  sessionsAction,
  startEmulator,
  startEmulatorClosedAfterEach,
  withCookie,
} from '../helpers/tenant.js';

describe('health probes need no control token', () => {
  const start = startEmulatorClosedAfterEach();

  it('with a control token configured, health and ready answer without it; other control routes still ask for it', async () => {
    const emulator = await start({ controlToken: 'trainer-only-token' });
    const health = await http(`${emulator.url}/__emulator/health`);
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    const ready = await http(`${emulator.url}/__emulator/ready`);
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', checks: { store: { ok: true } } });
    expect(ready.headers['cache-control']).toBe('no-store');
    const tenant = await http(`${emulator.url}/__emulator/tenant`);
    expect(tenant.status).toBe(401);
    expect(tenant.text).not.toContain(emulator.adminToken);
    // The other checks of the guard still hold for the probes: a journey script's call is refused.
    const fromScript = await http(`${emulator.url}/__emulator/ready`, { headers: { [SCRIPT_CALL_HEADER]: '1' } });
    expect(fromScript.status).toBe(403);
    expect(fromScript.json).toMatchObject({ code: 403, reason: 'Forbidden' });
  });

  it('the probes answer only to the tenant’s own host names on loopback (no DNS rebinding)', async () => {
    const emulator = await start();
    const rebound = await http(`${emulator.url}/__emulator/ready`, { headers: { host: 'attacker.example' } });
    expect(rebound.status).toBe(403);
    expect(rebound.json).toMatchObject({ code: 403, reason: 'Forbidden' });
  });
});

const available = hasRedisServer();

describe.skipIf(!available)('AM while the tenant’s Redis is away', () => {
  let server: TestRedisServer;
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    server = await TestRedisServer.start('aof-everysec');
    emulator = await startEmulator({
      store: { kind: 'redis', redisUrl: server.url, keyPrefix: testPrefix('outage'), timeoutMs: 500 },
      logger: false,
    });
    token = await login(emulator, DEMO);
    await server.stop();
  });
  afterAll(async () => {
    await emulator?.close();
    await server?.destroy();
  });

  it('readiness says why it is not ready (AM’s error body, 503, checks in detail)', async () => {
    const ready = await http(`${emulator.url}/__emulator/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({
      code: 503,
      reason: 'Service Unavailable',
      message: expect.stringMatching(/^Not ready\. store: /),
      detail: {
        checks: {
          store: { ok: false, detail: expect.stringMatching(/Redis/) },
          tenantSync: { ok: false, detail: expect.any(String) },
        },
      },
    });
    const health = await http(`${emulator.url}/__emulator/health`);
    expect(health.json).toEqual({ status: 'ok' });
  });

  it('a login is AM’s 500 "Authentication Error!!"', async () => {
    const response = await http(`${emulator.url}${ALPHA}/authenticate`, {
      method: 'POST',
      headers: {
        'x-openam-username': DEMO.userName,
        'x-openam-password': DEMO.password,
        'accept-api-version': 'resource=2.0, protocol=1.0',
      },
    });
    expect(response.status).toBe(500);
    expect(response.json).toEqual({ code: 500, reason: 'Internal Server Error', message: 'Authentication Error!!' });
  });

  it('validate answers {"valid":false}: a session AM cannot read is one that does not exist', async () => {
    const response = await sessionsAction(emulator, 'validate', { body: { tokenId: token } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ valid: false });
  });

  it('the caller’s own session cannot be read: getSessionInfo is AM’s 401 Access Denied', async () => {
    const response = await sessionsAction(emulator, 'getSessionInfo', {
      headers: withCookie(emulator, token),
      version: 'resource=4.0, protocol=1.0',
    });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ code: 401, reason: 'Unauthorized' });
  });

  it('logout of a session AM cannot read: "Token has expired"', async () => {
    const response = await sessionsAction(emulator, 'logout', {
      headers: { ...asAdmin(emulator), [emulator.cookieName]: token },
      version: 'resource=3.1, protocol=1.0',
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ result: 'Token has expired' });
  });

  it('the session query is AM’s 500 "Unable to query for matching sessions"', async () => {
    const response = await http(
      `${emulator.url}${ALPHA}/sessions?_queryFilter=${encodeURIComponent(`username eq "${DEMO._id}" and realm eq "/alpha"`)}`,
      { headers: { ...asAdmin(emulator), 'accept-api-version': 'resource=5.1, protocol=1.0' } },
    );
    expect(response.status).toBe(500);
    expect(response.json).toEqual({
      code: 500,
      reason: 'Internal Server Error',
      message: 'Unable to query for matching sessions',
    });
  });

  it('logoutByHandle: false for each handle the store could not end (AM’s LogoutByHandleActionHandler)', async () => {
    const response = await sessionsAction(emulator, 'logoutByHandle', {
      headers: asAdmin(emulator),
      body: { sessionHandles: ['shandle:one', 'shandle:two', 'shandle:three'] },
      version: 'resource=5.1, protocol=1.0',
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ result: { 'shandle:one': false, 'shandle:two': false, 'shandle:three': false } });
  });

  it('logoutByUser by an administrator is a 500 (the failed write CREST answers)', async () => {
    const response = await sessionsAction(emulator, 'logoutByUser', {
      headers: asAdmin(emulator),
      body: { username: DEMO._id },
      version: 'resource=5.1, protocol=1.0',
    });
    expect(response.status).toBe(500);
    expect(response.json).toEqual({ code: 500, reason: 'Internal Server Error', message: 'Internal Server Error' });
  });

  it('a control change the store cannot share is refused with 503, naming the outage', async () => {
    const response = await http(`${emulator.url}/__emulator/esvs/esv-during-outage`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'x' }),
    });
    expect(response.status).toBe(503);
    expect(response.json).toEqual({
      code: 503,
      reason: 'Service Unavailable',
      message: expect.stringMatching(
        /^The tenant's store \(Redis\) is unavailable: .+ not ready \(GET \/__emulator\/ready\)$/,
      ),
    });
  });

  it('once Redis is back (AOF kept it): ready, the session valid again, the refused change gone', async () => {
    await server.start();
    for (let attempt = 0; ; attempt += 1) {
      const ready = await http(`${emulator.url}/__emulator/ready`);
      if (ready.status === 200) break;
      if (attempt > 500) throw new Error(`never ready: ${ready.text}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const response = await sessionsAction(emulator, 'validate', { body: { tokenId: token } });
    expect(response.json).toMatchObject({ valid: true });
    const esvs = (await http(`${emulator.url}/__emulator/esvs`)).json.result as { name: string }[];
    expect(esvs.map((esv) => esv.name)).not.toContain('esv-during-outage');
  });
});
