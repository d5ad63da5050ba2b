/** The demo tenant's journeys, per realm, as exports. */
import { loginJourney, progressiveProfileJourney } from './login.js';

export function demoJourneys(realmPath: string): Record<string, unknown> {
  const realm = realmPath === '/' ? 'root' : (realmPath.split('/').pop() as string);
  return {
    meta: { exportTool: 'aic-emulator demo tenant' },
    trees: { Login: loginJourney(realm), ProgressiveProfile: progressiveProfileJourney(realm) },
  };
}
