/**
 * The journey model as AM's config REST answers it: a tree (`authenticationtrees/trees/<name>`), a
 * node (`authenticationtrees/nodes/<type>/<uuid>`), a node type (`nodes?_action=getAllTypes`) and a
 * script (`scripts/<uuid>`). Shapes and field order follow the recorded answers in frodo-lib's
 * TreeApi, NodeApi and ScriptOps recordings of AIC (rockcarver/frodo-lib, src/test/mock-recordings).
 */
import type { JourneyTree, NodeConfig, ScriptDef } from '../../../state/journeys/model.js';
import type { RealmJourneys } from '../../../state/journeys/registry.js';
import { outcomesOf } from '../../../journeys/lint.js';
import { javaStringHash } from '../sessions/views.js';

type Json = Record<string, unknown>;

/**
 * `_rev`: Java's String.hashCode of the object's JSON without `_rev`, as a string, so that it is
 * stable across restarts and instances and changes when the object does (docs/fidelity.md).
 */
export function revOf(object: Json): string {
  return String(javaStringHash(JSON.stringify(object)));
}

/** Copies a record (possibly without a prototype) into a plain object whose every key is its own. */
function plain(record: Readonly<Record<string, unknown>>): Json {
  const copy: Json = {};
  for (const [key, value] of Object.entries(record))
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A tree with no `identityResource` in its export: the realm's managed users, as the AIC admin UI creates trees. */
function defaultIdentityResource(realmPath: string): string {
  const realm = realmPath === '/' ? '' : (realmPath.split('/').pop() ?? '');
  return realm === '' ? 'managed/user' : `managed/${realm}_user`;
}

export function treeView(tree: JourneyTree, realmPath: string): Json {
  const nodes: Json = {};
  for (const [id, node] of Object.entries(tree.nodes)) {
    const entry: Json = {};
    if (node.x !== undefined) entry['x'] = node.x;
    if (node.y !== undefined) entry['y'] = node.y;
    entry['connections'] = plain(node.connections);
    entry['nodeType'] = node.nodeType;
    entry['displayName'] = node.displayName;
    // Newer tenants name each node's version last [real: aic-alpha-journey-trees-rest.har, PUT FrodoTestJourney12].
    if (node.version !== undefined) entry['version'] = node.version;
    Object.defineProperty(nodes, id, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  const staticNodes: Json = {};
  for (const [id, position] of Object.entries(tree.staticNodes))
    Object.defineProperty(staticNodes, id, {
      value: plain(position),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const content: Json = {
    _id: tree.name,
    identityResource: tree.identityResource ?? defaultIdentityResource(realmPath),
    uiConfig: tree.uiConfig ? plain(tree.uiConfig) : {},
    entryNodeId: tree.entryNodeId,
    innerTreeOnly: tree.innerTreeOnly,
    nodes,
    staticNodes,
    description: tree.description,
    enabled: tree.enabled,
    noSession: tree.noSession,
    mustRun: tree.mustRun ?? false,
    transactionalOnly: tree.transactionalOnly ?? false,
  };
  return withRev(content);
}

/**
 * The display names of the node types the emulator runs, as AM's node catalog names them (AIC admin
 * UI; am-external node classes' `*.properties` `nodeDescription`).
 */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  ScriptedDecisionNode: 'Scripted Decision',
  ConfigProviderNode: 'Configuration Provider',
  MessageNode: 'Message Node',
  PageNode: 'Page Node',
  UsernameCollectorNode: 'Username Collector',
  PasswordCollectorNode: 'Password Collector',
  ValidatedUsernameNode: 'Platform Username',
  ValidatedPasswordNode: 'Platform Password',
  DataStoreDecisionNode: 'Data Store Decision',
  ZeroPageLoginNode: 'Zero Page Login Collector',
  SetSuccessUrlNode: 'Success URL',
  SetFailureUrlNode: 'Failure URL',
  IdentifyExistingUserNode: 'Identify Existing User',
  InnerTreeEvaluatorNode: 'Inner Tree Evaluator',
  IncrementLoginCountNode: 'Increment Login Count',
  LoginCountDecisionNode: 'Login Count Decision',
  QueryFilterDecisionNode: 'Query Filter Decision',
  AttributeCollectorNode: 'Attribute Collector',
  PatchObjectNode: 'Patch Object',
  CreateObjectNode: 'Create Object',
  AttributePresentDecisionNode: 'Attribute Present Decision',
  RetryLimitDecisionNode: 'Retry Limit Decision',
  SessionDataNode: 'Get Session Data',
  CreatePasswordNode: 'Create Password',
  AccountLockoutNode: 'Account Lockout',
  AcceptTermsAndConditionsNode: 'Accept Terms and Conditions',
};

export function typeDisplayName(type: string): string {
  return (Object.hasOwn(TYPE_NAMES, type) ? TYPE_NAMES[type] : undefined) ?? type;
}

/**
 * AM's display names for the outcome ids of its built-in nodes [real: frodo's NodeApi and JourneyOps
 * recordings of AIC]; any other id is shown as it is.
 */
const OUTCOME_NAMES: Readonly<Record<string, string>> = {
  true: 'True',
  false: 'False',
  outcome: 'Outcome',
  CREATED: 'Created',
  PATCHED: 'Patched',
  FAILURE: 'Failed',
};

/** A version 2.0 page's `<childId>-<outcome>` is shown as the child's outcome id, as recorded. */
const PAGE_OUTCOME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(.+)$/i;

export function outcomeDisplayName(id: string): string {
  const pageOutcome = PAGE_OUTCOME.exec(id)?.[1];
  if (pageOutcome !== undefined) return pageOutcome;
  return (Object.hasOwn(OUTCOME_NAMES, id) ? OUTCOME_NAMES[id] : undefined) ?? id;
}

export function nodeView(journeys: RealmJourneys, node: NodeConfig): Json {
  const outcomes = outcomesOf(
    journeys,
    { id: node.id, nodeType: node.type, displayName: node.type, connections: {} },
    node,
  );
  const content: Json = { _id: node.id };
  for (const [key, value] of Object.entries(node.config))
    Object.defineProperty(content, key, { value, enumerable: true, writable: true, configurable: true });
  content['_type'] = {
    _id: node.type,
    name: typeDisplayName(node.type),
    collection: true,
    version: node.version ?? '1.0',
  };
  content['_outcomes'] = outcomes.map((id) => ({ id, displayName: outcomeDisplayName(id) }));
  return withRev(content);
}

/** One entry of `getAllTypes`. */
export function nodeTypeView(type: string): Json {
  return { _id: type, name: typeDisplayName(type), collection: true, tags: [], metadata: { tags: [] }, help: '' };
}

/**
 * A script as `GET scripts/<uuid>` answers it: the source in base64, and the fields AIC shows for a
 * script whose author and dates it does not know (`createdBy: "null"`, dates 0, as for imported ones).
 */
export function scriptView(script: ScriptDef): Json {
  return {
    _id: script.id,
    name: script.name,
    description: script.description,
    script: Buffer.from(script.source, 'utf8').toString('base64'),
    default: false,
    language: script.language,
    context: script.context,
    createdBy: script.createdBy ?? 'null',
    creationDate: script.creationDate ?? 0,
    lastModifiedBy: script.lastModifiedBy ?? 'null',
    lastModifiedDate: script.lastModifiedDate ?? 0,
    evaluatorVersion: script.evaluatorVersion,
  };
}

/** A script as a PUT answers it: with its `_rev`. */
export function scriptWriteView(script: ScriptDef): Json {
  return withRev(scriptView(script));
}

/** `_id` first, `_rev` second, then the rest, as AM writes them. */
function withRev(content: Json): Json {
  const { _id, ...rest } = content;
  const rev = revOf(content);
  const result: Json = { _id, _rev: rev };
  for (const [key, value] of Object.entries(rest))
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  return result;
}
