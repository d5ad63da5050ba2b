/**
 * The control API's route schemas (Fastify's `schema`: body, querystring, params) and how they
 * are checked: Ajv, with options of our own rather than Fastify's defaults, which coerce types
 * ("5" would pass as 5, an array of one value as the value) and strip unknown properties, where
 * the control API refuses both.
 *
 * What a refused value is told: a schema node may carry `errorMessage`, a string, or one string
 * per keyword that can fail there (`{type: ..., required: ...}`); `{property}` in it is the
 * offending property's name in JSON (an unknown field). Without one, Ajv's message says it, after
 * where (`body/frozen must be boolean`). Ajv stops at the first failure; its errors list the
 * outermost failing keyword last, and that is the one answered.
 */
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { AmError } from '../am/errors.js';

/** What the control API answers a body that is not a JSON object, where it needs one. */
export const OBJECT_BODY_MESSAGE = 'The request body must be a JSON object';

/** A JSON object body with no more checks than that (the route's domain checks the rest). */
export const objectBody = { type: 'object', errorMessage: OBJECT_BODY_MESSAGE } as const;

/**
 * Query parameters given at most once each: the query parser makes a repeated one an array,
 * which the route would otherwise have to tell from a value.
 */
export function singleQueryParams(...names: string[]): object {
  return {
    type: 'object',
    properties: Object.fromEntries(
      names.map((name) => [name, { type: 'string', errorMessage: `the query parameter ${name} must be given once` }]),
    ),
  };
}

/** Path parameters, each a string (always so; named for the handler's types and the reader). */
export function pathParams(...names: string[]): object {
  return {
    type: 'object',
    required: names,
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
  };
}

let ajv: Ajv | undefined;

/**
 * Loaded on the first check, not at start: loading Ajv and compiling costs tens of milliseconds,
 * which a start that serves no control request should not pay (as emulator/core/json-schema.ts).
 */
function theAjv(): Ajv {
  if (!ajv) {
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    ajv = new AjvClass({
      allErrors: false,
      coerceTypes: false,
      useDefaults: false,
      removeAdditional: false,
      strict: true,
      // Errors name the schema node they come from (its errorMessage).
      verbose: true,
    });
    ajv.addKeyword({ keyword: 'errorMessage', schemaType: ['string', 'object'] });
  }
  return ajv;
}

/**
 * The plugin's validator compiler: each schema compiled when a request first needs it (Ajv
 * keeps it, by schema, for the next emulator in the process).
 */
export const compileSchema: FastifySchemaCompiler<object> = ({ schema }) => {
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown): boolean => {
    compiled ??= theAjv().compile(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors ?? null;
    return valid;
  };
  validate.errors = null as FastifySchemaValidationError[] | null;
  return validate;
};

/** The plugin's schema error formatter: the 400 a refused request is answered with. */
export function schemaError(errors: FastifySchemaValidationError[], dataVar: string): AmError {
  return new AmError(400, schemaErrorMessage(errors as ErrorObject[], dataVar));
}

function schemaErrorMessage(errors: ErrorObject[], dataVar: string): string {
  const error = errors.at(-1);
  if (!error) return `${dataVar} is not valid`;
  const configured = (error.parentSchema as { errorMessage?: unknown } | undefined)?.errorMessage;
  const message =
    typeof configured === 'string'
      ? configured
      : typeof configured === 'object' && configured !== null && Object.hasOwn(configured, error.keyword)
        ? (configured as Record<string, unknown>)[error.keyword]
        : undefined;
  if (typeof message !== 'string') return `${dataVar}${error.instancePath} ${error.message ?? 'is not valid'}`;
  const property = (error.params as { additionalProperty?: unknown }).additionalProperty;
  return message.replace('{property}', JSON.stringify(property));
}
