/**
 * Names an export or a script gives that are Object.prototype's (`toString`, `constructor`,
 * `valueOf`, `hasOwnProperty`, `__proto__`): node ids, outcomes, connection targets, attribute
 * names, session property names. Each is an ordinary name: looked up as an own property (or in a
 * Map), never found on Object.prototype, never set as a prototype, and kept through the JSON a
 * journey session or a tenant's journeys are stored as (Redis, state files).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { executeTree } from '../../../emulator/journeys/executor.js';
import { lintJourney } from '../../../emulator/journeys/lint.js';
import { decodeExport } from '../../../emulator/state/journeys/import/formats.js';
import type { JourneyTree } from '../../../emulator/state/journeys/model.js';
import { newTreeState, type TreeState } from '../../../emulator/state/journeys/tree-state.js';
import {
  ALICE,
  NodeHarness,
  SUCCESS,
  addTree,
  answer,
  asked,
  emptyJourneys,
  execution,
  script,
  scriptSets,
  sessionOf,
  testServices,
} from '../../helpers/node-context.js';

const PROTOTYPE_NAMES = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'] as const;

/** What the executor or a node could have written onto Object.prototype by mistake. */
const POLLUTION = ['currentNodeId', 'shared', 'transient', 'secure', 'identifiedUserId', 'inner', 'nodeData'];

afterEach(() => {
  const polluted = POLLUTION.filter((key) => Object.hasOwn(Object.prototype, key));
  // Undo it, so that one failing test does not fail the others.
  for (const key of polluted) delete (Object.prototype as Record<string, unknown>)[key];
  expect(polluted, 'Object.prototype was written to').toEqual([]);
});

function setup() {
  const services = testServices();
  const journeys = emptyJourneys();
  return { services, journeys, exec: () => execution(services, journeys) };
}

/** A journey session's state as the Redis store and state files keep it: through JSON. */
const throughJson = (state: TreeState): TreeState => JSON.parse(JSON.stringify(state)) as TreeState;

describe('the linter', () => {
  it('warns of unconnected outcomes named like Object.prototype members', () => {
    const { journeys } = setup();
    journeys.scripts.set('s', script('s'));
    addTree(journeys, 'Proto', [
      {
        id: 'decide',
        type: 'ScriptedDecisionNode',
        name: 'Decide',
        connections: { true: SUCCESS },
        config: { script: 's', outcomes: ['true', ...PROTOTYPE_NAMES] },
      },
    ]);
    expect(lintJourney(journeys, 'Proto').map((problem) => problem.message)).toEqual(
      PROTOTYPE_NAMES.map((name) => `the outcome "${name}" is not connected`),
    );
  });

  it('reports an entry node or a connection target named like them that is not a node of the journey', () => {
    const { journeys } = setup();
    addTree(
      journeys,
      'Proto',
      [{ id: 'ask', type: 'UsernameCollectorNode', connections: { outcome: 'hasOwnProperty' }, config: {} }],
      { entry: 'valueOf' },
    );
    expect(lintJourney(journeys, 'Proto').map((problem) => [problem.severity, problem.message])).toEqual([
      ['error', 'the entry node valueOf is not in the journey'],
      ['error', 'the outcome "outcome" leads to hasOwnProperty, which is not a node of the journey'],
    ]);
  });
});

describe('the executor', () => {
  it('an entry node or a connection to a node named like them that the journey lacks: no such node', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Entry', [{ id: 'a', type: 'UsernameCollectorNode', config: {} }], { entry: 'valueOf' });
    await expect(executeTree(exec(), 'Entry', newTreeState(), [])).rejects.toThrow(
      'journey "Entry" has no node valueOf',
    );
    addTree(journeys, 'Next', [
      { id: 'ask', type: 'UsernameCollectorNode', connections: { outcome: 'constructor' }, config: {} },
    ]);
    const state = newTreeState();
    const step = await executeTree(exec(), 'Next', state, []);
    await expect(executeTree(exec(), 'Next', state, answer(asked(step), 'alice'))).rejects.toThrow(
      'journey "Next" has no node constructor',
    );
  });
});

