/**
 * What a PUT through AM's config REST writes: a tree, a node configuration or a script, read from
 * the request body with the checks and messages AIC answers them with (frodo-lib's TreeApi
 * putTree and ScriptOps recordings of AIC). Where AIC's answer is not known, docs/fidelity.md
 * records the emulator's.
 */
import { AmError } from '../errors.js';
import {
  bareRecord,
  type JourneyTree,
  type NodeConfig,
  type ScriptDef,
  type TreeNode,
} from '../../../state/journeys/model.js';
import { nodeAttributes } from './node-attributes.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The attributes AIC names when it refuses another one [real: frodo's putTree recordings, 2023]. */
export const TREE_ATTRIBUTES = [
  'description',
  'enabled',
  'entryNodeId',
  'identityResource',
  'innerTreeOnly',
  'nodes',
  'staticNodes',
  'uiConfig',
] as const;

/** Accepted as well: the resource's own `_id`/`_rev`, and what newer tenants answer (and tools send back). */
const ALSO_ACCEPTED = new Set(['_id', '_rev', 'noSession', 'mustRun', 'transactionalOnly']);

const invalidAttribute = () =>
  new AmError(400, 'Invalid attribute specified.', { detail: { validAttributes: [...TREE_ATTRIBUTES] } });

/** AM's message for an attribute of the wrong shape, named as AM's schema names it ("Nodes"). */
const invalidValue = (attribute: string) =>
  new AmError(
    400,
    `Data validation failed for the attribute, ${attribute.charAt(0).toUpperCase()}${attribute.slice(1)}`,
  );

