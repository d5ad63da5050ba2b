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

export interface AmRequest {
  readonly tenant: Tenant;
  /** Runs the journeys `/authenticate` serves. */
  readonly authenticator: Authenticator;
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

/** The first value of a query parameter. */
export function queryParam(request: AmRequest, name: string): string | undefined {
  return request.query.get(name) ?? undefined;
}

/**
 * The request body as JSON. No body (or only whitespace) is undefined: AM accepts a POST
 * without a body wherever the action does not need one. Anything that is not JSON is a 400.
 */
export function jsonBody(request: AmRequest): unknown {
  const raw = request.body;
  if (!raw || raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  // Jackson refuses documents nested deeper than 1000 levels (StreamReadConstraints), which
  // CREST answers as invalid JSON. The emulator needs the same bound: V8 parses far deeper
  // nesting than JSON.stringify and structuredClone can walk, so a deep value kept from a body
  // (journey state, the runs view) would later fail with a stack overflow (a 500).
  if (jsonNestingExceeds(text, MAX_JSON_NESTING)) {
    throw new AmError(400, 'The request could not be processed because the provided content is not valid JSON');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AmError(400, 'The request could not be processed because the provided content is not valid JSON');
  }
}

/** The deepest nesting of arrays and objects the emulator accepts in a JSON body (Jackson's default). */
export const MAX_JSON_NESTING = 1000;

/**
 * True when a JSON text nests arrays and objects deeper than `limit`. Counted in one pass
 * without recursion (brackets inside strings do not count), before the text is parsed.
 */
export function jsonNestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return false;
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
