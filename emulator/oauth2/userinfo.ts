/**
 * `userinfo`: the signed-in user's claims for the access token's scopes (claims.ts), with `sub`
 * and `subname`. A missing, expired or revoked token: 401 `invalid_token`, in AM's words.
 */
import { liveToken } from './access.js';
import { userClaims } from './claims.js';
import { OAuth2Error } from './oauth2-error.js';
import type { OAuth2Services, OAuth2Site } from './services.js';

const INVALID_TOKEN = 'The access token provided is expired, revoked, malformed, or invalid for other reasons.';

export async function userInfo(
  services: OAuth2Services,
  site: OAuth2Site,
  bearer: string | undefined,
): Promise<Record<string, unknown>> {
  // AM sets no Bearer challenge on userinfo (only its token endpoints send a Basic one).
  const invalid = () => new OAuth2Error('invalid_token', INVALID_TOKEN, 401);
  if (!bearer) throw invalid();
  const claims = await liveToken(services, site.realm.path, bearer, 'access_token');
  const user = claims && services.users.getInRealm(site.realm.path, claims.sub);
  if (!claims || !user) throw invalid();
  return { ...userClaims(user, claims.scope), sub: user._id, subname: user._id };
}
