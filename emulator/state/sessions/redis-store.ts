/**
 * The Redis session store: the same contract as the memory store (store.ts), kept in Redis so
 * that several emulator processes serve one tenant's sessions. A login on one instance is valid
 * on every other, and a logout anywhere ends it everywhere.
 *
 * Every operation is one Lua script (redis-session-scripts.ts), hence one round trip and atomic:
 * create writes the session and all its indexes at once; touch, logout, logoutByUser and
 * logoutByHandle read, check expiry and change in one step. Expiry follows the tenant clock,
 * passed to each script: an expired session is never answered. Redis TTLs only collect what the
 * sweeper did not.
 */
import type { RedisClient } from '../../core/redis-connection.js';
import { LuaScript, storeCall } from '../../core/redis-connection.js';
import { ContextIdSequence } from './tokens.js';
import type { Session } from './session.js';
import {
  newSession,
  withoutCtxId,
  type NewSession,
  type PurgeResult,
  type SessionStore,
  type StoreWork,
} from './store.js';
import { decodeSession, encodeSession } from './redis-session-codec.js';
import * as Scripts from './redis-session-scripts.js';

export interface RedisSessionStoreOptions {
  client: RedisClient;
  /** Key prefix of the tenant's sessions (tenantKeys(prefix).sessions): one per tenant. */
  prefix: string;
  /** The tenant clock's `now`. */
  now: () => number;
  contextIds?: ContextIdSequence;
  /**
   * How long after a session's expiry (on the tenant clock) Redis may drop its keys by itself:
   * a backstop for a tenant no instance sweeps any more. It must outlast any wait a frozen
   * clock can impose, since a frozen session's remaining time does not shrink in real time.
   */
  backstopMs?: number;
}

/** One day: a session on a frozen clock survives a day of real time untouched. */
export const DEFAULT_BACKSTOP_MS = 24 * 3600 * 1000;

const script = (source: string) => new LuaScript(source);
const CREATE = script(Scripts.CREATE);
const GET = script(Scripts.GET);
const GET_BY_HANDLE = script(Scripts.GET_BY_HANDLE);
const TOUCH = script(Scripts.TOUCH);
const SET_PROPERTIES = script(Scripts.SET_PROPERTIES);
const DELETE = script(Scripts.DELETE);
const DELETE_BY_HANDLE = script(Scripts.DELETE_BY_HANDLE);
const DELETE_BY_USER = script(Scripts.DELETE_BY_USER);
const LIST = script(Scripts.LIST);
const PURGE = script(Scripts.PURGE);
const CLEAR = script(Scripts.CLEAR);

/** Sessions one CLEAR call removes: big enough to be quick, small enough not to stall Redis. */
const CLEAR_BATCH = 1_000;

export class RedisSessionStore implements SessionStore {
  readonly work: StoreWork = { sessionsVisited: 0 };
  private readonly client: RedisClient;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly contextIds: ContextIdSequence;
  private readonly backstopMs: number;

  constructor(options: RedisSessionStoreOptions) {
    this.client = options.client;
    this.prefix = options.prefix;
    this.now = options.now;
    this.contextIds = options.contextIds ?? new ContextIdSequence();
    this.backstopMs = options.backstopMs ?? DEFAULT_BACKSTOP_MS;
  }

  async create(input: NewSession): Promise<Session> {
    const now = this.now();
    const session = newSession(input, now, this.contextIds.next());
    await CREATE.run(this.client, [...this.head(now), ...encodeSession(session)]);
    this.work.sessionsVisited += 1;
    return session;
  }

  async getByToken(tokenId: string): Promise<Session | undefined> {
    return this.one(await GET.run(this.client, [...this.head(), tokenId]));
  }

  async getByHandle(handle: string): Promise<Session | undefined> {
    return this.one(await GET_BY_HANDLE.run(this.client, [...this.head(), handle]));
  }

  async listByUser(realm: string, userId: string): Promise<Session[]> {
    return this.many(await LIST.run(this.client, [...this.head(), 'user', realm, userId]));
  }

  async listByRealm(realm: string): Promise<Session[]> {
    return this.many(await LIST.run(this.client, [...this.head(), 'realm', realm]));
  }

  async listAll(): Promise<Session[]> {
    return this.many(await LIST.run(this.client, [...this.head(), 'all']));
  }

  async touch(tokenId: string, updateFrequencySeconds: number): Promise<Session | undefined> {
    return this.one(
      await TOUCH.run(this.client, [...this.head(), tokenId, Math.max(0, updateFrequencySeconds * 1000)]),
    );
  }

  async setProperties(tokenId: string, properties: Record<string, string>): Promise<Session | undefined> {
    const pairs = Object.entries(withoutCtxId(properties)).flat();
    return this.one(await SET_PROPERTIES.run(this.client, [...this.head(), tokenId, ...pairs]));
  }

  async delete(tokenId: string): Promise<boolean> {
    return this.ended(await DELETE.run(this.client, [...this.head(), tokenId])) === 1;
  }

  async deleteByHandle(handle: string): Promise<boolean> {
    return this.ended(await DELETE_BY_HANDLE.run(this.client, [...this.head(), handle])) === 1;
  }

  async deleteByUser(realm: string, userId: string): Promise<number> {
    return this.ended(await DELETE_BY_USER.run(this.client, [...this.head(), realm, userId]));
  }

  async purgeExpired(budget: number): Promise<PurgeResult> {
    const [visited, purged, more] = (await PURGE.run(this.client, [
      ...this.head(),
      Math.max(1, Math.floor(budget)),
    ])) as number[];
    this.work.sessionsVisited += visited ?? 0;
    return { purged: purged ?? 0, more: more === 1 };
  }

  async count(): Promise<number> {
    return storeCall(() => this.client.zcard(`${this.prefix}exp`));
  }

  async clear(): Promise<void> {
    while (((await CLEAR.run(this.client, [...this.head(), CLEAR_BATCH])) as number) > 0);
  }

  /** The arguments every script starts with: the prefix, the tenant clock's now, the backstop. */
  private head(now = this.now()): (string | number)[] {
    return [this.prefix, now, this.backstopMs];
  }

  private one(reply: unknown): Session | undefined {
    const [visited, flat] = reply as [number, unknown?];
    this.work.sessionsVisited += visited;
    return flat === undefined ? undefined : decodeSession(flat);
  }

  private many(reply: unknown): Session[] {
    const [visited, ...flats] = reply as [number, ...unknown[]];
    this.work.sessionsVisited += visited;
    const sessions: Session[] = [];
    for (const flat of flats) {
      const session = decodeSession(flat);
      if (session) sessions.push(session);
    }
    return sessions;
  }

  private ended(reply: unknown): number {
    const [visited, ended] = reply as [number, number];
    this.work.sessionsVisited += visited;
    return ended;
  }
}
