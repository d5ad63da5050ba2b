/**
 * What an AM resource handler sees of a request, and what it answers. Handlers return an
 * AmAnswer or throw an AmError; the dispatcher adds AM's headers and writes the response.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Tenant } from '../../tenant/tenant.js';
import type { Authenticator } from '../../journeys/authenticator.js';
import type { Realm } from '../../state/realms.js';
import type { RequestedVersion, Version } from './versioning.js';
import { AmError } from './errors.js';
import { readJsonBody } from '../json-body.js';

export interface AmRequest {
  readonly tenant: Tenant;
  /** Runs the journeys `/authenticate` serves. */
  readonly authenticator: Authenticator;
  /** Does this bearer token stand for an administrator (HttpServices.adminBearer)? */
  readonly adminBearer: (token: string) => Promise<boolean>;
  /** Upper-case HTTP method. */
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly query: URLSearchParams;
  readonly realm: Realm;
  /** Resource path elements after the realm: `['sessions']`, `['users', '<id>']`. */
  readonly resource: string[];
  readonly trailingSlash: boolean;
  readonly requestedVersion: RequestedVersion;
  /** The raw body; undefined or empty when the request had none. */
  readonly body: Buffer | undefined;
  /** The host the client addressed (Host header without port). */
  readonly hostname: string;
  /** True when the client reached us over TLS (directly or through a proxy that says so). */
  readonly secure: boolean;
  /** Set by the handler once it has chosen a version, so errors after that carry Content-API-Version. */
  servedVersion: Version | undefined;
}

export interface AmAnswer {
  status: number;
  /** Serialised as JSON; undefined sends no body. */
  body?: unknown;
  /** Extra headers (Set-Cookie goes in `cookies`). */
  headers?: Record<string, string | string[]>;
  cookies?: string[];
}

export interface AmResource {
  /** How answers are dressed: CREST headers, serverinfo's no-store, or authenticate's. */
  readonly kind: 'crest' | 'serverinfo' | 'authenticate';
  handle(request: AmRequest): Promise<AmAnswer>;
}

/** CREST's answer to a body that is not JSON, which is also how it answers one Jackson refuses as too deep. */
const AM_JSON_ERRORS = {
  notJson: 'The request could not be processed because the provided content is not valid JSON',
  tooDeep: 'The request could not be processed because the provided content is not valid JSON',
} as const;

/**
 * The request body as JSON. No body (or only whitespace) is undefined: AM accepts a POST
 * without a body wherever the action does not need one. Anything that is not JSON is a 400.
 */
export function jsonBody(request: AmRequest): unknown {
  return readJsonBody(request.body, AM_JSON_ERRORS);
}

/** The body as a JSON object (or undefined when absent); arrays and scalars are a 400. */
export function jsonObjectBody(request: AmRequest): Record<string, unknown> | undefined {
  const body = jsonBody(request);
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new AmError(400, 'The request could not be processed because the provided content is not a JSON object');
  }
  return body as Record<string, unknown>;
}
