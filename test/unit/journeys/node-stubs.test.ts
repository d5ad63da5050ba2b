/**
 * Nodes the emulator cannot run (issue 19): the node stub registry (state/node-stubs.ts), the
 * linter's warning instead of a refusal, the executor running an unknown node as a stub (its
 * first outcome, a stub's outcome, a stub's callbacks and the answers kept in shared state), and
 * a Node Designer custom node running its type's script with its `properties`.
 */
import { describe, expect, it } from 'vitest';
import { executeTree, type ExecutorServices } from '../../../emulator/journeys/executor.js';
import { blockingProblems, lintJourney, outcomesOf } from '../../../emulator/journeys/lint.js';
import {
  NodeProcessException,
  type NodeContext,
  type ScriptRunOptions,
} from '../../../emulator/journeys/nodes/node.js';
import type { ScriptOutcome } from '../../../emulator/sandbox/protocol.js';
import type { CustomNodeType, ScriptDef } from '../../../emulator/state/journeys/model.js';
import { newTreeState } from '../../../emulator/state/journeys/tree-state.js';
import {
  NodeStubError,
  NodeStubRegistry,
  STUB_ANSWERS_KEY,
  type NodeStubChange,
} from '../../../emulator/state/node-stubs.js';
import {
  FAILURE,
  SUCCESS,
  addTree,
  answer,
  asked,
  emptyJourneys,
  execution,
  testServices,
} from '../../helpers/node-context.js';

