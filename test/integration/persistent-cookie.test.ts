/**
 * Persistent cookies over the wire: a journey that signs in with a password and a Set Persistent
 * Cookie node answers a `session-jwt` Set-Cookie beside the session's; a journey that starts with
 * Persistent Cookie Decision signs that browser in again without a password, until the cookie has
 * been idle too long on the tenant clock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http, setCookies } from '../helpers/http.js';
import { callbackTypes, journey } from '../helpers/journey.js';
import { DEMO, startEmulator } from '../helpers/tenant.js';

const NAME = 'b1000000-0000-4000-8000-000000000001';
const PASSWORD = 'b1000000-0000-4000-8000-000000000002';
const CHECK = 'b1000000-0000-4000-8000-000000000003';
const SET = 'b1000000-0000-4000-8000-000000000004';
const DECIDE = 'b1000000-0000-4000-8000-000000000005';

const node = (id: string, type: string, connections: Record<string, string>, config: Record<string, unknown> = {}) => ({
  id,
  type,
  name: type,
  x: 1,
  y: 1,
  connections,
  config,
});

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

beforeEach(async () => {
  await emulator.reset();
  const imported = await http(`${emulator.url}/__emulator/import?realm=alpha`, {
    method: 'POST',
    body: JSON.stringify({
      trees: {
        RememberMe: treeExport({
          name: 'RememberMe',
          description: 'password, then a persistent cookie',
          entry: NAME,
          nodes: [
            node(NAME, 'UsernameCollectorNode', { outcome: PASSWORD }),
            node(PASSWORD, 'PasswordCollectorNode', { outcome: CHECK }),
            node(CHECK, 'DataStoreDecisionNode', { true: SET, false: END.failure }),
            node(SET, 'SetPersistentCookieNode', { outcome: END.success }, { idleTimeout: 1, maxLife: 24 }),
          ],
        }),
        Returning: treeExport({
          name: 'Returning',
          description: 'the persistent cookie, else a failure',
          entry: DECIDE,
          nodes: [
            node(DECIDE, 'PersistentCookieDecisionNode', { true: END.success, false: END.failure }, { idleTimeout: 1 }),
          ],
        }),
      },
    }),
  });
  expect(imported.status, imported.text).toBe(200);
  expect(imported.json.problems ?? []).toEqual([]);
});

async function rememberedCookie(): Promise<string> {
  const first = await journey(emulator, 'RememberMe').start();
  expect(callbackTypes(first)).toEqual(['NameCallback']);
  const second = await first.answer(0, DEMO.userName).next();
  const done = await second.answer(0, DEMO.password).next();
  expect(done.body.tokenId, done.response.text).toEqual(expect.any(String));
  const cookie = setCookies(done.response).find((item) => item.startsWith('session-jwt='));
  expect(cookie).toMatch(
    /^session-jwt=[\w-]+\.[\w-]+\.[\w-]+; Expires=Sat, 11 Jul 2026 01:34:08 GMT; Path=\/; Secure; HttpOnly$/,
  );
  return (cookie as string).split(';')[0] as string;
}

describe('persistent cookies', () => {
  it('Set Persistent Cookie: a session-jwt cookie beside the session’s, expiring after maxLife', async () => {
    await rememberedCookie();
  });

  it('Persistent Cookie Decision: the cookie signs the user in again, and is set again', async () => {
    const cookie = await rememberedCookie();
    await http(`${emulator.url}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 1800 }) });
    const again = await journey(emulator, 'Returning', { headers: { cookie } }).start();
    expect(again.body.tokenId, again.response.text).toEqual(expect.any(String));
    expect(setCookies(again.response).some((item) => item.startsWith('session-jwt='))).toBe(true);
    // The first session has been idle 30 minutes, its limit: the new one is the user's session.
    const sessions = (await http(`${emulator.url}/__emulator/sessions`)).json.result as { tokenId: string }[];
    expect(sessions.map((session) => session.tokenId)).toEqual([again.body.tokenId]);
  });

  it('idle longer than idleTimeout on the tenant clock, or no cookie: failure', async () => {
    const cookie = await rememberedCookie();
    const without = await journey(emulator, 'Returning').start();
    expect(without.response.status).toBe(401);
    await http(`${emulator.url}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 3601 }) });
    const idle = await journey(emulator, 'Returning', { headers: { cookie } }).start();
    expect(idle.response.status).toBe(401);
  });
});
