/**
 * The actions on a node type, `nodes/<type>?_action=…` (resource 3.0: `nodes/<type>/<version>?_action=…`),
 * as AM's admin UI calls them when a journey is edited (am-external 8.0.2, openam-ui-admin
 * NodeService.js and EditTreeContainer.jsx):
 * - `listOutcomes`, the body a node's configuration: the outcomes a node of that type so configured
 *   has, a bare array `[{id, displayName}]` (a Page Node's body names its children, each with its
 *   configuration in `_properties`: the page has its last child's outcomes);
 * - `schema`: the type's configuration schema [real: aic-alpha-journey-nodes-rest.har #9, #32];
 * - `template`: the configuration a new node of the type starts with, its attributes' defaults.
 * `getType` answers what a type is. Any other action is AM's 501.
 */
import type { AmAnswer, AmRequest } from '../context.js';
import type { RealmJourneys } from '../../../state/journeys/registry.js';
import { jsonObjectBody } from '../context.js';
import { Errors } from '../errors.js';
import { nodeType } from '../../../journeys/nodes/index.js';
import { nodeAttributes } from './node-attributes.js';
import { NODE_SCHEMAS } from './node-schemas.js';
import { outcomeDisplayName, typeDisplayName } from './views.js';

type Json = Record<string, unknown>;

/** Answers a node type's action, or throws AM's 501 for an action it does not have. */
export function nodeTypeAction(
  request: AmRequest,
  journeys: RealmJourneys,
  type: string,
  version: string | undefined,
): AmAnswer {
  // Action names match in any case, as in AM's action maps (sessions/resource.ts).
  const action = request.query.get('_action') ?? '';
  switch (action.toLowerCase()) {
    case 'listoutcomes': {
      const config = jsonObjectBody(request) ?? {};
      const outcomes = outcomesFor(journeys, type, config);
      return { status: 200, body: outcomes.map((id) => ({ id, displayName: outcomeDisplayName(id) })) };
    }
    case 'schema':
      return { status: 200, body: nodeSchema(type) };
    case 'template':
      return { status: 200, body: nodeTemplate(type) };
    case 'gettype':
      // `{_id: <version>, name, collection, tags, help}` [real: frodo's version-aware node recordings].
      if (version !== undefined)
        return {
          status: 200,
          body: { _id: version, name: typeDisplayName(type), collection: true, tags: [], help: '' },
        };
      throw Errors.actionNotImplemented(action);
    default:
      throw Errors.actionNotImplemented(action);
  }
}

/** The outcome ids of a node of `type` configured so (outcomesOf in journeys/lint.ts, for a configuration not yet stored). */
function outcomesFor(journeys: RealmJourneys, type: string, config: Json): string[] {
  if (type !== 'PageNode') return nodeType(type)?.outcomes(config) ?? [];
  const children = config['nodes'];
  if (!Array.isArray(children)) return [];
  const last: unknown = children.at(-1);
  if (last === null || typeof last !== 'object') return [];
  const { _id: id, nodeType: childType, _properties: properties } = last as Json;
  if (typeof childType !== 'string') return [];
  const stored = typeof id === 'string' ? journeys.nodes.get(id)?.config : undefined;
  const childConfig = isObject(properties) ? properties : (stored ?? {});
  return nodeType(childType)?.outcomes(childConfig) ?? [];
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A type's schema: as am-external defines it (node-schemas.ts); for a type the emulator knows only
 * the attribute names of (node-attributes.ts), those names as strings; else AM's empty schema.
 */
export function nodeSchema(type: string): Json {
  const known = Object.hasOwn(NODE_SCHEMAS, type) ? NODE_SCHEMAS[type] : undefined;
  if (known) return structuredClone(known);
  const names = nodeAttributes(type) ?? [];
  if (names.length === 0) return { type: 'object', required: [] };
  const properties: Json = {};
  names.forEach((name, index) => {
    properties[name] = { title: name, description: '', propertyOrder: (index + 1) * 100, exampleValue: '' };
  });
  return { type: 'object', properties, required: [] };
}

/** The configuration a new node of this type starts with (`?_action=template`): each attribute's default. */
export function nodeTemplate(type: string): Json {
  const properties = nodeSchema(type)['properties'];
  const template: Json = {};
  if (!isObject(properties)) return template;
  for (const [name, property] of Object.entries(properties))
    if (isObject(property) && Object.hasOwn(property, 'default')) template[name] = property['default'];
  return template;
}
