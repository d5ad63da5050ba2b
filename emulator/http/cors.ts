/**
 * CORS as AM's CORS filter answers it (org.forgerock.openam.cors.CORSService), for every path
 * under `/am/`: the tenant's configurations (config `cors`, AM's CorsService entries) combined
 * into one rule set, with every OAuth2 client's JavaScript origins added, as AM adds them.
 *
 * - No `Origin`, or the page's own origin: the request passes untouched (the browser needs no
 *   CORS there; the emulator's own pages post to it).
 * - A preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here: allowed
 *   origin, method and headers → 200 with the Allow headers; otherwise 200 with none.
 * - Any other request from an origin or with a method the rules do not accept is not served:
 *   AM's filter ends it with an empty answer and no CORS headers. An accepted one is served with
 *   the origin echoed (credentials allowed) and the exposed headers.
 *
 * The emulator checks request headers at the preflight only; browsers enforce the answer.
 */
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { CorsConfiguration } from '../config/config-types.js';
import type { OAuth2Client } from '../state/oauth2/clients.js';

export interface CorsSources {
  configurations(): readonly CorsConfiguration[];
  clients(): readonly OAuth2Client[];
}

interface RuleSet {
  origins: Set<string>;
  anyOrigin: boolean;
  loopback: boolean;
  methods: Set<string>;
  headers: Set<string>;
  exposed: string[];
  credentials: boolean;
  maxAge: number;
}

/** Headers a browser may send without asking (CORSService's simple headers). */
const SIMPLE_HEADERS = new Set(['cache-control', 'content-language', 'expires', 'last-modified', 'pragma']);
const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

export function corsHook(sources: CorsSources): onRequestHookHandler {
  // A plain callback, not an async function: most requests carry no Origin and leave at once,
  // without a promise and a microtask of their own.
  return (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || origin === '' || !request.url.startsWith('/am/')) return done();
    if (origin === ownOrigin(request)) return done();
    const rules = ruleSet(sources);
    const preflightMethod = request.headers['access-control-request-method'];
    const accepted = originAccepted(rules, origin);
    if (request.method === 'OPTIONS' && typeof preflightMethod === 'string' && preflightMethod !== '') {
      const asked = String(request.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean);
      const ok =
        accepted &&
        rules.methods.has(preflightMethod) &&
        asked.every((name) => rules.headers.has(name) || SIMPLE_HEADERS.has(name));
      if (ok) {
        reply.header('access-control-allow-methods', [...rules.methods].join(','));
        if (rules.headers.size > 0) reply.header('access-control-allow-headers', [...rules.headers].join(','));
        if (rules.maxAge > 0) reply.header('access-control-max-age', String(rules.maxAge));
        originHeaders(reply, rules, origin);
      }
      // Answered here: the route never runs (a hook that sends does not call done).
      reply.code(200).send();
      return;
    }
    if (!accepted || !rules.methods.has(request.method)) {
      reply.code(200).send();
      return;
    }
    originHeaders(reply, rules, origin);
    if (rules.exposed.length > 0) reply.header('access-control-expose-headers', rules.exposed.join(','));
    done();
  };
}

function originHeaders(reply: FastifyReply, rules: RuleSet, origin: string): void {
  if (rules.credentials) {
    reply.header('vary', 'Origin');
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
  } else {
    reply.header('access-control-allow-origin', rules.anyOrigin ? '*' : origin);
  }
}

function originAccepted(rules: RuleSet, origin: string): boolean {
  return rules.anyOrigin || rules.origins.has(origin) || (rules.loopback && LOOPBACK_ORIGIN.test(origin));
}

function ruleSet(sources: CorsSources): RuleSet {
  const rules: RuleSet = {
    origins: new Set(),
    anyOrigin: false,
    loopback: false,
    methods: new Set(),
    headers: new Set(),
    exposed: [],
    credentials: false,
    maxAge: 0,
  };
  const enabled = sources.configurations().filter((configuration) => configuration.enabled);
  for (const configuration of enabled) {
    for (const origin of configuration.acceptedOrigins)
      if (origin === '*') rules.anyOrigin = true;
      else rules.origins.add(origin);
    rules.loopback ||= configuration.acceptLoopbackOrigins === true;
    for (const method of configuration.acceptedMethods) rules.methods.add(method);
    for (const header of configuration.acceptedHeaders) rules.headers.add(header.toLowerCase());
    for (const header of configuration.exposedHeaders) if (!rules.exposed.includes(header)) rules.exposed.push(header);
    rules.credentials ||= configuration.allowCredentials;
    rules.maxAge = Math.max(rules.maxAge, configuration.maxAge);
  }
  // AM adds every client's JavaScript origins to the accepted ones (with CORS on).
  if (enabled.length > 0)
    for (const client of sources.clients()) for (const origin of client.javascriptOrigins) rules.origins.add(origin);
  return rules;
}

/** The origin the request addressed (scheme and Host), to tell a same-origin request. */
function ownOrigin(request: FastifyRequest): string | undefined {
  const host = request.headers.host;
  return host === undefined ? undefined : `${request.protocol}://${host.toLowerCase()}`;
}
