/**
 * Journey runs, for the console and `GET /__emulator/runs`: the path a run took, node by node,
 * with each node's outcome, state changes, script logs and outbound calls. Bounded (a ring
 * buffer), and secrets are masked as they are recorded: passwords, session tokens and anything
 * stored under a secret-sounding key.
 */
import { randomUUID } from 'node:crypto';
import { RingBuffer } from '../../core/ring-buffer.js';
import { maskSecret, maskToken } from '../journal.js';
import { isoMillis } from '../../core/clock.js';
import type { JsonObject, JsonValue } from './tree-state.js';

export interface StateChange {
  key: string;
  /** Absent when the key was added. */
  before?: JsonValue;
  /** Absent when the key was removed. */
  after?: JsonValue;
}

export interface LogLine {
  level: string;
  message: string;
}

export interface OutboundCall {
  method: string;
  url: string;
  status?: number;
  error?: string;
  /** How the call was answered: by the tenant itself, by a stub, by the network, or refused. */
  servedBy: 'tenant' | 'stub' | 'network' | 'refused';
  durationMs: number;
}

export interface NodeVisit {
  /** The tree the node belongs to (inner trees' nodes carry their own tree's name). */
  journey: string;
  nodeId: string;
  displayName: string;
  nodeType: string;
  /** The outcome taken, or absent when the node sent callbacks or failed. */
  outcome?: string;
  /** Callback types sent, when the node asked for input. */
  callbacks?: string[];
  /**
   * The node's type is one the emulator cannot run: it ran as a stub (a configured one's id, or
   * `default` for its first outcome; docs/fidelity.md, "Nodes").
   */
  stubbed?: string;
  error?: string;
  startedAt: string;
  durationMs: number;
  shared: StateChange[];
  transient: StateChange[];
  logs: LogLine[];
  outbound: OutboundCall[];
}

export const RUN_STATUSES = ['in-progress', 'suspended', 'success', 'failure', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Which runs to list: by user (`_id`, or userName in any case), journey, status, realm. */
export interface RunFilter {
  user?: string | undefined;
  journey?: string | undefined;
  status?: RunStatus | undefined;
  realm?: string | undefined;
}

export interface RunRecord {
  id: string;
  journey: string;
  realm: string;
  /** The journey's version when the run began (JourneyRegistry.journeyVersion): which deployment of it ran. */
  journeyVersion?: string;
  startedAt: string;
  updatedAt: string;
  status: RunStatus;
  /** Requests the run took (one per step). */
  steps: number;
  /**
   * Whose run it is, as soon as the journey knows (issue 21): the signed-in user a journey began
   * with, the user a node identified, or the existing user whose userName a node put in shared
   * state (a failed sign-in of an existing user is that user's run).
   */
  user?: { _id: string; userName: string };
  /**
   * The node whose outcome led to the run's end: the last node visited before Failure or Success
   * (an inner journey's node included), or the node that failed with an error.
   */
  decidedBy?: { journey: string; nodeId: string; displayName: string; nodeType: string; outcome?: string };
  error?: string;
  visits: NodeVisit[];
}

const SECRET_KEY = /pass(word)?|secret|token|cookie|otp/i;
/** Visits kept per run: a runaway loop between nodes must not grow a record without limit. */
const MAX_VISITS = 500;
const MAX_LOGS_PER_VISIT = 200;
const MAX_LINE = 2000;
/**
 * How much of a text is masked: a line shows MAX_LINE characters, and even a line of nothing but
 * masked tokens fills those from well under this. A script can log, or put in shared state, a
 * value of any size (24 million characters took 3.7 s of the main thread to mask whole, at every
 * node); its masking costs what this much does.
 */
const MASK_WINDOW = 64 * 1024;
/** A session token (sessions/tokens.ts): 27 URL-safe base64 characters, `.*`, a blob of `[A-Za-z0-9+/.]`, `*`. */
const TOKEN_ID_LENGTH = 27;

/**
 * `text` as the runs view shows it: session tokens and the `secrets` given (secret ESVs' values)
 * masked, cut to MAX_LINE characters. One pass over at most MASK_WINDOW characters, whatever the
 * text's length. Tokens are found as /[A-Za-z0-9_-]{27}\.\*[A-Za-z0-9+/.]+\*\/g found them, each
 * secret's occurrences as `split` did; where two of these overlap (a secret running into a token),
 * they are masked together, so that no part of either is shown.
 */
export function maskText(text: string, secrets: readonly string[] = []): string {
  const cut = text.length > MASK_WINDOW;
  const window = cut ? text.slice(0, MASK_WINDOW) : text;
  const needles = [...new Set(secrets)].filter((secret) => secret.length > 0);
  // When the text goes on past the window, what starts near its end might be the head of a token
  // or a secret that the window does not hold whole: it is not shown at all.
  const shown = cut
    ? Math.max(0, MASK_WINDOW - Math.max(TOKEN_ID_LENGTH + 2, ...needles.map((needle) => needle.length)))
    : window.length;
  const spans: Span[] = [];
  for (let token = findToken(window, 0, cut); token && token.start < shown; token = findToken(window, token.end, cut))
    spans.push({ ...token, secret: false });
  for (const needle of needles) {
    for (let at = window.indexOf(needle); at >= 0 && at < shown; at = window.indexOf(needle, at + needle.length))
      spans.push({ start: at, end: at + needle.length, secret: true });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let masked = '';
  let at = 0;
  for (let index = 0; index < spans.length && masked.length <= MAX_LINE;) {
    const { start } = spans[index] as Span;
    let { end, secret } = spans[index] as Span;
    // Overlapping spans are one (touching ones stay apart, as back-to-back tokens always were);
    // a token that a secret runs into is masked whole, as the secret is.
    for (index += 1; index < spans.length && (spans[index] as Span).start < end; index += 1) {
      end = Math.max(end, (spans[index] as Span).end);
      secret ||= (spans[index] as Span).secret;
    }
    const text = window.slice(start, end);
    masked += `${window.slice(at, start)}${secret ? maskSecret(text) : maskToken(text, needles)}`;
    at = end;
  }
  if (masked.length <= MAX_LINE && at < shown) {
    // Plain text to the end, or one character past what is shown (which says the line goes on).
    const upTo = Math.min(shown, at + MAX_LINE + 1 - masked.length);
    masked += window.slice(at, upTo);
    at = upTo;
  }
  if (!cut && at >= window.length && masked.length <= MAX_LINE) return masked;
  return `${masked.slice(0, MAX_LINE)}...`;
}

interface Span {
  start: number;
  end: number;
  /** A secret's (masked whole), not only a session token's (its head shown). */
  secret: boolean;
}

function isTokenIdChar(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 95 /* _ */ ||
    code === 45
  ); /* - */
}

function isTokenBlobChar(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 43 /* + */ ||
    code === 47 /* / */ ||
    code === 46
  ); /* . */
}

