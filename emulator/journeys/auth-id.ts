/**
 * The `authId` a journey step carries (as decoded from AIC's recorded authIds, frodo-lib's test
 * recordings of 2022): a compact JWS, HS256, signed with a secret of the tenant's, with AM's
 * claims: authIndexValue, otk, authIndexType, realm, sessionId (the server-side journey session),
 * exp and iat; expiry 15 minutes on the tenant clock. The otk is drawn anew for each authId (AM:
 * AuthIdHelper.generateAuthId), so each step's authId is its own even within one second.
 */
import { randomBytes, webcrypto } from 'node:crypto';

/** jose, loaded with the first journey rather than at start (it costs ~35 ms to load). */
let jose: Promise<typeof import('jose')> | undefined;
const loadJose = () => (jose ??= import('jose'));

export const AUTH_ID_LIFETIME_SECONDS = 15 * 60;

export interface AuthIdClaims {
  authIndexValue: string;
  otk: string;
  authIndexType: string;
  realm: string;
  sessionId: string;
  exp: number;
  iat: number;
}

export type AuthIdCheck = { ok: true; claims: AuthIdClaims } | { ok: false; reason: 'invalid' | 'expired' };

export class AuthIdSigner {
  private readonly secret: Uint8Array;
  /**
   * The secret as a CryptoKey, imported once: given the raw bytes, jose imports them again for
   * every authId it signs or verifies (a WebCrypto importKey each time).
   */
  private cryptoKey: Promise<webcrypto.CryptoKey> | undefined;

  constructor(secret: string | undefined) {
    this.secret = secret ? new TextEncoder().encode(secret) : randomBytes(32);
  }

  private key(): Promise<webcrypto.CryptoKey> {
    return (this.cryptoKey ??= webcrypto.subtle.importKey(
      'raw',
      this.secret,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    ));
  }

  async sign(claims: Omit<AuthIdClaims, 'exp' | 'iat'>, nowMs: number): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    // Claim order as AM writes them; the header is {"typ":"JWT","alg":"HS256"}.
    const payload = {
      authIndexValue: claims.authIndexValue,
      otk: claims.otk,
      authIndexType: claims.authIndexType,
      realm: claims.realm,
      sessionId: claims.sessionId,
      exp: iat + AUTH_ID_LIFETIME_SECONDS,
      iat,
    };
    const { SignJWT } = await loadJose();
    return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'HS256' }).sign(await this.key());
  }

  async verify(authId: string, nowMs: number): Promise<AuthIdCheck> {
    if (typeof authId !== 'string' || authId.length > 8192) return { ok: false, reason: 'invalid' };
    const { jwtVerify, errors: joseErrors } = await loadJose();
    try {
      const { payload } = await jwtVerify(authId, await this.key(), {
        algorithms: ['HS256'],
        currentDate: new Date(nowMs),
        clockTolerance: 0,
      });
      const claims = payload as unknown as AuthIdClaims;
      if (typeof claims.sessionId !== 'string' || typeof claims.realm !== 'string')
        return { ok: false, reason: 'invalid' };
      return { ok: true, claims };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }
}
