/**
 * Server-side journey sessions: where a journey in progress waits between steps (AM's CTS_AUTH
 * journey session). The `authId` names one; each step issues a new authId (with a new `otk`, so
 * two steps never share one, even within the same second) and only the latest is accepted, once:
 * a step is claimed (`claim`) before it runs, so a replayed step, or the same step posted twice at
 * once, is refused. Expiry follows the authId's (15 minutes on the tenant clock). Bounded: the
 * oldest sessions go first.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CallbackSpec } from './callbacks.js';
import type { TreeState } from './tree-state.js';

export interface JourneySession {
  readonly id: string;
  readonly realm: string;
  /** The journey the request named (the top tree). */
  readonly journey: string;
  /** The `otk` of the latest authId: AM draws a new one for each authId (AuthIdHelper.generateAuthId). */
  otk: string;
  state: TreeState;
  /** The callbacks of the step the journey waits on, to read the answers against. */
  pending: CallbackSpec[];
  /** SHA-256 of the one authId that may continue it; `''` once that step is claimed (no authId may). */
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
/**
 * An authId's one-time key as AM draws it: `new BigInteger(130, SecureRandom).toString(32)` (AM:
 * AuthIdHelper.generateAuthId), i.e. 130 random bits in base 32 (`0-9a-v`), up to 26 characters.
 */
export function newOtk(): string {
  const bits = BigInt(`0x${randomBytes(17).toString('hex')}`) & ((1n << 130n) - 1n);
  return bits.toString(32);
}

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
  /**
   * Takes the step the authId of digest `authIdDigest` continues, atomically (across instances
   * too): answers the live session when that authId is its latest, and marks it answered (its
   * digest becomes `''`), so that a second claim of the same step, concurrent or later, answers
   * undefined. The caller `put`s the session with its next step's digest, or deletes it.
   */
  claim(id: string, authIdDigest: string): Promise<JourneySession | undefined>;
  delete(id: string): Promise<void>;
  /** Ends every journey in progress (the tenant's reset). */
  clear(): Promise<void>;
}

/**
 * The default store: in memory, bounded in number and in size (the JSON of their states, summed):
 * past either bound the oldest sessions go first, so journeys left waiting by a hostile client
 * (each a script's whole allowed state) cannot take the emulator's memory.
 */
export class MemoryJourneySessionStore implements JourneySessionStore {
  private readonly sessions = new Map<string, JourneySession>();
  /** Each session's size as counted when it was put. */
  private readonly sizes = new Map<string, number>();
  private totalChars = 0;

  constructor(
    private readonly now: () => number,
    private readonly capacity = 100_000,
    private readonly capacityChars = 256 * 1024 * 1024,
  ) {}

  async put(session: JourneySession): Promise<void> {
    this.forget(session.id);
    const size = sessionSize(session);
    this.sessions.set(session.id, session);
    this.sizes.set(session.id, size);
    this.totalChars += size;
    while (this.sessions.size > this.capacity || (this.totalChars > this.capacityChars && this.sessions.size > 1)) {
      this.forget(this.sessions.keys().next().value as string);
    }
  }

  private forget(id: string): void {
    if (!this.sessions.delete(id)) return;
    this.totalChars -= this.sizes.get(id) ?? 0;
    this.sizes.delete(id);
  }

  /** What the sessions held take, as counted (for tests of the bound). */
  get sizeChars(): number {
    return this.totalChars;
  }

  async get(id: string): Promise<JourneySession | undefined> {
    return this.live(id);
  }

  async claim(id: string, authIdDigest: string): Promise<JourneySession | undefined> {
    // Synchronous from the lookup to the mark: no other request runs in between.
    const session = this.live(id);
    if (!session || authIdDigest === '' || session.authIdDigest !== authIdDigest) return undefined;
    session.authIdDigest = '';
    return session;
  }

  private live(id: string): JourneySession | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.now() >= session.expiresAt) {
      this.forget(id);
      return undefined;
    }
    return session;
  }

  async delete(id: string): Promise<void> {
    this.forget(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  async clear(): Promise<void> {
    this.sessions.clear();
    this.sizes.clear();
    this.totalChars = 0;
  }

  /** The live sessions (for a state file). */
  list(): JourneySession[] {
    const now = this.now();
    return [...this.sessions.values()].filter((session) => now < session.expiresAt);
  }
}

/** A journey session's size: its state (inner journeys' included) and pending callbacks as JSON text. */
function sessionSize(session: JourneySession): number {
  return JSON.stringify(session.state).length + JSON.stringify(session.pending).length;
}
