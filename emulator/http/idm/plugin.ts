/**
 * IDM's managed users under `/openidm/managed/<realm>_user` (tenant-global, as on AIC):
 * `alpha_user`, and one per other top-level realm the tenant has. Queries (CREST `_queryFilter`,
 * `_fields`, `_pageSize`, `_pagedResultsCookie`, `_totalPagedResultsPolicy`), read, create
 * (`?_action=create`, PUT, `If-None-Match: *`), PATCH, DELETE, over the tenant's UserDirectory:
 * one store, so a user created here signs in through journeys and shows in the control API.
 * Errors are CREST's `{code, reason, message[, detail]}`. Decisions: docs/fidelity.md, "ESVs and
 * managed users over REST".
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServices } from '../services.js';
import type { Realm } from '../../state/realms.js';
import { UserError, type User, type UserDirectory } from '../../state/user-directory.js';
import { FilterSyntaxError, matchesFilter, parseQueryFilter, valueAt } from '../../core/query-filter.js';
import { AmError } from '../am/errors.js';
import { CREST_CONTENT_TYPE } from '../am/response-headers.js';
import { amErrorPayload, toAmError } from '../error-reply.js';
import { readJsonBody } from '../json-body.js';
import { accessOf, journalRequests, pathParts } from '../environment/scoped-api.js';
import {
  NOT_WRITABLE,
  applyPatch,
  badRequest,
  checkPolicies,
  defineOwn,
  objectView,
  policyFailure,
  project,
} from './users.js';

export const MANAGED_PREFIX = '/openidm/managed';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MANAGED_USER = /^([a-z0-9][a-z0-9-]*)_user$/;

interface Answer {
  status?: number;
  body: unknown;
}

interface Target {
  objectName: string;
  realm: Realm;
  id: string | undefined;
  query: URLSearchParams;
}

export const managedUsersApi: FastifyPluginAsync<{ services: HttpServices }> = async (app, { services }) => {
  journalRequests(app, services, (_request, body) => maskPatchedPasswords(body));
  app.setErrorHandler((error, request, reply) => sendError(reply, toAmError(error, request)));
  app.all('/*', async (request, reply) => {
    const access = await accessOf(services, request, (scopes) => scopes.includes('fr:idm:*'));
    if (access === 'unauthenticated') return sendError(reply, new AmError(401, 'Access Denied'));
    if (access === 'forbidden') return sendError(reply, new AmError(403, 'Access Denied'));
    try {
      const answer = handle(services, request, targetOf(services, request));
      reply.code(answer.status ?? 200).header('content-type', CREST_CONTENT_TYPE);
      return reply.send(JSON.stringify(answer.body));
    } catch (error) {
      return sendError(reply, userErrorOf(error) ?? toAmError(error, request));
    }
  });
};

function sendError(reply: FastifyReply, error: AmError): FastifyReply {
  return reply.code(error.status).header('content-type', CREST_CONTENT_TYPE).send(amErrorPayload(error));
}

/** The directory's refusals in IDM's words: a taken userName is the `unique` policy. */
function userErrorOf(error: unknown): AmError | undefined {
  if (!(error instanceof UserError)) return undefined;
  if (error.status === 409 && /named/.test(error.message))
    return policyFailure([{ property: 'userName', requirement: 'UNIQUE' }]);
  return new AmError(error.status === 404 ? 404 : 400, error.message);
}

/** A PATCH's password values are masked in the journal too (a body's `password` key always is). */
function maskPatchedPasswords(body: Buffer): Buffer | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (!Array.isArray(parsed)) return body;
  return JSON.stringify(
    parsed.map((item: unknown) =>
      item !== null &&
      typeof item === 'object' &&
      typeof (item as { field?: unknown }).field === 'string' &&
      /^\/?password$/i.test((item as { field: string }).field)
        ? { ...item, value: '***' }
        : item,
    ),
  );
}

function targetOf(services: HttpServices, request: FastifyRequest): Target {
  const path = pathParts(request, MANAGED_PREFIX);
  if (!path) throw badRequest('The path is not valid');
  const [objectName, id, ...rest] = path.parts;
  const notFound = () => new AmError(404, `Resource 'managed/${objectName ?? ''}' not found`);
  if (objectName === undefined || rest.length > 0 || id === '') throw notFound();
  const match = MANAGED_USER.exec(objectName);
  const realm = match ? services.tenant.realms.get(`/${match[1] as string}`) : undefined;
  if (!realm) throw notFound();
  return { objectName, realm, id, query: path.query };
}