/**
 * The first token that starts at or after `from`, found from its `.*`. Each character is looked at
 * a bounded number of times: the 27 before a `.*` are checked back only to the previous non-token
 * character, and a blob cannot hold the next `.*` (a `*` ends it). With `open` (the text goes on
 * past its end) a blob that runs to the end is taken for a token's.
 */
function findToken(text: string, from: number, open: boolean): { start: number; end: number } | undefined {
  for (let dot = text.indexOf('.*', from + TOKEN_ID_LENGTH); dot >= 0; dot = text.indexOf('.*', dot + 1)) {
    let idLength = 0;
    while (idLength < TOKEN_ID_LENGTH && isTokenIdChar(text.charCodeAt(dot - 1 - idLength))) idLength += 1;
    if (idLength < TOKEN_ID_LENGTH) continue;
    let end = dot + 2;
    while (end < text.length && isTokenBlobChar(text.charCodeAt(end))) end += 1;
    if (end > dot + 2 && text[end] === '*') return { start: dot - TOKEN_ID_LENGTH, end: end + 1 };
    if (end === text.length && open) return { start: dot - TOKEN_ID_LENGTH, end };
  }
  return undefined;
}

function maskStateValue(key: string, value: JsonValue, secrets: readonly string[]): JsonValue {
  if (typeof value === 'string') return SECRET_KEY.test(key) ? maskSecret(value) : maskText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskStateValue(key, item, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([inner, item]) => [inner, maskStateValue(inner, item, secrets)]),
    );
  }
  return value;
}

/** What changed between two states, values masked (secret-looking keys, tokens, the `secrets` given). */
export function diffState(before: JsonObject, after: JsonObject, secrets: readonly string[] = []): StateChange[] {
  const changes: StateChange[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const had = Object.hasOwn(before, key);
    const has = Object.hasOwn(after, key);
    if (had && has && (before[key] === after[key] || JSON.stringify(before[key]) === JSON.stringify(after[key])))
      continue;
    changes.push({
      key,
      ...(had ? { before: maskStateValue(key, before[key] as JsonValue, secrets) } : {}),
      ...(has ? { after: maskStateValue(key, after[key] as JsonValue, secrets) } : {}),
    });
  }
  return changes;
}

/** When each visit of a run started (tenant clock ms, by visit index), formatted only when the run is read. */
const visitTimes = new WeakMap<RunRecord, number[]>();

export class RunRecorder {
  private current: NodeVisit | undefined;
  /** The visit begun last, kept or not (an inner journey's node begins after the node that runs it). */
  private latest: NodeVisit | undefined;

  constructor(
    readonly record: RunRecord,
    private readonly nowMs: () => number,
    private readonly secrets: () => readonly string[] = () => [],
    /** False when runs are not kept (runHistorySize 0): then nothing is worth working out for them. */
    readonly recording = true,
  ) {}

