/**
 * `connect/endSession` (OpenID Connect RP-Initiated Logout): ends the AM session the ID token was
 * issued in, then sends the browser to `post_logout_redirect_uri` when the client (the token's
 * `azp`) registered it, else answers 204. As in AM, the session is ended before the redirect URI
 * is checked. The grant's tokens stay valid until they expire or are revoked: AM's stateless
 * tokens are not tied to the session (docs/fidelity.md).
 */
import { redirectUriMatches, registeredUris } from '../state/oauth2/clients.js';
import { OAuth2Error } from './oauth2-error.js';
import type { OAuth2Services, OAuth2Site } from './services.js';
import { verifyIdTokenHint } from './tokens.js';

export type EndSessionOutcome = { kind: 'redirect'; location: string } | { kind: 'no-content' };

export async function endSession(
  services: OAuth2Services,
  site: OAuth2Site,
  params: URLSearchParams,
): Promise<EndSessionOutcome> {
  const hint = params.get('id_token_hint');
  if (!hint) throw new OAuth2Error('bad_request', 'The endSession endpoint requires an id_token_hint parameter');
  const claims = await verifyIdTokenHint(await services.keys(), hint);
  if (!claims || claims['realm'] !== site.realm.path)
    // AM fails to read it (a ServerException, 400); the description is the emulator's.
    throw new OAuth2Error('server_error', 'The id_token_hint is not an ID token issued by this realm');
  const ops = claims['org.forgerock.openidconnect.ops'];
  const grant = typeof ops === 'string' ? services.grants.grant(ops) : undefined;
  if (grant?.sessionTokenId !== undefined) await services.sessions.delete(grant.sessionTokenId);

  const target = params.get('post_logout_redirect_uri');
  if (!target) return { kind: 'no-content' };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(target))
    throw new OAuth2Error('relative_redirect_uri', 'The redirection URI provided is not absolute.');
  const client = typeof claims['azp'] === 'string' ? services.clients.get(site.realm.path, claims['azp']) : undefined;
  if (
    !client ||
    !redirectUriMatches(
      target,
      registeredUris(client.postLogoutRedirectUri, site.origin),
      client.loopbackInterfaceRedirection,
    )
  )
    throw new OAuth2Error(
      'redirect_uri_mismatch',
      'The redirection URI provided does not match a pre-registered value.',
    );
  const state = params.get('state');
  if (state === null) return { kind: 'redirect', location: target };
  const location = new URL(target);
  location.searchParams.append('state', state);
  return { kind: 'redirect', location: location.href };
}
