/**
 * IDM's configuration objects under `/openidm/config` (tenant-global, as on AIC), over the
 * tenant's IdmConfigStore: the list of ids (`GET /openidm/config`), queries
 * (`?_queryFilter=_id sw 'emailTemplate'`), and read, PUT (create 201 with `Location`, or replace
 * 200), PATCH and DELETE of one object, whose id may have a slash (`ui/themerealm`,
 * `emailTemplate/<name>`). What frodo reads and writes in cloud mode: themes, email templates,
 * `idm list` / `idm export`. Who may call: as the managed users (plugin.ts). Decisions:
 * docs/fidelity.md, "IDM config".
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServices } from '../services.js';
import type { IdmConfigObject, IdmConfigStore } from '../../state/idm-config.js';
import { FilterSyntaxError, matchesFilter, parseQueryFilter } from '../../core/query-filter.js';
import { AmError } from '../am/errors.js';
import { amErrorPayload, toAmError } from '../error-reply.js';
import { readJsonBody } from '../json-body.js';
import { accessOf, journalRequests, pathParts } from '../environment/scoped-api.js';
import { applyPatch, badRequest, project } from './users.js';

export const CONFIG_PREFIX = '/openidm/config';

/**
 * The headers AIC's IDM puts on its config answers, errors included [real:
 * aic-idm-managed-config-email-theme.har #0-#9, #11, #14] (Google's front-end headers and HSTS
 * left out, as for AM: the emulator serves plain HTTP). Config objects carry no ETag (#4).
 */
const IDM_CONFIG_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-api-version': 'protocol=2.1,resource=1.0',
  'content-security-policy': "default-src 'none';frame-ancestors 'none';sandbox",
  'content-type': 'application/json;charset=utf-8',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  expires: '0',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'none',
};

/** One part of a config id (`emailTemplate`, `ui`, `provisioner.openicf`, `frEmailUpdated`). */
const ID_PART = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export const idmConfigApi: FastifyPluginAsync<{ services: HttpServices }> = async (app, { services }) => {
  journalRequests(app, services);
  app.setErrorHandler((error, request, reply) => sendError(reply, toAmError(error, request)));
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const access = await accessOf(services, request, (scopes) => scopes.includes('fr:idm:*'));
    if (access === 'unauthenticated') return sendError(reply, new AmError(401, 'Access Denied'));
    if (access === 'forbidden') return sendError(reply, new AmError(403, 'Access Denied'));
    try {
      const answer = handle(services.tenant.idmConfig, request);
      reply
        .code(answer.status ?? 200)
        .headers({ ...IDM_CONFIG_HEADERS, ...answer.headers })
        .header('content-type', IDM_CONFIG_HEADERS['content-type']);
      return reply.send(JSON.stringify(answer.body));
    } catch (error) {
      return sendError(reply, toAmError(error, request));
    }
  };
  app.all('/', handler);
  app.all('/*', handler);
};

function sendError(reply: FastifyReply, error: AmError): FastifyReply {
  return reply.code(error.status).headers(IDM_CONFIG_HEADERS).send(amErrorPayload(error));
}

/** IDM's answer for an object it does not have [real: #5]. */
const notFound = () => new AmError(404, 'Not Found');

