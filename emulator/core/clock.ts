/**
 * The tenant clock. Every time the emulator reasons about (session idle and max expiry,
 * authId expiry, timestamps in responses) comes from here, so tests move time instead of
 * sleeping.
 *
 * By default the clock follows real time plus an offset that `advance` and `set` change. A
 * frozen clock stands still until moved, which makes timestamps in test output deterministic.
 * The clock never moves backwards: a session that expired cannot come back to life.
 */
import { ChangeFeed } from './change-feed.js';

export interface ClockOptions {
  /** Start time (ISO 8601 or epoch milliseconds). Default: real time. */
  start?: string | number | undefined;
  /** When true the clock only moves when told to. */
  frozen?: boolean | undefined;
}

export class ClockError extends Error {}

/** A hundred years: far enough for any test, near enough to keep dates printable. */
const MAX_ADVANCE_SECONDS = 100 * 365 * 24 * 3600;

export type ClockListener = (now: number) => void;

/**
 * What a change did to the clock: moved it (`advance`, `set`), froze or unfroze it (`freeze`:
 * the time stays), or took over a state decided elsewhere (`restore`: a state file, another
 * instance). `now` is the time after the change, `state` the clock's state after it.
 */
export interface ClockChange {
  type: 'advance' | 'set' | 'freeze' | 'restore';
  now: number;
  state: ClockState;
}

/**
 * What the clock is, as data: a state file keeps it, and the instances of a tenant sharing Redis
 * pass it around. A running clock is an offset from real time (the same on every host whose
 * clock is synchronised), a frozen one the instant it stands at.
 */
export interface ClockState {
  offsetMs: number;
  frozenAt: number | null;
}

export class TenantClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;
  /** Every change but `reset()`, whose caller (the tenant's reset) announces it itself. */
  readonly changes = new ChangeFeed<ClockChange>();

  constructor(
    private readonly options: ClockOptions = {},
    private readonly realNow: () => number = Date.now,
  ) {
    this.reset();
  }

  now(): number {
    return this.frozenAt ?? this.realNow() + this.offsetMs;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  advance(seconds: number): number {
    return this.moveTo(this.checkAdvance(seconds), 'advance');
  }

  set(time: string | number): number {
    return this.moveTo(this.checkSet(time), 'set');
  }

  /** The time `advance(seconds)` would move to; throws ClockError for a bad amount, changing nothing. */
  checkAdvance(seconds: unknown): number {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
      throw new ClockError(`advanceSeconds must be a number of seconds between 0 and ${MAX_ADVANCE_SECONDS}`);
    }
    return this.now() + Math.round(seconds * 1000);
  }

  /** The time `set(time)` would move to; throws ClockError for a bad or earlier time, changing nothing. */
  checkSet(time: string | number): number {
    const target = typeof time === 'number' ? time : parseIsoTime(time);
    if (target === undefined || !Number.isFinite(target)) throw new ClockError(`not an ISO 8601 time: ${String(time)}`);
    const now = this.now();
    if (target < now) {
      throw new ClockError(`the tenant clock cannot move backwards (now ${new Date(now).toISOString()})`);
    }
    return target;
  }

  freeze(frozen: boolean): void {
    const now = this.now();
    if (frozen) {
      this.frozenAt = now;
    } else {
      this.frozenAt = undefined;
      this.offsetMs = now - this.realNow();
    }
    this.changed('freeze', now);
  }

  /** Back to the configured start: used by the tenant's reset, which also empties the session store. */
  reset(): void {
    const start = this.options.start === undefined ? undefined : toEpoch(this.options.start);
    const real = this.realNow();
    this.offsetMs = start === undefined ? 0 : start - real;
    this.frozenAt = this.options.frozen ? (start ?? real) : undefined;
  }

  state(): ClockState {
    return { offsetMs: this.offsetMs, frozenAt: this.frozenAt ?? null };
  }

  /**
   * Takes over a saved or shared state. Unlike `set`, it may go back (another instance's reset,
   * a state file written earlier): it replays a decision already taken, it is not a move.
   */
  restore(state: ClockState): void {
    this.offsetMs = state.offsetMs;
    this.frozenAt = state.frozenAt ?? undefined;
    this.changed('restore', this.now());
  }

  /** Hears of the time moving (`advance`, `set`, `restore`; not a freeze, which keeps it): the sweeper's feed. */
  onChange(listener: ClockListener): () => void {
    return this.changes.on((change) => {
      if (change.type !== 'freeze') listener(change.now);
    });
  }

  private moveTo(target: number, type: 'advance' | 'set'): number {
    if (this.frozenAt !== undefined) this.frozenAt = target;
    else this.offsetMs = target - this.realNow();
    this.changed(type, target);
    return target;
  }

  private changed(type: ClockChange['type'], now: number): void {
    if (this.changes.listening) this.changes.emit({ type, now, state: this.state() });
  }
}

function toEpoch(value: string | number): number {
  if (typeof value === 'number') return value;
  const parsed = parseIsoTime(value);
  if (parsed === undefined) throw new ClockError(`clock.start is not an ISO 8601 time: ${value}`);
  return parsed;
}

/** Accepts ISO 8601 date-times only (not the many formats `Date.parse` guesses at). */
export function parseIsoTime(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** AM's session timestamps: ISO 8601 UTC at second precision, e.g. `2026-07-10T01:34:08Z`. */
export function isoSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds !== lastSeconds.at)
    lastSeconds = { at: seconds, text: new Date(seconds * 1000).toISOString().replace('.000Z', 'Z') };
  return lastSeconds.text;
}

// The last time formatted, per precision: one request formats the same instant many times
// (every node of a journey, every time field of a session), and toISOString is not free.
let lastSeconds = { at: NaN, text: '' };
let lastMillis = { at: NaN, text: '' };

/** The query result's `latestAccessTime`: millisecond precision, e.g. `2024-01-15T07:42:42.544Z`. */
export function isoMillis(ms: number): string {
  if (ms !== lastMillis.at) lastMillis = { at: ms, text: new Date(ms).toISOString() };
  return lastMillis.text;
}
