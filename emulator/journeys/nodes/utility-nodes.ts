/**
 * AM's utility nodes (am-external 8.0.2, auth-nodes, with their .properties): Set State, Choice
 * Collector, Anonymous User Mapping, State metadata (MetadataNode) and Polling Wait.
 */
import { Callbacks, selectedIndex } from '../../state/journeys/callbacks.js';
import { own } from '../../state/journeys/model.js';
import type { JsonObject } from '../../state/journeys/tree-state.js';
import { NodeProcessException, ask, localized, outcome, type NodeContext, type NodeType } from './node.js';

function stringMap(value: unknown): [string, string][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

const isObject = (value: unknown) => !!value && typeof value === 'object' && !Array.isArray(value);

function acceptLanguage(context: NodeContext): string | undefined {
  const header: unknown = context.request.headers['accept-language'];
  return typeof header === 'string' ? header : undefined;
}

/** Set State (SetStateNode.java): each configured `attributes` entry into shared state, replacing any copy in transient or secure state. */
export const SetStateNode: NodeType = {
  type: 'SetStateNode',
  outcomes: () => ['outcome'],
  check(config) {
    const attributes = config['attributes'];
    if (attributes === undefined) return [];
    if (!isObject(attributes)) return ['attributes must be a map of names to text values'];
    const bad = Object.entries(attributes as Record<string, unknown>)
      .filter(([, value]) => typeof value !== 'string')
      .map(([key]) => key);
    return bad.length > 0 ? [`attributes must be text values (not ${bad.join(', ')})`] : [];
  },
  async process(context) {
    for (const [key, value] of stringMap(context.config['attributes'])) {
      context.nodeState.remove(key);
      context.nodeState.putShared(key, value);
    }
    return outcome('outcome');
  },
};

/**
 * Choice Collector (ChoiceCollectorNode.java): one outcome per entry of `choices` (id and display
 * name the choice itself). Two or more: a ChoiceCallback with `prompt`, the default being
 * `defaultChoice` (the first when it is not a choice); the index submitted names the outcome. One:
 * taken without asking. None: the node fails. AM drops the choices whose path cannot reach shared
 * `targetAuthLevel`; the emulator keeps no auth levels, so it offers them all (docs/fidelity.md).
 */
export const ChoiceCollectorNode: NodeType = {
  type: 'ChoiceCollectorNode',
  outcomes: (config) => stringList(config['choices']),
  check(config) {
    const choices = config['choices'];
    if (!Array.isArray(choices) || choices.length === 0) return ['choices must list at least one choice'];
    const problems: string[] = [];
    if (choices.some((choice) => typeof choice !== 'string')) problems.push('choices must be text');
    const texts = stringList(choices);
    if (new Set(texts).size !== texts.length) problems.push('choices must not repeat');
    return problems;
  },
  async process(context) {
    const choices = stringList(context.config['choices']);
    const answer = context.callbacks.find((callback) => callback.type === 'ChoiceCallback');
    const index = selectedIndex(answer);
    if (answer && index !== undefined) {
      const choice = choices[index];
      if (choice === undefined || index < 0)
        throw new NodeProcessException(`Choice Collector: no choice at index ${index} (${choices.length} choices)`);
      return outcome(choice);
    }
    if (choices.length === 0)
      throw new NodeProcessException("Node doesn't have outcomes which can give auth level >= target");
    if (choices.length === 1) return outcome(choices[0] as string);
    const defaultIndex = Math.max(0, choices.indexOf(configString(context.config['defaultChoice'])));
    return ask([Callbacks.choice(configString(context.config['prompt']), choices, defaultIndex)]);
  },
};

function configString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Anonymous User Mapping (AnonymousUserNode.java): shared `username` ← `anonymousUserName`
 * (default `anonymous`), and that user identified for the session. AM needs the user to exist in
 * the realm when it makes the session; the emulator fails the node at once when it does not.
 */
export const AnonymousUserNode: NodeType = {
  type: 'AnonymousUserNode',
  outcomes: () => ['outcome'],
  check(config) {
    const name = config['anonymousUserName'];
    return name !== undefined && (typeof name !== 'string' || name === '')
      ? ['anonymousUserName must be the name of a user of the realm']
      : [];
  },
  async process(context) {
    const configured = context.config['anonymousUserName'];
    const name = configured === undefined ? 'anonymous' : configured;
    if (typeof name !== 'string' || name === '')
      throw new NodeProcessException('Anonymous user name could not be found in the configuration');
    const user = context.tenant.users.findByUserName(context.realm.path, name);
    if (!user)
      throw new NodeProcessException(`Anonymous User Mapping: no user "${name}" in realm ${context.realm.path}`);
    context.nodeState.putShared('username', name);
    context.state.identifiedUserId = user._id;
    return outcome('outcome');
  },
};

/**
 * State metadata (MetadataNode.java): always a MetadataCallback whose `data` holds the shared
 * state's entries named in `attributes`. It never decides: it belongs in a Page Node beside a node
 * that does (the page goes on with that node's outcome).
 */
export const MetadataNode: NodeType = {
  type: 'MetadataNode',
  outcomes: () => ['outcome'],
  inputs: (config) => stringList(config['attributes']),
  check(config) {
    const attributes = config['attributes'];
    return attributes !== undefined &&
      (!Array.isArray(attributes) || attributes.some((item) => typeof item !== 'string'))
      ? ['attributes must be a list of shared state names']
      : [];
  },
  async process(context) {
    const wanted = new Set(stringList(context.config['attributes']));
    const data: JsonObject = {};
    for (const [key, value] of Object.entries(context.state.shared))
      if (wanted.has(key)) Object.defineProperty(data, key, { value, enumerable: true });
    return ask([Callbacks.metadata(data)]);
  },
};

const EXIT_PRESSED = 0;
const EXIT_NOT_PRESSED = 100;

function whole(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/**
 * Polling Wait (PollingWaitNode.java, wait/WaitingHelper.java): a PollingWaitCallback
 * (`waitTime` in milliseconds, `waitingMessage` with `{{time}}` as the seconds) until
 * `secondsToWait` have passed on the tenant clock since the first visit, then `DONE`. With
 * `exitable`, a ConfirmationCallback offers `exitMessage` (selected index 100 until pressed, 0
 * when pressed → `EXITED`); with `spamDetectionEnabled`, more than `spamDetectionTolerance`
 * submissions before the time is up → `SPAM`. The end time and the count are kept in shared
 * `<node id>.end_time` (epoch ms) and `<node id>.spam_count`, removed when the node completes.
 */
export const PollingWaitNode: NodeType = {
  type: 'PollingWaitNode',
  outcomes: (config) => [
    'DONE',
    ...(config['exitable'] === true ? ['EXITED'] : []),
    ...(config['spamDetectionEnabled'] === true ? ['SPAM'] : []),
  ],
  check(config) {
    const problems: string[] = [];
    for (const key of ['secondsToWait', 'spamDetectionTolerance']) {
      const value = config[key];
      if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0))
        problems.push(`${key} must be a whole number, 0 or more`);
    }
    for (const key of ['exitable', 'spamDetectionEnabled'])
      if (config[key] !== undefined && typeof config[key] !== 'boolean') problems.push(`${key} must be true or false`);
    return problems;
  },
  async process(context) {
    const seconds = Math.max(0, whole(context.config['secondsToWait'], 8));
    const endKey = `${context.node.id}.end_time`;
    const countKey = `${context.node.id}.spam_count`;
    const shared = context.state.shared;
    const complete = (name: string) => {
      delete shared[endKey];
      delete shared[countKey];
      return outcome(name);
    };
    const exitable = context.config['exitable'] === true;
    if (exitable) {
      const pressed = selectedIndex(context.callbacks.find((callback) => callback.type === 'ConfirmationCallback'));
      if (pressed === EXIT_PRESSED) return complete('EXITED');
    }
    const storedCount = own(shared, countKey);
    const count = typeof storedCount === 'number' ? storedCount : -1;
    if (context.config['spamDetectionEnabled'] === true && count > whole(context.config['spamDetectionTolerance'], 3))
      return complete('SPAM');
    const now = context.tenant.clock.now();
    const storedEnd = own(shared, endKey);
    const end = typeof storedEnd === 'number' ? storedEnd : now + seconds * 1000;
    if (now > end) return complete('DONE');

    context.nodeState.putShared(endKey, end);
    context.nodeState.putShared(countKey, count + 1);
    const language = acceptLanguage(context);
    const message = localized(context.config['waitingMessage'], 'Waiting for response...', language).replace(
      /\{\{time\}\}/g,
      String(seconds),
    );
    const callbacks = [Callbacks.pollingWait(seconds * 1000, message)];
    if (exitable)
      callbacks.push(
        Callbacks.confirmation(
          [localized(context.config['exitMessage'], 'Cancel', language)],
          EXIT_PRESSED,
          0,
          '',
          -1,
          EXIT_NOT_PRESSED,
        ),
      );
    return ask(callbacks);
  },
};
