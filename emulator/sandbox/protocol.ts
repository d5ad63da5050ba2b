/**
 * What crosses between the main thread and a script worker: the job a worker runs, what it
 * answers, and the synchronous host calls a running script makes (httpClient, identities).
 * Everything is plain JSON.
 */
import type { JsonObject } from '../state/journeys/tree-state.js';

export interface SubmittedCallbackJson {
  type: string;
  output: { name: string; value: unknown }[];
  values: [string, unknown][];
}

export interface ScriptJob {
  source: string;
  scriptName: string;
  scriptId: string;
  engine: '1.0' | '2.0';
  kind: 'decision' | 'config';
  realm: string;
  state: { shared: JsonObject; transient: JsonObject; secure: JsonObject };
  /** The node's `inputs` (what nodeState may read): `["*"]` for everything. */
  inputs: string[];
  /** The node's `outputs` (legacy: what must be written back): `["*"]` for everything. */
  outputs: string[];
  headers: [string, string[]][];
  parameters: [string, string[]][];
  cookies: [string, string][];
  cookieName: string;
  existingSession: Record<string, string> | null;
  /** ESVs by name as created (`esv-cookie`). */
  esvs: Record<string, string>;
  callbacks: SubmittedCallbackJson[];
  loggerName: string;
  /** The run's wall-clock limit (host calls included), for its error message. */
  timeoutMs: number;
  /** A Node Designer custom node's property values: the script's `properties` binding. */
  properties?: Record<string, unknown>;
}

/** A callback a script asked for: the callbacksBuilder method (or JDK class) and its arguments. */
export interface ScriptCallbackJson {
  method: string;
  args: unknown[];
}

export interface ActionJson {
  goTo?: string;
  callbacks: ScriptCallbackJson[];
  /** Legacy `Action.send(...)`: the callbacks it sends. */
  legacyCallbacks: ScriptCallbackJson[];
  /** Next-gen: the script never touched `action` (so `outcome` decides). */
  unused?: boolean;
  sessionProperties: Record<string, string>;
  removedSessionProperties: string[];
  maxSessionTime?: number;
  maxIdleTime?: number;
  errorMessage?: string;
  lockoutMessage?: string;
  header?: string;
  description?: string;
  stage?: string;
  identifiedUser?: string;
}

export interface ScriptOutcome {
  /** The `outcome` global: absent, or its JSON-able value with the JS type it had. */
  outcome: { set: boolean; type: string; value: unknown };
  /** Next-gen `action` (or a legacy `action = Action...build()`), when the script used it. */
  action: ActionJson | null;
  /** Callbacks added with `callbacksBuilder`. */
  builderCallbacks: ScriptCallbackJson[];
  state: { shared: JsonObject; transient: JsonObject; secure: JsonObject };
  /** Legacy: which declared outputs the script did not provide. */
  missingOutputs: string[];
  /** Configuration Provider: the `config` the script set, and what it was. */
  config: { set: boolean; type: string; value: unknown };
  logs: { level: string; message: string }[];
}

export type WorkerAnswer =
  | { type: 'result'; id: number; ok: true; result: ScriptOutcome }
  | {
      type: 'result';
      id: number;
      ok: false;
      error: { kind: 'script' | 'timeout' | 'limit' | 'internal'; message: string; line?: number };
      logs?: { level: string; message: string }[];
      fatal?: boolean;
    };

/** What a worker posts: a successful outcome travels as JSON text (see worker.ts). */
export type WorkerMessage =
  { type: 'result'; id: number; ok: true; resultJson: string } | Extract<WorkerAnswer, { ok: false }>;

/** A host call as the worker posts it: numbered, so that a late answer is never taken for the next call's. */
export interface HostCallMessage {
  seq: number;
  /** `abandon`: the worker stopped waiting for call `seq` (its limit passed). */
  op: HostRequest['op'] | 'abandon';
  payload: string;
}

export interface HostRequest {
  op: 'http' | 'identity.get' | 'identity.store' | 'openidm';
  payload: unknown;
}

export type HostAnswer = { ok: true; value: unknown } | { ok: false; error: string };

/** Answers a running script's host calls (on the main thread). */
export type HostHandler = (request: HostRequest) => Promise<HostAnswer>;

export interface HttpRequestJson {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
}

export interface HttpResponseJson {
  status: number;
  statusText: string;
  headers: [string, string[]][];
  body: string;
}
