/**
 * The shared store (Redis) did not answer: it is stopped, restarting, loading its data, paused
 * past the request timeout, or out of reach. Not a bug of the emulator, and not the caller's
 * mistake: the HTTP layer answers it as AM answers an unavailable session store (error-reply.ts),
 * and logs it as an outage, not as an "unexpected error".
 *
 * The stores raise it (redis-connection.ts `storeCall`) so that the layers above know one
 * error, whatever the Redis client said.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';

  constructor(
    /** What the Redis client said, for the log. */
    readonly reason: string,
  ) {
    super(`the store is unavailable: ${reason}`);
  }
}

/**
 * Error replies of a Redis that is up but cannot serve yet or now: loading its data after a
 * restart, busy with a script, refusing writes (a failed save, out of memory, a replica).
 */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MISCONF|OOM|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * True when `error` means the store cannot be reached or cannot serve, as opposed to a reply
 * that says a command was wrong (a bug, which stays a bug). ioredis marks the replies Redis sent
 * as ReplyError; everything else it rejects with (connection closed, command timed out, retries
 * exhausted, stream not writable) is about reaching the server.
 */
/** What the Redis client's error means, in words an operator reads in an answer or the log. */
export function describeOutage(error: Error): string {
  const message = error.message;
  if (error.name === 'MaxRetriesPerRequestError' || /isn't writeable/.test(message))
    return 'no connection to Redis (reconnecting)';
  if (/^Command timed out/.test(message)) return 'Redis did not answer within the store timeout (store.timeoutMs)';
  if (/^Connection is closed/.test(message)) return 'the connection to Redis closed';
  const reply = UNAVAILABLE_REPLY.exec(message);
  if (reply) return `Redis cannot serve now (${reply[1]}: ${message.slice(reply[0].length).trim()})`;
  return message;
}

export function isStoreOutage(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return UNAVAILABLE_REPLY.test(error.message);
  return true;
}
