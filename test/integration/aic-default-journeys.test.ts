/**
 * AIC's six default journeys as frodo exported them from a real tenant (frodo-cli's test exports,
 * MIT; kept in test/fixtures/journeys-corpus with their source), imported into the alpha realm
 * unmodified, lint-clean, and run end to end over `/authenticate` with the outbox standing in
 * for the user's mailbox: Registration creates a user with a security question and the terms
 * accepted once the emailed link is followed; ForgottenUsername mails the user name and goes on
 * to Login; ResetPassword and UpdatePassword change the password; Login (Identity Store
 * Decision, retry limit) signs in; ProgressiveProfile asks for preferences at the third login.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { PROJECT_ROOT } from '../helpers/optional.js';
import { http } from '../helpers/http.js';
import { callbackTypes, journey, type Step } from '../helpers/journey.js';
import { DEMO, login, startEmulator } from '../helpers/tenant.js';

const EXPORTS = join(
  PROJECT_ROOT,
  'test/fixtures/journeys-corpus/rockcarver__frodo-cli/test/e2e/exports/full-export-separate/realm/root-alpha/journey',
);
const DEFAULTS = [
  'Login',
  'Registration',
  'ForgottenUsername',
  'ResetPassword',
  'UpdatePassword',
  'ProgressiveProfile',
];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    journeys: DEFAULTS.map((name) => ({ path: join(EXPORTS, `${name}.journey.json`), realm: 'alpha' })),
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** Answers every callback of a step by its type (and, for attributes, by name). */
function fillAll(step: Step, values: Record<string, unknown>): Step {
  let kbaIndex = 0;
  step.body.callbacks.forEach(
    (callback: { type: string; output: { name: string; value: unknown }[] }, index: number) => {
      const output = (name: string) => callback.output.find((item) => item.name === name)?.value;
      switch (callback.type) {
        case 'ValidatedCreateUsernameCallback':
        case 'NameCallback':
          step.answer(index, values['userName']);
          break;
        case 'ValidatedCreatePasswordCallback':
        case 'PasswordCallback':
          step.answer(index, values['password']);
          break;
        case 'StringAttributeInputCallback':
          step.answer(index, values[output('name') as string] ?? '');
          break;
        case 'BooleanAttributeInputCallback':
          step.answer(index, false);
          break;
        case 'KbaCreateCallback':
          // Each security question once: the nth KBA callback takes the nth predefined question.
          step.answer(index, (output('predefinedQuestions') as string[])[kbaIndex++], 'question');
          step.answer(index, values['kbaAnswer'], 'answer');
          break;
        case 'TermsAndConditionsCallback':
          step.answer(index, true);
          break;
        default:
          throw new Error(`no answer for a ${callback.type}`);
      }
    },
  );
  return step;
}

async function latestMailTo(address: string): Promise<{ subject: string; body: string; links: string[] }> {
  const mail = (await http(`${emulator.url}/__emulator/outbox?to=${encodeURIComponent(address)}`)).json.result.at(-1);
  expect(mail, `no mail to ${address}`).toBeDefined();
  return mail;
}

const resumeFrom = (name: string, link: string) =>
  journey(emulator, name, { query: `suspendedId=${new URL(link).searchParams.get('suspendedId') ?? ''}` }).start();

