/**
 * Security questions (am-external 8.0.2, idm-integration-nodes: KbaCreateNode, KbaDecisionNode,
 * KbaVerifyNode) over IDM's `selfservice.kba` (AIC's default questions, seeded in the harness as
 * on a fresh tenant), and the answers as IDM stores them (emulator/state/kba.ts).
 */
import { describe, expect, it } from 'vitest';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import { NodeProcessException } from '../../../emulator/journeys/nodes/node.js';
import { renderCallbacks } from '../../../emulator/state/journeys/callbacks.js';
import { hashKbaAnswer, kbaAnswerMatches } from '../../../emulator/state/kba.js';
import { ALICE, NodeHarness, answer, asked, inputs, outcomeOf, output } from '../../helpers/node-context.js';

const COLOR = "What's your favorite color?";
const EMPLOYER = 'Who was your first employer?';
const CONFIG = { message: { en: 'Select a security question' }, allowUserDefinedQuestions: true };

/** Alice with answers stored as IDM stores them (the directory hashes text answers). */
function aliceWith(kbaInfo: unknown[]) {
  return [{ ...ALICE, kbaInfo }];
}

describe('KbaCreateNode', () => {
  it('asks minimumAnswersToDefine KbaCreateCallbacks with the realm’s questions, as AM renders them', async () => {
    const harness = new NodeHarness();
    const callbacks = asked(await harness.process('KbaCreateNode', CONFIG));
    expect(renderCallbacks(callbacks)).toEqual([
      {
        type: 'KbaCreateCallback',
        output: [
          { name: 'prompt', value: 'Select a security question' },
          { name: 'predefinedQuestions', value: [COLOR, EMPLOYER] },
          { name: 'allowUserDefinedQuestions', value: true },
        ],
        input: [
          { name: 'IDToken1question', value: '' },
          { name: 'IDToken1answer', value: '' },
        ],
        _id: 0,
      },
      {
        type: 'KbaCreateCallback',
        output: [
          { name: 'prompt', value: 'Select a security question' },
          { name: 'predefinedQuestions', value: [COLOR, EMPLOYER] },
          { name: 'allowUserDefinedQuestions', value: true },
        ],
        input: [
          { name: 'IDToken2question', value: '' },
          { name: 'IDToken2answer', value: '' },
        ],
        _id: 1,
      },
    ]);
  });

  it('default prompt and questions in the request’s language; allowUserDefinedQuestions false is passed on', async () => {
    const harness = new NodeHarness();
    harness.services.idmConfig.put('selfservice.kba', {
      kbaPropertyName: 'kbaInfo',
      minimumAnswersToDefine: 1,
      minimumAnswersToVerify: 1,
      questions: { '1': { en: 'Colour?', fr: 'Couleur ?' } },
    });
    const callbacks = asked(
      await harness.process(
        'KbaCreateNode',
        { allowUserDefinedQuestions: false },
        { headers: { 'accept-language': 'fr-FR' } },
      ),
    );
    expect(callbacks).toHaveLength(1);
    expect(output(callbacks[0], 'prompt')).toBe('Select a security question.');
    expect(output(callbacks[0], 'predefinedQuestions')).toEqual(['Couleur ?']);
    expect(output(callbacks[0], 'allowUserDefinedQuestions')).toBe(false);
  });

  it('outcome: transient objectAttributes.kbaInfo holds a questionId for a predefined question, customQuestion for the user’s own', async () => {
    const harness = new NodeHarness();
    const first = asked(await harness.process('KbaCreateNode', CONFIG));
    const result = await harness.process('KbaCreateNode', CONFIG, {
      callbacks: answer(
        first,
        inputs({ question: COLOR, answer: 'Blue' }),
        inputs({ question: 'First pet?', answer: 'Rex' }),
      ),
    });
    expect(outcomeOf(result)).toBe('outcome');
    expect(harness.state.transient['objectAttributes']).toEqual({
      kbaInfo: [
        { questionId: '1', answer: 'Blue' },
        { customQuestion: 'First pet?', answer: 'Rex' },
      ],
    });
    expect(harness.state.shared['objectAttributes']).toBeUndefined();
  });

  it.each([
    ['the same question twice (case and punctuation aside)', 'first pet', 'First pet?!', 'a', 'b'],
    ['an answer missing', COLOR, EMPLOYER, 'Blue', ' '],
    ['a question missing', '', EMPLOYER, 'Blue', 'Acme'],
  ])('%s: the step again, keeping what was entered', async (_label, q1, q2, a1, a2) => {
    const harness = new NodeHarness();
    const first = asked(await harness.process('KbaCreateNode', CONFIG));
    const again = asked(
      await harness.process('KbaCreateNode', CONFIG, {
        callbacks: answer(first, inputs({ question: q1, answer: a1 }), inputs({ question: q2, answer: a2 })),
      }),
    );
    expect(renderCallbacks(again).map((callback) => callback.input)).toEqual([
      [
        { name: 'IDToken1question', value: q1 },
        { name: 'IDToken1answer', value: a1 },
      ],
      [
        { name: 'IDToken2question', value: q2 },
        { name: 'IDToken2answer', value: a2 },
      ],
    ]);
    expect(harness.state.transient['objectAttributes']).toBeUndefined();
  });

  it('without IDM’s selfservice.kba: a NodeProcessException', async () => {
    const harness = new NodeHarness();
    harness.services.idmConfig.remove('selfservice.kba');
    await expect(harness.process('KbaCreateNode', CONFIG)).rejects.toThrow(NodeProcessException);
  });

  it('bad configuration at import: allowUserDefinedQuestions that is not a boolean', () => {
    expect(nodeType('KbaCreateNode')?.check?.({ allowUserDefinedQuestions: 'yes' })).toEqual([
      'allowUserDefinedQuestions must be true or false',
    ]);
    expect(nodeType('KbaCreateNode')?.check?.(CONFIG)).toEqual([]);
  });
});

