/**
 * Builds `dist/` before the tests when it is older than the sources: the CLI tests run the
 * built command, and must never test a stale build (`npm test` builds anyway; this covers
 * `npx vitest`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './helpers/optional.js';

function newest(dir: string, suffix: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, suffix));
    else if (entry.name.endsWith(suffix)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const sources = Math.max(newest(join(PROJECT_ROOT, 'emulator'), '.ts'), newest(join(PROJECT_ROOT, 'client'), '.ts'));
  const built = newest(join(PROJECT_ROOT, 'dist'), '.js');
  if (built < sources) {
    execFileSync(
      process.execPath,
      [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: PROJECT_ROOT, stdio: 'inherit' },
    );
  }
  // The workshop pages' static files, as `npm run build` copies them.
  cpSync(
    join(PROJECT_ROOT, 'emulator', 'http', 'ui', 'static'),
    join(PROJECT_ROOT, 'dist', 'emulator', 'http', 'ui', 'static'),
    {
      recursive: true,
    },
  );
}
