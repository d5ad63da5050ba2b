/**
 * `GET faults`, `POST faults` (a fault for AM requests: the fault list checks it), `DELETE
 * faults` and `DELETE faults/:id`.
 */
import { AmError } from '../../am/errors.js';
import { pathParams } from '../schema.js';
import type { ControlRoutes } from './context.js';

const FAULT_PARAMS = pathParams('id');

export const faultRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get('/faults', () => ({ result: tenant.faults.list() }));

  app.post<{ Body: unknown }>('/faults', { config: { jsonBody: 'value' } }, (request, reply) => {
    const fault = tenant.faults.add(request.body);
    reply.code(201);
    return { id: fault.id };
  });

  app.delete('/faults', () => {
    tenant.faults.clear();
    return { status: 'ok' };
  });

  app.delete<{ Params: { id: string } }>('/faults/:id', { schema: { params: FAULT_PARAMS } }, (request) => {
    const { id } = request.params;
    if (!tenant.faults.remove(id)) throw new AmError(404, `no fault ${id}`);
    return { status: 'ok' };
  });
};
