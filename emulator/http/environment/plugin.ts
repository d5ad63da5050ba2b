/**
 * AIC's ESV API under `/environment` (tenant-global: no `/am`, no realm): variables, secrets and
 * their versions, counts, and the restart that loads what changed. Recorded answers and their
 * sources: docs/fidelity.md, "ESVs and managed users over REST". Errors are `{code, message}`
 * without CREST's `reason`, as AIC answers them; the parameter errors word what AIC's OpenAPI
 * validator says (`parameter "_pageSize" in query has an error: number must be at most 100`).
 *
 * Who may call: an admin bearer, or a token with `fr:idc:esv:*`; `fr:idc:esv:read` reads,
 * `fr:idc:esv:update` also writes, `fr:idc:esv:restart` restarts (frodo's and Ping's MCP
 * server's scope notes).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServices } from '../services.js';
import { AmError } from '../am/errors.js';
import { toAmError } from '../error-reply.js';
import { readJsonBody } from '../json-body.js';
import { FilterSyntaxError, matchesFilter, parseQueryFilter, valueAt } from '../../core/query-filter.js';
import { ESV_NAME_PATTERN } from '../../state/esvs.js';
import { accessOf, journalRequests, pathParts } from './scoped-api.js';
import { ENVIRONMENT_INFO, SERVICE_ACCOUNT_SCOPES } from './tenant-info.js';
import { ENCODINGS, EXPRESSION_TYPES, EsvCatalog, type SecretVersion } from '../../state/esv-catalog.js';

export const ENVIRONMENT_PREFIX = '/environment';

/** Who `lastChangedBy` names: the emulator does not tell its admin callers apart. */
const CHANGED_BY = 'tenant-admin';
const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_PAGE_SIZE = 100;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ID_RULE = '^esv-[a-z0-9_-]{1,124}$';

/** An answer of the ESV API: `{code, message}` for an error. */
class EsvApiError extends AmError {}

const fail = (status: number, message: string) => new EsvApiError(status, message);
const NOT_FOUND_VARIABLE = 'The variable does not exist';
const NOT_FOUND_SECRET = 'The secret does not exist or does not have a version';

/** `tenant`: any tenant administrator, signed in (a session cookie, as frodo calls) or with a token. */
type Need = 'read' | 'update' | 'restart' | 'tenant';

interface Answer {
  status?: number;
  body?: unknown;
}

export const environmentApi: FastifyPluginAsync<{ services: HttpServices }> = async (app, { services }) => {
  const catalog = services.tenant.esvCatalog;
  // A secret's value never reaches the journal.
  journalRequests(app, services, (request, body) =>
    pathParts(request, ENVIRONMENT_PREFIX)?.parts[0] === 'secrets' ? maskSecretValues(body) : body,
  );
  app.setErrorHandler((error, request, reply) => sendError(reply, toAmError(error, request)));
  app.all('/*', async (request, reply) => {
    const target = pathParts(request, ENVIRONMENT_PREFIX);
    if (!target) return sendError(reply, fail(400, 'The path is not valid'));
    const route = routeOf(target.parts, request.method, target.query.get('_action'));
    // Callers are checked first: a path that serves nothing is a 404 only to one who may ask.
    const need = route.kind === 'route' ? route.need : 'read';
    const access = await accessOf(services, request, (scopes) => allows(scopes, need), {
      adminSessions: need === 'tenant',
    });
    if (access === 'unauthenticated') return sendError(reply, fail(401, 'Unauthorized'));
    if (access === 'forbidden') return sendError(reply, fail(403, 'Forbidden'));
    if (route.kind === 'not-found') return sendError(reply, fail(404, 'Not Found'));
    if (route.kind === 'method') return sendError(reply, fail(405, 'Method Not Allowed'));
    try {
      const answer = route.run(catalog, { parts: target.parts, query: target.query, request });
      reply.code(answer.status ?? 200);
      if (answer.body === undefined) return reply.send();
      return reply.header('content-type', JSON_TYPE).send(JSON.stringify(answer.body));
    } catch (error) {
      return sendError(reply, toAmError(error, request));
    }
  });
};

