/**
 * Fault injection for AM requests (DESIGN.md control API `POST faults`).
 *
 * A fault matches by method, path and `_action` (each optional; all given must match) and then
 * answers instead of the emulator: with a status, headers and body, after an optional delay, or
 * by dropping the connection (`reset`). A fault with only `delayMs` slows the request down and
 * lets the emulator answer it. `times` limits how often it fires; `probability` makes it fire
 * at random, from a seeded generator when `seed` is given so that a failing run can be replayed.
 */
import { randomUUID } from 'node:crypto';
import { ChangeFeed, type ListChange } from '../core/change-feed.js';

export interface FaultSpec {
  method?: string;
  /** Matches the request path (without query) or any path ending with it at a `/`: `/sessions`. */
  path?: string;
  /** Matches `_action`, case-insensitively as AM matches actions. */
  action?: string;
  status?: number;
  headers?: Record<string, string | string[]>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  delayMs?: number;
  reset?: boolean;
  times?: number;
  probability?: number;
  seed?: number;
}

export interface Fault extends FaultSpec {
  readonly id: string;
  /** How many more times it fires; undefined = unlimited. */
  remaining: number | undefined;
  hits: number;
}

export class FaultError extends Error {}

export interface FaultTarget {
  method: string;
  path: string;
  action: string | undefined;
}

const MAX_DELAY_MS = 120_000;
const KNOWN_KEYS = new Set([
  'method',
  'path',
  'action',
  'status',
  'headers',
  'body',
  'delayMs',
  'reset',
  'times',
  'probability',
  'seed',
]);

export class FaultRegistry {
  private readonly faults: Fault[] = [];
  /** add, remove, clear, and a match's use; not `put` (a fault decided elsewhere, taken over). */
  readonly changes = new ChangeFeed<ListChange<Fault>>();
  private readonly random = new Map<string, () => number>();
  private readonly closing = new AbortController();

  /** Aborted when the emulator closes, so that no fault delay holds up shutdown. */
  get signal(): AbortSignal {
    return this.closing.signal;
  }

  abortDelays(): void {
    this.closing.abort();
  }

  add(input: unknown): Fault {
    const spec = validateFault(input);
    const fault: Fault = { ...spec, id: randomUUID(), remaining: spec.times, hits: 0 };
    this.faults.push(fault);
    this.random.set(fault.id, spec.seed === undefined ? Math.random : mulberry32(spec.seed));
    this.changes.emit({ type: 'added', item: fault });
    return fault;
  }

  /**
   * Stores a fault as it is (its id and counters), replacing the one with the same id in place
   * or adding it last: another instance's fault, on a tenant shared through Redis.
   */
  put(fault: Fault): void {
    const copy = { ...fault };
    const index = this.faults.findIndex((existing) => existing.id === fault.id);
    if (index >= 0) {
      this.faults[index] = copy;
    } else {
      this.faults.push(copy);
      this.random.set(copy.id, copy.seed === undefined ? Math.random : mulberry32(copy.seed));
    }
  }

  remove(id: string): boolean {
    const index = this.faults.findIndex((fault) => fault.id === id);
    if (index < 0) return false;
    this.faults.splice(index, 1);
    this.random.delete(id);
    this.changes.emit({ type: 'removed', id });
    return true;
  }

  clear(): void {
    const ids = this.changes.listening ? this.faults.map((fault) => fault.id) : [];
    this.faults.length = 0;
    this.random.clear();
    this.changes.emit({ type: 'cleared', ids });
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** The first fault that matches and fires, with its use counted; undefined if none. */
  match(target: FaultTarget): Fault | undefined {
    if (this.faults.length === 0) return undefined;
    for (const fault of this.faults) {
      if (!matches(fault, target)) continue;
      if (fault.probability !== undefined && (this.random.get(fault.id) ?? Math.random)() >= fault.probability)
        continue;
      fault.hits += 1;
      if (fault.remaining !== undefined) fault.remaining -= 1;
      // Its last use removes it, and `removed` says so.
      if (fault.remaining !== undefined && fault.remaining <= 0) this.remove(fault.id);
      else this.changes.emit({ type: 'used', item: fault });
      return fault;
    }
    return undefined;
  }
}

function matches(fault: Fault, target: FaultTarget): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (fault.action !== undefined && fault.action.toLowerCase() !== (target.action ?? '').toLowerCase()) return false;
  if (fault.path !== undefined && !pathMatches(fault.path, target.path)) return false;
  return true;
}

function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function pathMatches(pattern: string, path: string): boolean {
  const want = stripSlash(pattern);
  const have = stripSlash(path);
  if (have === want) return true;
  const suffix = want.startsWith('/') ? want : `/${want}`;
  return have.endsWith(suffix);
}

function validateFault(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FaultError('a fault must be a JSON object');
  const spec = input as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!KNOWN_KEYS.has(key)) throw new FaultError(`unknown fault field ${JSON.stringify(key)}`);
  }
  const optionalString = (key: string) => {
    if (spec[key] !== undefined && (typeof spec[key] !== 'string' || spec[key] === ''))
      throw new FaultError(`${key} must be a non-empty string`);
  };
  optionalString('method');
  optionalString('path');
  optionalString('action');
  if (typeof spec['path'] === 'string' && spec['path'].includes('?')) {
    throw new FaultError('path matches the path only, without a query string: match the action with "action"');
  }
  const integerIn = (key: string, min: number, max: number) => {
    const value = spec[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)) {
      throw new FaultError(`${key} must be an integer from ${min} to ${max}`);
    }
  };
  integerIn('status', 100, 599);
  integerIn('delayMs', 0, MAX_DELAY_MS);
  integerIn('times', 1, 1_000_000_000);
  integerIn('seed', -2_147_483_648, 4_294_967_295);
  if (spec['probability'] !== undefined) {
    const p = spec['probability'];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new FaultError('probability must be a number from 0 to 1');
  }
  if (spec['reset'] !== undefined && typeof spec['reset'] !== 'boolean')
    throw new FaultError('reset must be a boolean');
  if (spec['headers'] !== undefined) {
    const headers = spec['headers'];
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
      throw new FaultError('headers must be an object');
    for (const [name, value] of Object.entries(headers)) {
      const ok = typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
      if (!ok || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
        throw new FaultError(`header ${JSON.stringify(name)} must have a token name and string values`);
      if ((Array.isArray(value) ? value : [value]).some((item) => /[\r\n\0]/.test(item))) {
        throw new FaultError(`header ${JSON.stringify(name)} has a control character in its value`);
      }
    }
  }
  const answers =
    spec['status'] !== undefined ||
    spec['body'] !== undefined ||
    spec['reset'] === true ||
    spec['delayMs'] !== undefined;
  if (!answers) throw new FaultError('a fault needs at least one of status, body, delayMs or reset');
  return spec;
}

/** A small seeded PRNG (mulberry32): enough for reproducible chaos, not for secrets. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
