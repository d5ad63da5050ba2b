/**
 * An attendee's own view (issue 21), for the console when it has no control token: what belongs
 * to the user of the tenant session cookie the request carries, read only.
 *
 * - `GET me`: the user (`_id`, userName, realm, names, mail) and the session the cookie is;
 * - `GET me/sessions`: the user's live sessions;
 * - `GET me/runs[?journey&status]`, `GET me/runs/:id`: the user's journey runs (a run is the
 *   user's once its journey knows the user: routes to another's answer 404, as an unknown id);
 *   `GET me/runs/:id/journeys/:name`: a journey the run went through, to draw its path on;
 * - `GET me/journal`: the AM requests made with the user's sessions (ended ones included, as far
 *   as this instance remembers them), and the sign-ins that made them; masked as the journal is;
 * - `GET me/outbox`: the mail the user's runs sent (a run that identified them: a reset link asked
 *   for in their name is theirs, not the asker's).
 *
 * The guard lets these through without the control token (SELF_SERVICE) and applies every other
 * check (Host, cross-site, scripts). The cookie is the only credential read: not the header named
 * after it, not a `tokenId`, not the admin bearer, so a page that can make a browser send a header
 * cannot use them either. A missing, forged or expired session is AM's 401 "Access Denied", the
 * same answer for each. Nothing here changes the tenant.
 */
import type { FastifyRequest } from 'fastify';
import type { RecordedEntry } from '../../../state/journal.js';
import type { User } from '../../../state/user-directory.js';
import type { Session } from '../../../state/sessions/session.js';
import type { Tenant } from '../../../tenant/tenant.js';
import { Errors, AmError } from '../../am/errors.js';
import { callerForToken, tokenFromCookieHeader, tokenFromNamedHeader } from '../../am/caller.js';
import { SELF_SERVICE } from '../guard.js';
import { pathParams, singleQueryParams } from '../schema.js';
import { sessionView } from '../views.js';
import type { ControlRoutes } from './context.js';
import { runFilter } from './runs.js';
import { journeyDrawing } from './journeys.js';

const RUN_PARAMS = pathParams('id');
const RUN_JOURNEY_PARAMS = pathParams('id', 'name');
const MY_RUNS_QUERY = singleQueryParams('journey', 'status');
const ROUTE = { config: SELF_SERVICE } as const;

interface Me {
  user: User;
  session: Session;
}

/** The user of the session the request's tenant cookie is, or AM's 401. */
async function me(tenant: Tenant, request: FastifyRequest): Promise<Me> {
  const token = tokenFromCookieHeader(request.headers, tenant.cookieName);
  if (token === undefined || token === '') throw Errors.accessDenied();
  const caller = await callerForToken(tenant, token);
  if (caller.kind !== 'session' || !caller.user) throw Errors.accessDenied();
  return { user: caller.user, session: caller.session };
}

function userSummary(user: User) {
  const attribute = (name: string) => {
    const value = user.attributes[name];
    return typeof value === 'string' ? { [name]: value } : {};
  };
  return {
    _id: user._id,
    userName: user.userName,
    realm: user.realm,
    ...attribute('givenName'),
    ...attribute('sn'),
    ...attribute('mail'),
  };
}

export const meRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get('/me', ROUTE, async (request) => {
    const { user, session } = await me(tenant, request);
    return { user: userSummary(user), session: sessionView(session, user.userName) };
  });

  app.get('/me/sessions', ROUTE, async (request) => {
    const { user } = await me(tenant, request);
    const sessions = await tenant.sessions.listByUser(user.realm, user._id);
    return { result: sessions.map((session) => sessionView(session, user.userName)) };
  });

  app.get<{ Querystring: { journey?: string; status?: string } }>(
    '/me/runs',
    { ...ROUTE, schema: { querystring: MY_RUNS_QUERY } },
    async (request) => {
      const { user } = await me(tenant, request);
      const filter = runFilter(tenant, { ...request.query });
      return {
        result: tenant.runs.list(filter).filter((run) => run.user?._id === user._id),
      };
    },
  );

  app.get<{ Params: { id: string } }>('/me/runs/:id', { ...ROUTE, schema: { params: RUN_PARAMS } }, async (request) => {
    const { user } = await me(tenant, request);
    const run = tenant.runs.get(request.params.id);
    // Another's run is answered as one that does not exist: its id tells nothing.
    if (!run || run.user?._id !== user._id)
      throw new AmError(404, 'no such run of yours (runs are kept for a while, then dropped)');
    return run;
  });

  // The journeys a run of yours went through, to draw its path on them (and nothing of the others).
  app.get<{ Params: { id: string; name: string } }>(
    '/me/runs/:id/journeys/:name',
    { ...ROUTE, schema: { params: RUN_JOURNEY_PARAMS } },
    async (request) => {
      const { user } = await me(tenant, request);
      const run = tenant.runs.get(request.params.id);
      const { name } = request.params;
      if (!run || run.user?._id !== user._id)
        throw new AmError(404, 'no such run of yours (runs are kept for a while, then dropped)');
      const detail =
        run.journey === name || run.visits.some((visit) => visit.journey === name)
          ? journeyDrawing(tenant, run.realm, name)
          : undefined;
      if (!detail) throw new AmError(404, `the run went through no journey ${name}`);
      return detail;
    },
  );

  app.get('/me/journal', ROUTE, async (request) => {
    const { user } = await me(tenant, request);
    const live = new Set((await tenant.sessions.listByUser(user.realm, user._id)).map((session) => session.tokenId));
    const mine = (token: string) => live.has(token) || tenant.sessionOwner(token) === user._id;
    return { result: tenant.journal.list((entry) => entryTokens(entry, tenant.cookieName).some(mine)) };
  });

  // The mail written for the user: rendered from their own record, or in their own OTP journey.
  // Not the mail to their address (a user may set their address to another's, over IDM's
  // self-service), nor the mail their runs sent (a signed-in user may run ResetPassword naming
  // another's address: that mail, and its link, are the other user's).
  app.get('/me/outbox', ROUTE, async (request) => {
    const { user } = await me(tenant, request);
    return { result: tenant.outbox.list().filter((message) => message.toUserId === user._id) };
  });
};

/** `"tokenId":"<value>"` in a JSON body (a sign-in's answer, a logout's request). */
const TOKEN_ID_MEMBER = /"tokenId"\s*:\s*"([^"\\]{1,512})"/g;

/**
 * The session tokens an entry was made with or made: the tenant cookie, the header named after
 * it, a `tokenId` in the query, and a `tokenId` in the request's or the answer's JSON body.
 */
function entryTokens(entry: RecordedEntry, cookieName: string): string[] {
  const tokens: string[] = [];
  const headers = entry.requestHeaders as Record<string, string | string[] | undefined>;
  const fromCookie = tokenFromCookieHeader(headers, cookieName);
  if (fromCookie) tokens.push(fromCookie);
  const named = tokenFromNamedHeader(headers, cookieName);
  if (named) tokens.push(named);
  const query = entry.url.indexOf('?');
  if (query >= 0) {
    const tokenId = new URLSearchParams(entry.url.slice(query + 1)).get('tokenId');
    if (tokenId) tokens.push(tokenId);
  }
  for (const body of [entry.responseBody, entry.requestBody]) {
    if (body === undefined) continue;
    const text = typeof body === 'string' ? body : body.toString('utf8');
    for (const match of text.matchAll(TOKEN_ID_MEMBER)) if (match[1]) tokens.push(match[1]);
  }
  return tokens;
}
