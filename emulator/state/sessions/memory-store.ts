/**
 * The in-memory session store: the default, and the reference for every other store.
 *
 * Indexes: token → session, handle → token, realm+user → tokens, realm → tokens. Expiry is
 * computed against the tenant clock on every read (an expired session is never answered) and
 * the ExpiryQueue lets the sweeper purge expired sessions without scanning.
 */
import { ContextIdSequence } from './tokens.js';
import { NO_PROPERTIES, expiresAt, isExpired, type Session } from './session.js';
import {
  newSession,
  withoutCtxId,
  type NewSession,
  type PurgeResult,
  type SessionStore,
  type StoreWork,
} from './store.js';
import { ExpiryQueue } from './expiry-queue.js';

type MutableSession = { -readonly [K in keyof Session]: Session[K] };

export interface MemorySessionStoreOptions {
  /** The tenant clock's `now`. */
  now: () => number;
  contextIds?: ContextIdSequence;
}

const userKey = (realm: string, userId: string) => `${realm}\u0000${userId}`;

export class MemorySessionStore implements SessionStore {
  private readonly byToken = new Map<string, MutableSession>();
  private readonly tokenByHandle = new Map<string, string>();
  private readonly tokensByUser = new Map<string, Set<string>>();
  private readonly tokensByRealm = new Map<string, Set<string>>();
  private readonly expiry = new ExpiryQueue();
  /** Queue entries of sessions that ended before their time came. */
  private orphanedEntries = 0;
  private readonly now: () => number;
  private readonly contextIds: ContextIdSequence;
  readonly work: StoreWork = { sessionsVisited: 0 };

  constructor(options: MemorySessionStoreOptions) {
    this.now = options.now;
    this.contextIds = options.contextIds ?? new ContextIdSequence();
  }

  async create(input: NewSession): Promise<Session> {
    const now = this.now();
    const ctxId = this.contextIds.next();
    const session: MutableSession = newSession(input, now, ctxId);
    this.byToken.set(session.tokenId, session);
    this.tokenByHandle.set(session.handle, session.tokenId);
    addTo(this.tokensByUser, userKey(session.realm, session.userId), session.tokenId);
    addTo(this.tokensByRealm, session.realm, session.tokenId);
    this.expiry.push(expiresAt(session), session.tokenId);
    this.work.sessionsVisited += 1;
    return session;
  }

  async getByToken(tokenId: string): Promise<Session | undefined> {
    return this.live(tokenId);
  }

  async getByHandle(handle: string): Promise<Session | undefined> {
    const tokenId = this.tokenByHandle.get(handle);
    return tokenId === undefined ? undefined : this.live(tokenId);
  }

  async listByUser(realm: string, userId: string): Promise<Session[]> {
    return this.liveOf(this.tokensByUser.get(userKey(realm, userId)));
  }

  async listByRealm(realm: string): Promise<Session[]> {
    return this.liveOf(this.tokensByRealm.get(realm));
  }

  async listAll(): Promise<Session[]> {
    return this.liveOf(this.byToken.keys());
  }

