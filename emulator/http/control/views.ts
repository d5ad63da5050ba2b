/** How the control API shows users and sessions: everything a test needs, never a password. */
import type { User } from '../../state/user-directory.js';
import type { Session } from '../../state/sessions/session.js';
import { idleExpiresAt, maxExpiresAt } from '../../state/sessions/session.js';
import { isoMillis } from '../../core/clock.js';

/** Attributes never shown, whatever a seed called them. */
const HIDDEN = new Set(['password', 'userpassword']);

export function userView(user: User) {
  const attributes = Object.fromEntries(
    Object.entries(user.attributes).filter(([name]) => !HIDDEN.has(name.toLowerCase())),
  );
  return {
    ...attributes,
    _id: user._id,
    realm: user.realm,
    userName: user.userName,
    accountStatus: user.accountStatus,
    admin: user.admin,
  };
}

export function sessionView(session: Session, userName: string | undefined) {
  return {
    tokenId: session.tokenId,
    sessionHandle: session.handle,
    username: session.userId,
    userName: userName ?? null,
    universalId: session.universalId,
    realm: session.realm,
    creationTime: isoMillis(session.creationTime),
    latestAccessTime: isoMillis(session.latestAccessTime),
    maxIdleExpirationTime: isoMillis(idleExpiresAt(session)),
    maxSessionExpirationTime: isoMillis(maxExpiresAt(session)),
    maxIdleMinutes: session.maxIdleMinutes,
    maxSessionMinutes: session.maxSessionMinutes,
    service: session.service,
    properties: { AMCtxId: session.ctxId, ...session.properties },
  };
}