describe('KbaDecisionNode', () => {
  it.each([
    [
      'two answers (the minimum to define)',
      [
        { questionId: '1', answer: 'a' },
        { customQuestion: 'x', answer: 'b' },
      ],
      'true',
    ],
    ['one answer', [{ questionId: '1', answer: 'a' }], 'false'],
    ['none', [], 'false'],
  ])('%s: %s', async (_label, kbaInfo, expected) => {
    const harness = new NodeHarness({ users: aliceWith(kbaInfo), shared: { username: 'alice' } });
    expect(outcomeOf(await harness.process('KbaDecisionNode', {}))).toBe(expected);
  });

  it('false for a user with no kbaInfo at all; found by identityAttribute from objectAttributes', async () => {
    const harness = new NodeHarness({ shared: { objectAttributes: { mail: ALICE.mail } } });
    expect(outcomeOf(await harness.process('KbaDecisionNode', { identityAttribute: 'mail' }))).toBe('false');
  });

  it('no such user: “Unable to read object”', async () => {
    const harness = new NodeHarness({ shared: { username: 'nobody' } });
    await expect(harness.process('KbaDecisionNode', {})).rejects.toThrow('Unable to read object');
  });
});

describe('KbaVerifyNode', () => {
  const STORED = [
    { questionId: '1', answer: 'Blue' },
    { customQuestion: 'First pet?', answer: 'Rex' },
  ];

  it('IDM stores the answers hashed (salted SHA-256, $crypto), and they still match', () => {
    const harness = new NodeHarness({ users: aliceWith(STORED) });
    const stored = harness.services.users.idmView(harness.services.users.get(ALICE._id)!)['kbaInfo'] as {
      answer: unknown;
    }[];
    expect(stored[0]?.answer).toEqual({
      $crypto: { value: { algorithm: 'SHA-256', data: expect.any(String) }, type: 'salted-hash' },
    });
    expect(JSON.stringify(stored)).not.toContain('Blue');
    expect(kbaAnswerMatches(' blue ', stored[0]?.answer)).toBe(true);
    expect(kbaAnswerMatches('green', stored[0]?.answer)).toBe(false);
  });

  it('matches AM’s own fixture (am-external KbaVerifyNode test resources: "test" hashed by IDM)', () => {
    const fixture = {
      $crypto: {
        value: { algorithm: 'SHA-256', data: 'qLBmAiih8gzLE944ZcX3FRNbatMTwEEi/PIMb83yzIGt+BxfopgnOyYHEswQ3HsL' },
        type: 'salted-hash',
      },
    };
    expect(kbaAnswerMatches('test', fixture)).toBe(true);
    expect(kbaAnswerMatches('tests', fixture)).toBe(false);
    expect(kbaAnswerMatches('x', hashKbaAnswer('X'))).toBe(true);
  });

  it('asks minimumAnswersToVerify of the user’s questions as PasswordCallbacks; the right answer is true', async () => {
    const harness = new NodeHarness({ users: aliceWith(STORED), shared: { username: 'alice' } });
    const callbacks = asked(await harness.process('KbaVerifyNode', {}));
    expect(callbacks.map((callback) => callback.type)).toEqual(['PasswordCallback']);
    const prompt = output(callbacks[0], 'prompt');
    expect([COLOR, 'First pet?']).toContain(prompt);
    const right = prompt === COLOR ? 'blue' : 'REX';
    const result = await harness.process('KbaVerifyNode', {}, { callbacks: answer(callbacks, right) });
    expect(outcomeOf(result)).toBe('true');
  });

  it('all questions when the config asks for all; one wrong answer is false', async () => {
    const harness = new NodeHarness({ users: aliceWith(STORED), shared: { username: 'alice' } });
    harness.services.idmConfig.put('selfservice.kba', {
      ...harness.services.idmConfig.get('selfservice.kba'),
      minimumAnswersToVerify: 2,
    });
    const callbacks = asked(await harness.process('KbaVerifyNode', {}));
    expect(callbacks.map((callback) => output(callback, 'prompt'))).toEqual([COLOR, 'First pet?']);
    expect(outcomeOf(await harness.process('KbaVerifyNode', {}, { callbacks: answer(callbacks, 'Blue', 'Rex') }))).toBe(
      'true',
    );
    expect(outcomeOf(await harness.process('KbaVerifyNode', {}, { callbacks: answer(callbacks, 'Blue', 'Tom') }))).toBe(
      'false',
    );
  });

  it.each([
    ['no such user', { username: 'nobody' }, STORED, 'Failed to retrieve user object'],
    ['fewer answers stored than the minimum to define', { username: 'alice' }, STORED.slice(0, 1), 'fewer questions'],
    [
      'a stored question id the config does not have',
      { username: 'alice' },
      [{ questionId: '9', answer: 'a' }, STORED[1]],
      'Question id 9',
    ],
  ])('%s: a NodeProcessException', async (_label, shared, kbaInfo, message) => {
    const harness = new NodeHarness({ users: aliceWith(kbaInfo), shared });
    await expect(harness.process('KbaVerifyNode', {})).rejects.toThrow(message);
  });
});
