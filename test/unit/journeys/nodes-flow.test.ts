/**
 * The nodes that decide where a journey goes by something other than the user's answers, one at a
 * time through a NodeContext: Scripted Decision and Configuration Provider (over a fake script
 * runner: what the node does with what a script answers, not the script engine), Inner Tree
 * Evaluator (over a fake `runInner`: what it hands the inner journey and takes back), Retry Limit
 * Decision, Success URL and Failure URL. Each outcome taken is checked against the node's declared
 * outcomes (the harness).
 */
import { describe, expect, it } from 'vitest';
import type { InnerResult, NodeContext } from '../../../emulator/journeys/nodes/node.js';
import { NodeProcessException } from '../../../emulator/journeys/nodes/node.js';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import type { ActionJson } from '../../../emulator/sandbox/protocol.js';
import { Callbacks, type SubmittedCallback } from '../../../emulator/state/journeys/callbacks.js';
import type { TreeState } from '../../../emulator/state/journeys/tree-state.js';
import {
  ALICE,
  NodeHarness,
  addTree,
  answer,
  asked,
  describeCallbacks,
  outcomeOf,
  output,
  script,
  scriptSets,
} from '../../helpers/node-context.js';

const action = (partial: Partial<ActionJson>): ActionJson => ({
  callbacks: [],
  legacyCallbacks: [],
  sessionProperties: {},
  removedSessionProperties: [],
  ...partial,
});

