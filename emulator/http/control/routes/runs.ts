/**
 * `GET runs[?user&journey&status&realm]` and `GET runs/:id`: journey runs, node by node (kept for
 * a while, then dropped). `user` is a user's `_id` or userName (any case).
 */
import { RUN_STATUSES, type RunFilter, type RunStatus } from '../../../state/journeys/runs.js';
import { AmError } from '../../am/errors.js';
import { pathParams, singleQueryParams } from '../schema.js';
import { realmParam, type ControlRoutes } from './context.js';
import type { Tenant } from '../../../tenant/tenant.js';

const RUN_PARAMS = pathParams('id');
export const RUNS_QUERY = singleQueryParams('user', 'journey', 'status', 'realm');

export interface RunsQuery {
  user?: string;
  journey?: string;
  status?: string;
  realm?: string;
}

/** The filter a runs query asks for; an unknown status or realm is a 400. */
export function runFilter(tenant: Tenant, query: RunsQuery): RunFilter {
  const { status } = query;
  if (status !== undefined && !(RUN_STATUSES as readonly string[]).includes(status))
    throw new AmError(400, `status must be one of ${RUN_STATUSES.join(', ')}`);
  return {
    user: query.user || undefined,
    journey: query.journey || undefined,
    status: (status || undefined) as RunStatus | undefined,
    realm: realmParam(tenant, query.realm || undefined)?.path,
  };
}

export const runRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get<{ Querystring: RunsQuery }>('/runs', { schema: { querystring: RUNS_QUERY } }, (request) => ({
    result: tenant.runs.list(runFilter(tenant, request.query)),
  }));

  app.get<{ Params: { id: string } }>('/runs/:id', { schema: { params: RUN_PARAMS } }, (request) => {
    const run = tenant.runs.get(request.params.id);
    if (!run) throw new AmError(404, 'no such run (runs are kept for a while, then dropped)');
    return run;
  });
};
