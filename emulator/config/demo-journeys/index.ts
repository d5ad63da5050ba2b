/** The demo tenant's journeys, per realm, as one export. */
import { loginJourney, progressiveProfileJourney } from './login.js';
import { singleLogoutJourneys } from './single-logout.js';
import { AIC_SELF_SERVICE_JOURNEYS } from './aic-self-service.js';

export { EXTERNAL_LOGOUT_URL } from './single-logout.js';

export function demoJourneys(realmPath: string): Record<string, unknown> {
  const realm = realmPath === '/' ? 'root' : (realmPath.split('/').pop() as string);
  return {
    meta: { exportTool: 'aic-emulator demo tenant' },
    trees: {
      Login: loginJourney(realm),
      ProgressiveProfile: progressiveProfileJourney(realm),
      ...singleLogoutJourneys(realmPath),
      // AIC has its self-service journeys in its identity realms, not in root.
      ...(realm === 'root' ? {} : selfServiceJourneys(realm)),
    },
  };
}

/** AIC's self-service journeys for a realm: its managed users are `<realm>_user`. */
function selfServiceJourneys(realm: string): Record<string, unknown> {
  const forRealm = JSON.stringify(AIC_SELF_SERVICE_JOURNEYS).replaceAll('managed/alpha_user', `managed/${realm}_user`);
  return JSON.parse(forRealm) as Record<string, unknown>;
}