describe('the node stub registry', () => {
  it("a stub for one node wins over its type's; lists by id; says what changed, not a clear", () => {
    const stubs = new NodeStubRegistry();
    const changes: NodeStubChange[] = [];
    stubs.changes.on((change) => changes.push(change));
    expect(stubs.set('AcmeNode', undefined, { outcome: 'low' })).toEqual({
      id: 'AcmeNode',
      nodeType: 'AcmeNode',
      outcome: 'low',
    });
    stubs.add({ nodeType: 'AcmeNode', nodeId: 'n1', outcome: 'high' });
    expect(stubs.lookup('AcmeNode', 'n1')?.outcome).toBe('high');
    expect(stubs.lookup('AcmeNode', 'n2')?.outcome).toBe('low');
    expect(stubs.lookup('OtherNode', 'n1')).toBeUndefined();
    expect(stubs.list().map((stub) => stub.id)).toEqual(['AcmeNode', 'AcmeNode/n1']);
    expect(stubs.remove('AcmeNode/n1')).toBe(true);
    expect(stubs.remove('AcmeNode/n1')).toBe(false);
    stubs.clear();
    expect(stubs.list()).toEqual([]);
    expect(changes.map((change) => `${change.type}:${change.id}`)).toEqual([
      'put:AcmeNode',
      'put:AcmeNode/n1',
      'removed:AcmeNode/n1',
    ]);
  });

  it('hands out copies: changing one changes nothing stored', () => {
    const stubs = new NodeStubRegistry();
    const stub = stubs.set('AcmeNode', undefined, { callbacks: [{ type: 'NameCallback' }] });
    stub.callbacks?.push({ type: 'PasswordCallback' });
    expect(stubs.get('AcmeNode')?.callbacks).toEqual([{ type: 'NameCallback' }]);
  });

  it('refuses what is not a stub, saying what', () => {
    const stubs = new NodeStubRegistry();
    const refused = (input: unknown) => {
      try {
        stubs.add(input);
      } catch (error) {
        expect(error).toBeInstanceOf(NodeStubError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused(null)).toBe('a node stub must be a JSON object');
    expect(refused({ outcome: 'x' })).toMatch(/^nodeType is required/);
    expect(refused({ nodeType: 'a b' })).toMatch(/^nodeType is required/);
    expect(refused({ nodeType: 'A', nodeId: 5 })).toMatch(/^nodeId must be/);
    expect(refused({ nodeType: 'A', outcome: '' })).toBe('outcome must be a non-empty string');
    expect(refused({ nodeType: 'A', extra: 1 })).toBe('unknown node stub field "extra"');
    expect(refused({ nodeType: 'A', callbacks: {} })).toBe('callbacks must be an array of AM callbacks');
    expect(refused({ nodeType: 'A', callbacks: [{ type: '1x' }] })).toMatch(/^callbacks\[0\]\.type must be/);
    expect(refused({ nodeType: 'A', callbacks: [{ type: 'X', input: [{ value: 1 }] }] })).toMatch(
      /^callbacks\[0\]\.input\[0\] must be \{name, value\}/,
    );
    expect(refused({ nodeType: 'A', callbacks: [{ type: 'X', extra: 1 }] })).toBe(
      'callbacks[0] has an unknown field "extra"',
    );
    expect(stubs.list()).toEqual([]);
  });
});

/** A journey: an unknown marketplace node, then Success or Failure. */
function marketplaceJourney(options: { outcomes?: string[] } = {}) {
  const journeys = emptyJourneys();
  addTree(journeys, 'T', [
    { id: 'acme', type: 'AcmeRiskNode', name: 'Acme', connections: { low: SUCCESS, high: FAILURE }, config: {} },
  ]);
  if (options.outcomes)
    journeys.nodes.set('acme', {
      id: 'acme',
      type: 'AcmeRiskNode',
      version: undefined,
      config: {},
      outcomes: options.outcomes,
    });
  return journeys;
}

describe('the linter and unknown node types', () => {
  it('warns, naming the stub, instead of refusing; the journey has nothing blocking', () => {
    const problems = lintJourney(marketplaceJourney({ outcomes: ['high', 'low'] }), 'T');
    expect(problems).toEqual([
      {
        severity: 'warning',
        journey: 'T',
        node: 'Acme (acme)',
        message:
          'AcmeRiskNode is not implemented by the emulator: it runs as the node stub "AcmeRiskNode" (or ' +
          '"AcmeRiskNode/acme"; config nodeStubs, PUT /__emulator/node-stubs/AcmeRiskNode), else it takes its first outcome "high"',
      },
    ]);
    expect(blockingProblems(problems)).toEqual([]);
  });

  it("takes an unknown node's outcomes from its export (`_outcomes`), and warns about one not connected", () => {
    const journeys = marketplaceJourney({ outcomes: ['low', 'high', 'unsure'] });
    const node = journeys.trees.get('T')?.nodes['acme'];
    expect(outcomesOf(journeys, node!, journeys.nodes.get('acme')!)).toEqual(['low', 'high', 'unsure']);
    expect(lintJourney(journeys, 'T').map((problem) => problem.message)).toContain(
      'the outcome "unsure" is not connected',
    );
  });
});

describe('the executor runs an unknown node as a stub', () => {
  const run = async (journeys = marketplaceJourney(), stubs?: NodeStubRegistry) => {
    const services: ExecutorServices & ReturnType<typeof testServices> = {
      ...testServices(),
      ...(stubs ? { nodeStubs: stubs } : {}),
    };
    const exec = execution(services, journeys);
    const state = newTreeState();
    return { exec, state, result: await executeTree(exec, 'T', state, []) };
  };

  it("without a stub: the first of its export's outcomes, else of its connections; the visit says stubbed", async () => {
    const fromExport = await run(marketplaceJourney({ outcomes: ['high', 'low'] }));
    expect(fromExport.result).toEqual({ kind: 'done', success: false });
    expect(fromExport.exec.run.record.visits[0]).toMatchObject({ outcome: 'high', stubbed: 'default' });
    const fromConnections = await run(marketplaceJourney());
    expect(fromConnections.result).toEqual({ kind: 'done', success: true });
    expect(fromConnections.exec.run.record.visits[0]?.logs).toEqual([
      { level: 'info', message: 'stubbed: took outcome low (its first outcome: no node stub is set)' },
    ]);
  });

  it('a stub chooses the outcome', async () => {
    const stubs = new NodeStubRegistry();
    stubs.set('AcmeRiskNode', 'acme', { outcome: 'high' });
    const { result, exec } = await run(marketplaceJourney(), stubs);
    expect(result).toEqual({ kind: 'done', success: false });
    expect(exec.run.record.visits[0]).toMatchObject({ outcome: 'high', stubbed: 'AcmeRiskNode/acme' });
  });

  it("a stub's callbacks are sent as given; the answers land in shared state, then the outcome is taken", async () => {
    const stubs = new NodeStubRegistry();
    stubs.set('AcmeRiskNode', undefined, {
      outcome: 'low',
      callbacks: [
        {
          type: 'ChoiceCallback',
          output: [
            { name: 'prompt', value: 'Risk?' },
            { name: 'choices', value: ['low', 'high'] },
          ],
          input: [{ name: 'IDToken1', value: 0 }],
        },
      ],
    });
    const { result, exec, state } = await run(marketplaceJourney(), stubs);
    expect(result.kind).toBe('callbacks');
    const sent = asked(result);
    expect(sent).toEqual([
      {
        type: 'ChoiceCallback',
        output: [
          { name: 'prompt', value: 'Risk?' },
          { name: 'choices', value: ['low', 'high'] },
        ],
        inputs: [{ suffix: '', value: 0 }],
      },
    ]);
    const done = await executeTree(exec, 'T', state, answer(sent, 1));
    expect(done).toEqual({ kind: 'done', success: true });
    expect(state.shared[STUB_ANSWERS_KEY]).toEqual({
      acme: [{ type: 'ChoiceCallback', input: [{ name: 'IDToken1', value: 1 }] }],
    });
  });

  it("a password's answer is kept in secure state, not shared (nor in the run)", async () => {
    const stubs = new NodeStubRegistry();
    stubs.set('AcmeRiskNode', undefined, {
      outcome: 'low',
      callbacks: [
        { type: 'NameCallback', output: [{ name: 'prompt', value: 'Name' }], input: [{ name: 'IDToken1', value: '' }] },
        {
          type: 'PasswordCallback',
          output: [{ name: 'prompt', value: 'PIN' }],
          input: [{ name: 'IDToken2', value: '' }],
        },
      ],
    });
    const { result, exec, state } = await run(marketplaceJourney(), stubs);
    expect(await executeTree(exec, 'T', state, answer(asked(result), 'alice', '1234'))).toEqual({
      kind: 'done',
      success: true,
    });
    expect(state.shared[STUB_ANSWERS_KEY]).toEqual({
      acme: [{ type: 'NameCallback', input: [{ name: 'IDToken1', value: 'alice' }] }],
    });
    expect(state.secure[STUB_ANSWERS_KEY]).toEqual({
      acme: [{ type: 'PasswordCallback', input: [{ name: 'IDToken2', value: '1234' }] }],
    });
    expect(JSON.stringify(exec.run.record)).not.toContain('1234');
  });

  it('a node with no outcome to take and no stub fails, saying to set one', async () => {
    const journeys = emptyJourneys();
    addTree(journeys, 'T', [{ id: 'acme', type: 'AcmeRiskNode', name: 'Acme', connections: {}, config: {} }]);
    await expect(run(journeys)).rejects.toThrow(NodeProcessException);
    await expect(run(journeys)).rejects.toThrow(/has no outcome to take: set a node stub for it/);
  });
});

describe('Node Designer custom nodes', () => {
  const type: CustomNodeType = {
    id: 'calc-1',
    serviceName: 'calc',
    version: 1,
    displayName: 'Calc',
    description: '',
    outcomes: ['Done'],
    inputs: [],
    outputs: ['z'],
    script: 'action.goTo("Done")',
    errorOutcome: true,
    tags: [],
    properties: {
      operator: { type: 'STRING', defaultValue: 'ADD', required: true },
      a: { type: 'NUMBER', required: true },
    },
  };
  const journeys = () => {
    const realm = { ...emptyJourneys(), nodeTypes: new Map([[type.id, type]]) };
    addTree(realm, 'T', [
      {
        id: 'n',
        type: 'designer-calc',
        name: 'Calc',
        connections: { Done: SUCCESS, 'Script Error': FAILURE },
        config: { a: 4 },
      },
    ]);
    return realm;
  };

  it('lint as the type declares them: outcomes with Script Error, a required property without a default', () => {
    const realm = journeys();
    expect(lintJourney(realm, 'T')).toEqual([]);
    realm.nodes.set('n', { id: 'n', type: 'designer-calc', version: undefined, config: {} });
    expect(lintJourney(realm, 'T').map((problem) => `${problem.severity}: ${problem.message}`)).toEqual([
      'error: the property "a" of custom node type Calc is required',
    ]);
  });

  it("run the type's script with the node's properties over the defaults, and its declared inputs and outputs", async () => {
    const calls: { script: ScriptDef; config: unknown; options: ScriptRunOptions | undefined }[] = [];
    const services = testServices();
    const scripts = {
      run: async (script: ScriptDef, _kind: string, context: NodeContext, options?: ScriptRunOptions) => {
        calls.push({ script, config: context.config, options });
        return {
          ...(await services.scripts.run(script, 'decision', context)),
          action: {
            goTo: 'Done',
            callbacks: [],
            legacyCallbacks: [],
            sessionProperties: {},
            removedSessionProperties: [],
          },
        } satisfies ScriptOutcome;
      },
    };
    services.scripts.behaviour = () => ({});
    const exec = execution({ ...services, scripts }, journeys());
    expect(await executeTree(exec, 'T', newTreeState(), [])).toEqual({ kind: 'done', success: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.script).toMatchObject({ id: 'calc-1', source: 'action.goTo("Done")', evaluatorVersion: '2.0' });
    expect(calls[0]?.options).toEqual({ properties: { operator: 'ADD', a: 4 } });
    expect(calls[0]?.config).toMatchObject({ inputs: ['*'], outputs: ['z'] });
    expect(exec.run.record.visits[0]?.stubbed).toBeUndefined();
  });

  it('take Script Error when the script fails and the type has an error outcome', async () => {
    const services = testServices();
    services.scripts.behaviour = () => {
      throw new NodeProcessException('Cannot divide by 0');
    };
    const exec = execution(services, journeys());
    expect(await executeTree(exec, 'T', newTreeState(), [])).toEqual({ kind: 'done', success: false });
    expect(exec.run.record.visits[0]).toMatchObject({ outcome: 'Script Error' });
  });
});
