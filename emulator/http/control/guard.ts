/**
 * The control API's guard: the `onRequest` hook of the encapsulated plugin that holds the control
 * routes and the console (server.ts). Being a hook of that plugin, it runs on whatever route the
 * router matched, however the path was spelled (`/%5F_emulator/tenant` is `/__emulator/tenant` to
 * the router): no test of the raw URL decides whether a request is a control request.
 *
 * The control API resets the tenant, creates administrators and reads the admin token, so:
 * - beyond loopback (or when one is configured) every request needs the control token;
 * - on loopback, requests must name one of the tenant's own hosts (no DNS rebinding);
 * - no request from another site or origin is served, read or change (a cross-site "simple"
 *   POST needs no CORS preflight, and a cross-site read has no business here either);
 * - journey scripts' in-process calls to the tenant's own host do not reach it (AIC has no such
 *   API, and a script must not read the admin token or reset the tenant).
 *
 * The console's page and assets hold no data: they need no token, and a link from another site
 * may open them, but they are still behind the Host check. The health probes need no token
 * either (an orchestrator has none); they are behind every other check.
 *
 * An attendee's own view (`me/...`, routes/me.ts) needs no control token either: it reads only
 * what belongs to the user of the tenant session cookie the request carries, which the route
 * itself checks (a missing, forged or expired one is AM's 401). It is behind every other check,
 * the cross-site one included: a page of another site cannot read it with the visitor's cookie.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AmError } from '../am/errors.js';
import { sendAmError } from '../error-reply.js';
import { IN_PROCESS_HEADER, SCRIPT_CALL_HEADER } from '../../journeys/scripts/host.js';
import { addressedToOwnHost } from '../own-host.js';

/** The header that carries the control API's token (also accepted: `Authorization: Bearer <token>`). */
export const CONTROL_TOKEN_HEADER = 'x-aic-emulator-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A console page or asset: readable without the control token (control/guard.ts). */
    consolePage?: boolean;
    /** A health probe (liveness, readiness): readable without the control token (control/guard.ts). */
    probe?: boolean;
    /** An attendee's own view: authenticated by the tenant session cookie, not the control token (routes/me.ts). */
    selfService?: boolean;
  }
}

/** Route config of the console's page and assets (readable without the token). */
export const CONSOLE_PAGE = { consolePage: true } as const;

/**
 * Route config of the health probes: an orchestrator or a load balancer probes them without the
 * control token, and they tell nothing but whether this instance can serve.
 */
export const PROBE = { probe: true } as const;

/** Route config of an attendee's own view (routes/me.ts): the session cookie, not the control token. */
export const SELF_SERVICE = { selfService: true } as const;

export interface GuardOptions {
  hosts: () => string[];
  /** True while the server listens on a loopback address only (then Host headers are checked). */
  loopbackOnly: () => boolean;
  /** The token control requests must carry, or undefined when none is needed. */
  controlToken: () => string | undefined;
  /** The tenant's marker of its scripts' in-process calls (Tenant.inProcessSecret). */
  inProcessSecret: string;
}

export function controlGuard(options: GuardOptions): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const consolePage = request.routeOptions.config?.consolePage === true;
    const config = request.routeOptions.config;
    const tokenFree = consolePage || config?.probe === true || config?.selfService === true;
    const tokenRefusal = tokenFree ? undefined : controlTokenRefusal(request, options.controlToken());
    const refusal =
      tokenRefusal ??
      scriptRefusal(request, options) ??
      hostRefusal(request, options) ??
      (consolePage ? undefined : siteRefusal(request));
    if (refusal === undefined) return;
    await sendAmError(reply, new AmError(tokenRefusal ? 401 : 403, refusal));
  };
}

/**
 * A server reachable beyond loopback is reachable by others (a workshop's network, a CI runner's
 * neighbours): then the control API answers only requests that carry its token. Compared in
 * constant time.
 */
function controlTokenRefusal(request: FastifyRequest, expected: string | undefined): string | undefined {
  if (expected === undefined) return undefined;
  const header = request.headers[CONTROL_TOKEN_HEADER];
  const authorization = request.headers.authorization;
  const presented =
    typeof header === 'string'
      ? header
      : typeof authorization === 'string' && authorization.startsWith('Bearer ')
        ? authorization.slice(7)
        : undefined;
  if (presented !== undefined && sameSecret(presented, expected)) return undefined;
  return `The control API needs its token (header ${CONTROL_TOKEN_HEADER}, printed at start)`;
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function scriptRefusal(request: FastifyRequest, options: GuardOptions): string | undefined {
  // In-process calls carry the tenant's marker; calls over the network (allowOutbound) carry
  // SCRIPT_CALL_HEADER, whatever address they were sent to.
  if (
    request.headers[IN_PROCESS_HEADER] !== options.inProcessSecret &&
    request.headers[SCRIPT_CALL_HEADER] === undefined
  )
    return undefined;
  return 'Journey scripts cannot call the emulator’s control API (a tenant has none)';
}

/** On loopback, a request naming another host is a browser tricked by DNS rebinding. */
function hostRefusal(request: FastifyRequest, options: GuardOptions): string | undefined {
  if (addressedToOwnHost(request, options)) return undefined;
  return `The control API answers requests addressed to the tenant's own host names, not to ${JSON.stringify(request.hostname)}`;
}

/**
 * Browsers say where a request comes from: Sec-Fetch-Site (every current browser) and Origin
 * (every request but a no-cors GET or HEAD). `same-site` is refused too: http://localhost:3000
 * is the same site as http://localhost:8080. Clients that are not browsers send neither.
 */
function siteRefusal(request: FastifyRequest): string | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site')
    return `The control API refuses requests made by another ${site === 'cross-site' ? 'site' : 'origin'}`;
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  if (origin === 'null') return 'The control API refuses requests made by an opaque origin';
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return 'The control API refuses a request with a malformed Origin';
  }
  if (originHost !== request.host.toLowerCase()) return `The control API refuses requests made by ${origin}`;
  return undefined;
}