  async touch(tokenId: string, updateFrequencySeconds: number): Promise<Session | undefined> {
    const session = this.live(tokenId);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.latestAccessTime >= updateFrequencySeconds * 1000) {
      session.latestAccessTime = now;
      // The old queue entry is now early; the sweeper re-queues the session when it pops it.
    }
    return session;
  }

  async setProperties(tokenId: string, properties: Record<string, string>): Promise<Session | undefined> {
    const session = this.live(tokenId);
    if (!session) return undefined;
    session.properties = withoutCtxId({ ...session.properties, ...properties });
    return session;
  }

  async delete(tokenId: string): Promise<boolean> {
    const session = this.live(tokenId);
    if (!session) return false;
    this.remove(session);
    return true;
  }

  async deleteByHandle(handle: string): Promise<boolean> {
    const tokenId = this.tokenByHandle.get(handle);
    return tokenId === undefined ? false : this.delete(tokenId);
  }

  /**
   * Puts back a session saved earlier (a state file), with its own token, handle and times; an
   * expired one is dropped. Not part of SessionStore: only the memory store has state files.
   */
  restore(saved: Session): boolean {
    if (isExpired(saved, this.now()) || this.byToken.has(saved.tokenId)) return false;
    const session: MutableSession = {
      ...saved,
      properties: Object.keys(saved.properties).length > 0 ? withoutCtxId(saved.properties) : NO_PROPERTIES,
    };
    this.byToken.set(session.tokenId, session);
    this.tokenByHandle.set(session.handle, session.tokenId);
    addTo(this.tokensByUser, userKey(session.realm, session.userId), session.tokenId);
    addTo(this.tokensByRealm, session.realm, session.tokenId);
    this.expiry.push(expiresAt(session), session.tokenId);
    return true;
  }

  async deleteByUser(realm: string, userId: string): Promise<number> {
    const tokens = this.tokensByUser.get(userKey(realm, userId));
    if (!tokens) return 0;
    let ended = 0;
    for (const tokenId of [...tokens]) {
      const session = this.byToken.get(tokenId);
      if (!session) continue;
      this.work.sessionsVisited += 1;
      if (!isExpired(session, this.now())) ended += 1;
      this.remove(session);
    }
    return ended;
  }

  async purgeExpired(budget: number): Promise<PurgeResult> {
    const now = this.now();
    let purged = 0;
    let examined = 0;
    while (examined < budget && this.expiry.peekTime() <= now) {
      const tokenId = this.expiry.pop() as string;
      examined += 1;
      const session = this.byToken.get(tokenId);
      if (!session) {
        this.orphanedEntries -= 1; // ended earlier: nothing to purge
        continue;
      }
      const at = expiresAt(session);
      if (at <= now) {
        // Its queue entry was just popped: unindex it without counting an orphaned entry (counting
        // one here made orphanedEntries drift upwards with every purge, and the queue was then
        // rebuilt, in the middle of a sweep, long before it held any orphan).
        this.unindex(session);
        purged += 1;
      } else {
        this.expiry.push(at, tokenId); // idle timer was reset since this entry was queued
      }
    }
    return { purged, more: this.expiry.peekTime() <= now };
  }

  async count(): Promise<number> {
    return this.byToken.size;
  }

  async clear(): Promise<void> {
    this.byToken.clear();
    this.tokenByHandle.clear();
    this.tokensByUser.clear();
    this.tokensByRealm.clear();
    this.expiry.clear();
    this.orphanedEntries = 0;
  }

  /** The session if it exists and has not expired; an expired one is removed on the spot. */
  private live(tokenId: string): MutableSession | undefined {
    const session = this.byToken.get(tokenId);
    if (!session) return undefined;
    this.work.sessionsVisited += 1;
    if (isExpired(session, this.now())) {
      this.remove(session);
      return undefined;
    }
    return session;
  }

  private liveOf(tokens: Iterable<string> | undefined): Session[] {
    if (!tokens) return [];
    const result: Session[] = [];
    for (const tokenId of [...tokens]) {
      const session = this.live(tokenId);
      if (session) result.push(session);
    }
    return result;
  }

  private remove(session: MutableSession): void {
    this.unindex(session);
    // Its queue entry stays until its time comes, which on a frozen clock may be never: when the
    // orphans outnumber the live sessions, rebuild the queue from the live ones.
    this.orphanedEntries += 1;
    if (this.orphanedEntries > Math.max(1024, this.byToken.size)) this.rebuildQueue();
  }

  /** Takes the session out of the map and every index (not out of the expiry queue). */
  private unindex(session: MutableSession): void {
    this.byToken.delete(session.tokenId);
    this.tokenByHandle.delete(session.handle);
    removeFrom(this.tokensByUser, userKey(session.realm, session.userId), session.tokenId);
    removeFrom(this.tokensByRealm, session.realm, session.tokenId);
  }

  private rebuildQueue(): void {
    this.expiry.clear();
    for (const session of this.byToken.values()) this.expiry.push(expiresAt(session), session.tokenId);
    this.orphanedEntries = 0;
  }

  /**
   * Checks that every index agrees with the primary map and returns what does not (empty when
   * all is well). For tests (fuzz, concurrency); it visits everything, so never on a request path.
   *
   * - byToken: each session is stored under its own tokenId.
   * - tokenByHandle: one entry per session, mapping its handle to its token, and nothing else.
   * - tokensByUser / tokensByRealm: each session listed exactly under its realm+user and its
   *   realm, no token of an ended session, no empty set left behind; sizes add up.
   * - the expiry queue: a heap; exactly one entry per stored session, due no later than the
   *   session's expiry (an early entry is re-queued when popped; a late one would keep an
   *   expired session in memory); the remaining entries are those of ended sessions and number
   *   `orphanedEntries`.
   */
  checkInvariants(): string[] {
    const violations: string[] = [];
    const short = (token: string) => `${token.slice(0, 8)}…`;
    for (const [key, session] of this.byToken) {
      if (session.tokenId !== key)
        violations.push(`byToken: ${short(key)} holds the session of ${short(session.tokenId)}`);
      if (this.tokenByHandle.get(session.handle) !== key)
        violations.push(`tokenByHandle: the handle of ${short(key)} does not map to it`);
      if (!this.tokensByUser.get(userKey(session.realm, session.userId))?.has(key))
        violations.push(`tokensByUser: ${short(key)} missing under its user`);
      if (!this.tokensByRealm.get(session.realm)?.has(key))
        violations.push(`tokensByRealm: ${short(key)} missing under its realm`);
    }
    if (this.tokenByHandle.size !== this.byToken.size)
      violations.push(`tokenByHandle has ${this.tokenByHandle.size} entries for ${this.byToken.size} sessions`);
    for (const [handle, token] of this.tokenByHandle) {
      if (this.byToken.get(token)?.handle !== handle)
        violations.push(
          `tokenByHandle: ${handle.slice(0, 16)}… maps to ${short(token)}, not a session with that handle`,
        );
    }
    const checkIndex = (name: string, index: Map<string, Set<string>>, keyOf: (session: MutableSession) => string) => {
      let total = 0;
      for (const [key, tokens] of index) {
        if (tokens.size === 0) violations.push(`${name}: an empty set is left under ${JSON.stringify(key)}`);
        total += tokens.size;
        for (const token of tokens) {
          const session = this.byToken.get(token);
          if (!session) violations.push(`${name}: ${short(token)} is listed but not stored`);
          else if (keyOf(session) !== key)
            violations.push(`${name}: ${short(token)} is listed under ${JSON.stringify(key)}, not its own key`);
        }
      }
      if (total !== this.byToken.size)
        violations.push(`${name} lists ${total} tokens for ${this.byToken.size} sessions`);
    };
    checkIndex('tokensByUser', this.tokensByUser, (session) => userKey(session.realm, session.userId));
    checkIndex('tokensByRealm', this.tokensByRealm, (session) => session.realm);
    if (!this.expiry.isHeap()) violations.push('the expiry queue is not a heap');
    const queued = new Map<string, number>();
    let orphans = 0;
    for (const [at, token] of this.expiry.entries()) {
      const session = this.byToken.get(token);
      if (!session) {
        orphans += 1;
        continue;
      }
      queued.set(token, (queued.get(token) ?? 0) + 1);
      if (at > expiresAt(session)) violations.push(`expiry queue: ${short(token)} is queued after its expiry`);
    }
    for (const token of this.byToken.keys()) {
      const n = queued.get(token) ?? 0;
      if (n !== 1) violations.push(`expiry queue: ${short(token)} has ${n} entries, not 1`);
    }
    if (orphans !== this.orphanedEntries)
      violations.push(
        `expiry queue: ${orphans} entries of ended sessions, but orphanedEntries says ${this.orphanedEntries}`,
      );
    return violations;
  }

  /** Entries in the expiry queue (for tests of its bound). */
  get queuedEntries(): number {
    return this.expiry.size;
  }
}

function addTo(index: Map<string, Set<string>>, key: string, tokenId: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(tokenId);
}

function removeFrom(index: Map<string, Set<string>>, key: string, tokenId: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(tokenId);
  if (set.size === 0) index.delete(key);
}
