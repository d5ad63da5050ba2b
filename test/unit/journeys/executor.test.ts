/**
 * The tree executor (emulator/journeys/executor.ts) over trees built in memory, with the state
 * classes and a fake script runner (no Tenant, no HTTP): it follows outcomes from the entry node,
 * pauses where a node asks and resumes there, runs inner trees, keeps across a pause only the
 * transient state the journey's nodes use,
 * stops a loop at its visit limit, refuses a missing tree, node or connection, and records each
 * node visit in the run.
 */
import { describe, expect, it } from 'vitest';
import { executeTree } from '../../../emulator/journeys/executor.js';
import { NodeProcessException } from '../../../emulator/journeys/nodes/node.js';
import { Callbacks } from '../../../emulator/state/journeys/callbacks.js';
import { RunHistory } from '../../../emulator/state/journeys/runs.js';
import { newTreeState } from '../../../emulator/state/journeys/tree-state.js';
import {
  ALICE,
  FAILURE,
  SUCCESS,
  addNodeConfig,
  addTree,
  answer,
  asked,
  describeCallbacks,
  emptyJourneys,
  execution,
  script,
  scriptSets,
  testServices,
  type NodeSpec,
} from '../../helpers/node-context.js';

/** What a Password Collector asks, to answer it when a test starts a journey there. */
const passwordSpec = Callbacks.password('Password');

/** A login: a username, a password, the data store; Success or Failure. */
function loginNodes(prefix = ''): NodeSpec[] {
  return [
    { id: `${prefix}user`, type: 'UsernameCollectorNode', connections: { outcome: `${prefix}pass` }, config: {} },
    { id: `${prefix}pass`, type: 'PasswordCollectorNode', connections: { outcome: `${prefix}check` }, config: {} },
    {
      id: `${prefix}check`,
      type: 'DataStoreDecisionNode',
      name: 'Data Store Decision',
      connections: { true: SUCCESS, false: FAILURE },
      config: {},
    },
  ];
}

const setUrl = (id: string, next: string, url = `/${id}`): NodeSpec => ({
  id,
  type: 'SetSuccessUrlNode',
  connections: { outcome: next },
  config: { successUrl: url },
});

/** A chain of `count` Success URL nodes (ids `<prefix>0`…), the last leading to `end`. */
const chain = (count: number, end: string, prefix = 'n'): NodeSpec[] =>
  Array.from({ length: count }, (_, i) => setUrl(`${prefix}${i}`, i === count - 1 ? end : `${prefix}${i + 1}`));

function setup() {
  const services = testServices();
  const journeys = emptyJourneys();
  return { services, journeys, exec: () => execution(services, journeys) };
}

describe('following outcomes', () => {
  it('runs from the entry node along each outcome’s connection to Success, in one call when nobody asks', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'T', [setUrl('a', 'b', '/first'), setUrl('b', SUCCESS, '/second')]);
    const state = newTreeState();
    expect(await executeTree(exec(), 'T', state, [])).toEqual({ kind: 'done', success: true });
    expect(state.shared['successUrl']).toBe('/second');
    expect(state.currentNodeId).toBeUndefined();
  });

  it('takes the branch the node chose: Failure', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'T', loginNodes());
    const state = newTreeState({ username: 'alice' });
    state.currentNodeId = 'pass';
    const result = await executeTree(exec(), 'T', state, answer([passwordSpec], 'wrong'));
    expect(result).toEqual({ kind: 'done', success: false });
  });

  it('a tree whose entry is Success or Failure ends at once', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Yes', [], { entry: SUCCESS });
    addTree(journeys, 'No', [], { entry: FAILURE });
    expect(await executeTree(exec(), 'Yes', newTreeState(), [])).toEqual({ kind: 'done', success: true });
    expect(await executeTree(exec(), 'No', newTreeState(), [])).toEqual({ kind: 'done', success: false });
  });
});

