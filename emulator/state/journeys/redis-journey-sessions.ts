/**
 * Journeys in progress kept in Redis, so that every instance of a tenant can continue any of
 * them: the step a client posts back may reach another instance than the one that sent it
 * (authIds are signed with the tenant's shared secret, tenantKeys().authIdSecret).
 *
 * One JSON value per journey session (its state is plain JSON by design, state.ts), written with
 * `authIdDigest` first, so that a claim (one Lua script: compare the digest, blank it) takes a
 * step atomically whichever instance asks. Expiry follows the tenant clock on every read, as in
 * the memory store; the Redis TTL (the time left on the tenant clock plus a margin) only collects
 * what nobody finished.
 */
import type { RedisClient } from '../../core/redis-connection.js';
import { deletePrefix, LuaScript, storeCall } from '../../core/redis-connection.js';
import type { JourneySession, JourneySessionStore } from './journey-sessions.js';

/** A day: a journey on a frozen clock may wait that long in real time. */
const BACKSTOP_MS = 24 * 3600 * 1000;

/** How every stored session's JSON begins, up to its digest's closing quote. */
const digestPrefix = (digest: string): string => `{"authIdDigest":${JSON.stringify(digest)}`;

/**
 * ARGV: key, the prefix the value must begin with (its digest), the prefix it is given instead
 * (the digest blanked). Answers the value as it was, or nil (no such session, another step's
 * authId, a step already claimed); the TTL is kept.
 */
const CLAIM = new LuaScript(`
local value = redis.call('GET', ARGV[1])
if not value or string.sub(value, 1, #ARGV[2]) ~= ARGV[2] then return false end
local taken = ARGV[3] .. string.sub(value, #ARGV[2] + 1)
local ttl = redis.call('PTTL', ARGV[1])
if ttl > 0 then redis.call('SET', ARGV[1], taken, 'PX', ttl) else redis.call('SET', ARGV[1], taken) end
return value
`);

export class RedisJourneySessionStore implements JourneySessionStore {
  constructor(
    private readonly client: RedisClient,
    /** tenantKeys(prefix).journeys */
    private readonly prefix: string,
    private readonly now: () => number,
  ) {}

  async put(session: JourneySession): Promise<void> {
    const ttl = Math.max(1_000, Math.ceil(session.expiresAt - this.now()) + BACKSTOP_MS);
    // The digest first: what a claim compares.
    const { authIdDigest, ...rest } = session;
    const text = JSON.stringify({ authIdDigest, ...rest });
    await storeCall(() => this.client.set(this.key(session.id), text, 'PX', ttl));
  }

  async get(id: string): Promise<JourneySession | undefined> {
    return this.live(id, await storeCall(() => this.client.get(this.key(id))));
  }

  async claim(id: string, authIdDigest: string): Promise<JourneySession | undefined> {
    if (authIdDigest === '') return undefined;
    const text = await CLAIM.run(this.client, [this.key(id), digestPrefix(authIdDigest), digestPrefix('')]);
    const session = await this.live(id, typeof text === 'string' ? text : null);
    if (session) session.authIdDigest = '';
    return session;
  }

  /** The session a stored value holds, unless it has expired on the tenant clock (then it goes). */
  private async live(id: string, text: string | null): Promise<JourneySession | undefined> {
    if (text === null) return undefined;
    let session: JourneySession;
    try {
      session = JSON.parse(text) as JourneySession;
    } catch {
      return undefined;
    }
    if (this.now() >= session.expiresAt) {
      await storeCall(() => this.client.del(this.key(id)));
      return undefined;
    }
    return session;
  }

  async delete(id: string): Promise<void> {
    await storeCall(() => this.client.del(this.key(id)));
  }

  async clear(): Promise<void> {
    await storeCall(() => deletePrefix(this.client, this.prefix));
  }

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }
}