function sendError(reply: FastifyReply, error: AmError): FastifyReply {
  return reply
    .code(error.status)
    .header('content-type', JSON_TYPE)
    .send(JSON.stringify({ code: error.status, message: error.message }));
}

function allows(scopes: readonly string[], need: Need): boolean {
  if (scopes.includes('fr:idc:esv:*')) return true;
  if (need === 'tenant') return scopes.some((scope) => scope.startsWith('fr:idc:') || scope === 'fr:idm:*');
  if (need === 'read') return scopes.some((scope) => ['fr:idc:esv:read', 'fr:idc:esv:update'].includes(scope));
  return scopes.includes(`fr:idc:esv:${need}`);
}

/** valueBase64 masked wherever it is in a JSON body; a body that is not JSON, masked whole. */
function maskSecretValues(body: Buffer): string {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.hasOwn(parsed, 'valueBase64'))
      return JSON.stringify({ ...(parsed as Record<string, unknown>), valueBase64: '***' });
    return JSON.stringify(parsed);
  } catch {
    return '***';
  }
}

interface Context {
  parts: string[];
  query: URLSearchParams;
  request: FastifyRequest;
}

type Route =
  | { kind: 'not-found' }
  | { kind: 'method' }
  | { kind: 'route'; need: Need; run: (catalog: EsvCatalog, context: Context) => Answer };

const route = (need: Need, run: (catalog: EsvCatalog, context: Context) => Answer): Route => ({
  kind: 'route',
  need,
  run,
});

function routeOf(parts: string[], method: string, action: string | null): Route {
  const [collection, id, sub, version, ...rest] = parts;
  if (rest.length > 0 || parts.some((part) => part === '')) return { kind: 'not-found' };
  const get = method === 'GET' || method === 'HEAD';
  if (collection === 'info' && parts.length === 1)
    return get ? route('tenant', () => ({ body: ENVIRONMENT_INFO })) : { kind: 'method' };
  if (collection === 'scopes' && id === 'service-accounts' && parts.length === 2)
    return get ? route('tenant', () => ({ body: SERVICE_ACCOUNT_SCOPES })) : { kind: 'method' };
  if (collection === 'count' && parts.length === 1) return get ? route('read', count) : { kind: 'method' };
  if (collection === 'startup' && parts.length === 1) {
    if (get) return route('read', () => ({ body: { restartStatus: 'ready' } }));
    if (method === 'POST') return route('restart', (catalog, context) => restart(catalog, context, action));
    return { kind: 'method' };
  }
  if (collection === 'variables') {
    if (id === undefined) return get ? route('read', listVariables) : { kind: 'method' };
    if (sub !== undefined) return { kind: 'not-found' };
    if (get) return route('read', readVariable);
    if (method === 'PUT') return route('update', putVariable);
    if (method === 'DELETE') return route('update', deleteVariable);
    if (method === 'POST') return route('update', (catalog, context) => describeVariable(catalog, context, action));
    return { kind: 'method' };
  }
  if (collection === 'secrets') {
    if (id === undefined) return get ? route('read', listSecrets) : { kind: 'method' };
    if (sub === undefined) {
      if (get) return route('read', readSecret);
      if (method === 'PUT') return route('update', createSecret);
      if (method === 'DELETE') return route('update', deleteSecret);
      if (method === 'POST') return route('update', (catalog, context) => describeSecret(catalog, context, action));
      return { kind: 'method' };
    }
    if (sub !== 'versions') return { kind: 'not-found' };
    if (version === undefined) {
      if (get) return route('read', listVersions);
      if (method === 'POST') return route('update', (catalog, context) => createVersion(catalog, context, action));
      return { kind: 'method' };
    }
    if (get) return route('read', readVersion);
    if (method === 'POST') return route('update', (catalog, context) => changeStatus(catalog, context, action));
    if (method === 'DELETE') return route('update', destroyVersion);
    return { kind: 'method' };
  }
  return { kind: 'not-found' };
}

// Parameters and bodies

