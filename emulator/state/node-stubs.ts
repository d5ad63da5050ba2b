/**
 * Node stubs: what a node the emulator cannot run does instead (a marketplace node, a node type it
 * does not implement). A stub names the outcome such a node takes and, optionally, callbacks it
 * sends first (AM's callback JSON, rendered as given; the client's answers are kept in shared
 * state under `STUB_ANSWERS_KEY`, then the outcome is taken). A stub is set for a node type, or for
 * one node of a journey (by its id), which wins over its type's. Seeded from the config's
 * `nodeStubs`, changed through the control API (`/__emulator/node-stubs`), reset with the tenant,
 * kept in state files and shared through Redis (`node-stub:<id>` entries).
 *
 * Without a stub, an unknown node takes its first outcome (docs/fidelity.md, "Nodes").
 */
import { ChangeFeed } from '../core/change-feed.js';

/**
 * The state key under which a stub's callback answers are kept: `{<nodeId>: [{type, input}]}`, in
 * shared state (a password callback's in secure state).
 */
export const STUB_ANSWERS_KEY = 'emulatorStubAnswers';

/** A callback as AM's JSON has it: `{type, output: [{name, value}], input: [{name, value}]}`. */
export interface StubCallback {
  type: string;
  output?: { name: string; value: unknown }[];
  input?: { name: string; value: unknown }[];
}

export interface NodeStubSpec {
  /** The outcome the node takes; absent: its first outcome. */
  outcome?: string;
  /** Callbacks the node sends before it takes its outcome. */
  callbacks?: StubCallback[];
}

export interface NodeStub extends NodeStubSpec {
  /** `<nodeType>` or `<nodeType>/<nodeId>`. */
  readonly id: string;
  readonly nodeType: string;
  readonly nodeId?: string;
}

export type NodeStubChange = { type: 'put'; id: string; stub: NodeStub } | { type: 'removed'; id: string };

export class NodeStubError extends Error {}

/** A node type (AM's `_type._id`) or node id: letters, digits and `._-` (what exports use). */
const NAME = /^[A-Za-z0-9._-]{1,200}$/;
const KNOWN = new Set(['nodeType', 'nodeId', 'outcome', 'callbacks']);

export function nodeStubId(nodeType: string, nodeId?: string): string {
  return nodeId === undefined ? nodeType : `${nodeType}/${nodeId}`;
}

export class NodeStubRegistry {
  private readonly stubs = new Map<string, NodeStub>();
  /** put and remove; `clear()` (a reset's, a restore's) says nothing. */
  readonly changes = new ChangeFeed<NodeStubChange>();

  /** Sets the stub of a node type, or of one node of that type (checked: NodeStubError). */
  set(nodeType: string, nodeId: string | undefined, spec: unknown): NodeStub {
    const stub = validateNodeStub({ ...(isObject(spec) ? spec : { invalid: spec }), nodeType, nodeId });
    this.put(stub);
    this.changes.emit({ type: 'put', id: stub.id, stub: copy(stub) });
    return copy(stub);
  }

  /** Adds a stub given whole (`{nodeType, nodeId?, outcome?, callbacks?}`: the config's form). */
  add(input: unknown): NodeStub {
    const stub = validateNodeStub(input);
    return this.set(stub.nodeType, stub.nodeId, { outcome: stub.outcome, callbacks: stub.callbacks });
  }

  /** Stores a stub as it is (another instance's, or a state file's), quietly. */
  put(stub: NodeStub): void {
    this.stubs.set(stub.id, copy(stub));
  }

  get(id: string): NodeStub | undefined {
    const stub = this.stubs.get(id);
    return stub && copy(stub);
  }

  /** The stub for this node: its own, else its type's. */
  lookup(nodeType: string, nodeId: string): NodeStub | undefined {
    return this.get(nodeStubId(nodeType, nodeId)) ?? this.get(nodeType);
  }

  remove(id: string): boolean {
    if (!this.stubs.delete(id)) return false;
    this.changes.emit({ type: 'removed', id });
    return true;
  }

  list(): NodeStub[] {
    return [...this.stubs.keys()].sort().map((id) => copy(this.stubs.get(id) as NodeStub));
  }

  clear(): void {
    this.stubs.clear();
  }
}

function copy(stub: NodeStub): NodeStub {
  return structuredClone(stub);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a stub (`{nodeType, nodeId?, outcome?, callbacks?}`) and answers it with its id. */
export function validateNodeStub(input: unknown): NodeStub {
  if (!isObject(input)) throw new NodeStubError('a node stub must be a JSON object');
  for (const key of Object.keys(input))
    if (!KNOWN.has(key) && input[key] !== undefined)
      throw new NodeStubError(`unknown node stub field ${JSON.stringify(key)}`);
  const { nodeType, nodeId, outcome, callbacks } = input;
  if (typeof nodeType !== 'string' || !NAME.test(nodeType))
    throw new NodeStubError('nodeType is required: a node type as the export names it (letters, digits, . _ -)');
  if (nodeId !== undefined && (typeof nodeId !== 'string' || !NAME.test(nodeId)))
    throw new NodeStubError('nodeId must be a node id (letters, digits, . _ -)');
  if (outcome !== undefined && (typeof outcome !== 'string' || outcome === ''))
    throw new NodeStubError('outcome must be a non-empty string');
  const stub: { -readonly [K in keyof NodeStub]: NodeStub[K] } = { id: nodeStubId(nodeType, nodeId), nodeType };
  if (nodeId !== undefined) stub.nodeId = nodeId;
  if (outcome !== undefined) stub.outcome = outcome;
  if (callbacks !== undefined) {
    if (!Array.isArray(callbacks)) throw new NodeStubError('callbacks must be an array of AM callbacks');
    stub.callbacks = callbacks.map((callback, index) => validateCallback(callback, index));
  }
  return stub;
}

function validateCallback(value: unknown, index: number): StubCallback {
  const where = `callbacks[${index}]`;
  if (!isObject(value)) throw new NodeStubError(`${where} must be an object {type, output?, input?}`);
  for (const key of Object.keys(value))
    if (key !== 'type' && key !== 'output' && key !== 'input' && key !== '_id')
      throw new NodeStubError(`${where} has an unknown field ${JSON.stringify(key)}`);
  if (typeof value['type'] !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(value['type']))
    throw new NodeStubError(`${where}.type must be a callback type such as NameCallback`);
  const callback: StubCallback = { type: value['type'] };
  for (const part of ['output', 'input'] as const) {
    const list = value[part];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new NodeStubError(`${where}.${part} must be an array of {name, value}`);
    callback[part] = list.map((entry, at) => {
      if (!isObject(entry) || typeof entry['name'] !== 'string' || entry['name'] === '')
        throw new NodeStubError(`${where}.${part}[${at}] must be {name, value} with a non-empty name`);
      return { name: entry['name'], value: entry['value'] ?? '' };
    });
  }
  return callback;
}
