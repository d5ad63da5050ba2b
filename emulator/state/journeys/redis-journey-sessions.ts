/**
 * Journeys in progress kept in Redis, so that every instance of a tenant can continue any of
 * them: the step a client posts back may reach another instance than the one that sent it
 * (authIds are signed with the tenant's shared secret, tenantKeys().authIdSecret).
 *
 * One JSON value per journey session (its state is plain JSON by design, state.ts). Expiry
 * follows the tenant clock on every read, as in the memory store; the Redis TTL (the time left
 * on the tenant clock plus a margin) only collects what nobody finished.
 */
import type { RedisClient } from '../../core/redis-connection.js';
import { deletePrefix } from '../../core/redis-connection.js';
import type { JourneySession, JourneySessionStore } from './journey-sessions.js';

/** A day: a journey on a frozen clock may wait that long in real time. */
const BACKSTOP_MS = 24 * 3600 * 1000;

export class RedisJourneySessionStore implements JourneySessionStore {
  constructor(
    private readonly client: RedisClient,
    /** tenantKeys(prefix).journeys */
    private readonly prefix: string,
    private readonly now: () => number,
  ) {}

  async put(session: JourneySession): Promise<void> {
    const ttl = Math.max(1_000, Math.ceil(session.expiresAt - this.now()) + BACKSTOP_MS);
    await this.client.set(this.key(session.id), JSON.stringify(session), 'PX', ttl);
  }

  async get(id: string): Promise<JourneySession | undefined> {
    const text = await this.client.get(this.key(id));
    if (text === null) return undefined;
    let session: JourneySession;
    try {
      session = JSON.parse(text) as JourneySession;
    } catch {
      return undefined;
    }
    if (this.now() >= session.expiresAt) {
      await this.client.del(this.key(id));
      return undefined;
    }
    return session;
  }

  async delete(id: string): Promise<void> {
    await this.client.del(this.key(id));
  }

  async clear(): Promise<void> {
    await deletePrefix(this.client, this.prefix);
  }

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }
}