  /** Starts recording a node's visit; `end` completes it. */
  begin(visit: Omit<NodeVisit, 'shared' | 'transient' | 'logs' | 'outbound' | 'durationMs' | 'startedAt'>): NodeVisit {
    const entry: NodeVisit = {
      journey: visit.journey,
      nodeId: visit.nodeId,
      displayName: visit.displayName,
      nodeType: visit.nodeType,
      startedAt: '',
      durationMs: 0,
      shared: NO_CHANGES,
      transient: NO_CHANGES,
      logs: [],
      outbound: [],
    };
    if (this.recording && this.record.visits.length < MAX_VISITS) {
      let times = visitTimes.get(this.record);
      if (!times) visitTimes.set(this.record, (times = []));
      times[this.record.visits.length] = this.nowMs();
      this.record.visits.push(entry);
    }
    this.current = entry;
    this.latest = entry;
    return entry;
  }

  log(level: string, message: string): void {
    const visit = this.current;
    if (visit && visit.logs.length < MAX_LOGS_PER_VISIT)
      visit.logs.push({ level, message: maskText(message, this.secrets()) });
  }

  outbound(call: OutboundCall): void {
    this.current?.outbound.push({ ...call, url: maskText(call.url, this.secrets()) });
  }

  /** Makes `visit` the one logs and calls go to again (after a child node's visit ended). */
  resume(visit: NodeVisit): void {
    this.current = visit;
  }

  touch(): void {
    if (this.recording) this.record.updatedAt = isoMillis(this.nowMs());
  }

  /** Says whose run it is, once (the first user the journey knows stays). */
  identify(user: { _id: string; userName: string }): void {
    this.record.user ??= { _id: user._id, userName: user.userName };
  }

  /** The run ended: the last visit is the node that decided it (issue 21, "from a failure to its cause"). */
  decided(): void {
    const last = this.latest ?? this.record.visits.at(-1);
    if (!last) return;
    this.record.decidedBy = {
      journey: last.journey,
      nodeId: last.nodeId,
      displayName: last.displayName,
      nodeType: last.nodeType,
      ...(last.outcome !== undefined ? { outcome: last.outcome } : {}),
    };
  }
}

/** A run as the control API shows it: its visits' start times written out. */
function withTimes(record: RunRecord): RunRecord {
  const times = visitTimes.get(record);
  record.visits.forEach((visit, index) => {
    const at = times?.[index];
    if (visit.startedAt === '' && at !== undefined) visit.startedAt = isoMillis(at);
  });
  return record;
}

/** The state changes of a visit before any are known (replaced, never added to). */
const NO_CHANGES: StateChange[] = Object.freeze([]) as unknown as StateChange[];

export class RunHistory {
  private readonly runs: RingBuffer<RunRecord>;
  private readonly byId = new Map<string, RunRecord>();

  constructor(
    capacity: number,
    private readonly nowMs: () => number,
    /** Values to mask wherever a run shows them (secret ESVs). */
    private readonly secrets: () => readonly string[] = () => [],
  ) {
    this.runs = new RingBuffer(capacity);
  }

  start(journey: string, realm: string, journeyVersion?: string): RunRecorder {
    const time = isoMillis(this.nowMs());
    const record: RunRecord = {
      id: randomUUID(),
      journey,
      realm,
      ...(journeyVersion !== undefined ? { journeyVersion } : {}),
      startedAt: time,
      updatedAt: time,
      status: 'in-progress',
      steps: 0,
      visits: [],
    };
    const evicted = this.runs.size === this.runs.capacity ? this.runs.oldest() : undefined;
    if (evicted) this.byId.delete(evicted.id);
    this.runs.push(record);
    if (this.runs.capacity > 0) this.byId.set(record.id, record);
    return new RunRecorder(record, this.nowMs, this.secrets, this.runs.capacity > 0);
  }

  /** A recorder for a run still in the history (a journey's later step). */
  resume(id: string): RunRecorder | undefined {
    const record = this.byId.get(id);
    return record ? new RunRecorder(record, this.nowMs, this.secrets) : undefined;
  }

  get(id: string): RunRecord | undefined {
    const record = this.byId.get(id);
    return record ? withTimes(record) : undefined;
  }

  /** The runs, oldest first; with a filter, only those that match all of it. */
  list(filter: RunFilter = {}): RunRecord[] {
    const user = filter.user?.toLowerCase();
    return this.runs
      .toArray()
      .filter(
        (run) =>
          (filter.journey === undefined || run.journey === filter.journey) &&
          (filter.status === undefined || run.status === filter.status) &&
          (filter.realm === undefined || run.realm === filter.realm) &&
          (user === undefined ||
            (run.user !== undefined && (run.user._id === filter.user || run.user.userName.toLowerCase() === user))),
      )
      .map(withTimes);
  }

  clear(): void {
    this.runs.clear();
    this.byId.clear();
  }
}
