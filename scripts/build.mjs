#!/usr/bin/env node
/**
 * The build: `dist/` from emulator/ and client/ (tsc -p tsconfig.build.json, source maps with their
 * sources inlined, so that they resolve in the package without the .ts files), and the workshop
 * pages' static files copied beside the code that serves them.
 *
 *   node scripts/build.mjs              builds from clean (npm run build; `prepack` runs it, so
 *                                       npm pack and npm publish ship a fresh build, and nothing
 *                                       left over from a module since removed)
 *   node scripts/build.mjs --if-stale   builds only when a source is newer than the build (npm start,
 *                                       and the tests' global setup: the CLI tests run dist/)
 *
 * Nothing builds at install: a user installs the built package, and a developer's `npm ci` only
 * installs; whatever needs dist/ builds it first, through this script.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(PROJECT, 'dist');
const STATIC = join('emulator', 'http', 'ui', 'static');

/** The newest modification time of the files under `dir` whose names end with `suffix` (0 if none). */
function newest(dir, suffix) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, suffix));
    else if (entry.name.endsWith(suffix)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** True when dist/ is missing or older than a source or the build's config. */
export function stale() {
  const sources = Math.max(
    newest(join(PROJECT, 'emulator'), '.ts'),
    newest(join(PROJECT, 'client'), '.ts'),
    ...['tsconfig.json', 'tsconfig.build.json'].map((file) => statSync(join(PROJECT, file)).mtimeMs),
  );
  return newest(DIST, '.js') < sources;
}

export function build({ ifStale = false } = {}) {
  if (!ifStale) rmSync(DIST, { recursive: true, force: true });
  if (!ifStale || stale()) {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--inlineSources'], {
      cwd: PROJECT,
      stdio: 'inherit',
    });
  }
  // The workshop pages' static files: read at run time, not imported (always copied: it is cheap).
  cpSync(join(PROJECT, STATIC), join(DIST, STATIC), { recursive: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build({ ifStale: process.argv.includes('--if-stale') });
}
