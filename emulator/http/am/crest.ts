/**
 * How CREST reads an HTTP request (forgerock commons HttpAdapter/HttpUtils): which operation a
 * method and its parameters stand for, which `_` parameters that operation accepts, the content
 * types it accepts, and how it prints JSON.
 */
import type { AmRequest } from './context.js';
import { AmError } from './errors.js';

export type CrestOperation = 'read' | 'query' | 'action' | 'create' | 'update' | 'patch' | 'delete';

/** Protocol 1.0 unless the request names one (AM fills in `protocol=1.0`). */
function protocolAtLeast(request: AmRequest, major: number, minor: number): boolean {
  const protocol = request.requestedVersion.protocol ?? { major: 1, minor: 0 };
  return protocol.major > major || (protocol.major === major && protocol.minor >= minor);
}

/** The HTTP method CREST acts on: a POST may carry `X-HTTP-Method-Override`. */
export function effectiveMethod(request: AmRequest): string {
  const override = request.headers['x-http-method-override'];
  if (request.method === 'POST' && typeof override === 'string' && override.trim() !== '')
    return override.trim().toUpperCase();
  return request.method;
}

export function crestOperation(request: AmRequest): CrestOperation {
  const { query } = request;
  const method = effectiveMethod(request);
  switch (method) {
    case 'GET':
    case 'HEAD':
      return ['_queryfilter', '_queryid', '_queryexpression'].some((name) => hasParam(query, name)) ? 'query' : 'read';
    case 'POST': {
      const action = query.get('_action');
      if (action === 'create') return 'create';
      if (action !== null) return 'action';
      if (protocolAtLeast(request, 2, 1)) return 'create';
      throw new AmError(400, "No values provided for the request parameter '_action'");
    }
    case 'PUT': {
      if (request.headers['if-none-match'] === '*') return 'create';
      if (
        protocolAtLeast(request, 2, 0) &&
        request.headers['if-match'] === undefined &&
        request.headers['if-none-match'] === undefined
      )
        return 'create';
      return 'update';
    }
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      throw new AmError(501, `Method ${method} not supported`);
  }
}

function hasParam(query: URLSearchParams, lowerName: string): boolean {
  for (const name of query.keys()) if (name.toLowerCase() === lowerName) return true;
  return false;
}

/** The `_` parameters each operation accepts (anything else starting with `_` is refused). */
const COMMON = ['_fields', '_prettyprint'];
const ACCEPTED: Record<CrestOperation, ReadonlySet<string>> = {
  read: new Set([...COMMON, '_mimetype']),
  query: new Set([
    ...COMMON,
    '_queryfilter',
    '_queryid',
    '_queryexpression',
    '_sortkeys',
    '_pagesize',
    '_pagedresultsoffset',
    '_pagedresultscookie',
    '_totalpagedresultspolicy',
  ]),
  action: new Set([...COMMON, '_action']),
  create: new Set([...COMMON, '_action']),
  update: new Set(COMMON),
  patch: new Set(COMMON),
  delete: new Set(COMMON),
};
/** Parameters that may be repeated; every other one is single-valued. */
const MULTI_VALUED = new Set(['_fields', '_sortkeys']);

/**
 * CREST's checks on query parameters: unknown `_` parameters (including `_action` on a GET) and
 * repeated single-valued parameters are 400s. `realm` is consumed by realm routing and exempt.
 */
export function checkParameters(request: AmRequest, operation: CrestOperation): void {
  const seen = new Set<string>();
  for (const name of request.query.keys()) {
    const lower = name.toLowerCase();
    if (lower.startsWith('_') && !ACCEPTED[operation].has(lower))
      throw new AmError(400, `Unrecognized request parameter '${name}'`);
    if (seen.has(name) && !MULTI_VALUED.has(lower)) {
      throw new AmError(400, `Multiple values provided for the single-valued request parameter '${name}'`);
    }
    seen.add(name);
  }
}

/**
 * CREST refuses a request body it cannot read: a Content-Type other than JSON (or multipart)
 * on anything but GET. No Content-Type at all is fine for actions.
 */
export function checkContentType(request: AmRequest): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const header = request.headers['content-type'];
  if (header === undefined || header.trim() === '') return;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type === 'multipart/form-data') return;
  throw new AmError(
    400,
    `The request could not be processed because it specified the content-type '${header}' when only the content-type 'application/json' and 'multipart/form-data' are supported`,
  );
}

/** CREST's answer to an operation a resource provider does not support (AM's RestUtils.generateUnsupportedOperation). */
export function unsupportedOperation(): AmError {
  return new AmError(501, 'Operation is not supported.');
}

const VERBS: Partial<Record<CrestOperation, string>> = {
  read: 'read',
  update: 'updated',
  delete: 'deleted',
  patch: 'patched',
};

/** Read, update, delete or patch aimed at a collection's own URL (the path inside the message is empty, hence two spaces). */
export function collectionRefusal(operation: CrestOperation): AmError | undefined {
  const verb = Object.hasOwn(VERBS, operation) ? VERBS[operation] : undefined;
  return verb ? new AmError(400, `The resource collection  cannot be ${verb}`) : undefined;
}

/** `_prettyPrint=true` (any case): Jackson's default pretty printer, which CREST uses. */
export function wantsPrettyPrint(query: URLSearchParams): boolean {
  for (const [name, value] of query) if (name.toLowerCase() === '_prettyprint') return value.toLowerCase() === 'true';
  return false;
}

/** Jackson's DefaultPrettyPrinter style: `"key" : value`, two-space indent, `[ 1, 2 ]` arrays. */
export function jacksonPretty(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((item) => jacksonPretty(item, indent)).join(', ')} ]`;
  }
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return '{ }';
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)} : ${jacksonPretty(item, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * `_fields`: keeps only the named fields (JSON pointers, `/a/b` or `a/b`, comma-separated) of a
 * resource; `_id` and `_rev` stay (CREST writes them whatever `_fields` says).
 */
export function projectFields(resource: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const values = query.getAll('_fields').flatMap((value) => value.split(','));
  const pointers = values.map((value) => value.trim()).filter((value) => value !== '');
  if (pointers.length === 0) return resource;
  const result: Record<string, unknown> = {};
  for (const key of ['_id', '_rev']) if (key in resource) result[key] = resource[key];
  for (const pointer of pointers) {
    const parts = pointer
      .replace(/^\//, '')
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    let source: unknown = resource;
    for (const part of parts) {
      source =
        source && typeof source === 'object' && Object.hasOwn(source, part)
          ? (source as Record<string, unknown>)[part]
          : undefined;
    }
    if (source === undefined) continue;
    let target = result;
    for (const part of parts.slice(0, -1)) {
      if (!Object.hasOwn(target, part) || typeof target[part] !== 'object' || target[part] === null) {
        Object.defineProperty(target, part, { value: {}, enumerable: true, writable: true, configurable: true });
      }
      target = target[part] as Record<string, unknown>;
    }
    Object.defineProperty(target, parts[parts.length - 1] as string, {
      value: source,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** The CREST checks every resource makes before anything else: operation, parameters, content type. */
export function prepareCrest(request: AmRequest): CrestOperation {
  const operation = crestOperation(request);
  checkParameters(request, operation);
  checkContentType(request);
  return operation;
}