describe('ScriptedDecisionNode', () => {
  const config = { script: 'decide', outcomes: ['true', 'false'] };
  const withScript = () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    harness.journeys.scripts.set('decide', script('decide'));
    return harness;
  };

  it('runs its script as a decision script and takes the outcome it set; the script’s state becomes the journey’s', async () => {
    const harness = withScript();
    harness.services.scripts.behaviour = (_script, _kind, context) => ({
      ...scriptSets('false'),
      state: { shared: { ...context.state.shared, seen: true }, transient: { note: 'x' }, secure: {} },
    });
    expect(outcomeOf(await harness.process('ScriptedDecisionNode', config))).toBe('false');
    expect(harness.services.scripts.calls).toEqual([{ script: 'decide', kind: 'decision', node: 'node-1' }]);
    expect(harness.state.shared).toEqual({ username: 'alice', seen: true });
    expect(harness.state.transient).toEqual({ note: 'x' });
  });

  it('action.goTo wins over outcome; an action the script never touched leaves the choice to outcome', async () => {
    const harness = withScript();
    harness.services.scripts.behaviour = () => ({ ...scriptSets('true'), action: action({ goTo: 'false' }) });
    expect(outcomeOf(await harness.process('ScriptedDecisionNode', config))).toBe('false');
    harness.services.scripts.behaviour = () => ({
      ...scriptSets('true'),
      action: action({ goTo: 'false', unused: true }),
    });
    expect(outcomeOf(await harness.process('ScriptedDecisionNode', config))).toBe('true');
  });

  it('callbacks the script asked for (callbacksBuilder first, then legacy Action.send) win over goTo, with header, description and stage', async () => {
    const harness = withScript();
    harness.services.scripts.behaviour = () => ({
      builderCallbacks: [
        { method: 'nameCallback', args: ['Who?', 'anon'] },
        { method: 'confirmationCallback', args: [0, ['A', 'B'], 1] },
      ],
      action: action({
        goTo: 'true',
        legacyCallbacks: [{ method: 'textOutputCallback', args: [0, 'Hello'] }],
        header: 'H',
        description: 'D',
        stage: 'S',
      }),
    });
    const result = await harness.process('ScriptedDecisionNode', config);
    expect(describeCallbacks(result)).toEqual([
      'NameCallback: Who?',
      'ConfirmationCallback',
      'TextOutputCallback: Hello',
    ]);
    expect(output(asked(result)[0], 'prompt')).toBe('Who?');
    expect(asked(result)[0]?.inputs).toEqual([{ suffix: '', value: 'anon' }]);
    expect(output(asked(result)[1], 'options')).toEqual(['A', 'B']);
    expect(result).toMatchObject({ header: 'H', description: 'D', stage: 'S' });
  });

  it('hands the script the callbacks answered on its second visit', async () => {
    const harness = withScript();
    let seen: readonly SubmittedCallback[] = [];
    harness.services.scripts.behaviour = (_script, _kind, context) => {
      seen = context.callbacks;
      return context.callbacks.length === 0
        ? { builderCallbacks: [{ method: 'nameCallback', args: ['Who?'] }] }
        : scriptSets(context.callbacks[0]?.values.get('') === 'alice' ? 'true' : 'false');
    };
    const first = asked(await harness.process('ScriptedDecisionNode', config));
    const second = await harness.process('ScriptedDecisionNode', config, { callbacks: answer(first, 'alice') });
    expect(outcomeOf(second)).toBe('true');
    expect(seen.map((callback) => callback.type)).toEqual(['NameCallback']);
  });

  it.each([
    ['no outcome set', {}, "Script must set 'outcome' to a string."],
    ['a number', scriptSets(1), "Script must set 'outcome' to a string."],
    ['an undeclared outcome', scriptSets('maybe'), "Invalid outcome from script, 'maybe'"],
    ['goTo an undeclared outcome', { action: action({ goTo: 'maybe' }) }, "Invalid outcome from script, 'maybe'"],
    [
      'declared outputs missing',
      { ...scriptSets('true'), missingOutputs: ['x'] },
      'Script did not provide all declared outputs',
    ],
    [
      'a callback the emulator does not support',
      { builderCallbacks: [{ method: 'deviceProfileCallback', args: [] }] },
      'the script asked for a callback the emulator does not support: deviceProfileCallback',
    ],
  ])('%s: a NodeProcessException (%s)', async (_label, answerOfScript, message) => {
    const harness = withScript();
    harness.services.scripts.behaviour = () => answerOfScript;
    const failure = harness.process('ScriptedDecisionNode', config);
    await expect(failure).rejects.toThrow(NodeProcessException);
    await expect(failure).rejects.toThrow(message);
  });

  it('a script that is not imported is a NodeProcessException; check() wants a script', async () => {
    const harness = new NodeHarness();
    await expect(harness.process('ScriptedDecisionNode', { script: 'ghost', outcomes: ['true'] })).rejects.toThrow(
      /the script ghost of node "ScriptedDecisionNode" is not imported/,
    );
    expect(nodeType('ScriptedDecisionNode')?.check?.({})).toEqual(['script is required']);
    expect(nodeType('ScriptedDecisionNode')?.outcomes({ outcomes: ['a', 7, 'b'] })).toEqual(['a', 'b']);
  });

  it('applies what the script’s action did: session properties set and removed, timeouts, the identified user', async () => {
    const harness = withScript();
    harness.state.sessionProperties = { Kept: 'k', Gone: 'g' };
    harness.services.scripts.behaviour = () => ({
      ...scriptSets('true'),
      action: action({
        unused: true,
        sessionProperties: { Added: 'a' },
        removedSessionProperties: ['Gone'],
        maxSessionTime: 60,
        maxIdleTime: 5,
        identifiedUser: 'ALICE',
      }),
    });
    await harness.process('ScriptedDecisionNode', config);
    expect(harness.state.sessionProperties).toEqual({ Kept: 'k', Added: 'a' });
    expect(harness.state.maxSessionMinutes).toBe(60);
    expect(harness.state.maxIdleMinutes).toBe(5);
    expect(harness.state.identifiedUserId).toBe(ALICE._id);
  });

  it('an identified user who is not in the realm identifies nobody', async () => {
    const harness = withScript();
    harness.services.scripts.behaviour = () => ({
      ...scriptSets('true'),
      action: action({ identifiedUser: 'nobody' }),
    });
    await harness.process('ScriptedDecisionNode', config);
    expect(harness.state.identifiedUserId).toBeUndefined();
  });

  it('an exception the script throws ends the node with it', async () => {
    const harness = withScript();
    harness.services.scripts.behaviour = () => {
      throw new NodeProcessException('ReferenceError: x is not defined');
    };
    await expect(harness.process('ScriptedDecisionNode', config)).rejects.toThrow('ReferenceError: x is not defined');
  });
});

