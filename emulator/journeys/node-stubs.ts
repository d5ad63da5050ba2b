/**
 * How a journey's node type is run: a type the emulator implements (nodes/index.ts), a Node
 * Designer custom node type imported with the journeys (nodes/designer-node.ts), or else a stub
 * (state/node-stubs.ts): a marketplace or unknown node takes the outcome its stub names, after the
 * callbacks its stub sends, or, without a stub, its first outcome: the first of the export's
 * `_outcomes` for the node, else of its connections in the tree's order (docs/fidelity.md, "Nodes").
 */
import type { CallbackSpec, SubmittedCallback } from '../state/journeys/callbacks.js';
import type { NodeConfig, TreeNode } from '../state/journeys/model.js';
import { customNodeType, type RealmJourneys } from '../state/journeys/registry.js';
import { STUB_ANSWERS_KEY, type NodeStub, type StubCallback } from '../state/node-stubs.js';
import type { JsonObject, JsonValue } from '../state/journeys/tree-state.js';
import { setOwn } from '../state/journeys/tree-state.js';
import { customNode } from './nodes/designer-node.js';
import { nodeType } from './nodes/index.js';
import { NodeProcessException, ask, outcome, type NodeContext, type NodeResult, type NodeType } from './nodes/node.js';

/** What the executor asks of the tenant's node stubs. */
export interface NodeStubLookup {
  lookup(nodeType: string, nodeId: string): NodeStub | undefined;
}

/** The node type that runs nodes of this type: the emulator's own, or a custom node type's. */
export function runnableNodeType(journeys: RealmJourneys, typeName: string): NodeType | undefined {
  const native = nodeType(typeName);
  if (native) return native;
  const custom = customNodeType(journeys, typeName);
  return custom ? customNode(custom) : undefined;
}

/** The outcomes a stubbed node can take: the export's `_outcomes`, else its connections, in order. */
export function stubOutcomes(node: TreeNode, config: NodeConfig | undefined): string[] {
  if (config?.outcomes && config.outcomes.length > 0) return [...config.outcomes];
  return Object.keys(node.connections);
}

/** A callback as the stub gives it, as a step renders it (input names `IDToken<N><suffix>`). */
function callbackSpec(callback: StubCallback): CallbackSpec {
  return {
    type: callback.type,
    output: (callback.output ?? []).map((entry) => ({ name: entry.name, value: entry.value })),
    inputs: (callback.input ?? []).map((entry, index) => {
      const suffix = /^IDToken\d+(.*)$/.exec(entry.name)?.[1];
      return { suffix: suffix ?? (index === 0 ? '' : entry.name), value: entry.value };
    }),
  };
}

/** Callbacks whose answer is a secret. */
const PASSWORD = /password/i;

/** The client's answers, as AM's callback JSON has them: `[{type, input: [{name, value}]}]`. */
function answers(callbacks: readonly SubmittedCallback[], all: readonly SubmittedCallback[]): JsonObject[] {
  return callbacks.map((callback) => ({
    type: callback.type,
    input: [...callback.values].map(([suffix, value]) => ({
      name: `IDToken${all.indexOf(callback) + 1}${suffix}`,
      value: (value ?? null) as JsonValue,
    })),
  }));
}

/**
 * The stand-in for a node type the emulator cannot run. `stubbed(id)` is told which stub ran the
 * node (`default` when none is configured), for the run's record.
 */
export function stubNodeType(
  typeName: string,
  stubs: NodeStubLookup | undefined,
  stubbed: (id: string) => void,
): NodeType {
  return {
    type: typeName,
    outcomes: () => [],
    // A node the emulator does not know may read anything: transient state is kept for it.
    inputs: () => ['*'],
    async process(context: NodeContext): Promise<NodeResult> {
      const { node } = context;
      const stub = stubs?.lookup(node.nodeType, node.id);
      stubbed(stub?.id ?? 'default');
      const callbacks = stub?.callbacks ?? [];
      if (callbacks.length > 0 && context.callbacks.length === 0) {
        context.run.log('info', `stubbed: sent ${callbacks.length} callback(s) (stub ${stub?.id ?? ''})`);
        return ask(callbacks.map(callbackSpec));
      }
      if (context.callbacks.length > 0) {
        // A password's answer goes to secure state, where AM keeps secrets (and runs do not show);
        // the others to shared state, for the nodes and scripts after it and for tests to read.
        const secret = context.callbacks.filter((callback) => PASSWORD.test(callback.type));
        const plain = context.callbacks.filter((callback) => !PASSWORD.test(callback.type));
        const keep = (part: 'shared' | 'secure', kept: readonly SubmittedCallback[]) => {
          if (kept.length === 0) return;
          const recorded = context.state[part][STUB_ANSWERS_KEY];
          const byNode: JsonObject =
            recorded && typeof recorded === 'object' && !Array.isArray(recorded) ? { ...recorded } : {};
          setOwn<JsonValue>(byNode, node.id, answers(kept, context.callbacks));
          context.state[part] = { ...context.state[part], [STUB_ANSWERS_KEY]: byNode };
        };
        keep('shared', plain);
        keep('secure', secret);
      }
      const chosen = stub?.outcome ?? stubOutcomes(node, context.journeys.nodes.get(node.id))[0];
      if (chosen === undefined)
        throw new NodeProcessException(
          `node "${node.displayName}" is a ${node.nodeType}, which the emulator does not run, and has no outcome to take: set a node stub for it`,
        );
      context.run.log(
        'info',
        `stubbed: took outcome ${chosen} (${stub ? `node stub ${stub.id}` : 'its first outcome: no node stub is set'})`,
      );
      return outcome(chosen);
    },
  };
}
