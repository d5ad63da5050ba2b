/**
 * What transient state survives a step sent to the client. AM (8.0.2, auth-node-api TreeContext):
 * transient state "is encrypted and stored across requests only if downstream nodes declare they
 * use it"; what was kept comes back as secure state ("entries promoted from transientState that
 * have been retained across callbacks"). Nodes declare what they use (`getInputs()` in AM's
 * source; NodeType.inputs here): the OTP Collector Decision its `oneTimePassword`, Data Store
 * Decision the `password`, a scripted node its configured `inputs` (`*` by default: everything).
 *
 * The emulator counts every node of the journey (its pages' children and its inner journeys'
 * nodes too) as downstream: a superset of AM's "downstream", which keeps at least what AM keeps.
 * A declared name also keeps that name inside `objectAttributes` (where collectors put the
 * password); `objectAttributes` itself keeps the whole container.
 */
import { own, type JourneyTree } from '../state/journeys/model.js';
import type { RealmJourneys } from '../state/journeys/registry.js';
import type { JsonObject, TreeState } from '../state/journeys/tree-state.js';
import { nodeType } from './nodes/index.js';

const EVERYTHING = '*';
const CONTAINER = 'objectAttributes';
/** Inner journeys within inner journeys: the linter refuses deeper ones; this bounds the walk. */
const MAX_DEPTH = 16;

/** Moves what the journey's nodes use from transient (and secure) state into secure state; drops the rest. */
export function retainAcrossCallbacks(journeys: RealmJourneys, treeName: string, state: TreeState): void {
  const needed = neededKeys(journeys, treeName);
  const pool: JsonObject = { ...state.secure };
  for (const [key, value] of Object.entries(state.transient)) {
    const held = pool[CONTAINER];
    if (key === CONTAINER && isObject(value) && isObject(held)) pool[CONTAINER] = { ...held, ...value };
    else pool[key] = value;
  }
  state.transient = {};
  state.secure = needed === EVERYTHING ? pool : pick(pool, needed);
}

function pick(pool: JsonObject, needed: ReadonlySet<string>): JsonObject {
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(pool)) {
    if (key === CONTAINER && isObject(value)) {
      if (needed.has(CONTAINER)) kept[key] = value;
      else {
        const inside = Object.fromEntries(Object.entries(value).filter(([name]) => needed.has(name)));
        if (Object.keys(inside).length > 0) kept[key] = inside;
      }
    } else if (needed.has(key)) kept[key] = value;
  }
  return kept;
}

/** The state names the journey's nodes declare they use, or `*` when one uses everything. */
function neededKeys(journeys: RealmJourneys, treeName: string): ReadonlySet<string> | typeof EVERYTHING {
  const needed = new Set<string>();
  const seenTrees = new Set<string>();
  const visitTree = (name: string, depth: number): boolean => {
    if (seenTrees.has(name) || depth > MAX_DEPTH) return false;
    seenTrees.add(name);
    const tree: JourneyTree | undefined = journeys.trees.get(name);
    if (!tree) return false;
    const pending: { id: string; type: string }[] = Object.entries(tree.nodes).map(([id, node]) => ({
      id,
      type: node.nodeType,
    }));
    for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
      const config = journeys.nodes.get(next.id)?.config ?? {};
      const known = nodeType(next.type);
      // A node the emulator does not implement (a custom or a stubbed one) may read anything.
      const declared = known ? (known.inputs?.(config) ?? []) : [EVERYTHING];
      if (declared.includes(EVERYTHING)) return true;
      for (const key of declared) needed.add(key);
      const children = own(config, 'nodes');
      if (Array.isArray(children))
        for (const child of children as { _id?: unknown; nodeType?: unknown }[])
          if (typeof child._id === 'string' && typeof child.nodeType === 'string')
            pending.push({ id: child._id, type: child.nodeType });
      const inner = own(config, 'tree');
      if (next.type === 'InnerTreeEvaluatorNode' && typeof inner === 'string' && visitTree(inner, depth + 1))
        return true;
    }
    return false;
  };
  return visitTree(treeName, 0) ? EVERYTHING : needed;
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
