/**
 * The client's failures, as types a caller can tell apart with `instanceof`:
 *
 * - {@link AmError}: AM answered, and the answer is an error (`{code, reason, message, detail?}`,
 *   CREST's error body, as recorded on AIC). Whatever AM said is kept, so a caller can branch on
 *   `status`/`message` as AIC's own UIs do (e.g. `detail.failureUrl` after a failed journey).
 * - {@link AmTransportError} and its kinds: no answer came back at all. These are kept apart from
 *   {@link AmError} because the right reaction differs: an AM error is a decision, a transport
 *   failure is worth retrying or reporting as an outage.
 * - {@link AmProtocolError}: an answer came back but it is not what AM sends (a success that is
 *   not JSON, say), which usually means a proxy or a wrong `baseUrl`.
 * - {@link AmOAuth2Error}: AM's OAuth 2.0 provider refused a request (RFC 6749 §5.2's
 *   `{error, error_description}`, in a JSON body or, from `authorize`, in the redirect's query).
 */
import { STATUS_CODES } from 'node:http';

/** What was asked, kept on every error so that a log line says which call failed. */
export interface RequestSummary {
  readonly method: string;
  /** The path and query, without the origin. */
  readonly path: string;
}

/**
 * An error answer from AM, parsed from its CREST error body. Its `message` names the status, AM's
 * message and the request, so that a failing test or a log line says which call failed and how:
 * `401 Access Denied (POST /am/json/realms/root/realms/alpha/sessions?_action=getSessionInfo)`.
 * AM's own message, as the body gave it, is `amMessage`.
 */
export class AmError extends Error {
  override readonly name = 'AmError';
  /** The HTTP status of the answer. */
  readonly status: number;
  /** `code` from the body (AM states the status again there; it can differ, e.g. 405 vs 501). */
  readonly code: number;
  /** `reason` from the body: the HTTP reason phrase as AM spells it (`Unauthorized`). */
  readonly reason: string;
  /**
   * `message` from the body, as AM wrote it (`Access Denied`, `Login failure`); for an answer that
   * was not an AM error body, its text, else the status's phrase. What to branch on, as AIC's own
   * UIs do; `message` adds the status and the request to it.
   */
  readonly amMessage: string;
  /** `detail` from the body, e.g. `{ failureUrl }` after a failed journey. */
  readonly detail: Readonly<Record<string, unknown>> | undefined;
  /** The raw body text, for answers that were not an AM error body (e.g. the empty 404 of an unknown version). */
  readonly body: string;
  /** `X-ForgeRock-TransactionId` of the answer: what to quote to whoever reads the tenant's logs. */
  readonly transactionId: string | undefined;
  readonly request: RequestSummary;

  constructor(init: {
    status: number;
    code: number;
    reason: string;
    message: string;
    detail?: Record<string, unknown> | undefined;
    body: string;
    transactionId?: string | undefined;
    request: RequestSummary;
  }) {
    super(`${init.status} ${init.message} (${init.request.method} ${init.request.path})`);
    this.status = init.status;
    this.code = init.code;
    this.reason = init.reason;
    this.amMessage = init.message;
    this.detail = init.detail;
    this.body = init.body;
    this.transactionId = init.transactionId;
    this.request = init.request;
  }

  /**
   * Builds the error from an answer. An AM error body gives code, reason, message and detail; any
   * other body (empty, HTML from a proxy, a fault's text) falls back to the status and its phrase,
   * so that every error answer is an `AmError` and nothing is lost (`body` keeps the text).
   */
  static fromAnswer(
    answer: { status: number; text: string; transactionId: string | undefined },
    request: RequestSummary,
  ): AmError {
    const parsed = parseErrorBody(answer.text);
    const fallbackReason = STATUS_CODES[answer.status] ?? 'Error';
    return new AmError({
      status: answer.status,
      code: parsed?.code ?? answer.status,
      reason: parsed?.reason ?? fallbackReason,
      message: parsed?.message ?? (answer.text.trim() !== '' ? answer.text : fallbackReason),
      detail: parsed?.detail,
      body: answer.text,
      transactionId: answer.transactionId,
      request,
    });
  }
}

function parseErrorBody(
  text: string,
):
  | { code: number; reason: string | undefined; message: string; detail: Record<string, unknown> | undefined }
  | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const body = value as Record<string, unknown>;
  if (typeof body['code'] !== 'number' || typeof body['message'] !== 'string') return undefined;
  const detail = body['detail'];
  return {
    code: body['code'],
    reason: typeof body['reason'] === 'string' ? body['reason'] : undefined,
    message: body['message'],
    detail:
      typeof detail === 'object' && detail !== null && !Array.isArray(detail)
        ? (detail as Record<string, unknown>)
        : undefined,
  };
}

