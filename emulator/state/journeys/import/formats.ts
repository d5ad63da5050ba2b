/**
 * Decodes journey exports into the journey model (formats as frodo-lib's JourneyOps.ts, AIC's admin
 * UI and AM's amster sample trees write them):
 * - the AIC admin-UI export and frodo's multi-tree form: `{meta?, trees: {<name>: {tree, nodes, innerNodes, scripts, ...}}}`;
 * - frodo's flat single-tree form: `{meta?, tree, nodes, innerNodes|innernodes, scripts, ...}`;
 * - amster files, one entity each: `{metadata: {entityType, realm, ...}, data: {...}}` (AuthTree, a
 *   node type, Scripts);
 * - AM REST objects as the API answers them (a tree, a node, a script), alone or in an array.
 * The format is recognised from the shape; problems are reported by what they concern.
 */
import { decodeScript } from './decode-script.js';
import { normalizeLayout, type LayoutOptions } from './layouts.js';
import {
  bareRecord,
  emptyBundle,
  type JourneyBundle,
  type JourneyProblem,
  type CustomNodeProperty,
  type CustomNodeType,
  type JourneyTree,
  type NodeConfig,
  type ScriptDef,
  type TreeNode,
} from '../model.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface DecodeResult {
  bundle: JourneyBundle;
  problems: JourneyProblem[];
}

/**
 * Decodes one parsed export (or one file's worth of amster entity) into `bundle`; frodo's other
 * layouts (separate script files, full config exports, trees without `_id`) through layouts.ts.
 */
export function decodeExport(
  raw: unknown,
  source: string,
  into: JourneyBundle = emptyBundle(),
  layout: LayoutOptions = {},
): DecodeResult {
  const problems: JourneyProblem[] = [];
  const { value: input, realmHint } = normalizeLayout(raw, source, problems, layout);
  if (realmHint !== undefined && into.realmHint === undefined) into.realmHint = realmHint;
  const add = (value: unknown) => decodeValue(value, source, into, problems);
  if (Array.isArray(input)) input.forEach(add);
  else add(input);
  return { bundle: into, problems };
}

function decodeValue(value: unknown, source: string, bundle: JourneyBundle, problems: JourneyProblem[]): void {
  if (!isObject(value)) {
    problems.push({ severity: 'error', source, message: 'not a journey export: expected a JSON object' });
    return;
  }
  if (isObject(value['trees'])) {
    if (value['nodeTypes'] !== undefined) decodeNodeTypes(value['nodeTypes'], source, bundle, problems);
    for (const [name, entry] of Object.entries(value['trees'])) {
      if (!isObject(entry)) {
        problems.push({ severity: 'error', source, journey: name, message: `trees["${name}"] is not an object` });
        continue;
      }
      decodeSingleTree(entry, source, bundle, problems, name);
    }
    return;
  }
  if (isObject(value['tree'])) {
    decodeSingleTree(value, source, bundle, problems, undefined);
    return;
  }
  if (isObject(value['metadata']) && isObject(value['data'])) {
    decodeAmsterEntity(value['metadata'], value['data'], source, bundle, problems);
    return;
  }
  if (typeof value['entryNodeId'] === 'string' && isObject(value['nodes'])) {
    decodeTree(value, source, bundle, problems);
    return;
  }
  if (isObject(value['_type']) && typeof value['_id'] === 'string') {
    decodeNode(value, source, bundle, problems);
    return;
  }
  if (typeof value['_id'] === 'string' && ('script' in value || 'language' in value)) {
    decodeScriptEntity(value, source, bundle, problems);
    return;
  }
  problems.push({
    severity: 'error',
    source,
    message:
      'not a journey export: expected {trees}, {tree, nodes, scripts}, an amster {metadata, data} entity, or an AM tree, node or script',
  });
}

