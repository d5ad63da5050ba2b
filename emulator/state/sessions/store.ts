/**
 * The session store contract. Every store (the in-memory one here; others behind the same
 * interface) keeps sessions indexed by token, by handle and by realm+user, so that no operation
 * has to scan all sessions, and answers only live sessions: an expired session is never
 * returned, whether or not the sweeper has purged it yet.
 *
 * Methods are async so that a networked store can implement them; the memory store resolves
 * immediately.
 */
import { NO_PROPERTIES, type Session } from './session.js';
import { newSessionHandle, newTokenId } from './tokens.js';

export interface NewSession {
  realm: string;
  userId: string;
  universalId: string;
  maxIdleMinutes: number;
  maxSessionMinutes: number;
  properties?: Record<string, string>;
  service: string;
  successUrl: string;
}

/** AMCtxId is the session's ctxId, never a property of its own (every store keeps it so). */
export function withoutCtxId(properties: Readonly<Record<string, string>>): Record<string, string> {
  const { AMCtxId: _ignored, ...rest } = properties;
  return rest;
}

/**
 * The session a store's `create` makes: new token and handle, both times `now`, and the shared
 * empty properties when it has none (a million sessions then share one object).
 */
export function newSession(input: NewSession, now: number, ctxId: string): Session {
  const properties = input.properties ? withoutCtxId(input.properties) : NO_PROPERTIES;
  return {
    tokenId: newTokenId(),
    handle: newSessionHandle(),
    ctxId,
    realm: input.realm,
    userId: input.userId,
    universalId: input.universalId,
    creationTime: now,
    latestAccessTime: now,
    maxIdleMinutes: input.maxIdleMinutes,
    maxSessionMinutes: input.maxSessionMinutes,
    properties: Object.keys(properties).length > 0 ? properties : NO_PROPERTIES,
    service: input.service,
    successUrl: input.successUrl,
  };
}

/** What one operation cost the store: used by tests to show that indexes, not scans, do the work. */
export interface StoreWork {
  /** Session records read or written. */
  sessionsVisited: number;
}

export interface PurgeResult {
  purged: number;
  /** True when expired sessions remain (the budget ran out). */
  more: boolean;
}

export interface SessionStore {
  create(input: NewSession): Promise<Session>;
  getByToken(tokenId: string): Promise<Session | undefined>;
  getByHandle(handle: string): Promise<Session | undefined>;
  /** The user's live sessions in one realm. */
  listByUser(realm: string, userId: string): Promise<Session[]>;
  /** Every live session in one realm (the query `realm eq "/alpha"`). */
  listByRealm(realm: string): Promise<Session[]>;
  /** Every live session (the control API and the console). */
  listAll(): Promise<Session[]>;
  /**
   * Records activity: resets the idle timer if at least `updateFrequencySeconds` passed since the
   * last recorded access (AM's latest-access-time update frequency). Returns the session as it
   * is afterwards, or undefined if it is not live.
   */
  touch(tokenId: string, updateFrequencySeconds: number): Promise<Session | undefined>;
  /** Replaces the given properties (others are kept). */
  setProperties(tokenId: string, properties: Record<string, string>): Promise<Session | undefined>;
  /** Ends one session. True if a live session was ended. */
  delete(tokenId: string): Promise<boolean>;
  /**
   * Ends the session with this handle (logoutByHandle) in one step, so that no other instance
   * sharing the store can act on the session between the lookup and the delete. True if a live
   * session was ended.
   */
  deleteByHandle(handle: string): Promise<boolean>;
  /** Ends every session of a user in a realm; returns how many were ended. */
  deleteByUser(realm: string, userId: string): Promise<number>;
  /** Removes up to `budget` expired sessions. */
  purgeExpired(budget: number): Promise<PurgeResult>;
  count(): Promise<number>;
  clear(): Promise<void>;
  /** Cumulative work counters (see StoreWork). */
  readonly work: StoreWork;
}