describe('pausing and resuming', () => {
  it('pauses at the node that asks and resumes there with the answers', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'T', [setUrl('start', 'user'), ...loginNodes()]);
    const ex = exec();
    const state = newTreeState();

    const first = await executeTree(ex, 'T', state, []);
    expect(describeCallbacks(first)).toEqual(['NameCallback: User Name']);
    expect(state.currentNodeId).toBe('user');

    const second = await executeTree(ex, 'T', state, answer(asked(first), 'alice'));
    expect(describeCallbacks(second)).toEqual(['PasswordCallback: Password']);
    expect(state.currentNodeId).toBe('pass');
    expect(state.shared).toMatchObject({ username: 'alice' });

    const third = await executeTree(ex, 'T', state, answer(asked(second), ALICE.password));
    expect(third).toEqual({ kind: 'done', success: true });
    expect(state.identifiedUserId).toBe(ALICE._id);
    expect(state.currentNodeId).toBeUndefined();
    // The entry node ran once: each step resumed where the journey stood.
    expect(ex.run.record.visits.map((visit) => `${visit.nodeId}:${visit.outcome ?? visit.callbacks?.join()}`)).toEqual([
      'start:outcome',
      'user:NameCallback',
      'user:outcome',
      'pass:PasswordCallback',
      'pass:outcome',
      'check:true',
    ]);
  });

  it('the answers go to the node that asked, not to the next one that would take them', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Twice', [
      { id: 'first', type: 'UsernameCollectorNode', connections: { outcome: 'second' }, config: {} },
      { id: 'second', type: 'UsernameCollectorNode', connections: { outcome: SUCCESS }, config: {} },
    ]);
    const state = newTreeState();
    const first = await executeTree(exec(), 'Twice', state, []);
    const second = await executeTree(exec(), 'Twice', state, answer(asked(first), 'alice'));
    expect(describeCallbacks(second)).toEqual(['NameCallback: User Name']);
    expect(state.currentNodeId).toBe('second');
  });

  it('transient state lasts while the journey runs; at a pause it is kept (as secure state) only for what the journey’s nodes use', async () => {
    const { journeys, exec } = setup();
    // Password then Data Store in one request: the transient password is still there.
    addTree(journeys, 'Direct', loginNodes().slice(1));
    const direct = newTreeState({ username: 'alice' });
    direct.currentNodeId = 'pass';
    expect(await executeTree(exec(), 'Direct', direct, answer([passwordSpec], ALICE.password))).toEqual({
      kind: 'done',
      success: true,
    });

    // With a Message Node between them the journey pauses: Data Store Decision uses the password
    // (AM's getInputs), so it is kept, encrypted on AM, as secure state; what nobody uses is dropped.
    addTree(journeys, 'Paused', [
      { id: 'pass', type: 'PasswordCollectorNode', connections: { outcome: 'ask' }, config: {} },
      { id: 'ask', type: 'MessageNode', connections: { true: 'check', false: FAILURE }, config: {} },
      { id: 'check', type: 'DataStoreDecisionNode', connections: { true: SUCCESS, false: FAILURE }, config: {} },
    ]);
    const paused = newTreeState({ username: 'alice' });
    paused.currentNodeId = 'pass';
    paused.secure['otp'] = '123456';
    const message = await executeTree(exec(), 'Paused', paused, answer([passwordSpec], ALICE.password));
    expect(message.kind).toBe('callbacks');
    expect(paused.transient).toEqual({});
    expect(paused.secure).toEqual({ password: ALICE.password });
    expect(paused.shared).toEqual({ username: 'alice' });
    expect(await executeTree(exec(), 'Paused', paused, answer(asked(message), undefined, 0))).toEqual({
      kind: 'done',
      success: true,
    });

    // No node of the journey uses the password: it does not outlive the pause.
    addTree(journeys, 'Unused', [
      { id: 'pass', type: 'PasswordCollectorNode', connections: { outcome: 'ask' }, config: {} },
      { id: 'ask', type: 'MessageNode', connections: { true: SUCCESS, false: FAILURE }, config: {} },
    ]);
    const unused = newTreeState({ username: 'alice' });
    unused.currentNodeId = 'pass';
    await executeTree(exec(), 'Unused', unused, answer([passwordSpec], ALICE.password));
    expect(unused.secure).toEqual({});
    expect(unused.transient).toEqual({});
  });

  it('a node that uses everything (a scripted node with inputs ["*"]) keeps all transient state across a pause', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Scripted', [
      { id: 'pass', type: 'PasswordCollectorNode', connections: { outcome: 'ask' }, config: {} },
      { id: 'ask', type: 'MessageNode', connections: { true: 'script', false: FAILURE }, config: {} },
      {
        id: 'script',
        type: 'ScriptedDecisionNode',
        connections: { true: SUCCESS },
        config: { script: 'none', outcomes: ['true'], inputs: ['*'] },
      },
    ]);
    const state = newTreeState({ username: 'alice' });
    state.currentNodeId = 'pass';
    state.transient['other'] = 'kept';
    await executeTree(exec(), 'Scripted', state, answer([passwordSpec], ALICE.password));
    expect(state.secure).toEqual({ other: 'kept', password: ALICE.password });
    // Declared inputs narrow it: a name inside objectAttributes is kept with its container.
    addTree(journeys, 'Narrow', [
      { id: 'ask', type: 'MessageNode', connections: { true: 'script', false: FAILURE }, config: {} },
      {
        id: 'script',
        type: 'ScriptedDecisionNode',
        connections: { true: SUCCESS },
        config: { script: 'none', outcomes: ['true'], inputs: ['password'] },
      },
    ]);
    const narrow = newTreeState();
    narrow.transient = { password: 'p', other: 'x', objectAttributes: { password: 'q', givenName: 'Al' } };
    await executeTree(exec(), 'Narrow', narrow, []);
    expect(narrow.secure).toEqual({ password: 'p', objectAttributes: { password: 'q' } });
  });
});

