/**
 * The JSON shapes of the sessions endpoint's answers (AIC docs, "Manage sessions over REST"). Field order
 * follows the recorded and documented answers.
 */
import type { Session } from '../../../state/sessions/session.js';
import { idleExpiresAt, maxExpiresAt, sessionProperty } from '../../../state/sessions/session.js';
import { isoMillis, isoSeconds } from '../../../core/clock.js';

/** getSessionInfo and getSessionInfoAndResetIdleTime. */
export function sessionInfoView(session: Session, returnedProperties: readonly string[]) {
  const entries: [string, string][] = [['AMCtxId', session.ctxId]];
  for (const name of returnedProperties) {
    if (name !== 'AMCtxId') entries.push([name, sessionProperty(session, name) ?? '']);
  }
  // fromEntries defines own properties: a property configured as `__proto__` is listed, not lost.
  const properties: Record<string, string> = Object.fromEntries(entries);
  return {
    username: session.userId,
    universalId: session.universalId,
    realm: session.realm,
    latestAccessTime: isoSeconds(session.latestAccessTime),
    maxIdleExpirationTime: isoSeconds(idleExpiresAt(session)),
    maxSessionExpirationTime: isoSeconds(maxExpiresAt(session)),
    properties,
  };
}

/** validate on a live session; `sessionUid` is the session's AMCtxId (inferred, docs/fidelity.md). */
export function validView(session: Session) {
  return { valid: true, sessionUid: session.ctxId, uid: session.userId, realm: session.realm };
}

/** Answered by validate, refresh and getSessionInfo when the target token is not a live session. */
export const INVALID_SESSION = Object.freeze({ valid: false });

/** refresh: idle seconds, limits in minutes, seconds left (AM's SessionResourceUtil.jsonValueOf). */
export function refreshView(session: Session, now: number) {
  return {
    uid: session.userId,
    realm: session.realm,
    idletime: Math.max(0, Math.floor((now - session.latestAccessTime) / 1000)),
    maxidletime: session.maxIdleMinutes,
    maxsessiontime: session.maxSessionMinutes,
    maxtime: Math.max(0, Math.floor((maxExpiresAt(session) - now) / 1000)),
  };
}

/** One item of the query's result: no token, no properties; `latestAccessTime` in milliseconds. */
export function queryItemView(session: Session, returnedProperties: readonly string[]) {
  const item: Record<string, unknown> = {
    username: session.userId,
    universalId: session.universalId,
    realm: session.realm,
    sessionHandle: session.handle,
    latestAccessTime: isoMillis(session.latestAccessTime),
    maxIdleExpirationTime: isoSeconds(idleExpiresAt(session)),
    maxSessionExpirationTime: isoSeconds(maxExpiresAt(session)),
  };
  if (returnedProperties.length > 0) {
    item['properties'] = Object.fromEntries(
      returnedProperties.map((name) => [name, sessionProperty(session, name) ?? '']),
    );
  }
  // AIC adds `_rev`, a hash of the item, first (AIC docs' query example; AM source: SessionResourceV2).
  return { _rev: String(javaStringHash(JSON.stringify(item))), ...item };
}

/** CREST's query envelope as PingAM documents it for the session query. */
export function queryResultView(items: unknown[]) {
  return {
    result: items,
    resultCount: items.length,
    pagedResultsCookie: null,
    totalPagedResultsPolicy: 'NONE',
    totalPagedResults: -1,
    remainingPagedResults: -1,
  };
}

/** Java's String.hashCode: the kind of number AM shows as `_rev`. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}
