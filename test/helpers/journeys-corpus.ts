/**
 * Issue 19's acceptance measurement: the corpus of real public journeys kept in
 * test/fixtures/journeys-corpus (SOURCES.md names each repository, commit and license), imported
 * and linted as `aic-emulator lint` does (app/lint-report.ts: a scratch tenant, importJourneys,
 * the script linter), and counted per distinct journey.
 *
 * A unit is what a user would hand to `aic-emulator lint`: a folder when it is one export laid out
 * over files (frodo's separate files: a realm folder with `journey/` and `script/`; fr-config-manager:
 * a realm folder with `journeys/`; amster: a folder with `AuthTree/`), else one JSON file.
 *
 * A distinct journey is its name and its graph (entry node, each node's type and connections): the
 * same journey exported by several tools or into several realms counts once. It is clean when one
 * of its imports has no error-severity problem (what makes `aic-emulator lint` exit 1), its inner
 * journeys included. A journey the corpus holds but the import did not read is unreadable; the
 * problems of its file are its reasons.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { resolveConfig } from '../../emulator/config/config.js';
import { Tenant } from '../../emulator/tenant/tenant.js';
import { importJourneys } from '../../emulator/journeys/import-journeys.js';
import { lintJourney } from '../../emulator/journeys/lint.js';
import { lintEnvironmentOf } from '../../emulator/journeys/scripts/lint-scripts.js';
import type { JourneyProblem } from '../../emulator/state/journeys/model.js';
import { PROJECT_ROOT } from './optional.js';

export const CORPUS_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'journeys-corpus');

/**
 * The sources issue 19's acceptance names: frodo's test exports (frodo-cli, and frodo-lib's import
 * mocks), platform-ui's e2e fixtures and AM's sample trees. The other folders are extra public
 * journeys (marketplace nodes, migration accelerators), measured and reported beside them.
 */
export const ACCEPTANCE_SOURCES = [
  'rockcarver__frodo-cli',
  'rockcarver__frodo-lib',
  'ForgeRock__platform-ui',
  'ForgeRock__am-external',
];

/** AIC's default journeys, as frodo-cli's test exports hold them from a real tenant. */
export const AIC_DEFAULT_JOURNEYS = [
  'Login',
  'Registration',
  'ForgottenUsername',
  'ResetPassword',
  'UpdatePassword',
  'ProgressiveProfile',
];
const AIC_TENANT_EXPORT = 'rockcarver__frodo-cli/test/e2e/exports/all-separate/cloud/realm/root-alpha';

/** Folders whose presence makes their parent one export (see above). */
const UNIT_MARKERS = new Set(['journey', 'journeys', 'AuthTree']);

export interface JourneyOccurrence {
  /** The unit, relative to the corpus folder (`<owner>__<repo>/<path>`). */
  unit: string;
  realm: string;
  readable: boolean;
  /** Error-severity problems (empty: lint-clean). */
  errors: JourneyProblem[];
}

export interface DistinctJourney {
  name: string;
  digest: string;
  occurrences: JourneyOccurrence[];
  readable: boolean;
  clean: boolean;
  /** The reasons of its best occurrence, one line each, deduplicated. */
  reasons: string[];
  /** Unsupported node types among them. */
  unsupportedNodeTypes: string[];
}

export interface CorpusUnitResult {
  unit: string;
  imported: number;
  /** Problems that name no journey: files not read, layouts not recognised. */
  unitProblems: JourneyProblem[];
}

export interface CorpusMeasurement {
  units: CorpusUnitResult[];
  journeys: DistinctJourney[];
  distinct: number;
  readable: number;
  clean: number;
  cleanRatio: number;
  /** Unsupported node types by the number of distinct journeys they block. */
  blockersByNodeType: [string, number][];
  /** Other reasons (node types aside) by the number of distinct journeys they concern. */
  otherReasons: [string, number][];
  /** Journeys an export holds that its import did not read (whether or not another export has them). */
  unreadable: { unit: string; name: string; reasons: string[] }[];
}

/** `journey/` of a realm's files, not `promote/journey/` above realm folders. */
function isUnitMarker(path: string, name: string): boolean {
  return (
    UNIT_MARKERS.has(name) &&
    !readdirSync(path, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && (entry.name === 'realm' || entry.name === 'realms'),
    )
  );
}

/** The units of the corpus, as paths relative to CORPUS_DIR. */
export function corpusUnits(dir = CORPUS_DIR): string[] {
  const units: string[] = [];
  const walk = (folder: string): void => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    if (entries.some((entry) => entry.isDirectory() && isUnitMarker(join(folder, entry.name), entry.name))) {
      units.push(relative(dir, folder));
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.json')) units.push(relative(dir, path));
    }
  };
  walk(dir);
  return units.map((unit) => unit.split(sep).join('/'));
}

