/**
 * Every request under `/am/json` comes through here: journal, faults, the CSRF rule, version
 * header parsing, realm routing, then the resource; and every answer and error leaves through
 * here, dressed in AM's headers.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServices } from '../services.js';
import type { Fault } from '../../state/faults.js';
import type { RecordedEntry } from '../../state/journal.js';
import type { AmAnswer, AmRequest, AmResource } from './context.js';
import { Errors } from './errors.js';
import { toAmError } from '../error-reply.js';
import { parseAmPath, resourceNotFound } from './path.js';
import { jacksonPretty, wantsPrettyPrint } from './crest.js';
import { checkCrestProtocol, parseAcceptApiVersion, type RequestedVersion } from './versioning.js';
import { AUTHENTICATE_CONTENT_TYPE, CREST_CONTENT_TYPE, amHeaders, type AnswerKind } from './response-headers.js';
import { tokenFromCookieHeader } from './caller.js';
import { sessionsResource } from './sessions/resource.js';
import { IN_PROCESS_HEADER } from '../../journeys/scripts/host.js';
import { authenticateResource } from './authenticate/resource.js';
import { serverInfoResource } from './serverinfo/resource.js';
import { usersResource } from './users/resource.js';
import { realmConfigResource } from './config/authentication-trees.js';
import { scriptsResource } from './config/scripts.js';
import { globalConfigResource } from './config/global-realms.js';
import { nodeDesignerResource } from './config/node-designer.js';
import { StoreUnavailableError } from '../../core/store-unavailable.js';
import { failedLogin, failedWrite } from './store-outage.js';
import { changeScopes, changesShared, newChangeScope } from '../../core/change-scope.js';

const RESOURCES: ReadonlyMap<string, AmResource> = new Map<string, AmResource>([
  ['sessions', sessionsResource],
  ['authenticate', authenticateResource],
  ['serverinfo', serverInfoResource],
  ['users', usersResource],
  ['realm-config', realmConfigResource],
  ['scripts', scriptsResource],
  ['global-config', globalConfigResource],
  ['node-designer', nodeDesignerResource],
]);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function handleAmRequest(
  services: HttpServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const { tenant, authenticator, inProcessSecret } = services;
  const started = performance.now();
  const method = request.method.toUpperCase();
  const url = request.url;
  const queryStart = url.indexOf('?');
  const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1));
  const headers = request.headers;
  const body = Buffer.isBuffer(request.body) ? request.body : undefined;
  const transactionId = transactionIdOf(headers['x-forgerock-transactionid']);
  const entry = tenant.journal.record({
    kind: 'am',
    timeMs: tenant.clock.now(),
    method,
    url,
    requestHeaders: headers,
    ...(body && body.length > 0 ? { requestBody: body } : {}),
  });

  let kind: AnswerKind = 'crest';
  let requested: RequestedVersion | undefined;
  let amRequest: AmRequest | undefined;
  const finish = (status: number, payload: string | undefined) => {
    tenant.journal.complete(entry, status, payload, performance.now() - started);
  };

  try {
    const fault = tenant.faults.match({ method, path: rawPath, action: query.get('_action') ?? undefined });
    const inProcess = headers[IN_PROCESS_HEADER] === inProcessSecret ? inProcessSecret : undefined;
    if (fault && (await applyFault(tenant.faults.signal, fault, request, reply, entry, finish, inProcess))) return;

    // AM's CSRF filter: a state-changing request that carries the session cookie must also carry
    // Accept-API-Version or X-Requested-With (PingAM docs, "Protect against CSRF attacks").
    if (
      !SAFE_METHODS.has(method) &&
      headers['accept-api-version'] === undefined &&
      headers['x-requested-with'] === undefined &&
      tokenFromCookieHeader(headers, tenant.cookieName) !== undefined
    ) {
      throw Errors.forbidden();
    }

    const path = parseAmPath(rawPath, tenant.realms, query.get('realm') ?? undefined);
    const resource = RESOURCES.get(path.resource[0] ?? '');
    if (!resource) throw resourceNotFound(path.resource);
    kind = resource.kind;
    requested = parseAcceptApiVersion(headers['accept-api-version']);
    if (kind !== 'authenticate') checkCrestProtocol(requested.protocol);

    amRequest = {
      tenant,
      authenticator,
      adminBearer: services.adminBearer,
      method,
      headers,
      query,
      realm: path.realm,
      resource: path.resource,
      trailingSlash: path.trailingSlash,
      requestedVersion: requested,
      body,
      // Plain values: getters here (to read the Host header only when asked) made every request's
      // object a slow one, and validate ~15% slower.
      hostname: request.hostname,
      secure: request.protocol === 'https',
      servedVersion: undefined,
    };
    const handled = amRequest;
    let answer: AmAnswer;
    if (services.sharesChanges && !SAFE_METHODS.has(method)) {
      // A request that may change the tenant: its answer waits until its changes are shared.
      const scope = newChangeScope();
      answer = await changeScopes.run(scope, () => resource.handle(handled));
      await changesShared(scope);
    } else {
      answer = await resource.handle(amRequest);
    }
    sendAnswer(reply, answer, {
      kind,
      transactionId,
      requested,
      amRequest,
      headerMissing: headers['accept-api-version'] === undefined,
      pretty: wantsPrettyPrint(query),
      finish,
    });
  } catch (error) {
    // The store away where no resource said how AM answers: a login AM could not complete, or
    // the 500 CREST gives a RuntimeException (am/store-outage.ts).
    if (error instanceof StoreUnavailableError) request.log.warn({ reason: error.reason }, 'the store is unavailable');
    const amError = toAmError(
      error instanceof StoreUnavailableError ? (kind === 'authenticate' ? failedLogin() : failedWrite()) : error,
      request,
    );
    if (amError.emptyBody) {
      reply.code(amError.status).header('x-forgerock-transactionid', transactionId).send();
      finish(amError.status, undefined);
      return;
    }
    sendAnswer(
      reply,
      { status: amError.status, body: amError.toBody() },
      {
        kind,
        transactionId,
        requested,
        amRequest,
        headerMissing: headers['accept-api-version'] === undefined,
        pretty: wantsPrettyPrint(query),
        finish,
      },
    );
  }
}

function sendAnswer(
  reply: FastifyReply,
  answer: AmAnswer,
  context: {
    kind: AnswerKind;
    transactionId: string;
    requested: RequestedVersion | undefined;
    amRequest: AmRequest | undefined;
    headerMissing: boolean;
    pretty: boolean;
    finish: (status: number, payload: string | undefined) => void;
  },
): void {
  const resourceName = context.amRequest?.resource[0];
  const echoProtocol =
    resourceName === 'users' && context.requested?.protocol?.major === 2 ? context.requested.protocol : undefined;
  const headerOptions = {
    kind: context.kind,
    transactionId: context.transactionId,
    version: context.amRequest?.servedVersion,
    versionHeaderMissing: context.headerMissing,
    echoProtocol,
  };
  const contentType = context.kind === 'authenticate' ? AUTHENTICATE_CONTENT_TYPE : CREST_CONTENT_TYPE;
  // Headers a hook set before the resource answered (CORS) come first, as Fastify would send
  // them; getHeaders makes a fresh object, which AM's headers are added to.
  const headers = amHeaders(headerOptions, reply.getHeaders() as Record<string, string | string[] | number>);
  if (answer.headers) for (const name in answer.headers) headers[name.toLowerCase()] = answer.headers[name] as string;
  if (answer.cookies && answer.cookies.length > 0) headers['set-cookie'] = answer.cookies;
  const payload =
    answer.body === undefined ? '' : context.pretty ? jacksonPretty(answer.body) : JSON.stringify(answer.body);
  // CREST's content type names its charset; /authenticate's does not, and the bytes are UTF-8 either way.
  headers['content-type'] = contentType;
  headers['content-length'] = Buffer.byteLength(payload);
  // The answer is written once, past Fastify's reply (which would parse the content type again and
  // copy each header one by one): its status line, headers and body in one write. Fastify still
  // logs it, and no hook on these routes acts on an answer (server.ts).
  const response = reply.hijack().raw;
  try {
    response.writeHead(answer.status, headers);
  } catch (error) {
    // A header value Node refuses: one a hook or a resource took from the request (an Origin
    // echoed by CORS, through the in-process client, which no HTTP parser checked). Nothing is
    // sent yet: AM's 500 instead, with AM's own headers only, never the refused one.
    const refused = toAmError(error, reply.request);
    const body = refused.toBody();
    const text = JSON.stringify(body);
    response.writeHead(refused.status, {
      ...amHeaders(headerOptions),
      'content-type': contentType,
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
    context.finish(refused.status, text);
    return;
  }
  response.end(payload);
  context.finish(answer.status, payload);
}

/** Echoes a sane `X-ForgeRock-TransactionId`, or makes one up, as AIC does. */
function transactionIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value && value.length <= 256 && /^[\x21-\x7e]+$/.test(value)) return value;
  return randomUUID();
}

