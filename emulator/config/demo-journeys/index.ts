/** The demo tenant's journeys, per realm, as one export. */
import { loginJourney, progressiveProfileJourney } from './login.js';
import { singleLogoutJourneys } from './single-logout.js';

export { EXTERNAL_LOGOUT_URL } from './single-logout.js';

export function demoJourneys(realmPath: string): Record<string, unknown> {
  const realm = realmPath === '/' ? 'root' : (realmPath.split('/').pop() as string);
  return {
    meta: { exportTool: 'aic-emulator demo tenant' },
    trees: {
      Login: loginJourney(realm),
      ProgressiveProfile: progressiveProfileJourney(realm),
      ...singleLogoutJourneys(realmPath),
    },
  };
}
