/**
 * The HTTP server: Fastify with AM's body handling and error shapes, the AM routes and the
 * control API. Bodies are taken raw, whatever their content type (AM accepts a POST with no
 * body, an empty body or any content type where the action does not need one; Fastify's
 * default parsers would answer 415 or 400 instead), and each route parses what it needs.
 */
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { HttpServices } from './services.js';
import { AsyncResource } from 'node:async_hooks';
import { changeScopes, changesShared, newChangeScope, type ChangeScope } from '../core/change-scope.js';
import { handleAmRequest } from './am/dispatch.js';
import { AM_JSON_PREFIX } from './am/path.js';
import { AmError, reasonPhrase } from './am/errors.js';
import { CREST_CONTENT_TYPE } from './am/response-headers.js';
import { amErrorPayload, replyNotFound, replyWithError } from './error-reply.js';
import { CONTROL_PREFIX, controlApi } from './control/plugin.js';
import { registerPageRoutes } from './ui/routes.js';
import { registerFrontDoor } from './ui/front-door.js';
import { corsHook } from './cors.js';
import { registerOAuth2Routes } from './oauth2/routes.js';
import { Errors } from './am/errors.js';
import { ENVIRONMENT_PREFIX, environmentApi } from './environment/plugin.js';
import { MANAGED_PREFIX, managedUsersApi } from './idm/plugin.js';
import { CONFIG_PREFIX, idmConfigApi } from './idm/config-plugin.js';
import { FEATURE_PREFIX, featureApi } from './environment/feature.js';

export { CONTROL_TOKEN_HEADER } from './control/guard.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route waits for its changes to be shared itself (the AM dispatcher): no root hook does. */
    waitsForSharedChanges?: boolean;
  }
}

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** Largest request body accepted, in bytes (default 1 MiB). */
  bodyLimit?: number;
  hosts: () => string[];
  /** True while the server listens on a loopback address only (then Host headers are checked). */
  loopbackOnly: () => boolean;
  /** The token control requests must carry, or undefined when none is needed (loopback, none configured). */
  controlToken: () => string | undefined;
  /** Registers more in the control API's scope (its guard, its errors): the state backend's routes and hooks. */
  controlRoutes?: (scope: FastifyInstance) => void;
  /** How long a client may take to send its request's headers, in ms (Node's default: 60 s); past it, a 408. */
  headersTimeoutMs?: number;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function buildServer(services: HttpServices, options: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: 2048 },
    clientErrorHandler: answerClientError,
    ...(options.headersTimeoutMs !== undefined
      ? {
          // Node checks for slow clients on an interval (30 s by default): a shorter limit needs a shorter check.
          http: {
            headersTimeout: options.headersTimeoutMs,
            requestTimeout: Math.max(options.headersTimeoutMs, 300_000),
            connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(options.headersTimeoutMs / 2))),
          },
        }
      : {}),
    // Requests Fastify cannot route or parse still get AM's error shape.
    frameworkErrors: (error, request, reply) => {
      replyWithError(error, request, reply);
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, payload, done) => done(null, payload));
  app.setErrorHandler(replyWithError);
  app.setNotFoundHandler((request, reply) => {
    // A path nothing serves is journaled too: a developer sees what their client asked for.
    const { tenant } = services;
    const entry = tenant.journal.record({
      kind: 'am',
      timeMs: tenant.clock.now(),
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
    });
    tenant.journal.complete(entry, 404, amErrorPayload(Errors.notFound()), 0);
    return replyNotFound(request, reply);
  });
  if (services.sharesChanges) waitForSharedChanges(app);
  // AM's CORS filter, before any route under /am/ (cors.ts).
  app.addHook(
    'onRequest',
    corsHook({
      configurations: () => services.tenant.config.cors,
      clients: () => services.tenant.oauth2Clients.list(),
    }),
  );

  // Returns the reply: its sending may wait on an async onSend hook (waitForSharedChanges).
  const amHandler = async (
    request: Parameters<typeof handleAmRequest>[1],
    reply: Parameters<typeof handleAmRequest>[2],
  ) => {
    await handleAmRequest(services, request, reply);
    return reply;
  };
  const amRoute = { config: { waitsForSharedChanges: true } };
  app.all(AM_JSON_PREFIX, amRoute, amHandler);
  app.all(`${AM_JSON_PREFIX}/*`, amRoute, amHandler);
  registerOAuth2Routes(app, services);
  app.register(environmentApi, { prefix: ENVIRONMENT_PREFIX, services });
  app.register(featureApi, { prefix: FEATURE_PREFIX, services });
  app.register(managedUsersApi, { prefix: MANAGED_PREFIX, services });
  app.register(idmConfigApi, { prefix: CONFIG_PREFIX, services });

  registerPageRoutes(app);
  registerFrontDoor(app, services, {
    hosts: options.hosts,
    loopbackOnly: options.loopbackOnly,
    controlToken: options.controlToken,
  });
  app.register(controlApi, {
    prefix: CONTROL_PREFIX,
    services,
    hosts: options.hosts,
    loopbackOnly: options.loopbackOnly,
    controlToken: options.controlToken,
    extend: options.controlRoutes,
  });
  return app;
}

