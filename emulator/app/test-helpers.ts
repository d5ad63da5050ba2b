/**
 * Typed test helpers on `createEmulator()`'s result: `users`, `sessions`, `clock`, `faults`,
 * `stubs`, `runs`, `journal` and `outbox`, one method per control API route (`/__emulator/*`,
 * README "Control API"), so that a test does not call `fetch` on the control API or reach into
 * `emulator.tenant`.
 *
 *     await emulator.clock.advance(31 * 60);
 *     await emulator.faults.add({ action: 'logoutByUser', status: 500, times: 1 });
 *     const [run] = (await emulator.runs.list()).filter((r) => r.journey === 'TerminateSession');
 *
 * Each method is the control route itself, called in-process (Fastify's `inject`: no socket, no
 * port), not the state objects the route calls. Decided so because then a helper does exactly
 * what the route does, and nothing can drift between the two:
 * - the same checks and the same refusals (the route's schema, the registries' errors), thrown
 *   here as a {@link ControlApiError} with the status and message the route answered;
 * - with the Redis store, a change resolves once Redis has it, as the route answers only then
 *   (server.ts, waitForSharedChanges): the tenant's other instances see it as they see a change
 *   made over the control API (README, "Scaling out"), and a change Redis did not take rejects;
 * - the guard: the helpers present the control token when the tenant needs one.
 * Lists answer the route's `result`; the rest answer the route's body (or nothing, for `{status}`).
 */
import type { FastifyInstance } from 'fastify';
import type { UserSeed } from '../config/config-types.js';
import type { Fault, FaultSpec } from '../state/faults.js';
import type { Stub, StubSpec } from '../state/stubs.js';
import type { JournalEntry } from '../state/journal.js';
import type { OutboxMessage } from '../state/outbox.js';
import type { RunRecord, RunStatus } from '../state/journeys/runs.js';
import type { sessionView, userView } from '../http/control/views.js';
import { CONTROL_PREFIX } from '../http/control/plugin.js';
import { CONTROL_TOKEN_HEADER } from '../http/control/guard.js';

/** A user as `GET /__emulator/users` shows it: its attributes, never its password. */
export type ControlUser = ReturnType<typeof userView>;
/** A session as `GET /__emulator/sessions` shows it (`username` is the user's `_id`). */
export type ControlSession = ReturnType<typeof sessionView>;

/** Which sessions: a realm's, a user's (by `_id` as `username`, or by `userName`), or all. */
export interface SessionFilters {
  realm?: string;
  /** The user's `_id` (AM calls it `username` in sessions). */
  username?: string;
  userName?: string;
}

/** `POST users/bulk`'s input: a number of attendees (`<prefix>-01`, ...) or a CSV (`userName,password,givenName,sn,mail`). */
export type BulkUsersInput = { realm?: string } & ({ count: number; prefix?: string } | { csv: string });

/** `POST users/bulk`'s answer: the users made, with their passwords (the only answer that holds them). */
export interface BulkUsers {
  realm: string;
  created: { _id: string; userName: string; password: string; givenName: string; sn: string; mail: string }[];
}

export interface UserHelpers {
  /** `GET users[?realm=]`: the tenant's users (of one realm when given). */
  list(filters?: { realm?: string }): Promise<ControlUser[]>;
  /** `POST users`: adds a user (`realm`, `userName`, `password`, any attributes) → the user with its `_id`. */
  create(user: UserSeed): Promise<ControlUser>;
  /**
   * `POST users/bulk`: a workshop's attendees in one go, each with what the Single Logout journeys
   * read; all or nothing (a userName taken: a 409 ControlApiError).
   */
  bulk(input: BulkUsersInput): Promise<BulkUsers>;
}

