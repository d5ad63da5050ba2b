/**
 * The how-to's own exports (published in gwizdala/lib-ping; read from `reference/exports/single-logout` in the shared
 * folder), imported unmodified and run end to end over /authenticate by a client with a cookie jar: Part 3 captures
 * the browser's session, calls the external service (a stub), ends every session of the user with their own token,
 * and lands on the Login page, which issues a new session. Part 4 ends at Failure with the user's own failure URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { hasShared, sharedPath } from '../helpers/optional.js';
import { ALPHA, DEMO, SCARTER, asAdmin, login, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { JarClient, authenticate } from '../helpers/jar-client.js';
import { PT3, runPart3, signIn, stubExternalLogout } from '../helpers/single-logout.js';

const available = hasShared();
const PT4 = `${ALPHA}/authenticate?authIndexType=service&authIndexValue=${encodeURIComponent('Pt 4_Failure Redirect By Attribute')}`;

describe.skipIf(!available)('the Single Logout how-to, parts 1 to 4', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ journeys: [sharedPath('reference', 'exports', 'single-logout')] });
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await emulator.reset();
    await stubExternalLogout(emulator);
  });

  it('the four exports import unmodified, with the linter’s finding on Part 3', async () => {
    const { json } = await http(`${emulator.url}/__emulator/journeys?realm=alpha`);
    const names = json.result.map((entry: { name: string }) => entry.name);
    for (const name of [
      'Pt 1_Capture Browser Session',
      'Pt 2_Terminate Session with API Call',
      'Pt 3_Terminate ForgeRock Session',
      'Pt 4_Failure Redirect By Attribute',
    ])
      expect(names).toContain(name);
    const pt3 = json.result.find((entry: { name: string }) => entry.name === 'Pt 3_Terminate ForgeRock Session');
    expect(pt3.problems.filter((problem: { severity: string }) => problem.severity === 'error')).toEqual([]);
    expect(pt3.problems.map((problem: { message: string }) => problem.message)).toContainEqual(
      expect.stringContaining('"No Session"'),
    );
  });

  it('Part 3 end to end: cookie captured, external call stubbed, every session ended, Login reached, a new session issued', async () => {
    const browser = new JarClient(emulator.url);
    const token = await signIn(browser);
    const other = await login(emulator, DEMO);
    await login(emulator, SCARTER);
    const { steps, final } = await runPart3(browser);
    expect(steps).toHaveLength(3);
    expect(steps[0].callbacks[0].output[0].value).toBe(`Captured User Cookie: "${token}"`);
    expect(steps[0].callbacks[1].output).toContainEqual({ name: 'options', value: ['Continue', 'Cancel'] });
    const termination = JSON.parse(
      JSON.parse(steps[1].callbacks[0].output[0].value.replace('Termination Response: ', '')),
    );
    expect(termination).toEqual({ username: DEMO._id, sso_token: '[exampleSSOToken]', id: 101 });
    expect(steps[2].header).toBe('Sign In');
    expect(steps[2].callbacks.map((callback: { type: string }) => callback.type)).toEqual([
      'NameCallback',
      'PasswordCallback',
    ]);
    expect(final.status).toBe(200);
    const newToken = final.json.tokenId as string;
    expect(await browser.cookie(emulator.cookieName)).toBe(newToken);
    expect(await emulator.tenant.sessions.getByToken(token)).toBeUndefined();
    expect(await emulator.tenant.sessions.getByToken(other)).toBeUndefined();
    const remaining = await http(
      `${emulator.url}${ALPHA}/sessions?_queryFilter=${encodeURIComponent('realm eq "/alpha"')}`,
      { headers: { ...asAdmin(emulator), 'accept-api-version': 'resource=4.0' } },
    );
    expect(remaining.json.result.map((session: { username: string }) => session.username).sort()).toEqual(
      [DEMO._id, SCARTER._id].sort(),
    );
    const outbound = (await http(`${emulator.url}/__emulator/journal`)).json.result.filter(
      (entry: { kind: string }) => entry.kind === 'outbound',
    );
    expect(
      outbound.map((entry: { url: string; status: number }) => `${entry.status} ${new URL(entry.url).pathname}`),
    ).toEqual(['201 /posts', '200 /am/json/realms/root/realms/alpha/sessions/']);
  });

  it('Part 3 without a session: Part 1 finds no cookie and the journey fails, as on AIC', async () => {
    const { final } = await authenticate(new JarClient(emulator.url), PT3, () => undefined);
    expect(final.status).toBe(401);
  });

  it('Part 4 ends at Failure with the failure URL from the user’s frUnindexedString3', async () => {
    const browser = new JarClient(emulator.url);
    await signIn(browser);
    const { final } = await authenticate(browser, PT4, () => undefined);
    expect(final.status).toBe(401);
    expect(final.json).toEqual({
      code: 401,
      reason: 'Unauthorized',
      message: 'Login failure',
      detail: { failureUrl: 'https://example.com/goodbye' },
    });
  });

  it('Part 4 for a user without the attribute falls back to the static Failure URL node', async () => {
    const browser = new JarClient(emulator.url);
    await signIn(browser, SCARTER);
    const { final } = await authenticate(browser, PT4, () => undefined);
    expect(final.json.detail).toEqual({ failureUrl: 'https://www.forgerock.com' });
  });
});
