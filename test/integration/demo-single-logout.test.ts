/**
 * The demo tenant's own Single Logout journeys (emulator/config/demo-journeys/single-logout.ts),
 * which do what the how-to's four parts do: they lint clean, and over /authenticate with a cookie
 * jar TerminateSession ends every session of the signed-in user (and only theirs), tells the
 * stubbed external application, and lands on the Login page; LogoutRedirect ends at Failure with
 * the user's own URL or the realm's login page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { EXTERNAL_LOGOUT_URL } from '../../emulator/config/demo-journeys/index.js';
import { ALPHA, DEMO, SCARTER, login, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { JarClient, authenticate, fill } from '../helpers/jar-client.js';

const journey = (name: string) => `${ALPHA}/authenticate?authIndexType=service&authIndexValue=${name}`;
const DEMO_SINGLE_LOGOUT = ['CaptureSession', 'TerminateExternalSession', 'TerminateSession', 'LogoutRedirect'];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const signIn = async (client: JarClient, user: { userName: string; password: string } = DEMO) => {
  const { final } = await authenticate(client, journey('Login'), (body) => {
    fill(body, 'NameCallback', user.userName);
    fill(body, 'PasswordCallback', user.password);
  });
  expect(final.status).toBe(200);
  return final.json.tokenId as string;
};

const lastRun = async () => (await http(`${emulator.url}/__emulator/runs`)).json.result.at(-1);
const outbound = async () =>
  (await http(`${emulator.url}/__emulator/journal`)).json.result
    .filter((entry: { kind: string }) => entry.kind === 'outbound')
    .map(
      (entry: { method: string; url: string; status: number; servedBy: string }) =>
        `${entry.method} ${entry.url.replace(/^https?:\/\/[^/]+(?=\/am\/)/, '')} ${entry.status}`,
    );

describe('the demo tenant’s Single Logout journeys', () => {
  it('are in every realm and lint clean', async () => {
    for (const realm of ['alpha', 'root']) {
      const { json } = await http(`${emulator.url}/__emulator/journeys?realm=${realm}`);
      for (const name of DEMO_SINGLE_LOGOUT) {
        const entry = json.result.find((item: { name: string }) => item.name === name);
        expect(entry, `${name} in ${realm}`).toBeDefined();
        expect(entry.problems, `${name} in ${realm}`).toEqual([]);
      }
    }
  });

  it('TerminateSession ends every session of the signed-in user, tells the external application, then signs them in again', async () => {
    const browser = new JarClient(emulator.url);
    const token = await signIn(browser);
    const others = [await login(emulator, DEMO), await login(emulator, DEMO)];
    const scarter = await login(emulator, SCARTER);

    const { steps, final } = await authenticate(browser, journey('TerminateSession'), (body) => {
      fill(body, 'NameCallback', DEMO.userName);
      fill(body, 'PasswordCallback', DEMO.password);
    });
    expect(steps).toHaveLength(1);
    expect(steps[0].header).toBe('Sign In');
    expect(final.status).toBe(200);
    expect(await browser.cookie(emulator.cookieName)).toBe(final.json.tokenId);

    for (const ended of [token, ...others]) expect(await emulator.tenant.sessions.getByToken(ended)).toBeUndefined();
    expect(await emulator.tenant.sessions.getByToken(scarter)).toBeDefined();
    expect(await emulator.tenant.sessions.getByToken(final.json.tokenId)).toBeDefined();
    expect(await outbound()).toEqual([
      `POST ${EXTERNAL_LOGOUT_URL} 200`,
      'POST /am/json/realms/root/realms/alpha/sessions/?_action=logoutByUser 200',
    ]);

    const run = await lastRun();
    expect(run.journey).toBe('TerminateSession');
    expect(run.status).toBe('success');
    const outcomes = run.visits
      .filter((visit: { outcome?: string }) => visit.outcome)
      .map((visit: { displayName: string; outcome: string }) => `${visit.displayName}: ${visit.outcome}`);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        'Get Session Cookie: Session Found',
        'Send Logout Request: Success',
        'Terminate Sessions: Success',
        'Data Store Decision: true',
      ]),
    );
  });

  it('TerminateSession without a session goes straight to the Login page and ends nobody’s session', async () => {
    const scarter = await login(emulator, SCARTER);
    const { steps, final } = await authenticate(
      new JarClient(emulator.url),
      journey('TerminateSession'),
      () => undefined,
      1,
    );
    expect(final.status).toBe(200);
    expect(steps[0].header).toBe('Sign In');
    expect(await emulator.tenant.sessions.getByToken(scarter)).toBeDefined();
    expect(await outbound()).toEqual([]);
  });

  it('TerminateSession shows the error message when logoutByUser fails, and ends at Failure', async () => {
    const browser = new JarClient(emulator.url);
    const token = await signIn(browser);
    await http(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ action: 'logoutByUser', status: 500, times: 1 }),
    });
    const { steps, final } = await authenticate(browser, journey('TerminateSession'), (body) =>
      fill(body, 'ConfirmationCallback', 0),
    );
    expect(steps).toHaveLength(1);
    expect(steps[0].callbacks[0].output[0].value).toBe('An error occurred. Please view the logs.');
    expect(final.status).toBe(401);
    expect(final.json.message).toBe('Login failure');
    expect(await emulator.tenant.sessions.getByToken(token)).toBeDefined();
  });

  it('TerminateExternalSession fails for a user with no external token (scarter)', async () => {
    const browser = new JarClient(emulator.url);
    await signIn(browser, SCARTER);
    const { final } = await authenticate(browser, journey('TerminateExternalSession'), () => undefined);
    expect(final.status).toBe(401);
    expect(await outbound()).toEqual([]);
  });

  it('LogoutRedirect ends at Failure with the user’s own logout URL, or the realm’s login page', async () => {
    const demo = new JarClient(emulator.url);
    await signIn(demo);
    const first = await authenticate(demo, journey('LogoutRedirect'), () => undefined);
    expect(first.final.json).toEqual({
      code: 401,
      reason: 'Unauthorized',
      message: 'Login failure',
      detail: { failureUrl: 'https://example.com/goodbye' },
    });

    const scarter = new JarClient(emulator.url);
    await signIn(scarter, SCARTER);
    const second = await authenticate(scarter, journey('LogoutRedirect'), () => undefined);
    expect(second.final.json.detail).toEqual({ failureUrl: '/am/XUI/?realm=/alpha' });
  });
});
