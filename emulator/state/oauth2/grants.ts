/**
 * What the OAuth2 provider remembers between requests: authorization codes (single use, short
 * lived), grants (what a user allowed a client; every token of one grant shares its
 * `authGrantId`) and revoked tokens. Tokens themselves are signed JWTs, as AIC's stateless
 * tokens are: what is kept here is only what a JWT cannot say about itself (used, revoked).
 *
 * Held in this process only (not in a state file or Redis): after a restart, or on another
 * instance, codes are unknown and revocations forgotten (docs/fidelity.md).
 */
import { randomBytes } from 'node:crypto';

export interface AuthorizationCode {
  readonly code: string;
  readonly realm: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly userId: string;
  readonly authGrantId: string;
  /** The AM session the user had at `authorize` (endSession ends it; the ID token names it). */
  readonly sessionTokenId: string;
  readonly nonce: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: 'S256' | 'plain' | undefined;
  /** When the user authenticated (the session's creation), ms. */
  readonly authTime: number;
  readonly expiresAt: number;
}

export interface Grant {
  readonly authGrantId: string;
  readonly realm: string;
  readonly clientId: string;
  /** The user's `_id`, or undefined for a client acting for itself (client_credentials). */
  readonly userId: string | undefined;
  readonly scopes: readonly string[];
  readonly sessionTokenId: string | undefined;
  readonly createdAt: number;
  revoked: boolean;
}

/** What `takeCode` found: the code, or why there is none to exchange. */
export type CodeLookup =
  | { kind: 'ok'; code: AuthorizationCode; expired: boolean }
  | { kind: 'unknown' }
  | { kind: 'reused'; code: AuthorizationCode };

/** Bounds, so that a client minting codes or grants in a loop cannot grow the process without end. */
const MAX_CODES = 100_000;
const MAX_GRANTS = 100_000;
const MAX_REVOKED = 200_000;

export class OAuth2GrantStore {
  private readonly codes = new Map<string, AuthorizationCode & { used: boolean }>();
  private readonly grants = new Map<string, Grant>();
  /** Revoked token ids (`jti`) with the time their token would have expired anyway. */
  private readonly revoked = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  issueCode(fields: Omit<AuthorizationCode, 'code'>): AuthorizationCode {
    evictOldest(this.codes, MAX_CODES);
    // AM's codes are opaque random strings; 27 base64url characters carry 160 bits.
    const code = { ...fields, code: randomBytes(20).toString('base64url'), used: false };
    this.codes.set(code.code, code);
    return code;
  }

  /** Looks a code up for an exchange; one already exchanged is `reused`. */
  findCode(value: string): CodeLookup {
    const code = this.codes.get(value);
    if (!code) return { kind: 'unknown' };
    if (code.used) return { kind: 'reused', code };
    return { kind: 'ok', code, expired: code.expiresAt <= this.now() };
  }

  /**
   * Uses a code up, once its exchange has passed every check (as AM marks it issued only then:
   * a refused attempt leaves it to the rightful client).
   */
  useCode(value: string): void {
    const code = this.codes.get(value);
    if (code) code.used = true;
  }

  addGrant(fields: Omit<Grant, 'authGrantId' | 'createdAt' | 'revoked'> & { authGrantId?: string }): Grant {
    evictOldest(this.grants, MAX_GRANTS);
    const grant: Grant = {
      ...fields,
      authGrantId: fields.authGrantId ?? randomBytes(20).toString('base64url'),
      createdAt: this.now(),
      revoked: false,
    };
    this.grants.set(grant.authGrantId, grant);
    return grant;
  }

  grant(authGrantId: string): Grant | undefined {
    return this.grants.get(authGrantId);
  }

  /** Every token of the grant stops working. */
  revokeGrant(authGrantId: string): void {
    const grant = this.grants.get(authGrantId);
    if (grant) grant.revoked = true;
  }

  revokeToken(jti: string, expiresAt: number): void {
    if (this.revoked.size >= MAX_REVOKED) this.purgeRevoked();
    evictOldest(this.revoked, MAX_REVOKED);
    this.revoked.set(jti, expiresAt);
  }

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  /** A user's grants that are still in force (the console shows them beside the sessions). */
  grantsOf(realm: string, userId: string): Grant[] {
    return [...this.grants.values()].filter(
      (grant) => grant.realm === realm && grant.userId === userId && !grant.revoked,
    );
  }

  list(): Grant[] {
    return [...this.grants.values()];
  }

  clear(): void {
    this.codes.clear();
    this.grants.clear();
    this.revoked.clear();
  }

  private purgeRevoked(): void {
    const now = this.now();
    for (const [jti, expiresAt] of this.revoked) if (expiresAt <= now) this.revoked.delete(jti);
  }
}

function evictOldest(map: Map<string, unknown>, limit: number): void {
  while (map.size >= limit) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}
