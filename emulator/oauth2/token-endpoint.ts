/**
 * `access_token`: the authorization code, refresh token and client credentials grants, with AM's
 * checks in AM's order and AM's error wording. Every grant's tokens share an `authGrantId`; a
 * refresh token is used once (a new one comes with the new access token, AIC's
 * `issueRefreshTokenOnRefreshedToken`), and a code exchanged twice revokes what it gave.
 */
import type { OAuth2Client } from '../state/oauth2/clients.js';
import type { Grant } from '../state/oauth2/grants.js';
import { requestedScopes, verifierMatches } from './authorize.js';
import { authenticateClient } from './client-auth.js';
import { userClaims } from './claims.js';
import { INVALID_GRANT, OAuth2Error } from './oauth2-error.js';
import { issuerOf, type OAuth2Services, type OAuth2Site } from './services.js';
import { mintIdToken, mintToken, verifyToken } from './tokens.js';
import type { TokenResponse } from './token-response.js';
import { JWT_BEARER, SERVICE_ACCOUNT_CLIENT_ID, serviceAccountGrant } from './service-accounts.js';

export async function tokenRequest(
  services: OAuth2Services,
  site: OAuth2Site,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<TokenResponse> {
  // Service accounts: the root realm's JWT-bearer grant, where the assertion authenticates.
  if (
    site.realm.path === '/' &&
    form.get('grant_type') === JWT_BEARER &&
    form.get('client_id') === SERVICE_ACCOUNT_CLIENT_ID
  )
    return serviceAccountGrant(services, site, form);
  const client = authenticateClient(services, site.realm.path, authorization, form);
  const grantType = form.get('grant_type');
  if (!grantType) throw new OAuth2Error('invalid_request', 'Grant type is not set');
  switch (grantType) {
    case 'authorization_code':
      allowed(client, grantType);
      return codeGrant(services, site, client, form);
    case 'refresh_token':
      allowed(client, grantType);
      return refreshGrant(services, site, client, form);
    case 'client_credentials':
      if (client.clientType === 'Public')
        throw new OAuth2Error('unauthorized_client', "Public clients can't use client credentials grant.");
      allowed(client, grantType);
      return clientCredentialsGrant(services, site, client, form);
    default:
      throw new OAuth2Error('unsupported_grant_type', 'Grant type is not supported');
  }
}

function allowed(client: OAuth2Client, grantType: string): void {
  if (!client.grantTypes.includes(grantType))
    throw new OAuth2Error(
      'unauthorized_client',
      'The authenticated client is not authorized to use this authorization grant type.',
    );
}

async function codeGrant(
  services: OAuth2Services,
  site: OAuth2Site,
  client: OAuth2Client,
  form: URLSearchParams,
): Promise<TokenResponse> {
  const value = form.get('code');
  if (!value) throw new OAuth2Error('invalid_request', "Missing parameter, 'code'");
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) throw new OAuth2Error('invalid_request', "Missing parameter, 'redirect_uri'");
  const found = services.grants.findCode(value);
  if (found.kind === 'unknown') throw new OAuth2Error('invalid_request', "Authorization code doesn't exist.");
  if (found.kind === 'reused') {
    // A code replayed: whoever has it may have stolen it; what it gave stops working (RFC 6749 §4.1.2).
    services.grants.revokeGrant(found.code.authGrantId);
    throw new OAuth2Error('invalid_grant', INVALID_GRANT);
  }
  const { code, expired } = found;
  const verifier = form.get('code_verifier');
  if (code.codeChallenge !== undefined && !verifier)
    throw new OAuth2Error('invalid_request', 'code_verifier parameter required');
  if (code.redirectUri !== redirectUri || code.clientId !== client.clientId)
    throw new OAuth2Error('invalid_grant', INVALID_GRANT);
  if (expired) throw new OAuth2Error('invalid_grant', 'Authorization code expired.');
  if (
    code.codeChallenge !== undefined &&
    !verifierMatches(verifier as string, code.codeChallenge, code.codeChallengeMethod ?? 'plain')
  )
    throw new OAuth2Error('invalid_grant', INVALID_GRANT);
  services.grants.useCode(value);
  const grant = services.grants.addGrant({
    authGrantId: code.authGrantId,
    realm: code.realm,
    clientId: client.clientId,
    userId: code.userId,
    scopes: code.scopes,
    sessionTokenId: code.sessionTokenId,
  });
  return issue(services, site, client, grant, {
    grantType: 'authorization_code',
    authTime: code.authTime,
    nonce: code.nonce,
  });
}