function handle(store: IdmConfigStore, request: FastifyRequest): Answer {
  const path = pathParts(request, CONFIG_PREFIX);
  if (!path) throw badRequest('The path is not valid');
  const { parts, query } = path;
  const { method } = request;
  if (parts.length === 0) {
    if (method === 'GET' || method === 'HEAD')
      return query.has('_queryFilter') ? queryObjects(store, query) : list(store);
    if (method === 'POST') throw badRequest(`Action ${query.get('_action') ?? ''} not supported on config`);
    throw new AmError(405, `Method ${method} is not supported on a collection`);
  }
  // A config id is a name, or a factory's name and an instance's: `audit`, `emailTemplate/welcome`.
  const valid = parts.length <= 2 && parts.every((part) => ID_PART.test(part));
  const id = parts.join('/');
  switch (method) {
    case 'GET':
    case 'HEAD': {
      if (query.has('_queryFilter')) throw badRequest(`Query not supported on config/${valid ? id : ''}`);
      const object = valid ? store.get(id) : undefined;
      if (!object) throw notFound();
      return { body: project(object, fieldsOf(query)) };
    }
    case 'PUT': {
      if (!valid) throw badRequest('A config id is one or two names of letters, digits, ".", "_", "@" or "-"');
      const body = bodyObject(request);
      const exists = store.has(id);
      if (request.headers['if-none-match'] === '*' && exists) throw new AmError(412, `Entry Already Exists: ${id}`);
      const { object, created } = store.put(id, body);
      if (!created) return { body: object };
      return { status: 201, headers: { location: locationOf(request, parts, object) }, body: object };
    }
    case 'PATCH': {
      const before = valid ? store.get(id) : undefined;
      if (!before) throw notFound();
      const after = applyPatch(before, readBody(request));
      if (after['_id'] !== id) throw badRequest('The field _id cannot be patched');
      return { body: store.put(id, after).object };
    }
    case 'DELETE': {
      const removed = valid ? store.remove(id) : undefined;
      if (!removed) throw notFound();
      return { body: removed };
    }
    case 'POST':
      throw badRequest(`Action ${query.get('_action') ?? ''} not supported on config/${valid ? id : ''}`);
    default:
      throw new AmError(405, `Method ${method} is not supported`);
  }
}

/**
 * `GET /openidm/config`: every object's id, with its OSGi `pid` and `factoryPid` (a factory
 * instance's pid is the factory's with a generated suffix) [doc: pingidm/8 configuring-over-rest].
 */
function list(store: IdmConfigStore): Answer {
  return {
    body: {
      _id: '',
      configurations: store.list().map(({ _id }) => {
        const slash = _id.indexOf('/');
        if (slash < 0) return { _id, pid: _id, factoryPid: null };
        const factoryPid = _id.slice(0, slash);
        return { _id, pid: `${factoryPid}.${uuidOf(_id)}`, factoryPid };
      }),
    },
  };
}

/** A UUID made from the id: the same pid every time the object is listed. */
function uuidOf(id: string): string {
  const hex = createHash('sha256').update(id, 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * `GET /openidm/config?_queryFilter=...`: whole objects by id, all of them in one page, counted
 * EXACT though the client asked for no count [real: #14].
 */
function queryObjects(store: IdmConfigStore, params: URLSearchParams): Answer {
  const filterText = params.get('_queryFilter') ?? '';
  let filter;
  try {
    filter = parseQueryFilter(filterText);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    throw badRequest(
      `The value '${filterText.length > 80 ? `${filterText.slice(0, 80)}...` : filterText}' for parameter '_queryFilter' could not be parsed as a valid query filter: ${error.message}`,
    );
  }
  const fields = fieldsOf(params);
  const matched = store.list().filter((object) => matchesFilter(filter, object));
  return {
    body: {
      result: matched.map((object) => project(object, fields)),
      resultCount: matched.length,
      pagedResultsCookie: null,
      totalPagedResultsPolicy: 'EXACT',
      totalPagedResults: matched.length,
      remainingPagedResults: -1,
    },
  };
}

/**
 * A created object's `Location`, as IDM builds it: the URL of the container the request named
 * followed by the new object's whole `_id`, so `PUT /openidm/config/emailTemplate/x` answers
 * `.../openidm/config/emailTemplate/emailTemplate/x` [real: #6, #7].
 */
function locationOf(request: FastifyRequest, parts: string[], object: IdmConfigObject): string {
  const host = typeof request.headers.host === 'string' ? request.headers.host : request.hostname;
  const container = parts
    .slice(0, -1)
    .map((part) => `/${encodeURIComponent(part)}`)
    .join('');
  const id = object._id
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
  return `${request.protocol}://${host}${CONFIG_PREFIX}${container}/${id}`;
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
