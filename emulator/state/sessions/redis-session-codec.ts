/**
 * A session as a Redis hash and back. Numbers are written as decimal strings and parsed on the
 * way back; properties are `p:<name>` fields, so updateSessionProperties is an HSET of the
 * changed ones, not a rewrite of the session.
 */
import { NO_PROPERTIES, type Session } from './session.js';
import { FIELDS, PROPERTY_PREFIX } from './redis-session-scripts.js';

/** The session's hash as field, value pairs (the arguments of HSET). */
export function encodeSession(session: Session): string[] {
  const pairs: string[] = [
    FIELDS.tokenId,
    session.tokenId,
    FIELDS.handle,
    session.handle,
    FIELDS.ctxId,
    session.ctxId,
    FIELDS.realm,
    session.realm,
    FIELDS.userId,
    session.userId,
    FIELDS.universalId,
    session.universalId,
    FIELDS.creationTime,
    String(session.creationTime),
    FIELDS.latestAccessTime,
    String(session.latestAccessTime),
    FIELDS.maxIdleMinutes,
    String(session.maxIdleMinutes),
    FIELDS.maxSessionMinutes,
    String(session.maxSessionMinutes),
    FIELDS.service,
    session.service,
    FIELDS.successUrl,
    session.successUrl,
  ];
  for (const [name, value] of Object.entries(session.properties)) pairs.push(`${PROPERTY_PREFIX}${name}`, value);
  return pairs;
}

/** HGETALL's flat answer as a Session; undefined when it is not a complete session record. */
export function decodeSession(flat: unknown): Session | undefined {
  if (!Array.isArray(flat) || flat.length === 0) return undefined;
  const fields = new Map<string, string>();
  let properties: Record<string, string> | undefined;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = String(flat[i]);
    const value = String(flat[i + 1]);
    if (name.startsWith(PROPERTY_PREFIX)) {
      properties ??= {};
      // defineProperty: a property named __proto__ stays a property.
      Object.defineProperty(properties, name.slice(PROPERTY_PREFIX.length), {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      fields.set(name, value);
    }
  }
  const text = (field: string) => fields.get(field);
  const number = (field: string) => {
    const value = fields.get(field);
    return value === undefined ? NaN : Number(value);
  };
  const session = {
    tokenId: text(FIELDS.tokenId),
    handle: text(FIELDS.handle),
    ctxId: text(FIELDS.ctxId),
    realm: text(FIELDS.realm),
    userId: text(FIELDS.userId),
    universalId: text(FIELDS.universalId),
    creationTime: number(FIELDS.creationTime),
    latestAccessTime: number(FIELDS.latestAccessTime),
    maxIdleMinutes: number(FIELDS.maxIdleMinutes),
    maxSessionMinutes: number(FIELDS.maxSessionMinutes),
    properties: properties ?? NO_PROPERTIES,
    service: text(FIELDS.service),
    successUrl: text(FIELDS.successUrl),
  };
  for (const value of Object.values(session))
    if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) return undefined;
  return session as Session;
}