async function refreshGrant(
  services: OAuth2Services,
  site: OAuth2Site,
  client: OAuth2Client,
  form: URLSearchParams,
): Promise<TokenResponse> {
  const value = form.get('refresh_token');
  if (!value) throw new OAuth2Error('invalid_request', "Missing parameter, 'refresh_token'");
  const keys = await services.keys();
  const claims = await verifyToken(keys, value, 'refresh_token', services.clock.now());
  // AM words every refusal of a refresh token the same way.
  if (!claims || claims.realm !== site.realm.path) throw new OAuth2Error('invalid_grant', 'grant is invalid');
  if (claims.client_id !== client.clientId)
    throw new OAuth2Error('invalid_request', 'Token was issued to a different client');
  const grant = services.grants.grant(claims.authGrantId);
  if (!grant || grant.revoked || services.grants.isRevoked(claims.jti))
    throw new OAuth2Error('invalid_grant', 'grant is invalid');
  const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
  const wider = asked.filter((scope) => !claims.scope.includes(scope));
  if (wider.length > 0) throw new OAuth2Error('invalid_scope', `Unknown/invalid scope(s): [${wider.join(', ')}]`);
  services.grants.revokeToken(claims.jti, claims.exp * 1000);
  return issue(services, site, client, grant, {
    grantType: 'refresh_token',
    authTime: claims.auth_time * 1000,
    nonce: undefined,
    scopes: asked.length > 0 ? asked : claims.scope,
  });
}

async function clientCredentialsGrant(
  services: OAuth2Services,
  site: OAuth2Site,
  client: OAuth2Client,
  form: URLSearchParams,
): Promise<TokenResponse> {
  const scopes = requestedScopes(client, form.get('scope'));
  if (scopes instanceof OAuth2Error) throw scopes;
  const grant = services.grants.addGrant({
    realm: site.realm.path,
    clientId: client.clientId,
    userId: undefined,
    scopes,
    sessionTokenId: undefined,
  });
  return issue(services, site, client, grant, {
    grantType: 'client_credentials',
    authTime: services.clock.now(),
    nonce: undefined,
  });
}

async function issue(
  services: OAuth2Services,
  site: OAuth2Site,
  client: OAuth2Client,
  grant: Grant,
  how: { grantType: string; authTime: number; nonce: string | undefined; scopes?: readonly string[] },
): Promise<TokenResponse> {
  const keys = await services.keys();
  const nowMs = services.clock.now();
  const { settings } = services;
  const scopes = how.scopes ?? grant.scopes;
  const issuer = issuerOf(site);
  const common = {
    issuer,
    realm: site.realm.path,
    subject: grant.userId ?? client.clientId,
    clientId: client.clientId,
    authGrantId: grant.authGrantId,
    scopes,
    grantType: how.grantType,
    authTime: how.authTime,
    nowMs,
  };
  const access = await mintToken(keys, 'access_token', { ...common, lifetimeSeconds: settings.accessTokenLifetime });
  const user = grant.userId === undefined ? undefined : services.users.getInRealm(grant.realm, grant.userId);
  const refresh =
    user && client.grantTypes.includes('refresh_token')
      ? await mintToken(keys, 'refresh_token', { ...common, lifetimeSeconds: settings.refreshTokenLifetime })
      : undefined;
  const idToken =
    user && scopes.includes('openid')
      ? await mintIdToken(keys, {
          issuer,
          realm: site.realm.path,
          subject: user._id,
          clientId: client.clientId,
          authTime: how.authTime,
          nonce: how.nonce,
          accessToken: access.token,
          opsId: grant.authGrantId,
          lifetimeSeconds: settings.idTokenLifetime,
          nowMs,
          claims: userClaims(user, scopes),
        })
      : undefined;
  return {
    access_token: access.token,
    ...(refresh ? { refresh_token: refresh.token } : {}),
    scope: scopes.join(' '),
    ...(idToken ? { id_token: idToken } : {}),
    token_type: 'Bearer',
    // AIC counts down from the lifetime: a 3600 s token is answered as 3599.
    expires_in: settings.accessTokenLifetime - 1,
  };
}