describe('inner trees', () => {
  function outerAndInner() {
    const { services, journeys, exec } = setup();
    addTree(journeys, 'Outer', [
      {
        id: 'evaluate',
        type: 'InnerTreeEvaluatorNode',
        name: 'Inner Tree Evaluator',
        connections: { true: 'after', false: FAILURE },
        config: { tree: 'Inner' },
      },
      setUrl('after', SUCCESS, '/after-inner'),
    ]);
    addTree(journeys, 'Inner', loginNodes('inner-'));
    return { services, journeys, exec };
  }

  it('runs the inner tree’s steps as the evaluator’s, keeping its state by node; on Success what it learned is the outer journey’s', async () => {
    const { exec } = outerAndInner();
    const ex = exec();
    const state = newTreeState({ outer: true });
    const first = await executeTree(ex, 'Outer', state, []);
    expect(describeCallbacks(first)).toEqual(['NameCallback: User Name']);
    expect(state.currentNodeId).toBe('evaluate');
    expect(state.inner['evaluate']?.currentNodeId).toBe('inner-user');
    expect(state.inner['evaluate']?.shared).toEqual({ outer: true });

    const second = await executeTree(ex, 'Outer', state, answer(asked(first), 'alice'));
    expect(describeCallbacks(second)).toEqual(['PasswordCallback: Password']);
    expect(state.inner['evaluate']?.currentNodeId).toBe('inner-pass');
    expect(state.shared).toEqual({ outer: true });

    expect(await executeTree(ex, 'Outer', state, answer(asked(second), ALICE.password))).toEqual({
      kind: 'done',
      success: true,
    });
    expect(state.shared).toEqual({ outer: true, username: 'alice', successUrl: '/after-inner' });
    expect(state.identifiedUserId).toBe(ALICE._id);
    expect(state.inner).toEqual({});
    const visits = ex.run.record.visits;
    expect(visits.map((visit) => `${visit.journey}/${visit.nodeId}`)).toEqual([
      'Outer/evaluate',
      'Inner/inner-user',
      'Outer/evaluate',
      'Inner/inner-user',
      'Inner/inner-pass',
      'Outer/evaluate',
      'Inner/inner-pass',
      'Inner/inner-check',
      'Outer/after',
    ]);
    expect(visits.at(-2)?.outcome).toBe('true');
  });

  it('the inner tree’s Failure is the evaluator’s false', async () => {
    const { exec } = outerAndInner();
    const state = newTreeState({ username: 'alice' });
    state.currentNodeId = 'evaluate';
    state.inner['evaluate'] = { ...newTreeState({ username: 'alice' }), currentNodeId: 'inner-pass' };
    expect(await executeTree(exec(), 'Outer', state, answer([passwordSpec], 'wrong'))).toEqual({
      kind: 'done',
      success: false,
    });
  });

  it('allows inner trees 16 deep, and refuses the 17th (a journey that runs itself ends in an error)', async () => {
    const { journeys, exec } = setup();
    const nest = (depth: number) => {
      for (let i = 0; i < depth; i += 1)
        addTree(journeys, `T${i}`, [
          {
            id: `e${i}`,
            type: 'InnerTreeEvaluatorNode',
            connections: { true: SUCCESS, false: FAILURE },
            config: { tree: `T${i + 1}` },
          },
        ]);
      addTree(journeys, `T${depth}`, [setUrl('leaf', SUCCESS)]);
    };
    nest(16);
    expect(await executeTree(exec(), 'T0', newTreeState(), [])).toEqual({ kind: 'done', success: true });
    nest(17);
    await expect(executeTree(exec(), 'T0', newTreeState(), [])).rejects.toThrow(
      new NodeProcessException('inner journeys nested more than 16 deep'),
    );
    addTree(journeys, 'Self', [
      {
        id: 'me',
        type: 'InnerTreeEvaluatorNode',
        connections: { true: SUCCESS, false: FAILURE },
        config: { tree: 'Self' },
      },
    ]);
    await expect(executeTree(exec(), 'Self', newTreeState(), [])).rejects.toThrow('nested more than 16 deep');
  });
});

