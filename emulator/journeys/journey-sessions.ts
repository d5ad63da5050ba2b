/**
 * Server-side journey sessions: where a journey in progress waits between steps (AM's CTS_AUTH
 * journey session). The `authId` names one; each step issues a new authId and only the latest is
 * accepted, so a replayed step is refused. Expiry follows the authId's (15 minutes on the tenant
 * clock). Bounded: the oldest sessions go first.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CallbackSpec } from './callbacks.js';
import type { TreeState } from './state.js';

export interface JourneySession {
  readonly id: string;
  readonly realm: string;
  /** The journey the request named (the top tree). */
  readonly journey: string;
  readonly otk: string;
  state: TreeState;
  /** The callbacks of the step the journey waits on, to read the answers against. */
  pending: CallbackSpec[];
  /** SHA-256 of the one authId that may continue it. */
  authIdDigest: string;
  expiresAt: number;
  steps: number;
  runId: string;
  readonly options: JourneyOptions;
}

export interface JourneyOptions {
  noSession: boolean;
  forceAuth: boolean;
  goto: string | undefined;
  gotoOnFail: string | undefined;
  /** The session the journey started with, which a successful end replaces. */
  existingSessionToken: string | undefined;
}

export const digestAuthId = (authId: string): string => createHash('sha256').update(authId).digest('hex');

export const newJourneySessionId = (): string => randomBytes(20).toString('base64url');
export const newOtk = (): string => randomBytes(16).toString('hex').slice(0, 26);

/**
 * Where journeys in progress wait between steps. Async, so that several instances can share
 * them through Redis (redis-journey-sessions.ts): a journey begun on one instance continues on
 * another. A store answers only live sessions: one past `expiresAt` (tenant clock) is gone.
 *
 * `get` answers a session the caller may change; the change counts once it is `put` back.
 */
export interface JourneySessionStore {
  put(session: JourneySession): Promise<void>;
  /** The live journey session, or undefined when it is unknown, finished or expired. */
  get(id: string): Promise<JourneySession | undefined>;
  delete(id: string): Promise<void>;
  /** Ends every journey in progress (the tenant's reset). */
  clear(): Promise<void>;
}

/** The default store: in memory, bounded (the oldest sessions go first). */
export class MemoryJourneySessionStore implements JourneySessionStore {
  private readonly sessions = new Map<string, JourneySession>();

  constructor(
    private readonly now: () => number,
    private readonly capacity = 100_000,
  ) {}

  async put(session: JourneySession): Promise<void> {
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.capacity) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
  }

  async get(id: string): Promise<JourneySession | undefined> {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.now() >= session.expiresAt) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  async delete(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  async clear(): Promise<void> {
    this.sessions.clear();
  }

  /** The live sessions (for a state file). */
  list(): JourneySession[] {
    const now = this.now();
    return [...this.sessions.values()].filter((session) => now < session.expiresAt);
  }
}
