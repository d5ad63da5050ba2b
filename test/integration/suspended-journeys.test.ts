/**
 * Suspended journeys over the wire, with the three doors they use: an email template PUT through
 * IDM's config API, a journey with an Email Suspend node imported, the journey run over
 * `/authenticate` to its SuspendedTextOutputCallback, the mail read from the outbox
 * (`GET /__emulator/outbox`), and its link followed as AIC's login page follows it:
 * `authenticate?suspendedId=` with an empty body, once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from '../helpers/http.js';
import { JarClient, fill } from '../helpers/jar-client.js';
import { ALPHA, DEMO, asAdmin, startEmulator } from '../helpers/tenant.js';

const COLLECT = 'b0000000-0000-4000-8000-000000000001';
const SUSPEND = 'b0000000-0000-4000-8000-000000000002';
const JOURNEY = 'VerifyByEmail';
const START = `${ALPHA}/authenticate?authIndexType=service&authIndexValue=${JOURNEY}`;
const VERSION = { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' };

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

beforeEach(async () => {
  await emulator.reset();
  const template = await http(`${emulator.url}/openidm/config/emailTemplate/verifyEmail`, {
    method: 'PUT',
    headers: { ...asAdmin(emulator), 'content-type': 'application/json' },
    body: JSON.stringify({
      enabled: true,
      from: 'security@example.com',
      defaultLocale: 'en',
      mimeType: 'text/html',
      subject: { en: 'Confirm your sign-in, {{object.givenName}}' },
      message: {
        en: '<p>Hello {{object.givenName}},</p><p><a href="{{object.resumeURI}}">Continue signing in</a></p>',
      },
    }),
  });
  expect(template.status, template.text).toBeLessThan(300);
  const imported = await http(`${emulator.url}/__emulator/import?realm=alpha`, {
    method: 'POST',
    body: JSON.stringify({
      trees: {
        [JOURNEY]: treeExport({
          name: JOURNEY,
          description: 'user name, then a link by email',
          entry: COLLECT,
          nodes: [
            {
              id: COLLECT,
              type: 'UsernameCollectorNode',
              name: 'User Name',
              x: 1,
              y: 1,
              connections: { outcome: SUSPEND },
              config: {},
            },
            {
              id: SUSPEND,
              type: 'EmailSuspendNode',
              name: 'Email Suspend',
              x: 2,
              y: 1,
              connections: { outcome: END.success },
              config: {
                emailTemplateName: 'verifyEmail',
                emailAttribute: 'mail',
                identityAttribute: 'userName',
                objectLookup: true,
                emailSuspendMessage: { en: 'We sent you a link.' },
              },
            },
          ],
        }),
      },
    }),
  });
  expect(imported.json.imported, imported.text).toEqual([JOURNEY]);
});

async function suspendDemo(): Promise<{ steps: any[]; link: string }> {
  const client = new JarClient(emulator.url);
  const first = await client.request(START, { method: 'POST', headers: VERSION, body: '{}' });
  expect(first.status, first.text).toBe(200);
  const answered = structuredClone(first.json);
  fill(answered, 'NameCallback', DEMO.userName);
  const shown = await client.request(START, { method: 'POST', headers: VERSION, body: JSON.stringify(answered) });
  expect(shown.status, shown.text).toBe(200);
  const outbox = await http(`${emulator.url}/__emulator/outbox?to=${encodeURIComponent('DEMO@example.com')}`);
  const [mail] = outbox.json.result as { links: string[] }[];
  return { steps: [first.json, shown.json], link: mail?.links[0] ?? '' };
}

/** Follows a resume link as AIC's login page does: its suspendedId, on the first call only. */
function resume(link: string, client = new JarClient(emulator.url)) {
  const url = new URL(link);
  const query = new URLSearchParams({
    authIndexType: url.searchParams.get('authIndexType') ?? '',
    authIndexValue: url.searchParams.get('authIndexValue') ?? '',
    suspendedId: url.searchParams.get('suspendedId') ?? '',
  });
  return client.request(`${ALPHA}/authenticate?${query.toString()}`, { method: 'POST', headers: VERSION, body: '{}' });
}

