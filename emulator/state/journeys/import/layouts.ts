/**
 * Export layouts that hold journeys in other shapes than the ones formats.ts decodes, rewritten
 * into those shapes before decoding (frodo-cli's ScriptOps and ConfigOps write them, see
 * docs/fidelity.md "Journey export layouts"):
 * - frodo's separate files: a script's source in a file beside its JSON, named in its place as
 *   `"script": "file://<path relative to the JSON file>"` (`<name>.script.js`, `.script.groovy`;
 *   a custom node type's `<name>.nodeTypes.js`). Resolved here, wherever a `script` field says so.
 * - frodo's script export `{meta?, script: {<id>: {...}}}` (`<name>.script.json`) and its custom
 *   node types `{meta?, nodeTypes: {...}}` (`<name>.nodeTypes.json`).
 * - frodo's full config export (`config export -A`): `{global: {nodeTypes, ...}, realm:
 *   {"root-alpha": {trees, script, ...}}}`; one realm is read (see pickRealm).
 * - trees without `_id`: named after the key that holds them, the amster `entityId`, or the file.
 * - fr-config-manager's scripts, `"script": {"file": "scripts-content/..."}` beside `scripts-config/`.
 * - frodo's exports of other config (agents, themes, services...): not part of a journey, skipped
 *   with a warning rather than refused.
 */
import { basename } from 'node:path';
import type { JourneyProblem } from '../model.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface LayoutOptions {
  /**
   * Reads a `file://` reference, relative to the export file (load.ts); absent when the export came
   * without files (the control API), where such a reference is an error.
   */
  readExtracted?: (relativePath: string) => string;
  /** The export file's path, for a tree named after its file. */
  file?: string;
  /** The realm the import names (`alpha`, `/alpha`, `root`): a full config export's realm to read. */
  realm?: string | undefined;
}

export interface Normalized {
  value: unknown;
  /** The realm the layout names (a full config export's realm key). */
  realmHint?: string;
}

const FILE_REF = 'file://';
/** The end of the warning about frodo's other config (load.ts sums these up per folder). */
export const NOT_A_JOURNEY = 'not part of a journey; skipped';
const MAX_DEPTH = 12;

/**
 * frodo's typed exports of config that holds no journey (the `<type>` of `<name>.<type>.json` and
 * of a full export's realm and global sections).
 */
const OTHER_CONFIG = new Set([
  'agent',
  'agentGroup',
  'application',
  'applicationTypes',
  'authentication',
  'authenticationChains',
  'authenticationModules',
  'conditionTypes',
  'cot',
  'decisionCombiners',
  'emailTemplate',
  'idm',
  'idp',
  'internalRole',
  'managedApplication',
  'mapping',
  'policy',
  'policyset',
  'realm',
  'resourcetype',
  'saml',
  'scripttype',
  'secret',
  'secrets',
  'secretstore',
  'server',
  'serverInformation',
  'serverVersion',
  'service',
  'subjectAttributes',
  'subjectTypes',
  'sync',
  'theme',
  'trustedJwtIssuer',
  'variable',
  'webhookService',
  'wsEntity',
]);

/** Rewrites `input` into a shape formats.ts decodes, resolving `file://` script references. */
export function normalizeLayout(
  input: unknown,
  source: string,
  problems: JourneyProblem[],
  options: LayoutOptions = {},
): Normalized {
  const resolved = resolveExtracted(input, source, problems, options, 0);
  const realmHint = realmOfFolder(options.file);
  if (Array.isArray(resolved))
    return {
      value: resolved.map((item) => normalizeOne(item, source, problems, options).value),
      ...(realmHint ? { realmHint } : {}),
    };
  const normalized = normalizeOne(resolved, source, problems, options);
  return normalized.realmHint === undefined && realmHint ? { ...normalized, realmHint } : normalized;
}

/** frodo's separate-files layout keeps a realm's config in `realm/<realm key>/<type>/`. */
function realmOfFolder(file: string | undefined): string | undefined {
  const key = file === undefined ? undefined : /(?:^|[\\/])realm[\\/](root(?:-[^\\/]+)?)[\\/]/.exec(file)?.[1];
  return key === undefined ? undefined : realmOfKey(key);
}

/** Custom node types whose script frodo wrote as an array of lines (a full export), joined. */
function joinedNodeTypes(types: Json): Json {
  const joined: Json = {};
  for (const [id, type] of Object.entries(types))
    joined[id] =
      isObject(type) && Array.isArray(type['script'])
        ? { ...type, script: type['script'].map(String).join('\n') }
        : type;
  return joined;
}

