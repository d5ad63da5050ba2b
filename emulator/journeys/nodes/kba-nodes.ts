/**
 * Security questions (KBA), as AM's IDM-integration nodes (am-external 8.0.2,
 * idm-integration-nodes: KbaCreateNode.java "KBA Definition", KbaDecisionNode.java "KBA
 * Decision", KbaVerifyNode.java "KBA Verification", and their .properties), over IDM's
 * `selfservice.kba` config (the questions, `kbaPropertyName`, `minimumAnswersToDefine`,
 * `minimumAnswersToVerify`; AIC's defaults in emulator/config/idm-config-seed.ts).
 *
 * KBA Definition stores the answers as text in transient `objectAttributes.<kbaPropertyName>`, as
 * AM does; IDM hashes them when the object is stored (emulator/state/kba.ts, called by the user
 * directory), and KBA Verification checks answers against those hashes.
 */
import { randomInt } from 'node:crypto';
import { Callbacks, stringValue, type CallbackSpec } from '../../state/journeys/callbacks.js';
import { own } from '../../state/journeys/model.js';
import type { JsonValue } from '../../state/journeys/tree-state.js';
import { kbaAnswerMatches } from '../../state/kba.js';
import { findJourneyUser, identityAttributeOf, identityValue, stringConfig } from './identity.js';
import { NodeProcessException, ask, localized, outcome, type NodeContext, type NodeType } from './node.js';

/** IDM's `selfservice.kba`, as the nodes read it. */
interface KbaConfig {
  kbaPropertyName: string;
  minimumAnswersToDefine: number;
  minimumAnswersToVerify: number;
  /** Question id → its text by locale. */
  questions: Record<string, Record<string, string>>;
}

const QUESTION_FALLBACK = 'Unable to find translation.';

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/** The realm's KBA configuration; without one AM fails the node (it cannot read IDM's). */
export function kbaConfig(context: NodeContext): KbaConfig {
  const config = context.tenant.idmConfig.get('selfservice.kba');
  if (!config) throw new NodeProcessException('Failed to retrieve KBA configuration: no selfservice.kba in IDM');
  const questions: Record<string, Record<string, string>> = {};
  const raw = config['questions'];
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [id, texts] of Object.entries(raw as Record<string, unknown>)) {
      if (!texts || typeof texts !== 'object' || Array.isArray(texts)) continue;
      const byLocale = Object.fromEntries(
        Object.entries(texts as Record<string, unknown>).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      Object.defineProperty(questions, id, { value: byLocale, enumerable: true });
    }
  }
  return {
    kbaPropertyName: typeof config['kbaPropertyName'] === 'string' ? config['kbaPropertyName'] : 'kbaInfo',
    minimumAnswersToDefine: count(config['minimumAnswersToDefine'], 0),
    minimumAnswersToVerify: count(config['minimumAnswersToVerify'], 0),
    questions,
  };
}

function acceptLanguage(context: NodeContext): string | undefined {
  const header: unknown = context.request.headers['accept-language'];
  return typeof header === 'string' ? header : undefined;
}

/** Question id → its text in the request's language (AM's fetchKbaQuestions). */
function localizedQuestions(context: NodeContext, config: KbaConfig): Map<string, string> {
  return new Map(
    Object.entries(config.questions).map(([id, texts]) => [
      id,
      localized(texts, QUESTION_FALLBACK, acceptLanguage(context)),
    ]),
  );
}

/** AM compares the chosen questions with every non-word character removed, in lower case. */
const questionKey = (question: string) => question.replace(/[^\p{L}\p{N}_]/gu, '').toLowerCase();

export const KbaCreateNode: NodeType = {
  type: 'KbaCreateNode',
  outcomes: () => ['outcome'],
  check(config) {
    const problems: string[] = [];
    if (config['allowUserDefinedQuestions'] !== undefined && typeof config['allowUserDefinedQuestions'] !== 'boolean')
      problems.push('allowUserDefinedQuestions must be true or false');
    return problems;
  },
  async process(context) {
    const config = kbaConfig(context);
    const questions = localizedQuestions(context, config);
    const prompt = localized(context.config['message'], 'Select a security question.', acceptLanguage(context));
    const allowUserDefined = context.config['allowUserDefinedQuestions'] !== false;
    // One callback per answer the configuration asks for (a configuration asking for none gets one).
    const wanted = Math.max(1, config.minimumAnswersToDefine);
    const callbacks = (kept: { question: string; answer: string }[] = []): CallbackSpec[] =>
      Array.from({ length: wanted }, (_, index) =>
        Callbacks.kbaCreate(
          prompt,
          [...questions.values()],
          allowUserDefined,
          kept[index]?.question ?? '',
          kept[index]?.answer ?? '',
        ),
      );
    if (context.callbacks.length === 0) return ask(callbacks());

    const given = context.callbacks
      .filter((callback) => callback.type === 'KbaCreateCallback')
      .map((callback) => ({
        question: stringValue(callback, 'question') ?? '',
        answer: stringValue(callback, 'answer') ?? '',
      }));
    const keys = given.map((item) => questionKey(item.question));
    const complete = given.filter((item) => item.question.trim() !== '' && item.answer.trim() !== '');
    // AM re-sends the step, keeping what was entered, when a question repeats or answers are missing.
    if (new Set(keys).size !== keys.length || complete.length < wanted) return ask(callbacks(given));

    const kbaInfo: JsonValue[] = given.map(({ question, answer }) => {
      const id = [...questions].find(([, text]) => text === question)?.[0];
      return id !== undefined ? { questionId: id, answer } : { customQuestion: question, answer };
    });
    context.nodeState.putObjectAttribute('transient', config.kbaPropertyName, kbaInfo);
    return outcome('outcome');
  },
};