function checkedId(context: Context, parameter: 'variableId' | 'secretId'): string {
  const id = context.parts[1] as string;
  if (!ESV_NAME_PATTERN.test(id))
    throw fail(
      400,
      `parameter "${parameter}" in path has an error: string doesn't match the regular expression "${ID_RULE}"`,
    );
  return id;
}

function checkedAction(action: string | null, allowed: string): void {
  if (action !== allowed)
    throw fail(400, `parameter "_action" in query has an error: value is not one of the allowed values ["${allowed}"]`);
}

function bodyOf(context: Context): Record<string, unknown> {
  const body = readJsonBody(context.request.body, {
    notJson: 'request body has an error: failed to decode request body: invalid JSON',
    tooDeep: 'request body has an error: failed to decode request body: nested too deeply',
  });
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw fail(400, 'request body has an error: value must be an object');
  return body as Record<string, unknown>;
}

const bodyError = (message: string) => fail(400, `request body has an error: doesn't match schema: ${message}`);

function stringField(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  if (!Object.hasOwn(body, name)) {
    if (required) throw bodyError(`property "${name}" is missing`);
    return undefined;
  }
  const value = body[name];
  if (typeof value !== 'string') throw bodyError(`field "${name}" must be a string`);
  return value;
}

function base64Field(body: Record<string, unknown>): string {
  const value = stringField(body, 'valueBase64', true) as string;
  if (!BASE64.test(value)) throw bodyError('field "valueBase64" must be base64');
  return value;
}

function oneOf(
  body: Record<string, unknown>,
  name: string,
  allowed: readonly string[],
  required = false,
): string | undefined {
  const value = stringField(body, name, required);
  if (value !== undefined && !allowed.includes(value))
    throw bodyError(`field "${name}" must be one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`);
  return value;
}

// Lists

/** `_pageSize` (≤ 100, 100 when absent), `_pagedResultsCookie`, `_queryFilter`, `_sortKeys`, `_onlyPending`. */
function listOf<T extends { _id: string; loaded: boolean }>(items: T[], query: URLSearchParams): Answer {
  const sizeText = query.get('_pageSize');
  let pageSize = MAX_PAGE_SIZE;
  if (sizeText !== null) {
    if (!/^-?\d{1,9}$/.test(sizeText))
      throw fail(
        400,
        `parameter "_pageSize" in query has an error: value ${sizeText}: an invalid integer: invalid syntax`,
      );
    pageSize = Number(sizeText);
    if (pageSize > MAX_PAGE_SIZE)
      throw fail(400, `parameter "_pageSize" in query has an error: number must be at most ${MAX_PAGE_SIZE}`);
    if (pageSize < 0) throw fail(400, 'parameter "_pageSize" in query has an error: number must be at least 0');
  }
  let offset = 0;
  const cookie = query.get('_pagedResultsCookie');
  if (cookie !== null && cookie !== '') {
    const decoded = /^[A-Za-z0-9_-]{1,16}$/.test(cookie) ? Number(Buffer.from(cookie, 'base64url').toString()) : NaN;
    if (!Number.isSafeInteger(decoded) || decoded < 0)
      throw fail(400, 'parameter "_pagedResultsCookie" in query has an error: the cookie is not valid');
    offset = decoded;
  }
  let selected = items;
  const filterText = query.get('_queryFilter');
  if (filterText !== null && filterText !== '') {
    let filter;
    try {
      filter = parseQueryFilter(filterText);
    } catch (error) {
      if (!(error instanceof FilterSyntaxError)) throw error;
      throw fail(400, `parameter "_queryFilter" in query has an error: ${error.message}`);
    }
    selected = selected.filter((item) => matchesFilter(filter, item));
  }
  if (query.get('_onlyPending') === 'true') selected = selected.filter((item) => !item.loaded);
  const sortKeys = (query.get('_sortKeys') ?? '').split(',').filter(Boolean);
  if (sortKeys.length > 0) selected = [...selected].sort((a, b) => compareBy(a, b, sortKeys));
  const page = selected.slice(offset, offset + pageSize);
  const next = offset + page.length;
  return {
    body: {
      pagedResultsCookie:
        pageSize > 0 && next < selected.length ? Buffer.from(String(next)).toString('base64url') : null,
      remainingPagedResults: -1,
      result: page,
    },
  };
}

