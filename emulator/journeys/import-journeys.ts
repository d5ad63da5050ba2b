/**
 * Importing journeys into a tenant, with the linter's findings: what the control API's import,
 * `aic-emulator lint` and the start-up imports answer. The tenant decodes and stores the export
 * (Tenant.importJourneys); the findings about what was imported are added here.
 */
import type { JourneyExportInput, Tenant } from '../tenant/tenant.js';
import type { ImportResult } from '../state/journeys/registry.js';
import { lintJourney, type LintEnvironment } from './lint.js';

export function importJourneys(
  tenant: Tenant,
  input: string | JourneyExportInput,
  environment: LintEnvironment,
): ImportResult {
  const result = tenant.importJourneys(input);
  if (result.imported.length === 0) return result;
  const journeys = tenant.journeys.of(result.realm);
  // Inner journeys linted once, whichever imported journey reaches them first.
  const linted = new Set<string>();
  for (const name of result.imported) result.problems.push(...lintJourney(journeys, name, linted, environment));
  return result;
}