describe('the visit limit', () => {
  it('visits up to 1,000 nodes in one request; the 1,001st is a loop', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Long', chain(1000, SUCCESS));
    expect(await executeTree(exec(), 'Long', newTreeState(), [])).toEqual({ kind: 'done', success: true });
    addTree(journeys, 'TooLong', chain(1001, SUCCESS));
    await expect(executeTree(exec(), 'TooLong', newTreeState(), [])).rejects.toThrow(
      new NodeProcessException('the journey visited 1000 nodes in one request without pausing or ending: it loops'),
    );
  });

  it('stops a cycle, whose run keeps at most 500 visits', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Cycle', [setUrl('a', 'b'), setUrl('b', 'a')]);
    const ex = exec();
    await expect(executeTree(ex, 'Cycle', newTreeState(), [])).rejects.toThrow(/it loops/);
    expect(ex.run.record.visits).toHaveLength(500);
  });

  it('counts per request: a journey that pauses may visit more than 1,000 nodes in all', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Paused', [
      ...chain(900, 'user', 'a'),
      { id: 'user', type: 'UsernameCollectorNode', connections: { outcome: 'b0' }, config: {} },
      ...chain(900, SUCCESS, 'b'),
    ]);
    const state = newTreeState();
    const first = await executeTree(exec(), 'Paused', state, []);
    expect(await executeTree(exec(), 'Paused', state, answer(asked(first), 'alice'))).toEqual({
      kind: 'done',
      success: true,
    });
  });
});

describe('what is missing', () => {
  it('a tree that does not exist', async () => {
    const { exec } = setup();
    await expect(executeTree(exec(), 'Nope', newTreeState(), [])).rejects.toThrow(
      new NodeProcessException('Configured tree does not exist: Nope'),
    );
  });

  it('a node an outcome leads to, or the entry node, that is not in the tree', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Dangling', [setUrl('a', 'ghost')]);
    await expect(executeTree(exec(), 'Dangling', newTreeState(), [])).rejects.toThrow(
      new NodeProcessException('journey "Dangling" has no node ghost'),
    );
    addTree(journeys, 'NoEntry', [setUrl('a', SUCCESS)], { entry: 'missing' });
    await expect(executeTree(exec(), 'NoEntry', newTreeState(), [])).rejects.toThrow('has no node missing');
  });

  it('an outcome that is not connected', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Half', [
      { id: 'ask', type: 'MessageNode', name: 'Ask', connections: { true: SUCCESS }, config: {} },
    ]);
    const state = newTreeState();
    const message = await executeTree(exec(), 'Half', state, []);
    await expect(executeTree(exec(), 'Half', state, answer(asked(message), undefined, 1))).rejects.toThrow(
      new NodeProcessException('the outcome "false" of node "Ask" (MessageNode) is not connected'),
    );
  });

  it('a node type the emulator does not run with no outcome to take, or a node without configuration: the error is in the run', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Odd', [{ id: 'x', type: 'FancyNode', name: 'Fancy', connections: {}, config: {} }]);
    const ex = exec();
    await expect(executeTree(ex, 'Odd', newTreeState(), [])).rejects.toThrow(
      'node "Fancy" is a FancyNode, which the emulator does not run, and has no outcome to take: set a node stub for it',
    );
    expect(ex.run.record.visits[0]).toMatchObject({ nodeId: 'x', error: expect.stringContaining('FancyNode') });
    addTree(journeys, 'Bare', [{ id: 'y', type: 'MessageNode', name: 'Bare' }]);
    await expect(executeTree(exec(), 'Bare', newTreeState(), [])).rejects.toThrow(
      'node "Bare" (MessageNode) has no configuration in the journey\'s export',
    );
  });

  // Was a bug: connections are a plain object, so an unconnected outcome named after a member of
  // Object.prototype ("toString", "constructor") found that member as its "next node", and the
  // journey ended with `has no node function toString() { [native code] }` instead of saying the
  // outcome is not connected. The executor reads own connections only.
  it('an outcome named like an Object.prototype member that is not connected', async () => {
    const { services, journeys, exec } = setup();
    journeys.scripts.set('s', script('s'));
    services.scripts.behaviour = () => scriptSets('toString');
    addTree(journeys, 'Proto', [
      {
        id: 'decide',
        type: 'ScriptedDecisionNode',
        name: 'Decide',
        connections: { true: SUCCESS },
        config: { script: 's', outcomes: ['true', 'toString'] },
      },
    ]);
    await expect(executeTree(exec(), 'Proto', newTreeState(), [])).rejects.toThrow(
      'the outcome "toString" of node "Decide" (ScriptedDecisionNode) is not connected',
    );
  });
});