/**
 * Answers a request as a fault says. Returns false when the fault only delays the request and
 * the emulator should answer it after all.
 */
async function applyFault(
  faultSignal: AbortSignal,
  fault: Fault,
  request: FastifyRequest,
  reply: FastifyReply,
  entry: RecordedEntry,
  finish: (status: number, payload: string | undefined) => void,
  inProcessSecret: string | undefined,
): Promise<boolean> {
  entry.fault = fault.id;
  let aborted = false;
  if (fault.delayMs) {
    aborted = await delay(fault.delayMs, undefined, { signal: faultSignal }).then(
      () => false,
      () => true,
    );
  }
  if ((fault.reset || aborted) && inProcessSecret !== undefined) {
    // A script's in-process call has no socket to drop: tell its httpClient to fail as if it had.
    reply.code(599).header('x-aic-emulator-reset', inProcessSecret).send();
    finish(0, undefined);
    return true;
  }
  if (fault.reset || aborted) {
    reply.hijack();
    request.raw.socket.destroy();
    finish(0, undefined);
    return true;
  }
  if (fault.status === undefined && fault.body === undefined) return false;
  const status = fault.status ?? 200;
  const isText = typeof fault.body === 'string';
  const payload = fault.body === undefined ? '' : isText ? (fault.body as string) : JSON.stringify(fault.body);
  reply.code(status);
  if (fault.body !== undefined) reply.header('content-type', isText ? 'text/plain; charset=utf-8' : CREST_CONTENT_TYPE);
  if (fault.headers) reply.headers(fault.headers);
  reply.send(payload);
  finish(status, payload);
  return true;
}