describe('AIC’s default journeys, unmodified', () => {
  it('import lint-clean', async () => {
    const { json } = await http(`${emulator.url}/__emulator/journeys?realm=alpha`);
    for (const name of DEFAULTS) {
      const entry = json.result.find((item: { name: string }) => item.name === name);
      expect(entry, name).toBeDefined();
      expect(
        entry.problems.filter((problem: { severity: string }) => problem.severity === 'error'),
        name,
      ).toEqual([]);
    }
  });

  it('Login signs the demo user in (Identity Store Decision); a wrong password is asked again', async () => {
    const start = await journey(emulator, 'Login').start();
    expect(callbackTypes(start)).toEqual(['NameCallback', 'PasswordCallback']);
    const retried = await fillAll(start, { userName: DEMO.userName, password: 'wrong' }).next();
    expect(callbackTypes(retried)).toEqual(['NameCallback', 'PasswordCallback']);
    const done = await fillAll(retried, { userName: DEMO.userName, password: DEMO.password }).next();
    expect(done.body.tokenId).toEqual(expect.any(String));
  });

  it('Registration: the emailed link creates the user, with a security answer and the terms accepted', async () => {
    const newbie = {
      userName: 'newbie',
      password: 'N3w-Passw0rd!reg',
      givenName: 'New',
      sn: 'Bie',
      mail: 'newbie@example.com',
      kbaAnswer: 'Blue',
    };
    const start = await journey(emulator, 'Registration').start();
    expect(callbackTypes(start)).toEqual(
      expect.arrayContaining(['ValidatedCreateUsernameCallback', 'KbaCreateCallback', 'TermsAndConditionsCallback']),
    );
    const suspended = await fillAll(start, newbie).next();
    expect(callbackTypes(suspended)).toEqual(['SuspendedTextOutputCallback']);
    expect(emulator.tenant.users.findByUserName('/alpha', 'newbie')).toBeUndefined();
    const mail = await latestMailTo(newbie.mail);
    expect(mail.subject).toBe('Register new account');
    const done = await resumeFrom('Registration', mail.links[0] ?? '');
    expect(done.body.tokenId, JSON.stringify(done.body)).toEqual(expect.any(String));
    const user = emulator.tenant.users.findByUserName('/alpha', 'newbie');
    expect(user).toBeDefined();
    const profile = emulator.tenant.users.idmView(user!);
    expect(profile).toMatchObject({ givenName: 'New', sn: 'Bie', mail: newbie.mail });
    // Two questions, as the default KBA config asks, their answers stored as IDM stores them (not as typed).
    const kbaInfo = profile['kbaInfo'] as { questionId: string; answer: unknown }[];
    expect(kbaInfo.map((entry) => entry.questionId).sort()).toEqual(['1', '2']);
    expect(JSON.stringify(kbaInfo)).not.toContain('"Blue"');
    expect(await login(emulator, newbie)).toEqual(expect.any(String));
  });

  it('ForgottenUsername mails the user name, and the link leads to Login', async () => {
    const start = await journey(emulator, 'ForgottenUsername').start();
    const suspended = await fillAll(start, { mail: 'demo@example.com' }).next();
    expect(callbackTypes(suspended)).toEqual(['SuspendedTextOutputCallback']);
    const mail = await latestMailTo('demo@example.com');
    expect(mail.body).toContain(`Your username is '${DEMO.userName}'`);
    const loginPage = await resumeFrom('ForgottenUsername', mail.links[0] ?? '');
    expect(callbackTypes(loginPage)).toEqual(['NameCallback', 'PasswordCallback']);
    const done = await fillAll(loginPage, { userName: DEMO.userName, password: DEMO.password }).next();
    expect(done.body.tokenId).toEqual(expect.any(String));
  });

  it('ResetPassword: the emailed link leads to a new password, which then signs in', async () => {
    const start = await journey(emulator, 'ResetPassword').start();
    await fillAll(start, { mail: 'demo@example.com' }).next();
    const mail = await latestMailTo('demo@example.com');
    expect(mail.subject).toBe('Reset your password');
    const newPassword = await resumeFrom('ResetPassword', mail.links[0] ?? '');
    expect(callbackTypes(newPassword)).toEqual(['ValidatedCreatePasswordCallback']);
    const done = await fillAll(newPassword, { password: 'Res3t-Passw0rd!' }).next();
    expect(done.body.tokenId).toEqual(expect.any(String));
    expect(await login(emulator, { userName: DEMO.userName, password: 'Res3t-Passw0rd!' })).toEqual(expect.any(String));
  });

  it('UpdatePassword, signed in: the current password, then the new one', async () => {
    const token = await login(emulator, DEMO);
    const session = { headers: { cookie: `${emulator.cookieName}=${token}` } };
    const current = await journey(emulator, 'UpdatePassword', session).start();
    expect(current.body.header).toBe('Verify Existing Password');
    const next = await fillAll(current, { password: DEMO.password }).next();
    expect(next.body.header).toBe('Update Password');
    const done = await fillAll(next, { password: 'Upd4te-Passw0rd!' }).next();
    expect(done.response.status, JSON.stringify(done.body)).toBe(200);
    expect(await login(emulator, { userName: DEMO.userName, password: 'Upd4te-Passw0rd!' })).toEqual(
      expect.any(String),
    );
  });

  it('ProgressiveProfile (Login’s inner journey) asks a user without preferences for them at the third login, and keeps them', async () => {
    const pat = { userName: 'pat', password: 'Pat-passw0rd!' };
    const added = await http(`${emulator.url}/__emulator/users`, {
      method: 'POST',
      body: JSON.stringify({ realm: 'alpha', ...pat, givenName: 'Pat', sn: 'Doe', mail: 'pat@example.com' }),
    });
    expect(added.status, added.text).toBeLessThan(300);
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const done = await fillAll(await journey(emulator, 'Login').start(), pat).next();
      expect(done.body.tokenId, `login ${attempt}`).toEqual(expect.any(String));
    }
    const third = await fillAll(await journey(emulator, 'Login').start(), pat).next();
    expect(third.body.header).toBe('Please select your preferences');
    expect(callbackTypes(third)).toEqual(['BooleanAttributeInputCallback', 'BooleanAttributeInputCallback']);
    const done = await third.answer(0, true).answer(1, true).next();
    expect(done.body.tokenId).toEqual(expect.any(String));
    const user = emulator.tenant.users.findByUserName('/alpha', 'pat');
    expect(emulator.tenant.users.idmView(user!)['preferences']).toEqual({ marketing: true, updates: true });
  });
});
