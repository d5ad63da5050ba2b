/**
 * AIC's default Registration and UpdatePassword journeys, as a real tenant answered them over AM's
 * config REST (reference/recordings/aic-alpha-default-journeys-export.har: the trees and every
 * node's configuration), imported and run over `/authenticate` as a client runs them:
 * Registration's one page (user name, attributes, password, two security questions, terms and
 * conditions), its Email Suspend link from the outbox, and the user it creates; UpdatePassword
 * with the user's session, their current password and a new one.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { kbaAnswerMatches } from '../../emulator/state/kba.js';
import { loadHar } from '../helpers/har.js';
import { http } from '../helpers/http.js';
import { callbackTypes, journey, sessionCookieOf } from '../helpers/journey.js';
import { hasShared, sharedPath } from '../helpers/optional.js';
import { DEMO, startEmulator } from '../helpers/tenant.js';

const available = hasShared();

type Json = Record<string, unknown>;

/** The recorded trees with their nodes and pages' nodes, as one export (frodo's multi-tree form). */
function recordedExport(names: string[]): Json {
  const exchanges = loadHar(sharedPath('reference', 'recordings', 'aic-alpha-default-journeys-export.har'));
  const bodies = (pattern: RegExp) =>
    exchanges
      .filter((exchange) => exchange.request.method === 'GET' && pattern.test(exchange.request.url.pathname))
      .map((exchange) => JSON.parse(exchange.response.body) as Json);
  const trees = new Map(bodies(/\/authenticationtrees\/trees\/[^/]+$/).map((tree) => [tree['_id'] as string, tree]));
  const nodes = new Map(
    bodies(/\/authenticationtrees\/nodes\/[^/]+\/[^/]+\/[^/]+$/).map((node) => [node['_id'] as string, node]),
  );
  return {
    trees: Object.fromEntries(
      names.map((name) => {
        const tree = trees.get(name) as Json;
        const ids = Object.keys(tree['nodes'] as Json);
        const pageChildren = ids.flatMap((id) =>
          ((nodes.get(id)?.['nodes'] as { _id: string }[] | undefined) ?? []).map((child) => child._id),
        );
        const pick = (list: string[]) => Object.fromEntries(list.map((id) => [id, nodes.get(id)]));
        return [name, { tree, nodes: pick(ids), innerNodes: pick(pageChildren), scripts: {} }];
      }),
    ),
  };
}

