/**
 * Reads journey exports from files and folders (`--import FILE|DIR`): every `.json` file below a
 * folder, so that an amster export (one entity a file) and frodo's separate-files layout (scripts
 * in `*.script.js` files that their `*.script.json` names as `file://...`) load as one bundle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { emptyBundle, type JourneyBundle, type JourneyProblem } from '../model.js';
import { decodeExport } from './formats.js';
import { NOT_A_JOURNEY } from './layouts.js';

/** Export files are bounded: an import is configuration, not data. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface LoadResult {
  bundle: JourneyBundle;
  problems: JourneyProblem[];
  files: string[];
}

/** `options.realm`: the realm the import names (a full config export's realm to read). */
export function loadExports(path: string, options: { realm?: string | undefined } = {}): LoadResult {
  const bundle = emptyBundle();
  const problems: JourneyProblem[] = [];
  const files: string[] = [];
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    problems.push({
      severity: 'error',
      source: path,
      message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    });
    return { bundle, problems, files };
  }
  const paths = stats.isDirectory() ? jsonFilesBelow(path) : [path];
  if (stats.isDirectory() && paths.length === 0)
    problems.push({ severity: 'warning', source: path, message: 'no .json files in this folder' });
  for (const file of paths) {
    const source = stats.isDirectory() ? relative(path, file) : file;
    files.push(file);
    let text: string;
    try {
      if (statSync(file).size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ severity: 'error', source, message: `cannot read the file: ${(error as Error).message}` });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      problems.push({ severity: 'error', source, message: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const layout = {
      file,
      realm: options.realm,
      readExtracted: (path: string) => readExtracted(join(dirname(file), path)),
    };
    problems.push(...decodeExport(parsed, source, bundle, layout).problems);
  }
  return { bundle, problems: stats.isDirectory() ? summedUp(problems, path) : problems, files };
}

/**
 * A folder of frodo's separate files holds far more config than journeys (agents, policies,
 * themes...): one warning sums the files skipped up by type, rather than one a file.
 */
function summedUp(problems: JourneyProblem[], folder: string): JourneyProblem[] {
  const skipped = new Map<string, number>();
  const kept = problems.filter((problem) => {
    const type = problem.severity === 'warning' ? /^frodo (.+) export: /.exec(problem.message)?.[1] : undefined;
    if (type === undefined || !problem.message.endsWith(NOT_A_JOURNEY)) return true;
    skipped.set(type, (skipped.get(type) ?? 0) + 1);
    return false;
  });
  if (skipped.size === 0) return problems;
  const count = [...skipped.values()].reduce((sum, n) => sum + n, 0);
  const types = [...skipped]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type} (${n})`)
    .join(', ');
  return [
    ...kept,
    {
      severity: 'warning',
      source: folder,
      message: `${count} frodo config file(s) that hold no journey skipped: ${types}`,
    },
  ];
}

/** A script's source in a file of its own (frodo's separate-files layout), bounded as exports are. */
function readExtracted(path: string): string {
  if (statSync(path).size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
  return readFileSync(path, 'utf8');
}

function jsonFilesBelow(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...jsonFilesBelow(path));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) found.push(path);
  }
  return found;
}