/** A graph digest: the same for the raw export and for the imported model. */
function graphDigest(name: string, entryNodeId: unknown, nodes: unknown): string {
  const hash = createHash('sha256').update(`${name}\u0000${String(entryNodeId)}`);
  if (typeof nodes === 'object' && nodes !== null)
    for (const [id, node] of Object.entries(nodes as Record<string, Record<string, unknown>>).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const connections = (node?.['connections'] ?? {}) as Record<string, unknown>;
      hash.update(
        `\u0000${id}\u0000${String(node?.['nodeType'])}\u0000${Object.keys(connections)
          .sort()
          .map((key) => `${key}>${String(connections[key])}`)
          .join(',')}`,
      );
    }
  return hash.digest('hex').slice(0, 12);
}

interface RawJourney {
  name: string;
  digest: string;
  file: string;
}

/** The journeys a parsed file holds, found by their shape wherever they sit (full config exports nest them). */
function rawJourneys(value: unknown, file: string, fallbackName: string): RawJourney[] {
  const found: RawJourney[] = [];
  const isObject = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  const addTree = (tree: Record<string, unknown>, name: unknown) => {
    const id = typeof name === 'string' ? name : typeof tree['_id'] === 'string' ? tree['_id'] : fallbackName;
    found.push({ name: id, digest: graphDigest(id, tree['entryNodeId'], tree['nodes']), file });
  };
  const walk = (x: unknown, depth: number): void => {
    if (depth > 5) return;
    if (Array.isArray(x)) {
      for (const item of x) walk(item, depth + 1);
      return;
    }
    if (!isObject(x)) return;
    const trees = x['trees'];
    if (isObject(trees) && Object.values(trees).some((entry) => isObject(entry) && isObject(entry['tree']))) {
      for (const [name, entry] of Object.entries(trees))
        if (isObject(entry) && isObject(entry['tree'])) addTree(entry['tree'], name);
      return;
    }
    if (isObject(x['tree']) && isObject(x['tree']['nodes'])) return addTree(x['tree'], x['tree']['_id']);
    if (isObject(x['metadata']) && isObject(x['data'])) {
      if (x['metadata']['entityType'] === 'AuthTree') addTree(x['data'], x['data']['_id']);
      return;
    }
    if (typeof x['entryNodeId'] === 'string' && isObject(x['nodes'])) return addTree(x, x['_id']);
    for (const value of Object.values(x)) walk(value, depth + 1);
  };
  walk(value, 0);
  return found;
}

function jsonFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const found: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) found.push(...jsonFiles(child));
    else if (entry.isFile() && entry.name.endsWith('.json')) found.push(child);
  }
  return found;
}

/** One problem as a line of the report. */
export function describeProblem(problem: JourneyProblem): string {
  const where = [problem.node, problem.script && `script ${problem.script}`].filter(Boolean).join(' / ');
  return `${where ? `${where}: ` : ''}${problem.message}`;
}

/** A reason without its ids and names: what the report counts. */
function reasonKind(problem: JourneyProblem): string {
  const message = problem.message;
  const unsupported = /^(\S+) is not supported by the emulator$/.exec(message);
  if (unsupported) return `unsupported node type ${unsupported[1]}`;
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\(.*\)/g, '(…)')
    .replace(/\d+/g, 'N');
}

function lintUnit(unit: string): { result: CorpusUnitResult; occurrences: (JourneyOccurrence & RawJourney)[] } {
  const path = join(CORPUS_DIR, unit);
  // As app/lint-report.ts lintPaths: a scratch tenant with the root and alpha realms, nothing served.
  const tenant = new Tenant(resolveConfig({ realms: [{ path: '/' }, { path: '/alpha' }], users: [] }));
  const environment = lintEnvironmentOf(tenant.esvs);
  const imported = importJourneys(tenant, { path }, environment);
  const journeys = tenant.journeys.of(imported.realm);
  const occurrences: (JourneyOccurrence & RawJourney)[] = [];
  const names = new Set<string>();
  for (const name of imported.imported) {
    names.add(name);
    const tree = journeys.trees.get(name);
    // Its own problems and those of the inner journeys it runs (a fresh walk for each journey).
    const errors = [
      ...imported.problems.filter((problem) => problem.journey === name),
      ...lintJourney(journeys, name, new Set(), environment),
    ].filter((problem) => problem.severity === 'error');
    occurrences.push({
      unit,
      realm: imported.realm,
      readable: true,
      errors,
      name,
      digest: graphDigest(name, tree?.entryNodeId, tree?.nodes),
      file: unit,
    });
  }
  const unitProblems = imported.problems.filter((problem) => problem.journey === undefined);
  // Journeys the files hold that the import did not read: their files' problems are the reasons.
  for (const file of jsonFiles(path)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const source = statSync(path).isDirectory() ? relative(path, file) : file;
    const fallback =
      file
        .split(sep)
        .pop()
        ?.replace(/\.json$/, '') ?? file;
    for (const raw of rawJourneys(parsed, source, fallback)) {
      if (names.has(raw.name)) continue;
      names.add(raw.name);
      const fileProblems = imported.problems.filter(
        (problem) => problem.source === source || problem.journey === raw.name,
      );
      occurrences.push({
        unit,
        realm: imported.realm,
        readable: false,
        errors:
          fileProblems.length > 0
            ? fileProblems
            : [{ severity: 'error', source, message: 'the import read no journey of this name from the file' }],
        ...raw,
      });
    }
  }
  return { result: { unit, imported: imported.imported.length, unitProblems }, occurrences };
}