describe.skipIf(!available)('AIC’s default journeys as recorded', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await emulator.reset();
    const imported = await http(`${emulator.url}/__emulator/import?realm=alpha`, {
      method: 'POST',
      body: JSON.stringify(recordedExport(['Registration', 'UpdatePassword'])),
    });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({ imported: expect.arrayContaining(['Registration', 'UpdatePassword']) });
    expect(imported.json.problems ?? []).toEqual([]);
  });

  it('Registration: one page with two security questions and the terms, a link by email, then the user exists with hashed answers', async () => {
    const page = await journey(emulator, 'Registration').start();
    expect(callbackTypes(page)).toEqual([
      'ValidatedCreateUsernameCallback',
      'StringAttributeInputCallback',
      'StringAttributeInputCallback',
      'StringAttributeInputCallback',
      'BooleanAttributeInputCallback',
      'BooleanAttributeInputCallback',
      'ValidatedCreatePasswordCallback',
      'KbaCreateCallback',
      'KbaCreateCallback',
      'TermsAndConditionsCallback',
    ]);
    expect(page.body).toMatchObject({ header: 'Sign Up' });
    const kba = page.body.callbacks[7];
    expect(kba.output).toEqual([
      { name: 'prompt', value: 'Select a security question' },
      { name: 'predefinedQuestions', value: ["What's your favorite color?", 'Who was your first employer?'] },
      { name: 'allowUserDefinedQuestions', value: true },
    ]);
    expect(kba.input).toEqual([
      { name: 'IDToken8question', value: '' },
      { name: 'IDToken8answer', value: '' },
    ]);
    expect(page.body.callbacks[9].output).toEqual([
      { name: 'version', value: '0.0' },
      { name: 'terms', value: expect.stringMatching(/^Lorem ipsum/) },
      { name: 'createDate', value: '2019-10-28T04:20:11.320Z' },
    ]);

    const suspended = await page
      .answer(0, 'newcomer')
      .answer(1, 'New')
      .answer(2, 'Comer')
      .answer(3, 'newcomer@example.com')
      .answer(4, true)
      .answer(5, false)
      .answer(6, 'Sup3r-Secret-pw!')
      .answer(7, "What's your favorite color?", 'question')
      .answer(7, 'Blue', 'answer')
      .answer(8, 'Name of my first pet?', 'question')
      .answer(8, 'Rex', 'answer')
      .answer(9, true)
      .next();
    expect(callbackTypes(suspended), suspended.response.text).toEqual(['SuspendedTextOutputCallback']);

    const mail = (await http(`${emulator.url}/__emulator/outbox?to=newcomer@example.com`)).json.result.at(-1);
    expect(mail).toMatchObject({ template: 'registration', subject: 'Register new account' });
    const suspendedId = new URL(mail.links[0] as string).searchParams.get('suspendedId') ?? '';
    const done = await journey(emulator, 'Registration', { query: `suspendedId=${suspendedId}` }).start();
    expect(done.body.tokenId, done.response.text).toEqual(expect.any(String));

    const users = (await http(`${emulator.url}/__emulator/users?realm=alpha`)).json as { result?: Json[] } | Json[];
    const list = Array.isArray(users) ? users : (users.result ?? []);
    const user = list.find((item) => item['userName'] === 'newcomer') as Json;
    expect(user).toMatchObject({ givenName: 'New', sn: 'Comer', mail: 'newcomer@example.com' });
    const kbaInfo = user['kbaInfo'] as { questionId?: string; customQuestion?: string; answer: unknown }[];
    expect(kbaInfo.map(({ questionId, customQuestion }) => ({ questionId, customQuestion }))).toEqual([
      { questionId: '1', customQuestion: undefined },
      { questionId: undefined, customQuestion: 'Name of my first pet?' },
    ]);
    expect(JSON.stringify(kbaInfo)).not.toMatch(/Blue|Rex/);
    expect(kbaAnswerMatches('blue', kbaInfo[0]?.answer)).toBe(true);
    expect(kbaAnswerMatches('rex', kbaInfo[1]?.answer)).toBe(true);
  });

  it('Registration: a repeated security question brings the page back with what was entered', async () => {
    const page = await journey(emulator, 'Registration').start();
    const again = await page
      .answer(0, 'twice')
      .answer(1, 'Two')
      .answer(2, 'Times')
      .answer(3, 'twice@example.com')
      .answer(6, 'Sup3r-Secret-pw!')
      .answer(7, "What's your favorite color?", 'question')
      .answer(7, 'Blue', 'answer')
      .answer(8, 'whats your FAVORITE color', 'question')
      .answer(8, 'Red', 'answer')
      .answer(9, true)
      .next();
    expect(callbackTypes(again)).toContain('KbaCreateCallback');
    expect(again.body.callbacks[8].input).toEqual([
      { name: 'IDToken9question', value: 'whats your FAVORITE color' },
      { name: 'IDToken9answer', value: 'Red' },
    ]);
  });

  // UpdatePassword finds its user by the session's UserToken (the user's _id, put in shared
  // `userName` by Get Session Data): the journey knows the session's user (AM's universalId).
  it('UpdatePassword: with the user’s session, the current password, then a new one that signs in', async () => {
    const signedIn = await journey(emulator, undefined).start();
    const login = await signedIn.answer(0, DEMO.userName).answer(1, DEMO.password).next();
    const token = login.body.tokenId as string;
    expect(token).toEqual(expect.any(String));
    const cookie = { cookie: `${emulator.cookieName}=${token}` };

    const current = await journey(emulator, 'UpdatePassword', { headers: cookie }).start();
    // Platform Password without validation, as recorded: a plain PasswordCallback.
    expect(callbackTypes(current), current.response.text).toEqual(['PasswordCallback']);
    expect(current.body).toMatchObject({ header: 'Verify Existing Password' });
    const fresh = await current.answer(0, DEMO.password).next();
    expect(callbackTypes(fresh), fresh.response.text).toEqual(['ValidatedCreatePasswordCallback']);
    expect(fresh.body).toMatchObject({ header: 'Update Password' });
    const done = await fresh.answer(0, 'Brand-N3w-pass!').next();
    expect(done.body.tokenId, done.response.text).toEqual(expect.any(String));
    expect(sessionCookieOf(emulator, done.response)).toEqual(expect.any(String));

    const withNew = await journey(emulator, undefined).start();
    const again = await withNew.answer(0, DEMO.userName).answer(1, 'Brand-N3w-pass!').next();
    expect(again.body.tokenId, again.response.text).toEqual(expect.any(String));
  });

  it('UpdatePassword: a wrong current password ends in failure', async () => {
    const login = await (
      await journey(emulator, undefined).start()
    )
      .answer(0, DEMO.userName)
      .answer(1, DEMO.password)
      .next();
    const cookie = { cookie: `${emulator.cookieName}=${login.body.tokenId as string}` };
    const current = await journey(emulator, 'UpdatePassword', { headers: cookie }).start();
    const failed = await current.answer(0, 'not-the-password').next();
    expect(failed.response.status).toBe(401);
  });
});