describe('ConfigProviderNode', () => {
  const config = { script: 'configure', nodeType: 'MessageNode' };
  const withScript = () => {
    const harness = new NodeHarness();
    harness.journeys.scripts.set('configure', script('configure'));
    return harness;
  };

  it('runs its script as a config script and processes its nodeType with the config it set; the delegate’s outcome is its own', async () => {
    const harness = withScript();
    harness.services.scripts.behaviour = (_script, _kind, context) => ({
      config: { set: true, type: 'map', value: { message: { en: 'From the script' }, stateField: 'picked' } },
      state: { shared: { ...context.state.shared, configured: true }, transient: {}, secure: {} },
    });
    const first = await harness.process('ConfigProviderNode', config, { name: 'Provider' });
    expect(describeCallbacks(first)).toEqual(['TextOutputCallback: From the script', 'ConfirmationCallback']);
    const done = await harness.process('ConfigProviderNode', config, { callbacks: answer(asked(first), undefined, 1) });
    expect(outcomeOf(done)).toBe('false');
    expect(harness.state.shared).toEqual({ configured: true, picked: 1 });
    expect(harness.services.scripts.calls.map((call) => call.kind)).toEqual(['config', 'config']);
    expect(harness.children[0]).toEqual({
      id: 'node-1',
      nodeType: 'MessageNode',
      config: { message: { en: 'From the script' }, stateField: 'picked' },
    });
  });

  it('a script that throws → CONFIGURATION_FAILED, with the error in the run', async () => {
    const harness = withScript();
    harness.services.scripts.behaviour = () => {
      throw new Error('boom');
    };
    expect(outcomeOf(await harness.process('ConfigProviderNode', config))).toBe('CONFIGURATION_FAILED');
    expect(harness.logs).toEqual(['error: Configuration Provider: boom']);
    expect(harness.children).toEqual([]);
  });

  it.each([
    ['sets no config', { set: false, type: 'undefined', value: undefined }],
    ['sets a string', { set: true, type: 'string', value: 'message' }],
    ['sets null', { set: true, type: 'object', value: null }],
  ])('a script that %s → CONFIGURATION_FAILED ("Script must set \'config\' to a Map.")', async (_label, configSet) => {
    const harness = withScript();
    harness.services.scripts.behaviour = () => ({ config: configSet });
    expect(outcomeOf(await harness.process('ConfigProviderNode', config))).toBe('CONFIGURATION_FAILED');
    expect(harness.logs).toEqual(["error: Script must set 'config' to a Map."]);
    expect(harness.children).toEqual([]);
  });

  it('declares the delegate’s outcomes and CONFIGURATION_FAILED; check() wants a script and a supported nodeType', async () => {
    const type = nodeType('ConfigProviderNode');
    expect(type?.outcomes(config)).toEqual(['true', 'false', 'CONFIGURATION_FAILED']);
    expect(type?.outcomes({ nodeType: 'PatchObjectNode' })).toEqual(['PATCHED', 'FAILURE', 'CONFIGURATION_FAILED']);
    expect(type?.check?.(config)).toEqual([]);
    expect(type?.check?.({ nodeType: 'NoSuchNode' })).toEqual([
      'script is required',
      'nodeType NoSuchNode is not a node type the emulator supports',
    ]);
    await expect(new NodeHarness().process('ConfigProviderNode', config)).rejects.toThrow(/is not imported/);
  });
});

