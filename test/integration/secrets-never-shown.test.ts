/**
 * Secrets are never shown, not even in part (issue 21: the runs view showed a password's first four
 * characters, `Ch4n***`). A known password goes through every way in (zero-page headers, a
 * password callback, a wrong password, IDM's user API), a secret ESV through every way a script
 * can show it (logs, shared state, an outbound call's URL, headers and body, a stub's answer), and
 * then every data endpoint of the control API and of the attendee's own view is read: neither
 * value, nor its URL-encoded form, nor its first three characters appear in any answer.
 *
 * The values are made of characters no token, UUID or timestamp holds (`!`, `~`, `@`, `#`), so
 * that their heads cannot appear by chance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { ALPHA, login, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';
import { runScript } from '../helpers/script-journey.js';

const PASSWORD = 'Wk!~9xQ#r2Lm-pass';
const SECRET = 'Sv!~7hZ@q4Np-secret';
const USER = 'masked-attendee';

let emulator: Emulator;
let cookie: string;

const control = (path: string, init: { method?: string; body?: unknown } = {}) =>
  http(`${emulator.url}/__emulator/${path}`, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
      : {}),
  });

beforeAll(async () => {
  emulator = await startEmulator();
  const created = await control('users', {
    method: 'POST',
    body: { realm: 'alpha', userName: USER, password: PASSWORD, givenName: 'Masked', sn: 'Attendee' },
  });
  expect(created.status).toBe(201);
  // Zero-page, a password callback, and a wrong password that holds the right one.
  const token = await login(emulator, { userName: USER, password: PASSWORD });
  cookie = `${emulator.cookieName}=${token}`;
  const first = await journey(emulator, 'Login').start();
  const signedIn = await first.answer(0, USER).answer(1, PASSWORD).next();
  expect(signedIn.response.status).toBe(200);
  const again = await journey(emulator, 'Login').start();
  expect((await again.answer(0, USER).answer(1, `${PASSWORD}x`).next()).response.status).toBe(401);
  // IDM's user API, as the end-user page changes a password.
  const idm = await http(`${emulator.url}/openidm/managed/alpha_user?_action=create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userName: `${USER}-2`, password: PASSWORD, givenName: 'A', sn: 'B', mail: 'a@example.com' }),
  });
  expect(idm.status).toBeLessThan(300);

  expect((await control('esvs/esv-workshop-secret', { method: 'PUT', body: { value: SECRET } })).status).toBe(200);
  expect(
    (
      await control('stubs', {
        method: 'POST',
        body: { url: 'https://api.example.test/*', status: 200, echoRequestBody: true },
      })
    ).status,
  ).toBe(201);
  const run = await runScript(
    emulator,
    'var s = systemEnv.getProperty("esv.workshop.secret");\n' +
      'logger.error("the secret is " + s);\n' +
      'nodeState.putShared("note", "kept " + s);\n' +
      'nodeState.putShared("password", s);\n' +
      'var r = httpClient.send("https://api.example.test/call?s=" + encodeURIComponent(s), { method: "POST", headers: { "x-api-key": s, "x-note": "v=" + s }, body: "secret=" + s }).get();\n' +
      'nodeState.putShared("result", r.status + " " + r.text());\n' +
      'outcome = "done";',
  );
  expect(run.error).toBeUndefined();
  expect(String(run.result)).toMatch(/^200 /);
});

afterAll(async () => {
  await emulator?.close();
});

/** Every data answer of the control API, and of the attendee's own view. */
async function everyAnswer(): Promise<{ where: string; text: string }[]> {
  const paths = [
    'tenant',
    'esvs',
    'users',
    'users?realm=alpha',
    'sessions',
    'journal',
    'runs',
    'outbox',
    'faults',
    'stubs',
    'node-stubs',
    'journeys',
    'clock',
    'state',
    'oauth2/clients',
    'oauth2/grants',
  ];
  const answers: { where: string; text: string }[] = [];
  for (const path of paths) {
    const answer = await control(path);
    expect(answer.status, path).toBe(200);
    answers.push({ where: path, text: answer.text });
  }
  const runs = JSON.parse(answers.find((answer) => answer.where === 'runs')?.text ?? '{}').result as {
    id: string;
    journey: string;
    realm: string;
  }[];
  expect(runs.length).toBeGreaterThan(2);
  for (const run of runs) {
    answers.push({ where: `runs/${run.id}`, text: (await control(`runs/${run.id}`)).text });
    const realm = run.realm === '/' ? 'root' : run.realm.replace(/^\//, '');
    answers.push({ where: `journeys/${run.journey}`, text: (await control(`journeys/${realm}/${run.journey}`)).text });
  }
  // The attendee's own view, with the session cookie.
  for (const path of ['me', 'me/sessions', 'me/runs', 'me/journal', 'me/outbox']) {
    const answer = await http(`${emulator.url}/__emulator/${path}`, { headers: { cookie } });
    expect(answer.status, path).toBe(200);
    answers.push({ where: path, text: answer.text });
  }
  for (const run of JSON.parse(answers.find((answer) => answer.where === 'me/runs')?.text ?? '{}').result as {
    id: string;
  }[])
    answers.push({
      where: `me/runs/${run.id}`,
      text: (await http(`${emulator.url}/__emulator/me/runs/${run.id}`, { headers: { cookie } })).text,
    });
  return answers;
}

describe('a password and a secret ESV', () => {
  it('appear nowhere, not in part, in any answer of the control API or of the attendee’s view', async () => {
    const answers = await everyAnswer();
    const forbidden = [PASSWORD, SECRET]
      .flatMap((value) => [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])
      .flatMap((value) => [value, value.slice(0, 4), value.slice(0, 3)]);
    for (const { where, text } of answers)
      for (const part of new Set(forbidden))
        expect(text.includes(part), `${where} shows ${JSON.stringify(part)}`).toBe(false);
    // The places were there to be looked at: the script's log line, the outbound call, the sign-ins.
    const all = answers.map((answer) => answer.text).join('\n');
    expect(all).toContain('the secret is ***');
    expect(all).toContain('api.example.test/call?s=***');
    expect(all).toContain(ALPHA);
    expect(all).toContain('"x-api-key":"***"');
  });

  it('the console’s ESV list says a secret is one', async () => {
    const esvs = (await control('esvs')).json.result as { name: string; value: string; secret?: boolean }[];
    expect(esvs.find((esv) => esv.name === 'esv-workshop-secret')).toEqual({
      name: 'esv-workshop-secret',
      value: '***',
      secret: true,
    });
    expect((await control('tenant')).json.esvs['esv-workshop-secret']).toBe('***');
  });
});
