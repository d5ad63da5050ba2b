/**
 * `/am/json/realms/.../realm-config/authentication/authenticationtrees/{trees,nodes}`: the realm's
 * journeys as AM's config REST shows them to deployment tools (frodo-lib TreeApi.ts and NodeApi.ts
 * and their TreeApi/NodeApi recordings of AIC; AM admin UI TreeService.js and NodeService.js in
 * ForgeRock/am-external): trees by name, node configurations by type and id, and the node types
 * the emulator runs; PUT creates (201) or replaces (200) a tree or a node, DELETE removes one.
 * Administrators only (access.ts).
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import { jsonBody, jsonObjectBody } from '../context.js';
import { collectionRefusal, prepareCrest, projectFields, unsupportedOperation, type CrestOperation } from '../crest.js';
import { emptyBundle, type NodeConfig } from '../../../state/journeys/model.js';
import { nodeFromBody, treeFromBody } from './bodies.js';
import { AmError, Errors } from '../errors.js';
import { resourceNotFound } from '../path.js';
import { v } from '../versioning.js';
import { supportedNodeTypes } from '../../../journeys/nodes/index.js';
import { locationOf, queryPage, refuseRootRealm, requireAdmin } from './access.js';
import { nodeTypeView, nodeView, treeView } from './views.js';
import { nodeTypeAction } from './node-actions.js';

/** Trees: `protocol=2.1,resource=1.0` (frodo); 2.0 is served too [real: frodo's JourneyOps recordings of AIC]. */
export const TREE_VERSIONS = [v('1.0'), v('2.0')];

/**
 * Nodes: resource 1.0 names a node `nodes/<type>/<uuid>`; resource 3.0 (AM 8.1 and later, which
 * frodo uses with servers of version 8.1.0 or later) `nodes/<type>/<version>/<uuid>`. A request
 * that names no resource version is served 1.0, the form every tool knows (docs/fidelity.md).
 */
export const NODE_VERSIONS = [v('1.0'), v('3.0')];

/** A node type version as AM writes them (`1.0`, `2.0`). */
const NODE_VERSION_PATTERN = /^\d{1,3}\.\d{1,3}$/;

const TREES_PATH = ['realm-config', 'authentication', 'authenticationtrees'];

const notFound = () => new AmError(404, 'Not Found');

export const realmConfigResource: AmResource = {
  kind: 'crest',
  async handle(request: AmRequest): Promise<AmAnswer> {
    const { resource } = request;
    if (!TREES_PATH.every((element, index) => resource[index] === element)) throw resourceNotFound(resource);
    refuseRootRealm(request);
    const [collection, ...rest] = resource.slice(TREES_PATH.length);
    if (collection === 'trees' && rest.length <= 1) return trees(request, rest[0]);
    if (collection === 'nodes' && rest.length <= 3) return nodes(request, rest);
    throw resourceNotFound(resource);
  },
};

async function trees(request: AmRequest, name: string | undefined): Promise<AmAnswer> {
  const operation = prepareCrest(request);
  if (operation === 'action') jsonBody(request); // a malformed body is a 400 even where it is ignored
  const body = name !== undefined && isWrite(operation) ? (jsonObjectBody(request) ?? {}) : {};
  await requireAdmin(request, TREE_VERSIONS);
  const realmPath = request.realm.path;
  const journeys = request.tenant.journeys.of(realmPath);
  if (name === undefined) {
    if (operation === 'query') {
      const items = [...journeys.trees.values()]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((tree) => treeView(tree, realmPath));
      return { status: 200, body: queryPage(request, items) };
    }
    if (operation === 'action') throw Errors.actionNotImplemented(request.query.get('_action') ?? '');
    throw collectionRefusal(operation) ?? unsupportedOperation();
  }
  if (operation === 'read') {
    const tree = journeys.trees.get(name);
    if (!tree) throw notFound();
    return readAnswer(request, treeView(tree, realmPath));
  }
  if (isWrite(operation)) {
    // AIC stores the tree as it is: its node configurations are separate resources, PUT before it,
    // and are not checked here (the control API's journeys listing shows the linter's findings).
    const existed = journeys.trees.has(name);
    const tree = treeFromBody(name, body);
    const bundle = emptyBundle();
    bundle.trees.set(name, tree);
    request.tenant.journeys.add(realmPath, bundle);
    return created(request, readAnswer(request, treeView(tree, realmPath)), existed);
  }
  if (operation === 'delete') {
    const removed = request.tenant.journeys.remove(realmPath, 'trees', name);
    if (!removed) throw notFound();
    return readAnswer(request, treeView(removed, realmPath));
  }
  throw unsupportedOperation();
}

