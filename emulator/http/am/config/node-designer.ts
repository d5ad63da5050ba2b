/**
 * `/am/json/node-designer/node-type`: AIC's Node Designer custom node types, tenant-wide (not under
 * a realm), as recorded (frodo-lib's NodeApi recordings of AIC, aic-alpha-journey-nodes-rest.har):
 * `GET ?_queryFilter=true` and `GET <id>`; `POST` creates (201; 409 `Node Type with resource id
 * <serviceName> already exists`); `PUT <id>` replaces one that exists (200; else 404 `Node Type
 * with resource ID <id> does not exist`); `DELETE <id>` answers `{_id}`; `POST <id>?_action=journeys`
 * answers `{}` as recorded. The types are the ones journeys run (journeys/nodes/designer-node.ts):
 * kept with every realm's journeys. Administrators only (access.ts).
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import { jsonBody, jsonObjectBody } from '../context.js';
import type { CustomNodeProperty, CustomNodeType } from '../../../state/journeys/model.js';
import { collectionRefusal, prepareCrest, projectFields, unsupportedOperation } from '../crest.js';
import { AmError, Errors } from '../errors.js';
import { resourceNotFound } from '../path.js';
import { v } from '../versioning.js';
import { queryPage, requireAdmin } from './access.js';
import { revOf } from './views.js';

/** frodo asks for `protocol=2.1,resource=1.0` [real: the recordings]. */
export const NODE_TYPE_VERSIONS = [v('1.0')];

type Json = Record<string, unknown>;

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,100}$/;

function nodeTypeView(type: CustomNodeType): Json {
  const content: Json = {
    _id: type.id,
    serviceName: type.serviceName,
    version: type.version,
    displayName: type.displayName,
    description: type.description,
    outcomes: type.outcomes,
    outputs: type.outputs,
    inputs: type.inputs,
    script: type.script,
    errorOutcome: type.errorOutcome,
    tags: type.tags,
    properties: type.properties,
  };
  const { _id, ...rest } = content;
  return { _id, _rev: revOf(content), ...rest };
}

const strings = (body: Json, name: string): string[] => {
  const value = body[name];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw Errors.badRequest(`${name} must be an array of strings`);
  return value;
};

function typeFromBody(id: string | undefined, body: Json, existing: CustomNodeType | undefined): CustomNodeType {
  const serviceName = body['serviceName'] ?? existing?.serviceName;
  if (typeof serviceName !== 'string' || !SERVICE_NAME.test(serviceName))
    throw Errors.badRequest('serviceName is required: letters, digits, _ and -');
  if (typeof body['script'] !== 'string') throw Errors.badRequest('script is required: the node type script');
  if (body['displayName'] !== undefined && typeof body['displayName'] !== 'string')
    throw Errors.badRequest('displayName must be a string');
  if (body['errorOutcome'] !== undefined && typeof body['errorOutcome'] !== 'boolean')
    throw Errors.badRequest('errorOutcome must be a boolean');
  const properties = body['properties'] ?? {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties))
    throw Errors.badRequest('properties must be an object');
  for (const [name, property] of Object.entries(properties))
    if (typeof property !== 'object' || property === null || Array.isArray(property))
      throw Errors.badRequest(`properties.${name} must be an object`);
  const version = existing?.version ?? 1;
  return {
    id: id ?? `${serviceName}-${version}`,
    serviceName,
    version,
    displayName: typeof body['displayName'] === 'string' ? body['displayName'] : serviceName,
    description: typeof body['description'] === 'string' ? body['description'] : '',
    outcomes: strings(body, 'outcomes'),
    inputs: strings(body, 'inputs'),
    outputs: strings(body, 'outputs'),
    script: body['script'],
    errorOutcome: body['errorOutcome'] === true,
    tags: strings(body, 'tags'),
    properties: structuredClone(properties) as Record<string, CustomNodeProperty>,
  };
}

export const nodeDesignerResource: AmResource = {
  kind: 'crest',
  async handle(request: AmRequest): Promise<AmAnswer> {
    const [, collection, id, ...deeper] = request.resource;
    if (collection !== 'node-type' || deeper.length > 0 || request.realm.path !== '/')
      throw resourceNotFound(request.resource);
    const operation = prepareCrest(request);
    if (operation === 'action') jsonBody(request);
    const body = operation === 'create' || operation === 'update' ? (jsonObjectBody(request) ?? {}) : {};
    await requireAdmin(request, NODE_TYPE_VERSIONS);
    const { tenant } = request;
    const realms = tenant.realms.list().map((realm) => realm.path);
    const all = new Map<string, CustomNodeType>();
    for (const realm of realms)
      for (const type of tenant.journeys.of(realm).nodeTypes?.values() ?? [])
        if (!all.has(type.id)) all.set(type.id, type);
    const store = (type: CustomNodeType) => {
      for (const realm of realms)
        tenant.journeys.add(realm, {
          trees: new Map(),
          nodes: new Map(),
          scripts: new Map(),
          nodeTypes: new Map([[type.id, type]]),
          realmHint: undefined,
        });
    };
    if (id === undefined) {
      if (operation === 'query') {
        const items = [...all.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(nodeTypeView);
        // AIC counts them exactly [real: the recordings' query, EXACT with its total, -1 remaining].
        const page = queryPage(request, items, -1);
        page['totalPagedResultsPolicy'] = 'EXACT';
        page['totalPagedResults'] = page['resultCount'];
        return { status: 200, body: page };
      }
      if (operation === 'create') {
        const given = typeof body['_id'] === 'string' && body['_id'] !== '' ? body['_id'] : undefined;
        const type = typeFromBody(given, body, undefined);
        if (all.has(type.id) || [...all.values()].some((other) => other.serviceName === type.serviceName))
          throw new AmError(409, `Node Type with resource id ${type.serviceName} already exists`);
        store(type);
        return { status: 201, body: projectFields(nodeTypeView(type), request.query) };
      }
      if (operation === 'action') throw Errors.actionNotImplemented(request.query.get('_action') ?? '');
      throw collectionRefusal(operation) ?? unsupportedOperation();
    }
    const existing = all.get(id);
    const missing = () => new AmError(404, `Node Type with resource ID ${id} does not exist`);
    if (operation === 'read') {
      if (!existing) throw missing();
      return { status: 200, body: projectFields(nodeTypeView(existing), request.query) };
    }
    if (operation === 'create' || operation === 'update') {
      // A PUT replaces a type that exists; it does not create one [real: PUT of a new id, 404].
      if (!existing) throw missing();
      const type = typeFromBody(id, body, existing);
      store(type);
      return { status: 200, body: projectFields(nodeTypeView(type), request.query) };
    }
    if (operation === 'delete') {
      if (!existing) throw missing();
      for (const realm of realms) tenant.journeys.remove(realm, 'nodeTypes', id);
      return { status: 200, body: { _id: id } };
    }
    if (operation === 'action') {
      // The journeys that use it: AIC answered `{}` for an unused type [real].
      if (request.query.get('_action') === 'journeys') {
        if (!existing) throw missing();
        return { status: 200, body: {} };
      }
      throw Errors.actionNotImplemented(request.query.get('_action') ?? '');
    }
    throw unsupportedOperation();
  },
};