function normalizeOne(value: unknown, source: string, problems: JourneyProblem[], options: LayoutOptions): Normalized {
  if (!isObject(value)) return { value };
  // The full config export: {global?, realm: {<realm key>: {trees, script, ...}}}.
  if (isObject(value['realm']) && Object.values(value['realm']).some((realm) => isRealmConfig(realm)))
    return fullExport(value, source, problems, options.realm);
  if (isObject(value['trees']))
    return {
      value: {
        ...value,
        trees: namedTrees(value['trees']),
        ...(isObject(value['nodeTypes']) ? { nodeTypes: joinedNodeTypes(value['nodeTypes']) } : {}),
      },
    };
  if (isObject(value['tree']) || isObject(value['metadata'])) return { value: unnamedTree(value, options) };
  if (typeof value['entryNodeId'] === 'string' && isObject(value['nodes']) && typeof value['_id'] !== 'string') {
    const name = nameFromFile(options.file);
    return { value: name ? { ...value, _id: name } : value };
  }
  // frodo's script export: {meta?, script: {<id>: {_id, name, script, ...}}}.
  if (isObject(value['script']) && Object.values(value['script']).every(isObject) && !('_id' in value))
    return { value: scriptsOf(value['script']) };
  // frodo's custom node types alone: {meta?, nodeTypes: {...}} (formats.ts reads them beside trees).
  if (isObject(value['nodeTypes']) && !('_id' in value))
    return { value: { trees: {}, nodeTypes: joinedNodeTypes(value['nodeTypes']) } };
  const keys = Object.keys(value).filter((key) => key !== 'meta');
  if (keys.length > 0 && keys.every((key) => OTHER_CONFIG.has(key))) {
    problems.push({
      severity: 'warning',
      source,
      message: `frodo ${keys.join(', ')} export: ${NOT_A_JOURNEY}`,
    });
    return { value: { trees: {} } };
  }
  return { value };
}

/** A realm section of a full export (config by type), not an entry of frodo's realm list. */
function isRealmConfig(realm: unknown): boolean {
  return isObject(realm) && (isObject(realm['trees']) || isObject(realm['script']) || isObject(realm['journey']));
}

/** `alpha`, `/alpha` → `/alpha`; `root`, `/` → `/`. */
function realmPath(realm: string): string {
  const path = realm.replace(/^\/+|\/+$/g, '');
  return path === '' || path === 'root' ? '/' : `/${path}`;
}

/**
 * frodo names a full export's realms by path, `/` as `-` after `root` (`root-alpha`, `root`,
 * `root-first-second`).
 */
export function realmOfKey(key: string): string {
  if (key === 'root' || key === '/') return '/';
  return `/${key
    .replace(/^root-/, '')
    .split('-')
    .join('/')}`;
}

/**
 * One realm of a full export: the one the import names, else alpha when it is there (AIC's realm
 * for journeys), else the first realm holding trees. The others are named in a warning: import the file again with their realm
 * (`--realm`), or the separate-files layout's realm folders one by one.
 */
function fullExport(value: Json, source: string, problems: JourneyProblem[], named?: string): Normalized {
  // normalizeOne checked that at least one realm is one.
  const realms = Object.entries(value['realm'] as Json).filter((entry): entry is [string, Json] =>
    isRealmConfig(entry[1]),
  );
  const withTrees = realms.filter(([, realm]) => isObject(realm['trees']));
  const wanted = named === undefined ? '/alpha' : realmPath(named);
  const [key, realm] = (realms.find(([name]) => realmOfKey(name) === wanted) ?? withTrees[0] ?? realms[0]) as [
    string,
    Json,
  ];
  const others = withTrees.filter(([other]) => other !== key).map(([other]) => other);
  if (others.length > 0)
    problems.push({
      severity: 'warning',
      source,
      message: `a full config export of several realms: read ${key}; not read: ${others.join(', ')} (import the file again naming the realm, e.g. --realm bravo)`,
    });
  const global = isObject(value['global']) ? value['global'] : {};
  const parts: unknown[] = [
    {
      trees: isObject(realm['trees']) ? namedTrees(realm['trees']) : {},
      ...(isObject(global['nodeTypes']) ? { nodeTypes: joinedNodeTypes(global['nodeTypes']) } : {}),
    },
  ];
  if (isObject(realm['script'])) parts.push(...scriptsOf(realm['script']));
  return { value: parts, realmHint: realmOfKey(key) };
}

