/**
 * `aic-emulator lint`: reads exports into a scratch tenant's journeys and lints every journey in
 * them, as an import would, without starting anything.
 */
import { resolveConfig } from '../config/config.js';
import { Tenant } from '../tenant/tenant.js';
import type { JourneyProblem } from '../state/journeys/model.js';
import { importJourneys } from '../journeys/import-journeys.js';
import { lintEnvironmentOf } from '../journeys/scripts/lint-scripts.js';

export interface LintEntry {
  path: string;
  realm: string;
  journeys: string[];
  problems: JourneyProblem[];
}

export function lintPaths(paths: string[], realm?: string): LintEntry[] {
  return paths.map((path) => {
    // A scratch tenant with the export's realm available: nothing is served, nothing persists.
    const tenant = new Tenant(
      resolveConfig({
        realms: [
          { path: '/' },
          { path: '/alpha' },
          ...(realm && !['/', '/alpha', 'alpha', 'root'].includes(realm)
            ? [{ path: realm.startsWith('/') ? realm : `/${realm}` }]
            : []),
        ],
        users: [],
      }),
    );
    const result = importJourneys(
      tenant,
      { path, ...(realm !== undefined ? { realm } : {}) },
      lintEnvironmentOf(tenant.esvs),
    );
    return { path, realm: result.realm, journeys: result.imported, problems: result.problems };
  });
}

export function formatLint(entries: LintEntry[]): string {
  const lines: string[] = [];
  for (const entry of entries) {
    const errors = entry.problems.filter((problem) => problem.severity === 'error').length;
    const warnings = entry.problems.length - errors;
    lines.push(
      `${entry.path}: ${entry.journeys.length} journey(s) [${entry.journeys.join(', ')}] in ${entry.realm || '?'}, ${errors} error(s), ${warnings} warning(s)`,
    );
    for (const problem of entry.problems) {
      const where = [
        problem.journey,
        problem.node,
        problem.script && `script ${problem.script}`,
        problem.source && !problem.journey ? problem.source : undefined,
      ]
        .filter(Boolean)
        .join(' / ');
      lines.push(`  ${problem.severity.padEnd(7)} ${where ? `${where}: ` : ''}${problem.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
