/**
 * The provider's tokens, as AIC's stateless tokens look: access and refresh tokens are JWTs whose
 * claims say everything about the grant (`authGrantId`, `scope` as an array, `cts:
 * OAUTH2_STATELESS_GRANT`); ID tokens are RS256 JWTs a client checks against the JWKS. Times come
 * from the tenant clock, so tokens expire when the clock is advanced.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { SigningKeys } from './keys.js';

export type TokenName = 'access_token' | 'refresh_token';

export interface TokenClaims extends JWTPayload {
  sub: string;
  tokenName: TokenName;
  authGrantId: string;
  client_id: string;
  scope: string[];
  realm: string;
  grant_type: string;
  auth_time: number;
  exp: number;
  iat: number;
  jti: string;
}

export interface TokenInput {
  readonly issuer: string;
  readonly realm: string;
  readonly subject: string;
  readonly clientId: string;
  readonly authGrantId: string;
  readonly scopes: readonly string[];
  readonly grantType: string;
  /** When the user authenticated, ms (the token's issue time for a client acting for itself). */
  readonly authTime: number;
  readonly lifetimeSeconds: number;
  readonly nowMs: number;
}

export async function mintToken(
  keys: SigningKeys,
  name: TokenName,
  input: TokenInput,
): Promise<{ token: string; claims: TokenClaims }> {
  const iat = Math.floor(input.nowMs / 1000);
  const claims: TokenClaims = {
    sub: input.subject,
    cts: 'OAUTH2_STATELESS_GRANT',
    auth_level: 0,
    auditTrackingId: randomUUID(),
    subname: input.subject,
    iss: input.issuer,
    tokenName: name,
    token_type: 'Bearer',
    authGrantId: input.authGrantId,
    client_id: input.clientId,
    aud: input.clientId,
    nbf: iat,
    grant_type: input.grantType,
    scope: [...input.scopes],
    auth_time: Math.floor(input.authTime / 1000),
    realm: input.realm,
    exp: iat + input.lifetimeSeconds,
    iat,
    expires_in: input.lifetimeSeconds,
    jti: randomUUID(),
  };
  const token = await new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'HS256' }).sign(keys.tokens.key);
  return { token, claims };
}

/** The claims of an access or refresh token this tenant signed and that has not expired; else undefined. */
export async function verifyToken(
  keys: SigningKeys,
  token: string,
  name: TokenName,
  nowMs: number,
): Promise<TokenClaims | undefined> {
  if (token.length > 16_384) return undefined;
  try {
    const { payload } = await jwtVerify(token, keys.tokens.key, {
      algorithms: ['HS256'],
      currentDate: new Date(nowMs),
      clockTolerance: 0,
    });
    const claims = payload as TokenClaims;
    return claims.tokenName === name && typeof claims.authGrantId === 'string' && Array.isArray(claims.scope)
      ? claims
      : undefined;
  } catch {
    return undefined;
  }
}

export interface IdTokenInput {
  readonly issuer: string;
  readonly realm: string;
  readonly subject: string;
  readonly clientId: string;
  readonly authTime: number;
  readonly nonce: string | undefined;
  readonly accessToken: string;
  /** Refers to the user's AM session for connect/endSession (AM's OPS token reference). */
  readonly opsId: string;
  readonly lifetimeSeconds: number;
  readonly nowMs: number;
  readonly claims: Readonly<Record<string, unknown>>;
}

export async function mintIdToken(keys: SigningKeys, input: IdTokenInput): Promise<string> {
  const iat = Math.floor(input.nowMs / 1000);
  return new SignJWT({
    at_hash: leftHalfHash(input.accessToken),
    sub: input.subject,
    auditTrackingId: randomUUID(),
    subname: input.subject,
    iss: input.issuer,
    tokenName: 'id_token',
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    aud: input.clientId,
    azp: input.clientId,
    auth_time: Math.floor(input.authTime / 1000),
    realm: input.realm,
    exp: iat + input.lifetimeSeconds,
    tokenType: 'JWTToken',
    iat,
    'org.forgerock.openidconnect.ops': input.opsId,
    ...input.claims,
  })
    .setProtectedHeader({ typ: 'JWT', kid: keys.idToken.kid, alg: 'RS256' })
    .sign(keys.idToken.key);
}

/**
 * The claims of an ID token this instance signed, expired or not: an `id_token_hint` names who is
 * signing out, and OpenID Connect RP-Initiated Logout asks the provider to accept expired ones.
 */
export async function verifyIdTokenHint(keys: SigningKeys, token: string): Promise<JWTPayload | undefined> {
  if (token.length > 16_384) return undefined;
  try {
    if (decodeProtectedHeader(token).alg !== 'RS256') return undefined;
    const { payload } = await jwtVerify(token, keys.idToken.publicKey, {
      algorithms: ['RS256'],
      currentDate: new Date(0),
      clockTolerance: Number.MAX_SAFE_INTEGER,
    });
    return payload.tokenName === 'id_token' ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** OpenID Connect's at_hash: the left half of the SHA-256 of the token, base64url. */
function leftHalfHash(value: string): string {
  const digest = createHash('sha256').update(value).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