/** The tree a `PUT trees/<name>` stores: a PUT replaces the whole tree, defaults filled in. */
export function treeFromBody(name: string, body: Json): JourneyTree {
  for (const key of Object.keys(body)) {
    if (!(TREE_ATTRIBUTES as readonly string[]).includes(key) && !ALSO_ACCEPTED.has(key)) throw invalidAttribute();
  }
  const entryNodeId = body['entryNodeId'];
  if (typeof entryNodeId !== 'string' || entryNodeId === '')
    throw new AmError(400, 'Node with ID entryNodeId must exist in the tree.');
  const rawNodes = body['nodes'] ?? {};
  if (!isObject(rawNodes)) throw invalidValue('nodes');
  const nodes = bareRecord<TreeNode>();
  for (const [id, raw] of Object.entries(rawNodes)) {
    if (!isObject(raw) || typeof raw['nodeType'] !== 'string' || raw['nodeType'] === '') throw invalidValue('nodes');
    const rawConnections = raw['connections'] ?? {};
    if (!isObject(rawConnections)) throw invalidValue('nodes');
    const connections = bareRecord<string>();
    for (const [outcome, target] of Object.entries(rawConnections)) {
      if (typeof target !== 'string') throw invalidValue('nodes');
      connections[outcome] = target;
    }
    for (const axis of ['x', 'y']) {
      if (raw[axis] !== undefined && typeof raw[axis] !== 'number') throw invalidValue('nodes');
    }
    if (raw['displayName'] !== undefined && typeof raw['displayName'] !== 'string') throw invalidValue('nodes');
    if (raw['version'] !== undefined && typeof raw['version'] !== 'string') throw invalidValue('nodes');
    nodes[id] = {
      id,
      nodeType: raw['nodeType'],
      displayName: typeof raw['displayName'] === 'string' ? raw['displayName'] : raw['nodeType'],
      connections,
      x: typeof raw['x'] === 'number' ? raw['x'] : undefined,
      y: typeof raw['y'] === 'number' ? raw['y'] : undefined,
      version: typeof raw['version'] === 'string' ? raw['version'] : undefined,
    };
  }
  const staticNodes = body['staticNodes'] ?? {};
  if (!isObject(staticNodes) || !Object.values(staticNodes).every(isObject)) throw invalidValue('staticNodes');
  const uiConfig = body['uiConfig'] ?? {};
  if (!isObject(uiConfig)) throw invalidValue('uiConfig');
  const text = (key: string): string | undefined => {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalidValue(key);
    return value;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const value = body[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw invalidValue(key);
    return value;
  };
  return {
    name,
    entryNodeId,
    nodes,
    staticNodes: staticNodes as JourneyTree['staticNodes'],
    description: text('description') ?? '',
    enabled: flag('enabled', true),
    innerTreeOnly: flag('innerTreeOnly', false),
    identityResource: text('identityResource'),
    noSession: flag('noSession', false),
    mustRun: flag('mustRun', false),
    transactionalOnly: flag('transactionalOnly', false),
    uiConfig,
  };
}

const NODE_META = new Set(['_id', '_rev', '_type', '_outcomes']);

/** The configuration a `PUT nodes/<type>[/<version>]/<uuid>` stores: every attribute but the resource's own. */
export function nodeFromBody(
  type: string,
  id: string,
  body: Json,
  existing: NodeConfig | undefined,
  pathVersion: string | undefined,
): NodeConfig {
  // AM keeps each type's nodes apart, so a PUT under another type would make a second node with
  // this id; the emulator holds one node per id, and refuses rather than replace the other type's
  // (which would change the journeys that use it). DELETE it first to change a node's type.
  if (existing !== undefined && existing.type !== type)
    throw new AmError(409, 'Unable to save config: Service already exists');
  const valid = nodeAttributes(type);
  const config = bareRecord<unknown>();
  for (const [key, value] of Object.entries(body)) {
    if (NODE_META.has(key)) continue;
    // AM checks a node's configuration against its type's schema, as it checks a tree's.
    if (valid !== undefined && !valid.includes(key))
      throw new AmError(400, 'Invalid attribute specified.', { detail: { validAttributes: [...valid] } });
    config[key] = value;
  }
  // The version the path names (resource 3.0), else the body's `_type.version`, else the stored one.
  const declared = isObject(body['_type']) ? body['_type']['version'] : undefined;
  const version =
    pathVersion ?? (typeof declared === 'string' ? declared : existing?.type === type ? existing.version : undefined);
  return { id, type, version, config };
}

/** Strict base64 (the standard alphabet, padded or not): what AIC's script field holds. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** The languages AM runs scripts in. */
const SCRIPT_LANGUAGES = ['JAVASCRIPT', 'GROOVY'];

/** The script a `PUT scripts/<uuid>` stores; `author` is the caller as AM stamps it. */
export function scriptFromBody(
  id: string,
  body: Json,
  existing: ScriptDef | undefined,
  author: string,
  now: number,
): ScriptDef {
  const name = body['name'];
  // AM's ScriptException messages and statuses (OpenAM ScriptExceptionMappingHandler: both 400).
  if (typeof name !== 'string' || name.trim() === '') throw new AmError(400, 'Script name must be specified');
  let source = existing?.source ?? '';
  const encoded = body['script'];
  if (encoded !== undefined && encoded !== null) {
    const compact = typeof encoded === 'string' ? encoded.replace(/\s+/g, '') : undefined;
    if (compact === undefined || !BASE64.test(compact))
      throw new AmError(400, 'Invalid script: the script must be encoded in base64');
    source = Buffer.from(compact, 'base64').toString('utf8');
  }
  const optionalText = (key: string, fallback: string): string => {
    const value = body[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') throw invalidValue(key);
    return value;
  };
  const language = optionalText('language', existing?.language ?? 'JAVASCRIPT');
  if (!SCRIPT_LANGUAGES.includes(language.toUpperCase()))
    throw new AmError(400, `Scripting language not supported: ${language}`);
  const given = body['evaluatorVersion'];
  const versionText = typeof given === 'number' ? given.toFixed(1) : given;
  if (versionText !== undefined && versionText !== null && versionText !== '1.0' && versionText !== '2.0')
    throw invalidValue('evaluatorVersion');
  return {
    id,
    name,
    source,
    language,
    context: optionalText('context', existing?.context ?? 'AUTHENTICATION_TREE_DECISION_NODE'),
    evaluatorVersion: (versionText as ScriptDef['evaluatorVersion'] | undefined) ?? existing?.evaluatorVersion ?? '1.0',
    description: optionalText('description', existing?.description ?? ''),
    createdBy: existing ? (existing.createdBy ?? 'null') : author,
    creationDate: existing ? (existing.creationDate ?? 0) : now,
    lastModifiedBy: author,
    lastModifiedDate: now,
  };
}