describe('InnerTreeEvaluatorNode', () => {
  interface InnerCall {
    tree: string;
    state: TreeState;
    callbacks: readonly SubmittedCallback[];
  }
  /** A harness with an inner tree "Inner", whose runs `inner` answers (recording each call). */
  const withInner = (inner: (call: InnerCall) => InnerResult | Promise<InnerResult>, enabled = true) => {
    const harness = new NodeHarness({ shared: { username: 'alice', outer: 1 } });
    addTree(harness.journeys, 'Inner', [], { enabled });
    const calls: InnerCall[] = [];
    const runInner: NodeContext['runInner'] = async (tree, state, callbacks) => {
      const call = { tree, state, callbacks };
      calls.push(call);
      return inner(call);
    };
    return { harness, calls, runInner };
  };

  it('starts the inner journey on a copy of the outer state; its callbacks are the node’s, and its state is kept for the next visit', async () => {
    const { harness, calls, runInner } = withInner(({ state }) => {
      state.shared['inner'] = true;
      return { kind: 'callbacks', callbacks: [Callbacks.name('Inner name')], header: 'Inner page' };
    });
    harness.state.transient['password'] = 'pw';
    harness.state.identifiedUserId = ALICE._id;
    const result = await harness.process('InnerTreeEvaluatorNode', { tree: 'Inner' }, { id: 'evaluator', runInner });
    expect(describeCallbacks(result)).toEqual(['NameCallback: Inner name']);
    expect(result).toMatchObject({ header: 'Inner page' });
    expect(calls[0]?.tree).toBe('Inner');
    expect(calls[0]?.state).toMatchObject({
      shared: { username: 'alice', outer: 1, inner: true },
      transient: { password: 'pw' },
      identifiedUserId: ALICE._id,
    });
    // Until the inner journey ends, what it writes is its own.
    expect(harness.state.shared).toEqual({ username: 'alice', outer: 1 });
    expect(harness.state.inner['evaluator']).toBe(calls[0]?.state);
  });

  it('on Success: true, and the inner journey’s shared state, session properties, timeouts and user become the outer one’s', async () => {
    let visit = 0;
    const { harness, calls, runInner } = withInner(({ state }) => {
      visit += 1;
      if (visit === 1) return { kind: 'callbacks', callbacks: [Callbacks.name('Inner name')] };
      state.shared = { ...state.shared, successUrl: '/inner' };
      state.sessionProperties['FromInner'] = 'yes';
      state.maxIdleMinutes = 7;
      state.maxSessionMinutes = 70;
      state.identifiedUserId = ALICE._id;
      return { kind: 'done', success: true };
    });
    harness.state.sessionProperties['FromOuter'] = 'yes';
    const first = asked(await harness.process('InnerTreeEvaluatorNode', { tree: 'Inner' }, { id: 'e', runInner }));
    const done = await harness.process(
      'InnerTreeEvaluatorNode',
      { tree: 'Inner' },
      { id: 'e', runInner, callbacks: answer(first, 'x') },
    );
    expect(outcomeOf(done)).toBe('true');
    expect(calls[1]?.state).toBe(calls[0]?.state);
    expect(calls[1]?.callbacks.map((callback) => callback.values.get(''))).toEqual(['x']);
    expect(harness.state.shared).toEqual({ username: 'alice', outer: 1, successUrl: '/inner' });
    expect(harness.state.sessionProperties).toEqual({ FromOuter: 'yes', FromInner: 'yes' });
    expect(harness.state).toMatchObject({ maxIdleMinutes: 7, maxSessionMinutes: 70, identifiedUserId: ALICE._id });
    expect(harness.state.inner).toEqual({});
  });

  it('on Failure: false, and what the inner journey learned (a failureUrl) is still kept', async () => {
    const { harness, runInner } = withInner(({ state }) => {
      state.shared['failureUrl'] = '/failed';
      return { kind: 'done', success: false };
    });
    expect(outcomeOf(await harness.process('InnerTreeEvaluatorNode', { tree: 'Inner' }, { runInner }))).toBe('false');
    expect(harness.state.shared['failureUrl']).toBe('/failed');
  });

  it('an error inside ends the outer journey, unless displayErrorOutcome: then the error outcome, with errorNode and errorMessage', async () => {
    const failing = () => {
      throw new NodeProcessException('inner node failed');
    };
    const plain = withInner(failing);
    await expect(
      plain.harness.process('InnerTreeEvaluatorNode', { tree: 'Inner' }, { runInner: plain.runInner }),
    ).rejects.toThrow('inner node failed');
    expect(plain.harness.state.inner).toEqual({});

    const shown = withInner(failing);
    const result = await shown.harness.process(
      'InnerTreeEvaluatorNode',
      { tree: 'Inner', displayErrorOutcome: true },
      { id: 'e', name: 'Run Inner', runInner: shown.runInner },
    );
    expect(outcomeOf(result)).toBe('error');
    expect(shown.harness.state.shared).toMatchObject({
      errorNode: { id: 'e', displayName: 'Run Inner', type: 'InnerTreeEvaluatorNode' },
      errorMessage: 'inner node failed',
    });
  });

  it('a tree that is missing or disabled is a NodeProcessException; check() wants a tree; error is declared only with displayErrorOutcome', async () => {
    const disabled = withInner(() => ({ kind: 'done', success: true }), false);
    await expect(
      disabled.harness.process('InnerTreeEvaluatorNode', { tree: 'Inner' }, { runInner: disabled.runInner }),
    ).rejects.toThrow(new NodeProcessException('Configured tree does not exist: Inner'));
    await expect(
      disabled.harness.process('InnerTreeEvaluatorNode', { tree: 'Elsewhere' }, { runInner: disabled.runInner }),
    ).rejects.toThrow('Configured tree does not exist: Elsewhere');
    expect(disabled.calls).toEqual([]);
    const type = nodeType('InnerTreeEvaluatorNode');
    expect(type?.check?.({})).toEqual(['tree is required']);
    expect(type?.outcomes({ tree: 'Inner' })).toEqual(['true', 'false']);
    expect(type?.outcomes({ tree: 'Inner', displayErrorOutcome: true })).toEqual(['true', 'false', 'error']);
  });
});