describe('an export whose node ids, outcomes and settings are named like them', () => {
  // As text: JSON.parse makes `__proto__` an own key, as reading an export file does.
  const exported = `{
    "tree": {
      "_id": "Proto",
      "entryNodeId": "__proto__",
      "nodes": {
        "__proto__": { "nodeType": "UsernameCollectorNode", "connections": { "outcome": "constructor" } },
        "constructor": { "nodeType": "ScriptedDecisionNode", "connections": { "__proto__": "${SUCCESS}" } }
      }
    },
    "nodes": {
      "__proto__": { "_type": { "_id": "UsernameCollectorNode" } },
      "constructor": {
        "_type": { "_id": "ScriptedDecisionNode" },
        "script": "s",
        "outcomes": ["__proto__"],
        "__proto__": { "script": "not-this-one" }
      }
    },
    "scripts": { "s": { "name": "s", "script": "outcome = '__proto__';", "evaluatorVersion": "2.0" } }
  }`;

  it('decodes them as own keys, not as prototypes', () => {
    const { bundle, problems } = decodeExport(JSON.parse(exported), 'test');
    expect(problems).toEqual([]);
    const tree = bundle.trees.get('Proto') as JourneyTree;
    expect(Object.keys(tree.nodes)).toEqual(['__proto__', 'constructor']);
    expect(Object.hasOwn(tree.nodes['constructor']?.connections ?? {}, '__proto__')).toBe(true);
    const config = bundle.nodes.get('constructor')?.config ?? {};
    expect(Object.hasOwn(config, '__proto__')).toBe(true);
    expect(config['script']).toBe('s');
    expect(JSON.stringify(config)).toContain('"__proto__":{"script":"not-this-one"}');
  });

  it('lints clean and runs to Success through them, decoded or restored from JSON', async () => {
    for (const restored of [false, true]) {
      const { services, journeys, exec } = setup();
      const { bundle } = decodeExport(JSON.parse(exported), 'test');
      for (const [id, node] of bundle.nodes) journeys.nodes.set(id, node);
      for (const [id, source] of bundle.scripts) journeys.scripts.set(id, source);
      const tree = bundle.trees.get('Proto') as JourneyTree;
      // As the state file and the Redis sync keep a tenant's journeys.
      journeys.trees.set('Proto', restored ? (JSON.parse(JSON.stringify(tree)) as JourneyTree) : tree);
      expect(lintJourney(journeys, 'Proto')).toEqual([]);
      services.scripts.behaviour = () => scriptSets('__proto__');
      const state = newTreeState();
      const step = await executeTree(exec(), 'Proto', state, []);
      expect(step).toMatchObject({ kind: 'callbacks', callbacks: [{ type: 'NameCallback' }] });
      expect(state.currentNodeId).toBe('__proto__');
      const resumed = throughJson(state);
      expect(await executeTree(exec(), 'Proto', resumed, answer(asked(step), 'alice'))).toEqual({
        kind: 'done',
        success: true,
      });
      expect(resumed.shared['username']).toBe('alice');
    }
  });
});

describe('node ids named like them', () => {
  it.each(PROTOTYPE_NAMES)('an Inner Tree Evaluator %s keeps its inner journey’s state as its own', async (id) => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Inner', [{ id: 'ask', type: 'UsernameCollectorNode', connections: { outcome: SUCCESS } }]);
    journeys.nodes.set('ask', { id: 'ask', type: 'UsernameCollectorNode', version: undefined, config: {} });
    addTree(journeys, 'Outer', [
      { id, type: 'InnerTreeEvaluatorNode', connections: { true: SUCCESS, false: 'x' }, config: { tree: 'Inner' } },
    ]);
    const state = newTreeState();
    const step = await executeTree(exec(), 'Outer', state, []);
    expect(step).toMatchObject({ kind: 'callbacks', callbacks: [{ type: 'NameCallback' }] });
    expect(Object.keys(state.inner)).toEqual([id]);
    const resumed = throughJson(state);
    expect(await executeTree(exec(), 'Outer', resumed, answer(asked(step), 'alice'))).toEqual({
      kind: 'done',
      success: true,
    });
    expect(resumed.shared['username']).toBe('alice');
    expect(Object.keys(resumed.inner)).toEqual([]);
  });

  it.each(PROTOTYPE_NAMES)('a Page Node %s keeps its callback layout as its own', async (id) => {
    const { journeys, exec } = setup();
    journeys.nodes.set('user', { id: 'user', type: 'UsernameCollectorNode', version: undefined, config: {} });
    journeys.nodes.set('pass', { id: 'pass', type: 'PasswordCollectorNode', version: undefined, config: {} });
    addTree(journeys, 'Paged', [
      {
        id,
        type: 'PageNode',
        connections: { outcome: 'check' },
        config: {
          nodes: [
            { _id: 'user', nodeType: 'UsernameCollectorNode' },
            { _id: 'pass', nodeType: 'PasswordCollectorNode' },
          ],
        },
      },
      { id: 'check', type: 'DataStoreDecisionNode', connections: { true: SUCCESS, false: 'x' }, config: {} },
    ]);
    const state = newTreeState();
    const step = await executeTree(exec(), 'Paged', state, []);
    expect(asked(step).map((callback) => callback.type)).toEqual(['NameCallback', 'PasswordCallback']);
    expect(Object.keys(state.nodeData)).toEqual([id]);
    const resumed = throughJson(state);
    expect(await executeTree(exec(), 'Paged', resumed, answer(asked(step), 'alice', ALICE.password))).toEqual({
      kind: 'done',
      success: true,
    });
    expect(Object.keys(resumed.nodeData)).toEqual([]);
  });
});