function handle(services: HttpServices, request: FastifyRequest, target: Target): Answer {
  const users = services.tenant.users;
  const { method } = request;
  const action = target.query.get('_action');
  if (target.id === undefined) {
    if (method === 'GET' || method === 'HEAD') return query(users, target);
    if (method === 'POST' && action === 'create') return create(users, target, bodyObject(request), undefined);
    if (method === 'POST') throw badRequest(`Action ${action ?? ''} not supported on managed/${target.objectName}`);
    throw new AmError(405, `Method ${method} is not supported on a collection`);
  }
  const id = target.id;
  const existing = users.getInRealm(target.realm.path, id);
  const missing = () => new AmError(404, `Object ${id} not found in managed/${target.objectName}`);
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (!existing) throw missing();
      return { body: project(objectView(users, existing), fieldsOf(target.query)) };
    case 'PUT': {
      const body = bodyObject(request);
      const noneMatch = request.headers['if-none-match'];
      if (noneMatch === '*') {
        if (existing || users.get(id)) throw alreadyExists(id);
        return create(users, target, body, id);
      }
      if (!existing) {
        if (users.get(id)) throw alreadyExists(id);
        return create(users, target, body, id);
      }
      checkRevision(request, users, existing);
      return replace(users, target, existing, body);
    }
    case 'PATCH': {
      if (!existing) throw missing();
      checkRevision(request, users, existing);
      return patch(users, target, existing, readBody(request));
    }
    case 'DELETE': {
      if (!existing) throw missing();
      checkRevision(request, users, existing);
      const view = objectView(users, existing);
      users.remove(existing._id);
      return { body: project(view, fieldsOf(target.query)) };
    }
    case 'POST':
      throw badRequest(`Action ${action ?? ''} not supported on managed/${target.objectName}/${id}`);
    default:
      throw new AmError(405, `Method ${method} is not supported`);
  }
}

const alreadyExists = (id: string) => new AmError(412, `Entry Already Exists: ${id}`);

function checkRevision(request: FastifyRequest, users: UserDirectory, user: User): void {
  const ifMatch = request.headers['if-match'];
  if (ifMatch === undefined || ifMatch === '*') return;
  const revision = objectView(users, user)['_rev'];
  if (ifMatch.replace(/^"|"$/g, '') !== revision)
    throw new AmError(412, 'The resource version does not match the version provided');
}

function readBody(request: FastifyRequest): unknown {
  return readJsonBody(request.body, {
    notJson: 'The request could not be processed because the provided content is not valid JSON',
    tooDeep: 'The request could not be processed because the provided content is nested too deeply',
  });
}

function bodyObject(request: FastifyRequest): Record<string, unknown> {
  const body = readBody(request);
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

function fieldsOf(query: URLSearchParams): string[] {
  return (query.get('_fields') ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
}

/** The properties a body sets: `_`-prefixed, `admin` and `realm` are not IDM's to write; `password` apart. */
function propertiesOf(body: Record<string, unknown>): { properties: Record<string, unknown>; password: unknown } {
  const properties: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (NOT_WRITABLE.has(name) || name === '__proto__' || name === 'password' || name.startsWith('_')) continue;
    defineOwn(properties, name, value);
  }
  return { properties, password: body['password'] };
}

function create(
  users: UserDirectory,
  target: Target,
  body: Record<string, unknown>,
  pathId: string | undefined,
): Answer {
  const bodyId = Object.hasOwn(body, '_id') ? body['_id'] : undefined;
  const id = pathId ?? bodyId;
  if (id !== undefined && (typeof id !== 'string' || !UUID.test(id)))
    throw badRequest('Invalid Attribute Syntax: a managed user _id must be a UUID');
  if (typeof id === 'string' && users.get(id)) throw alreadyExists(id);
  const { properties, password } = propertiesOf(body);
  checkPolicies(properties, password);
  const user = users.add({
    ...(properties as Record<string, never>),
    realm: target.realm.path,
    userName: properties['userName'] as string,
    // A user made without a password has one nobody knows: it cannot sign in with a password.
    password: typeof password === 'string' ? password : randomBytes(24).toString('base64url'),
    ...(typeof id === 'string' ? { _id: id } : {}),
  });
  return { status: 201, body: project(objectView(users, user), fieldsOf(target.query)) };
}

/** PUT on an existing user: its properties become the body's (the password stays unless given). */
function replace(users: UserDirectory, target: Target, user: User, body: Record<string, unknown>): Answer {
  const bodyId = Object.hasOwn(body, '_id') ? body['_id'] : undefined;
  if (bodyId !== undefined && bodyId !== user._id) throw badRequest('The _id of an object cannot change');
  const { properties, password } = propertiesOf(body);
  checkPolicies(properties, password);
  const changes: Record<string, unknown> = {};
  for (const name of Object.keys(user.attributes)) changes[name] = null;
  for (const [name, value] of Object.entries(properties)) defineOwn(changes, name, value);
  if (!Object.hasOwn(properties, 'accountStatus')) changes['accountStatus'] = user.accountStatus;
  if (typeof password === 'string') changes['password'] = password;
  const updated = users.update(user._id, changes);
  return { body: project(objectView(users, updated), fieldsOf(target.query)) };
}

function patch(users: UserDirectory, target: Target, user: User, operations: unknown): Answer {
  const before = objectView(users, user);
  const after = applyPatch(before, operations);
  for (const name of ['_id', '_rev']) {
    if (JSON.stringify(after[name]) !== JSON.stringify(before[name]))
      throw badRequest(`The field ${name} cannot be patched`);
  }
  const password = Object.hasOwn(after, 'password') ? after['password'] : undefined;
  const properties: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(after))
    if (!name.startsWith('_') && name !== 'password' && !NOT_WRITABLE.has(name)) defineOwn(properties, name, value);
  checkPolicies(properties, password);
  const changes: Record<string, unknown> = {};
  for (const name of Object.keys(before))
    if (!name.startsWith('_') && !Object.hasOwn(after, name)) changes[name] = null;
  for (const [name, value] of Object.entries(properties))
    if (JSON.stringify(value) !== JSON.stringify(before[name])) defineOwn(changes, name, value);
  if (typeof password === 'string') changes['password'] = password;
  const updated = Object.keys(changes).length > 0 ? users.update(user._id, changes) : user;
  return { body: project(objectView(users, updated), fieldsOf(target.query)) };
}

