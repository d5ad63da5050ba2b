/**
 * The OAuth 2.0 / OpenID Connect endpoints under `/am/oauth2`, for every realm and path form
 * (path.ts): the wire (methods, form bodies, redirects, AM's headers and error answers) around
 * the provider (emulator/oauth2/). Every request is journaled, as the AM routes' are.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '../../tenant/tenant.js';
import type { OAuth2Services, OAuth2Site } from '../../oauth2/services.js';
import { OAuth2Error } from '../../oauth2/oauth2-error.js';
import { authorize, type AuthorizeOutcome } from '../../oauth2/authorize.js';
import { tokenRequest } from '../../oauth2/token-endpoint.js';
import { userInfo } from '../../oauth2/userinfo.js';
import { introspect, revoke } from '../../oauth2/introspect-revoke.js';
import { endSession } from '../../oauth2/end-session.js';
import { discoveryDocument, jwksDocument } from '../../oauth2/discovery.js';
import { bearerToken, presentedToken } from '../am/caller.js';
import { OAUTH2_PREFIX, parseOAuth2Path, type Endpoint } from './path.js';
import { errorPage, formPostPage } from './pages.js';

export interface OAuth2RouteServices {
  readonly tenant: Tenant;
  readonly oauth2: OAuth2Services;
}

/** What a handler answers; the route writes it (and journals it). */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** JSON (an object) or a page (a string, with its own content type in `headers`). */
  body?: unknown;
}

/** The token endpoint's content type, recorded on AIC, and the no-store pair every OAuth2 answer carries. */
const TOKEN_JSON = 'application/json;charset=UTF-8';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const POST_ONLY: ReadonlySet<Endpoint> = new Set(['access_token', 'introspect', 'token/revoke']);
/**
 * The longest Location the emulator sends. A POST may carry values the answer copies into it
 * (state, refused scopes, acr_values); past this, Node's clients refuse the header (16 KiB for
 * all of them) and the request could never have come as a GET through AM's 8 KiB request line.
 */
const MAX_LOCATION_CHARS = 8192;

export function registerOAuth2Routes(app: FastifyInstance, services: OAuth2RouteServices): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { tenant } = services;
    const started = performance.now();
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    const entry = tenant.journal.record({
      kind: 'am',
      timeMs: tenant.clock.now(),
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
      ...(body && body.length > 0 ? { requestBody: body } : {}),
    });
    let answer: Answer;
    try {
      answer = await route(services, request, body);
    } catch (error) {
      if (!(error instanceof OAuth2Error)) throw error;
      answer = {
        status: error.status,
        headers: { ...NO_STORE, ...error.headers },
        body: error.toBody(stateOf(request, body)),
      };
    }
    const text =
      answer.body === undefined
        ? undefined
        : typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body);
    reply.code(answer.status);
    for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
    if (text !== undefined && !reply.hasHeader('content-type')) reply.header('content-type', TOKEN_JSON);
    tenant.journal.complete(entry, answer.status, text, performance.now() - started);
    return reply.send(text);
  };
  app.all(`${OAUTH2_PREFIX}/*`, handler);
}

async function route(
  services: OAuth2RouteServices,
  request: FastifyRequest,
  body: Buffer | undefined,
): Promise<Answer> {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : request.url.slice(queryStart + 1));
  const target = parseOAuth2Path(path, services.tenant.realms);
  if (!target) return { status: 404, body: { code: 404, reason: 'Not Found', message: 'Not Found' } };
  const origin = originOf(request);
  // The provider names itself by the Host the client used: one that is no host cannot be a URL.
  if (!URL.canParse(origin))
    return { status: 400, body: { code: 400, reason: 'Bad Request', message: 'The Host header is not a host name' } };
  const site: OAuth2Site = { realm: target.realm, origin };
  const method = request.method;
  if (POST_ONLY.has(target.endpoint) && method !== 'POST')
    throw new OAuth2Error('method_not_allowed', `Required Method: POST found: ${method}`, 405);
  const { oauth2 } = services;
  const authorization = request.headers.authorization;
  switch (target.endpoint) {
    case '.well-known/openid-configuration':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: discoveryDocument(site) };
    case 'connect/jwk_uri':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: jwksDocument(await oauth2.keys()) };
    case 'authorize': {
      const params = method === 'POST' ? merged(query, form(request, body)) : query;
      return authorizeAnswer(services, request, site, params);
    }
    case 'access_token':
      return {
        status: 200,
        headers: NO_STORE,
        body: await tokenRequest(oauth2, site, form(request, body), authorization),
      };
    case 'userinfo': {
      const token =
        bearerToken(request.headers) ?? (method === 'POST' ? form(request, body).get('access_token') : null);
      return {
        status: 200,
        headers: { 'content-type': 'application/json', ...NO_STORE },
        body: await userInfo(oauth2, site, token ?? undefined),
      };
    }
    case 'introspect':
      return {
        status: 200,
        headers: { 'content-type': 'application/json', ...NO_STORE },
        body: await introspect(oauth2, site, form(request, body), authorization),
      };
    case 'token/revoke':
      return {
        status: 200,
        headers: { 'content-type': 'application/json', ...NO_STORE },
        body: await revoke(oauth2, site, form(request, body), authorization),
      };
    case 'connect/endSession': {
      const outcome = await endSession(oauth2, site, method === 'POST' ? merged(query, form(request, body)) : query);
      return outcome.kind === 'redirect'
        ? { status: 302, headers: { location: outcome.location, ...NO_STORE } }
        : { status: 204, headers: NO_STORE };
    }
  }
}