describe('the run', () => {
  it('records each visit: tree, node, type, outcome or callbacks asked, state changes with passwords masked', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'T', loginNodes());
    const ex = exec();
    const state = newTreeState();
    const first = await executeTree(ex, 'T', state, []);
    const second = await executeTree(ex, 'T', state, answer(asked(first), 'alice'));
    await executeTree(ex, 'T', state, answer(asked(second), ALICE.password));
    const visits = ex.run.record.visits;
    expect(visits[0]).toMatchObject({
      journey: 'T',
      nodeId: 'user',
      displayName: 'UsernameCollectorNode',
      nodeType: 'UsernameCollectorNode',
      callbacks: ['NameCallback'],
      shared: [],
      transient: [],
    });
    expect(visits[0]?.outcome).toBeUndefined();
    expect(visits[1]).toMatchObject({ outcome: 'outcome', shared: [{ key: 'username', after: 'alice' }] });
    const password = visits[3]?.transient;
    expect(password).toEqual([{ key: 'password', after: expect.any(String) }]);
    expect(JSON.stringify(visits)).not.toContain(ALICE.password);
    expect(visits[4]).toMatchObject({ displayName: 'Data Store Decision', outcome: 'true' });
    for (const visit of visits) expect(visit.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('masks the values of secret ESVs in state changes', async () => {
    const { services, journeys, exec } = setup();
    services.esvs.set('esv-api-key', 'k3y-of-the-tenant');
    addTree(journeys, 'T', [setUrl('a', SUCCESS, 'https://app.example.com/?key=k3y-of-the-tenant')]);
    const ex = exec();
    await executeTree(ex, 'T', newTreeState(), []);
    const change = ex.run.record.visits[0]?.shared[0];
    expect(change?.key).toBe('successUrl');
    expect(change?.after).toMatch(/^https:\/\/app\.example\.com\/\?key=/);
    expect(change?.after).not.toContain('k3y-of-the-tenant');
  });

  it('records a page’s children as visits of their own, the page’s outcome on the page', async () => {
    const { journeys, exec } = setup();
    addTree(journeys, 'Page', [
      {
        id: 'page',
        type: 'PageNode',
        connections: { outcome: SUCCESS },
        config: { nodes: [{ _id: 'child', nodeType: 'UsernameCollectorNode' }] },
      },
    ]);
    addNodeConfig(journeys, 'child', 'UsernameCollectorNode', {});
    const ex = exec();
    const state = newTreeState();
    const first = await executeTree(ex, 'Page', state, []);
    await executeTree(ex, 'Page', state, answer(asked(first), 'alice'));
    expect(ex.run.record.visits.map((visit) => `${visit.nodeId}:${visit.outcome ?? visit.callbacks?.join()}`)).toEqual([
      'page:NameCallback',
      'child:NameCallback',
      'page:outcome',
      'child:outcome',
    ]);
  });

  it('records nothing when the run history keeps no runs', async () => {
    const { services, journeys } = setup();
    addTree(journeys, 'T', [setUrl('a', SUCCESS)]);
    const ex = execution(services, journeys, { runs: new RunHistory(0, () => services.clock.now()) });
    expect(await executeTree(ex, 'T', newTreeState(), [])).toEqual({ kind: 'done', success: true });
    expect(ex.run.record.visits).toEqual([]);
  });
});
