/**
 * The provider's keys. ID tokens are signed RS256 with a key made per instance (published in the
 * JWKS, `connect/jwk_uri`), as AIC's are with the realm's key. Access and refresh tokens are
 * signed HS256 (AIC alpha's `tokenSigningAlgorithm`) with a key derived from the tenant's authId
 * secret, so that every instance of a tenant accepts the tokens of the others.
 */
import { createHash, createSecretKey, hkdfSync, webcrypto, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface SigningKeys {
  readonly idToken: { readonly key: CryptoKey; readonly publicKey: CryptoKey; readonly kid: string };
  /**
   * A WebCrypto key, imported once: jose signs and verifies with it directly (about 100 µs), where
   * raw bytes or a KeyObject are imported again on every call (180 to 250 µs; bench/results.md).
   */
  readonly tokens: { readonly key: CryptoKey };
  /** Encrypts service account tokens (`dir`, `A128CBC-HS256`: 256 bits). */
  readonly serviceAccountTokens: KeyObject;
  readonly jwks: { readonly keys: readonly JWK[] };
}

/** Made on first use (an RSA key takes tens of milliseconds; start-up need not pay for it). */
export function lazySigningKeys(secret: string): () => Promise<SigningKeys> {
  let keys: Promise<SigningKeys> | undefined;
  return () => (keys ??= makeKeys(secret));
}

async function makeKeys(secret: string): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  // AM's kid: the base64 SHA-1 of the key's modulus and exponent (28 characters).
  const kid = createHash('sha1')
    .update(`${publicJwk.n ?? ''}${publicJwk.e ?? ''}`)
    .digest('base64');
  const tokenKey = await webcrypto.subtle.importKey(
    'raw',
    new Uint8Array(hkdfSync('sha256', secret, 'aic-emulator', 'oauth2 token signing', 32)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  return {
    idToken: { key: privateKey, publicKey, kid },
    tokens: { key: tokenKey },
    serviceAccountTokens: createSecretKey(
      new Uint8Array(hkdfSync('sha256', secret, 'aic-emulator', 'oauth2 service account tokens', 32)),
    ),
    jwks: { keys: [{ kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: publicJwk.n, e: publicJwk.e } as JWK] },
  };
}
