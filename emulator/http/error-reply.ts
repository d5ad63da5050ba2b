/**
 * The one error path: whatever a route, a hook or Fastify throws becomes an AmError, answered
 * with AM's body `{code, reason, message[, detail]}` and CREST's content type. The server's error
 * and not-found handlers, the control API's and the AM dispatcher all come through here (the
 * dispatcher dresses the answer in AM's headers itself).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AmError, Errors } from './am/errors.js';
import { CREST_CONTENT_TYPE } from './am/response-headers.js';
import { StoreUnavailableError } from '../core/store-unavailable.js';

/** What a 500 says: the details are in the log, not in the answer. */
export const UNEXPECTED_ERROR_MESSAGE = 'An unexpected error occurred in the emulator; see its log';

/**
 * The AmError `error` is answered with. An AmError is itself; an error Fastify raised (a body too
 * large, a URL it cannot decode) keeps its status and says what it means; anything else is a bug,
 * logged and answered 500 without its details.
 */
export function toAmError(error: unknown, request: FastifyRequest): AmError {
  if (error instanceof AmError) return error;
  if (error instanceof StoreUnavailableError) {
    // An outage, not a bug: said once per request, without a stack. The AM routes answer it as
    // AM does where AM's source says how (am/store-outage.ts); what reaches here is the
    // emulator's own API, or a change Redis did not take.
    request.log.warn({ reason: error.reason }, 'the store is unavailable');
    return new AmError(
      503,
      `The tenant's store (Redis) is unavailable: ${error.reason.replace(/\.+$/, '')}. This instance is not ready (GET /__emulator/ready)`,
    );
  }
  const status = frameworkStatus(error);
  if (status !== undefined && status < 500) {
    const { code, message } = error as { code: string; message: string };
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return new AmError(
        status,
        `The request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes`,
      );
    return new AmError(status, message);
  }
  request.log.error({ err: error }, 'unexpected error');
  return new AmError(status ?? 500, UNEXPECTED_ERROR_MESSAGE);
}

/** The status of an error Fastify raised itself (its codes start with FST_), if it is an error status. */
function frameworkStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : undefined;
}

/** AM's error body, as sent. */
export function amErrorPayload(error: AmError): string {
  return JSON.stringify(error.toBody());
}

/** Sends `error` in AM's shape (an `emptyBody` error with no body at all). */
export function sendAmError(reply: FastifyReply, error: AmError): FastifyReply {
  reply.code(error.status);
  if (error.emptyBody) return reply.send();
  return reply.header('content-type', CREST_CONTENT_TYPE).send(amErrorPayload(error));
}

/** An error handler (Fastify's `setErrorHandler`): anything thrown, answered in AM's shape. */
export function replyWithError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendAmError(reply, toAmError(error, request));
}

/** A not-found handler (Fastify's `setNotFoundHandler`): AM's 404. */
export function replyNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendAmError(reply, Errors.notFound());
}