/** `{<id>: script}` as AM REST script objects, each with its `_id`. */
function scriptsOf(scripts: Json): Json[] {
  return Object.entries(scripts)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([id, script]) => ({ ...script, _id: typeof script['_id'] === 'string' ? script['_id'] : id }));
}

/** A `trees` map whose trees lack `_id`: each named after its key. */
function namedTrees(trees: Json): Json {
  let changed = false;
  const named: Json = {};
  for (const [name, entry] of Object.entries(trees)) {
    if (isObject(entry) && isObject(entry['tree']) && typeof entry['tree']['_id'] !== 'string') {
      named[name] = { ...entry, tree: { ...entry['tree'], _id: name } };
      changed = true;
    } else named[name] = entry;
  }
  return changed ? named : trees;
}

/** A single tree (`{tree, nodes}` or an amster AuthTree entity) without `_id`. */
function unnamedTree(value: Json, options: LayoutOptions): Json {
  if (isObject(value['tree']) && typeof value['tree']['_id'] !== 'string') {
    const name = nameFromFile(options.file);
    return name ? { ...value, tree: { ...value['tree'], _id: name } } : value;
  }
  const metadata = value['metadata'];
  const data = value['data'];
  if (
    isObject(metadata) &&
    isObject(data) &&
    (metadata['entityType'] === 'AuthTree' || metadata['entityType'] === 'AuthenticationTree') &&
    typeof data['_id'] !== 'string'
  ) {
    const name = typeof metadata['entityId'] === 'string' ? metadata['entityId'] : nameFromFile(options.file);
    return name ? { ...value, data: { ...data, _id: name } } : value;
  }
  return value;
}

/** `Login.json`, `Login.journey.json`, `Login.tree.json` → `Login`. */
function nameFromFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const name = basename(file)
    .replace(/\.json$/i, '')
    .replace(/\.(journey|tree|authtree)$/i, '');
  return name === '' ? undefined : name;
}

/**
 * Replaces every `"script": "file://<path>"` (a script's, a custom node type's) by the file's text,
 * as frodo's getExtractedData reads it back: the path is relative to the JSON file's folder.
 */
function resolveExtracted(
  value: unknown,
  source: string,
  problems: JourneyProblem[],
  options: LayoutOptions,
  depth: number,
): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const next = resolveExtracted(item, source, problems, options, depth + 1);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? items : value;
  }
  if (!isObject(value)) return value;
  let copy: Json | undefined;
  for (const [key, item] of Object.entries(value)) {
    let next: unknown = item;
    if (key === 'script' && typeof item === 'string' && item.startsWith(FILE_REF)) {
      next = readReference(item, value, source, problems, options);
    } else if (
      key === 'script' &&
      isObject(item) &&
      typeof item['file'] === 'string' &&
      Object.keys(item).length === 1
    ) {
      // fr-config-manager's layout (which frodo also writes): `scripts/scripts-config/<id>.json`
      // names `{"file": "scripts-content/<context>/<name>.js"}`, relative to `scripts/`.
      next = readReference(`${FILE_REF}${item['file']}`, value, source, problems, options, ['../']);
    } else if (typeof item === 'object' && item !== null) {
      next = resolveExtracted(item, source, problems, options, depth + 1);
    }
    if (next !== item) {
      copy ??= { ...value };
      if (next === undefined) delete copy[key];
      else copy[key] = next;
    }
  }
  return copy ?? value;
}

function readReference(
  reference: string,
  holder: Json,
  source: string,
  problems: JourneyProblem[],
  options: LayoutOptions,
  alsoUnder: string[] = [],
): string | undefined {
  const path = reference.slice(FILE_REF.length);
  const id = typeof holder['_id'] === 'string' ? holder['_id'] : undefined;
  const where = { source, ...(id ? { script: id } : {}) };
  if (!options.readExtracted) {
    problems.push({
      severity: 'error',
      ...where,
      message: `the source is in a separate file (${reference}), which only an import of files can read: import the folder`,
    });
    return undefined;
  }
  if (path === '' || path.split(/[\\/]/).includes('..') || path.startsWith('/')) {
    problems.push({ severity: 'error', ...where, message: `${reference} is not a file beside the export` });
    return undefined;
  }
  try {
    for (const prefix of alsoUnder) {
      try {
        return options.readExtracted(`${prefix}${path}`);
      } catch {
        // not there: the export's own folder next
      }
    }
    return options.readExtracted(path);
  } catch (error) {
    problems.push({
      severity: 'error',
      ...where,
      message: `cannot read ${reference}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    });
    return undefined;
  }
}
