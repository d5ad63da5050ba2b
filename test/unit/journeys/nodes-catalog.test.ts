/**
 * The node catalog as a whole (emulator/journeys/nodes/index.ts): every node type in it has its
 * unit tests in a test/unit/journeys/nodes-*.test.ts file, declares its outcomes, and meets a
 * configuration an export got wrong (values of the wrong type, prototype names) with callbacks, a
 * declared outcome or a NodeProcessException, never a TypeError from inside the node.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomesOf } from '../../../emulator/journeys/lint.js';
import { nodeType, supportedNodeTypes } from '../../../emulator/journeys/nodes/index.js';
import { NodeProcessException, type NodeResult } from '../../../emulator/journeys/nodes/node.js';
import { PROJECT_ROOT } from '../../helpers/optional.js';
import { NodeHarness, addNodeConfig, answer, emptyJourneys, script, scriptSets } from '../../helpers/node-context.js';

const HERE = join(PROJECT_ROOT, 'test', 'unit', 'journeys');

describe('the node catalog', () => {
  it('has unit tests for every node type: a describe named after it in a nodes-*.test.ts file', () => {
    const sources = readdirSync(HERE)
      .filter((name) => /^nodes-.*\.test\.ts$/.test(name))
      .map((name) => readFileSync(join(HERE, name), 'utf8'))
      .join('\n');
    const untested = supportedNodeTypes().filter((type) => !sources.includes(`describe('${type}'`));
    expect(untested).toEqual([]);
    // Not an empty catalog that would pass the check above vacuously.
    expect(supportedNodeTypes()).toEqual(
      expect.arrayContaining(['PageNode', 'ScriptedDecisionNode', 'EmailSuspendNode']),
    );
  });

  it('each type declares its outcomes; a page takes its last child’s (prefixed with the child’s id on a 2.0 page)', () => {
    for (const type of supportedNodeTypes()) {
      const outcomes = nodeType(type)?.outcomes({ nodeType: 'MessageNode', outcomes: ['a'], choices: ['a'] }) ?? [];
      if (type === 'PageNode') expect(outcomes).toEqual([]);
      else expect(outcomes.length, type).toBeGreaterThan(0);
    }
    const journeys = emptyJourneys();
    addNodeConfig(journeys, 'last', 'DataStoreDecisionNode', {});
    const page = { id: 'page', nodeType: 'PageNode', displayName: 'Page', connections: {} };
    const config = {
      nodes: [
        { _id: 'first', nodeType: 'MessageNode' },
        { _id: 'last', nodeType: 'DataStoreDecisionNode' },
      ],
    };
    expect(outcomesOf(journeys, page, { id: 'page', type: 'PageNode', version: undefined, config })).toEqual([
      'true',
      'false',
    ]);
    expect(outcomesOf(journeys, page, { id: 'page', type: 'PageNode', version: '2.0', config })).toEqual([
      'last-true',
      'last-false',
    ]);
  });
});

/** Every configuration key a node of the catalog reads. */
const KEYS = [
  'script',
  'outcomes',
  'nodeType',
  'message',
  'messageYes',
  'messageNo',
  'stateField',
  'nodes',
  'pageHeader',
  'pageDescription',
  'stage',
  'usernameAttribute',
  'passwordAttribute',
  'validateInput',
  'allowWithoutReferer',
  'referrerWhiteList',
  'successUrl',
  'failureUrl',
  'identityAttribute',
  'identifier',
  'tree',
  'displayErrorOutcome',
  'amount',
  'interval',
  'queryFilter',
  'attributesToCollect',
  'required',
  'ignoredFields',
  'presentAttribute',
  'retryLimit',
  'sessionDataKey',
  'sharedStateKey',
  'lockAction',
  'minPasswordLength',
  'allowUserDefinedQuestions',
  'kbaInfoAttribute',
  'minimumPasswordLength',
  'useUniversalIdForUsername',
  'comparisonAttribute',
  'comparisonOperation',
  'comparisonValue',
  'userName',
  'attributes',
  'choices',
  'defaultChoice',
  'prompt',
  'anonymousUserName',
  'secondsToWait',
  'spamDetectionEnabled',
  'spamDetectionTolerance',
  'waitingMessage',
  'exitable',
  'exitMessage',
  'properties',
  'maxSessionTime',
  'maxIdleTime',
  'cookieName',
  'startTimeProperty',
  'metricKey',
  'allowedQueryParameters',
  'queryParametersToBeDelimited',
  'allowedHeaders',
  'headersToBeDelimited',
  'idleTimeout',
  'maxLife',
  'useSecureCookie',
  'useHttpOnlyCookie',
  'persistentCookieName',
  'enforceClientIp',
];

/** Values of the wrong type for every key at once (JSON, as an export holds them). */
const WRONG_VALUES: [string, unknown][] = [
  ['null', null],
  ['a number', 42],
  ['false', false],
  ['an object', { en: 7 }],
  ['an empty array', []],
  ['an array of numbers', [1, 2]],
  ['"__proto__"', '__proto__'],
];

/** Runs a node with a configuration, a visit without answers and, if it asks, one with the step's defaults. */
async function visitTwice(type: string, config: Record<string, unknown>): Promise<NodeResult[]> {
  const harness = new NodeHarness({ shared: { username: 'alice' } });
  harness.journeys.scripts.set('42', script('42'));
  harness.services.scripts.behaviour = () => ({
    ...scriptSets('a'),
    config: { set: true, type: 'object', value: config },
  });
  const results: NodeResult[] = [];
  try {
    const first = await harness.process(type, config);
    results.push(first);
    if (first.kind === 'callbacks')
      results.push(await harness.process(type, config, { callbacks: answer(first.callbacks) }));
  } catch (error) {
    // A NodeProcessException is how a node refuses its configuration (the journey ends in an error).
    if (!(error instanceof NodeProcessException)) throw error;
  }
  return results;
}

describe('a configuration of the wrong shape', () => {
  it.each(
    supportedNodeTypes().flatMap((type) =>
      WRONG_VALUES.map(([label, value]) => [type, label, Object.fromEntries(KEYS.map((key) => [key, value]))] as const),
    ),
  )(
    '%s with every setting %s: callbacks, a declared outcome or a NodeProcessException',
    async (type, _label, config) => {
      for (const result of await visitTwice(type, config)) {
        if (result.kind === 'callbacks') {
          for (const callback of result.callbacks) expect(callback.type, type).toMatch(/^[A-Z][A-Za-z]+Callback$/);
        }
      }
    },
  );

  it('no configuration at all: the same', async () => {
    for (const type of supportedNodeTypes()) await visitTwice(type, {});
  });
});

describe('attribute names that are Object.prototype’s', () => {
  // Was a bug: the node looked each name up in SCHEMA, a plain object literal, so `constructor` and
  // `__proto__` found Object.prototype's members there instead of "no entry", and the callback's
  // type was built from their missing `kind`: `undefinedAttributeInputCallback`.
  it('AttributeCollectorNode renders __proto__ and constructor as String inputs like any unknown attribute', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    const result = await harness.process('AttributeCollectorNode', {
      attributesToCollect: ['constructor', '__proto__'],
    });
    expect(result.kind).toBe('callbacks');
    if (result.kind !== 'callbacks') return;
    expect(result.callbacks.map((callback) => callback.type)).toEqual([
      'StringAttributeInputCallback',
      'StringAttributeInputCallback',
    ]);
  });
});
