/**
 * What the tenant-global admin APIs (`/environment`, AIC's ESV API; `/openidm`, IDM's REST) share:
 * who may call them, and the journal. A caller presents a bearer token: the tenant's admin token
 * or a token that makes its bearer an AM administrator (HttpServices.adminBearer), or a service
 * account or OAuth2 access token whose scopes the API accepts. No token, or one the tenant does
 * not know, is a 401; a known token without the scope, a 403. Where a resource says so, a tenant
 * administrator's session cookie is enough.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServices } from '../services.js';
import type { RecordedEntry } from '../../state/journal.js';
import { bearerToken, callerForToken, presentedToken } from '../am/caller.js';

export type Access = 'granted' | 'unauthenticated' | 'forbidden';

/**
 * May the request's bearer use the API? `allows` is given the token's scopes (an admin bearer
 * passes without them).
 */
export async function accessOf(
  services: HttpServices,
  request: FastifyRequest,
  allows: (scopes: readonly string[]) => boolean,
  options: { adminSessions?: boolean } = {},
): Promise<Access> {
  const token = bearerToken(request.headers);
  if (token === undefined) {
    if (!options.adminSessions) return 'unauthenticated';
    // Where AIC takes a tenant administrator's session cookie (frodo reads these before it has a token).
    const sessionToken = presentedToken(request.headers, services.tenant.cookieName);
    if (sessionToken === undefined) return 'unauthenticated';
    const caller = await callerForToken(services.tenant, sessionToken);
    if (caller.kind === 'anonymous') return 'unauthenticated';
    return caller.admin ? 'granted' : 'forbidden';
  }
  if (await services.adminBearer(token)) return 'granted';
  const scopes = await services.bearerScopes(token);
  if (scopes === undefined) return 'unauthenticated';
  return allows(scopes) ? 'granted' : 'forbidden';
}

/**
 * Journals every request of a plugin's scope, whatever answers it (a route, its error handler,
 * Fastify's body limit): recorded when the answer is sent, with the body the route read.
 * `maskBody` hides what the journal must not keep (a secret's value).
 */
export function journalRequests(
  app: FastifyInstance,
  services: HttpServices,
  maskBody: (request: FastifyRequest, body: Buffer) => string | Buffer = (_request, body) => body,
): void {
  const started = new WeakMap<FastifyRequest, { timeMs: number; at: number }>();
  app.addHook('onRequest', async (request) => {
    started.set(request, { timeMs: services.tenant.clock.now(), at: performance.now() });
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const { tenant } = services;
    const start = started.get(request) ?? { timeMs: tenant.clock.now(), at: performance.now() };
    const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;
    const entry: RecordedEntry = tenant.journal.record({
      kind: 'am',
      timeMs: start.timeMs,
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
      ...(body ? { requestBody: maskBody(request, body) } : {}),
    });
    tenant.journal.complete(
      entry,
      reply.statusCode,
      typeof payload === 'string' ? payload : undefined,
      performance.now() - start.at,
    );
    return payload;
  });
}

/** The path after the plugin's prefix, split at `/` and decoded (undefined when a part does not decode). */
export function pathParts(
  request: FastifyRequest,
  prefix: string,
): { parts: string[]; query: URLSearchParams } | undefined {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : request.url.slice(queryStart + 1));
  const rest = path.slice(prefix.length);
  const raw = rest.split('/').filter((part, index) => index > 0 || part !== '');
  try {
    return { parts: raw.map((part) => decodeURIComponent(part)), query };
  } catch {
    return undefined;
  }
}
