/**
 * Optional test dependencies (../shared, a browser, Redis). Locally a suite that lacks one is
 * skipped with a message saying what is missing; in CI (`AIC_REQUIRE_OPTIONAL=1`, set by
 * .ci/run) a missing one fails the run instead of silently skipping.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = process.env['AIC_SHARED_DIR'] ?? resolve(PROJECT_ROOT, '..', 'shared');

const required = process.env['AIC_REQUIRE_OPTIONAL'] === '1';

/**
 * True when the component is available. When it is not: throws in CI, and locally prints why
 * the suite is skipped and returns false (use with `describe.skipIf(!available)`).
 */
export function optional(component: string, available: boolean, hint: string): boolean {
  if (available) return true;
  const message = `${component} is not available (${hint})`;
  if (required) throw new Error(`${message}; CI requires it`);
  console.warn(`skipping: ${message}`);
  return false;
}

/** A path under ../shared, and whether ../shared is there at all. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

export const hasShared = (): boolean =>
  optional(
    '../shared',
    existsSync(join(SHARED_DIR, 'reference')),
    `expected at ${SHARED_DIR}; set AIC_SHARED_DIR to override`,
  );
