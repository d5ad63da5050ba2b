/**
 * `Accept-API-Version` negotiation over HTTP (AIC docs, "REST API versions") and AM's CSRF rule.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import {
  ALPHA,
  DEMO,
  asAdmin,
  login,
  sessionsAction,
  startEmulator,
  withCookie,
  withToken,
} from '../helpers/tenant.js';
import { http } from '../helpers/http.js';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.reset();
  token = await login(emulator, DEMO);
});

const validate = (version: string | null, extra: Record<string, string> = {}) =>
  sessionsAction(emulator, 'validate', { body: { tokenId: token }, version, headers: extra });

describe('version negotiation on /sessions', () => {
  it.each([
    ['resource=4.0', 'resource=4.0'],
    ['resource=4.0, protocol=1.0', 'resource=4.0'],
    ['protocol=1.0,resource=2.0', 'resource=2.1'],
    ['resource=3.0, protocol=1.0', 'resource=3.1'],
    ['resource=5.1, protocol=1.0', 'resource=5.1'],
    ['resource=5', 'resource=5.1'],
    [' resource = 3.1 ', 'resource=3.1'],
  ])('%s is served as %s (same major, highest minor)', async (requested, served) => {
    const response = await validate(requested);
    expect(response.status).toBe(200);
    expect(response.headers['content-api-version']).toBe(served);
    expect(response.headers['warning']).toBeUndefined();
  });

  it.each(['resource=42.0', 'resource=4.1', 'resource=1.0', 'resource=6.0'])(
    '%s matches no version: 404 with an empty body',
    async (requested) => {
      const response = await validate(requested);
      expect(response.status).toBe(404);
      expect(response.text).toBe('');
      expect(response.headers['content-api-version']).toBeUndefined();
    },
  );

  it('no header: the latest version, with both warnings', async () => {
    const response = await validate(null, { 'x-requested-with': 'test' });
    expect(response.status).toBe(200);
    expect(response.headers['content-api-version']).toBe('resource=5.1');
    expect(response.headers['warning']).toEqual([
      '100 OpenAM REST "No Accept-API-Version specified"',
      '100 chf "Accept-API-Version should be included in the request."',
    ]);
  });

  it.each([
    ['resource=abc', 'Version string is in an invalid format: abc'],
    ['resource=1.2.3', 'Version string is in an invalid format: 1.2.3'],
    ['banana', 'Version string is in an invalid format: banana'],
    ['resource=4.0, protocol=3.0', 'Unsupported major version: 3.0'],
    ['resource=4.0, protocol=1.2', 'Unsupported minor version: 1.2'],
  ])('a header %s is a 400: %s', async (header, message) => {
    const response = await validate(header);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ code: 400, reason: 'Bad Request', message });
  });

  it('authentication is enforced before the version: anonymous + bad version is 401', async () => {
    const response = await sessionsAction(emulator, 'refresh', { body: { tokenId: token }, version: 'resource=42.0' });
    expect(response.status).toBe(401);
  });

  it('an error after negotiation still carries Content-API-Version', async () => {
    const response = await sessionsAction(emulator, 'refresh', {
      headers: withToken(emulator, token),
      version: 'resource=4.0',
    });
    expect(response.status).toBe(403);
    expect(response.headers['content-api-version']).toBe('resource=4.0');
  });
});

describe('version negotiation elsewhere', () => {
  it('/authenticate serves 2.1 for 2.0 and answers an unmatched version with an empty 404', async () => {
    const ok = await http(`${emulator.url}${ALPHA}/authenticate`, {
      method: 'POST',
      headers: {
        'accept-api-version': 'resource=2.0, protocol=1.0',
        'x-openam-username': DEMO.userName,
        'x-openam-password': DEMO.password,
      },
    });
    expect(ok.headers['content-api-version']).toBe('resource=2.1');
    const bad = await http(`${emulator.url}${ALPHA}/authenticate`, {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=3.0' },
    });
    expect(bad.status).toBe(404);
    expect(bad.text).toBe('');
  });

  it('/users answers protocol 2 requests with the doubled Content-API-Version AIC sends', async () => {
    const response = await http(`${emulator.url}${ALPHA}/users/${DEMO._id}`, {
      headers: { ...withToken(emulator, token), 'accept-api-version': 'protocol=2.0,resource=4.0' },
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-api-version']).toBe('protocol=2.0,resource=4.1, resource=4.1');
  });

  it('/serverinfo/* serves 1.1 and 2.0', async () => {
    for (const [requested, served] of [
      ['resource=1.1', 'resource=1.1'],
      ['protocol=2.1,resource=2.0', 'resource=2.0'],
    ]) {
      const response = await http(`${emulator.url}/am/json/serverinfo/*`, {
        headers: { 'accept-api-version': requested as string },
      });
      expect(response.headers['content-api-version']).toBe(served);
    }
  });
});

describe('the CSRF rule', () => {
  it('refuses a state-changing request that carries the session cookie but neither Accept-API-Version nor X-Requested-With', async () => {
    const response = await sessionsAction(emulator, 'logout', { headers: withCookie(emulator, token), version: null });
    expect(response.status).toBe(403);
    expect(response.json).toEqual({ code: 403, reason: 'Forbidden', message: 'Forbidden' });
    expect(await emulator.tenant.sessions.getByToken(token)).toBeDefined();
  });

  it('lets it through with X-Requested-With, or with Accept-API-Version', async () => {
    const withHeader = await sessionsAction(emulator, 'validate', {
      headers: { ...withCookie(emulator, token), 'x-requested-with': 'forgerock-sdk' },
      version: null,
    });
    expect(withHeader.status).toBe(200);
    const withVersion = await sessionsAction(emulator, 'validate', { headers: withCookie(emulator, token) });
    expect(withVersion.status).toBe(200);
  });

  it('does not apply without the cookie (a token in the named header is not sent by browsers on their own)', async () => {
    const response = await sessionsAction(emulator, 'validate', { headers: withToken(emulator, token), version: null });
    expect(response.status).toBe(200);
  });

  it('applies to DELETE and to /authenticate when the session cookie is sent', async () => {
    const del = await http(`${emulator.url}${ALPHA}/sessions/x`, {
      method: 'DELETE',
      headers: withCookie(emulator, token),
    });
    expect(del.status).toBe(403);
    const auth = await http(`${emulator.url}${ALPHA}/authenticate`, {
      method: 'POST',
      headers: { ...withCookie(emulator, token), 'x-openam-username': 'demo', 'x-openam-password': DEMO.password },
    });
    expect(auth.status).toBe(403);
  });

  it('does not apply to GET', async () => {
    const response = await http(
      `${emulator.url}${ALPHA}/sessions?_queryFilter=${encodeURIComponent('realm eq "/alpha"')}`,
      { headers: { ...asAdmin(emulator), cookie: `${emulator.cookieName}=${token}` } },
    );
    expect(response.status).toBe(200);
  });
});