describe('RetryLimitDecisionNode', () => {
  it('Retry while the count kept in shared <nodeId>.retryCount is below retryLimit, then Reject', async () => {
    const harness = new NodeHarness();
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i += 1)
      outcomes.push(outcomeOf(await harness.process('RetryLimitDecisionNode', { retryLimit: 2 }, { id: 'retry' })));
    expect(outcomes).toEqual(['Retry', 'Retry', 'Reject', 'Reject']);
    expect(harness.state.shared).toEqual({ 'retry.retryCount': 2 });
  });

  it('allows three retries by default, counted per node', async () => {
    const harness = new NodeHarness();
    const run = async (id: string) => outcomeOf(await harness.process('RetryLimitDecisionNode', {}, { id }));
    expect([await run('a'), await run('a'), await run('b'), await run('a'), await run('a')]).toEqual([
      'Retry',
      'Retry',
      'Retry',
      'Retry',
      'Reject',
    ]);
  });
});

describe('SetSuccessUrlNode', () => {
  it('shared successUrl ← the configured URL; check() wants one', async () => {
    const harness = new NodeHarness();
    expect(outcomeOf(await harness.process('SetSuccessUrlNode', { successUrl: 'https://app.example.com/' }))).toBe(
      'outcome',
    );
    expect(harness.state.shared).toEqual({ successUrl: 'https://app.example.com/' });
    expect(nodeType('SetSuccessUrlNode')?.check?.({ successUrl: '' })).toEqual(['successUrl is required']);
  });
});

describe('SetFailureUrlNode', () => {
  it('shared failureUrl ← the configured URL; check() wants one', async () => {
    const harness = new NodeHarness();
    expect(outcomeOf(await harness.process('SetFailureUrlNode', { failureUrl: '/sorry' }))).toBe('outcome');
    expect(harness.state.shared).toEqual({ failureUrl: '/sorry' });
    expect(nodeType('SetFailureUrlNode')?.check?.({})).toEqual(['failureUrl is required']);
  });
});
