/**
 * The tree executor (AM's AuthTreeExecutor, org.forgerock.openam.auth.trees.engine, AM 5.5): from
 * the node the journey stands at (or the tree's entry node), run nodes and follow their outcomes
 * until one asks for callbacks (the journey pauses there, and transient state is dropped) or
 * Success or Failure is reached. Every node visit is recorded in the run, with its state changes.
 */
import type { EsvStore } from '../state/esvs.js';
import type { Realm } from '../state/realms.js';
import type { SubmittedCallback } from '../state/journeys/callbacks.js';
import { FAILURE_NODE_ID, SUCCESS_NODE_ID, own, type TreeNode } from '../state/journeys/model.js';
import type { RealmJourneys } from '../state/journeys/registry.js';
import type { RunRecorder } from '../state/journeys/runs.js';
import { diffState } from '../state/journeys/runs.js';
import { NodeState, type TreeState } from '../state/journeys/tree-state.js';
import { runnableNodeType, stubNodeType, type NodeStubLookup } from './node-stubs.js';
import { retainAcrossCallbacks } from './state-retention.js';
import { substitutePlaceholders, tenantProperties, unresolvedMessage } from './placeholders.js';
import {
  NodeProcessException,
  type InnerResult,
  type JourneyRequest,
  type NodeContext,
  type NodeResult,
  type NodeServices,
} from './nodes/node.js';

/** What the executor uses of the tenant: what nodes use, and the ESVs whose secrets runs mask. */
export interface ExecutorServices extends NodeServices {
  readonly esvs: EsvStore;
  /** What nodes the emulator cannot run do instead (absent: they take their first outcome). */
  readonly nodeStubs?: NodeStubLookup;
}

export interface Execution {
  readonly tenant: ExecutorServices;
  readonly realm: Realm;
  readonly journeys: RealmJourneys;
  readonly request: JourneyRequest;
  readonly run: RunRecorder;
}

/** Node visits one request may make before the executor calls it a loop. */
const MAX_VISITS_PER_REQUEST = 1_000;
/** Inner trees within inner trees: AM forbids recursion; this bounds what an export could still do. */
const MAX_INNER_DEPTH = 16;

export type TreeResult = InnerResult;

export async function executeTree(
  execution: Execution,
  treeName: string,
  state: TreeState,
  submitted: readonly SubmittedCallback[],
  depth = 0,
): Promise<TreeResult> {
  if (depth > MAX_INNER_DEPTH)
    throw new NodeProcessException(`inner journeys nested more than ${MAX_INNER_DEPTH} deep`);
  const tree = execution.journeys.trees.get(treeName);
  if (!tree) throw new NodeProcessException(`Configured tree does not exist: ${treeName}`);
  let nodeId = state.currentNodeId ?? tree.entryNodeId;
  let callbacks = submitted;
  // Only the node the journey was suspended at is told it resumes.
  let resumed = state.suspended === true;
  delete state.suspended;
  for (let visits = 0; ; visits += 1) {
    if (nodeId === SUCCESS_NODE_ID || nodeId === FAILURE_NODE_ID) {
      state.currentNodeId = undefined;
      return { kind: 'done', success: nodeId === SUCCESS_NODE_ID };
    }
    if (visits >= MAX_VISITS_PER_REQUEST) {
      throw new NodeProcessException(
        `the journey visited ${MAX_VISITS_PER_REQUEST} nodes in one request without pausing or ending: it loops`,
      );
    }
    const node = own(tree.nodes, nodeId);
    if (!node) throw new NodeProcessException(`journey "${treeName}" has no node ${nodeId}`);
    const result = await processNode(execution, treeName, node, state, callbacks, depth, resumed);
    resumed = false;
    if (result.kind === 'suspend') {
      // Transient and secure state wait with the journey: what a node collected before it (a
      // registration's password) is there when it resumes (docs/fidelity.md, "Suspended journeys").
      state.currentNodeId = nodeId;
      state.suspended = true;
      return result;
    }
    if (result.kind === 'callbacks') {
      state.currentNodeId = nodeId;
      // Transient state lasts until the journey next needs the user, but for what its nodes use.
      retainAcrossCallbacks(execution.journeys, treeName, state);
      return result;
    }
    // Own connections only: an outcome named `toString` is not connected to Object.prototype's.
    const next = own(node.connections, result.outcome);
    if (next === undefined) {
      throw new NodeProcessException(
        `the outcome "${result.outcome}" of node "${node.displayName}" (${node.nodeType}) is not connected`,
      );
    }
    nodeId = next;
    state.currentNodeId = next;
    callbacks = [];
  }
}