/** The identity the IDM nodes look the object up by: `<identityAttribute>` from state, else `username`. */
function journeyObject(context: NodeContext, identityAttribute: string) {
  const identity = identityValue(context, identityAttribute);
  const user = identity === undefined ? undefined : findJourneyUser(context, identityAttribute);
  return user === undefined ? undefined : context.tenant.users.idmView(user);
}

export const KbaDecisionNode: NodeType = {
  type: 'KbaDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: (config) => [identityAttributeOf(config)],
  async process(context) {
    const config = kbaConfig(context);
    if (config.minimumAnswersToDefine < 0) throw new NodeProcessException('Failed to retrieve configuration values');
    const object = journeyObject(context, stringConfig(context.config, 'identityAttribute', 'userName'));
    if (!object) throw new NodeProcessException('Unable to read object');
    const kba = own(object, config.kbaPropertyName);
    const size = Array.isArray(kba) ? kba.length : kba && typeof kba === 'object' ? Object.keys(kba).length : 0;
    return outcome(kba !== undefined && kba !== null && size >= config.minimumAnswersToDefine ? 'true' : 'false');
  },
};

interface StoredAnswer {
  questionId?: string;
  customQuestion?: string;
  answer?: unknown;
}

function storedAnswers(value: unknown): StoredAnswer[] {
  if (!Array.isArray(value)) return [];
  return value.filter((entry): entry is StoredAnswer => !!entry && typeof entry === 'object' && !Array.isArray(entry));
}

export const KbaVerifyNode: NodeType = {
  type: 'KbaVerifyNode',
  outcomes: () => ['true', 'false'],
  inputs: (config) => [identityAttributeOf(config)],
  async process(context) {
    const config = kbaConfig(context);
    const attribute = stringConfig(context.config, 'kbaInfoAttribute', 'kbaInfo');
    const object = journeyObject(context, stringConfig(context.config, 'identityAttribute', 'userName'));
    if (!object) throw new NodeProcessException('Failed to retrieve user object');
    const stored = storedAnswers(own(object, attribute));

    if (context.callbacks.length === 0) {
      if (config.minimumAnswersToVerify === 0)
        throw new NodeProcessException('Minimum answers to verify is set to zero');
      if (stored.length < config.minimumAnswersToDefine)
        throw new NodeProcessException('Object has defined fewer questions than the minimum');
      const prompts: string[] = [];
      for (const entry of stored) {
        if (typeof entry.customQuestion === 'string') prompts.push(entry.customQuestion);
        else {
          const texts = typeof entry.questionId === 'string' ? own(config.questions, entry.questionId) : undefined;
          if (!texts || Object.keys(texts).length === 0)
            throw new NodeProcessException(`Question id ${String(entry.questionId)} is not defined`);
          prompts.push(localized(texts, QUESTION_FALLBACK, acceptLanguage(context)));
        }
      }
      // AM asks a random choice of `minimumAnswersToVerify` of the user's questions.
      while (prompts.length > Math.max(1, config.minimumAnswersToVerify)) prompts.splice(randomInt(prompts.length), 1);
      return ask(prompts.map((prompt) => Callbacks.password(prompt)));
    }

    const answers = context.callbacks.filter((callback) => callback.type === 'PasswordCallback');
    if (answers.length < config.minimumAnswersToVerify) return outcome('false');
    for (const callback of answers) {
      const prompt = callback.output.find((item) => item.name === 'prompt')?.value;
      const entry =
        stored.find((item) => item.customQuestion === prompt) ??
        stored.find(
          (item) =>
            typeof item.questionId === 'string' &&
            Object.values(own(config.questions, item.questionId) ?? {}).includes(String(prompt)),
        );
      if (!entry || !kbaAnswerMatches(stringValue(callback) ?? '', entry.answer)) return outcome('false');
    }
    return outcome('true');
  },
};