export interface SessionHelpers {
  /** `GET sessions[?realm&username&userName]`: the live sessions. */
  list(filters?: SessionFilters): Promise<ControlSession[]>;
  /** `POST sessions`: a session for a user, without a login (`{realm, userName}` or `{realm, _id}`). */
  create(input: { realm: string; userName: string } | { realm: string; _id: string }): Promise<ControlSession>;
  /** `DELETE sessions/:id`: ends one session, by its tokenId or sessionHandle (none such: a 404 ControlApiError). */
  end(tokenIdOrHandle: string): Promise<void>;
  /** `DELETE sessions[?filters]`: ends the sessions the filters select (every session without filters) → how many. */
  endAll(filters?: SessionFilters): Promise<number>;
}

export interface ClockHelpers {
  /** `GET clock`: the tenant's time, ISO 8601 with milliseconds. */
  now(): Promise<string>;
  /** `POST clock {advanceSeconds}`: moves the clock forward → the new time. Sessions idle past their limit are gone. */
  advance(seconds: number): Promise<string>;
  /** `POST clock {set}`: moves the clock to a later time → the new time. */
  set(time: string | Date): Promise<string>;
  /** `POST clock {frozen}`: stops the clock (true, the default) or lets it run again → the time. */
  freeze(frozen?: boolean): Promise<string>;
}

export interface FaultHelpers {
  /** `GET faults`: the faults in force, with their `hits` and `remaining`. */
  list(): Promise<Fault[]>;
  /** `POST faults`: matched AM requests get this answer (README "Control API") → the fault's id. */
  add(fault: FaultSpec): Promise<string>;
  /** `DELETE faults/:id` (none such: a 404 ControlApiError). */
  remove(id: string): Promise<void>;
  /** `DELETE faults`: every fault. */
  clear(): Promise<void>;
}

export interface StubHelpers {
  /** `GET stubs`: the stubs for scripts' outbound calls, with their `hits` and `remaining`. */
  list(): Promise<Stub[]>;
  /** `POST stubs`: answers scripts' outbound calls to `url` (a prefix when it ends in `*`) → the stub's id. */
  add(stub: StubSpec): Promise<string>;
  /** `DELETE stubs/:id` (none such: a 404 ControlApiError). */
  remove(id: string): Promise<void>;
  /** `DELETE stubs`: every stub. */
  clear(): Promise<void>;
}

/** Which runs: a user's (`_id` or userName, any case), a journey's, of a status, of a realm; all given must match. */
export interface RunFilters {
  user?: string;
  journey?: string;
  status?: RunStatus;
  realm?: string;
}

export interface RunHelpers {
  /**
   * `GET runs[?user&journey&status&realm]`: the recent journey runs, oldest first, each with its
   * user, the nodes it visited and their outcomes.
   */
  list(filters?: RunFilters): Promise<RunRecord[]>;
  /** `GET runs/:id` (dropped or unknown: a 404 ControlApiError). */
  get(id: string): Promise<RunRecord>;
}

export interface JournalHelpers {
  /** `GET journal`: AM requests and scripts' outbound calls, newest last, secrets masked. */
  list(): Promise<JournalEntry[]>;
  /** `DELETE journal`. */
  clear(): Promise<void>;
}

export interface OutboxHelpers {
  /** `GET outbox[?to=]`: the mail journeys sent, newest last. */
  list(filters?: { to?: string }): Promise<OutboxMessage[]>;
  /** `GET outbox/:id` (none such: a 404 ControlApiError). */
  get(id: string): Promise<OutboxMessage>;
  /** `DELETE outbox`. */
  clear(): Promise<void>;
}

/** The control API, typed: on `createEmulator()`'s result. */
export interface EmulatorTestHelpers {
  readonly users: UserHelpers;
  readonly sessions: SessionHelpers;
  readonly clock: ClockHelpers;
  readonly faults: FaultHelpers;
  readonly stubs: StubHelpers;
  readonly runs: RunHelpers;
  readonly journal: JournalHelpers;
  readonly outbox: OutboxHelpers;
}

/** A control API refusal, as a helper throws it: the route's status and AM-shaped body. */
export class ControlApiError extends Error {
  override readonly name = 'ControlApiError';
  readonly status: number;
  /** The body's `message` (`no fault 42`, `userName is required`...). */
  readonly controlMessage: string;
  /** The raw body. */
  readonly body: string;
  readonly request: { readonly method: string; readonly path: string };