function compareBy(a: object, b: object, keys: string[]): number {
  for (const key of keys) {
    const descending = key.startsWith('-');
    const field = key.replace(/^[+-]/, '');
    const text = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
    const order = text(valueAt(a, field)).localeCompare(text(valueAt(b, field)));
    if (order !== 0) return descending ? -order : order;
  }
  return 0;
}

// Variables

function listVariables(catalog: EsvCatalog, { query }: Context): Answer {
  return listOf(
    catalog.variableNames().flatMap((name) => catalog.variable(name) ?? []),
    query,
  );
}

function readVariable(catalog: EsvCatalog, context: Context): Answer {
  const view = catalog.variable(checkedId(context, 'variableId'));
  if (!view) throw fail(404, NOT_FOUND_VARIABLE);
  return { body: view };
}

function putVariable(catalog: EsvCatalog, context: Context): Answer {
  const id = checkedId(context, 'variableId');
  const body = bodyOf(context);
  const valueBase64 = base64Field(body);
  const description = stringField(body, 'description', false);
  const expressionType = oneOf(body, 'expressionType', EXPRESSION_TYPES);
  if (catalog.secret(id)) throw fail(400, 'A secret with this id already exists');
  const existing = catalog.variable(id);
  if (existing && (expressionType ?? 'string') !== existing.expressionType)
    throw fail(400, 'Changing the type of an existing variable is not permitted');
  return {
    body: catalog.putVariable(
      id,
      {
        valueBase64,
        ...(description !== undefined ? { description } : {}),
        expressionType: expressionType ?? 'string',
      },
      CHANGED_BY,
    ),
  };
}

function describeVariable(catalog: EsvCatalog, context: Context, action: string | null): Answer {
  const id = checkedId(context, 'variableId');
  checkedAction(action, 'setDescription');
  const description = stringField(bodyOf(context), 'description', true) as string;
  const view = catalog.describeVariable(id, description, CHANGED_BY);
  if (!view) throw fail(404, NOT_FOUND_VARIABLE);
  return { body: view };
}

function deleteVariable(catalog: EsvCatalog, context: Context): Answer {
  const view = catalog.deleteVariable(checkedId(context, 'variableId'));
  if (!view) throw fail(404, NOT_FOUND_VARIABLE);
  return { body: view };
}

// Secrets

function listSecrets(catalog: EsvCatalog, { query }: Context): Answer {
  return listOf(
    catalog.secretNames().flatMap((name) => catalog.secret(name) ?? []),
    query,
  );
}

function readSecret(catalog: EsvCatalog, context: Context): Answer {
  const view = catalog.secret(checkedId(context, 'secretId'));
  if (!view) throw fail(404, NOT_FOUND_SECRET);
  return { body: view };
}

function createSecret(catalog: EsvCatalog, context: Context): Answer {
  const id = checkedId(context, 'secretId');
  const body = bodyOf(context);
  const valueBase64 = base64Field(body);
  const description = stringField(body, 'description', false) ?? '';
  const encoding = oneOf(body, 'encoding', ENCODINGS) ?? 'generic';
  if (!Object.hasOwn(body, 'useInPlaceholders')) throw bodyError('property "useInPlaceholders" is missing');
  const useInPlaceholders = body['useInPlaceholders'];
  if (typeof useInPlaceholders !== 'boolean') throw bodyError('field "useInPlaceholders" must be a boolean');
  if (catalog.secret(id) || catalog.variable(id)) throw fail(400, 'Failed to create secret, the secret already exists');
  if (!contentFits(encoding, valueBase64)) throw fail(500, 'Failed to create secret');
  const view = catalog.createSecret(id, { valueBase64, description, encoding, useInPlaceholders }, CHANGED_BY);
  if (!view) throw fail(400, 'Failed to create secret, the secret already exists');
  return { body: view };
}

