/**
 * AM's error answers. Every CREST and authenticate error on a real tenant is a JSON body
 * `{"code": <status>, "reason": "<reason phrase>", "message": "<text>"[, "detail": {...}]}`
 * (CREST's error body, as recorded on AIC). Routes throw `AmError`; the server's error handler turns it
 * into that body, so no route ever shapes an error by hand.
 */

/**
 * Reason phrases as AM (CREST's ResourceException) spells them. They differ from Node's
 * `http.STATUS_CODES` in places: 408 is "Request Time-out" (CREST's ResourceException, as OpenAM answers a
 * replayed authId), 413 is "Request Entity Too Large".
 */
const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Time-out',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return (
    (Object.hasOwn(REASONS, status) ? REASONS[status] : undefined) ??
    (status >= 500 ? 'Internal Server Error' : 'Bad Request')
  );
}

export interface AmErrorBody {
  code: number;
  reason: string;
  message: string;
  detail?: Record<string, unknown>;
}

export class AmError extends Error {
  readonly status: number;
  readonly detail: Record<string, unknown> | undefined;
  /**
   * AM answers a few errors with no body at all, e.g. the 404 for an `Accept-API-Version`
   * that matches no route (AIC docs, "REST API versions").
   */
  readonly emptyBody: boolean;
  /**
   * The `code` the body states, when AM's body disagrees with its HTTP status (authenticate
   * answers a GET with HTTP 405 and a body saying 501).
   */
  readonly bodyStatus: number;

  constructor(
    status: number,
    message: string,
    options: { detail?: Record<string, unknown>; emptyBody?: boolean; bodyStatus?: number } = {},
  ) {
    super(message);
    this.name = 'AmError';
    this.status = status;
    this.detail = options.detail;
    this.emptyBody = options.emptyBody ?? false;
    this.bodyStatus = options.bodyStatus ?? status;
  }

  toBody(): AmErrorBody {
    const body: AmErrorBody = { code: this.bodyStatus, reason: reasonPhrase(this.bodyStatus), message: this.message };
    if (this.detail !== undefined) body.detail = this.detail;
    return body;
  }
}

/** The errors AM returns again and again, with AM's exact messages. */
export const Errors = {
  accessDenied: () => new AmError(401, 'Access Denied'),
  forbidden: () => new AmError(403, 'Forbidden'),
  notFound: () => new AmError(404, 'Not Found'),
  badRequest: (message: string) => new AmError(400, message),
  actionNotImplemented: (action: string) => new AmError(501, `Action ${action} not implemented for this resource`),
  /** No route for the requested `Accept-API-Version`: 404 with an empty body. */
  versionNotSupported: () => new AmError(404, 'Not Found', { emptyBody: true }),
} as const;