describe('a journey suspended by email', () => {
  it('shows the suspended message, mails the link, and the link signs the user in, once', async () => {
    const { steps, link } = await suspendDemo();
    const suspended = steps.at(-1) as { authId: string; callbacks: unknown[] };
    expect(suspended.authId).toEqual(expect.any(String));
    expect(suspended.callbacks).toEqual([
      {
        type: 'SuspendedTextOutputCallback',
        output: [
          { name: 'message', value: 'We sent you a link.' },
          { name: 'messageType', value: '0' },
        ],
        _id: 0,
      },
    ]);
    const outbox = (await http(`${emulator.url}/__emulator/outbox`)).json.result;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      to: 'demo@example.com',
      from: 'security@example.com',
      subject: 'Confirm your sign-in, Demo',
      template: 'verifyEmail',
      journey: JOURNEY,
      node: 'Email Suspend',
    });
    expect(
      link.startsWith(
        `${emulator.url}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=${JOURNEY}&suspendedId=`,
      ),
    ).toBe(true);

    const browser = new JarClient(emulator.url);
    const resumed = await resume(link, browser);
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.json).toMatchObject({ tokenId: expect.any(String), realm: '/alpha' });
    expect(await browser.cookie(emulator.cookieName)).toBe(resumed.json.tokenId);

    const again = await resume(link);
    expect(again.status).toBe(401);
    expect(again.json).toEqual({ code: 401, reason: 'Unauthorized', message: 'Login failure' });

    const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result.filter(
      (run: { journey: string }) => run.journey === JOURNEY,
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'success', user: { userName: DEMO.userName } });
    expect(outbox[0].runId).toBe(runs[0].id);
  });

  it('the link expires with the realm’s suspended journey timeout on the tenant clock', async () => {
    const { link } = await suspendDemo();
    const moved = await http(`${emulator.url}/__emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceSeconds: 1440 * 60 }),
    });
    expect(moved.status, moved.text).toBe(200);
    const late = await resume(link);
    expect(late.status).toBe(401);
  });

  it('posting the suspended step back continues nothing: the session timed out (errorCode 110)', async () => {
    const { steps, link } = await suspendDemo();
    const posted = await http(`${emulator.url}${START}`, {
      method: 'POST',
      headers: VERSION,
      body: JSON.stringify(steps.at(-1)),
    });
    expect(posted.status).toBe(401);
    expect(posted.json.detail).toEqual({ errorCode: '110' });
    expect((await resume(link)).status).toBe(200);
  });

  it('a suspendedId that is garbage or huge is a login failure, never an error', async () => {
    for (const id of ['', 'x', '%00', 'A'.repeat(100_000), '../../etc']) {
      const answer = await http(`${emulator.url}${ALPHA}/authenticate?suspendedId=${encodeURIComponent(id)}`, {
        method: 'POST',
        headers: VERSION,
        body: '{}',
      });
      expect([401, 400, 414, 431], id.slice(0, 20)).toContain(answer.status);
      expect(answer.json).toMatchObject({ code: answer.status });
    }
  });

  it('the outbox filters by recipient and clears', async () => {
    await suspendDemo();
    expect((await http(`${emulator.url}/__emulator/outbox?to=someone@else.example`)).json.result).toEqual([]);
    const repeated = await http(`${emulator.url}/__emulator/outbox?to=a&to=b`);
    expect(repeated.status).toBe(400);
    expect((await http(`${emulator.url}/__emulator/outbox`, { method: 'DELETE' })).status).toBe(200);
    expect((await http(`${emulator.url}/__emulator/outbox`)).json.result).toEqual([]);
    const missing = await http(`${emulator.url}/__emulator/outbox/nope`);
    expect(missing.status).toBe(404);
    expect(Object.keys(missing.json).sort()).toEqual(['code', 'message', 'reason']);
  });
});