/** A pem secret holds a PEM block; base64hmac and base64aes hold base64 (of a key). */
function contentFits(encoding: string, valueBase64: string): boolean {
  const content = Buffer.from(valueBase64, 'base64').toString('utf8');
  if (encoding === 'pem') return /-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/.test(content);
  if (encoding === 'base64hmac' || encoding === 'base64aes') return content !== '' && BASE64.test(content.trim());
  return true;
}

function describeSecret(catalog: EsvCatalog, context: Context, action: string | null): Answer {
  const id = checkedId(context, 'secretId');
  checkedAction(action, 'setDescription');
  const description = stringField(bodyOf(context), 'description', true) as string;
  if (!catalog.describeSecret(id, description, CHANGED_BY)) throw fail(404, NOT_FOUND_SECRET);
  return {};
}

function deleteSecret(catalog: EsvCatalog, context: Context): Answer {
  const view = catalog.deleteSecret(checkedId(context, 'secretId'));
  if (!view) throw fail(404, NOT_FOUND_SECRET);
  return { body: view };
}

function versionView(catalog: EsvCatalog, id: string, version: SecretVersion) {
  return {
    createDate: version.createDate,
    loaded: catalog.versionLoaded(id, version),
    status: version.status,
    version: String(version.version),
  };
}

function listVersions(catalog: EsvCatalog, context: Context): Answer {
  const id = checkedId(context, 'secretId');
  const versions = catalog.versions(id);
  if (!versions) throw fail(404, NOT_FOUND_SECRET);
  return { body: versions.map((version) => versionView(catalog, id, version)) };
}

function readVersion(catalog: EsvCatalog, context: Context): Answer {
  const id = checkedId(context, 'secretId');
  const version = catalog.versions(id)?.find((item) => String(item.version) === context.parts[3]);
  if (!version) throw fail(404, 'The secret version does not exist');
  return { body: versionView(catalog, id, version) };
}

function createVersion(catalog: EsvCatalog, context: Context, action: string | null): Answer {
  const id = checkedId(context, 'secretId');
  checkedAction(action, 'create');
  const valueBase64 = base64Field(bodyOf(context));
  const version = catalog.addVersion(id, valueBase64, CHANGED_BY);
  if (!version) throw fail(404, 'Failed to create secret version');
  return { body: versionView(catalog, id, version) };
}

function changeStatus(catalog: EsvCatalog, context: Context, action: string | null): Answer {
  const id = checkedId(context, 'secretId');
  checkedAction(action, 'changestatus');
  const status = oneOf(bodyOf(context), 'status', ['ENABLED', 'DISABLED'], true) as 'ENABLED' | 'DISABLED';
  return versionAnswer(catalog, id, catalog.setVersionStatus(id, context.parts[3] as string, status, CHANGED_BY));
}

function destroyVersion(catalog: EsvCatalog, context: Context): Answer {
  const id = checkedId(context, 'secretId');
  return versionAnswer(catalog, id, catalog.setVersionStatus(id, context.parts[3] as string, 'DESTROYED', CHANGED_BY));
}

function versionAnswer(catalog: EsvCatalog, id: string, outcome: ReturnType<EsvCatalog['setVersionStatus']>): Answer {
  if (outcome === 'missing') throw fail(404, 'The secret version does not exist');
  if (outcome === 'latest') throw fail(400, 'Cannot disable latest secret version');
  if (outcome === 'destroyed') throw fail(400, 'The secret version is destroyed');
  return { body: versionView(catalog, id, outcome) };
}

// Count and restart

function count(catalog: EsvCatalog, { query }: Context): Answer {
  if (query.get('_onlyPending') === 'true') return { body: catalog.pendingCount() };
  return { body: { secrets: catalog.secretNames().length, variables: catalog.variableNames().length } };
}

/** The restart is done when it is asked for: the status reads `ready` again at once. */
function restart(catalog: EsvCatalog, _context: Context, action: string | null): Answer {
  checkedAction(action, 'restart');
  catalog.restart();
  return { body: { restartStatus: 'restarting' } };
}