/** Runs one node (or a Page Node's child) with its config, recording the visit. */
async function processNode(
  execution: Execution,
  treeName: string,
  node: TreeNode,
  state: TreeState,
  callbacks: readonly SubmittedCallback[],
  depth: number,
  resumedFromSuspend: boolean,
  configOverride?: Readonly<Record<string, unknown>>,
): Promise<NodeResult> {
  const config = configOverride ?? execution.journeys.nodes.get(node.id)?.config;
  const { run } = execution;
  // A shallow copy is a snapshot: state values are replaced, never changed in place
  // (NodeState.putObjectAttribute copies its container; scripts hand back new state).
  const before = run.recording ? { shared: { ...state.shared }, transient: { ...state.transient } } : undefined;
  const visit = run.begin({
    journey: treeName,
    nodeId: node.id,
    displayName: node.displayName,
    nodeType: node.nodeType,
  });
  // A type the emulator cannot run runs as a stub (journeys/node-stubs.ts), and the visit says so.
  const implementation =
    runnableNodeType(execution.journeys, node.nodeType) ??
    stubNodeType(node.nodeType, execution.tenant.nodeStubs, (id) => {
      visit.stubbed = id;
    });
  const started = performance.now();
  const finish = () => {
    visit.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    if (before) {
      const secrets = execution.tenant.esvs.secretValues();
      visit.shared = diffState(before.shared, state.shared, secrets);
      visit.transient = diffState(before.transient, state.transient, secrets);
    }
    run.resume(visit);
  };
  try {
    if (!config)
      throw new NodeProcessException(
        `node "${node.displayName}" (${node.nodeType}) has no configuration in the journey's export`,
      );
    // AM's property value substitution (journeys/placeholders.ts), from the tenant's ESVs as they are now.
    const substituted = substitutePlaceholders(
      config,
      tenantProperties(execution.tenant.esvs, execution.request.hostname),
    );
    if (substituted.unresolved.length > 0)
      throw new NodeProcessException(
        `node "${node.displayName}" (${node.nodeType}): cannot resolve the configuration expression ${unresolvedMessage(substituted.unresolved)}`,
      );
    const context: NodeContext = {
      tenant: execution.tenant,
      realm: execution.realm,
      journeys: execution.journeys,
      node,
      config: substituted.value,
      state,
      nodeState: new NodeState(state),
      callbacks,
      resumedFromSuspend,
      request: execution.request,
      run,
      journeyName: treeName,
      runInner: async (innerName, innerState, innerCallbacks) => {
        const result = await executeTree(execution, innerName, innerState, innerCallbacks, depth + 1);
        run.resume(visit);
        return result;
      },
      processChild: async (child, childConfig, childCallbacks) => {
        const result = await processNode(execution, treeName, child, state, childCallbacks, depth, false, childConfig);
        run.resume(visit);
        return result;
      },
    };
    const result = await implementation.process(context);
    if (result.kind === 'outcome') visit.outcome = result.outcome;
    else if (result.kind === 'suspend') visit.callbacks = ['SuspendedTextOutputCallback'];
    else visit.callbacks = result.callbacks.map((callback) => callback.type);
    finish();
    return result;
  } catch (error) {
    visit.error = error instanceof Error ? error.message : String(error);
    finish();
    throw error;
  }
}