/** No answer: the request did not complete. `cause` holds the underlying error. */
export class AmTransportError extends Error {
  override readonly name: string = 'AmTransportError';
  readonly request: RequestSummary;

  constructor(message: string, request: RequestSummary, cause: unknown) {
    super(message, { cause });
    this.request = request;
  }
}

/** The connection failed: refused, reset, closed before the answer, DNS, TLS. */
export class AmNetworkError extends AmTransportError {
  override readonly name = 'AmNetworkError';
}

/** The client's `timeoutMs` (or a connect/headers/body timeout of the dispatcher) ran out. */
export class AmTimeoutError extends AmTransportError {
  override readonly name = 'AmTimeoutError';
  /** The limit that ran out, in milliseconds, when it was the client's own. */
  readonly timeoutMs: number | undefined;

  constructor(message: string, request: RequestSummary, cause: unknown, timeoutMs: number | undefined) {
    super(message, request, cause);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` aborted the request. */
export class AmAbortError extends AmTransportError {
  override readonly name = 'AmAbortError';
}

/** An answer came back that AM would not send: a success whose body is not the JSON expected. */
export class AmProtocolError extends Error {
  override readonly name = 'AmProtocolError';
  readonly status: number;
  readonly body: string;
  readonly request: RequestSummary;

  constructor(message: string, init: { status: number; body: string; request: RequestSummary }) {
    super(message);
    this.status = init.status;
    this.body = init.body;
    this.request = init.request;
  }
}

/**
 * An OAuth 2.0 error from AM's provider (`/am/oauth2/...`): RFC 6749 §5.2's `error` and
 * `error_description`, as AM sends them in a JSON body (`{"error_description": ..., "error": ...}`,
 * OpenAM's `OAuth2RestletException.asMap()`; recorded so on AIC), or, from `authorize`, in the query
 * of the redirect back to the client (RFC 6749 §4.1.2.1). The field names are the RFC's, as
 * openid-client's `OPError` has them, so that code written against the RFC reads the same here.
 */
export class AmOAuth2Error extends Error {
  override readonly name = 'AmOAuth2Error';
  /** The HTTP status of the answer: 400 or 401 from the JSON endpoints, 302 for an error sent back by redirect. */
  readonly status: number;
  /** The error code: `invalid_grant`, `invalid_client`, `interaction_required`, ... */
  readonly error: string;
  /** AM's description of it (e.g. `Client authentication failed`); `undefined` when AM sent none. */
  readonly error_description: string | undefined;
  /** `error_uri`, when AM sent one. */
  readonly error_uri: string | undefined;
  /** `state`, when the request had one and AM echoed it. */
  readonly state: string | undefined;
  /** The raw body text (empty for a redirect). */
  readonly body: string;
  /** The `Location` of a redirect that carried the error. */
  readonly location: string | undefined;
  /** `X-ForgeRock-TransactionId` of the answer, when it had one. */
  readonly transactionId: string | undefined;
  readonly request: RequestSummary;

  constructor(init: {
    status: number;
    error: string;
    error_description?: string | undefined;
    error_uri?: string | undefined;
    state?: string | undefined;
    body?: string | undefined;
    location?: string | undefined;
    transactionId?: string | undefined;
    request: RequestSummary;
  }) {
    super(init.error_description !== undefined ? `${init.error}: ${init.error_description}` : init.error);
    this.status = init.status;
    this.error = init.error;
    this.error_description = init.error_description;
    this.error_uri = init.error_uri;
    this.state = init.state;
    this.body = init.body ?? '';
    this.location = init.location;
    this.transactionId = init.transactionId;
    this.request = init.request;
  }

  /**
   * The error of a JSON error answer, when its body is an OAuth 2.0 error (a string `error`);
   * `undefined` for any other body (a proxy's page, a CREST error), which the caller reports as an
   * {@link AmError} instead.
   */
  static fromAnswer(
    answer: { status: number; text: string; transactionId: string | undefined },
    request: RequestSummary,
  ): AmOAuth2Error | undefined {
    let value: unknown;
    try {
      value = JSON.parse(answer.text);
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const body = value as Record<string, unknown>;
    if (typeof body['error'] !== 'string') return undefined;
    const text = (name: string) => (typeof body[name] === 'string' ? body[name] : undefined);
    return new AmOAuth2Error({
      status: answer.status,
      error: body['error'],
      error_description: text('error_description'),
      error_uri: text('error_uri'),
      state: text('state'),
      body: answer.text,
      transactionId: answer.transactionId,
      request,
    });
  }
}