export function measureCorpus(units = corpusUnits()): CorpusMeasurement {
  const results: CorpusUnitResult[] = [];
  const unreadable: CorpusMeasurement['unreadable'] = [];
  const byKey = new Map<string, DistinctJourney>();
  for (const unit of units) {
    const { result, occurrences } = lintUnit(unit);
    results.push(result);
    for (const occurrence of occurrences) {
      if (!occurrence.readable)
        unreadable.push({
          unit,
          name: occurrence.name,
          reasons: [...new Set(occurrence.errors.map(describeProblem))],
        });
      const key = `${occurrence.name}\u0000${occurrence.digest}`;
      let journey = byKey.get(key);
      if (!journey) {
        journey = {
          name: occurrence.name,
          digest: occurrence.digest,
          occurrences: [],
          readable: false,
          clean: false,
          reasons: [],
          unsupportedNodeTypes: [],
        };
        byKey.set(key, journey);
      }
      journey.occurrences.push({
        unit: occurrence.unit,
        realm: occurrence.realm,
        readable: occurrence.readable,
        errors: occurrence.errors,
      });
    }
  }
  const journeys = [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.digest.localeCompare(b.digest));
  const nodeTypeCounts = new Map<string, number>();
  const reasonCounts = new Map<string, number>();
  for (const journey of journeys) {
    journey.readable = journey.occurrences.some((occurrence) => occurrence.readable);
    // The best occurrence: readable first, then the fewest errors.
    const best = [...journey.occurrences].sort(
      (a, b) => Number(b.readable) - Number(a.readable) || a.errors.length - b.errors.length,
    )[0];
    journey.clean = best !== undefined && best.readable && best.errors.length === 0;
    if (!best || journey.clean) continue;
    journey.reasons = [...new Set(best.errors.map(describeProblem))];
    const kinds = new Set(best.errors.map(reasonKind));
    for (const kind of kinds) {
      const type = /^unsupported node type (.+)$/.exec(kind)?.[1];
      if (type !== undefined) {
        journey.unsupportedNodeTypes.push(type);
        nodeTypeCounts.set(type, (nodeTypeCounts.get(type) ?? 0) + 1);
      } else reasonCounts.set(kind, (reasonCounts.get(kind) ?? 0) + 1);
    }
    journey.unsupportedNodeTypes.sort();
  }
  const ranked = (counts: Map<string, number>) =>
    [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const clean = journeys.filter((journey) => journey.clean).length;
  return {
    units: results,
    journeys,
    distinct: journeys.length,
    readable: journeys.filter((journey) => journey.readable).length,
    clean,
    cleanRatio: journeys.length === 0 ? 0 : clean / journeys.length,
    blockersByNodeType: ranked(nodeTypeCounts),
    otherReasons: ranked(reasonCounts),
    unreadable,
  };
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** The summary the test prints. */
export function corpusSummary(measurement: CorpusMeasurement, top = 25): string {
  const lines = [
    `journeys corpus: ${measurement.units.length} exports, ${measurement.distinct} distinct journeys, ` +
      `${measurement.readable} readable, ${measurement.clean} lint-clean (${percent(measurement.cleanRatio)})`,
    'blocking node types (distinct journeys):',
    ...measurement.blockersByNodeType.slice(0, top).map(([type, count]) => `  ${String(count).padStart(4)}  ${type}`),
    'other reasons (distinct journeys):',
    ...measurement.otherReasons.slice(0, top).map(([reason, count]) => `  ${String(count).padStart(4)}  ${reason}`),
    `journeys in exports the import did not read: ${measurement.unreadable.length}`,
    ...[...new Set(measurement.unreadable.map((entry) => `  ${entry.unit}: ${entry.reasons.join('; ')}`))],
  ];
  return `${lines.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/journeys-corpus.md: per journey, where it comes from, whether it is clean, and why not. */
export function corpusReport(measurement: CorpusMeasurement, acceptance: CorpusMeasurement): string {
  const defaults = measurement.journeys.filter(
    (journey) =>
      AIC_DEFAULT_JOURNEYS.includes(journey.name) &&
      journey.occurrences.some((occurrence) => occurrence.unit === AIC_TENANT_EXPORT),
  );
  const lines = [
    '# Journeys corpus',
    '',
    'Generated by `npm run corpus:report` (test/integration/journeys-corpus.test.ts); do not edit by hand.',
    'The corpus is test/fixtures/journeys-corpus (sources, commits and licenses in its SOURCES.md):',
    "frodo-cli's and frodo-lib's test exports, ForgeRock platform-ui's e2e fixtures and AM's sample trees",
    "(am-external), which issue 19's acceptance names, and extra public journeys (OneSpan and Twilio",
    'marketplace node samples, the modernize-accelerators amster exports). Each export is imported and',
    'linted as `aic-emulator lint` does; a distinct journey is its name and its graph (entry node, node',
    'types, connections); it is clean when one of its imports has no error, its inner journeys included.',
    '',
    '| | exports | distinct journeys | readable | lint-clean |',
    '|---|---|---|---|---|',
    `| issue 19's sources | ${acceptance.units.length} | ${acceptance.distinct} | ${acceptance.readable} | ${acceptance.clean} (${percent(acceptance.cleanRatio)}) |`,
    `| whole corpus | ${measurement.units.length} | ${measurement.distinct} | ${measurement.readable} | ${measurement.clean} (${percent(measurement.cleanRatio)}) |`,
    '',
    "## AIC's default journeys",
    '',
    `As frodo exported them from a real AIC tenant (${AIC_TENANT_EXPORT}).`,
    '',
    '| journey | graph | clean | reasons |',
    '|---|---|---|---|',
    ...defaults.map(
      (journey) =>
        `| ${cell(journey.name)} | ${journey.digest} | ${journey.clean ? 'yes' : 'no'} | ${cell(journey.reasons.join('<br>'))} |`,
    ),
    '',
    '## What blocks journeys',
    '',
    "By the number of distinct journeys each reason blocks, in issue 19's sources and in the whole corpus.",
    '',
    "| node type not supported | issue 19's sources | whole corpus |",
    '|---|---|---|',
    ...measurement.blockersByNodeType.map(
      ([type, count]) => `| ${cell(type)} | ${countOf(acceptance.blockersByNodeType, type)} | ${count} |`,
    ),
    '',
    "| other reason | issue 19's sources | whole corpus |",
    '|---|---|---|',
    ...measurement.otherReasons.map(
      ([reason, count]) => `| ${cell(reason)} | ${countOf(acceptance.otherReasons, reason)} | ${count} |`,
    ),
    '',
    '## Journeys in exports the import did not read',
    '',
    'Each also counts above, as readable when another export of the corpus has the same journey.',
    '',
    '| export | journey | reasons |',
    '|---|---|---|',
    ...measurement.unreadable.map(
      (entry) => `| ${cell(entry.unit)} | ${cell(entry.name)} | ${cell(entry.reasons.join('<br>'))} |`,
    ),
    '',
    '## Exports',
    '',
    '| export | journeys read | problems naming no journey |',
    '|---|---|---|',
    ...measurement.units.map(
      (unit) =>
        `| ${cell(unit.unit)} | ${unit.imported} | ${cell(
          summarise(unit.unitProblems.filter((problem) => problem.severity === 'error').map(describeSourced)),
        )} |`,
    ),
    '',
    '## Journeys',
    '',
    '| journey | graph | sources | clean | reasons |',
    '|---|---|---|---|---|',
    ...measurement.journeys.map(
      (journey) =>
        `| ${cell(journey.name)} | ${journey.digest} | ${cell(
          [...new Set(journey.occurrences.map((occurrence) => occurrence.unit))].join('<br>'),
        )} | ${journey.clean ? 'yes' : journey.readable ? 'no' : 'unreadable'} | ${cell(journey.reasons.join('<br>'))} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

const countOf = (ranked: [string, number][], key: string) => ranked.find(([name]) => name === key)?.[1] ?? 0;

function describeSourced(problem: JourneyProblem): string {
  return `${problem.message}`;
}

/** Distinct messages with their counts. */
function summarise(messages: string[]): string {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message, (counts.get(message) ?? 0) + 1);
  return [...counts.entries()].map(([message, count]) => (count > 1 ? `${count} × ${message}` : message)).join('<br>');
}
