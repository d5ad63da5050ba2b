/**
 * `introspect` (RFC 7662) and `token/revoke` (RFC 7009), for an authenticated client.
 *
 * Introspection answers `{"active": false}` for a token that is not live, or that belongs to
 * another client unless the caller has `am-introspect-all-tokens`. Revoking a refresh token
 * revokes its whole grant; an access token, only itself; an unknown token, nothing (200 `{}`).
 */
import { authenticateClient } from './client-auth.js';
import { liveToken } from './access.js';
import { OAuth2Error } from './oauth2-error.js';
import type { OAuth2Services, OAuth2Site } from './services.js';
import { verifyToken } from './tokens.js';

export async function introspect(
  services: OAuth2Services,
  site: OAuth2Site,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<Record<string, unknown>> {
  const client = authenticateClient(services, site.realm.path, authorization, form);
  const token = form.get('token');
  if (!token) throw new OAuth2Error('invalid_request', 'Missing parameter: token');
  const realm = site.realm.path;
  const claims =
    (await liveToken(services, realm, token, 'access_token')) ??
    (await liveToken(services, realm, token, 'refresh_token'));
  if (!claims) return { active: false };
  if (claims.client_id !== client.clientId && !client.scopes.includes('am-introspect-all-tokens'))
    return { active: false };
  const grant = services.grants.grant(claims.authGrantId);
  return {
    active: true,
    scope: claims.scope.join(' '),
    realm: claims.realm,
    client_id: claims.client_id,
    user_id: claims.sub,
    ...(grant?.userId !== undefined ? { username: services.users.get(grant.userId)?.userName ?? claims.sub } : {}),
    token_type: claims.tokenName,
    exp: claims.exp,
    sub: claims.sub,
    subname: claims.sub,
    iss: claims.iss,
    auth_level: 0,
    authGrantId: claims.authGrantId,
    auditTrackingId: claims['auditTrackingId'],
    expires_in: Math.max(0, claims.exp - Math.floor(services.clock.now() / 1000)),
  };
}

export async function revoke(
  services: OAuth2Services,
  site: OAuth2Site,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<Record<string, never>> {
  // AM checks for the token before it authenticates the client.
  const token = form.get('token');
  if (!token) throw new OAuth2Error('invalid_request', 'Missing parameter: token');
  const client = authenticateClient(services, site.realm.path, authorization, form);
  const keys = await services.keys();
  const now = services.clock.now();
  // Revoking an expired token changes nothing; its signature still says whose it is.
  const claims =
    (await verifyToken(keys, token, 'refresh_token', now)) ?? (await verifyToken(keys, token, 'access_token', now));
  if (!claims || claims.realm !== site.realm.path) return {};
  if (claims.client_id !== client.clientId)
    throw new OAuth2Error('invalid_grant', `The provided token id : ${token} belongs to different access grant.`);
  if (claims.tokenName === 'refresh_token') services.grants.revokeGrant(claims.authGrantId);
  services.grants.revokeToken(claims.jti, claims.exp * 1000);
  return {};
}