describe('attribute names named like them', () => {
  it.each(PROTOTYPE_NAMES)('Attribute Present Decision: %s is not present on a user without it', async (name) => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    expect(await harness.process('AttributePresentDecisionNode', { presentAttribute: name })).toEqual({
      kind: 'outcome',
      outcome: 'false',
    });
  });

  it('Identify Existing User: an identifier named like them sets no username', async () => {
    const harness = new NodeHarness({ shared: { objectAttributes: { mail: ALICE.mail } } });
    expect(await harness.process('IdentifyExistingUserNode', { identifier: 'constructor' })).toEqual({
      kind: 'outcome',
      outcome: 'true',
    });
    expect(harness.state.shared['username']).toBeUndefined();
  });

  it('Attribute Collector: prompts with the name, starts empty, and stores answers as own attributes', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    const config = { attributesToCollect: ['constructor', 'toString', 'valueOf/inner'] };
    const step = await harness.process('AttributeCollectorNode', config);
    expect(
      asked(step).map((callback) => [
        callback.type,
        callback.output.find((item) => item.name === 'prompt')?.value,
        callback.output.find((item) => item.name === 'value')?.value,
      ]),
    ).toEqual([
      ['StringAttributeInputCallback', 'constructor', ''],
      ['StringAttributeInputCallback', 'toString', ''],
      ['StringAttributeInputCallback', 'valueOf/inner', ''],
    ]);
    expect(
      await harness.process('AttributeCollectorNode', config, { callbacks: answer(asked(step), 'a', 'b', 'c') }),
    ).toEqual({ kind: 'outcome', outcome: 'outcome' });
    expect(throughJson(harness.state).shared['objectAttributes']).toEqual({
      constructor: 'a',
      toString: 'b',
      valueOf: { inner: 'c' },
    });
  });
});

describe('session property names named like them', () => {
  it.each(PROTOTYPE_NAMES)('Get Session Data: %s is no property of a session without it', async (name) => {
    const harness = new NodeHarness();
    const existingSession = sessionOf(harness.services, ALICE._id, { properties: { Colour: 'blue' } });
    await harness.process('SessionDataNode', { sessionDataKey: name, sharedStateKey: 'copied' }, { existingSession });
    expect(harness.state.shared).toEqual({});
  });

  it('a script’s session properties are kept as own properties, `__proto__` included', async () => {
    const harness = new NodeHarness();
    harness.journeys.scripts.set('s', script('s'));
    harness.services.scripts.behaviour = () => ({
      ...scriptSets('true'),
      action: {
        callbacks: [],
        legacyCallbacks: [],
        unused: true,
        sessionProperties: JSON.parse('{"__proto__": "a", "constructor": "b", "toString": "c"}') as Record<
          string,
          string
        >,
        removedSessionProperties: [],
      },
    });
    expect(await harness.process('ScriptedDecisionNode', { script: 's', outcomes: ['true'] })).toEqual({
      kind: 'outcome',
      outcome: 'true',
    });
    expect(Object.getPrototypeOf(harness.state.sessionProperties)).toBe(Object.prototype);
    expect(throughJson(harness.state).sessionProperties).toEqual(
      JSON.parse('{"__proto__": "a", "constructor": "b", "toString": "c"}'),
    );
  });
});