/** One tree with its nodes, inner (page child) nodes and scripts, as the UI and frodo export it. */
function decodeSingleTree(
  entry: Json,
  source: string,
  bundle: JourneyBundle,
  problems: JourneyProblem[],
  name: string | undefined,
): void {
  const tree = entry['tree'];
  if (!isObject(tree)) {
    problems.push({
      severity: 'error',
      source,
      ...(name ? { journey: name } : {}),
      message: 'the export has no "tree" object',
    });
    return;
  }
  decodeTree(tree, source, bundle, problems);
  for (const key of ['nodes', 'innerNodes', 'innernodes']) {
    const nodes = entry[key];
    if (nodes === undefined) continue;
    if (!isObject(nodes)) {
      problems.push({ severity: 'error', source, journey: String(tree['_id']), message: `"${key}" is not an object` });
      continue;
    }
    for (const [id, node] of Object.entries(nodes)) {
      if (isObject(node)) decodeNode({ _id: id, ...node }, source, bundle, problems);
      else problems.push({ severity: 'error', source, node: id, message: 'a node configuration is not an object' });
    }
  }
  if (entry['nodeTypes'] !== undefined) decodeNodeTypes(entry['nodeTypes'], source, bundle, problems);
  const scripts = entry['scripts'];
  if (isObject(scripts)) {
    for (const [id, script] of Object.entries(scripts)) {
      if (isObject(script)) decodeScriptEntity({ _id: id, ...script }, source, bundle, problems);
      else problems.push({ severity: 'error', source, script: id, message: 'a script is not an object' });
    }
  }
}

function decodeAmsterEntity(
  metadata: Json,
  data: Json,
  source: string,
  bundle: JourneyBundle,
  problems: JourneyProblem[],
): void {
  const type = metadata['entityType'];
  if (typeof metadata['realm'] === 'string' && bundle.realmHint === undefined) bundle.realmHint = metadata['realm'];
  if (type === 'AuthTree' || type === 'AuthenticationTree') decodeTree(data, source, bundle, problems);
  else if (type === 'Scripts' || type === 'Script') decodeScriptEntity(data, source, bundle, problems);
  else if (isObject(data['_type'])) decodeNode(data, source, bundle, problems);
  else
    problems.push({
      severity: 'warning',
      source,
      message: `amster entity type ${String(type)} is not part of a journey; skipped`,
    });
}

function decodeTree(tree: Json, source: string, bundle: JourneyBundle, problems: JourneyProblem[]): void {
  const name = tree['_id'];
  if (typeof name !== 'string' || name === '') {
    problems.push({ severity: 'error', source, message: 'a tree has no "_id" (its name)' });
    return;
  }
  if (typeof tree['entryNodeId'] !== 'string' || !isObject(tree['nodes'])) {
    problems.push({ severity: 'error', source, journey: name, message: 'the tree has no "entryNodeId" or no "nodes"' });
    return;
  }
  // Keyed by the export's names, without a prototype: a node or an outcome named `__proto__`
  // is kept as one, not taken as the record's prototype.
  const nodes = bareRecord<TreeNode>();
  for (const [id, raw] of Object.entries(tree['nodes'])) {
    if (!isObject(raw) || typeof raw['nodeType'] !== 'string') {
      problems.push({ severity: 'error', source, journey: name, node: id, message: 'a tree node has no "nodeType"' });
      continue;
    }
    const connections = bareRecord<string>();
    if (isObject(raw['connections'])) {
      for (const [outcome, target] of Object.entries(raw['connections']))
        if (typeof target === 'string') connections[outcome] = target;
    }
    nodes[id] = {
      id,
      nodeType: raw['nodeType'],
      displayName: typeof raw['displayName'] === 'string' ? raw['displayName'] : raw['nodeType'],
      connections,
      x: typeof raw['x'] === 'number' ? raw['x'] : undefined,
      y: typeof raw['y'] === 'number' ? raw['y'] : undefined,
    };
  }
  const identityResource = typeof tree['identityResource'] === 'string' ? tree['identityResource'] : undefined;
  const decoded: JourneyTree = {
    name,
    entryNodeId: tree['entryNodeId'],
    nodes,
    staticNodes: isObject(tree['staticNodes']) ? (tree['staticNodes'] as JourneyTree['staticNodes']) : {},
    description: typeof tree['description'] === 'string' ? tree['description'] : '',
    enabled: tree['enabled'] !== false,
    innerTreeOnly: tree['innerTreeOnly'] === true,
    identityResource,
    noSession: tree['noSession'] === true,
    uiConfig: isObject(tree['uiConfig']) ? tree['uiConfig'] : undefined,
  };
  bundle.trees.set(name, decoded);
  const realm = identityResource ? /^managed\/(?:([A-Za-z0-9]+)_)?user$/.exec(identityResource)?.[1] : undefined;
  if (realm && bundle.realmHint === undefined) bundle.realmHint = `/${realm}`;
}

const NODE_META = new Set(['_id', '_rev', '_type', '_outcomes']);

