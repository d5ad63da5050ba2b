/**
 * The session model: what AM's CTS keeps for an authenticated (server-side) session, and the
 * arithmetic of its two timeouts (PingOne AIC docs, "Session termination":
 * https://docs.pingidentity.com/pingoneaic/am-sessions/session-state-session-termination.html).
 */

export interface Session {
  readonly tokenId: string;
  /** `shandle:...`, the only id the query and logoutByHandle reveal or accept. */
  readonly handle: string;
  /** The AMCtxId property, also answered as validate's `sessionUid`. */
  readonly ctxId: string;
  /** The realm path the session was created in: `/` or `/alpha`. */
  readonly realm: string;
  /** The user's `_id` (a UUID on AIC); the session APIs call it `username`. */
  readonly userId: string;
  /** `id=<uuid>,ou=user,o=alpha,ou=services,ou=am-config`. */
  readonly universalId: string;
  readonly creationTime: number;
  readonly latestAccessTime: number;
  readonly maxIdleMinutes: number;
  readonly maxSessionMinutes: number;
  /**
   * Session properties a journey or updateSessionProperties set. AMCtxId is not among them: it is
   * `ctxId` (read it with sessionProperty), so that a million sessions without properties share one
   * empty object.
   */
  readonly properties: Readonly<Record<string, string>>;
  /** The journey that created the session, and where a successful login was sent. */
  readonly service: string;
  readonly successUrl: string;
}

/** The shared properties of sessions that have none of their own. */
export const NO_PROPERTIES: Readonly<Record<string, string>> = Object.freeze({});

/** A session property as AM answers it: AMCtxId from the session's context id, others as set. */
export function sessionProperty(session: Pick<Session, 'ctxId' | 'properties'>, name: string): string | undefined {
  if (name === 'AMCtxId') return session.ctxId;
  // Own properties only: `constructor` is a property name like any other, not Object.prototype's.
  return Object.hasOwn(session.properties, name) ? session.properties[name] : undefined;
}

export function idleExpiresAt(session: Pick<Session, 'latestAccessTime' | 'maxIdleMinutes'>): number {
  return session.latestAccessTime + session.maxIdleMinutes * 60_000;
}

export function maxExpiresAt(session: Pick<Session, 'creationTime' | 'maxSessionMinutes'>): number {
  return session.creationTime + session.maxSessionMinutes * 60_000;
}

/** The moment the session stops being valid: whichever timeout comes first. */
export function expiresAt(session: Session): number {
  return Math.min(idleExpiresAt(session), maxExpiresAt(session));
}

export function isExpired(session: Session, now: number): boolean {
  return now >= expiresAt(session);
}
