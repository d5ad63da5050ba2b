/**
 * How AM answers while its session store (the CTS) is unavailable, for the AM routes that reach
 * the emulator's shared store (Redis). From AM's source (OpenAM 16.1.2, the public ancestor of
 * AM's session code; docs/fidelity.md, "The session store unavailable"):
 *
 * - A session that cannot be read is a session that does not exist: SessionPersistenceStore
 *   logs the CTS error and answers null. So the caller is anonymous (actions that need one answer
 *   401 Access Denied), `validate` answers `{"valid":false}`, `logout` "Token has expired".
 * - A query that fails is 500 "Unable to query for matching sessions" (SessionResourceV2).
 * - A login whose session cannot be written is 500 "Authentication Error!!" (LoginState's
 *   AUTH_ERROR, mapped to 500 by AMAuthErrorCodeResponseStatusMapping).
 * - Any other failed write escapes as a RuntimeException, which CREST answers 500.
 */
import { StoreUnavailableError } from '../../core/store-unavailable.js';
import { AmError } from './errors.js';

/** A read of the session store: undefined (no such session) when the store is away, as in AM. */
export async function readOrMissing<T>(read: Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof StoreUnavailableError) return undefined;
    throw error;
  }
}

/** Runs `work`; an unavailable store becomes the AmError `answer()` gives. */
export async function orAnswer<T>(work: Promise<T>, answer: (error: StoreUnavailableError) => AmError): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw answer(error);
    throw error;
  }
}

/** A write AM does not answer specially: CREST's 500 for the RuntimeException it escapes as. */
export const failedWrite = (): AmError => new AmError(500, 'Internal Server Error');

/** SessionResourceV2.queryCollection's answer to a SessionException. */
export const failedQuery = (): AmError => new AmError(500, 'Unable to query for matching sessions');

/** LoginState's AUTH_ERROR ("Authentication Error!!", amAuth.properties), answered 500. */
export const failedLogin = (): AmError => new AmError(500, 'Authentication Error!!');
