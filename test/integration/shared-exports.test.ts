/**
 * The real exports under `reference/exports` in the shared folder (AIC_SHARED_DIR, default ../shared): every one
 * imports (or is reported with a clear list of what the emulator does not support), and those whose nodes are
 * supported run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { hasShared, sharedPath } from '../helpers/optional.js';
import { DEMO, startEmulator } from '../helpers/tenant.js';
import { callbackTypes, journey } from '../helpers/journey.js';
import { http } from '../helpers/http.js';

const available = hasShared();

describe.skipIf(!available)('real exports', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      journeys: [
        sharedPath('reference', 'exports', 'frodo'),
        { path: sharedPath('reference', 'exports', 'amster-sample-trees'), realm: 'alpha' },
      ],
    });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const signIn = async (name: string) =>
    (await journey(emulator, name).start()).answer(0, DEMO.userName).answer(1, DEMO.password).next();

  it('frodo exports run: a page login, a version 2.0 page, and an inner tree', async () => {
    for (const name of ['FrodoTestJourney1', 'FrodoTestJourney13', 'FrodoTestJourney2']) {
      const done = await signIn(name);
      expect(done.response.status, name).toBe(200);
      expect(done.body.tokenId, name).toEqual(expect.any(String));
    }
  });

  it('amster Example: zero-page headers, or a username then a password step', async () => {
    const zeroPage = await journey(emulator, 'Example', {
      headers: { 'x-openam-username': DEMO.userName, 'x-openam-password': DEMO.password },
    }).start();
    expect(zeroPage.body.tokenId).toEqual(expect.any(String));
    const first = await journey(emulator, 'Example').start();
    expect(callbackTypes(first)).toEqual(['NameCallback']);
    const second = await first.answer(0, DEMO.userName).next();
    expect(callbackTypes(second)).toEqual(['PasswordCallback']);
    const done = await second.answer(0, DEMO.password).next();
    expect(done.body.tokenId).toEqual(expect.any(String));
  });

  it('amster PlatformLogin (with its PlatformProgressiveProfile inner tree) signs the user in', async () => {
    const done = await signIn('PlatformLogin');
    expect(done.body.tokenId).toEqual(expect.any(String));
  });

  it('amster RetryLimit (retryLimit 3): three retries, then the fourth wrong password locks the account', async () => {
    let step = await journey(emulator, 'RetryLimit').start();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      step = await step.answer(0, DEMO.userName).next();
      step = await step.answer(0, 'wrong').next();
      if (attempt < 4) expect(callbackTypes(step), `attempt ${attempt}`).toEqual(['NameCallback']);
    }
    expect(step.response.status).toBe(401);
    expect(emulator.tenant.users.get(DEMO._id)?.accountStatus).toBe('inactive');
    const locked = await (
      await (await journey(emulator, 'Example').start()).answer(0, DEMO.userName).next()
    )
      .answer(0, DEMO.password)
      .next();
    expect(locked.response.status).toBe(401);
  });

  it('journeys with nodes the emulator does not support are listed with those nodes', async () => {
    const { json } = await http(`${emulator.url}/__emulator/journeys?realm=alpha`);
    const unsupported = Object.fromEntries(
      json.result
        .filter((entry: { problems: { severity: string }[] }) =>
          entry.problems.some((problem) => problem.severity === 'error'),
        )
        .map((entry: { name: string; problems: { message: string }[] }) => [
          entry.name,
          [...new Set(entry.problems.map((problem) => problem.message))].sort(),
        ]),
    );
    expect(Object.keys(unsupported).sort()).toEqual([
      'Agent',
      'Facebook-ProvisionIDMAccount',
      'Google-AnonymousUser',
      'Google-DynamicAccountCreation',
      'HmacOneTimePassword',
      'PersistentCookie',
      'PlatformForgottenUsername',
      'PlatformRegistration',
      'PlatformResetPassword',
      'PlatformUpdatePassword',
    ]);
    expect(unsupported['PlatformRegistration']).toEqual(['KbaCreateNode is not supported by the emulator']);
    for (const messages of Object.values(unsupported) as string[][])
      for (const message of messages) expect(message).toMatch(/is not supported by the emulator$/);
  });
});
