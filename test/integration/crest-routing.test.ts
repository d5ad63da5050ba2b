/**
 * How AM's CREST routes read a request before any action runs: `X-HTTP-Method-Override` on a POST,
 * and resource, action and handle names that are also names of `Object.prototype`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { ALPHA, DEMO, asAdmin, login, sessionsAction, startEmulator, withToken } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('X-HTTP-Method-Override', () => {
  it('turns a POST into the method it names', async () => {
    const response = await http(`${emulator.url}${ALPHA}/sessions`, {
      method: 'POST',
      headers: { ...asAdmin(emulator), 'accept-api-version': 'resource=4.0', 'x-http-method-override': 'DELETE' },
    });
    expect(response.json).toEqual({
      code: 400,
      reason: 'Bad Request',
      message: 'The resource collection  cannot be deleted',
    });
  });
});

describe('prototype-named input', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'a resource or action named %s is an AM-shaped 4xx',
    async (name) => {
      const path = await http(`${emulator.url}/am/json/${name}`);
      expect(path.status).toBe(404);
      const token = await login(emulator, DEMO);
      const user = await sessionsAction(emulator, name, { headers: withToken(emulator, token) });
      expect(user.status).toBe(403);
      const admin = await sessionsAction(emulator, name, { headers: asAdmin(emulator) });
      expect(admin.status).toBe(501);
    },
  );

  it('a session handle named __proto__ is still answered', async () => {
    const response = await sessionsAction(emulator, 'logoutByHandle', {
      headers: asAdmin(emulator),
      body: '{"sessionHandles":["__proto__"]}',
    });
    expect(response.text).toBe('{"result":{"__proto__":true}}');
  });
});
