/**
 * `GET stubs`, `POST stubs` (an answer for scripts' outbound calls: the stub list checks it),
 * `DELETE stubs` and `DELETE stubs/:id`.
 */
import { AmError } from '../../am/errors.js';
import { pathParams } from '../schema.js';
import type { ControlRoutes } from './context.js';

const STUB_PARAMS = pathParams('id');

export const stubRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get('/stubs', () => ({ result: tenant.stubs.list() }));

  app.post<{ Body: unknown }>('/stubs', { config: { jsonBody: 'value' } }, (request, reply) => {
    const stub = tenant.stubs.add(request.body);
    reply.code(201);
    return { id: stub.id };
  });

  app.delete('/stubs', () => {
    tenant.stubs.clear();
    return { status: 'ok' };
  });

  app.delete<{ Params: { id: string } }>('/stubs/:id', { schema: { params: STUB_PARAMS } }, (request) => {
    const { id } = request.params;
    if (!tenant.stubs.remove(id)) throw new AmError(404, `no stub ${id}`);
    return { status: 'ok' };
  });
};
