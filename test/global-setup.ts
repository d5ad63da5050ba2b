/**
 * Builds `dist/` before the tests when it is older than the sources (scripts/build.mjs
 * --if-stale): the CLI tests run the built command, and must never test a stale build, or none
 * (nothing builds at install: `npm ci` then `npm test` builds here).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './helpers/optional.js';

export default function setup(): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build.mjs'), '--if-stale'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
}
