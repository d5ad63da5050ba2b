/**
 * How the control API reads a request's body. The server hands every body on raw (server.ts); a
 * control route that reads one says how in its config, `jsonBody`, and this hook of the plugin
 * parses it before the route's schema checks it:
 *
 * - `object`: a JSON object, and no body at all is `{}` (the schema refuses other JSON);
 * - `value`: any JSON value, undefined without a body (the domain checks what it is given);
 * - `export`: any JSON value, but a body nested too deep is a TooDeepBody for the route to report
 *   (an import answers an export it cannot read with a problem, not a 400).
 *
 * Routes without `jsonBody` never read their body. Bodies nested deeper than the AM routes accept
 * are refused: faults, stubs, users and imports keep what they are given and answer it back later,
 * and JSON.stringify or structuredClone cannot walk what V8 parses (found by
 * test/integration/fuzz.test.ts).
 */
import type { FastifyRequest } from 'fastify';
import { JsonBodyError, MAX_JSON_NESTING, readJsonBody } from '../json-body.js';

export type JsonBodyUse = 'object' | 'value' | 'export';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the control API reads this route's body (control/body.ts); unset: it does not. */
    jsonBody?: JsonBodyUse;
  }
}

const CONTROL_JSON_ERRORS = {
  notJson: 'The request body is not valid JSON',
  tooDeep: `The request body is nested deeper than ${MAX_JSON_NESTING} levels`,
} as const;

/** An export nested deeper than MAX_JSON_NESTING, as an `export` route receives it. */
export class TooDeepBody {
  constructor(readonly message: string) {}
}

/** The `preValidation` hook that parses the body of the routes that read one. */
export async function parseJsonBody(request: FastifyRequest): Promise<void> {
  const use = request.routeOptions.config?.jsonBody;
  if (use === undefined) return;
  let value: unknown;
  try {
    value = readJsonBody(request.body, CONTROL_JSON_ERRORS);
  } catch (error) {
    if (use === 'export' && error instanceof JsonBodyError && error.problem === 'too-deep') {
      request.body = new TooDeepBody(error.message);
      return;
    }
    throw error;
  }
  request.body = value === undefined && use === 'object' ? {} : value;
}
