/**
 * Journey runs, for the console and `GET /__emulator/runs`: the path a run took, node by node,
 * with each node's outcome, state changes, script logs and outbound calls. Bounded (a ring
 * buffer), and secrets are masked as they are recorded: passwords, session tokens and anything
 * stored under a secret-sounding key.
 */
import { randomUUID } from 'node:crypto';
import { RingBuffer } from '../control/ring-buffer.js';
import { maskSecret } from '../control/journal.js';
import { isoMillis } from '../tenant/clock.js';
import type { JsonObject, JsonValue } from './state.js';

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
  error?: string;
  startedAt: string;
  durationMs: number;
  shared: StateChange[];
  transient: StateChange[];
  logs: LogLine[];
  outbound: OutboundCall[];
}

export type RunStatus = 'in-progress' | 'success' | 'failure' | 'error';

export interface RunRecord {
  id: string;
  journey: string;
  realm: string;
  startedAt: string;
  updatedAt: string;
  status: RunStatus;
  /** Requests the run took (one per step). */
  steps: number;
  user?: { _id: string; userName: string };
  error?: string;
  visits: NodeVisit[];
}

const SECRET_KEY = /pass(word)?|secret|token|cookie|otp/i;
const TOKEN_LIKE = /[A-Za-z0-9_-]{27}\.\*[A-Za-z0-9+/.]+\*/g;
/** Visits kept per run: a runaway loop between nodes must not grow a record without limit. */
const MAX_VISITS = 500;
const MAX_LOGS_PER_VISIT = 200;
const MAX_LINE = 2000;

export function maskText(text: string, secrets: readonly string[] = []): string {
  let masked = text.replace(TOKEN_LIKE, (token) => maskSecret(token));
  for (const secret of secrets) if (masked.includes(secret)) masked = masked.split(secret).join(maskSecret(secret));
  return masked.length > MAX_LINE ? `${masked.slice(0, MAX_LINE)}...` : masked;
}

function maskStateValue(key: string, value: JsonValue, secrets: readonly string[]): JsonValue {
  if (typeof value === 'string') return SECRET_KEY.test(key) ? maskSecret(value) : maskText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskStateValue(key, item, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([inner, item]) => [inner, maskStateValue(inner, item, secrets)]));
  }
  return value;
}

/** What changed between two states, values masked (secret-looking keys, tokens, the `secrets` given). */
export function diffState(before: JsonObject, after: JsonObject, secrets: readonly string[] = []): StateChange[] {
  const changes: StateChange[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const had = Object.hasOwn(before, key);
    const has = Object.hasOwn(after, key);
    if (had && has && (before[key] === after[key] || JSON.stringify(before[key]) === JSON.stringify(after[key]))) continue;
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
    return entry;
  }

  log(level: string, message: string): void {
    const visit = this.current;
    if (visit && visit.logs.length < MAX_LOGS_PER_VISIT) visit.logs.push({ level, message: maskText(message, this.secrets()) });
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

  start(journey: string, realm: string): RunRecorder {
    const time = isoMillis(this.nowMs());
    const record: RunRecord = { id: randomUUID(), journey, realm, startedAt: time, updatedAt: time, status: 'in-progress', steps: 0, visits: [] };
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

  list(): RunRecord[] {
    return this.runs.toArray().map(withTimes);
  }

  clear(): void {
    this.runs.clear();
    this.byId.clear();
  }
}
