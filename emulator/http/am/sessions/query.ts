/**
 * The session query: `GET sessions?_queryFilter=username eq "<id>" and realm eq "/alpha"`
 * (AIC docs, "Manage sessions over REST"; AM source: SessionResourceV2.queryCollection). Served from the
 * store's realm+user index (or its realm index when only the realm is named): the query never visits
 * another user's sessions.
 */
import type { AmAnswer, AmRequest } from '../context.js';
import { AmError, Errors } from '../errors.js';
import { FilterSyntaxError, parseQueryFilter } from '../../../core/query-filter.js';
import { UnsupportedSessionQuery, toSessionQuery } from './session-query.js';
import { queryItemView, queryResultView } from './views.js';
import { projectFields } from '../crest.js';
import { failedQuery, orAnswer } from '../store-outage.js';

export async function querySessions(request: AmRequest): Promise<AmAnswer> {
  const { tenant } = request;
  const filterText = request.query.get('_queryFilter');
  if (filterText === null) throw Errors.badRequest('Query Filter must be specified in the request');
  let query;
  try {
    query = toSessionQuery(parseQueryFilter(filterText));
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      throw Errors.badRequest(
        `Invalid query filter '${filterText.length > 200 ? `${filterText.slice(0, 200)}...` : filterText}': ${error.message}`,
      );
    }
    if (error instanceof UnsupportedSessionQuery) throw Errors.badRequest(error.message);
    throw error;
  }
  const realmPath = normaliseRealm(query.realm);
  const requestRealm = request.realm.path;
  const within = requestRealm === '/' || realmPath === requestRealm || realmPath.startsWith(`${requestRealm}/`);
  if (!within)
    throw new AmError(403, 'The realm of the query filter must be the realm of the request, or one of its sub realms');
  const sessions = await orAnswer(
    query.username === undefined
      ? tenant.sessions.listByRealm(realmPath)
      : tenant.sessions.listByUser(realmPath, query.username.toLowerCase()),
    failedQuery,
  );
  const returned = tenant.config.session.returnedProperties;
  return {
    status: 200,
    body: queryResultView(sessions.map((session) => projectFields(queryItemView(session, returned), request.query))),
  };
}

/** `alpha`, `/alpha` and `/alpha/` all name the realm `/alpha`. */
function normaliseRealm(realm: string): string {
  let path = realm.trim();
  if (!path.startsWith('/')) path = `/${path}`;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}