function isWrite(operation: CrestOperation): boolean {
  return operation === 'create' || operation === 'update';
}

async function nodes(request: AmRequest, path: string[]): Promise<AmAnswer> {
  const operation = prepareCrest(request);
  if (operation === 'action') jsonBody(request);
  const named = request.requestedVersion.resource !== undefined;
  await requireAdmin(request, named ? NODE_VERSIONS : [v('1.0')]);
  const versionAware = request.servedVersion?.major === 3;
  const [type, second, third] = path;
  // Resource 1.0: <type>/<uuid>; resource 3.0: <type>/<version>/<uuid>.
  if (!versionAware && third !== undefined) throw resourceNotFound(request.resource);
  const version = versionAware ? second : undefined;
  const id = versionAware ? third : second;
  const body = id !== undefined && isWrite(operation) ? (jsonObjectBody(request) ?? {}) : {};
  const realmPath = request.realm.path;
  const journeys = request.tenant.journeys.of(realmPath);
  const sortedNodes = () => [...journeys.nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const versionOf = (node: NodeConfig) => node.version ?? '1.0';

  if (type === undefined) {
    if (operation !== 'action') throw collectionRefusal(operation) ?? unsupportedOperation();
    // Action names match in any case, as in AM's action maps (sessions/resource.ts).
    const action = request.query.get('_action') ?? '';
    if (action.toLowerCase() === 'getalltypes')
      return { status: 200, body: { result: supportedNodeTypes().map(nodeTypeView) } };
    if (action.toLowerCase() === 'nextdescendents')
      return { status: 200, body: { result: sortedNodes().map((node) => nodeView(journeys, node)) } };
    throw Errors.actionNotImplemented(action);
  }

  // A type "exists" when the emulator runs it or the realm holds a node of it (an import may hold
  // nodes of types the emulator cannot run; AM would know their type).
  const known = supportedNodeTypes().includes(type) || sortedNodes().some((node) => node.type === type);
  if (!known) throw notFound();
  if (version !== undefined && !NODE_VERSION_PATTERN.test(version)) throw notFound();
  const ofType = (node: NodeConfig) => node.type === type && (version === undefined || versionOf(node) === version);
  if (id === undefined) {
    if (operation === 'query') {
      const items = sortedNodes()
        .filter(ofType)
        .map((node) => nodeView(journeys, node));
      return { status: 200, body: queryPage(request, items) };
    }
    // listOutcomes, schema, template, getType (node-actions.ts).
    if (operation === 'action') return nodeTypeAction(request, journeys, type, version);
    throw collectionRefusal(operation) ?? unsupportedOperation();
  }
  const node = journeys.nodes.get(id);
  if (operation === 'read') {
    if (!node || !ofType(node)) throw notFound();
    return readAnswer(request, nodeView(journeys, node));
  }
  if (isWrite(operation)) {
    // Stored at once: a node no tree names yet waits for the tree that will (tools PUT nodes first).
    const written = nodeFromBody(type, id, body, node, version);
    const bundle = emptyBundle();
    bundle.nodes.set(id, written);
    request.tenant.journeys.add(realmPath, bundle);
    return created(request, readAnswer(request, nodeView(journeys, written)), node !== undefined);
  }
  if (operation === 'delete') {
    if (!node || !ofType(node)) throw notFound();
    request.tenant.journeys.remove(realmPath, 'nodes', id);
    return readAnswer(request, nodeView(journeys, node));
  }
  throw unsupportedOperation();
}

/** A PUT's answer: 200 when it replaced, else 201 with the new resource's `Location`. */
function created(request: AmRequest, answer: AmAnswer, existed: boolean): AmAnswer {
  if (existed) return answer;
  return { ...answer, status: 201, headers: { ...answer.headers, location: locationOf(request, request.resource) } };
}

/** A read: the object, `_fields` applied, its revision as the ETag (CREST). */
export function readAnswer(request: AmRequest, view: Record<string, unknown>): AmAnswer {
  const rev = view['_rev'];
  return {
    status: 200,
    body: projectFields(view, request.query),
    ...(typeof rev === 'string' ? { headers: { etag: `"${rev}"` } } : {}),
  };
}
