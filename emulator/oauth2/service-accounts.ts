/**
 * AIC's service accounts: a tool posts `client_id=service-account`,
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and an RS256 `assertion` (iss = sub =
 * the account's id, aud = the token endpoint, exp at most 180 s ahead, jti) to the root realm's
 * `access_token`, and gets `{access_token, scope, token_type, expires_in: 899}`. The token is
 * opaque to clients, a JWE (`dir`, `A128CBC-HS256`) as AIC's is; with `fr:am:*` it makes its
 * bearer an AM administrator (`serviceAccountScopes`).
 */
import { randomUUID } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeJwt, importJWK, jwtVerify, type JWK } from 'jose';
import type { ServiceAccountConfig } from '../config/config-types.js';
import { OAuth2Error } from './oauth2-error.js';
import { issuerOf, type OAuth2Services, type OAuth2Site } from './services.js';
import type { TokenResponse } from './token-response.js';

export const SERVICE_ACCOUNT_CLIENT_ID = 'service-account';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** A service account token's lifetime: AIC answers `expires_in: 899`. */
const LIFETIME_SECONDS = 900;
/** How far ahead an assertion may expire (frodo's and AIC's 180 s). */
const MAX_ASSERTION_SECONDS = 180;

interface ServiceAccountClaims {
  sub: string;
  scope: string[];
  exp: number;
  jti: string;
  tokenName: string;
}

/** The JWT-bearer grant: checks the assertion, then mints the token. */
export async function serviceAccountGrant(
  services: OAuth2Services,
  site: OAuth2Site,
  form: URLSearchParams,
): Promise<TokenResponse> {
  const assertion = form.get('assertion');
  if (!assertion) throw new OAuth2Error('invalid_request', "Missing parameter, 'assertion'");
  const account = await verifyAssertion(services, site, assertion);
  const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
  const unsupported = asked.filter((scope) => !account.scopes.includes(scope));
  if (unsupported.length > 0)
    throw new OAuth2Error('invalid_scope', `Unsupported scope for service account: ${unsupported.join(',')}`);
  const scopes = asked.length > 0 ? [...new Set(asked)] : [...account.scopes];
  const now = Math.floor(services.clock.now() / 1000);
  const claims = {
    sub: account.id,
    cts: 'OAUTH2_STATELESS_GRANT',
    subname: account.id,
    iss: issuerOf(site),
    tokenName: 'access_token',
    token_type: 'Bearer',
    authGrantId: randomUUID(),
    client_id: SERVICE_ACCOUNT_CLIENT_ID,
    aud: SERVICE_ACCOUNT_CLIENT_ID,
    nbf: now,
    grant_type: JWT_BEARER,
    scope: scopes,
    realm: '/',
    exp: now + LIFETIME_SECONDS,
    iat: now,
    expires_in: LIFETIME_SECONDS,
    jti: randomUUID(),
  };
  const keys = await services.keys();
  const token = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ typ: 'JWT', enc: 'A128CBC-HS256', alg: 'dir' })
    .encrypt(keys.serviceAccountTokens);
  return { access_token: token, scope: scopes.join(' '), token_type: 'Bearer', expires_in: LIFETIME_SECONDS - 1 };
}

/** The scopes of a live service account token, or undefined for anything else. */
export async function serviceAccountScopes(services: OAuth2Services, token: string): Promise<string[] | undefined> {
  if (token.length > 16_384 || token.split('.').length !== 5) return undefined;
  try {
    const keys = await services.keys();
    const { plaintext } = await compactDecrypt(token, keys.serviceAccountTokens);
    const claims = JSON.parse(new TextDecoder().decode(plaintext)) as ServiceAccountClaims;
    if (claims.tokenName !== 'access_token' || !Array.isArray(claims.scope)) return undefined;
    if (claims.exp * 1000 <= services.clock.now() || services.grants.isRevoked(claims.jti)) return undefined;
    return claims.scope;
  } catch {
    return undefined;
  }
}

async function verifyAssertion(
  services: OAuth2Services,
  site: OAuth2Site,
  assertion: string,
): Promise<ServiceAccountConfig> {
  const refuse = (why: string) => new OAuth2Error('invalid_grant', `The JWT assertion is not valid: ${why}`);
  if (assertion.length > 16_384) throw refuse('it is too long');
  let issuer: unknown;
  try {
    issuer = decodeJwt(assertion).iss;
  } catch {
    throw refuse('it is not a JWT');
  }
  const account = services.serviceAccounts().find((candidate) => candidate.id === issuer);
  if (!account) throw refuse('no service account has that id');
  const now = services.clock.now();
  for (const jwk of account.jwks.keys) {
    let payload;
    try {
      const key = await importJWK({ ...(jwk as JWK), alg: 'RS256' }, 'RS256');
      ({ payload } = await jwtVerify(assertion, key, {
        algorithms: ['RS256'],
        issuer: account.id,
        subject: account.id,
        audience: tokenEndpoints(site),
        currentDate: new Date(now),
        requiredClaims: ['exp'],
      }));
    } catch {
      continue;
    }
    if ((payload.exp as number) * 1000 > now + MAX_ASSERTION_SECONDS * 1000)
      throw refuse(`it expires more than ${MAX_ASSERTION_SECONDS} seconds ahead`);
    if (typeof payload.jti === 'string') {
      if (services.grants.isRevoked(`assertion:${payload.jti}`)) throw refuse('its jti was used before');
      services.grants.revokeToken(`assertion:${payload.jti}`, (payload.exp as number) * 1000);
    }
    return account;
  }
  throw refuse('its signature, issuer, subject, audience or expiry does not check');
}

/** What an assertion's `aud` may say: the token endpoint, as frodo writes it (`:443` and all). */
function tokenEndpoints(site: OAuth2Site): string[] {
  const url = new URL(site.origin);
  const withPort =
    url.port === '' ? `${url.protocol}//${url.hostname}:${url.protocol === 'https:' ? 443 : 80}` : site.origin;
  return [site.origin, withPort].flatMap((origin) => [
    `${origin}/am/oauth2/access_token`,
    `${origin}/am/oauth2/realms/root/access_token`,
  ]);
}