function decodeNode(node: Json, source: string, bundle: JourneyBundle, problems: JourneyProblem[]): void {
  const type = isObject(node['_type']) ? node['_type']['_id'] : undefined;
  const id = node['_id'];
  if (typeof id !== 'string' || typeof type !== 'string') {
    problems.push({
      severity: 'error',
      source,
      ...(typeof id === 'string' ? { node: id } : {}),
      message: 'a node configuration has no "_id" or no "_type._id"',
    });
    return;
  }
  const config = bareRecord<unknown>();
  for (const [key, value] of Object.entries(node)) if (!NODE_META.has(key)) config[key] = value;
  const version =
    isObject(node['_type']) && typeof node['_type']['version'] === 'string' ? node['_type']['version'] : undefined;
  // The export's outcomes are kept: for a node type the emulator does not know, they are all it has.
  const outcomes = Array.isArray(node['_outcomes'])
    ? (node['_outcomes'] as unknown[]).flatMap((outcome) =>
        isObject(outcome) && typeof outcome['id'] === 'string' ? [outcome['id']] : [],
      )
    : undefined;
  const decoded: NodeConfig = { id, type, version, config, ...(outcomes ? { outcomes } : {}) };
  bundle.nodes.set(id, decoded);
}

function decodeScriptEntity(script: Json, source: string, bundle: JourneyBundle, problems: JourneyProblem[]): void {
  const id = script['_id'];
  if (typeof id !== 'string') {
    problems.push({ severity: 'error', source, message: 'a script has no "_id"' });
    return;
  }
  let text: string;
  try {
    text = decodeScript(script['script']);
  } catch (error) {
    problems.push({ severity: 'error', source, script: id, message: (error as Error).message });
    return;
  }
  const context = typeof script['context'] === 'string' ? script['context'] : 'AUTHENTICATION_TREE_DECISION_NODE';
  const given = script['evaluatorVersion'];
  const version = typeof given === 'string' || typeof given === 'number' ? String(given) : '';
  const evaluatorVersion: ScriptDef['evaluatorVersion'] =
    version === '2.0' || version === '2'
      ? '2.0'
      : version === '' && context.endsWith('NEXT_GEN')
        ? '2.0'
        : version === '' && context === 'SCRIPTED_DECISION_NODE'
          ? '2.0'
          : '1.0';
  const decoded: ScriptDef = {
    id,
    name: typeof script['name'] === 'string' ? script['name'] : id,
    source: text,
    language: typeof script['language'] === 'string' ? script['language'] : 'JAVASCRIPT',
    context,
    evaluatorVersion,
    description: typeof script['description'] === 'string' ? script['description'] : '',
  };
  bundle.scripts.set(id, decoded);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * Node Designer custom node types, as frodo exports them with a journey (`nodeTypes:
 * {"<serviceName>-<version>": {serviceName, displayName, outcomes, inputs, outputs, script,
 * errorOutcome, tags, properties}}`, AIC's `node-designer/node-type` objects).
 */
function decodeNodeTypes(value: unknown, source: string, bundle: JourneyBundle, problems: JourneyProblem[]): void {
  if (!isObject(value)) {
    problems.push({ severity: 'error', source, message: '"nodeTypes" is not an object' });
    return;
  }
  for (const [key, raw] of Object.entries(value)) {
    if (!isObject(raw) || typeof raw['script'] !== 'string') {
      problems.push({ severity: 'error', source, message: `the custom node type ${key} has no "script"` });
      continue;
    }
    const serviceName =
      typeof raw['serviceName'] === 'string' && raw['serviceName'] !== ''
        ? raw['serviceName']
        : key.replace(/-\d+$/, '');
    const version = typeof raw['version'] === 'number' ? raw['version'] : Number(/-(\d+)$/.exec(key)?.[1] ?? '1') || 1;
    const properties: Record<string, CustomNodeProperty> = bareRecord<CustomNodeProperty>();
    if (isObject(raw['properties']))
      for (const [name, property] of Object.entries(raw['properties']))
        if (isObject(property)) properties[name] = property;
    const type: CustomNodeType = {
      id: typeof raw['_id'] === 'string' ? raw['_id'] : `${serviceName}-${version}`,
      serviceName,
      version,
      displayName: typeof raw['displayName'] === 'string' ? raw['displayName'] : serviceName,
      description: typeof raw['description'] === 'string' ? raw['description'] : '',
      outcomes: strings(raw['outcomes']),
      inputs: strings(raw['inputs']),
      outputs: strings(raw['outputs']),
      script: raw['script'],
      errorOutcome: raw['errorOutcome'] === true,
      tags: strings(raw['tags']),
      properties,
    };
    (bundle.nodeTypes ??= new Map()).set(type.id, type);
  }
}