function nonNegativeInteger(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  if (!/^\d{1,9}$/.test(text)) throw badRequest(`The value '${text}' for parameter '${name}' is not a valid integer`);
  return Number(text);
}

function query(users: UserDirectory, target: Target): Answer {
  const { query: params } = target;
  const filterText = params.get('_queryFilter');
  if (filterText === null) {
    throw badRequest(
      params.has('_queryId')
        ? `The query id ${JSON.stringify(params.get('_queryId'))} is not supported; use _queryFilter`
        : 'A query of managed objects needs _queryFilter',
    );
  }
  let filter;
  try {
    filter = parseQueryFilter(filterText);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    throw badRequest(
      `The value '${filterText.length > 80 ? `${filterText.slice(0, 80)}...` : filterText}' for parameter '_queryFilter' could not be parsed as a valid query filter: ${error.message}`,
    );
  }
  const pageSize = nonNegativeInteger(params, '_pageSize');
  let offset = nonNegativeInteger(params, '_pagedResultsOffset') ?? 0;
  const cookie = params.get('_pagedResultsCookie');
  if (cookie !== null && cookie !== '') {
    const decoded = /^[A-Za-z0-9_-]{1,16}$/.test(cookie) ? Number(Buffer.from(cookie, 'base64url').toString()) : NaN;
    if (!Number.isSafeInteger(decoded) || decoded < 0)
      throw badRequest(`The value '${cookie.slice(0, 40)}' for parameter '_pagedResultsCookie' is not valid`);
    offset = decoded;
  }
  const exact = params.get('_totalPagedResultsPolicy') === 'EXACT';
  let matched = users
    .list(target.realm.path)
    .map((user) => objectView(users, user))
    .filter((view) => matchesFilter(filter, view));
  const sortKeys = (params.get('_sortKeys') ?? '').split(',').filter(Boolean);
  if (sortKeys.length > 0) matched = matched.sort((a, b) => compareBy(a, b, sortKeys));
  const page = pageSize === undefined ? matched.slice(offset) : matched.slice(offset, offset + pageSize);
  const next = offset + page.length;
  const fields = fieldsOf(params);
  return {
    body: {
      result: page.map((view) => project(view, fields)),
      resultCount: page.length,
      pagedResultsCookie:
        pageSize !== undefined && pageSize > 0 && next < matched.length
          ? Buffer.from(String(next)).toString('base64url')
          : null,
      totalPagedResultsPolicy: exact ? 'EXACT' : 'NONE',
      totalPagedResults: exact ? matched.length : -1,
      remainingPagedResults: -1,
    },
  };
}

function compareBy(a: object, b: object, keys: string[]): number {
  const text = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  for (const key of keys) {
    const descending = key.startsWith('-');
    const order = text(valueAt(a, key.replace(/^[+-]/, ''))).localeCompare(text(valueAt(b, key.replace(/^[+-]/, ''))));
    if (order !== 0) return descending ? -order : order;
  }
  return 0;
}