async function authorizeAnswer(
  services: OAuth2RouteServices,
  request: FastifyRequest,
  site: OAuth2Site,
  params: URLSearchParams,
): Promise<Answer> {
  const { tenant } = services;
  const token = presentedToken(request.headers, tenant.cookieName);
  const found = token === undefined ? undefined : await tenant.sessions.getByToken(token);
  const session = found && found.realm === site.realm.path ? found : undefined;
  if (request.method === 'POST' && session && params.get('csrf') !== null && params.get('csrf') !== session.tokenId)
    return { status: 400, headers: { 'content-type': 'text/html;charset=UTF-8' }, body: errorPage('bad_request', '') };
  const outcome = await authorize(services.oauth2, {
    site,
    params,
    url: `${site.origin}${request.url}`,
    session,
  });
  return outcomeAnswer(outcome, site);
}

/** AM's "OAuth2 Error Page": an error that cannot go back to the client. */
function errorAnswer(error: OAuth2Error): Answer {
  return {
    status: error.status,
    headers: { 'content-type': 'text/html;charset=UTF-8', ...NO_STORE },
    body: errorPage(error.error, error.description),
  };
}

function outcomeAnswer(outcome: AuthorizeOutcome, site: OAuth2Site): Answer {
  switch (outcome.kind) {
    case 'error-page':
      return errorAnswer(outcome.error);
    case 'login': {
      // `realm=/alpha` as AIC writes it; the rest encoded.
      const login = new URLSearchParams();
      if (outcome.journey !== undefined) {
        login.set('authIndexType', 'service');
        login.set('authIndexValue', outcome.journey);
      }
      login.set('goto', outcome.goto);
      const realm = encodeURI(outcome.realm);
      return redirectTo(`${site.origin}/am/XUI/?realm=${realm}&${login.toString()}`);
    }
    case 'redirect': {
      if (outcome.mode === 'form_post')
        return {
          status: 200,
          headers: { 'content-type': 'text/html;charset=UTF-8', ...NO_STORE },
          body: formPostPage(outcome.redirectUri, outcome.params),
        };
      const encoded = new URLSearchParams(outcome.params).toString();
      const location =
        outcome.mode === 'fragment'
          ? `${outcome.redirectUri}#${encoded}`
          : `${outcome.redirectUri}${outcome.redirectUri.includes('?') ? '&' : '?'}${encoded}`;
      return redirectTo(location);
    }
  }
}

function redirectTo(location: string): Answer {
  if (location.length > MAX_LOCATION_CHARS)
    return errorAnswer(
      new OAuth2Error('invalid_request', 'The request carries values too long to send back in a redirect'),
    );
  return { status: 302, headers: { location, ...NO_STORE } };
}

/** The form body (`application/x-www-form-urlencoded`); anything else is AM's 400. */
function form(request: FastifyRequest, body: Buffer | undefined): URLSearchParams {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (!body || body.length === 0) return new URLSearchParams();
  if (type !== 'application/x-www-form-urlencoded') throw new OAuth2Error('invalid_request', 'Invalid Content Type');
  return new URLSearchParams(body.toString('utf8'));
}

/** Query and form together, in that order (a name in both, or twice in one, is kept each time). */
function merged(query: URLSearchParams, body: URLSearchParams): URLSearchParams {
  const all = new URLSearchParams(query);
  for (const [name, value] of body) all.append(name, value);
  return all;
}

/** The request's `state`, which AM's error answers carry back. */
function stateOf(request: FastifyRequest, body: Buffer | undefined): string | null {
  const queryStart = request.url.indexOf('?');
  const fromQuery = new URLSearchParams(queryStart < 0 ? '' : request.url.slice(queryStart + 1)).get('state');
  if (fromQuery !== null || !body || body.length === 0) return fromQuery;
  try {
    return form(request, body).get('state');
  } catch {
    return null;
  }
}

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${(request.headers.host ?? 'localhost').toLowerCase()}`;
}
