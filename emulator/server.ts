/**
 * The HTTP server: Fastify with AM's body handling and error shapes, the AM routes and the
 * control API. Bodies are taken raw, whatever their content type (AM accepts a POST with no
 * body, an empty body or any content type where the action does not need one; Fastify's
 * default parsers would answer 415 or 400 instead), and each route parses what it needs.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Tenant } from './tenant/tenant.js';
import { handleAmRequest } from './am/dispatch.js';
import { AM_JSON_PREFIX } from './am/path.js';
import { AmError } from './am/errors.js';
import { CREST_CONTENT_TYPE } from './am/response-headers.js';
import { CONTROL_PREFIX, registerControlRoutes } from './control/routes.js';
import { UI_ASSET_PREFIX, registerUiRoutes } from './ui/routes.js';

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** Largest request body accepted, in bytes (default 1 MiB). */
  bodyLimit?: number;
  hosts: () => string[];
  /** True while the server listens on a loopback address only (then Host headers are checked). */
  loopbackOnly: () => boolean;
  /** The token control requests must carry, or undefined when none is needed (loopback, none configured). */
  controlToken: () => string | undefined;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function buildServer(tenant: Tenant, options: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: 2048 },
    clientErrorHandler: answerClientError,
    // Requests Fastify cannot route or parse still get AM's error shape.
    frameworkErrors: (error, _request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 400;
      const raw = reply as unknown as { code(n: number): typeof raw; header(k: string, v: string): typeof raw; send(p: string): void };
      raw.code(status).header('content-type', CREST_CONTENT_TYPE).send(JSON.stringify(new AmError(status, error.message).toBody()));
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, payload, done) => done(null, payload));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'unexpected error');
    const message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `The request body is larger than the limit of ${options.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes`
        : status >= 500
          ? 'An unexpected error occurred in the emulator; see its log'
          : error.message;
    reply.code(status).header('content-type', CREST_CONTENT_TYPE).send(JSON.stringify(new AmError(status, message).toBody()));
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).header('content-type', CREST_CONTENT_TYPE).send(JSON.stringify(new AmError(404, 'Not Found').toBody()));
  });

  const amHandler = (request: Parameters<typeof handleAmRequest>[1], reply: Parameters<typeof handleAmRequest>[2]) =>
    handleAmRequest(tenant, request, reply);
  app.all(AM_JSON_PREFIX, amHandler);
  app.all(`${AM_JSON_PREFIX}/*`, amHandler);

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(`${CONTROL_PREFIX}/`) && request.url !== CONTROL_PREFIX) return;
    // The console's page and assets hold no data: the browser loads them without the token,
    // and the console's own requests carry it.
    const isConsolePage = request.method === 'GET' && (request.url.split('?')[0] === `${CONTROL_PREFIX}/ui` || request.url.startsWith(UI_ASSET_PREFIX));
    const tokenRefusal = isConsolePage ? undefined : controlTokenRefusal(request, options.controlToken());
    const refusal = tokenRefusal ?? controlRefusal(request, options);
    if (refusal) {
      const status = tokenRefusal ? 401 : 403;
      reply.code(status).header('content-type', CREST_CONTENT_TYPE).send(JSON.stringify(new AmError(status, refusal).toBody()));
    }
  });
  registerControlRoutes(app, tenant, { hosts: options.hosts });
  registerUiRoutes(app);
  return app;
}

/** The header that carries the control API's token (also accepted: `Authorization: Bearer <token>`). */
export const CONTROL_TOKEN_HEADER = 'x-aic-emulator-token';

/**
 * A server reachable beyond loopback is reachable by others (a workshop's network, a CI runner's
 * neighbours): then the control API, which can read the admin token and change the tenant,
 * answers only requests that carry its token. Compared in constant time.
 */
function controlTokenRefusal(request: FastifyRequest, expected: string | undefined): string | undefined {
  if (expected === undefined) return undefined;
  const header = request.headers[CONTROL_TOKEN_HEADER];
  const authorization = request.headers.authorization;
  const presented = typeof header === 'string' ? header : typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  if (presented !== undefined && sameSecret(presented, expected)) return undefined;
  return `The control API needs its token (header ${CONTROL_TOKEN_HEADER}, printed at start)`;
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * The control API can reset the tenant, add admins and read the admin token, so a web page the
 * developer happens to visit must not reach it: requests must name one of the tenant's own hosts
 * (no DNS rebinding onto a loopback-bound server), and a browser request from another origin may
 * not change anything (a cross-site "simple" POST needs no CORS preflight).
 */
function controlRefusal(request: FastifyRequest, options: ServerOptions): string | undefined {
  const hostname = request.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (options.loopbackOnly() && !options.hosts().map((host) => host.toLowerCase()).includes(hostname) && hostname !== '::1') {
    return `The control API answers requests addressed to the tenant's own host names, not to ${JSON.stringify(request.hostname)}`;
  }
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'The control API refuses changes requested by another site';
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return 'The control API refuses a request with a malformed Origin';
    }
    if (originHost !== String(request.headers.host ?? '').toLowerCase()) return `The control API refuses changes requested by ${origin}`;
  } else if (origin === 'null') {
    return 'The control API refuses changes requested by an opaque origin';
  }
  return undefined;
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (garbled or oversized headers, a
 * malformed request line) still get an AM-shaped answer, then the connection closes.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431 ? 'The request headers are larger than the server accepts' : status === 408 ? 'The request took too long to arrive' : 'The request is not valid HTTP';
  const body = JSON.stringify(new AmError(status, message).toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${new AmError(status, '').toBody().reason}\r\nContent-Type: ${CREST_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