  constructor(init: { status: number; controlMessage: string; body: string; method: string; path: string }) {
    super(`${init.status} ${init.controlMessage} (${init.method} ${init.path})`);
    this.status = init.status;
    this.controlMessage = init.controlMessage;
    this.body = init.body;
    this.request = { method: init.method, path: init.path };
  }
}

type Method = 'GET' | 'POST' | 'DELETE';

/**
 * The helpers over `server`'s control routes; `controlToken` is read at each call (it is known once
 * the server listens).
 */
export function createTestHelpers(
  server: FastifyInstance,
  controlToken: () => string | undefined,
): EmulatorTestHelpers {
  const call = async <T>(method: Method, route: string, body?: unknown, query?: Record<string, string | undefined>) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(name, value);
    const path = `${CONTROL_PREFIX}/${route}${search.size > 0 ? `?${search.toString()}` : ''}`;
    const token = controlToken();
    const response = await server.inject({
      method,
      url: path,
      // A host of the tenant's own (the guard refuses others on loopback).
      headers: {
        host: '127.0.0.1',
        ...(token !== undefined ? { [CONTROL_TOKEN_HEADER]: token } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    if (response.statusCode >= 400) {
      throw new ControlApiError({
        status: response.statusCode,
        controlMessage: messageOf(response.body) ?? response.statusMessage,
        body: response.body,
        method,
        path,
      });
    }
    return response.json<T>();
  };
  const list = async <T>(route: string, query?: Record<string, string | undefined>) =>
    (await call<{ result: T[] }>('GET', route, undefined, query)).result;
  const clock = async (body: Record<string, unknown>) => (await call<{ now: string }>('POST', 'clock', body)).now;
  const id = (value: string) => encodeURIComponent(value);

  return {
    users: {
      list: (filters = {}) => list('users', { realm: filters.realm }),
      create: (user) => call('POST', 'users', user),
      bulk: (input) => call('POST', 'users/bulk', input),
    },
    sessions: {
      list: (filters = {}) => list('sessions', { ...filters }),
      create: (input) => call('POST', 'sessions', input),
      end: async (tokenIdOrHandle) => {
        await call('DELETE', `sessions/${id(tokenIdOrHandle)}`);
      },
      endAll: async (filters = {}) =>
        (await call<{ ended: number }>('DELETE', 'sessions', undefined, { ...filters })).ended,
    },
    clock: {
      now: async () => (await call<{ now: string }>('GET', 'clock')).now,
      advance: (seconds) => clock({ advanceSeconds: seconds }),
      set: (time) => clock({ set: typeof time === 'string' ? time : time.toISOString() }),
      freeze: (frozen = true) => clock({ frozen }),
    },
    faults: {
      list: () => list('faults'),
      add: async (fault) => (await call<{ id: string }>('POST', 'faults', fault)).id,
      remove: async (faultId) => {
        await call('DELETE', `faults/${id(faultId)}`);
      },
      clear: async () => {
        await call('DELETE', 'faults');
      },
    },
    stubs: {
      list: () => list('stubs'),
      add: async (stub) => (await call<{ id: string }>('POST', 'stubs', stub)).id,
      remove: async (stubId) => {
        await call('DELETE', `stubs/${id(stubId)}`);
      },
      clear: async () => {
        await call('DELETE', 'stubs');
      },
    },
    runs: {
      list: (filters = {}) => list('runs', { ...filters }),
      get: (runId) => call('GET', `runs/${id(runId)}`),
    },
    journal: {
      list: () => list('journal'),
      clear: async () => {
        await call('DELETE', 'journal');
      },
    },
    outbox: {
      list: (filters = {}) => list('outbox', { to: filters.to }),
      get: (messageId) => call('GET', `outbox/${id(messageId)}`),
      clear: async () => {
        await call('DELETE', 'outbox');
      },
    },
  };
}

/** The `message` of an AM-shaped error body, if the body is one. */
function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string')
      return (body as { message: string }).message;
  } catch {
    // Not JSON: the status line says it.
  }
  return undefined;
}
