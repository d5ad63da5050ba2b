/**
 * "Terminate all of my sessions", as the single-logout how-to's Part 3 script does it
 * (`Terminate Sessions`, seed 000): take the user's own session token and their `_id`, call
 * `sessions?_action=logoutByUser` with the token in a header named after the tenant cookie and
 * `{"username": _id}` in the body, and sort the result into the script's four outcomes:
 *
 * - `No Session`: no token, or no `_id` (the script reads both from shared state; here the token
 *   comes from the jar or the caller and the `_id` from `users?_action=idFromSession`, so a token
 *   AM no longer accepts, 401/403 there, also means no session);
 * - `Success`: HTTP 200 and a truthy `result` (the script's `if (jsonResult.result)`);
 * - `Failure`: any other status, or a falsy `result`;
 * - `Error`: anything thrown on the way (no answer at all, a 200 whose body is not JSON or is
 *   `null`), as the script's `catch`.
 *
 * Kept apart from the client so that the script's logic reads in one place; the client supplies
 * the calls through {@link TerminatePort}.
 */
import { AmError } from './errors.js';
import type { Answer } from './http.js';

export type TerminateOutcome = 'Success' | 'Failure' | 'No Session' | 'Error';

export interface TerminateAllSessionsResult {
  outcome: TerminateOutcome;
  /** The `_id` whose sessions were ended (or that logoutByUser was asked to end). */
  userId?: string;
  /** The HTTP status of the logoutByUser answer, when there was one. */
  status?: number;
  /** `result` from a 200 answer. */
  result?: unknown;
  /** What went wrong: the exception for `Error`, AM's refusal of the token for `No Session`. */
  error?: unknown;
}

export interface TerminateAllSessionsOptions {
  /** The session token to use; by default the tenant cookie in the client's jar. */
  token?: string | undefined;
  /** The user's `_id`; by default asked of AM with `users?_action=idFromSession`. */
  userId?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** What terminateAllSessions needs from the client. */
export interface TerminatePort {
  /** The tenant cookie's value in the jar, if any. */
  jarToken(): Promise<string | undefined>;
  /** `users?_action=idFromSession` with this token; throws `AmError` when AM refuses it. */
  idFromSession(token: string): Promise<{ id: string }>;
  /** The logoutByUser exchange itself, answered whatever its status. */
  logoutByUser(token: string, userId: string): Promise<Answer>;
}

export async function terminateAllSessions(
  port: TerminatePort,
  options: TerminateAllSessionsOptions = {},
): Promise<TerminateAllSessionsResult> {
  try {
    const token = options.token ?? (await port.jarToken());
    if (!token) return { outcome: 'No Session' };
    let userId = options.userId;
    if (userId === undefined) {
      try {
        userId = (await port.idFromSession(token)).id;
      } catch (error) {
        if (error instanceof AmError && (error.status === 401 || error.status === 403))
          return { outcome: 'No Session', error };
        throw error;
      }
    }
    if (!userId) return { outcome: 'No Session' };

    const answer = await port.logoutByUser(token, userId);
    if (answer.status !== 200) return { outcome: 'Failure', userId, status: answer.status };
    // As the script: JSON.parse throws on a body that is not JSON, and reading `.result` of `null` throws.
    const payload: unknown = JSON.parse(answer.text);
    if (payload === null || payload === undefined) throw new TypeError('logoutByUser answered 200 with a null body');
    const result = (payload as { result?: unknown }).result;
    return { outcome: result ? 'Success' : 'Failure', userId, status: answer.status, result };
  } catch (error) {
    return { outcome: 'Error', error };
  }
}
