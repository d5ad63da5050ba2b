/**
 * Is an access token good now: signed by this tenant, not expired on the tenant clock, not
 * revoked, nor its grant? Shared by userinfo, introspection and the scoped admin APIs (which
 * take a token of any realm: `realm` undefined).
 */
import type { OAuth2Services } from './services.js';
import { verifyToken, type TokenClaims, type TokenName } from './tokens.js';

export async function liveToken(
  services: OAuth2Services,
  realm: string | undefined,
  token: string,
  name: TokenName,
): Promise<TokenClaims | undefined> {
  const claims = await verifyToken(await services.keys(), token, name, services.clock.now());
  if (!claims || (realm !== undefined && claims.realm !== realm)) return undefined;
  if (services.grants.isRevoked(claims.jti) || services.grants.grant(claims.authGrantId)?.revoked) return undefined;
  return claims;
}
