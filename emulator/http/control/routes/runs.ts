/** `GET runs` and `GET runs/:id`: journey runs, node by node (kept for a while, then dropped). */
import { AmError } from '../../am/errors.js';
import { pathParams } from '../schema.js';
import type { ControlRoutes } from './context.js';

const RUN_PARAMS = pathParams('id');

export const runRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get('/runs', () => ({ result: tenant.runs.list() }));

  app.get<{ Params: { id: string } }>('/runs/:id', { schema: { params: RUN_PARAMS } }, (request) => {
    const run = tenant.runs.get(request.params.id);
    if (!run) throw new AmError(404, 'no such run (runs are kept for a while, then dropped)');
    return run;
  });
};