/**
 * An answer to a request that may have changed the tenant (any but GET and HEAD) is sent once its
 * changes are in Redis: the next request, to any instance, is ordered after them. If Redis did
 * not take them, the answer is an unavailable store's instead of a success that only this
 * instance would remember (it takes Redis's state again as soon as Redis answers).
 *
 * The request runs in a change scope (core/change-scope.ts), entered at onRequest and entered
 * again at preValidation (reading the body leaves the async context), so that the changes its
 * handler makes are its own. Hooks of the root: every route, whatever path the router matched.
 * AM's routes wait themselves, to answer as AM would (am/dispatch.ts). Errors are sent as they are.
 */
function waitForSharedChanges(app: FastifyInstance): void {
  const scopes = new WeakMap<object, { scope: ChangeScope; context: AsyncResource }>();
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    if (request.routeOptions.config?.waitsForSharedChanges === true) return done();
    const scope = newChangeScope();
    changeScopes.run(scope, () => {
      const context = new AsyncResource('aic-emulator.change-scope');
      scopes.set(request, { scope, context });
      context.runInAsyncScope(done);
    });
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const entry = scopes.get(request);
    if (entry) entry.context.runInAsyncScope(done);
    else done();
  });
  app.addHook('onSend', async (request, reply) => {
    const entry = scopes.get(request);
    if (!entry) return;
    scopes.delete(request);
    if (reply.statusCode < 400) await changesShared(entry.scope);
  });
}

/** What is still read, and thrown away, from a client whose request was refused at the parser. */
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 2_000;

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (garbled or oversized headers, a
 * malformed request line, a client too slow to send its headers) still get an AM-shaped answer,
 * then the connection closes.
 *
 * Once per connection: Node's parser reports an error again for every further chunk of a refused
 * request (the rest of an oversized header). Answering each report wrote after the end, which
 * destroyed the socket with unread bytes, i.e. with a reset; on Node 24 it came before the
 * client had read the 431, which was lost. So the answer is sent once and our side closed; what
 * the client still sends is read and thrown away, up to a bound, until it closes or a short time
 * passes (closing earlier with unread bytes would be a reset too).
 */
const answeredSockets = new WeakSet<Socket>();

function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || answeredSockets.has(socket)) return;
  answeredSockets.add(socket);
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The request headers are larger than the server accepts'
      : status === 408
        ? 'The request took too long to arrive'
        : 'The request is not valid HTTP';
  const body = amErrorPayload(new AmError(status, message));
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  let drained = 0;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > LINGER_BYTES) socket.destroy();
  });
  socket.once('close', () => clearTimeout(timer));
  socket.once('end', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: ${CREST_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.resume();
}
